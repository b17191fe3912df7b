"""Who may open an incident's evidence (L5, L1, L2): everyone who acts on it, however they came
to it, and its reporter; anyone else is refused, as for every other action on it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed
from bot.files.models import FileStatus, KeptFile
from bot.incidents import evidence, pulling
from bot.incidents.service import file_report
from bot.outbox.models import OutboxMessage
from bot.people import service as people
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from tests.support.incidents import draft, staff
from tests.support.staff import EMERGENCY, MEMBER, OFFICE, SECRETARY

HELPER = TgUser(6, "Hu")
PHOTO = {"file_id": "PHOTO-1", "kind": "photo", "name": None, "size": 2048}
PDF = {
    "file_id": "DOC-2",
    "kind": "document",
    "name": "截图.pdf",
    "size": 30 * 1024 * 1024,
    "mime_type": "application/pdf",
}


async def files_sent_to(deps: Deps, telegram_id: int) -> list[str]:
    async with deps.db.read() as s:
        rows = await s.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.template == "file.attachment", OutboxMessage.chat_id == telegram_id
            )
            .order_by(OutboxMessage.id)
        )
        return [m.params["file_id"] for m in rows]


async def test_handlers_however_they_came_and_the_reporter_open_the_evidence(
    deps: Deps,
) -> None:
    await staff(deps)
    helper = (await people.start(deps, HELPER)).person
    member = (await people.start(deps, MEMBER)).person
    report = draft(Kind.NETWORK_SECURITY, Severity.GENERAL)
    report.attachments = [PHOTO, PDF]
    filed = await file_report(deps, MEMBER, report)
    # Kept in the report's transaction: the photo queued, the 30 MB file recorded as not kept.
    async with deps.db.read() as s:
        kept = {
            k.file_id: (k.status, k.reason, k.sender_id) for k in await s.scalars(select(KeptFile))
        }
    assert kept == {
        "PHOTO-1": (FileStatus.FETCHING, None, member.id),
        "DOC-2": (FileStatus.NOT_KEPT, "too_big", member.id),
    }

    # Not a handler of a general incident: the office and a colleague are refused.
    for stranger in (OFFICE, HELPER):
        with pytest.raises(NotAllowed):
            await evidence.send_evidence(deps, stranger, filed.incident_id)
    # Pulled in (L5): from then on, like any handler.
    await pulling.pull_in(deps, EMERGENCY, filed.incident_id, helper.id)
    sent = await evidence.send_evidence(deps, HELPER, filed.incident_id)
    assert sent.ref == filed.ref
    assert [(a.name, a.status, a.reason) for a in sent.attachments] == [
        (None, "fetching", None),
        ("截图.pdf", "not_kept", "too_big"),
    ]
    assert await files_sent_to(deps, HELPER.id) == ["PHOTO-1", "DOC-2"]
    # The secretary (leadership, L1) and the reporter may; each opening is audited.
    await evidence.send_evidence(deps, SECRETARY, filed.incident_id)
    await evidence.send_evidence(deps, MEMBER, filed.incident_id)
    assert await files_sent_to(deps, MEMBER.id) == ["PHOTO-1", "DOC-2"]
    async with deps.db.read() as s:
        opened = list(
            await s.scalars(
                select(AuditEntry.actor_id).where(AuditEntry.action == "incident.evidence_opened")
            )
        )
    assert len(opened) == 3


async def test_a_report_without_files_says_so(deps: Deps) -> None:
    await staff(deps)
    filed = await file_report(deps, MEMBER, draft())
    with pytest.raises(InvalidInput) as refused:
        await evidence.send_evidence(deps, EMERGENCY, filed.incident_id)
    assert refused.value.key == "{ref} has no attachments."
