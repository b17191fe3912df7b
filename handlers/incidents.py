"""The handler's card: Acknowledge, Add update, Escalate upward, Pull in, Contain, Close,
Timeline; and /my for the reporter."""

from __future__ import annotations

from telegram import Message, Update, User

from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.events import queries as events
from bot.i18n import N_
from bot.incidents import actions, evidence
from bot.incidents import queries as incidents
from bot.incidents.rules import clean_text
from bot.incidents.service import card_buttons
from bot.people import service as people
from handlers import callback_data as cd
from handlers.common import button, command, edit_or_send, is_private, private_only, reply, tg_user
from handlers.event_render import status_name
from handlers.incident_render import (
    STATUS_NAMES,
    attachment_lines,
    card,
    evidence_text,
    kind,
    moment,
    severity,
)
from handlers.render import Renderer, esc

FLOW_UPDATE, FLOW_UPWARD, FLOW_CLOSE = "inc_update", "inc_upward", "inc_close"

TIMELINE_NAMES = {
    "filed": N_("Filed"),
    "routed": N_("Sent to the handlers"),
    "acknowledged": N_("Acknowledged"),
    "secretary_acknowledged": N_("Acknowledged by the secretary"),
    "update": N_("Update"),
    "reported_upward": N_("Reported to the higher department"),
    "pulled_in": N_("Pulled in"),
    "escalated": N_("Escalated"),
    "reminded": N_("Reminded"),
    "update_reminded": N_("Update reminder"),
    "update_escalated": N_("No update: leadership told"),
    "secretary_reminded": N_("Secretary reminded"),
    "contained": N_("Contained"),
    "closed": N_("Closed"),
}


@button
async def on_card(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Buttons on an incident card; authority is checked in the services."""
    incident_id = data.int_arg(0)
    if incident_id is None:
        raise StaleButton()
    me = tg_user(user)
    if data.action == "ak":
        done = await actions.acknowledge(ctx.deps, me, incident_id)
        return r("You acknowledged {ref}.", ref=done.ref)
    if data.action == "ct":
        done = await actions.contain(ctx.deps, me, incident_id)
        return r("{ref} is marked as contained.", ref=done.ref)
    if data.action == "tl":
        view = await incidents.timeline_of(ctx.deps, me, incident_id)
        files = [[(r.plain("Attachments"), cd.encode("in", "at", incident_id))]]
        if update.effective_message is not None:
            await reply(update.effective_message, timeline_text(r, view),
                        files if view.attachments else None)  # fmt: skip
        return None
    if data.action == "at":
        sent = await evidence.send_evidence(ctx.deps, me, incident_id)
        if update.effective_message is not None:
            await reply(update.effective_message, evidence_text(r, sent.ref, sent.attachments))
        return None
    if data.action == "op":
        params = await incidents.card_for(ctx.deps, me, incident_id)
        buttons = card_buttons(incident_id, int(params.get("attachments", 0)))
        rows = [[(r.plain(b.label), b.data) for b in row] for row in buttons]
        if update.effective_message is not None:
            await reply(update.effective_message, card(r, params), rows)
        return None
    if data.action == "pl":
        options = await incidents.candidates(ctx.deps, me, incident_id)
        if not options:
            return r("Nobody else has started the bot yet.")
        rows = [[(name, cd.encode("in", "pp", incident_id, pid))] for pid, name in options]
        if update.effective_message is not None:
            await reply(update.effective_message, r("Whom do you want to pull in?"), rows)
        return None
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


async def on_text_step(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """The typed answer for Add update, Escalate upward (two questions) and Close."""
    me, incident_id = tg_user(user), int(state.data["id"])
    text = message.text or ""
    if state.flow == FLOW_UPWARD and state.step == "to":
        state.data["to"] = clean_text(text, 200)
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
    await drafts.clear(ctx.deps, user.id)
    await reply(message, answer)


def timeline_text(r: Renderer, view: incidents.TimelineView) -> str:
    head = f"<b>{esc(view.ref)}</b> · {esc(kind(r, view.kind))}"
    if view.severity:
        head += f" · {esc(severity(r, view.severity))}"
    lines = [head, r("Status: {status}", status=r.plain(STATUS_NAMES[view.status]))]
    for at, step, who, text, _data in view.entries:
        line = f"{esc(moment(r, at.isoformat()))} · {esc(r.plain(TIMELINE_NAMES.get(step, step)))}"
        if who:
            line += f" · {esc(who)}"
        if text:
            line += f"\n    {esc(text)}"
        lines.append(line)
    if view.attachments:
        lines.append(r("Attachments:"))
        lines.extend(attachment_lines(r, view.attachments))
    return "\n".join(lines)


@command
async def my(update: Update, ctx: Ctx, message: Message, user: User, r: Renderer) -> None:
    """/my: the status of my reports."""
    if not is_private(update.effective_chat):
        await private_only(message, ctx, r, "my")
        return
    items = await incidents.my_reports(ctx.deps, tg_user(user))
    requests = await events.my_events(ctx.deps, tg_user(user))
    if not items and not requests:
        await reply(
            message,
            r("You have no reports or event requests yet. Send /report or /event to start one."),
        )
        return
    lines: list[str] = []
    rows: list[list[tuple[str, str]]] = []
    if requests:
        lines.append(r("Your event requests:"))
        for ev in requests:
            lines.append(f"{esc(ev.ref)} · {esc(ev.title)} · {esc(status_name(r, ev.status))}")
            if ev.status in ("in_review", "pending", "changes_requested"):
                label = r.plain("Withdraw {ref}", ref=ev.ref)
                rows.append([(label, cd.encode("ev", "wd", ev.id, ev.version))])
    if items:
        lines.append(r("Your reports:"))
    for item in items:
        status = r.plain(STATUS_NAMES[item.status])
        lines.append(f"{esc(item.ref)} · {esc(kind(r, item.kind))} · {esc(status)}")
        rows.append([(r.plain("Timeline of {ref}", ref=item.ref), cd.encode("in", "tl", item.id))])
    await reply(message, "\n".join(lines), rows[:10])


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
