"""Facts on incidents are kept and shown: the upward report's recipient (P3, C8), the
acknowledgement a Contain implies (L4), and cards that show the record as it stands."""

from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl import load_workbook

from standin.model import Message, SimUser
from tests.support.bot import Harness
from tests.support.incident_facts import filed
from tests.support.world import DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY, tap, world


async def report_upward(h: Harness, eli: SimUser, card: Message) -> None:
    s = h.standin
    await tap(s, eli, card, "Escalate upward")
    await s.next_message(EMERGENCY)
    await eli.send("市委网信办 王科长")
    await s.next_message(EMERGENCY)
    await eli.send("电话报告了篡改情况")
    assert (await s.next_message(EMERGENCY)).text.startswith("The report to the higher")


async def test_the_upward_reports_recipient_is_kept_and_shown(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    eli = users[EMERGENCY]
    cards = await filed(harness)
    await report_upward(harness, eli, cards[EMERGENCY])

    await tap(s, eli, cards[EMERGENCY], "Timeline")
    timeline = (await s.next_message(EMERGENCY)).text
    assert "Reported to the higher department · Eli\n    Reported to: 市委网信办 王科长\n" in (
        timeline
    )
    await eli.send("/my")
    mine = (await s.next_message(EMERGENCY)).text
    assert "Reported to the higher department: 市委网信办 王科长" in mine

    await eli.send("/ledger P3")
    q = await s.next_message(EMERGENCY)
    await tap(s, eli, q, "This quarter")
    assert (
        "· Step: Reported to the higher department: 市委网信办 王科长 · INC-2026-0001 (Eli)"
    ) in q.text.replace("November 24, 2026 10:00 ", "")

    await eli.send("/ledger")
    q = await s.next_message(EMERGENCY)
    await tap(s, eli, q, "This quarter")
    await tap(s, eli, q, "Inspection package (.zip)")
    document = await s.next_message(EMERGENCY)
    while document.document is None:
        document = await s.next_message(EMERGENCY)
    package = zipfile.ZipFile(BytesIO(s.files[document.document["file_id"]]))
    sheet = next(n for n in package.namelist() if n.endswith(".xlsx"))
    book = load_workbook(BytesIO(package.read(sheet)))
    rows = list(book["Incidents"].iter_rows(values_only=True))
    column = rows[0].index("Reported upward to (P3)")
    assert rows[1][column] == "市委网信办 王科长"


async def test_contain_acknowledges_on_the_record_and_says_so(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    cards = await filed(harness)
    assert await tap(s, users[EMERGENCY], cards[EMERGENCY], "Contain") == (
        "INC-2026-0001 is marked as contained; this also records your acknowledgement.",
        False,
    )
    assert (await s.next_message(MEMBER)).text.startswith("Your report INC-2026-0001 is under")
    await users[MEMBER].send("/my")
    mine = await s.next_message(MEMBER)
    await tap(s, users[MEMBER], mine, "Timeline of INC-2026-0001")
    timeline = (await s.next_message(MEMBER)).text
    assert "Acknowledged · Eli · on marking it contained" in timeline
    assert timeline.index("Acknowledged · Eli") < timeline.index("Contained · Eli")
    await users[DEPUTY].send("/pending")  # nothing waits for an acknowledgement any more
    assert (await s.next_message(DEPUTY)).text == "Nothing is waiting for you."


async def test_cards_show_the_record_as_it_stands(harness: Harness) -> None:
    s = harness.standin
    users = await world(harness)
    cards = await filed(harness)
    await users[DEPUTY].send("/pending")
    pending = await s.next_message(DEPUTY)
    assert pending.text == "Waiting for you:\nINC-2026-0001: waiting for acknowledgement"

    assert await tap(s, users[EMERGENCY], cards[EMERGENCY], "Acknowledge") == (
        "You acknowledged INC-2026-0001.",
        False,
    )
    card = cards[EMERGENCY]
    assert card.text.startswith("Acknowledged by Eli on November 24, 2026 10:00; being handled.")
    assert "Acknowledge by:" not in card.text
    assert card.button_texts() == [
        "Add update",
        "Escalate upward",
        "Pull in",
        "Contain",
        "Close",
        "Change severity",
        "Timeline",
    ]

    # Reopened from /pending after a colleague acknowledged: the card says so.
    await tap(s, users[DEPUTY], pending, "Open INC-2026-0001")
    reopened = await s.next_message(DEPUTY)
    assert reopened.text.startswith("Acknowledged by Eli on November 24, 2026 10:00;")
    assert "A report needs your attention." not in reopened.text
    assert "Acknowledge" not in reopened.button_texts()

    # Pressing the spent button on an old card: who was first, and the card catches up.
    assert await tap(s, users[DEPUTY], cards[DEPUTY], "Acknowledge") == (
        "Eli has already acknowledged INC-2026-0001.",
        True,
    )
    assert cards[DEPUTY].text.startswith("Acknowledged by Eli")

    await tap(s, users[EMERGENCY], card, "Contain")
    assert "Under control since November 24, 2026 10:00." in card.text
    assert card.button_texts() == [
        "Add update",
        "Escalate upward",
        "Pull in",
        "Close",
        "Change severity",
        "Timeline",
    ]
    s.mark_read(OFFICE)


async def test_my_shows_what_you_filed_handle_and_decide(harness: Harness) -> None:
    from tests.support.lecture import request_lecture

    s = harness.standin
    users = await world(harness)
    await filed(harness)
    summary = await request_lecture(s, users[MEMBER])
    await tap(s, users[MEMBER], summary, "Submit")
    await s.quiet()
    s.mark_read(SECRETARY, DEPUTY, EMERGENCY)

    await users[EMERGENCY].send("/my")  # the handler: no reports of her own
    mine = await s.next_message(EMERGENCY)
    assert mine.text == (
        "What you handle\n"
        "INC-2026-0001 · Network-security incident · open\n"
        "\n"
        "Waiting for your decision\n"
        "INC-2026-0001: waiting for acknowledgement"
    )
    assert mine.button_texts() == [
        "Timeline of INC-2026-0001",
        "Details of INC-2026-0001",
        "Open INC-2026-0001",
    ]

    await users[SECRETARY].send("/my")  # the approver
    mine = await s.next_message(SECRETARY)
    assert mine.text == (
        "Waiting for your decision\nEVT-2026-0001 · 理论宣讲 <b>& · waiting for a decision"
    )

    await users[MEMBER].send("/my")  # the member: what she filed
    mine = await s.next_message(MEMBER)
    assert mine.text == (
        "What you filed\n"
        "EVT-2026-0001 · 理论宣讲 <b>& · waiting for a decision\n"
        "INC-2026-0001 · Network-security incident · open"
    )
