"""The words of the compliance calendar: reminders, lapses, the digest, /calendar (gettext)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_skeleton

from bot.calendar.models import MeetingKind
from bot.i18n import N_
from render.event import when
from render.renderer import Notice, Renderer, esc

QUARTERS = {1: N_("Q1 {year}"), 2: N_("Q2 {year}"), 3: N_("Q3 {year}"), 4: N_("Q4 {year}")}
KIND_NAMES = {
    MeetingKind.QUARTERLY_REVIEW: N_("Quarterly review (A2)"),
    MeetingKind.DEDICATED: N_("Dedicated meeting (R2)"),
    MeetingKind.STUDY: N_("Study session (R3)"),
    MeetingKind.FORWARD_ANALYSIS: N_("Forward-looking analysis (A3)"),
    MeetingKind.OTHER: N_("Other meeting"),
}
OBLIGATION_NAMES = {
    "quarter": N_("Quarterly review"),
    "dedicated": N_("Dedicated meetings"),
    "study": N_("Study session"),
    "sensitive": N_("Forward-looking analysis"),
}


def day(r: Renderer, iso: str) -> str:
    """An ISO date in the reader's words."""
    return r.t.date(date.fromisoformat(iso))


def due_day(r: Renderer, item: dict[str, Any]) -> str:
    """The local day an item falls due (its reminder's moment)."""
    return r.t.date(datetime.fromisoformat(item["due"]).astimezone(r.zone).date())


def period(r: Renderer, p: dict[str, Any]) -> str:
    """A quarter, month, week or year in the reader's words (plain)."""
    start = date.fromisoformat(p["start"])
    unit = p["unit"]
    if unit == "quarter":
        return r.plain(QUARTERS[(start.month - 1) // 3 + 1], year=start.year)
    if unit == "month":
        return str(format_skeleton("yMMMM", start, locale=r.t.babel_locale))
    if unit == "week":
        return r.plain("the week of {date}", date=r.t.date(start))
    return r.plain("{year}", year=start.year)


def named(r: Renderer, p: dict[str, Any]) -> str:
    """A policy name given in both languages (a sensitive date, a topic area)."""
    return str(p["name"] if r.locale.startswith("zh") else p["name_en"])


def topics(r: Renderer, p: dict[str, Any]) -> str:
    """A2's topic areas, one bulleted line each, in the reader's language, escaped."""
    return "\n".join(f"· {esc(zh if r.locale.startswith('zh') else en)}" for zh, en in p["topics"])


def areas(r: Renderer, pairs: list[list[str]]) -> str:
    """Topic areas given in both languages, as one list (plain)."""
    return r.items(zh if r.locale.startswith("zh") else en for zh, en in pairs)


def _tail(r: Renderer, p: dict[str, Any]) -> str:
    """Late or snoozed: said at the end, so the reader knows why it comes now."""
    lines = []
    if p.get("snoozed"):
        lines.append(r("You asked to be reminded of this today."))
    if p.get("late_since"):
        lines.append(
            r(
                "This reminder is late: it was due on {when}, while the bot was not running.",
                when=when(r, p["late_since"]),
            )
        )
    return "".join("\n\n" + line for line in lines)


def _quarter_open(r: Renderer, p: dict[str, Any]) -> str:
    text = "\n".join(
        [
            r(
                "<b>Quarterly review: {period}</b>\nUnder the regulation (A2), this quarter's "
                "analysis must cover these areas:",
                period=period(r, p),
            ),
            topics(r, p),
            r("Please hold it and record it by {end}.", end=day(r, p["end"])),
        ]
    )
    if p.get("invite"):
        text += "\n\n" + r(
            "Everyone: please send the information you have for it (A1): in a private chat "
            "with the bot send /report and choose “Information report”."
        )
    return text + _tail(r, p)


def _quarter_reminder(r: Renderer, p: dict[str, Any]) -> str:
    if p.get("missing"):  # A2: held, incomplete: reminded of the areas still missing
        return r(
            "<b>Reminder: the quarterly review for {period} was held, incomplete</b> (A2). "
            "These areas still have no conclusion: {areas}. Please analyse them and record "
            "it with /meeting by {end}.",
            period=period(r, p),
            areas=areas(r, p["missing"]),
            end=day(r, p["end"]),
        ) + _tail(r, p)
    text = r(
        "<b>Reminder: no quarterly review has been recorded for {period}</b> (A2). The quarter "
        "ends on {end}.",
        period=period(r, p),
        end=day(r, p["end"]),
    )
    text += "\n" + r.plural(
        "{n} information report has been sent in since the last review (A1).",
        "{n} information reports have been sent in since the last review (A1).",
        int(p.get("inputs", 0)),
    )
    return text + "\n" + topics(r, p) + _tail(r, p)


def _quarter_lapse(r: Renderer, p: dict[str, Any]) -> str:
    if p.get("missing"):
        return r(
            "<b>Lapse (A2): the quarterly review for {period} was held, incomplete.</b> These "
            "areas had no conclusion when the quarter ended: {areas}.",
            period=period(r, p),
            areas=areas(r, p["missing"]),
        ) + _tail(r, p)
    return r(
        "<b>Lapse (A2): no quarterly review was recorded for {period}.</b> If it was held, "
        "please record it with /meeting.",
        period=period(r, p),
    ) + _tail(r, p)


def _dedicated_reminder(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Dedicated meetings (R2): {held} of {minimum} held in {year}.</b> The regulation "
        "requires the secretary to convene at least {minimum} a year; please schedule the next "
        "one.",
        held=p["held"],
        minimum=p["minimum"],
        year=p["start"][:4],
    ) + _tail(r, p)


def _dedicated_lapse(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Lapse (R2): dedicated meetings recorded in {year}: {held} of the required "
        "{minimum}.</b>",
        held=p["held"],
        minimum=p["minimum"],
        year=p["start"][:4],
    ) + _tail(r, p)


def _study_open(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Study session: {period}</b> (R3, P4)\nPlease organise this period's theoretical "
        "study (films about model figures count too) and record it with /meeting once held.",
        period=period(r, p),
    ) + _tail(r, p)


def _study_reminder(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Reminder: no study session has been recorded for {period}</b> (R3). Today is its "
        "last working day.",
        period=period(r, p),
    ) + _tail(r, p)


def _study_lapse(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Lapse (R3): no study session was recorded for {period}.</b>", period=period(r, p)
    ) + _tail(r, p)


def _sensitive(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>Sensitive date ahead (A3): {name}, {date}.</b>\nPlease arrange a forward-looking "
        "analysis before it and record it with /meeting.",
        name=named(r, p),
        date=day(r, p["on"]),
    ) + _tail(r, p)


def obligation_name(r: Renderer, item: dict[str, Any]) -> str:
    """The name of the item's obligation in the reader's words (plain)."""
    key = item["obligation"]
    return r.plain(OBLIGATION_NAMES[key])


def item_line(r: Renderer, item: dict[str, Any]) -> str:
    """One obligation in a list: what, for which period or date (escaped)."""
    name = obligation_name(r, item)
    if item["obligation"] == "sensitive":
        return r(
            "{what} before {name} ({date})", what=name, name=named(r, item), date=day(r, item["on"])
        )
    return r("{what}, {period}", what=name, period=period(r, item))


def _digest(r: Renderer, p: dict[str, Any]) -> str:
    open_: dict[str, int] = p["open"]
    lines = [
        r("<b>Weekly digest: {period}</b>", period=period(r, p)),
        r(
            "Open incidents: {total} (critical {critical}, major {major}, general {general}, "
            "information reports {information}); not yet acknowledged: {unacknowledged}.",
            total=sum(open_.values()),
            critical=open_.get("critical", 0),
            major=open_.get("major", 0),
            general=open_.get("general", 0),
            information=open_.get("information", 0),
            unacknowledged=p["unacknowledged"],
        ),
        r(
            "Event requests awaiting a decision: {pending}; approved but not yet filed: {unfiled}.",
            pending=p["pending"],
            unfiled=p["unfiled"],
        ),
    ]
    if p["upcoming"]:
        lines.append(r("<b>Coming up</b>"))
        lines += [
            "· " + r.plain("{date}: {what}", date=esc(due_day(r, i)), what=item_line(r, i))
            for i in p["upcoming"]
        ]
    else:
        lines.append(r("Nothing of the regulation's calendar falls due in the coming weeks."))
    return "\n".join(lines) + _tail(r, p)


def kind_name(r: Renderer, kind: str) -> str:
    """A meeting kind's name in the reader's words, with the clause it serves (plain)."""
    return r.plain(KIND_NAMES[MeetingKind(kind)])


def held_line(r: Renderer, ref: str, held_on: date, kind: str, title: str) -> str:
    """One meeting held, as /calendar and the ledger list it: MTG-2026-0007 · date · kind."""
    parts = [f"<b>{esc(ref)}</b>", esc(r.t.date(held_on)), esc(kind_name(r, kind))]
    if title:
        parts.append(esc(title))
    return " · ".join(parts)  # as /find lists records


def _holidays_unknown(r: Renderer, p: dict[str, Any]) -> str:
    return r(
        "<b>The holiday calendar does not know {year}'s make-up working days yet</b> (holidays "
        "{version}). Until it does, weekends in {year} count as days off, so limits and "
        "reminders may fall on the wrong days. When the State Council publishes {year}'s "
        "holiday notice, update the bot (make lock UPGRADE=--upgrade-package=holidays), or "
        "enter the notice in the policy file: [calendar] extra_working_days and extra_days_off.",
        year=p["year"],
        version=p["version"],
    )


NOTICES: dict[str, Notice] = {
    "calendar.holidays_unknown": _holidays_unknown,
    "calendar.quarter_open": _quarter_open,
    "calendar.quarter_reminder": _quarter_reminder,
    "calendar.quarter_lapse": _quarter_lapse,
    "calendar.dedicated_reminder": _dedicated_reminder,
    "calendar.dedicated_lapse": _dedicated_lapse,
    "calendar.study_open": _study_open,
    "calendar.study_reminder": _study_reminder,
    "calendar.study_lapse": _study_lapse,
    "calendar.sensitive": _sensitive,
    "calendar.digest": _digest,
}
