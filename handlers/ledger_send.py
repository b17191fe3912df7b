"""The ledger's files sent to the reader: the chart, and the inspection package (R7), made in a
worker thread while one message shows the progress, so other people's updates go on meanwhile.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from telegram import InputFile, Message, User
from telegram.constants import ParseMode

from bot.context import Ctx
from bot.ledger import service as ledger
from bot.ledger.period import LedgerPeriod, token
from bot.ledger.service import Ledger
from handlers.common import tg_user
from render.ledger_words import period_name
from render.renderer import Renderer

T = TypeVar("T")
UPLOAD_RATE = 500_000  # bytes a second: the slowest upload a package part is given time for


class _Progress:
    """How far the worker thread is, read by the event loop."""

    def __init__(self) -> None:
        self.value = 0.0
        self._lock = threading.Lock()

    def set(self, value: float) -> None:
        with self._lock:
            self.value = value


def caption(r: Renderer, book: Ledger) -> str:
    """The chart's caption: the period's counts of incidents, events and lapses."""
    counts = r.items(
        [
            r.plural("{n} incident", "{n} incidents", len(book.incidents)),
            r.plural("{n} event", "{n} events", len(book.events)),
            r.plural("{n} lapse", "{n} lapses", len(book.lapses)),
        ]
    )
    return r("Ledger: {period}. {counts}.", period=period_name(r, book.period), counts=counts)


# matplotlib, openpyxl and python-docx are imported by the first chart or package, in its
# worker thread, not when the bot starts: together they were 0.7 s of a 1.5 s start
# (docs/decisions/006-performance.md).
def _draw(book: Ledger, r: Renderer) -> bytes:
    from render.ledger_chart import chart_png

    return chart_png(book, r)


def _pack(
    book: Ledger, r: Renderer, root: Path, out: Path, progress: Callable[[float], None]
) -> list[Path]:
    from handlers import ledger_package

    return ledger_package.build(book, r, root, out, progress, ledger_package.MAX_PART)


async def chart(ctx: Ctx, r: Renderer, user: User, chat_id: int, period: LedgerPeriod) -> None:
    """The period's chart as a photo; drawn in a worker thread (matplotlib, Agg)."""
    book = await ledger.build(ctx.deps, tg_user(user), period)
    png = await asyncio.to_thread(_draw, book, r)
    name = f"dutydesk-ledger-{token(book.period)}.png"
    await ctx.bot.send_photo(
        chat_id,
        InputFile(BytesIO(png), filename=name),
        caption=caption(r, book),
        parse_mode=ParseMode.HTML,
    )


async def package(ctx: Ctx, r: Renderer, user: User, chat_id: int, period: LedgerPeriod) -> None:
    """Read (only what the reader may see), build the package off the event loop, send it —
    in numbered parts when it is larger than a bot may send as one document."""
    status: Message | None = None
    out = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="dutydesk-package-"))
    try:
        status = await ctx.bot.send_message(
            chat_id, r("Preparing the inspection package… {percent}%", percent=0)
        )
        book = await ledger.build(ctx.deps, tg_user(user), period, export=True)
        root = ctx.deps.settings.resolved_files_dir
        parts = await _with_progress(status, r, lambda p: _pack(book, r, root, out, p))
        if len(parts) > 1:
            await ctx.bot.send_message(
                chat_id,
                r(
                    "The package is larger than a bot may send as one file (50 MB), so it comes in "
                    "{n} parts. Unzip them all into one folder: the links in the spreadsheet then "
                    "open the evidence files.",
                    n=len(parts),
                ),
            )
        for n, path in enumerate(parts, start=1):
            text = caption(r, book)
            if len(parts) > 1:
                text = r("Part {n} of {total}.", n=n, total=len(parts)) + "\n" + text
            data = await asyncio.to_thread(path.read_bytes)
            # A part may be near 50 MB: the upload gets a time that fits 0.5 MB/s (the
            # transport's default for media, 20 s, needs 20 Mbit/s), and Telegram some time to
            # take it in before it answers.
            await ctx.bot.send_document(
                chat_id,
                InputFile(BytesIO(data), filename=path.name),
                caption=text,
                parse_mode=ParseMode.HTML,
                write_timeout=max(20.0, len(data) / UPLOAD_RATE),
                read_timeout=60.0,
            )
        await status.edit_text(r("The inspection package is ready."))
    except Exception:
        if status is not None:  # nobody is left looking at a frozen percentage
            await status.edit_text(r("The inspection package could not be made; please try again."))
        raise
    finally:
        await asyncio.to_thread(shutil.rmtree, out, True)


async def _with_progress(
    status: Message, r: Renderer, make: Callable[[Callable[[float], None]], T]
) -> T:
    progress = _Progress()
    task = asyncio.ensure_future(asyncio.to_thread(make, progress.set))
    shown = 0
    while True:
        done, _ = await asyncio.wait({task}, timeout=1.0)
        if done:
            return task.result()
        percent = int(progress.value * 10) * 10
        if percent > shown:  # at most one edit a second, only when it moved
            shown = percent
            await status.edit_text(
                r("Preparing the inspection package… {percent}%", percent=percent)
            )
