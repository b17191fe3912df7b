"""The typed buttons that only read (records, /find's pages): an inspector in office may press
them too (R7), as `handlers.common.reading_button` lets them press the untyped ones."""

from __future__ import annotations

from collections.abc import Callable

from handlers.common import Handler, Pressed, TypedCallback, _pressed


def reading_typed_button(
    unpack: Callable[[str | None], Pressed | None],
) -> Callable[[TypedCallback[Pressed]], Handler]:
    """`handlers.common.typed_button` for a button that only reads, e.g.
    `@reading_typed_button(RecordButton.unpack)`: the same gate, which an inspector in office
    passes (R7), and the same answer."""

    def wrap(func: TypedCallback[Pressed]) -> Handler:
        return _pressed(func, unpack, gated=True, reading=True)

    return wrap
