"""/ledger through the chat: periods, lapses, evidence per clause, the inspection package (R7)."""

from __future__ import annotations

import threading
import zipfile
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from bot.incidents.models import Incident
from bot.people.models import Person
from render import ledger_export
from standin.ledger_year import MIN, OU, SHU, at
from tests.support.bot import ADMIN_ID, Harness
from tests.support.ledger import year_world
from tests.support.world import tap

GROUP = -100777


SUMMARY = """Ledger: 2026 (January 1, 2026 – December 31, 2026)
All records.

Incidents: 5 reported, 2 still open
· Network-security incident: General 1, Major 1
· Public-opinion incident: Critical 1
· Incident at an event: Major 1
· Information report: 1
Time to acknowledge: median 2 h 50 min, slowest 6 h 0 min.
Time to close: median 2 d 0 h, slowest 2 d 0 h.
Escalated by themselves (L2, L1): 2. Reported to the higher department (P3): 2.

Events (R6): 6 requested
Approved 3, rejected 1, sent back 1, withdrawn 1, filed 2, cancelled 0.
Dated in the period: 5; held: 1.
Notice: median 18.5 days, shortest 4; 1 at short notice.

Meetings held against those required
· Dedicated meetings (R2), 2026: 1 of at least 2 (not met)
· Quarterly reviews (A2): 3 of 4 quarters
· Study sessions (R3): 10 of 12 periods
· Forward-looking analyses (A3): 4 of 8 sensitive dates

Lapses proven by the records: 17
A2: 1, A3: 4, C8: 2, L4: 3, R2: 3, R3: 2, R6: 2"""


async def test_the_secretary_reads_the_year(harness: Harness) -> None:
    """R7: the choice of period, the year's summary, its chart as a photo, lapses and a clause's
    evidence page by page."""
    s, h = harness.standin, harness
    users = await year_world(h)
    shu = users[SHU.id]
    await shu.send("/ledger")
    q = await s.next_message(SHU.id)
    assert q.text.startswith("Which period?")
    assert [label for row in q.buttons for label, _ in row] == [
        "This quarter",
        "Last quarter",
        "This year",
        "Last year",
        "Chosen dates…",
    ]
    await tap(s, shu, q, "Last year")  # on January 10, 2027
    assert q.text == SUMMARY
    assert q.buttons == [
        [("Lapses (17)", "1ld:l:2026:0"), ("By clause", "1ld:k:2026")],
        [("Inspection package (.zip)", "1ld:x:2026"), ("Chart", "1ld:g:2026")],
        [("Another period", "1ld:m")],
    ]
    assert await tap(s, shu, q, "Chart") == ("Drawing the chart…", False)
    photo = await s.next_message(SHU.id)
    assert photo.photo is not None and photo.caption == (
        "Ledger: 2026. 5 incidents, 6 events, 17 lapses."
    )
    png = s.files[photo.photo[-1]["file_id"]]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and s.file_names[photo.photo[-1]["file_id"]] == (
        "dutydesk-ledger-2026.png"
    )
    await tap(s, shu, q, "Lapses (17)")
    lines = q.text.splitlines()
    assert lines[3] == "Lapses (17), oldest limit first; page 1 of 2"
    assert lines[4] == ("· April 15, 2026 INC-2026-0002: acknowledged 25 min after its limit (L4)")
    assert lines[5] == (
        "· April 15, 2026 INC-2026-0002: a critical incident the secretary never acknowledged "
        "(R2, C2)"
    )
    assert len(lines) == 4 + 10
    await tap(s, shu, q, "Next ›")
    lines = q.text.splitlines()
    assert len(lines) == 4 + 7 and lines[-1] == (
        "· January 1, 2027 2026: 1 of at least 2 dedicated meetings (R2)"
    )
    assert "· October 30, 2026 EVT-2026-0005: filed 3 d 0 h after its date (R6)" in lines
    await tap(s, shu, q, "‹ Back to the summary")
    assert q.text == SUMMARY
    await tap(s, shu, q, "By clause")
    assert q.text.endswith("Which clause? Or send /ledger and the clause's ID, such as /ledger C5.")
    await tap(s, shu, q, "C8")
    assert q.text.splitlines()[3:] == [
        "Evidence for C8: 4 entries; page 1 of 1",
        "· February 10, 2026 13:00 · Step: Reported to the higher department: 市委网信办 · "
        "INC-2026-0001 (Eli)",
        "· April 16, 2026 10:00 · Lapse: INC-2026-0002: not reported to the higher department; "
        "due by April 16, 2026 10:00 (C8, P3)",
        "· November 21, 2026 10:00 · Lapse: INC-2026-0005: reported to the higher department "
        "6 h 0 min after its limit (C8, P3)",
        "· November 21, 2026 16:00 · Step: Reported to the higher department: 市委宣传部 · "
        "INC-2026-0005 (Ou)",
    ]


async def test_the_spreadsheet_arrives_with_progress_and_once(harness: Harness) -> None:
    """C: the inspection package comes once, its progress shown meanwhile; a second press
    meanwhile makes no second file."""
    s, h = harness.standin, harness
    users = await year_world(h)
    ou = users[OU.id]
    await ou.send("/ledger")
    q = await s.next_message(OU.id)
    await tap(s, ou, q, "Last year")
    held = s.faults.hold("sendDocument")
    assert await tap(s, ou, q, "Inspection package (.zip)") == (
        "Preparing the inspection package…",
        False,
    )
    status = await s.next_message(OU.id)
    assert status.text.startswith("Preparing the inspection package… ")
    await held.reached()
    # A second press while the file is on its way makes no second file.
    assert await tap(s, ou, q, "Inspection package (.zip)") == (
        "Your file is still being prepared; it comes in a moment.",
        False,
    )
    held.release()
    document = await s.next_message(OU.id)
    assert document.caption == "Ledger: 2026. 5 incidents, 6 events, 17 lapses."
    await s.quiet()
    assert status.text == "The inspection package is ready."
    assert s.unread(OU.id) == []
    assert document.document is not None
    data = s.files[document.document["file_id"]]
    assert s.file_names[document.document["file_id"]] == "ledger-2026.zip"
    package = zipfile.ZipFile(BytesIO(data))
    assert package.namelist() == [
        "ledger-2026.xlsx",
        "implementation-report-2026.docx",
        "ledger-2026.docx",
    ]
    book = load_workbook(BytesIO(package.read("ledger-2026.xlsx")))
    summary = dict(list(book["Summary"].iter_rows(values_only=True))[1:])
    assert summary["Lapses"] == 17 and summary["Incidents reported"] == 5


async def test_a_member_chosen_dates_and_a_clause(harness: Harness) -> None:
    """A member types the dates of their period (either order, Chinese style) and reads one
    clause's evidence."""
    s, h = harness.standin, harness
    users = await year_world(h)
    mi = users[MIN.id]
    await mi.send("/ledger")
    q = await s.next_message(MIN.id)
    await tap(s, mi, q, "Chosen dates…")
    assert q.text == (
        "Send the first and the last day, such as 2027-01-01 2027-01-10. /cancel leaves."
    )
    await mi.send("from April")
    assert (await s.next_message(MIN.id)).text == (
        "Please send two dates, the first and the last day, such as 2027-01-01 2027-01-10."
    )
    await mi.send("2026年6月30日至2026年4月1日")  # either order, Chinese style
    view = await s.next_message(MIN.id)
    lines = view.text.splitlines()
    assert lines[0] == "Ledger: Q2 2026 (April 1, 2026 – June 30, 2026)"
    assert lines[1].startswith("Your own items: the reports you filed or handle")
    assert lines[3] == "Incidents: 1 reported, 0 still open"  # hers: I2
    assert "Events (R6): 1 requested" in lines  # E2; E3 is Mei's
    await mi.send("/ledger C2")
    q = await s.next_message(MIN.id)
    assert q.text == "Which period for C2?"
    await tap(s, mi, q, "Last year")
    assert q.text.splitlines()[3:] == [
        "Evidence for C2: 1 entry; page 1 of 1",
        "· April 15, 2026 10:15 · Lapse: INC-2026-0002: a critical incident the secretary never "
        "acknowledged (R2, C2)",
    ]
    await mi.send("/ledger X9")
    assert (await s.next_message(MIN.id)).text == (
        "X9 is not a clause of the regulation; they run R1–R8, L1–L5, A1–A4, P1–P4 and C1–C12."
    )
    assert await tap(s, mi, q, data="1ld:p:2026-Q9") == ("This button is no longer valid.", True)


async def test_the_readmes_dates_and_chinese_numerals(harness: Harness) -> None:
    """The README's example and the forms an office writes: year-less second date, 〇 numerals."""
    s, h = harness.standin, harness
    users = await year_world(h)
    mi = users[MIN.id]
    for typed, head in (
        ("2026年1月1日至3月31日", "Ledger: Q1 2026 (January 1, 2026 – March 31, 2026)"),
        ("二〇二六年四月一日至六月三十日", "Ledger: Q2 2026 (April 1, 2026 – June 30, 2026)"),
        ("２０２６．７．１—９．３０", "Ledger: Q3 2026 (July 1, 2026 – September 30, 2026)"),
    ):
        await mi.send("/ledger")
        q = await s.next_message(MIN.id)
        await tap(s, mi, q, "Chosen dates…")
        await mi.send(typed)
        assert (await s.next_message(MIN.id)).text.splitlines()[0] == head


async def test_in_a_group_it_opens_the_private_chat(harness: Harness) -> None:
    """/ledger in a group points to the private chat; /start ledger opens the choice of period."""
    s, h = harness.standin, harness
    users = await year_world(h)
    admin = s.add_user(ADMIN_ID, "Ada", language_code="en")
    s.add_group(GROUP, "Org", members=[admin, users[OU.id]])
    await users[OU.id].send("/ledger", chat=GROUP)
    answer = await s.next_message(GROUP)
    assert answer.text == "Let's continue in our private chat, where this stays between us."
    assert answer.buttons == [
        [("Open private chat", "https://t.me/dutydesk_test_bot?start=ledger")]
    ]
    await users[OU.id].send("/start ledger")
    assert (await s.next_message(OU.id)).text.startswith("Which period?")


async def test_a_large_export_leaves_the_bot_free_for_others(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20,000 incidents: the file is built in a worker thread. The worker waits for a gate
    that the test opens only after another person's /help was answered, so were the file built
    on the event loop, nothing would be answered and the test would time out."""
    s, h = harness.standin, harness
    users = await year_world(h)
    async with h.deps.db.transaction() as session:
        reporter = await session.scalar(select(Person.id).where(Person.telegram_id == MIN.id))
        base = at(12, 1)
        await session.execute(
            insert(Incident),
            [
                {
                    "year": 2026,
                    "number": 1000 + n,
                    "kind": "information",
                    "status": "closed",
                    "reporter_id": reporter,
                    "what": "批量信息",
                    "discovered_at": base,
                    "location": "—",
                    "actions_taken": "—",
                    "reported_at": base + timedelta(seconds=n),
                    "ack_limit_at": base + timedelta(hours=8),
                    "ack_due_at": base + timedelta(hours=8),
                    "acknowledged_at": base + timedelta(hours=1),
                    "closed_at": base + timedelta(days=1),
                }
                for n in range(20_000)
            ],
        )
    gate, threads = threading.Event(), []
    real = ledger_export.workbook  # imported by handlers.ledger_package when a package is made

    def gated(book: Any, r: Any, progress: Any) -> bytes:
        threads.append(threading.current_thread())
        assert gate.wait(30), "the test never opened the gate"
        return real(book, r, progress)

    monkeypatch.setattr(ledger_export, "workbook", gated)
    ou, mi = users[OU.id], users[MIN.id]
    await ou.send("/ledger")
    q = await s.next_message(OU.id)
    await tap(s, ou, q, "Last year")
    assert q.text.splitlines()[3] == "Incidents: 20,005 reported, 2 still open"
    await tap(s, ou, q, "Inspection package (.zip)")
    status = await s.next_message(OU.id)
    # Reading 20,005 records with their content takes seconds on a busy machine.
    await s.wait_until(lambda: bool(threads), what="the worker to start", timeout=60)
    await mi.send("/help")
    assert (await s.next_message(MIN.id)).text  # answered while the file is being made
    gate.set()
    document = await s.next_message(OU.id, timeout=60)
    while document.document is None:  # a notice the outbox sent meanwhile (Ada never started)
        document = await s.next_message(OU.id, timeout=60)
    assert threads[0] is not threading.main_thread()
    assert document.document is not None
    package = zipfile.ZipFile(BytesIO(s.files[document.document["file_id"]]))
    book = load_workbook(BytesIO(package.read("ledger-2026.xlsx")), read_only=True)
    assert sum(1 for _row in book["Incidents"].iter_rows(values_only=True)) == 1 + 20_005
    await s.quiet()
    assert status.text == "The inspection package is ready."
