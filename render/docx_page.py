"""The page a Word document is printed on (render/docx_layout.Paper): paper, margins, line
grid, styles, page numbers and font table, in the layout of Chinese official documents (GB/T
9704-2012, 党政机关公文格式) or in a plain layout for English readers.

GB/T 9704: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in
方正小标宋简体 二号 (22 pt); the body in 仿宋_GB2312 三号 (16 pt), 22 lines of 28 characters
(a line pitch of 28.95 pt fills the 225 mm type area); first-level headings in 黑体, second-level
in 楷体_GB2312; page numbers "— 1 —" in 宋体 四号 (14 pt) at the outer bottom corner (right on odd
pages, left on even ones). The fonts are named as the standard names them; where a machine lacks
one, the font table names the common substitute (altName), which Word and LibreOffice take.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

CHARS = 28  # characters a line (GB/T 9704: 22 lines of 28 characters)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312")
NUMBER_FONT = "宋体"
# What follows w:spacing in a run's properties (ECMA-376 CT_RPr): the order Word insists on.
AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
# The substitute a machine without the standard's font uses (the font table's altName).
FALLBACKS = {
    "方正小标宋简体": "华文中宋",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}


@dataclass(frozen=True)
class Layout:
    title_font: str
    title_size: float
    body_font: str
    body_size: float
    latin_font: str  # digits and Latin letters in the body
    heading_fonts: tuple[str, str]
    number_font: str
    number_size: float
    line_pitch: float | None  # exact line spacing in points; None: single
    indent_chars: int  # first-line indent, in characters
    dashes: bool  # page numbers as "— 1 —" at the outer corner; else "1", centred
    bold_headings: bool


GB9704 = Layout(
    TITLE_FONT,
    22,
    BODY_FONT,
    16,
    "Times New Roman",
    HEADING_FONTS,
    NUMBER_FONT,
    14,
    28.95,
    2,
    True,
    False,
)
PLAIN = Layout(
    "Times New Roman",
    16,
    "Times New Roman",
    12,
    "Times New Roman",
    ("Times New Roman", "Times New Roman"),
    "Times New Roman",
    11,
    None,
    0,
    False,
    True,
)


def set_fonts(run_or_style: Any, east: str, latin: str) -> None:
    """Name the East Asian and the Latin font of a run or a style (w:rFonts)."""
    font = run_or_style.font
    font.name = latin
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east)


def prepare(doc: Any, layout: Layout) -> None:
    """Set up a new document for `layout`: the page and its grid, the styles, the page
    numbers, and the font table's substitutes."""
    _page(doc, layout)
    _styles(doc, layout)
    _numbers(doc, layout)
    _font_table(doc)


def _page(doc: Any, lay: Layout) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) if lay.dashes else Mm(15)
    if lay.line_pitch:  # the document grid: 22 lines a page
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(lay.line_pitch * 20)))


def _styles(doc: Any, lay: Layout) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal, lay.body_font, lay.latin_font)
    normal.font.size = Pt(lay.body_size)
    if lay.line_pitch:
        # 28 characters a line: the 156 mm type area holds 28 at 15.79 pt, so characters
        # set 0.25 pt closer (twentieths of a point, rounded down so that the 28th fits).
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(math.floor((Mm(156).pt / CHARS - lay.body_size) * 20)))
        normal.element.get_or_add_rPr().insert_element_before(condensed, *AFTER_SPACING)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if lay.line_pitch:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(lay.line_pitch)
    else:
        pf.space_after = Pt(6)
    _title_and_headings(doc, lay)


def _title_and_headings(doc: Any, lay: Layout) -> None:
    title = doc.styles["Title"]
    set_fonts(title, lay.title_font, lay.title_font)
    title.font.size = Pt(lay.title_size)
    title.font.bold = lay.bold_headings
    title.font.color.rgb = None
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.element.get_or_add_pPr().remove_all("w:pBdr")  # the template's blue rule
    for level, font in enumerate(lay.heading_fonts, start=1):
        style = doc.styles[f"Heading {level}"]
        set_fonts(style, font, font if lay.dashes else lay.latin_font)
        style.font.size = Pt(lay.body_size)
        style.font.bold = lay.bold_headings
        style.font.italic = False
        style.font.color.rgb = None
        spf = style.paragraph_format
        spf.space_before = spf.space_after = Pt(0 if lay.line_pitch else 6)
        spf.first_line_indent = Pt(lay.body_size * lay.indent_chars)
        if lay.line_pitch:
            spf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spf.line_spacing = Pt(lay.line_pitch)


def _numbers(doc: Any, lay: Layout) -> None:
    section = doc.sections[0]
    if lay.dashes:
        doc.settings.odd_and_even_pages_header_footer = True
        _number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT, lay)
        _number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT, lay)
    else:
        _number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER, lay)


def _number(paragraph: Any, align: Any, lay: Layout) -> None:
    """The page number as a PAGE field: "— 1 —" one character in from the outer edge."""
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    if lay.dashes:
        side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
        setattr(pf, side, Pt(lay.number_size))
    dash = ("— ", " —") if lay.dashes else ("", "")
    parts: list[tuple[str, str | None]] = [
        (dash[0], None),
        ("", "begin"),
        (" PAGE ", "instr"),
        ("", "end"),
        (dash[1], None),
    ]
    for text, field in parts:
        run = paragraph.add_run()
        set_fonts(run, lay.number_font, lay.number_font if lay.dashes else lay.latin_font)
        run.font.size = Pt(lay.number_size)
        if field == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif field is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), field)
            run._r.append(mark)
        elif text:
            run.text = text


def _font_table(doc: Any) -> None:
    """Each font the layout names, with its substitute (altName) for machines without it."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        xml = part.blob.decode("utf-8")
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="auto"/></w:font>'
            for name, alt in FALLBACKS.items()
        )
        part._blob = re.sub(r"(</w:fonts>)", entries + r"\1", xml).encode("utf-8")
