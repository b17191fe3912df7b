"""/record REF and the Details buttons: the whole record the reader may see (R7, C), and its
attachments on request. Only reading: an inspector in office may use them too."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.calendar.briefing import RECORD_LINK
from bot.context import Ctx
from bot.errors import StaleButton
from bot.records import meetings
from bot.records import service as records
from bot.records.service import EventRecord, IncidentRecord, Record
from handlers import callback_data as cd
from handlers.common import (
    is_private,
    private_only,
    reading_button,
    reading_command,
    reply,
    tg_user,
)
from handlers.growth_buttons import add_button, reopen_button
from handlers.record_render import event_messages, incident_messages, meeting_messages
from render.incident import evidence_text
from render.renderer import Renderer

DOMAIN = "rc"
# /start rec-INC-2026-0012: a Details link in a group's message (bot/calendar/briefing.py).
LINK = RECORD_LINK.removeprefix("start:")


def details(r: Renderer, ref: str, prefix: str, record_id: int) -> tuple[str, str]:
    """The Details button for a listed reference."""
    return r.plain("Details of {ref}", ref=ref), cd.encode(DOMAIN, prefix.lower(), record_id)


async def _show(message: Message, r: Renderer, found: Record) -> None:
    if isinstance(found, IncidentRecord):
        parts = incident_messages(r, found)
        rows = []
        if found.attachments:
            rows.append([(r.plain("Attachments"), cd.encode(DOMAIN, "at", found.id))])
        if found.may_add:  # records that grow (handlers/growth.py)
            rows.append([add_button(r, found.id)])
        if found.may_reopen:
            rows.append([reopen_button(r, found.id)])
    elif isinstance(found, EventRecord):
        parts, rows = event_messages(r, found), None
    else:
        parts, rows = meeting_messages(r, found), None
        if found.files:  # the minutes and photos (R7)
            rows = [[(r.plain("Attachments"), cd.encode(DOMAIN, "am", found.id))]]
    for number, part in enumerate(parts, 1):
        await reply(message, part, (rows or None) if number == len(parts) else None)


@reading_command
async def record_command(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer
) -> None:
    """/record INC-2026-0012, /record EVT-2026-0007 or /record MTG-2026-0003."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    ref = " ".join(ctx.args or [])
    await _show(message, r, await records.read(ctx.deps, tg_user(user), ref))


async def open_link(message: Message, ctx: Ctx, r: Renderer, user: User, payload: str) -> None:
    """The record a Details link names, in the private chat (the reader's visibility holds)."""
    await _show(message, r, await records.read(ctx.deps, tg_user(user), payload.removeprefix(LINK)))


@reading_button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Details (rc:inc:<id>, rc:evt:<id>, rc:mtg:<id>) and Attachments (rc:at:<id> of a
    report, rc:am:<id> of a meeting)."""
    record_id = data.int_arg(0)
    message = update.effective_message
    if record_id is None or message is None:
        raise StaleButton()
    me = tg_user(user)
    if data.action in ("at", "am"):
        send = records.send_attachments if data.action == "at" else meetings.send_meeting_files
        sent = await send(ctx.deps, me, record_id)
        await reply(message, evidence_text(r, sent.ref, sent.attachments))
        return None
    if data.action not in ("inc", "evt", "mtg"):
        raise StaleButton()
    found = await records.read_by_id(ctx.deps, me, data.action.upper(), record_id)
    await _show(message, r, found)
    return None
