"""The package's two Word documents (R7): the official-document layout of GB/T 9704 (page,
margins, fonts, line grid, page numbers), the report's headings per rule set with the ledger's
own figures, the places left for the office, and the 台账 as one table per area."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.clock import MovableClock
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from bot.ledger.service import Ledger
from render.ledger_report import report_docx
from render.ledger_tables import tables_docx
from render.renderer import Renderer
from standin.ledger_year import CN, OU, a_year, at


async def year(deps: Deps, clock: MovableClock) -> Ledger:
    """The ledger of 2026, built for the office on January 10, 2027."""
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    return await ledger.build(deps, OU, chosen("last_year", clock.now(), CN), export=True)


def east_asian(style: Any) -> str:
    """The East Asian font a style names (w:rFonts)."""
    return str(style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")))


def near(value: int, expected: int) -> bool:
    """Equal within 0.1 mm: Word's units round."""
    return abs(value - expected) < Mm(0.1)


def headings(doc: Any, level: int) -> list[str]:
    """The texts of the document's headings of one level, in order."""
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def figures(doc: Any) -> dict[str, str]:
    """Every two-column figures table of the report: label → value."""
    out = {}
    for table in doc.tables:
        if len(table.columns) == 2:
            out |= {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    return out


@pytest.mark.parametrize("make", [report_docx, tables_docx])
async def test_the_chinese_documents_follow_gb_t_9704(
    deps: Deps, clock: MovableClock, make: Any
) -> None:
    """GB/T 9704: A4, its margins, its fonts and sizes, 22 lines a page, page numbers at the outer
    corners."""
    book = await year(deps, clock)
    doc = Document(BytesIO(make(book, Renderer("zh_CN", CN))))
    section = doc.sections[0]
    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))
    assert near(section.top_margin, Mm(37)) and near(section.bottom_margin, Mm(35))
    assert near(section.left_margin, Mm(28)) and near(section.right_margin, Mm(26))
    styles = doc.styles
    assert east_asian(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size == Pt(22)
    assert east_asian(styles["Normal"]) == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16)
    assert east_asian(styles["Heading 1"]) == "黑体"
    assert east_asian(styles["Heading 2"]) == "楷体_GB2312"
    # 22 lines a page: the grid's pitch and the body's exact spacing (28.95 pt).
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"
    assert styles["Normal"].paragraph_format.line_spacing == Pt(28.95)
    # 28 characters a line: 156 mm hold 28 at 15.79 pt, so the characters are set 0.25 pt closer.
    spacing = styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"
    # Page numbers "— 1 —" in 宋体 四号, outer corner: right on odd pages, left on even ones.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        number = footer.paragraphs[0]
        assert number.text == "—  —"  # the PAGE field between the dashes
        assert b"PAGE" in number._p.xml.encode() and align in number._p.xml
        assert number.runs[0].font.size == Pt(14)
        assert number.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert doc.paragraphs[0].style.name == "Title"
    # Where the standard's fonts are missing, the font table names the common substitutes.
    table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    fonts = table.blob.decode()
    for font, substitute in (
        ("方正小标宋简体", "华文中宋"),
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("黑体", "SimHei"),
    ):
        assert f'<w:font w:name="{font}"><w:altName w:val="{substitute}"/>' in fonts


async def test_the_report_has_the_rule_sets_and_the_ledgers_figures(
    deps: Deps, clock: MovableClock
) -> None:
    """The report's draft: a heading per rule set in the regulation's order, the ledger's figures
    in each."""
    book = await year(deps, clock)
    doc = Document(BytesIO(report_docx(book, Renderer("en", CN))))
    assert doc.paragraphs[0].text == (
        "Report on implementing the ideological work responsibility system in 2026"
    )
    assert headings(doc, 1) == [
        "1. Implementing the responsibility (R1–R8)",
        "2. Linked handling of incidents (L1–L5)",
        "3. Regular analysis and review (A1–A4)",
        "4. Platform management (P1–P4)",
        "5. Accountability (C1–C12)",
        "6. Problems and next steps",
    ]
    assert headings(doc, 2)[:2] == ["1.1 Dedicated meetings (R2)", "1.2 Study sessions (R3)"]
    seen = figures(doc)
    inc, ev = book.incident_figures, book.event_figures
    assert seen["Incidents reported"] == str(inc.total) == "5"
    assert seen["Reported to the higher department"] == str(inc.upward) == "2"
    assert seen["Escalated by themselves"] == str(inc.escalated)
    assert seen["Events requested"] == str(ev.requested) == "6"
    assert seen["Events approved"] == str(ev.steps["approved"]) == "3"
    assert seen["Events filed with the publicity department"] == str(ev.steps["filed"])
    assert seen["Lapses"] == str(len(book.lapses)) == "17"
    assert (seen["Dedicated meetings held (R2)"], seen["Dedicated meetings required (R2)"]) == (
        "1",
        "2",
    )
    assert (seen["Quarterly reviews held (A2)"], seen["Quarterly reviews required (A2)"]) == (
        "3",
        "4",
    )
    assert seen["Median time to acknowledge"] == "2 h 50 min"  # 170 min, as the ledger's
    text = [p.text for p in doc.paragraphs]
    assert "June 10, 2026: 意识形态工作专题会议" in text  # meetings with dates and subjects
    assert "INC-2026-0001: reported to 市委网信办 on February 10, 2026." in text
    kinds = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kind")
    by_kind = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in kinds.rows[1:]}
    assert by_kind == {  # reported, median and slowest time to acknowledge, reported upward
        "Incident at an event (Major)": ["1", "—", "—", "1"],
        "Information report": ["1", "5 h 0 min", "5 h 0 min", "0"],
        "Network-security incident (General)": ["1", "6 h 0 min", "6 h 0 min", "0"],
        "Network-security incident (Major)": ["1", "20 min", "20 min", "1"],
        "Public-opinion incident (Critical)": ["1", "40 min", "40 min", "0"],
    }
    followed = [t for t in text if t.startswith("INC-2026-0002: acknowledged 25 min")]
    assert followed == [
        "INC-2026-0002: acknowledged 25 min after its limit (L4). What followed: closed"
    ]
    places = [p for p in doc.paragraphs if p.text.startswith("[For the office to write")]
    assert len(places) == 7 and all(p.runs[0].bold for p in places)


async def test_the_chinese_report_leaves_marked_places_for_the_office(
    deps: Deps, clock: MovableClock
) -> None:
    """The Chinese report: official title and numbering, records cited by reference, marked places
    the office writes."""
    book = await year(deps, clock)
    doc = Document(BytesIO(report_docx(book, Renderer("zh_CN", CN))))
    assert doc.paragraphs[0].text == "关于2026年意识形态工作责任制落实情况的报告"
    assert headings(doc, 1)[0] == "一、意识形态责任落实情况（R1—R8）"
    assert headings(doc, 2)[:4] == [
        "（一）意识形态工作专题会议（R2）",
        "（二）理论学习（R3）",
        "（三）已审批活动（R6）",
        "（一）按类别和等级统计",
    ]
    assert "EVT-2026-0001“理论宣讲报告会”：已批准并备案，可以举办；备案文号宣备〔2026〕3号" in [
        p.text for p in doc.paragraphs
    ]
    assert len([p for p in doc.paragraphs if p.text.startswith("【由办公室填写：")]) == 7
    assert doc.paragraphs[-1].text == "2027年1月10日"  # the date as a Chinese document writes it
    assert "2026年6月10日：意识形态工作专题会议" in [p.text for p in doc.paragraphs]


async def test_the_ledger_document_has_a_table_per_area(deps: Deps, clock: MovableClock) -> None:
    """The 台账 as tables: one per area, a row per record."""
    book = await year(deps, clock)
    doc = Document(BytesIO(tables_docx(book, Renderer("en", CN))))
    assert headings(doc, 1)[:3] == [
        "1. Incidents and information reports (L4, P1–P3)",
        "2. Report meetings, seminars, lectures and forums (R6)",
        "3. Dedicated meetings (R2)",
    ]
    incidents, events, dedicated, study, reviews, analyses, lapses = doc.tables
    assert len(incidents.rows) == 1 + len(book.incidents)
    assert incidents.rows[1].cells[0].text == "INC-2026-0001\nNetwork-security incident (Major)"
    assert "市委网信办" in incidents.rows[1].cells[4].text
    assert len(events.rows) == 1 + len(book.events)
    assert "宣备〔2026〕3号" in events.rows[1].cells[4].text
    assert len(dedicated.rows) == 2 and len(study.rows) == 1 + 10 and len(reviews.rows) == 1 + 3
    assert len(analyses.rows) == 1 + 4 and len(lapses.rows) == 1 + 17
    assert "None in this period." in [p.text for p in doc.paragraphs]  # no other meetings
    # The header row repeats on every printed page.
    assert incidents.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


async def test_english_readers_get_the_same_structure_plainly(
    deps: Deps, clock: MovableClock
) -> None:
    """In English: the same structure, plainly laid out (Times New Roman, numbers centred)."""
    book = await year(deps, clock)
    doc = Document(BytesIO(report_docx(book, Renderer("en", CN))))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert not doc.settings.odd_and_even_pages_header_footer
    assert doc.sections[0].footer.paragraphs[0].text == ""  # the PAGE field alone, centred
    assert near(doc.sections[0].top_margin, Mm(37))
