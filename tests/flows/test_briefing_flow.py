"""The briefing before a quarterly review (A1, A2) through the chat: its Details links and the
same as a Word document on request, for the office and the leadership only."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document

from bot.calendar import runner
from bot.calendar.briefing import as_sent
from bot.errors import NotAllowed, StaleButton
from bot.incidents.service import file_report
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from tests.support.bot import Harness
from tests.support.calendar import local
from tests.support.incidents import draft
from tests.support.world import MEMBER, OFFICE, tap, world


async def test_the_office_gets_the_briefing_as_a_document(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    report = draft(kind=Kind.PUBLIC_OPINION, severity=Severity.GENERAL)
    report.what = "网帖质疑<b>工作作风</b>"
    filed = await file_report(h.deps, TgUser(MEMBER, "Mei"), report)
    h.clock.set(local(2026, 12, 15, 9, 30))  # the Q4 briefing falls due (A1)
    await runner.run(h.deps)
    await s.quiet()
    sent = [m for m in s.bot_messages(OFFICE) if m.text.startswith("Briefing for the quarterly")]
    assert len(sent) == 1
    briefing = sent[0]
    assert f"{filed.ref} (Public-opinion incident, General" in briefing.text
    # Each incident it names opens privately (a deep link), then the reminder's buttons.
    assert briefing.button_texts() == [filed.ref, "Record it", "As a document (.docx)"]

    s.mark_read(OFFICE)
    assert await tap(s, users[OFFICE], briefing, "As a document (.docx)") == (
        "The briefing as a document is in this chat.",
        False,
    )
    document = await s.next_message(OFFICE)
    assert document.document is not None
    assert s.file_names[document.document["file_id"]] == "briefing-2026-Q4.docx"
    assert document.caption == "Briefing for the quarterly review: Q4 2026"
    paper = Document(BytesIO(s.files[document.document["file_id"]]))
    texts = [p.text for p in paper.paragraphs if p.text]
    assert texts[0] == "Briefing for the quarterly review: Q4 2026"
    headings = [p.text for p in paper.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("1. Information reports collected for the review (A1)")
    assert any(h.startswith("4. Public opinion in society: 1") for h in headings), headings
    assert any(t.startswith(f"{filed.ref} (Public-opinion incident") for t in texts)
    assert "网帖质疑<b>工作作风</b>" in "\n".join(texts)  # the text as typed, not as markup

    # Nobody else has it: a member is refused, whatever occurrence or chat the press names.
    occurrence = int(str(briefing.buttons[-1][0][1]).split(":")[-1])
    with pytest.raises(NotAllowed) as refused:
        await as_sent(h.deps, TgUser(MEMBER, "Mei"), occurrence, OFFICE)
    assert refused.value.key == "The briefing is for the office and the leadership."
    with pytest.raises(StaleButton):  # not a briefing's occurrence
        await as_sent(h.deps, TgUser(OFFICE, "Ou"), occurrence + 1000, OFFICE)
