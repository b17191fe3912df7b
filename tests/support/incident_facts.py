"""An incident filed through the service, its card read by its handler."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.incidents.service import ReportDraft, file_report
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from standin.model import Message
from tests.support.bot import Harness
from tests.support.world import DEPUTY, EMERGENCY, MEMBER, SECRETARY


async def filed(h: Harness, severity: Severity = Severity.GENERAL) -> dict[int, Message]:
    """A network-security incident filed by Mei; returns each handler's card by their id."""
    draft = ReportDraft(
        kind=Kind.NETWORK_SECURITY,
        severity=severity,
        what="首页被篡改",
        discovered_at=datetime(2026, 11, 24, 1, 30, tzinfo=UTC),
        discovered_precision="minute",
        location="门户网站",
        actions_taken="已断网",
        attachments=[],
    )
    await file_report(h.deps, TgUser(MEMBER, "Mei"), draft)
    ids = (EMERGENCY, DEPUTY, SECRETARY) if severity != Severity.GENERAL else (EMERGENCY, DEPUTY)
    cards = {uid: await h.standin.next_message(uid) for uid in ids}
    await h.standin.quiet()
    h.standin.mark_read(*ids, MEMBER, -5001)
    return cards
