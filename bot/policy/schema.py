"""The policy's schema. Unknown keys are errors, so a typo never silently keeps a default."""

from __future__ import annotations

from datetime import time
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from bot.clock import known_zone
from bot.policy.base import Strict
from bot.policy.calendar import Calendar
from bot.policy.regulation import Regulation


class Severity(StrEnum):
    GENERAL = "general"
    MAJOR = "major"
    CRITICAL = "critical"


class Kind(StrEnum):
    NETWORK_SECURITY = "network_security"  # L4
    PUBLIC_OPINION = "public_opinion"  # P2
    EVENT_INCIDENT = "event_incident"  # R6, L3
    INFORMATION = "information"  # A1, P1


HANDLER_ROLES = {"emergency_office", "office", "deputy", "secretary", "committee_head"}


class WorkingHours(Strict):
    start: time = time(9, 0)
    end: time = time(17, 30)
    # Whose official holidays and make-up working days count (ISO country code; "" for plain
    # Monday–Friday).
    holidays: str = "CN"
    # The organisation's time zone: every date, working hour and reminder is local to it.
    time_zone: str = "Asia/Shanghai"

    @model_validator(mode="after")
    def _order(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("holidays")
    @classmethod
    def _country(cls, value: str) -> str:
        if value:
            import holidays

            if value not in holidays.list_supported_countries():
                raise ValueError(f"{value!r} is not a country the holiday calendar knows, e.g. CN")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Limit(Strict):
    minutes: int = Field(gt=0, le=60 * 24 * 14)
    working_time: bool = False


class Acknowledge(Strict):
    critical: Limit = Limit(minutes=15)
    major: Limit = Limit(minutes=30)
    general: Limit = Limit(minutes=240, working_time=True)
    information: Limit = Limit(minutes=480, working_time=True)

    def for_(self, kind: Kind, severity: Severity | None) -> Limit:
        if kind == Kind.INFORMATION or severity is None:
            return self.information
        limit: Limit = getattr(self, severity.value)
        return limit


class Updates(Strict):
    every_minutes: dict[Severity, int] = {Severity.CRITICAL: 120, Severity.MAJOR: 120}


class Escalation(Strict):
    chain: list[str] = ["deputy", "secretary"]
    secretary_ack_severities: list[Severity] = [Severity.MAJOR, Severity.CRITICAL]
    secretary_reminder_minutes: int = Field(default=30, gt=0)

    @field_validator("chain")
    @classmethod
    def _roles(cls, chain: list[str]) -> list[str]:
        unknown = [r for r in chain if r not in HANDLER_ROLES]
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r}; use {sorted(HANDLER_ROLES)}")
        return chain


class Routing(Strict):
    network_security: list[str] = ["emergency_office", "deputy"]
    public_opinion: list[str] = ["office", "deputy"]
    event_incident: list[str] = ["committee_head", "office"]
    information: list[str] = ["office"]
    major_also: list[str] = ["secretary"]

    @model_validator(mode="after")
    def _roles(self) -> Routing:
        for name, roles in self.model_dump().items():
            unknown = [r for r in roles if r not in HANDLER_ROLES]
            if unknown:
                raise ValueError(f"{name}: unknown role {unknown[0]!r}")
        return self

    def roles_for(self, kind: Kind, severity: Severity | None) -> list[str]:
        roles = list(getattr(self, kind.value))
        if severity in (Severity.MAJOR, Severity.CRITICAL):
            roles += [r for r in self.major_also if r not in roles]
        return roles


class GroupNotice(Strict):
    severities: list[Severity] = [Severity.MAJOR, Severity.CRITICAL]


class ReportUpward(Strict):
    """P3, C8: incidents that must be reported to the higher department, and how soon. The
    ledger shows an incident of these severities not reported upward in time as a C8 lapse."""

    severities: list[Severity] = [Severity.MAJOR, Severity.CRITICAL]
    within_hours: int = Field(default=24, gt=0, le=24 * 14)


class Incidents(Strict):
    clause: str = "L4"
    max_text: int = Field(default=2000, ge=100, le=3500)
    # The office's own limit on one file; a file over DUTYDESK_MAX_DOWNLOAD_MB (what the Bot
    # API lets the bot download) is still attached and sent on, but no copy can be kept.
    max_attachment_mb: int = Field(default=2000, ge=1, le=2000)
    max_attachments: int = Field(default=10, ge=0, le=50)
    acknowledge: Acknowledge = Acknowledge()
    updates: Updates = Updates()
    escalation: Escalation = Escalation()
    routing: Routing = Routing()
    group_notice: GroupNotice = GroupNotice()
    report_upward: ReportUpward = ReportUpward()


class Events(Strict):
    clause: str = "R6"
    lead_days: int = Field(default=7, ge=0, le=90)
    committee_review: bool = True
    deputy_may_approve: bool = True
    filing_deadline_days: int = Field(default=3, ge=0, le=60)
    decision_reminder_working_days: int = Field(default=2, ge=1, le=30)
    max_speakers: int = Field(default=20, ge=1, le=200)
    max_audience: int = Field(default=100000, ge=1)
    max_title: int = Field(default=120, ge=10, le=500)


class People(Strict):
    """R4: who becomes a member. "approve": the office admits each person who presses Start;
    "invite": only an invitation link admits; "open": whoever presses Start is a member (a small
    trusted group, the behaviour before admission existed)."""

    admission: Literal["approve", "invite", "open"] = "approve"


class Backups(Strict):
    """A daily backup of the database and the kept files, taken by the leader (bot/db/daily.py);
    off unless every_day_at is set. Each day's backup is a folder `dir`/YYYY-MM-DD (the
    organisation's date); the newest `keep` are kept, older ones deleted. An empty `dir` means
    <DUTYDESK_DATA_DIR>/backups: better another disk."""

    every_day_at: time | None = None
    keep: int = Field(default=14, ge=1, le=3650)
    dir: str = ""


class Policy(Strict):
    working_hours: WorkingHours = WorkingHours()
    people: People = People()
    backups: Backups = Backups()
    incidents: Incidents = Incidents()
    events: Events = Events()
    calendar: Calendar
    regulation: Regulation

    @model_validator(mode="after")
    def _send_within_hours(self) -> Policy:
        hours, send_at = self.working_hours, self.calendar.send_at
        if not hours.start <= send_at < hours.end:
            raise ValueError(
                f"calendar.send_at {send_at:%H:%M} is outside working hours "
                f"{hours.start:%H:%M}–{hours.end:%H:%M}"
            )
        return self
