"""The inspection package (R7): one zip with the spreadsheet (content included), the two Word
documents and the evidence files, linked from their rows by relative paths; parts above the
limit; only what the reader may see."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.calendar.meetings import MeetingDraft, record_meeting
from bot.calendar.models import MeetingKind
from bot.clock import MovableClock
from bot.deps import Deps
from bot.files import store
from bot.files.models import FileStatus, KeptFile
from bot.incidents import actions
from bot.incidents.service import file_report
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from bot.people import service as people
from bot.policy.schema import Kind, Severity
from handlers.ledger_package import MAX_PART, build, present
from render.ledger_rows import Link, files_cell
from render.renderer import Renderer
from standin.ledger_year import CN, ELI, MEI, MIN, OU, _report, a_year, at

PHOTO = b"\xff\xd8\xff\xe0 a photo of the page " * 300
MINUTES = b"%PDF-1.4 the minutes of the fourth quarter's review " * 200
WHAT = "网站首页被篡改"  # I6's own words: only readers who may see I6 get them


async def keep(deps: Deps, content: dict[str, bytes]) -> dict[str, str]:
    """The fetcher's work, done here: each file's bytes kept under their SHA-256."""
    shas, now = {}, deps.clock.now()
    async with deps.db.transaction() as session:
        for file_id, data in content.items():
            sha = store.put(deps.settings.resolved_files_dir, data)
            await session.execute(
                update(KeptFile)
                .where(KeptFile.file_id == file_id)
                .values(status=FileStatus.KEPT, sha256=sha, size=len(data), kept_at=now)
            )
            shas[file_id] = sha
    return shas


async def a_year_with_evidence(deps: Deps, clock: MovableClock) -> dict[str, str]:
    """The sample year, and I6 (Mei's, with two files) and a fourth-quarter review whose
    minutes are kept, with its areas' conclusions and attendees by name."""
    await a_year(deps, clock)
    clock.set(at(12, 21))
    draft = replace(
        _report(Kind.NETWORK_SECURITY, Severity.GENERAL, clock.now()),
        what=WHAT,
        attachments=[
            {"file_id": "ph-1", "kind": "photo", "size": len(PHOTO)},
            {"file_id": "doc-1", "kind": "document", "name": "截图说明.pdf", "size": 900},
        ],
    )
    i6 = (await file_report(deps, MEI, draft)).incident_id
    clock.set(at(12, 21, 11))
    await actions.close(deps, ELI, i6, "已恢复首页")
    ou = await people.identify(deps, OU, private=True)
    areas = [t.key for t in deps.policy.calendar.quarterly_review.topics]
    clock.set(at(12, 22, 18))
    await record_meeting(
        deps,
        OU,
        MeetingDraft(
            kind=MeetingKind.QUARTERLY_REVIEW,
            held_on=at(12, 22).astimezone(CN).date(),
            title="四季度补充研判",
            attendee_ids=[ou.id],
            files=[("min-1", "document", "纪要.pdf")],
            notes="会议纪要：逐项研判",
            conclusions={k: f"{k}领域总体平稳" for k in areas[1:]},
            not_discussed={areas[0]: "上次已研判"},
        ),
    )
    return await keep(deps, {"ph-1": PHOTO, "doc-1": b"%PDF-1.4 notes" * 60, "min-1": MINUTES})


async def package(
    deps: Deps, clock: MovableClock, who: Any, locale: str, tmp: Path, limit: int | None = None
) -> tuple[list[Path], Any]:
    """The inspection package of 2026 for `who` in `locale`, and the ledger it was made from."""
    clock.set(at(1, 10, year=2027))
    book = await ledger.build(deps, who, chosen("last_year", clock.now(), CN), export=True)
    out = tmp / f"out-{who.id}-{locale}"
    out.mkdir()
    root = deps.settings.resolved_files_dir
    return build(book, Renderer(locale, CN), root, out, limit=limit or MAX_PART), book


def links(data: bytes) -> list[str]:
    """Every hyperlink's target in a workbook."""
    wb = load_workbook(BytesIO(data))
    return [c.hyperlink.target for ws in wb for row in ws.iter_rows() for c in row if c.hyperlink]


async def test_the_package_holds_content_documents_and_evidence(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """C: the package holds the workbook, the two documents and each kept file, linked from their
    rows."""
    shas = await a_year_with_evidence(deps, clock)
    parts, book = await package(deps, clock, OU, "en", tmp_path)
    assert [p.name for p in parts] == ["ledger-2026.zip"]
    z = zipfile.ZipFile(parts[0])
    names = z.namelist()
    mtg = next(n for n in names if n.startswith("evidence/MTG-2026-"))  # named by its reference
    documents = ["ledger-2026.xlsx", "implementation-report-2026.docx", "ledger-2026.docx"]
    evidence = ["evidence/INC-2026-0006-1.jpg", "evidence/INC-2026-0006-2.pdf", mtg]
    assert names == documents + evidence
    assert mtg.endswith("-1.pdf")
    # Every link of the spreadsheet opens a file of the package, whose bytes are the kept ones.
    targets = links(z.read("ledger-2026.xlsx"))
    assert set(targets) == {n for n in names if n.startswith("evidence/")}
    assert hashlib.sha256(z.read("evidence/INC-2026-0006-1.jpg")).hexdigest() == shas["ph-1"]
    assert z.read(mtg) == MINUTES
    wb = load_workbook(BytesIO(z.read("ledger-2026.xlsx")))
    files = [[c.value for c in row] for row in wb["Evidence files"].iter_rows()][1:]
    assert [(f[0], f[4]) for f in files] == [
        ("INC-2026-0006", shas["ph-1"]),
        ("INC-2026-0006", shas["doc-1"]),
        (mtg[9:-6], shas["min-1"]),
    ]
    for row in wb["Evidence files"].iter_rows(min_row=2):
        assert hashlib.sha256(z.read(row[1].hyperlink.target)).hexdigest() == row[4].value

    def table(title: str) -> dict[str, dict[str, Any]]:
        rows: list[list[Any]] = [[c.value for c in row] for row in wb[title].iter_rows()]
        return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}

    incidents = table("Incidents")
    i6 = incidents["INC-2026-0006"]
    assert (i6["What happened"], i6["Where"], i6["Actions taken"]) == (
        WHAT,
        "门户网站",
        "已截图留存",
    )
    assert i6["Discovered at"] == (at(12, 21) - timedelta(hours=1)).astimezone(CN).replace(
        tzinfo=None
    )
    assert i6["Closing summary"] == "已恢复首页"
    assert i6["Evidence files"] == "INC-2026-0006-1.jpg, INC-2026-0006-2.pdf"
    assert incidents["INC-2026-0001"]["Reported upward to (P3)"] == "市委网信办"
    assert incidents["INC-2026-0001"]["Closing summary"] == "已恢复"
    events = table("Events")
    assert events["EVT-2026-0004"]["Decision and reason"] == "rejected: 内容不宜"
    assert events["EVT-2026-0004"]["Decided by"] == "Shu"
    assert events["EVT-2026-0001"]["Speakers"] == "张教授 (市委党校)"
    assert events["EVT-2026-0001"]["Topic outline"] == "一、形势；二、任务"
    assert events["EVT-2026-0001"]["Filing date"] == "2026-03-05"
    assert events["EVT-2026-0001"]["Venue"] == "机关三楼会议室"
    meetings = table("Meetings")
    review = meetings[mtg[9:-6]]
    assert review["Held on"].date() == date(2026, 12, 22)  # the review with the minutes
    assert review["Meeting"] == "Quarterly review (A2)" and review["Attendees by name"] == "Ou"
    assert review["Minutes"] == "会议纪要：逐项研判"
    lines = review["Areas and conclusions (A2)"].split("\n")
    assert len(lines) == 5 and lines[0].endswith(": Not discussed: 上次已研判")
    assert lines[1].endswith("领域总体平稳")
    assert len(book.incidents) == 6


async def test_the_chinese_package_is_named_in_chinese(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """A Chinese reader's package and its documents are named in Chinese."""
    await a_year_with_evidence(deps, clock)
    parts, _book = await package(deps, clock, OU, "zh_CN", tmp_path)
    assert [p.name for p in parts] == ["台账-2026.zip"]
    names = zipfile.ZipFile(parts[0]).namelist()
    assert names[:3] == [
        "台账-2026.xlsx",
        "意识形态工作责任制落实情况报告-2026.docx",
        "台账-2026.docx",
    ]


async def test_a_reader_gets_only_the_records_they_may_see(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """Min (a member of no committee) sees his own items: Mei's I6, its words and its files
    are not in his package; the organisation's meetings are, without their minutes."""
    await a_year_with_evidence(deps, clock)
    parts, book = await package(deps, clock, MIN, "en", tmp_path)
    assert [i.ref for i in book.incidents] == ["INC-2026-0002", "INC-2026-0004"]
    z = zipfile.ZipFile(parts[0])
    assert not [n for n in z.namelist() if "INC-2026-0006" in n]
    wb = load_workbook(BytesIO(z.read("ledger-2026.xlsx")))
    cells = {str(c.value) for ws in wb for row in ws.iter_rows() for c in row}
    assert not [c for c in cells if "INC-2026-0006" in c or WHAT in c]
    assert "INC-2026-0002" in cells and "网站首页出现不实信息" in cells
    for name in ("implementation-report-2026.docx", "ledger-2026.docx"):
        assert WHAT.encode() not in zipfile.ZipFile(BytesIO(z.read(name))).read("word/document.xml")
    # The meetings are the organisation's; their minutes and conclusions the leadership's.
    assert not [n for n in z.namelist() if n.startswith("evidence/")]
    meetings = [[c.value for c in row] for row in wb["Meetings"].iter_rows()]
    assert len(meetings) == 1 + 18 + 1 and meetings[-1][4] == "四季度补充研判"
    assert not [c for c in cells if "逐项研判" in c or "上次已研判" in c]


async def test_a_package_over_the_limit_comes_in_parts(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """Over the file limit the package comes in numbered parts, the documents in the first."""
    await a_year_with_evidence(deps, clock)
    whole, _book = await package(deps, clock, OU, "en", tmp_path)
    documents = sum(i.file_size for i in zipfile.ZipFile(whole[0]).infolist()[:3])
    limit = documents + len(PHOTO) // 2  # the documents fit the first part; the photo does not
    (tmp_path / "parts").mkdir()
    parts, _book = await package(deps, clock, OU, "en", tmp_path / "parts", limit=limit)
    assert [p.name for p in parts] == ["ledger-2026-part-1-of-2.zip", "ledger-2026-part-2-of-2.zip"]
    assert all(p.stat().st_size <= limit for p in parts)
    first, second = (zipfile.ZipFile(p).namelist() for p in parts)
    assert first == ["ledger-2026.xlsx", "implementation-report-2026.docx", "ledger-2026.docx"]
    everything = set(first) | set(second)
    assert everything == set(zipfile.ZipFile(whole[0]).namelist())
    # Unzipped into one folder, every link of the spreadsheet opens its file.
    targets = links(zipfile.ZipFile(parts[0]).read("ledger-2026.xlsx"))
    assert targets and set(targets) <= everything


async def test_a_file_no_longer_whole_is_not_linked(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """A kept copy altered since (`dutydesk files verify` names it) is left out of the package
    and its row says "not kept", rather than linking bytes that no longer match."""
    shas = await a_year_with_evidence(deps, clock)
    path = store.path_for(deps.settings.resolved_files_dir, shas["ph-1"])
    path.chmod(0o644)
    path.write_bytes(b"altered")
    parts, _book = await package(deps, clock, OU, "en", tmp_path)
    z = zipfile.ZipFile(parts[0])
    assert "evidence/INC-2026-0006-1.jpg" not in z.namelist()
    assert "evidence/INC-2026-0006-1.jpg" not in links(z.read("ledger-2026.xlsx"))
    async with deps.db.read() as session:
        assert await session.scalar(select(KeptFile.sha256).where(KeptFile.file_id == "ph-1"))


async def test_an_empty_period_still_makes_a_whole_package(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """A period without records still makes a whole package."""
    clock.set(at(3, 1))
    book = await ledger.build(deps, OU, chosen("this_quarter", clock.now(), CN), export=True)
    parts = build(book, Renderer("zh_CN", CN), deps.settings.resolved_files_dir, tmp_path)
    z = zipfile.ZipFile(parts[0])
    assert [p.name for p in parts] == ["台账-2026-Q1.zip"]
    assert z.namelist() == [
        "台账-2026-Q1.xlsx",
        "意识形态工作责任制落实情况报告-2026-Q1.docx",
        "台账-2026-Q1.docx",
    ]
    tables = Document(BytesIO(z.read("台账-2026-Q1.docx")))
    assert tables.paragraphs[0].text == "2026年第一季度意识形态工作台账"
    assert [p.text for p in tables.paragraphs].count("本期无。") == 8  # every area, empty


async def test_a_file_too_large_for_a_part_is_named_not_linked(
    deps: Deps, clock: MovableClock, tmp_path: Path
) -> None:
    """A self-hosted Bot API server lets the office keep files past 50 MB: such a file cannot
    travel in any part, so its row says so instead of linking a file the package lacks."""
    await a_year_with_evidence(deps, clock)
    clock.set(at(1, 10, year=2027))
    book = await ledger.build(deps, OU, chosen("last_year", clock.now(), CN), export=True)
    assert book.content is not None
    content = present(book.content, deps.settings.resolved_files_dir, limit=len(PHOTO))
    photo, note = content.files()[:2]
    assert photo.too_big and not photo.packed and photo.sha256
    assert note.packed
    r = Renderer("en", CN)
    assert files_cell(r, [photo]) == "too large for the package"
    assert files_cell(r, [photo, note]) == Link("INC-2026-0006-2.pdf", note.path)
