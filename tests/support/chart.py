"""Reading a PNG's size, and drawing without matplotlib's chatter."""

from __future__ import annotations

import io
import logging
import struct
import warnings
from collections.abc import Callable

from matplotlib.image import imread

from render.renderer import Renderer


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the PNG decodes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert imread(io.BytesIO(data)).shape[:2] == (height, width)
    return width, height


def quietly(draw: Callable[[Renderer], bytes], r: Renderer) -> bytes:
    """Draw, failing on any warning matplotlib gives: "Glyph … missing from font(s)" (a
    Chinese word drawn as empty boxes) or a font family not found."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            png = draw(r)
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    assert [str(w.message) for w in caught] == []
    assert [rec.getMessage() for rec in records] == []
    return png
