"""The HTML parser on its own: visible text, entity offsets in UTF-16 units, trimming."""

from __future__ import annotations

import pytest

from standin.html_check import ParseError, parse_html, trim, utf16_length


def test_entities_count_utf16_units() -> None:
    text, entities = parse_html("😀 <b>粗</b> <i><u>x</u></i>")
    assert text == "😀 粗 x"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "italic", "offset": 5, "length": 1},
        {"type": "underline", "offset": 5, "length": 1},
    ]
    assert utf16_length("😀中") == 3


def test_pre_with_language_and_attributes() -> None:
    text, entities = parse_html(
        "<pre><code class='language-python'>a &lt; b</code></pre><a href=x.org>l</a>"
    )
    assert text == "a < bl"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "text_link", "offset": 5, "length": 1, "url": "x.org"},
    ]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b x>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ("<i>x</i", "Unclosed end tag at byte offset 4"),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ('<tg-emoji emoji-id="x">e</tg-emoji>', "Invalid custom emoji identifier"),
    ],
)
def test_refusals(html: str, error: str) -> None:
    with pytest.raises(ParseError, match=error):
        parse_html(html)


def test_literal_ampersands_and_numeric_entities() -> None:
    assert parse_html("AT&T &amp &#0; &#x1F600;")[0] == "AT&T & &#0; 😀"


def test_trim_moves_entities() -> None:
    text, entities = trim("\n <b>x</b> ", [{"type": "bold", "offset": 2, "length": 3}])
    assert text == "<b>x</b>"
    assert entities == [{"type": "bold", "offset": 0, "length": 3}]
