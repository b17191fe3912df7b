"""Word documents rendered as LibreOffice renders them (headless), for the sample's pictures and
the render test: .docx → PDF (soffice), → the first page as PNG (pdftoppm, poppler-utils).

Neither program is a dependency of the bot: each function says when one is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180  # seconds: LibreOffice's first start on a cold machine is slow


def soffice() -> str | None:
    """The LibreOffice program on this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing() -> str | None:
    """Why documents cannot be rendered here, or None when they can."""
    if soffice() is None:
        return "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    for tool in ("pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: apt-get install poppler-utils"
    return None


def to_pdfs(documents: list[Path], out: Path) -> list[Path]:
    """The documents as PDFs in `out`, in one start of LibreOffice (a start costs seconds).
    Each call has a LibreOffice profile of its own, so conversions running side by side (test
    workers) do not wait on one another's lock."""
    program = soffice()
    assert program is not None, missing()
    with tempfile.TemporaryDirectory(prefix="dutydesk-office-") as profile:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, documents),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
    pdfs = [out / f"{document.stem}.pdf" for document in documents]
    for pdf in pdfs:
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice wrote no {pdf.name}")
    return pdfs


def first_page_png(pdf: Path, png: Path, dpi: int = 60) -> Path:
    """The PDF's first page as a PNG (pdftoppm)."""
    stem = png.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return png


def pages(pdf: Path) -> int:
    """How many pages the PDF has (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError(f"pdfinfo named no page count for {pdf.name}")


def text(pdf: Path) -> str:
    """The PDF's text, laid out as on the page (pdftotext)."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
