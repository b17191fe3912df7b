"""The briefing before a quarterly review (A1, A2) as a Word document, in the layout of the
inspection package's documents (render/docx_layout.py): for printing before the meeting."""

from __future__ import annotations

import asyncio
from io import BytesIO
from typing import Any

from telegram import InputFile, Update, User

from bot.calendar import briefing
from bot.context import Ctx
from handlers.common import tg_user
from render import briefing as words
from render.docx_layout import NUMERALS, Paper, layout_for
from render.renderer import Renderer


def briefing_docx(r: Renderer, params: dict[str, Any], lines: list[list[Any]]) -> bytes:
    """Its title, each section a numbered heading, each incident or lapse a paragraph."""
    paper = Paper(layout_for(r.locale))
    paper.title(words.title(r, params))
    number = 0
    for heading, text in words.document_lines(r, lines):
        if not heading:
            paper.para(text)
            continue
        number += 1  # first-level headings carry their number (GB/T 9704: 一、二、…)
        chinese = r.locale.startswith("zh") and number <= len(NUMERALS)
        paper.heading((f"{NUMERALS[number - 1]}、" if chinese else f"{number}. ") + text)
    return paper.save()


async def send(update: Update, ctx: Ctx, user: User, r: Renderer, occurrence_id: int) -> str:
    """1cl:bd:<occurrence>: the briefing sent to this chat, as a document in it."""
    chat = update.effective_chat
    assert chat is not None
    params, lines = await briefing.as_sent(ctx.deps, tg_user(user), occurrence_id, chat.id)
    data = await asyncio.to_thread(briefing_docx, r, params, lines)
    name = r.plain("briefing-{period}.docx", period=params["key"].split(":")[1])
    await ctx.bot.send_document(
        chat.id, InputFile(BytesIO(data), filename=name), caption=words.title(r, params)
    )
    return r.plain("The briefing as a document is in this chat.")
