"""/report: a guided conversation, one question per message, kept as a draft in SQL (rule 6).

Steps: kind → severity (not for information reports) → what → when → where → done →
attachments → summary (Submit / Edit a field / Cancel). Back on every step, /cancel anywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Message, Update, User

from bot import examples
from bot.context import Ctx
from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.errors import InvalidInput, StaleButton
from bot.files import service as kept_files
from bot.freetext import attachment_name, clean
from bot.i18n import N_
from bot.incidents.rules import day_of, parse_when
from bot.incidents.service import ReportDraft, file_report
from bot.people import service as people
from bot.policy.schema import Kind, Severity
from handlers import callback_data as cd
from handlers import replay
from handlers.answers import Takes, typed, wrong_kind
from handlers.common import (
    button,
    draft_in,
    edit_and_answer,
    edit_or_send,
    nav_row,
    reply,
    show_step,
    tg_user,
)
from handlers.growth_buttons import add_button
from render.incident import KIND_NAMES, SEVERITY_NAMES, kind, moment, severity
from render.renderer import Renderer

FLOW = "report"
KIND_CODES = {
    "ns": Kind.NETWORK_SECURITY,
    "po": Kind.PUBLIC_OPINION,
    "ev": Kind.EVENT_INCIDENT,
    "in": Kind.INFORMATION,
}
SEVERITY_CODES = {"g": Severity.GENERAL, "m": Severity.MAJOR, "c": Severity.CRITICAL}
STEPS = ("kind", "severity", "what", "when", "where", "done", "attach", "summary")
QUESTIONS = {
    "what": N_("What happened? Describe it in a message."),
    "when": N_("When was it discovered? Choose, or type a date and time such as {example}."),
    "where": N_("Where? Name the system, platform or place."),
    "done": N_("What has already been done about it?"),
    "attach": N_(
        "Send photos or documents if you have any, then press Done; with none, press Done now."
    ),
}
# What each step takes as an answer; a message of another kind gets handlers.answers' sentence.
TAKES = {
    "what": Takes.TEXT,
    "where": Takes.TEXT,
    "done": Takes.TEXT,
    "when": Takes.TEXT_OR_BUTTONS,
    "attach": Takes.FILES_OR_BUTTONS,
}
FIELD_NAMES = {
    "kind": N_("Kind"),
    "severity": N_("Severity"),
    "what": N_("What happened"),
    "when": N_("Discovered"),
    "where": N_("Where"),
    "done": N_("Already done"),
}


def _b(action: str, *args: object) -> str:
    return cd.encode("rp", action, *args)


def _nav(r: Renderer) -> list[tuple[str, str]]:
    return nav_row(r, "rp")


def _steps_for(data: dict[str, Any]) -> list[str]:
    return [s for s in STEPS if not (s == "severity" and data.get("kind") == Kind.INFORMATION)]


async def ask(update: Update, ctx: Ctx, r: Renderer, state: DraftState, edit: bool) -> None:
    """Show the question of the current step (editing the pressed message where there is one)."""
    step = state.step
    rows: list[list[tuple[str, str]]]
    if step == "kind":
        text = r("What do you want to report?")
        rows = [[(r.plain(KIND_NAMES[k]), _b("k", c))] for c, k in KIND_CODES.items()]
        rows.append([(r.plain("Cancel"), _b("x"))])
    elif step == "severity":
        text = r("How serious is it?")
        rows = [[(r.plain(SEVERITY_NAMES[s]), _b("s", c)) for c, s in SEVERITY_CODES.items()]]
        rows.append(_nav(r))
    elif step == "when":
        text = r(QUESTIONS[step], example=examples.moment(ctx.deps.clock.now(), ctx.deps.zone))
        rows = [
            [
                (r.plain("Just now"), _b("w", "now")),
                (r.plain("Today"), _b("w", "today")),
                (r.plain("Yesterday"), _b("w", "yday")),
            ],
            _nav(r),
        ]
    elif step == "attach":
        count = len(state.data.get("attachments", []))
        text = r(QUESTIONS[step])
        if count:
            text += "\n" + r.plural("{n} file received.", "{n} files received.", count)
        rows = [[(r.plain("Done"), _b("a"))], _nav(r)]
    elif step == "summary":
        text, rows = (
            summary(r, state.data),
            [
                [(r.plain("Submit"), _b("ok"))],
                [(r.plain("Edit a field"), _b("e")), (r.plain("Cancel"), _b("x"))],
            ],
        )
    else:
        text, rows = r(QUESTIONS[step]), [_nav(r)]
    await show_step(update, text, rows, edit)


def summary(r: Renderer, data: dict[str, Any]) -> str:
    lines = [r("<b>Please check your report.</b>"), r("Kind: {value}", value=kind(r, data["kind"]))]
    if data.get("severity"):
        lines.append(r("Severity: {value}", value=severity(r, data["severity"])))
    lines += [
        r("What happened: {text}", text=data["what"]),
        r("Discovered: {when}", when=moment(r, data["when"], data.get("precision", "minute"))),
        r("Where: {text}", text=data["where"]),
        r("Already done: {text}", text=data["done"]),
        r.plural("{n} attachment", "{n} attachments", len(data.get("attachments", []))),
    ]
    return "\n".join(lines)


def _next(state: DraftState) -> None:
    """Move on; after editing one field go straight back to the summary."""
    if state.data.pop("editing", False):
        state.step = "summary"
        return
    order = _steps_for(state.data)
    state.step = order[order.index(state.step) + 1]
    while state.step in state.data.get("prefilled", []):  # e.g. the place of an event
        state.step = order[order.index(state.step) + 1]


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """The first question; also reached by the deep link /start report."""
    me = await people.member(ctx.deps, tg_user(user))
    state = DraftState(FLOW, "kind", {"attachments": []})
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)


async def begin_at_event(
    update: Update, ctx: Ctx, r: Renderer, user: User, event: dict[str, str]
) -> None:
    """A report of an incident at an event: the kind and the place are already known."""
    me = await people.member(ctx.deps, tg_user(user))
    where = r.plain(
        "{venue} ({ref} “{title}”)", venue=event["venue"], ref=event["ref"], title=event["title"]
    )
    state = DraftState(
        FLOW,
        "severity",
        {"attachments": [], "kind": Kind.EVENT_INCIDENT, "where": where, "prefilled": ["where"]},
    )
    await drafts.save(ctx.deps, me.id, state)
    await ask(update, ctx, r, state, edit=False)


async def _state(ctx: Ctx, user: User) -> tuple[int, DraftState]:
    return await draft_in(
        ctx, user, FLOW, N_("This report is no longer being filled in. Send /report to start.")
    )


@button
async def on_button(update: Update, ctx: Ctx, data: cd.Data, user: User, r: Renderer) -> str | None:
    """Every button of the report conversation."""
    person_id, state = await _state(ctx, user)
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await ask(update, ctx, r, state, edit=True)
        return None
    arg = data.args[0] if data.args else ""
    order = _steps_for(state.data)
    now, zone = ctx.deps.clock.now(), ctx.deps.zone
    if data.action == "x":
        await drafts.clear(ctx.deps, user.id)
        await edit_or_send(update, r("The report was cancelled. Nothing was sent."), None)
        return None
    if data.action == "ok" and state.step == "summary":
        return await _submit(update, ctx, r, user, state)
    if data.action == "b" and state.step in order:
        state.data.pop("editing", None)
        state.step = order[max(0, order.index(state.step) - 1)]
    elif data.action == "sm" and state.step == "summary":
        pass  # out of the field menu, back to the summary unchanged
    elif data.action == "e" and state.step == "summary":
        rows = [[(r.plain(FIELD_NAMES[f]), _b("f", f))] for f in FIELD_NAMES if f in order]
        rows.append([(r.plain("‹ Back to the summary"), _b("sm")), (r.plain("Cancel"), _b("x"))])
        await edit_or_send(update, r("Which field do you want to change?"), rows)
        return None
    elif data.action == "f" and arg in FIELD_NAMES:
        state.step, state.data["editing"] = arg, arg not in ("kind",)
    elif data.action == "k" and state.step == "kind" and arg in KIND_CODES:
        state.data["kind"] = KIND_CODES[arg]
        if state.data["kind"] == Kind.INFORMATION:
            state.data.pop("severity", None)
        _next(state)
    elif data.action == "s" and state.step == "severity" and arg in SEVERITY_CODES:
        state.data["severity"] = SEVERITY_CODES[arg]
        _next(state)
    elif data.action == "w" and state.step == "when" and arg in ("now", "today", "yday"):
        when, precision = (now, "minute") if arg == "now" else day_of(now, zone, arg == "yday")
        state.data["when"], state.data["precision"] = when.isoformat(), precision
        _next(state)
    elif data.action == "a" and state.step == "attach":
        _next(state)
    else:
        raise StaleButton()
    await drafts.save(ctx.deps, person_id, state)
    await ask(update, ctx, r, state, edit=True)
    return None


async def _submit(
    update: Update, ctx: Ctx, r: Renderer, user: User, state: DraftState
) -> str | None:
    d = state.data
    filed = await file_report(
        ctx.deps,
        tg_user(user),
        ReportDraft(
            kind=Kind(d["kind"]),
            severity=Severity(d["severity"]) if d.get("severity") else None,
            what=d["what"],
            discovered_at=datetime.fromisoformat(d["when"]),
            discovered_precision=d.get("precision", "minute"),
            location=d["where"],
            actions_taken=d["done"],
            attachments=d.get("attachments", []),
        ),
    )
    text = (
        summary(r, d)
        + "\n\n"
        + r(
            "Submitted as <b>{ref}</b>. The people responsible have been notified; "
            "follow it with /my.",
            ref=filed.ref,
        )
    )
    # The reporter's copy: later facts or files are added from here (handlers/growth.py).
    rows = [[add_button(r, filed.incident_id)]]
    return await edit_and_answer(update, text, rows, r("Submitted as {ref}.", ref=filed.ref))


async def on_message(
    update: Update, ctx: Ctx, message: Message, user: User, r: Renderer, state: DraftState
) -> None:
    """Text or files while a report is being filled in."""
    if state.replayed:  # handled again after a crash: show the step, apply nothing twice
        await replay.ask_again(ctx, state, ask(update, ctx, r, state, edit=False))
        return
    assert state.person_id is not None  # read from the database by handlers.text
    if state.step == "attach" and (message.photo or message.document):
        await _attachment(ctx, message, r, state)
    elif state.step in ("what", "where", "done") and message.text is not None:
        state.data[state.step] = clean(state.step, message.text, ctx.deps.policy)
        _next(state)
    elif state.step == "when" and message.text is not None:
        when, precision = parse_when(typed(message), ctx.deps.clock.now(), ctx.deps.zone)
        state.data["when"], state.data["precision"] = when.isoformat(), precision
        _next(state)
    else:
        raise wrong_kind(TAKES.get(state.step, Takes.BUTTONS))
    await drafts.save(ctx.deps, state.person_id, state)
    await ask(update, ctx, r, state, edit=False)


async def _attachment(ctx: Ctx, message: Message, r: Renderer, state: DraftState) -> None:
    await add_attachment(ctx, message, r, state.data.setdefault("attachments", []))


async def add_attachment(
    ctx: Ctx, message: Message, r: Renderer, files: list[dict[str, Any]]
) -> None:
    """A photo or document sent as an answer: checked against the policy's limits and noted
    by its Telegram file_id; once the record is saved the office keeps its own copy
    (bot.files). A file larger than the bot may download is still attached, and its sender
    told at once that no copy can be kept and what to do instead."""
    policy = ctx.deps.policy.incidents
    item: dict[str, Any]
    if message.photo:
        photo = message.photo[-1]
        item = {
            "file_id": photo.file_id,
            "kind": "photo",
            "name": attachment_name(message.caption),
            "size": photo.file_size,
            "mime_type": "image/jpeg",
        }
    else:
        assert message.document is not None
        doc = message.document
        item = {
            "file_id": doc.file_id,
            "kind": "document",
            "name": attachment_name(doc.file_name or message.caption),
            "size": doc.file_size,
            "mime_type": doc.mime_type,
        }
    if (item["size"] or 0) > policy.max_attachment_mb * 1024 * 1024:
        raise InvalidInput(
            N_(
                "That file is larger than {mb} MB, the most the office accepts for one file. "
                "Please send a smaller one or describe it in text."
            ),
            mb=policy.max_attachment_mb,
        )
    if len(files) >= policy.max_attachments:
        raise InvalidInput(N_("At most {n} files can be attached."), n=policy.max_attachments)
    files.append(item)
    limit = ctx.deps.settings.max_download_mb
    if kept_files.too_big(item["size"], limit):
        await reply(
            message,
            r(
                "This file is larger than {mb} MB, so the bot cannot keep its own copy: it is "
                "attached and sent on, but only while Telegram still has it. Please also send it "
                "split into parts of at most {mb} MB, or hand a copy to the office.",
                mb=limit,
            ),
        )
