"""Configuration from the environment and an optional `.env` file, validated once at start.

The variable names are a public contract (README): keep them exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.clock import known_zone
from bot.db.leader import Timing

TELEGRAM_API_URL = "https://api.telegram.org"
SUPPORTED_LOCALES = ("zh_CN", "en")


def default_data_dir() -> Path:
    """Where the bot keeps its data unless told: ./data."""
    return Path.cwd() / "data"


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="DUTYDESK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # SecretStr: the token never shows in a repr, a log line or a validation error.
    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    # Overrides the policy's working_hours.time_zone when set.
    timezone: str | None = None
    default_locale: str = "zh_CN"
    policy_file: Path | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen: str = "0.0.0.0:8443"
    # HOST:PORT of /healthz, /readyz and /metrics (runtime/health.py); unset: no listener.
    health_listen: str | None = None
    log_level: str = "INFO"
    # "telegram": pace our sends to Telegram's flood limits (runtime.pacing). "off": no pacing
    # of our own, for a Bot API stand-in that enforces none (the bench's throughput runs).
    rate_limits: Literal["telegram", "off"] = "telegram"
    # PostgreSQL behind a connection pooler in transaction mode (PgBouncer's default on managed
    # offerings): no startup parameters and no prepared-statement cache (bot.db.engine).
    database_pooler: Literal["none", "transaction"] = "none"
    # Seconds a leader's lease lasts (bot.db.leader): a follower takes over this long after a
    # leader died. It renews every fifth of it and gives up a fifth before it ends.
    leader_lease: float = Field(default=15.0, ge=2.0, le=600.0)
    # Where the office's own copies of every file sent into a record are kept (bot.files);
    # empty: <data dir>/files.
    files_dir: Path | None = None
    # The cloud Bot API lets a bot download at most 20 MB; a self-hosted Bot API server more.
    max_download_mb: int = Field(default=20, ge=1, le=2000)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> tuple[int, ...]:
        if value is None or value == "":
            return ()
        if isinstance(value, int):
            return (value,)
        if isinstance(value, list | tuple):
            parts = [str(v) for v in value]
        else:
            parts = [p.strip() for p in str(value).split(",") if p.strip()]
        ids: list[int] = []
        for part in parts:
            try:
                ids.append(int(part))
            except ValueError:
                raise ValueError(
                    f"{part!r} is not a Telegram user id; give numbers separated by commas, "
                    "e.g. 123456789,987654321"
                ) from None
        return tuple(ids)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str | None) -> str | None:
        return known_zone(value) if value else None

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(
                f"{value!r} is not supported; use one of {', '.join(SUPPORTED_LOCALES)}"
            )
        return value

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None if value is None else value
        assert value is not None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("listen")
    @classmethod
    def _check_listen(cls, value: str) -> str:
        return host_port(value)

    @field_validator("health_listen")
    @classmethod
    def _check_health_listen(cls, value: str | None) -> str | None:
        return host_port(value) if value else None

    @property
    def leader_timing(self) -> Timing:
        fifth = self.leader_lease / 5
        return Timing(lease=self.leader_lease, renew=fifth, margin=fifth, poll=min(2.0, fifth))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'dutydesk.sqlite3'}"

    @property
    def resolved_files_dir(self) -> Path:
        return self.files_dir or self.data_dir / "files"

    @property
    def token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise ConfigError(
                "DUTYDESK_BOT_TOKEN is not set. Create a bot with @BotFather and put its token "
                "in the environment or in .env, or run `dutydesk sandbox` to try the bot offline."
            )
        token = self.bot_token.get_secret_value().strip()
        head, sep, tail = token.partition(":")
        if not sep or not head.isdigit() or len(tail) < 10:
            raise ConfigError(
                "DUTYDESK_BOT_TOKEN does not look like a bot token (expected 123456:ABC-DEF…, "
                "as @BotFather gives it)."
            )
        return token

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.listen.rpartition(":")
        return host, int(port)


def host_port(value: str) -> str:
    """`value` if it is HOST:PORT with a valid port; ValueError otherwise."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{value!r} must be HOST:PORT, e.g. 127.0.0.1:9090")
    return value


class ConfigError(Exception):
    """A configuration problem, explained in one sentence for the person starting the bot."""


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; turn validation errors into one clear ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "DUTYDESK_" + "_".join(str(p) for p in error["loc"]).upper()
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"  {name}: {message}")
        raise ConfigError("Invalid configuration:\n" + "\n".join(lines)) from None
