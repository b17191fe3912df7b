"""The handler's card: Acknowledge, Add update, Escalate upward, Pull in, Contain, Close,
Timeline, each press leaving the card as the incident now stands; and /pending."""

from __future__ import annotations

from telegram import Message, Update, User
from telegram.error import BadRequest

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import AlreadyDone, DomainError, StaleButton
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents import actions, evidence
from bot.incidents import queries as incidents
from bot.people import service as people
from bot.people.service import TgUser
from handlers import callback_data as cd
from handlers import growth, replay
from handlers.common import (
    answer_while,
    button,
    command,
    edit_or_send,
    is_private,
    private_only,
    reply,
    tg_user,
)
from render.fitting import free
from render.growth import TIMELINE_NAMES as GROWTH_NAMES
from render.incident import (
    STATUS_NAMES,
    attachment_lines,
    card,
    evidence_text,
    kind,
    moment,
    severity,
)
from render.renderer import Renderer, esc, keyboard

FLOW_UPDATE, FLOW_UPWARD, FLOW_CLOSE = "inc_update", "inc_upward", "inc_close"

TIMELINE_NAMES = {
    "filed": N_("Filed"),
    "routed": N_("Sent to the handlers"),
    "acknowledged": N_("Acknowledged"),
    "secretary_acknowledged": N_("Acknowledged by the secretary"),
    "update": N_("Update"),
    "reported_upward": N_("Reported to the higher department"),
    "pulled_in": N_("Pulled in"),
    "handed_over": N_("Handed over"),
    "escalated": N_("Escalated"),
    "reminded": N_("Reminded"),
    "update_reminded": N_("Update reminder"),
    "update_escalated": N_("No update: leadership told"),
    "secretary_reminded": N_("Secretary reminded"),
    "contained": N_("Contained"),
    "closed": N_("Closed"),
    **GROWTH_NAMES,
}

# L4: the step that acknowledged an incident nobody had acknowledged yet.
ACKNOWLEDGED_BY = {
    "update": N_("with a progress update"),
    "contained": N_("on marking it contained"),
    "closed": N_("on closing it"),
}


@button
async def on_card(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Buttons on an incident card; authority is checked in the services."""
    incident_id = data.int_arg(0)
    if incident_id is None:
        raise StaleButton()
    me = tg_user(user)
    if data.action in growth.ACTIONS:  # records that grow: additions, severity, reopening
        return await growth.on_button(update, ctx, data, user, r)
    if data.action in ("ak", "ct"):
        try:
            if data.action == "ak":
                done = await actions.acknowledge(ctx.deps, me, incident_id)
            else:
                done = await actions.contain(ctx.deps, me, incident_id)
        except AlreadyDone:
            await _refresh(update, ctx, r, me, incident_id, data)  # show who was first
            raise
        if data.action == "ak":
            toast = r("You acknowledged {ref}.", ref=done.ref)
        elif done.acknowledged:
            toast = r(
                "{ref} is marked as contained; this also records your acknowledgement.",
                ref=done.ref,
            )
        else:
            toast = r("{ref} is marked as contained.", ref=done.ref)
        # Read before both requests go, so the card's edit is sent ahead of the answer.
        now_shown = await _current(ctx, me, incident_id)
        return await answer_while(update, toast, _show(update, r, now_shown, data))
    if data.action == "tl":
        view = await incidents.timeline_of(ctx.deps, me, incident_id)
        files = [[(r.plain("Attachments"), cd.encode("in", "at", incident_id))]]
        if update.effective_message is not None:
            await reply(
                update.effective_message,
                timeline_text(r, view),
                files if view.attachments else None,
            )
        return None
    if data.action == "at":
        sent = await evidence.send_evidence(ctx.deps, me, incident_id)
        if update.effective_message is not None:
            await reply(update.effective_message, evidence_text(r, sent.ref, sent.attachments))
        return None
    if data.action == "op":
        shown = await incidents.card_for(ctx.deps, me, incident_id)
        if update.effective_message is not None:
            await reply(update.effective_message, card(r, shown.params), _rows(r, shown))
        return None
    if data.action == "pl":
        return await _pull_in_list(update, ctx, r, me, incident_id, data.int_arg(1))
    if data.action == "pp":
        person_id = data.int_arg(1)
        if person_id is None:
            raise StaleButton()
        name = await actions.pull_in(ctx.deps, me, incident_id, person_id)
        await edit_or_send(update, r("{name} has been asked to help.", name=name), None)
        return None
    flows = {"up": (FLOW_UPDATE, "text"), "hi": (FLOW_UPWARD, "to"), "cl": (FLOW_CLOSE, "text")}
    if data.action not in flows:
        raise StaleButton()
    # Check the authority now, not after the person typed a long text.
    await actions.check_may_act(ctx.deps, me, incident_id)
    flow, step = flows[data.action]
    person = await people.identify(ctx.deps, me, private=True)
    await drafts.save(ctx.deps, person.id, DraftState(flow, step, {"id": incident_id}))
    question = {
        FLOW_UPDATE: r("Send the progress update as a message, or /cancel."),
        FLOW_UPWARD: r("To whom in the higher department was it reported (name and unit)?"),
        FLOW_CLOSE: r("Send the closing summary as a message, or /cancel."),
    }[flow]
    if update.effective_message is not None:
        await reply(update.effective_message, question)
    return None


async def _pull_in_list(
    update: Update, ctx: Ctx, r: Renderer, me: TgUser, incident_id: int, page: int | None
) -> str | None:
    """Pull in (L5): the people who could help, a page at a time; a page turn (`page` given)
    replaces the list, a press on the card sends it."""
    found = await incidents.candidates(ctx.deps, me, incident_id, page or 0)
    if not found.people:
        if found.others:
            return r(
                "Everyone else who has started the bot already handles {ref} or reported it.",
                ref=found.ref,
            )
        return r("Nobody else has started the bot yet.")
    rows = [[(name, cd.encode("in", "pp", incident_id, pid))] for pid, name in found.people]
    turn = [
        (label, cd.encode("in", "pl", incident_id, to))
        for label, to in (
            (r.plain("‹ Previous"), found.page - 1),
            (r.plain("Next ›"), found.page + 1),
        )
        if 0 <= to < found.pages
    ]
    text = r("Whom do you want to pull in?")
    if found.pages > 1:
        text += "\n" + r("Page {page} of {pages}.", page=found.page + 1, pages=found.pages)
    if page is not None:
        await edit_or_send(update, text, [*rows, turn] if turn else rows)
    elif update.effective_message is not None:
        await reply(update.effective_message, text, [*rows, turn] if turn else rows)
    return None


def _rows(r: Renderer, view: incidents.CardView, card: bool = True) -> list[list[tuple[str, str]]]:
    """The card's buttons; `card=False` under a relay or a reminder, whose words must stay
    (a press there refreshes only the buttons: see _refresh)."""
    return [
        [(r.plain(b.label), b.data if card else b.data.removesuffix(":c")) for b in row]
        for row in view.buttons
    ]


async def _refresh(
    update: Update, ctx: Ctx, r: Renderer, me: TgUser, incident_id: int, data: cd.Data
) -> None:
    """After a press, the pressed message shows the incident as it stands: the card in
    place of a card, only the buttons under a relay or a reminder (its words stay)."""
    await _show(update, r, await _current(ctx, me, incident_id), data)


async def _current(ctx: Ctx, me: TgUser, incident_id: int) -> incidents.CardView | None:
    try:
        return await incidents.card_for(ctx.deps, me, incident_id)
    except DomainError:  # not theirs to see: the alert says why
        return None


async def _show(
    update: Update, r: Renderer, view: incidents.CardView | None, data: cd.Data
) -> None:
    query = update.callback_query
    if view is None or query is None or not isinstance(query.message, Message):
        return
    if data.args[1:2] == ("c",):
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
    me, incident_id = tg_user(user), int(state.data["id"])
    text = message.text or ""
    if state.replayed and state.step == "what":  # handled again: ask what it made us ask
        await replay.ask_again(ctx, state, reply(message, r("What was reported to them?")))
        return
    if state.flow == FLOW_UPWARD and state.step == "to":
        state.data["to"] = clean("upward_to", text, ctx.deps.policy)
        state.step = "what"
        person = await people.identify(ctx.deps, me, private=True)
        await drafts.save(ctx.deps, person.id, state)
        await reply(message, r("What was reported to them?"))
        return
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
    await drafts.clear(ctx.deps, user.id)
    await reply(message, answer)


def timeline_text(r: Renderer, view: incidents.TimelineView) -> str:
    head = f"<b>{esc(view.ref)}</b> · {esc(kind(r, view.kind))}"
    if view.severity:
        head += f" · {esc(severity(r, view.severity))}"
    lines = [head, r("Status: {status}", status=r.plain(STATUS_NAMES[view.status]))]
    lines += timeline_lines(r, view.entries)
    if view.attachments:
        lines.append(r("Attachments:"))
        lines.extend(attachment_lines(r, view.attachments))
    return "\n".join(lines)


def timeline_lines(r: Renderer, entries: list[incidents.Entry]) -> list[str]:
    """One line per step (with its text below): the timeline of a card and of /record."""
    lines = []
    for at, step, who, text, data in entries:
        line = f"{esc(moment(r, at.isoformat()))} · {esc(r.plain(TIMELINE_NAMES.get(step, step)))}"
        if who:
            line += f" · {esc(who)}"
        if step == "acknowledged" and data.get("by") in ACKNOWLEDGED_BY:
            line += " · " + esc(r.plain(ACKNOWLEDGED_BY[data["by"]]))
        if step == "severity_changed" and data.get("to"):  # the severity before and after
            line += " · " + esc(f"{severity(r, data.get('from'))} → {severity(r, data['to'])}")
        if step == "addition" and data.get("files"):
            line += " · " + esc(r.plural("{n} file", "{n} files", int(data["files"])))
        if step == "reported_upward" and data.get("to"):  # P3: to whom, then what
            line += "\n    " + r("Reported to: {to}", to=data["to"])
        if text:
            line += f"\n    {free(esc(text))}"
        lines.append(line)
    return lines


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
        rows.append([(r.plain("Open {ref}", ref=item.ref), cd.encode("in", "op", item.id))])
    await reply(message, "\n".join(lines), rows[:20])
