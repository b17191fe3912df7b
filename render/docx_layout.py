"""Word documents in the layout of Chinese official documents (GB/T 9704-2012, 党政机关公文格式)
or a plain one for English readers: what a document holds — title, numbered headings, paragraphs,
places the office fills in, the signature, ruled tables. The page, its styles and page numbers
are set up by render/docx_page.py."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from render.docx_page import GB9704, PLAIN, Layout, prepare

NUMERALS = "一二三四五六七八九十"
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


def layout_for(locale: str) -> Layout:
    """GB/T 9704's layout for a Chinese reader, the plain one for the others."""
    return GB9704 if locale.startswith("zh") else PLAIN


class Paper:
    """One document: its page, its styles, and paragraphs added in order."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.doc: Any = Document()
        self._numbered = [0, 0]  # the current first-level heading, its second-level ones
        prepare(self.doc, layout)

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
