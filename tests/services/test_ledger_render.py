"""The package's Word documents as LibreOffice renders them (soffice --headless → PDF): they open,
run to the pages expected, and carry their Chinese text. `dutydesk ledger-sample` writes them
with a picture of each first page.

Needs LibreOffice and poppler-utils (.ci/run installs them from the distribution's packages and
sets DUTYDESK_TEST_REQUIRE_OFFICE=1, which turns their absence into a failure); elsewhere the
test is skipped with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from standin import office
from standin.sample import make_sample

REQUIRE = os.environ.get("DUTYDESK_TEST_REQUIRE_OFFICE") == "1"


@pytest.mark.slow
def test_the_sample_documents_render_with_libreoffice(tmp_path: Path) -> None:
    why = office.missing()
    if why is not None:
        if REQUIRE:
            pytest.fail(f"DUTYDESK_TEST_REQUIRE_OFFICE=1 but {why}")
        pytest.skip(why)
    written = {p.name for p in make_sample(tmp_path)}
    for locale in ("zh_CN", "en"):
        for stem in (f"report-2026-{locale}", f"ledger-2026-{locale}"):
            assert {f"{stem}.docx", f"{stem}-docx.png"} <= written
        assert (tmp_path / f"report-2026-{locale}-docx.png").read_bytes()[:4] == b"\x89PNG"
    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    report, tables, english = office.to_pdfs(
        [
            tmp_path / n
            for n in ("report-2026-zh_CN.docx", "ledger-2026-zh_CN.docx", "report-2026-en.docx")
        ],
        pdfs,
    )
    assert 4 <= office.pages(report) <= 12
    assert 2 <= office.pages(tables) <= 8
    assert office.pages(english) >= 3
    text = "".join(office.text(report).split())  # pdftotext spaces Chinese characters apart
    assert "关于2026年意识形态工作责任制落实情况的报告" in text
    assert "五、责任追查情况（C1—C12）" in text
    assert "【由办公室填写" in text
    assert "—1—" in text  # the page number
    assert "2026年意识形态工作台账" in "".join(office.text(tables).split())
    assert "Report on implementing" in office.text(english)
