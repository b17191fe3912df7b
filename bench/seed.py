"""The bench's large database (docs/decisions/006-performance.md): people, three years of incidents
and event requests with
their handlers, timelines, versions and audit trail, shaped as the bot's services leave them.

    python -m bench.seed --database-url URL [--people 20000] [--incidents 200000] [--events 50000]

The database is migrated, then filled with bulk Core inserts, one transaction per chunk. Not
idempotent: a database that already holds seeded people (Telegram ids from 50,000,000 up; the
live bench's users stay below 10,000,000) is refused with ValueError, so seed a fresh one.

The shape: records closed over three years; about 0.5% of incidents still open and a few event
requests undecided, whose next due moments lie 2 to 72 hours ahead (further than the policy's
cadence would put them, so that the database stays quiet after seeding); and 20 items due right
now, so that the first sweep does real work: 8 incidents to escalate (L4, L2), 4 missed updates
(P2), 4 waiting for the secretary (R2), 2 filings, 1 eve and 1 follow-up (R6). Also kept, as
the bot leaves them: events approved but never filed, whose date passed (R6 lapses, about 0.2%),
and closed major incidents the secretary never acknowledged (C2). Then ANALYZE, and on
PostgreSQL the id sequences move past the seeded rows so the bot files on after them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.base import Base, import_all_models
from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.db.refs import reference
from bot.people.roles import Role
from bot.policy.load import load as load_policy
from bot.policy.schema import Kind, Policy, Severity
from bot.policy.worktime import add_working_minutes
from bot.search import backfill

SEED_BASE = 50_000_000  # seeded Telegram ids; the live bench's users stay below 10,000,000
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
SPAN = 3 * 365 * DAY
OPEN_SHARE = 0.005
EVERY = 20_000  # progress lines
Row = dict[str, Any]
Numbers = defaultdict[int, int]  # the last reference number of each year
TABLES = (
    "committees",
    "people",
    "role_grants",
    "incidents",
    "incident_handlers",
    "incident_timeline",
    "event_requests",
    "event_versions",
    "audit_log",
)
# The clause each kind's filing and closing cite (as bot.incidents.service.CLAUSE).
CLAUSE = {
    "network_security": "L4",
    "public_opinion": "P2",
    "event_incident": "R6",
    "information": "A1",
}
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静磊洋艳勇军杰娟涛明超华"
ENGLISH = ("Alice", "Ben", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivan"), ("Smith", "Wong", "Lee")
COMMITTEES = (
    "宣传委员会",
    "组织委员会",
    "纪检委员会",
    "青年委员会",
    "学术委员会",
    "统战委员会",
    "工会委员会",
    "妇女委员会",
)
WHAT = (
    "网站首页出现不实信息",
    "短视频平台出现不实转发",
    "办公网络发现异常登录",
    "活动现场出现横幅",
    "A phishing e-mail reached the office",
    "An unverified post about us is spreading",
)
PLACES = ("门户网站", "微信公众号", "机关三楼会议室", "Office network", "Main hall")
TITLES = (
    "理论宣讲报告会",
    "青年座谈会",
    "读书分享会",
    "专家讲座",
    "形势政策论坛",
    "Policy seminar",
)
# Incidents due now (minutes since reported) and how many of each.
DUE_INCIDENTS = {"ack_due": (8, 40, 55), "update_due": (4, 135, 200), "secretary_due": (4, 35, 60)}
PAST = {"cleared": 79.8, "rejected": 10, "withdrawn": 6, "cancelled": 4, "lapsed": 0.2}
FUTURE = {
    "cleared": 45,
    "approved": 20,
    "rejected": 8,
    "withdrawn": 3,
    "pending": 12,
    "in_review": 4,
    "organiser": 3,
    "changes_requested": 5,
}
STATUS = {
    "lapsed": "approved",
    "filing_due": "approved",
    "eve_due": "cleared",
    "followup_due": "cleared",
}


def after(moment: datetime, delta: timedelta, now: datetime) -> datetime:
    """`delta` after `moment`, but not later than a minute ago (nor earlier than `moment`)."""
    return max(moment, min(moment + delta, now - MIN))


class Writer:
    """Rows by table, written in the schema's dependency order, one transaction per flush."""

    def __init__(self, engine: AsyncEngine, progress: Callable[[str], None]) -> None:
        self.engine, self.progress, self.started = engine, progress, time.monotonic()
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.next: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = {}

    async def open(self) -> dict[str, Numbers]:
        """Refuse a seeded database; start ids after the existing ones. Returns the highest
        reference number of each year per table (the bot's own records keep theirs)."""
        tables, numbers = Base.metadata.tables, dict[str, Numbers]()
        async with self.engine.connect() as conn:
            people = tables["people"]
            if await conn.scalar(select(func.count()).where(people.c.telegram_id >= SEED_BASE)):
                raise ValueError(
                    "This database already holds seeded people (Telegram ids from "
                    f"{SEED_BASE:,}): seed a fresh database instead."
                )
            for name in TABLES:
                self.next[name] = int(await conn.scalar(select(func.max(tables[name].c.id))) or 0)
            for name in ("incidents", "event_requests"):
                t = tables[name]
                rows = await conn.execute(select(t.c.year, func.max(t.c.number)).group_by(t.c.year))
                numbers[name] = defaultdict(int, {int(y): int(n) for y, n in rows})
        return numbers

    def add(self, table: str, row: Row) -> Row:
        self.next[table] += 1
        row["id"] = self.next[table]
        self.rows[table].append(row)
        return row

    def audit(
        self,
        at: datetime,
        action: str,
        subject: tuple[str, int],
        clause: str | None,
        actor: int | None = None,
        **data: Any,
    ) -> None:
        self.add(
            "audit_log",
            {
                "at": at,
                "actor_id": actor,
                "action": action,
                "subject_type": subject[0],
                "subject_id": subject[1],
                "clause": clause,
                "data": data,
            },
        )

    async def flush(self) -> None:
        async with self.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                rows = self.rows.pop(table.name, None)
                if not rows:
                    continue
                blank = {c.key: getattr(c.default, "arg", None) for c in table.columns}
                blank = {k: v if not callable(v) else None for k, v in blank.items()}
                await conn.execute(insert(table), [blank | row for row in rows])
                before = self.counts.get(table.name, 0)
                self.counts[table.name] = before + len(rows)
                if table.name in ("incidents", "event_requests") and (
                    before // EVERY < self.counts[table.name] // EVERY
                ):
                    self.progress(
                        f"{time.monotonic() - self.started:7.1f} s  "
                        f"{table.name}: {self.counts[table.name]:,}"
                    )

    async def finish(self) -> None:
        """PostgreSQL's sequences move past the ids given here; statistics for the planner."""
        async with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                for name in self.counts:
                    await conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', "
                            f"'id'), (SELECT max(id) FROM {name}))"
                        )
                    )
            await conn.execute(text("ANALYZE"))
        if self.engine.dialect.name == "sqlite":
            async with self.engine.connect() as conn:
                await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


@dataclass
class Staff:
    ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    committee: dict[int, int | None] = field(default_factory=dict)
    roles: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, int] = field(default_factory=dict)  # committee → its head (L3)


def make_people(w: Writer, rng: random.Random, n: int, now: datetime) -> Staff:
    """People with their grants: one secretary (L1), two deputies (L2), office and emergency
    office staff (R4, L4), a head for each committee (L3, R5) and two administrators."""
    s, start, staff = Staff(), now - SPAN - 30 * DAY, max(2, min(20, n // 100))
    count = max(1, min(len(COMMITTEES), n // 10))
    committees = [
        w.add("committees", {"name": f"{name}（基准）", "created_at": start})["id"]
        for name in COMMITTEES[:count]
    ]
    roles = [
        Role.SECRETARY,
        Role.DEPUTY,
        Role.DEPUTY,
        *[Role.OFFICE] * staff,
        *[Role.EMERGENCY_OFFICE] * staff,
        *[Role.COMMITTEE_HEAD] * count,
        Role.ADMIN,
        Role.ADMIN,
    ]
    if n < len(roles) + 5:
        raise ValueError(f"Seed at least {len(roles) + 5} people.")
    grants: list[tuple[int, Role, int | None]] = []
    for k in range(n):
        role = roles[k] if k < len(roles) else None
        chinese = rng.random() < 0.8
        first, last = (
            (rng.choice(SURNAMES) + rng.choice(GIVEN), None)
            if chinese
            else (rng.choice(ENGLISH[0]), rng.choice(ENGLISH[1]))
        )
        cid = (
            committees[len(s.heads)]
            if role == Role.COMMITTEE_HEAD
            else (rng.choice(committees) if rng.random() < 0.6 else None)
        )
        joined = start + rng.random() * 25 * DAY
        pid = w.add(
            "people",
            {
                "telegram_id": SEED_BASE + k,
                "first_name": first,
                "last_name": last,
                "username": f"seed{k}" if rng.random() < 0.6 else None,
                "language_code": "zh-hans" if chinese else "en",
                "locale": ("zh_CN" if chinese else "en") if rng.random() < 0.9 else None,
                "committee_id": cid,
                "started_at": joined + MIN,
                "created_at": joined,
                "blocked_at": joined + DAY if rng.random() < 0.005 else None,
                "updated_at": joined,
            },
        )["id"]
        w.audit(joined, "person.seen", ("person", pid), None)
        w.audit(joined + MIN, "person.started", ("person", pid), None, pid)
        s.ids.append(pid)
        s.names[pid] = " ".join(p for p in (first, last) if p)
        s.committee[pid] = cid
        if role is not None:
            s.roles[role].append(pid)
            grants.append((pid, role, cid if role == Role.COMMITTEE_HEAD else None))
            if role == Role.COMMITTEE_HEAD and cid is not None:
                s.heads[cid] = pid
    admin = s.roles[Role.ADMIN][0]
    for cid in committees:
        w.audit(start + 26 * DAY, "committee.create", ("committee", cid), "R5", admin)
    for pid, role, cid in grants:
        by = None if role == Role.ADMIN else admin
        w.add(
            "role_grants",
            {
                "person_id": pid,
                "role": str(role),
                "committee_id": cid,
                "granted_by_id": by,
                "granted_at": start + 27 * DAY,
            },
        )
        w.audit(start + 27 * DAY, "role.grant", ("person", pid), "R4", by, role=str(role))
    return s


def ack_limit(policy: Policy, kind: Kind, severity: str | None, at: datetime) -> datetime:
    """L4: the limit to acknowledge, as bot.incidents.service.ack_due sets it when filed."""
    hours = policy.working_hours
    limit = policy.incidents.acknowledge.for_(kind, Severity(severity) if severity else None)
    if limit.working_time:
        return add_working_minutes(at, limit.minutes, hours.zone, hours)
    return at + limit.minutes * MIN


def make_incident(
    w: Writer,
    rng: random.Random,
    s: Staff,
    policy: Policy,
    now: datetime,
    at: datetime,
    state: str,
    number: int,
) -> None:
    """One incident and its life: filed, routed (L4, L5), maybe escalated (L2, L1),
    acknowledged, the secretary's acknowledgement (R2), reported upward (P3), contained, closed."""
    pol, secretary = policy.incidents, s.roles[Role.SECRETARY][0]
    acked = state != "ack_due" and (state != "open" or rng.random() < 0.85)
    kind = Kind.PUBLIC_OPINION if state in DUE_INCIDENTS else rng.choice(list(Kind))
    severity = (
        None
        if kind == Kind.INFORMATION
        else (
            rng.choice(("major", "critical"))
            if state in DUE_INCIDENTS
            else "general"
            if not acked
            else rng.choices(("general", "major", "critical"), (70, 22, 8))[0]
        )
    )
    reporter, limit = rng.choice(s.ids), ack_limit(policy, kind, severity, at)
    needs = severity in pol.escalation.secretary_ack_severities
    inc = w.add(
        "incidents",
        {
            "year": at.astimezone(policy.working_hours.zone).year,
            "number": number,
            "kind": str(kind),
            "severity": severity,
            "status": "closed" if state == "closed" else "open",
            "reporter_id": reporter,
            "what": rng.choice(WHAT),
            "discovered_at": at - rng.uniform(5, 90) * MIN,
            "location": rng.choice(PLACES),
            "actions_taken": "已截图留存",
            "reported_at": at,
            "ack_limit_at": limit,
            "ack_due_at": limit,
            "needs_secretary_ack": needs,
            "ack_limit_in_force_at": limit,
            "filed_severity": severity,  # as the bot files (0022)
        },
    )
    subject = ("incident", inc["id"])

    def tl(
        when: datetime, kind_: str, actor: int | None = None, text_: str | None = None, **data: Any
    ) -> None:
        w.add(
            "incident_timeline",
            {
                "incident_id": inc["id"],
                "at": when,
                "actor_id": actor,
                "kind": kind_,
                "text": text_,
                "data": data,
            },
        )

    handlers: dict[int, str] = {}
    for role in pol.routing.roles_for(kind, Severity(severity) if severity else None):
        pid = (
            s.heads.get(s.committee[reporter] or 0)
            if role == Role.COMMITTEE_HEAD
            else (rng.choice(s.roles[role]))
        )
        if pid is not None:
            handlers.setdefault(pid, role)
    handlers = handlers or {rng.choice(s.roles[Role.OFFICE]): Role.OFFICE}
    for pid, role in handlers.items():
        w.add(
            "incident_handlers",
            {
                "incident_id": inc["id"],
                "person_id": pid,
                "reason": "routed",
                "role": role,
                "added_at": at,
            },
        )
    tl(at, "filed", reporter)
    tl(at, "routed", people=[s.names[p] for p in handlers])
    w.audit(
        at,
        "incident.filed",
        subject,
        CLAUSE[kind],
        reporter,
        ref=reference("INC", inc["year"], number),
        kind=str(kind),
        severity=severity or "",
        handlers=len(handlers),
    )
    if state == "ack_due":  # L4: not acknowledged in time; the secretary was reminded (R2)
        inc["secretary_reminded_at"] = now - MIN
        tl(now - MIN, "secretary_reminded")
        return
    delay = {"update_due": 8 * MIN, "secretary_due": 5 * MIN}.get(
        state, (limit - at) * rng.uniform(0.1, 1.15)
    )
    ack = after(at, delay, now) if acked else now - MIN
    if ack > limit or not acked:  # L2, L1: the chain, one step per missed limit
        levels = (
            len(pol.escalation.chain)
            if not acked
            else min(len(pol.escalation.chain), 1 + int((ack - limit) / (limit - at)))
        )
        for level, role in enumerate(pol.escalation.chain[:levels], 1):
            when = min(limit + (level - 1) * (limit - at), ack, now - MIN)
            pid, added = rng.choice(s.roles[role]), []
            if pid not in handlers:
                handlers[pid], added = role, [s.names[pid]]
                w.add(
                    "incident_handlers",
                    {
                        "incident_id": inc["id"],
                        "person_id": pid,
                        "reason": "escalated",
                        "role": role,
                        "added_at": when,
                    },
                )
            tl(when, "escalated", role=role, people=added)
            w.audit(
                when,
                "incident.escalated",
                subject,
                "L2" if role == Role.DEPUTY else "L1",
                role=role,
                level=level,
            )
            inc["escalation_level"], inc["escalated_at"] = level, when
    if not acked:  # reminded at the policy's interval from here on (L4)
        inc["ack_due_at"] = now + rng.uniform(2, 72) * HOUR
        return
    by = rng.choice([p for p in handlers if p != secretary] or [secretary])
    inc["acknowledged_at"], inc["acknowledged_by_id"] = ack, by
    inc["first_acknowledged_at"] = ack
    tl(ack, "acknowledged", by)
    w.audit(ack, "incident.acknowledged", subject, "L4", by)
    if needs and state != "secretary_due" and (state != "closed" or rng.random() < 0.85):
        sec = after(ack, rng.uniform(5, 90) * MIN, now)  # R2, C2: her own acknowledgement
        inc["secretary_ack_at"] = sec
        tl(sec, "secretary_acknowledged", secretary)
        w.audit(sec, "incident.acknowledged", subject, "R2", secretary)
    if severity in pol.report_upward.severities and rng.random() < 0.8:
        up = after(at, rng.uniform(1, 30) * HOUR, now)  # P3, C8
        inc["reported_upward_at"], inc["reported_upward_to"] = up, "市委网信办"
        tl(up, "reported_upward", by, "已电话报告", to="市委网信办")
        w.audit(up, "incident.reported_upward", subject, "P3", by, to="市委网信办")
    if state != "closed":  # P2: the next update of a major or critical incident
        every = pol.updates.every_minutes.get(Severity(severity)) if severity else None
        if every:
            inc["update_due_at"] = (
                ack + every * MIN if state == "update_due" else now + rng.uniform(2, 72) * HOUR
            )
    last = ack
    if state in ("open", "closed") and kind != Kind.INFORMATION and rng.random() < 0.4:
        last = inc["contained_at"] = after(ack, rng.uniform(10, 180) * MIN, now)
        inc["status"] = "contained" if state == "open" else "closed"
        tl(last, "contained", by)
        w.audit(last, "incident.contained", subject, "L4", by)
    if state == "closed":
        closed = after(last, rng.uniform(1, 72) * HOUR, now)
        inc.update(closed_at=closed, closed_by_id=by, closing_summary="已处置")
        tl(closed, "closed", by, "已处置")
        w.audit(closed, "incident.closed", subject, CLAUSE[kind], by)


async def make_incidents(
    w: Writer,
    rng: random.Random,
    n: int,
    s: Staff,
    policy: Policy,
    now: datetime,
    numbers: Numbers,
    chunk: int,
) -> int:
    due = [(state, lo, hi) for state, (k, lo, hi) in DUE_INCIDENTS.items() for _ in range(k)]
    opened = max(1, round(n * OPEN_SHARE))
    if n < len(due) + opened + 10:
        raise ValueError(f"Seed at least {len(due) + opened + 10} incidents.")
    plan = [
        (now - DAY - (SPAN - DAY) * rng.random(), "closed") for _ in range(n - len(due) - opened)
    ]
    plan += [(now - HOUR - 14 * DAY * rng.random(), "open") for _ in range(opened)]
    plan += [(now - rng.uniform(lo, hi) * MIN, state) for state, lo, hi in due]
    plan.sort(key=lambda p: p[0])
    zone = policy.working_hours.zone
    for k, (at, state) in enumerate(plan, 1):
        year = at.astimezone(zone).year
        numbers[year] += 1
        make_incident(w, rng, s, policy, now, at, state, numbers[year])
        if k % chunk == 0:
            await w.flush()
    await w.flush()
    return len(due)


def make_event(
    w: Writer,
    rng: random.Random,
    s: Staff,
    policy: Policy,
    now: datetime,
    requested: datetime,
    starts: datetime,
    state: str,
    number: int,
) -> None:
    """One request (R6) as far as `state` took it: the organiser's confirmation, the committee
    head's review (L3), the decision (sent back and resubmitted first, sometimes), the filing
    with the publicity department, the eve and follow-up reminders, the outcome; or a lapse."""
    pol, zone, hours = policy.events, policy.working_hours.zone, policy.working_hours
    requester = rng.choice(s.ids)
    organiser = (
        requester
        if rng.random() < 0.7 and state != "organiser"
        else rng.choice([p for p in s.ids[:50] if p != requester])
    )
    cid = s.committee[requester]
    head = None if s.heads.get(cid or 0) == requester else s.heads.get(cid or 0)
    state = "pending" if state == "in_review" and head is None else state
    state = "cleared" if state == "approved" and starts <= now + 4 * DAY else state
    span = min(starts, now) - requested

    def t(share: float) -> datetime:  # the steps in order, before the date and before now
        return requested + span * share

    # What the request says, as bot.events.cards.snapshot keeps each version of it.
    snap: Row = {
        "event_type": rng.choice(("report_meeting", "seminar", "lecture", "forum")),
        "title": rng.choice(TITLES),
        "starts_at": starts.isoformat(),
        "venue": rng.choice(PLACES),
        "audience": rng.randint(20, 300),
        "speakers": [{"name": "张教授", "affiliation": "市委党校"}],
        "outline": "一、形势；二、任务",
        "speakers_vetted": True,
        "attachments": [],
    }
    ev = w.add(
        "event_requests",
        {
            **snap,
            "starts_at": starts,
            "year": requested.astimezone(zone).year,
            "number": number,
            "requester_id": requester,
            "organiser_id": organiser,
            "committee_id": cid,
            "short_lead": starts - requested < pol.lead_days * DAY,
            "requested_at": requested,
            "status": STATUS.get(state, state),
        },
    )
    subject = ("event", ev["id"])
    w.add(
        "event_versions",
        {"event_id": ev["id"], "version": 1, "submitted_at": requested, "snapshot": snap},
    )
    w.audit(
        requested,
        "event.requested",
        subject,
        "R6",
        requester,
        ref=reference("EVT", ev["year"], number),
        short_lead=ev["short_lead"],
    )
    if state in ("organiser", "in_review"):
        return
    if head is not None and pol.committee_review:  # L3: forwarded by the committee head
        ev["reviewed_at"], ev["reviewed_by_id"] = t(0.1), head
        w.audit(t(0.1), "event.forwarded", subject, "L3", head, note=None)
    if state == "pending":  # reminded this morning; past the limit, the deputy too (L2)
        day = (hours.end.hour - hours.start.hour) * 60 + hours.end.minute - hours.start.minute
        due = add_working_minutes(requested, pol.decision_reminder_working_days * day, zone, hours)
        if due <= now:
            ev["deputy_escalated_at"] = due
            w.audit(due, "event.decision_overdue", subject, "L2")
        ev["approver_reminded_at"] = now - MIN
        return
    decider = rng.choice(s.roles[Role.SECRETARY] * 3 + s.roles[Role.DEPUTY][:1])
    if state == "withdrawn" or (state != "changes_requested" and rng.random() < 0.08):
        back = "请补充发言人情况"
        ev.update(decided_at=t(0.2), decided_by_id=decider, decision_note=back)
        w.audit(t(0.2), "event.changes", subject, "R6", decider, version=1, note=back)
        if state == "withdrawn":
            ev["closed_at"] = t(0.3)
            w.audit(t(0.3), "event.withdrawn", subject, "R6", requester)
            return
        ev["version"] = 2
        w.add(
            "event_versions",
            {"event_id": ev["id"], "version": 2, "submitted_at": t(0.3), "snapshot": snap},
        )
        w.audit(t(0.3), "event.resubmitted", subject, "R6", requester, version=2)
    decision = {"rejected": "reject", "changes_requested": "changes"}.get(state, "approve")
    note = {"reject": "内容不宜", "changes": "请补充发言人情况"}.get(decision)
    ev.update(
        decided_at=t(0.4),
        decided_by_id=decider,
        decision_note=note,
        closed_at=t(0.4) if decision == "reject" else None,
    )
    w.audit(
        t(0.4), f"event.{decision}", subject, "R6", decider, version=ev.get("version", 1), note=note
    )
    deadline = starts - pol.filing_deadline_days * DAY
    if state == "lapsed":  # R6: approved, never filed; the office, then the deputy reminded
        reminded = max(t(0.4), deadline)
        ev.update(
            filing_reminded_at=reminded,
            filing_escalated_at=min(reminded + DAY, now),
            lapsed_at=starts,
        )
        w.audit(starts, "event.lapse", subject, "R6", status="approved")
    if state not in ("cleared", "cancelled", "eve_due", "followup_due"):
        return
    if state != "cancelled" or rng.random() < 0.5:  # R6: filed with the publicity department
        filed, office = t(0.6), rng.choice(s.roles[Role.OFFICE])
        ref = f"宣备〔{requested.astimezone(zone).year}〕{number}号"
        ev.update(
            status="cleared",
            filed_at=filed,
            filed_by_id=office,
            filing_ref=ref,
            filing_date=filed.astimezone(zone).date().isoformat(),
            filing_reminded_at=max(t(0.4), deadline) if filed > deadline else None,
        )
        w.audit(
            filed,
            "event.filed",
            subject,
            "R6",
            office,
            filing_ref=ref,
            filing_date=ev["filing_date"],
        )
    if state == "cancelled":
        office = rng.choice(s.roles[Role.OFFICE])
        ev.update(status="cancelled", closed_at=t(0.8))
        w.audit(t(0.8), "event.cancelled", subject, "R6", office, reason="场地调整")
        return
    if state != "eve_due" and starts - DAY <= now:
        ev["eve_reminded_at"] = max(ev["filed_at"], starts - DAY)
    asked = starts + 3 * HOUR
    if state != "followup_due" and asked <= now:  # C7: the organiser says how it went
        ev["followup_asked_at"] = asked
        answered = asked + rng.uniform(0.2, 24) * HOUR
        if answered <= now and rng.random() < 0.95:
            outcome = rng.choices(("held", "not_held", "incident"), (90, 6, 4))[0]
            ev.update(outcome=outcome, outcome_at=answered)
            w.audit(answered, "event.outcome", subject, "R6", organiser, outcome=outcome)


async def make_events(
    w: Writer,
    rng: random.Random,
    n: int,
    s: Staff,
    policy: Policy,
    now: datetime,
    numbers: Numbers,
    chunk: int,
) -> int:
    # Due now (days since requested, days ahead): the office files (R6), the organiser hears.
    due = [
        ("filing_due", 10.0, rng.uniform(1, 2.5)),
        ("filing_due", 10.0, rng.uniform(1, 2.5)),
        ("eve_due", 20.0, rng.uniform(0.1, 0.8)),
        ("followup_due", 20.0, -rng.uniform(0.2, 0.8)),
    ]
    if n < len(due) + 10:
        raise ValueError(f"Seed at least {len(due) + 10} events.")
    plan = [(now - DAY * ago, now + DAY * ahead, state) for state, ago, ahead in due]
    for _ in range(n - len(due)):
        requested = now - SPAN * rng.random()
        starts = requested + DAY * (rng.uniform(7, 40) if rng.random() < 0.8 else rng.uniform(1, 7))
        weights = PAST if starts <= now else FUTURE
        plan.append((requested, starts, rng.choices(list(weights), list(weights.values()))[0]))
    plan.sort(key=lambda p: p[0])
    zone = policy.working_hours.zone
    for k, (requested, starts, state) in enumerate(plan, 1):
        year = requested.astimezone(zone).year
        numbers[year] += 1
        make_event(w, rng, s, policy, now, requested, starts, state, numbers[year])
        if k % chunk == 0:
            await w.flush()
    await w.flush()
    return len(due)


async def index_search(engine: AsyncEngine, chunk: int) -> None:
    """/find's bigram index of the seeded records, as the services would have written it."""
    tables = Base.metadata.tables
    for sql in (backfill.INCIDENTS_SQL, backfill.EVENTS_SQL):
        after = 0
        while True:
            async with engine.begin() as conn:
                found = (await conn.execute(text(sql), {"after": after, "n": chunk})).all()
                if not found:
                    break
                last = found[-1][0]
                if sql == backfill.INCIDENTS_SQL:
                    later = await conn.execute(
                        text(backfill.LATER_SQL), {"after": after, "last": last}
                    )
                    texts, grams = backfill.incident_chunk(found, later.all())
                else:
                    texts, grams = backfill.event_chunk(found)
                await conn.execute(insert(tables["search_texts"]), texts)
                if grams:
                    await conn.execute(insert(tables["search_bigrams"]), grams)
            after = last


async def seed(
    url: str,
    *,
    people: int,
    incidents: int,
    events: int,
    chunk: int = 5000,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Migrate the database at `url` and fill it (see the module's docstring); returns the rows
    written per table, and under "due" how many items the first sweep should act on. `now`
    (default: the clock) is the moment the records lead up to."""
    import_all_models()
    now, policy, rng = now or datetime.now(UTC), load_policy(None), random.Random(8)
    engine = create_engine(url)
    try:
        await upgrade(engine)
        w = Writer(engine, progress or (lambda _line: None))
        numbers = await w.open()
        staff = make_people(w, rng, people, now)
        await w.flush()
        due = await make_incidents(
            w, rng, incidents, staff, policy, now, numbers["incidents"], chunk
        )
        due += await make_events(
            w, rng, events, staff, policy, now, numbers["event_requests"], chunk
        )
        await index_search(engine, chunk)
        await w.finish()
    finally:
        await engine.dispose()
    return {**w.counts, "due": due}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", required=True, help="a SQLAlchemy async URL")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--chunk", type=int, default=5000, help="records per transaction")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        counts = asyncio.run(
            seed(
                args.database_url,
                people=args.people,
                incidents=args.incidents,
                events=args.events,
                chunk=args.chunk,
                progress=lambda line: print(line, flush=True),
            )
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, count in counts.items():
        print(f"{name:>18} {count:>10,}")
    print(f"seeded in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
