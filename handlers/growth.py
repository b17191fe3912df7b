"""Records that grow: Add to this report (the reporter), Change severity and Reopen (whoever
may act on it, per bot/people/authority.py). Each asks one short step kept as a draft in SQL,
so a restart in the middle loses and doubles nothing (handlers/replay.py); the service ends the
draft in the transaction that records the step.

Buttons (bot/buttons/incidents.py): `1in:ad:<id>` Add to this report, `dn:<id>` its Done,
`xa:<id>` its Cancel; `sv:<id>` Change severity, `sc:<id>:<g|m|c>` the severity chosen;
`ro:<id>` Reopen.
"""

from __future__ import annotations

from telegram import Message, Update, User

from bot.buttons.incidents import IncidentAction, IncidentButton, SeverityAction, SeverityButton
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.freetext import clean
from bot.i18n import N_
from bot.incidents import additions, changes, reopening
from bot.people import service as people
from bot.people.view import TgUser
from handlers import replay
from handlers.answers import Takes, wrong_kind
from handlers.common import draft_in, edit_or_send, reply, tg_user, typed_button
from handlers.report import add_attachment
from render.growth import ADD_PROMPT, received
from render.incident import SEVERITY_NAMES, severity
from render.renderer import Renderer

FLOW_ADD, FLOW_SEVERITY, FLOW_REOPEN = "inc_add", "inc_severity", "inc_reopen"
SEVERITY_CODES = {"g": "general", "m": "major", "c": "critical"}
CHOOSE = SeverityAction.CHOOSE
# One callback per action (bot/buttons/incidents.py), registered in handlers/__init__.register.
pressed = typed_button(IncidentButton.unpack)
GONE = N_("This addition was already sent or cancelled. To add more, press Add to this report.")


def _collecting(r: Renderer, incident_id: int) -> list[list[tuple[str, str]]]:
    done = IncidentButton(IncidentAction.ADD_DONE, incident_id)
    cancel = IncidentButton(IncidentAction.ADD_CANCEL, incident_id)
    return [[(r.plain("Done"), done.pack()), (r.plain("Cancel"), cancel.pack())]]


def _message(update: Update) -> Message:
    if update.effective_message is None:
        raise StaleButton()
    return update.effective_message


async def _keep(ctx: Ctx, user: User, state: DraftState) -> None:
    """The step's draft, kept in SQL until the service ends it (handlers/replay.py)."""
    person = await people.identify(ctx.deps, tg_user(user), private=True)
    await drafts.save(ctx.deps, person.id, state)


@pressed
async def on_add(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:ad: the reporter adds facts or files to the report; it collects them."""
    message = _message(update)
    ref = await additions.check_may_add(ctx.deps, tg_user(user), b.incident_id)
    data = {"id": b.incident_id, "ref": ref, "texts": [], "attachments": []}
    await _keep(ctx, user, DraftState(FLOW_ADD, "collect", data))
    await reply(message, r(ADD_PROMPT, ref=ref), _collecting(r, b.incident_id))


@pressed
async def on_add_done(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:dn: the addition is sent to the report and its handlers are told."""
    await _finish(update, ctx, r, user, b.incident_id, True)


@pressed
async def on_add_cancel(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> None:
    """1in:xa: the addition is dropped; nothing is added."""
    await _finish(update, ctx, r, user, b.incident_id, False)


@pressed
async def on_change_severity(
    update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer
) -> None:
    """1in:sv: Change severity (L4, R2): the severities it could have instead."""
    message = _message(update)
    ref, now = await changes.check_severity(ctx.deps, tg_user(user), b.incident_id)
    choices = [
        (r.plain(SEVERITY_NAMES[name]), SeverityButton(CHOOSE, b.incident_id, code).pack())
        for code, name in SEVERITY_CODES.items()
        if name != now
    ]
    question = r("{ref} is now {severity}. What should it be?", ref=ref, severity=severity(r, now))
    await reply(message, question, [choices])


@typed_button(SeverityButton.unpack)
async def on_severity_chosen(
    update: Update, ctx: Ctx, b: SeverityButton, user: User, r: Renderer
) -> str | None:
    """1in:sc:<g|m|c>: the severity chosen; it asks why (L4, R2)."""
    to = SEVERITY_CODES.get(b.code)
    if to is None:
        raise StaleButton()
    ref, now = await changes.check_severity(ctx.deps, tg_user(user), b.incident_id)
    if to == now:
        return r("{ref} is already {severity}.", ref=ref, severity=severity(r, now))
    data = {"id": b.incident_id, "from": now, "to": to}
    await _keep(ctx, user, DraftState(FLOW_SEVERITY, "reason", data))
    question = r(
        "Why is {ref} to be {severity}? Send the reason as a message, or /cancel.",
        ref=ref,
        severity=severity(r, to),
    )
    await edit_or_send(update, question, None)
    return None


@pressed
async def on_reopen(update: Update, ctx: Ctx, b: IncidentButton, user: User, r: Renderer) -> None:
    """1in:ro: a closed incident is reopened; it asks why (bot/incidents/reopening.py)."""
    message = _message(update)
    ref, count = await reopening.check_reopen(ctx.deps, tg_user(user), b.incident_id)
    await _keep(ctx, user, DraftState(FLOW_REOPEN, "reason", {"id": b.incident_id, "count": count}))
    question = r("Why is {ref} to be reopened? Send the reason as a message, or /cancel.", ref=ref)
    await reply(message, question)


async def _finish(
    update: Update, ctx: Ctx, r: Renderer, user: User, incident_id: int, done: bool
) -> str | None:
    """Done or Cancel of an addition: only the draft of that report, never twice."""
    _, state = await draft_in(ctx, user, FLOW_ADD, GONE)
    if int(state.data.get("id", 0)) != incident_id:
        raise InvalidInput(GONE)
    ref = str(state.data.get("ref", ""))
    if not done:
        await drafts.clear(ctx.deps, user.id)
        await edit_or_send(update, r("Nothing was added to {ref}.", ref=ref), None)
        return None
    text = "\n".join(state.data.get("texts", []))
    added = await additions.add_to_report(
        ctx.deps, tg_user(user), incident_id, text, list(state.data.get("attachments", []))
    )
    answer = r(
        "Added to {ref}; it is addition number {number}.", ref=added.ref, number=added.number
    )
    if added.told:
        answer += "\n" + r.plural(
            "{n} handler has been told.", "{n} handlers have been told.", added.told
        )
    await edit_or_send(update, answer, None)
    return None


async def on_message(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """Text or files of an addition; the reason of a change of severity or of a reopening."""
    if state.flow == FLOW_ADD:
        await _collect(ctx, message, r, state)
        return
    me, text = tg_user(user), message.text or ""
    if state.flow == FLOW_SEVERITY:
        answer = await _change_severity(ctx, me, r, state, text)
    else:
        count = int(state.data["count"])
        reopened = await reopening.reopen(ctx.deps, me, int(state.data["id"]), count, text)
        answer = r(
            "{ref} is open again. Its handlers have been told and must acknowledge it again.",
            ref=reopened.ref,
        )
    await reply(message, answer)


async def _change_severity(
    ctx: Ctx, me: TgUser, r: Renderer, state: DraftState, reason: str
) -> str:
    """The change of severity with its reason (L4, R2); the answer names whom it brought in."""
    was, to = state.data["from"], state.data["to"]
    changed = await changes.change_severity(ctx.deps, me, int(state.data["id"]), was, to, reason)
    answer = r(
        "{ref} is now {severity}; its handlers have been told.",
        ref=changed.ref,
        severity=severity(r, changed.severity),
    )
    if changed.brought_in:
        names = r.items(changed.brought_in)
        answer += "\n" + r("Brought in by the new severity: {names}.", names=names)
    return answer


async def _collect(ctx: Ctx, message: Message, r: Renderer, state: DraftState) -> None:
    """A text or a file of an addition, kept in the draft until Done; it says what it holds."""
    incident_id = int(state.data["id"])
    if state.replayed:  # handled again after a crash: say where it stands, add nothing twice
        texts, files = len(state.data["texts"]), len(state.data["attachments"])
        await replay.ask_again(
            ctx, state, reply(message, received(r, texts, files), _collecting(r, incident_id))
        )
        return
    assert state.person_id is not None
    if message.photo or message.document:
        await add_attachment(ctx, message, r, state.data["attachments"])
    elif message.text is not None:
        state.data["texts"].append(clean("addition", message.text, ctx.deps.policy))
        clean("addition", "\n".join(state.data["texts"]), ctx.deps.policy)  # all of it fits
    else:
        raise wrong_kind(Takes.ANY)
    await drafts.save(ctx.deps, state.person_id, state)
    texts, files = len(state.data["texts"]), len(state.data["attachments"])
    await reply(message, received(r, texts, files), _collecting(r, incident_id))
