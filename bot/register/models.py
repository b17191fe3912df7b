"""The accountability register (C1–C12): cases recorded by the secretary or the deputy.

Append-only: a case is never updated or deleted; a correction is a new case that names the one
it corrects. Each case is corrected at most once (a unique `corrects_id`), so the corrections of
a case form one chain whose last entry is the one in force.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class AccountabilityCase(Base):
    __tablename__ = "accountability_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)  # concerned
    clause: Mapped[str] = mapped_column(String(4))  # C1..C12
    facts: Mapped[str] = mapped_column(Text)
    # The bot's own records the facts refer to (INC-…, EVT-… found in the text).
    incident_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    event_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    grade: Mapped[str] = mapped_column(String(16))  # bot.register.rules.Grade
    measures: Mapped[list[str]] = mapped_column(JSON)  # codes of bot.register.rules.MEASURES
    decided_on: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime]
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("accountability_cases.id"), unique=True
    )


def _append_only(*_: Any) -> None:
    raise RuntimeError("accountability cases are never changed: record a correction instead")


# The register's record must hold whatever a later hand does: the ORM refuses to change a row.
event.listen(AccountabilityCase, "before_update", _append_only)
event.listen(AccountabilityCase, "before_delete", _append_only)
