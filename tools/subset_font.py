"""Subset Noto Sans CJK SC to the characters Duty Desk draws (`make font`).

The ledger's chart (handlers/ledger_chart.py) has Chinese labels, and the machine it runs on may
have no Chinese font at all. The full font is 16 MB; the subset keeps the glyphs of ASCII,
common CJK punctuation, every character of the zh_CN catalogue's translations and the month and
date words Babel writes in Chinese: a few hundred KB, shipped in the wheel.

Run it again when a translation brings a character the subset lacks:
tests/unit/test_ledger_chart.py says so. The full font comes from the PyPI package `mplfonts`
(pinned, checked by its hash); `--source FILE` uses a copy already at hand.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "messages.po"
TARGET = ROOT / "handlers" / "fonts" / "NotoSansSC-dutydesk.otf"

PACKAGE = "mplfonts==0.0.11"
MEMBER = "mplfonts/fonts/NotoSansCJKsc-Regular.otf"  # Noto Sans CJK SC 1.004, SIL OFL 1.1
SHA256 = "1652500938055a232cfbfa321de6ebaadfc5635dd9f75e369bc991d14a6512dd"
# A family name of its own, so that matplotlib finds this file and not a system-wide Noto Sans
# CJK (the chart names the family, then DejaVu Sans, for glyph-by-glyph fallback).
FAMILY, POSTSCRIPT = "Noto Sans SC DutyDesk", "NotoSansSC-DutyDesk"

ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
# Full-width punctuation of Chinese text, the dashes, quotes and arrows of both languages, and
# the minus sign matplotlib draws in tick labels.
PUNCTUATION = "、。，．：；！？（）《》〈〉「」『』【】〔〕［］｛｝〇…—–·・“”‘’～％＋－／＝→←↑↓−×"


def babel_words(locale: str = "zh_CN") -> str:
    """Month and date words as Babel writes them (1月, 2026年1月1日): not in the catalogue."""
    months = Locale.parse(locale).months
    words = [
        name for context in months.values() for width in context.values() for name in width.values()
    ]
    for month in range(1, 13):
        day = date(2026, month, 28)
        words += [format_date(day, "long", locale=locale)]
        words += [format_skeleton(s, day, locale=locale) for s in ("MMM", "yMMM", "yMMMM")]
    return "".join(words)


def catalogue_text(path: Path = CATALOGUE) -> str:
    """Every msgstr of the catalogue, joined."""
    with path.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    out: list[str] = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            out += [s for s in strings if s]
    return "".join(out)


def wanted() -> set[str]:
    """The characters the chart must draw: ASCII, punctuation, the catalogues' and Babel's words."""
    text = ASCII + PUNCTUATION + catalogue_text() + babel_words()
    return {c for c in text if not unicodedata.category(c).startswith("C")}  # no controls


def fetch(into: Path) -> Path:
    """The full font, taken out of the mplfonts wheel (pip download: the registry's client)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            "-d",
            str(into),
            PACKAGE,
        ],
        check=True,
    )
    [wheel] = into.glob("mplfonts-*.whl")
    with zipfile.ZipFile(wheel) as z:
        data = z.read(MEMBER)
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise SystemExit(f"{MEMBER} in {wheel.name} is not the font this script was written for")
    font = into / "NotoSansCJKsc-Regular.otf"
    font.write_bytes(data)
    return font


def make_subset(source: Path, target: Path, chars: set[str]) -> list[str]:
    """Write the subset; return the wanted characters the source font itself lacks."""
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright, licence and licence URL records (0, 13, 14)
    options.layout_features = []  # matplotlib draws glyph by glyph: no OpenType shaping
    options.drop_tables += ["GSUB", "GPOS", "BASE", "vhea", "vmtx", "VORG"]  # vertical text
    options.hinting = False  # matplotlib's Agg text is auto-hinted by FreeType
    options.recalc_timestamp = False  # the same input gives the same bytes
    font = TTFont(source, recalcTimestamp=False)
    cmap = font.getBestCmap()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    rename(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return sorted(c for c in chars if ord(c) not in cmap)


def rename(font: TTFont) -> None:
    """A subset is a Modified Version (OFL 1.1): it gets its own name; copyright, licence and
    trademark records stay."""
    names = {
        1: FAMILY,
        3: f"1.004;DutyDesk subset;{POSTSCRIPT}",
        4: f"{FAMILY} Regular",
        6: POSTSCRIPT,
        16: FAMILY,
    }
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    cff.topDictIndex[0].FamilyName, cff.topDictIndex[0].FullName = FAMILY, f"{FAMILY} Regular"


def main() -> None:
    """Write the chart's font subset (`make font`) and say which characters the font lacks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="NotoSansCJKsc-Regular.otf, if at hand")
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args()
    chars = wanted()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch(Path(tmp))
        lacking = make_subset(source, args.target, chars)
    print(
        f"{args.target.relative_to(ROOT) if args.target.is_relative_to(ROOT) else args.target}:"
        f" {len(chars)} characters, {args.target.stat().st_size // 1024} KB"
    )
    if lacking:
        print("not in the font itself (drawn with DejaVu Sans, if at all):", "".join(lacking))


if __name__ == "__main__":
    main()
