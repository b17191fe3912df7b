"""/report: a guided conversation, one question per message, kept as a draft in SQL (rule 6).

Steps: kind → severity (not for information reports) → what → when → where → done →
attachments → summary (Submit / Edit a field / Cancel); the engine (handlers/flow.py) gives
Back on every step, /cancel anywhere, and the replay after a crash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update, User

from bot import examples
from bot.context import Ctx
from bot.drafts.service import DraftState
from bot.errors import StaleButton
from bot.i18n import N_
from bot.incidents.rules import day_of, parse_when
from bot.incidents.service import ReportDraft, file_report
from bot.people import service as people
from bot.policy.schema import Kind, Severity
from handlers.answers import Takes, line
from handlers.attachments import add_attachment
from handlers.common import edit_and_answer, tg_user
from handlers.flow import Flow
from handlers.flow_step import NEXT, Go, Question, Step, Turn, choice_step, files_step, text_step
from handlers.growth_buttons import add_button
from render.incident import KIND_NAMES, SEVERITY_NAMES, kind, moment, severity
from render.renderer import Renderer

__all__ = ["FLOW", "REPORT", "add_attachment", "ask", "begin", "begin_at_event", "summary"]

FLOW = "report"
KIND_CODES = {
    "ns": Kind.NETWORK_SECURITY,
    "po": Kind.PUBLIC_OPINION,
    "ev": Kind.EVENT_INCIDENT,
    "in": Kind.INFORMATION,
}
SEVERITY_CODES = {"g": Severity.GENERAL, "m": Severity.MAJOR, "c": Severity.CRITICAL}
QUESTIONS = {
    "what": N_("What happened? Describe it in a message."),
    "where": N_("Where? Name the system, platform or place."),
    "done": N_("What has already been done about it?"),
}


def _no_severity(data: dict[str, Any]) -> None:
    """An information report has no severity (L4): one chosen before goes."""
    if data["kind"] == Kind.INFORMATION:
        data.pop("severity", None)


async def _ask_when(turn: Turn) -> Question:
    r, deps = turn.r, turn.ctx.deps
    text = r(
        "When was it discovered? Choose, or type a date and time such as {example}.",
        example=examples.moment(deps.clock.now(), deps.zone),
    )
    row = [
        turn.button(r.plain("Just now"), "now"),
        turn.button(r.plain("Today"), "today"),
        turn.button(r.plain("Yesterday"), "yday"),
    ]
    return text, [row]


async def _on_when_pressed(turn: Turn, choice: str, _: str) -> Go:
    now, zone = turn.ctx.deps.clock.now(), turn.ctx.deps.zone
    if choice not in ("now", "today", "yday"):
        raise StaleButton()
    when, precision = (now, "minute") if choice == "now" else day_of(now, zone, choice == "yday")
    turn.data["when"], turn.data["precision"] = when.isoformat(), precision
    return NEXT


async def _on_when_typed(turn: Turn, text: str) -> Go:
    deps = turn.ctx.deps
    when, precision = parse_when(line(text), deps.clock.now(), deps.zone)
    turn.data["when"], turn.data["precision"] = when.isoformat(), precision
    return NEXT


async def _summary(turn: Turn) -> str:
    return summary(turn.r, turn.data)


def summary(r: Renderer, data: dict[str, Any]) -> str:
    """The report as its reporter checks it before Submit, and as the receipt shows it (L4)."""
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


async def _submit(turn: Turn) -> str | None:
    d, r = turn.data, turn.r
    filed = await file_report(
        turn.ctx.deps,
        tg_user(turn.user),
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
    return await edit_and_answer(turn.update, text, rows, r("Submitted as {ref}.", ref=filed.ref))


REPORT = Flow(
    name=FLOW,
    domain="rp",
    steps=(
        choice_step(
            "kind",
            N_("What do you want to report?"),
            KIND_CODES,
            lambda r, k: r.plain(KIND_NAMES[k]),
            code="k",
            then=_no_severity,
            field=N_("Kind"),
            returns=False,
        ),
        choice_step(
            "severity",
            N_("How serious is it?"),
            SEVERITY_CODES,
            lambda r, s: r.plain(SEVERITY_NAMES[s]),
            code="s",
            one_row=True,
            field=N_("Severity"),
            applies=lambda d: d.get("kind") != Kind.INFORMATION,
        ),
        text_step("what", QUESTIONS["what"], N_("What happened")),
        Step(
            "when",
            _ask_when,
            code="w",
            on_button=_on_when_pressed,
            on_text=_on_when_typed,
            takes=Takes.TEXT_OR_BUTTONS,
            field=N_("Discovered"),
        ),
        text_step("where", QUESTIONS["where"], N_("Where")),
        text_step("done", QUESTIONS["done"], N_("Already done")),
        files_step(
            "attach",
            N_(
                "Send photos or documents if you have any, then press Done; with none, "
                "press Done now."
            ),
        ),
    ),
    summary=_summary,
    submit=_submit,
    gone=N_("This report is no longer being filled in. Send /report to start."),
    cancelled=N_("The report was cancelled. Nothing was sent."),
)
ask = REPORT.ask  # the draft's step again (Continue it, handlers/draft_guard.py)


async def begin(update: Update, ctx: Ctx, r: Renderer, user: User) -> None:
    """The first question; also reached by the deep link /start report."""
    me = await people.member(ctx.deps, tg_user(user))
    await REPORT.begin(update, ctx, r, me.id, DraftState(FLOW, "kind", {"attachments": []}))


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
    await REPORT.begin(update, ctx, r, me.id, state)
