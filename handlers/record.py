"""/record REF and the Details buttons: the whole record the reader may see (R7, C), and its
attachments on request. Only reading: an inspector in office may use them too."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons.records import RecordAction, RecordButton
from bot.calendar.briefing import RECORD_LINK
from bot.context import Ctx
from bot.records import meetings
from bot.records import service as records
from bot.records.events import EventRecord
from bot.records.incidents import IncidentRecord
from bot.records.service import Record
from handlers.common import (
    is_private,
    private_only,
    reading_command,
    reply,
    tg_user,
    typed_button,
)
from handlers.growth_buttons import add_button, reopen_button
from handlers.record_render import event_messages, incident_messages, meeting_messages
from render.incident import evidence_text
from render.renderer import Renderer

# /start rec-INC-2026-0012: a Details link in a group's message (bot/calendar/briefing.py).
LINK = RECORD_LINK.removeprefix("start:")


# One callback per action of the record's buttons (bot/buttons/records.py).
reading = typed_button(RecordButton.unpack, reading=True)  # an inspector in office reads too (R7)


def details(r: Renderer, ref: str, prefix: str, record_id: int) -> tuple[str, str]:
    """The Details button for a listed reference."""
    button = RecordButton(RecordAction(prefix.lower()), record_id)
    return r.plain("Details of {ref}", ref=ref), button.pack()


async def _show(message: Message, r: Renderer, found: Record) -> None:
    if isinstance(found, IncidentRecord):
        parts = incident_messages(r, found)
        rows = []
        if found.attachments:
            rows.append(
                [(r.plain("Attachments"), RecordButton(RecordAction.ATTACHMENTS, found.id).pack())]
            )
        if found.may_add:  # records that grow (handlers/growth.py)
            rows.append([add_button(r, found.id)])
        if found.may_reopen:
            rows.append([reopen_button(r, found.id)])
    elif isinstance(found, EventRecord):
        parts, rows = event_messages(r, found), None
    else:
        parts, rows = meeting_messages(r, found), None
        if found.files:  # the minutes and photos (R7)
            rows = [
                [
                    (
                        r.plain("Attachments"),
                        RecordButton(RecordAction.MEETING_FILES, found.id).pack(),
                    )
                ]
            ]
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


@reading
async def on_details(update: Update, ctx: Ctx, b: RecordButton, user: User, r: Renderer) -> None:
    """Details (1rc:inc:<id>, 1rc:evt:<id>, 1rc:mtg:<id>): the whole record (R7)."""
    found = await records.read_by_id(ctx.deps, tg_user(user), b.action.value.upper(), b.record_id)
    if update.effective_message is not None:
        await _show(update.effective_message, r, found)


@reading
async def on_attachments(
    update: Update, ctx: Ctx, b: RecordButton, user: User, r: Renderer
) -> None:
    """Attachments of a report (1rc:at:<id>) or of a meeting (1rc:am:<id>), sent here (R7)."""
    if b.action == RecordAction.ATTACHMENTS:
        sent = await records.send_attachments(ctx.deps, tg_user(user), b.record_id)
    else:
        sent = await meetings.send_meeting_files(ctx.deps, tg_user(user), b.record_id)
    if update.effective_message is not None:
        await reply(update.effective_message, evidence_text(r, sent.ref, sent.attachments))
