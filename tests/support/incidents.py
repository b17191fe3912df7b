"""The staff of the incident service tests, a report's draft, and the notices queued."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.deps import Deps
from bot.incidents.service import ReportDraft
from bot.people.roles import Role
from bot.policy.schema import Kind, Severity
from tests.support.outbox import queued
from tests.support.staff import DEPUTY, EMERGENCY, OFFICE, SECRETARY, appoint


async def staff(deps: Deps) -> None:
    await appoint(
        deps,
        [
            (EMERGENCY, Role.EMERGENCY_OFFICE),
            (DEPUTY, Role.DEPUTY),
            (SECRETARY, Role.SECRETARY),
            (OFFICE, Role.OFFICE),
        ],
    )


def draft(
    kind: Kind = Kind.NETWORK_SECURITY,
    severity: Severity | None = Severity.MAJOR,
    when: datetime | None = None,
) -> ReportDraft:
    return ReportDraft(
        kind=kind,
        severity=severity,
        what="<script>alert(1)</script> 网站首页被篡改",
        discovered_at=when or datetime(2026, 11, 24, 1, 30, tzinfo=UTC),
        discovered_precision="minute",
        location="门户网站",
        actions_taken="已断网",
        attachments=[],
    )


notices = queued  # the outbox's rows of one template
