"""The handler's card: Acknowledge, Add update, Escalate upward, Contain, Close, Timeline,
Attachments, each press leaving the card as the incident now stands; and /pending. Pull in is
handlers/pull_in.py, the buttons of records that grow handlers/growth.py, the timeline's
words handlers/incident_timeline.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Message, Update, User
from telegram.error import BadRequest

from bot.buttons.incidents import IncidentAction, IncidentButton
from bot.context import Ctx
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import AlreadyDone, DomainError
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents import actions, evidence
from bot.incidents import queries as incidents
from bot.people import service as people
from bot.people.view import TgUser
from handlers import replay
from handlers.common import (
    answer_while,
    command,
    edit_or_send,
    is_private,
    private_only,
    reply,
    tg_user,
    typed_button,
)
from handlers.incident_timeline import timeline_text
from render.incident import card, evidence_text
from render.renderer import Renderer, keyboard

FLOW_UPDATE, FLOW_UPWARD, FLOW_CLOSE = "inc_update", "inc_upward", "inc_close"
# One callback per action of the card (bot/buttons/incidents.py), each registered by its
# pattern in handlers/__init__.register; authority is checked in the services.
pressed = typed_button(IncidentButton.unpack)


@pressed
async def on_acknowledge(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> str:
    """1in:ak: the handler acknowledges the incident (L4); the card shows it."""
    done = await _first_or_shown(update, ctx, r, b, user, actions.acknowledge)
    toast = r("You acknowledged {ref}.", ref=done.ref)
    return await _answer_with_card(update, ctx, r, b, user, toast)


@pressed
async def on_contain(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> str:
    """1in:ct: the incident is contained, which acknowledges it too when nobody had (L4)."""
    done = await _first_or_shown(update, ctx, r, b, user, actions.contain)
    if done.acknowledged:
        toast = r(
            "{ref} is marked as contained; this also records your acknowledgement.", ref=done.ref
        )
    else:
        toast = r("{ref} is marked as contained.", ref=done.ref)
    return await _answer_with_card(update, ctx, r, b, user, toast)


async def _first_or_shown(
    update: Update,
    ctx: Ctx,
    r: Renderer,
    b: IncidentButton,
    user: User,
    step: Callable[[Deps, TgUser, int], Awaitable[actions.Done]],
) -> actions.Done:
    """The step done by this press; when another was first, the pressed message shows who."""
    me = tg_user(user)
    try:
        return await step(ctx.deps, me, b.incident_id)
    except AlreadyDone:
        await _show(update, r, await _current(ctx, me, b.incident_id), b)
        raise


async def _answer_with_card(
    update: Update, ctx: Ctx, r: Renderer, b: IncidentButton, user: User, toast: str
) -> str:
    # Read before both requests go, so the card's edit is sent ahead of the answer.
    now_shown = await _current(ctx, tg_user(user), b.incident_id)
    return await answer_while(update, toast, _show(update, r, now_shown, b))


@pressed
async def on_timeline(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:tl: the incident's timeline, with its Attachments button when it has files."""
    view = await incidents.timeline_of(ctx.deps, tg_user(user), b.incident_id)
    files = IncidentButton(IncidentAction.ATTACHMENTS, b.incident_id).pack()
    rows = [[(r.plain("Attachments"), files)]] if view.attachments else None
    if update.effective_message is not None:
        await reply(update.effective_message, timeline_text(r, view), rows)


@pressed
async def on_attachments(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> None:
    """1in:at: the files the reporter attached, sent to whoever acts on the incident."""
    sent = await evidence.send_evidence(ctx.deps, tg_user(user), b.incident_id)
    if update.effective_message is not None:
        await reply(update.effective_message, evidence_text(r, sent.ref, sent.attachments))


@pressed
async def on_open(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:op: the incident's card as it stands, from /pending and /my."""
    shown = await incidents.card_for(ctx.deps, tg_user(user), b.incident_id)
    if update.effective_message is not None:
        await reply(update.effective_message, card(r, shown.params), _rows(r, shown))


@pressed
async def on_add_update(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> None:
    """1in:up: Add update; it asks for the progress update."""
    question = r("Send the progress update as a message, or /cancel.")
    await _ask(update, ctx, user, b, DraftState(FLOW_UPDATE, "text", {}), question)


@pressed
async def on_report_upward(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> None:
    """1in:hi: Escalate upward (P3); it asks to whom it was reported, then what."""
    question = r("To whom in the higher department was it reported (name and unit)?")
    await _ask(update, ctx, user, b, DraftState(FLOW_UPWARD, "to", {}), question)


@pressed
async def on_close(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:cl: Close; it asks for the closing summary."""
    question = r("Send the closing summary as a message, or /cancel.")
    await _ask(update, ctx, user, b, DraftState(FLOW_CLOSE, "text", {}), question)


async def _ask(
    update: Update, ctx: Ctx, user: User, b: IncidentButton, state: DraftState, question: str
) -> None:
    """Keep the step as a draft and ask for its text; the authority is checked now, not
    after the person typed a long text."""
    me = tg_user(user)
    await actions.check_may_act(ctx.deps, me, b.incident_id)
    person = await people.identify(ctx.deps, me, private=True)
    state.data["id"] = b.incident_id
    await drafts.save(ctx.deps, person.id, state)
    if update.effective_message is not None:
        await reply(update.effective_message, question)


def _rows(r: Renderer, view: incidents.CardView, card: bool = True) -> list[list[tuple[str, str]]]:
    """The card's buttons; `card=False` under a relay or a reminder, whose words must stay
    (a press there refreshes only the buttons: see _show)."""
    return [
        [(r.plain(b.label), b.data if card else _off_card(b.data)) for b in row]
        for row in view.buttons
    ]


def _off_card(data: str) -> str:
    """The same button, no longer marked as sitting under the card."""
    button = IncidentButton.unpack(data)
    return data if button is None else replace(button, place="").pack()


async def _current(ctx: Ctx, me: TgUser, incident_id: int) -> incidents.CardView | None:
    try:
        return await incidents.card_for(ctx.deps, me, incident_id)
    except DomainError:  # not theirs to see: the alert says why
        return None


async def _show(
    update: Update, r: Renderer, view: incidents.CardView | None, b: IncidentButton
) -> None:
    """After a press, the pressed message shows the incident as it stands: the card in
    place of a card, only the buttons under a relay or a reminder (its words stay)."""
    query = update.callback_query
    if view is None or query is None or not isinstance(query.message, Message):
        return
    if b.on_card:
        await edit_or_send(update, card(r, view.params), _rows(r, view))
        return
    try:
        await query.message.edit_reply_markup(keyboard(_rows(r, view, card=False)))
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


async def on_text_step(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The typed answer for Add update, Escalate upward (two questions) and Close."""
    text = message.text or ""
    if state.replayed and state.step == "what":  # handled again: ask what it made us ask
        await replay.ask_again(ctx, state, reply(message, r("What was reported to them?")))
        return
    if state.flow == FLOW_UPWARD and state.step == "to":  # P3: to whom, then what
        state.data["to"] = clean("upward_to", text, ctx.deps.policy)
        state.step = "what"
        person = await people.identify(ctx.deps, tg_user(user), private=True)
        await drafts.save(ctx.deps, person.id, state)
        await reply(message, r("What was reported to them?"))
        return
    answer = await _record_text(ctx, tg_user(user), r, state, text)
    await drafts.clear(ctx.deps, user.id)
    await reply(message, answer)


async def _record_text(ctx: Ctx, me: TgUser, r: Renderer, state: DraftState, text: str) -> str:
    """The update, the report upward or the closing, recorded; what the answer says."""
    incident_id = int(state.data["id"])
    if state.flow == FLOW_UPDATE:
        done = await actions.add_update(ctx.deps, me, incident_id, text)
        answer = r("The update on {ref} was saved.", ref=done.ref)
    elif state.flow == FLOW_UPWARD:
        done = await actions.report_upward(ctx.deps, me, incident_id, state.data["to"], text)
        answer = r("The report to the higher department on {ref} was recorded.", ref=done.ref)
    else:
        done = await actions.close(ctx.deps, me, incident_id, text)
        answer = r("{ref} is closed. The reporter has been told.", ref=done.ref)
    if done.acknowledged:
        answer += "\n" + r("This also records your acknowledgement of {ref}.", ref=done.ref)
    return answer


PENDING_REASONS = {
    "acknowledge": N_("{ref}: waiting for acknowledgement"),
    "update": N_("{ref}: a progress update is due"),
    "secretary_ack": N_("{ref}: needs your own acknowledgement as secretary"),
}


@command
async def pending(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/pending: what waits for me, each with a button that opens its card."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "help")
        return
    items = await incidents.pending_for(ctx.deps, tg_user(user))
    if not items:
        await reply(message, r("Nothing is waiting for you."))
        return
    lines = [r("Waiting for you:")]
    rows = []
    for item in items:
        lines.append(r(PENDING_REASONS[item.reason], ref=item.ref))
        rows.append(
            [
                (
                    r.plain("Open {ref}", ref=item.ref),
                    IncidentButton(IncidentAction.OPEN, item.id).pack(),
                )
            ]
        )
    await reply(message, "\n".join(lines), rows[:20])
