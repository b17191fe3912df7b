"""`dutydesk ledger-sample`: the ledger of a sample year, as an inspector would receive it.

A throw-away SQLite database gets the year of standin/ledger_year.py, made through the
services; its 2026 ledger is written as a spreadsheet, a chart and the two Word documents of the
inspection package (the yearly report's draft and the 台账 as tables) in each language, with a
picture of each document's first page as LibreOffice renders it, where LibreOffice is installed.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import MovableClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.db.migrate import upgrade
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from render.ledger_chart import chart_png
from render.ledger_export import workbook
from render.ledger_report import report_docx
from render.ledger_tables import tables_docx
from render.renderer import Renderer
from standin import office
from standin.ledger_year import ADMIN, OU, a_year, at

LOCALES = ("zh_CN", "en")


async def _make(out: Path, work: Path) -> list[Path]:
    engine = create_engine(f"sqlite+aiosqlite:///{work / 'sample.sqlite3'}")
    await upgrade(engine)
    settings = Settings(data_dir=work, admin_ids=(ADMIN.id,), _env_file=None)
    clock = MovableClock(at(1, 1, 9, 0))
    deps = Deps(settings=settings, db=Database(engine), clock=clock)
    try:
        await a_year(deps, clock)
        clock.set(at(1, 10, year=2027))
        zone: ZoneInfo = deps.zone
        book = await ledger.build(deps, OU, chosen("last_year", clock.now(), zone), export=True)
        written = []
        for locale in LOCALES:
            r = Renderer(locale, zone)
            sheet, chart = out / f"ledger-2026-{locale}.xlsx", out / f"ledger-2026-{locale}.png"
            sheet.write_bytes(workbook(book, r))
            chart.write_bytes(chart_png(book, r))
            report = out / f"report-2026-{locale}.docx"
            tables = out / f"ledger-2026-{locale}.docx"
            report.write_bytes(report_docx(book, r))
            tables.write_bytes(tables_docx(book, r))
            written += [sheet, chart, report, tables]
        if office.missing() is None:  # the first pages, as an inspector opens them
            documents = [p for p in written if p.suffix == ".docx"]
            for document, pdf in zip(documents, office.to_pdfs(documents, work), strict=True):
                written.append(office.first_page_png(pdf, out / f"{document.stem}-docx.png"))
        return written
    finally:
        await engine.dispose()


def make_sample(out: Path) -> list[Path]:
    """A sample year's ledger (`dutydesk ledger-sample`) written into `out` in both languages:
    workbook, chart, report and tables, and the documents' first pages when an office suite is
    at hand; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dutydesk-sample-") as work:
        return asyncio.run(_make(out, Path(work)))
