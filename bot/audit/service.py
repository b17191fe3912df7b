"""Writing audit entries; always inside the caller's transaction (helpers never commit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.models import AuditEntry


def record(
    session: AsyncSession,
    *,
    at: datetime,
    action: str,
    subject_type: str,
    subject_id: int | None,
    actor_id: int | None = None,
    clause: str | None = None,
    **data: Any,
) -> AuditEntry:
    """Add one audit entry (the action, its subject, who, the clause it serves) to the caller's
    transaction; the caller commits."""
    entry = AuditEntry(
        at=at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        clause=clause,
        data=data,
    )
    session.add(entry)
    return entry
