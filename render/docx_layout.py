"""Word documents in the layout of Chinese official documents (GB/T 9704-2012, 党政机关公文格式),
and the same structure in a plain layout for English readers.

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
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

CHARS = 28  # characters a line (GB/T 9704: 22 lines of 28 characters)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = ("黑体", "楷体_GB2312")
NUMBER_FONT = "宋体"
NUMERALS = "一二三四五六七八九十"
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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _paragraph(text: str, size: float, *, bold: bool = False) -> str:
    """One cell's paragraph as WordprocessingML: single spacing, off the page's line grid,
    each line of the text a line of its own."""
    half_points = round(size * 2)
    props = (
        f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
    )
    runs = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>'
        for line in _CONTROL.sub("", text).split("\n")
    )
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/></w:pPr>'
        f"<w:r>{props}{runs}</w:r></w:p>"
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


def layout_for(locale: str) -> Layout:
    return GB9704 if locale.startswith("zh") else PLAIN


def _fonts(run_or_style: Any, east: str, latin: str) -> None:
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


class Paper:
    """One document: its page, its styles, and paragraphs added in order."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.doc: Any = Document()
        self._numbered = [0, 0]  # the current first-level heading, its second-level ones
        self._page()
        self._styles()
        self._numbers()
        self._font_table()

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28) if self.layout.dashes else Mm(15)
        if self.layout.line_pitch:  # the document grid: 22 lines a page
            grid = section._sectPr.find(qn("w:docGrid"))
            if grid is None:
                grid = OxmlElement("w:docGrid")
                section._sectPr.append(grid)
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(round(self.layout.line_pitch * 20)))

    def _styles(self) -> None:
        lay = self.layout
        normal = self.doc.styles["Normal"]
        _fonts(normal, lay.body_font, lay.latin_font)
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
        title = self.doc.styles["Title"]
        _fonts(title, lay.title_font, lay.title_font)
        title.font.size = Pt(lay.title_size)
        title.font.bold = lay.bold_headings
        title.font.color.rgb = None
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.element.get_or_add_pPr().remove_all("w:pBdr")  # the template's blue rule
        for level, font in enumerate(lay.heading_fonts, start=1):
            style = self.doc.styles[f"Heading {level}"]
            _fonts(style, font, font if lay.dashes else lay.latin_font)
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

    def _numbers(self) -> None:
        section = self.doc.sections[0]
        if self.layout.dashes:
            self.doc.settings.odd_and_even_pages_header_footer = True
            self._number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
            self._number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        else:
            self._number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)

    def _number(self, paragraph: Any, align: Any) -> None:
        """The page number as a PAGE field: "— 1 —" one character in from the outer edge."""
        lay = self.layout
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
            _fonts(run, lay.number_font, lay.number_font if lay.dashes else lay.latin_font)
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

    def _font_table(self) -> None:
        """Each font the layout names, with its substitute (altName) for machines without it."""
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) != "/word/fontTable.xml":
                continue
            xml = part.blob.decode("utf-8")
            entries = "".join(
                f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                f'<w:family w:val="auto"/></w:font>'
                for name, alt in FALLBACKS.items()
            )
            part._blob = re.sub(r"(</w:fonts>)", entries + r"\1", xml).encode("utf-8")

    # --- content -------------------------------------------------------------------------
    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")
        if self.layout.line_pitch:
            self.doc.add_paragraph()  # GB/T 9704: one empty line below the title

    def heading(self, text: str, level: int = 1) -> None:
        """A heading; a second-level one numbered under its first: （一） in the official
        layout, 1.1 in the plain one (first-level headings carry their number in the text)."""
        if level == 1:
            self._numbered = [self._numbered[0] + 1, 0]
        else:
            self._numbered[1] += 1
            top, sub = self._numbered
            number = f"（{NUMERALS[sub - 1]}）" if self.layout.dashes else f"{top}.{sub} "
            text = number + text
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def para(self, text: str, *, indent: bool = True, align: Any = None) -> Any:
        paragraph = self.doc.add_paragraph(text)
        if indent and self.layout.indent_chars:
            size = self.layout.body_size * self.layout.indent_chars
            paragraph.paragraph_format.first_line_indent = Pt(size)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def placeholder(self, text: str) -> None:
        """A place the office writes itself: marked in brackets, bold, highlighted."""
        paragraph = self.para("")
        run = paragraph.add_run(text)
        run.bold = True
        run.font.highlight_color = 7  # WD_COLOR_INDEX.YELLOW

    def signature(self, lines: list[str]) -> None:
        self.para("")
        for line in lines:
            self.para(line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def table(self, headers: list[str], rows: list[list[str]], *, small: bool = False) -> Any:
        """A ruled table whose header repeats on every page; its text one size down (四号,
        14 pt), or for the 台账's wide tables 五号 (10.5 pt), so that a row fits the width."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = 10.5 if small else self.layout.body_size - 2 if self.layout.line_pitch else 10
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        header._tr.get_or_add_trPr().append(repeat)
        widths = []
        for cell, text in zip(header.cells, headers, strict=True):
            cell._tc.clear_content()
            cell._tc.append(parse_xml(_paragraph(text, size, bold=True)))
            widths.append(cell._tc.tcPr.tcW.w)
        # The body's rows as one piece of XML: python-docx adds a row in milliseconds, and a
        # year's 台账 may hold tens of thousands.
        body = "".join(
            "<w:tr>"
            + "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f"{_paragraph(text, size)}</w:tc>"
                for width, text in zip(widths, row, strict=True)
            )
            + "</w:tr>"
            for row in rows
        )
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
            table._tbl.append(tr)
        return table

    def save(self) -> bytes:
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()
