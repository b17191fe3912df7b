"""Configuration errors are one clear sentence naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("BOT_TOKEN", "ADMIN_IDS", "TIMEZONE", "DEFAULT_LOCALE", "DATABASE_URL"):
        monkeypatch.delenv(f"DUTYDESK_{name}", raising=False)


def test_admin_ids_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYDESK_ADMIN_IDS", " 12, 34 ,")
    assert load_settings().admin_ids == (12, 34)


def test_admin_id_not_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYDESK_ADMIN_IDS", "12,alice")
    with pytest.raises(ConfigError, match=r"DUTYDESK_ADMIN_IDS: 'alice' is not a Telegram user id"):
        load_settings()


def test_bad_timezone_and_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTYDESK_TIMEZONE", "Mars/Base")
    monkeypatch.setenv("DUTYDESK_DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "DUTYDESK_TIMEZONE" in str(err.value) and "DUTYDESK_DEFAULT_LOCALE" in str(err.value)


def test_token_missing_or_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="DUTYDESK_BOT_TOKEN is not set"):
        _ = load_settings().token
    monkeypatch.setenv("DUTYDESK_BOT_TOKEN", "not-a-token")
    settings = load_settings()
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        _ = settings.token
    assert "not-a-token" not in repr(settings)


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DUTYDESK_ADMIN_IDS=5\nDUTYDESK_TIMEZONE=UTC\n")
    settings = load_settings()
    assert settings.admin_ids == (5,) and settings.timezone == "UTC"


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    url = load_settings().resolved_database_url
    assert url == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'dutydesk.sqlite3'}"
