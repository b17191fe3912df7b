"""Buttons on event cards: the committee head's review, the approver's decision, the office's
filing, the requester's withdrawal and resubmission (R6). Authority is checked in services."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update, User

from bot import dates, examples
from bot.buttons import EventAction, EventButton
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput
from bot.events import after, decisions
from bot.events import resubmit as resubmission
from bot.events import service as events
from bot.i18n import N_
from bot.people import service as people
from handlers import event as event_flow
from handlers import replay
from handlers import report as report_flow
from handlers.answers import typed
from handlers.common import (
    edit_or_send,
    reply,
    tg_user,
    typed_button,
)
from render.renderer import Renderer

FLOW_NOTE, FLOW_FILING = "ev_note", "ev_filing"
NOTE_QUESTIONS = {
    EventAction.REJECT: N_("Why is it rejected? Send the reason, or /cancel."),
    EventAction.REQUEST_CHANGES: N_("What should be changed? Send your comment, or /cancel."),
    EventAction.SEND_BACK: N_(
        "What should be changed before it goes to the approver? Send it, or /cancel."
    ),
    EventAction.CANCEL: N_("Why is the event cancelled? Send the reason, or /cancel."),
}
# One callback per action of an event's card (bot/buttons.EventButton), each registered by
# its pattern in handlers/__init__.register; anything that does not unpack is stale.
pressed = typed_button(EventButton.unpack)


@pressed
async def on_approve(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> str:
    """1ev:ap: the approver approves (R6); the office is asked to file it."""
    result = await decisions.decide(ctx.deps, tg_user(user), b.event_id, b.version, b.action)
    await edit_or_send(
        update, r("You approved {ref}. The office will file it.", ref=result.ref), None
    )
    return r("Approved.")


@pressed
async def on_forward(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:fw: the committee head forwards the request to the approvers (L3)."""
    result = await decisions.review(ctx.deps, tg_user(user), b.event_id, b.version, forward=True)
    await edit_or_send(update, r("{ref} was forwarded for approval.", ref=result.ref), None)


@pressed
async def on_organiser_accepts(
    update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer
) -> None:
    """1ev:oc: the named organiser takes the responsibility (R6)."""
    ref = await _organiser(ctx, b, user, accept=True)
    await edit_or_send(update, r("Thank you: you are the organiser of {ref}.", ref=ref), None)


@pressed
async def on_organiser_declines(
    update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer
) -> None:
    """1ev:od: the named organiser declines; the request goes back to the requester."""
    ref = await _organiser(ctx, b, user, accept=False)
    text = r("The requester is told that you are not the organiser of {ref}.", ref=ref)
    await edit_or_send(update, text, None)


async def _organiser(ctx: Ctx, b: EventButton, user: User, *, accept: bool) -> str:
    me = tg_user(user)
    return (await events.confirm_organiser(ctx.deps, me, b.event_id, b.version, accept)).ref


@pressed
async def on_withdraw(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:wd: the requester takes the request back before the decision."""
    result = await events.withdraw(ctx.deps, tg_user(user), b.event_id)
    await edit_or_send(update, r("{ref} was withdrawn.", ref=result.ref), None)


@pressed
async def on_resubmit(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:rs: the requester edits the request sent back for changes, from its summary."""
    snapshot = await resubmission.for_resubmission(ctx.deps, tg_user(user), b.event_id)
    await event_flow.begin(update, ctx, r, user, _resubmission(snapshot, b.event_id))


def _resubmission(snapshot: dict[str, Any], event_id: int) -> DraftState:
    state = DraftState(
        event_flow.FLOW,
        "summary",
        {
            "type": snapshot["event_type"],
            "title": snapshot["title"],
            "date": snapshot["starts_at"],
            "venue": snapshot["venue"],
            "audience": snapshot["audience"],
            "speakers": snapshot["speakers"],
            "outline": snapshot["outline"],
            "vetted": False,
            "resubmit": event_id,
            "attachments": snapshot.get("attachments", []),
        },
    )
    if snapshot.get("organiser_id"):  # R6: the confirmed organiser stays named
        state.data["organiser"] = snapshot["organiser_id"]
        state.data["organiser_name"] = snapshot["organiser_name"]
    state.step = "vetted"  # the vetting is confirmed again for every version (R6)
    return state


@pressed
async def on_held(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:oh: after the event, its organiser says it was held as planned (R7)."""
    await _outcome(update, ctx, b, user, r)


@pressed
async def on_not_held(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:on: after the event, its organiser says it was not held (R7)."""
    await _outcome(update, ctx, b, user, r)


@pressed
async def on_held_with_incident(
    update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer
) -> None:
    """1ev:oi: held, with an incident, which then goes on as a /report (R7)."""
    await _outcome(update, ctx, b, user, r)


async def _outcome(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    outcome = after.OUTCOME_OF[b.action]
    result = await after.record_outcome(ctx.deps, tg_user(user), b.event_id, outcome, b.version)
    await edit_or_send(update, r("Thank you. How {ref} went is recorded.", ref=result.ref), None)
    if outcome == "incident":
        # The incident goes on as a report, already knowing it happened at this event.
        context = await after.incident_context(ctx.deps, b.event_id)
        await report_flow.begin_at_event(update, ctx, r, user, context)


@pressed
async def on_reject(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:rj: the approver rejects; it asks the reason (R6)."""
    await decisions.check_can_act(ctx.deps, tg_user(user), b.event_id, b.version, review=False)
    await _ask(update, ctx, user, b, FLOW_NOTE, r(NOTE_QUESTIONS[b.action]))


@pressed
async def on_request_changes(
    update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer
) -> None:
    """1ev:ch: the approver asks for changes; it asks the comment (R6)."""
    await decisions.check_can_act(ctx.deps, tg_user(user), b.event_id, b.version, review=False)
    await _ask(update, ctx, user, b, FLOW_NOTE, r(NOTE_QUESTIONS[b.action]))


@pressed
async def on_send_back(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:sb: the committee head sends the request back; it asks what to change (L3)."""
    await decisions.check_can_act(ctx.deps, tg_user(user), b.event_id, b.version, review=True)
    await _ask(update, ctx, user, b, FLOW_NOTE, r(NOTE_QUESTIONS[b.action]))


@pressed
async def on_cancel(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:cx: the office cancels an approved event; it asks the reason (R6)."""
    await after.check_office(ctx.deps, tg_user(user), b.event_id, b.version, filing=False)
    await _ask(update, ctx, user, b, FLOW_NOTE, r(NOTE_QUESTIONS[b.action]))


@pressed
async def on_file(update: Update, ctx: Ctx, b: EventButton, user: User, r: Renderer) -> None:
    """1ev:fi: the office records the filing; it asks the date, then the reference (R6)."""
    await after.check_office(ctx.deps, tg_user(user), b.event_id, b.version, filing=True)
    question = r(
        "On which date was it filed? Write it like {example}.",
        example=examples.day(ctx.deps.clock.now(), ctx.deps.zone),
    )
    await _ask(update, ctx, user, b, FLOW_FILING, question, step="date")


async def _ask(
    update: Update,
    ctx: Ctx,
    user: User,
    b: EventButton,
    flow: str,
    question: str,
    step: str | None = None,
) -> None:
    """Keep what the text answers (the event, its version) as a draft, and ask for the text;
    called after the authority check, so a stranger pressing in a group (who has not started
    the bot) is neither registered nor asked."""
    state = DraftState(flow, step or b.action.value, {"id": b.event_id, "version": b.version})
    await drafts.save(ctx.deps, await _person_id(ctx, user), state)
    if update.effective_message is not None:
        await reply(update.effective_message, question)


async def _person_id(ctx: Ctx, user: User) -> int:
    return (await people.identify(ctx.deps, tg_user(user), private=True)).id


async def on_text_step(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The reason, the comment, or the filing's date and reference number."""
    me, text = tg_user(user), message.text or ""
    event_id, version = int(state.data["id"]), int(state.data["version"])
    if state.replayed and state.step == "ref":  # handled again: ask what it made us ask
        question = r("What is the filing's reference number?")
        await replay.ask_again(ctx, state, reply(message, question))
        return
    if state.flow == FLOW_FILING and state.step == "date":
        today = ctx.deps.clock.now().astimezone(ctx.deps.zone).date()
        try:  # any form of bot.dates: 2026-11-25, 2026年11月25日, 11月25日
            filed_on = dates.parse_day(typed(message), today)
        except dates.Unreadable:
            example = examples.day(ctx.deps.clock.now(), ctx.deps.zone)
            raise InvalidInput(
                N_("Please write the date like {example}."), example=example
            ) from None
        # Checked now (not in the future, not after the event), not after the reference.
        state.data["date"] = await after.check_filing_date(ctx.deps, event_id, filed_on.isoformat())
        state.step = "ref"
        await drafts.save(ctx.deps, await _person_id(ctx, user), state)
        await reply(message, r("What is the filing's reference number?"))
        return
    if state.flow == FLOW_FILING:
        result = await after.record_filing(
            ctx.deps, me, event_id, version, state.data["date"], text
        )
        answer = r(
            "{ref} is filed and cleared; the requester and organiser are told.", ref=result.ref
        )
    elif state.step == "cx":
        result = await after.cancel(ctx.deps, me, event_id, text)
        answer = r("{ref} was cancelled; the requester and organiser are told.", ref=result.ref)
    elif state.step == "sb":
        result = await decisions.review(ctx.deps, me, event_id, version, forward=False, note=text)
        answer = r("{ref} was sent back to the requester.", ref=result.ref)
    else:
        action = EventAction(state.step)  # rj or ch, kept by on_decision_note
        result = await decisions.decide(ctx.deps, me, event_id, version, action, text)
        answer = (
            r("{ref} was rejected.", ref=result.ref)
            if action == EventAction.REJECT
            else r("{ref} was sent back for changes.", ref=result.ref)
        )
    await drafts.clear(ctx.deps, user.id)
    await reply(message, answer)
