"""The spreadsheet of a year (R7): opens with openpyxl and holds the hand-computed figures."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from bot.clock import MovableClock
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from render.ledger_export import workbook
from render.renderer import Renderer
from standin.ledger_year import CN, OU, a_year, at


def wall(*args: int) -> datetime:
    """Excel has no time zones: the file holds Beijing wall-clock times, naive."""
    return datetime(*args)  # type: ignore[arg-type]  # noqa: DTZ001


def rows(sheet: Any) -> list[list[Any]]:
    """A sheet's rows as lists of values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_year_as_a_spreadsheet(deps: Deps, clock: MovableClock) -> None:
    """The year's workbook: its sheets and their rows; its progress only moves forward."""
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    book = await ledger.build(deps, OU, chosen("last_year", clock.now(), CN), export=True)
    steps: list[float] = []
    data = workbook(book, Renderer("en", CN), steps.append)
    assert steps == sorted(steps) and steps[-1] == 1.0  # progress only moves forward
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == [
        "Summary",
        "Incidents",
        "Events",
        "Meetings",
        "Obligations",
        "Lapses",
        "Evidence by clause",
        "Evidence files",
    ]
    summary = dict(rows(wb["Summary"])[1:])
    assert summary["Period"] == "2026"
    assert summary["From"] == wall(2026, 1, 1) and summary["To"] == wall(2026, 12, 31)
    assert summary["Incidents reported"] == 5 and summary["Still open"] == 2
    assert summary["Network-security incident (Major)"] == 1
    assert summary["Information report"] == 1
    assert summary["Median time to acknowledge (hours)"] == 2.83  # 170 min
    assert summary["Slowest acknowledgement (hours)"] == 6
    assert summary["Median time to close (hours)"] == 48
    assert summary["Escalated by themselves"] == 2
    assert summary["Reported to the higher department"] == 2
    assert summary["Events requested"] == 6 and summary["Events approved"] == 3
    assert summary["Events filed with the publicity department"] == 2
    assert summary["Events held"] == 1 and summary["Median notice (days)"] == 18.5
    assert summary["Lapses"] == 17
    incidents = rows(wb["Incidents"])
    assert incidents[0][:3] == ["Reference", "Kind", "Severity"]
    assert [r[0] for r in incidents[1:]] == [f"INC-2026-{n:04d}" for n in range(1, 6)]
    i2 = dict(zip(incidents[0], incidents[2], strict=True))
    # Beijing wall-clock time, as an inspector reads it on paper.
    assert i2["Reported at"] == wall(2026, 4, 15, 10, 0)
    assert i2["Limit to acknowledge (L4)"] == wall(2026, 4, 15, 10, 15)
    assert i2["Hours to acknowledge"] == 0.67 and i2["Escalated by itself"] == "yes"
    assert i2["Secretary acknowledged at"] is None and i2["Hours to close"] == 24
    events = rows(wb["Events"])
    e5 = dict(zip(events[0], events[5], strict=True))
    assert (e5["Reference"], e5["Status"], e5["Filing reference"]) == (
        "EVT-2026-0005",
        "cleared",
        "宣备〔2026〕21号",
    )
    assert e5["Notice (days)"] == 18
    assert len(rows(wb["Meetings"])) == 1 + 3 + 1 + 10 + 4
    obligations = rows(wb["Obligations"])
    assert [
        "A2",
        "Quarterly review (A2) · Q2 2026",
        wall(2026, 4, 1),
        wall(2026, 6, 30),
        0,
        1,
        "not met",
    ] in obligations
    lapses = rows(wb["Lapses"])
    assert len(lapses) == 1 + 17
    assert lapses[1] == [
        wall(2026, 4, 15, 10, 15),
        "L4",
        "INC-2026-0002: acknowledged 25 min after its limit (L4)",
        0.42,
    ]
    assert lapses[-1][1:3] == ["R2", "2026: 1 of at least 2 dedicated meetings (R2)"]
    evidence = rows(wb["Evidence by clause"])
    a2 = [r for r in evidence if r[0] == "A2"]
    assert [r[2] for r in a2] == ["Reminder sent", "Meeting", "Lapse", "Meeting", "Meeting"]
    assert a2[1][1] == wall(2026, 3, 25) and a2[1][4] == "MTG-2026-0006 · 一季度分析研判"
    assert a2[0][4] == "Q1 2026"
    # Sized and frozen so it can be read as it opens.
    sheet = wb["Incidents"]
    assert sheet.freeze_panes == "A2"
    widths = sheet.column_dimensions
    assert widths["B"].width == len("Network-security incident") + 2  # the widest value
    assert widths["F"].width == len("2026-04-15 10:00") + 2


async def test_an_empty_period_still_makes_a_file(deps: Deps, clock: MovableClock) -> None:
    """A period without records still makes a whole workbook, in the reader's language."""
    clock.set(at(3, 1))
    book = await ledger.build(deps, OU, chosen("this_quarter", clock.now(), CN), export=True)
    wb = load_workbook(BytesIO(workbook(book, Renderer("zh_CN", CN))))
    assert wb.sheetnames == [
        "概况",
        "突发事件",
        "活动",
        "会议",
        "制度要求落实情况",
        "未落实事项",
        "条款佐证记录",
        "证明材料",
    ]
    assert rows(wb["突发事件"])[0][:4] == ["编号", "类别", "等级", "状态"]
    assert rows(wb[wb.sheetnames[1]])[1:] == []
