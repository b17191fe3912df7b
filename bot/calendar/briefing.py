"""The briefing (会前材料) before a quarterly review (A1, A2): what the office and the leadership
read before the meeting, fixed when it falls due.

The information reports collected for the review (A1), the quarter's incidents grouped under
the five areas by their kind (the policy's `kind_areas`), the incidents still open and the
lapses the records prove so far. It is a list of lines, cut into parts that each fit one
Telegram message; every part names its incidents by reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar import digest
from bot.calendar.models import Occurrence
from bot.calendar.schedule import Due
from bot.db.refs import reference
from bot.deps import Deps
from bot.errors import NotAllowed, StaleButton
from bot.i18n import N_
from bot.incidents.models import Incident
from bot.ledger import records
from bot.ledger.lapses import lapses
from bot.ledger.obligations import obligations, window
from bot.ledger.period import LedgerPeriod
from bot.ledger.scope import Scope
from bot.ledger.service import reader
from bot.outbox.models import OutboxMessage
from bot.outbox.service import Button
from bot.people.view import TgUser
from bot.policy.schema import Kind

PER_PART = 30  # lines per message: 30 lines of at most ~110 characters stay under 4,096
PER_ROW = 3  # Details buttons side by side (a reference is 13 characters)
# The Details link of a reference: it opens the record in the reader's private chat, where the
# ledger's visibility decides what they see (handlers/start.py follows it); the briefing goes
# to group chats, where a record shown in place would reach everyone in them.
RECORD_LINK = "start:rec-"
WHAT = 50  # characters of an incident's description shown in a line


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= WHAT else line[: WHAT - 1] + "…"


def _line(i: Incident) -> list[Any]:
    return [
        "inc",
        reference("INC", i.year, i.number),
        i.kind,
        i.severity or "",
        i.status,
        _short(i.what),
    ]


async def lines(session: AsyncSession, deps: Deps, due: Due, now: datetime) -> list[list[Any]]:
    """Every line of the briefing, in order: a heading ["h", section, …, count] and its items."""
    qr = deps.policy.calendar.quarterly_review
    zone = deps.zone
    period = LedgerPeriod(due.period.start, due.period.end, zone)
    out: list[list[Any]] = []
    ids = await digest.information_ids(session, deps, due.period)  # A1: collected for it
    info = list(
        await session.scalars(
            select(Incident).where(Incident.id.in_(ids)).order_by(Incident.reported_at, Incident.id)
        )
    )
    out.append(["h", "information", len(info)])
    out += [_line(i) for i in info]
    quarter = list(
        await session.scalars(
            select(Incident)
            .where(
                Incident.reported_at >= period.start,
                Incident.reported_at < now,
                Incident.kind != Kind.INFORMATION,
            )
            .order_by(Incident.reported_at, Incident.id)
        )
    )
    for topic in qr.topics:  # A2: the five areas, each with the incidents of its kinds
        mine = [i for i in quarter if qr.kind_areas.get(i.kind) == topic.key]
        out.append(["h", "area", topic.name, topic.name_en, len(mine)])
        out += [_line(i) for i in mine]
    other = [i for i in quarter if i.kind not in qr.kind_areas]
    if other:
        out.append(["h", "other", len(other)])
        out += [_line(i) for i in other]
    still = list(
        await session.scalars(
            select(Incident)
            .where(Incident.status != "closed", Incident.reported_at < now)
            .order_by(Incident.reported_at, Incident.id)
        )
    )
    out.append(["h", "open", len(still)])
    out += [_line(i) for i in still]
    found = await _lapses(session, deps, period, now)
    out.append(["h", "lapses", len(found)])
    out += found
    return out


async def _lapses(
    session: AsyncSession, deps: Deps, period: LedgerPeriod, now: datetime
) -> list[list[Any]]:
    """The lapses the ledger shows for the quarter so far (the whole organisation's)."""
    everything = Scope(0, True, frozenset())
    incidents = await records.incidents(session, period, everything)
    events = await records.events(session, period, everything)
    first, last = window(deps.policy, period)
    held = await records.meetings(session, first, last)
    kept = await records.kept_since(session)
    today = now.astimezone(deps.zone).date()
    owed = obligations(
        deps.policy,
        deps.zone,
        period,
        held,
        today,
        kept.astimezone(deps.zone).date() if kept else None,
    )
    return [
        [
            "lapse",
            lp.code,
            lp.due.isoformat(),
            lp.subject,
            lp.late_by.total_seconds() if lp.late_by is not None else None,
            lp.params,
        ]
        for lp in lapses(period, deps.policy, now, incidents, events, owed)
    ]


def parts(all_lines: list[list[Any]]) -> list[list[list[Any]]]:
    """The lines cut into messages; a heading never ends a part alone."""
    out: list[list[list[Any]]] = [[]]
    for line in all_lines:
        if len(out[-1]) >= PER_PART or (len(out[-1]) >= PER_PART - 1 and line[0] == "h"):
            out.append([])
        out[-1].append(line)
    return out


def details(part: list[list[Any]]) -> list[list[Button]]:
    """A Details button for each incident the part names, once each, in the order named."""
    refs = list(dict.fromkeys(line[1] for line in part if line[0] == "inc"))
    buttons = [Button(ref, RECORD_LINK + ref, translate=False) for ref in refs]
    return [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]


TEMPLATE = "calendar.quarter_briefing"
FOR_WHOM = N_("The briefing is for the office and the leadership.")


async def as_sent(
    deps: Deps, actor: TgUser, occurrence_id: int, chat_id: int
) -> tuple[dict[str, Any], list[list[Any]]]:
    """The briefing as it was sent to this chat (A1): its parameters and every line of its
    parts, for its document. Only for those it is for: the office and the leadership (an
    inspector too, R7); the lines are the ones fixed when it fell due, not read again."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        if not (await reader(session, actor, now)).everything:
            raise NotAllowed(FOR_WHOM)
        occurrence = await session.get(Occurrence, occurrence_id)
        if occurrence is None or occurrence.obligation != "quarter_briefing":
            raise StaleButton()
        sent = await session.scalars(
            select(OutboxMessage.params)
            .where(OutboxMessage.template == TEMPLATE, OutboxMessage.chat_id == chat_id)
            .order_by(OutboxMessage.id)
        )
        parts = [p for p in sent if p.get("key") == occurrence.key]
    if not parts:
        raise StaleButton()
    return parts[0], [line for p in parts for line in p["lines"]]
