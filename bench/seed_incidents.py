"""The bench seed's incidents (bench/seed.py): each filed, routed (L4, L5), maybe escalated
(L2, L1), acknowledged, acknowledged by the secretary (R2), reported upward (P3), contained and
closed, with its handlers, timeline and audit trail, as bot.incidents' services leave them.

The random draws are made in one fixed order, so that a seed (random.Random(8)) gives the same
database every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bench.seed_people import Staff
from bench.seed_writer import DAY, HOUR, MIN, PLACES, SPAN, Numbers, Row, Writer, after
from bot.db.refs import reference
from bot.people.roles import Role
from bot.policy.schema import Kind, Policy, Severity
from bot.policy.worktime import add_working_minutes

OPEN_SHARE = 0.005

# The clause each kind's filing and closing cite (as bot.incidents.service.CLAUSE).
CLAUSE = {
    "network_security": "L4",
    "public_opinion": "P2",
    "event_incident": "R6",
    "information": "A1",
}
WHAT = (
    "网站首页出现不实信息",
    "短视频平台出现不实转发",
    "办公网络发现异常登录",
    "活动现场出现横幅",
    "A phishing e-mail reached the office",
    "An unverified post about us is spreading",
)

# Incidents due now (minutes since reported) and how many of each.
DUE_INCIDENTS = {"ack_due": (8, 40, 55), "update_due": (4, 135, 200), "secretary_due": (4, 35, 60)}


def ack_limit(policy: Policy, kind: Kind, severity: str | None, at: datetime) -> datetime:
    """L4: the limit to acknowledge, as bot.incidents.service.ack_due sets it when filed."""
    hours = policy.working_hours
    limit = policy.incidents.acknowledge.for_(kind, Severity(severity) if severity else None)
    if limit.working_time:
        return add_working_minutes(at, limit.minutes, hours.zone, hours)
    return at + limit.minutes * MIN


@dataclass
class Filed:
    """An incident being written: its row, its handlers so far, and where it is written."""

    w: Writer
    rng: random.Random
    s: Staff
    policy: Policy
    now: datetime
    row: Row
    handlers: dict[int, str] = field(default_factory=dict)

    @property
    def subject(self) -> tuple[str, int]:
        return ("incident", self.row["id"])

    def tl(
        self,
        when: datetime,
        kind: str,
        actor: int | None = None,
        text: str | None = None,
        **data: Any,
    ) -> None:
        """One entry of the incident's timeline."""
        self.w.add(
            "incident_timeline",
            {
                "incident_id": self.row["id"],
                "at": when,
                "actor_id": actor,
                "kind": kind,
                "text": text,
                "data": data,
            },
        )

    def handler(self, pid: int, reason: str, role: str, added_at: datetime) -> None:
        """A person added to the incident's handlers (routed, or by escalation)."""
        self.w.add(
            "incident_handlers",
            {
                "incident_id": self.row["id"],
                "person_id": pid,
                "reason": reason,
                "role": role,
                "added_at": added_at,
            },
        )


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
    acked = state != "ack_due" and (state != "open" or rng.random() < 0.85)
    kind, severity = _kind_and_severity(rng, state, acked)
    inc = _file(Filed(w, rng, s, policy, now, {}), at, state, number, kind, severity)
    if state == "ack_due":  # L4: not acknowledged in time; the secretary was reminded (R2)
        inc.row["secretary_reminded_at"] = now - MIN
        inc.tl(now - MIN, "secretary_reminded")
        return
    limit = inc.row["ack_limit_at"]
    delay = {"update_due": 8 * MIN, "secretary_due": 5 * MIN}.get(
        state, (limit - at) * rng.uniform(0.1, 1.15)
    )
    ack = after(at, delay, now) if acked else now - MIN
    if ack > limit or not acked:  # L2, L1: the chain, one step per missed limit
        _escalate(inc, at, ack, acked)
    if not acked:  # reminded at the policy's interval from here on (L4)
        inc.row["ack_due_at"] = now + rng.uniform(2, 72) * HOUR
        return
    by = _acknowledge(inc, at, ack, state, severity)
    _contain_and_close(inc, ack, by, state, kind)


def _kind_and_severity(rng: random.Random, state: str, acked: bool) -> tuple[Kind, str | None]:
    """Those due now are major or critical public-opinion incidents; the others as they come
    (unacknowledged ones general)."""
    kind = Kind.PUBLIC_OPINION if state in DUE_INCIDENTS else rng.choice(list(Kind))
    if kind == Kind.INFORMATION:
        return kind, None
    if state in DUE_INCIDENTS:
        return kind, rng.choice(("major", "critical"))
    if not acked:
        return kind, "general"
    return kind, rng.choices(("general", "major", "critical"), (70, 22, 8))[0]


def _file(
    inc: Filed, at: datetime, state: str, number: int, kind: Kind, severity: str | None
) -> Filed:
    """The incident as filed and routed to its handlers (L4, L5), with its audit entry."""
    w, rng, s, policy = inc.w, inc.rng, inc.s, inc.policy
    reporter, limit = rng.choice(s.ids), ack_limit(policy, kind, severity, at)
    needs = severity in policy.incidents.escalation.secretary_ack_severities
    inc.row = w.add(
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
    for role in policy.incidents.routing.roles_for(kind, Severity(severity) if severity else None):
        pid = (
            s.heads.get(s.committee[reporter] or 0)
            if role == Role.COMMITTEE_HEAD
            else (rng.choice(s.roles[role]))
        )
        if pid is not None:
            inc.handlers.setdefault(pid, role)
    inc.handlers = inc.handlers or {rng.choice(s.roles[Role.OFFICE]): Role.OFFICE}
    for pid, role in inc.handlers.items():
        inc.handler(pid, "routed", role, at)
    inc.tl(at, "filed", reporter)
    inc.tl(at, "routed", people=[s.names[p] for p in inc.handlers])
    w.audit(
        at,
        "incident.filed",
        inc.subject,
        CLAUSE[kind],
        reporter,
        ref=reference("INC", inc.row["year"], number),
        kind=str(kind),
        severity=severity or "",
        handlers=len(inc.handlers),
    )
    return inc


def _escalate(inc: Filed, at: datetime, ack: datetime, acked: bool) -> None:
    """L2, L1: up the chain, one step per missed limit, each new person a handler."""
    chain, limit = inc.policy.incidents.escalation.chain, inc.row["ack_limit_at"]
    levels = len(chain) if not acked else min(len(chain), 1 + int((ack - limit) / (limit - at)))
    for level, role in enumerate(chain[:levels], 1):
        when = min(limit + (level - 1) * (limit - at), ack, inc.now - MIN)
        pid, added = inc.rng.choice(inc.s.roles[role]), []
        if pid not in inc.handlers:
            inc.handlers[pid], added = role, [inc.s.names[pid]]
            inc.handler(pid, "escalated", role, when)
        inc.tl(when, "escalated", role=role, people=added)
        clause = "L2" if role == Role.DEPUTY else "L1"
        inc.w.audit(when, "incident.escalated", inc.subject, clause, role=role, level=level)
        inc.row["escalation_level"], inc.row["escalated_at"] = level, when


def _acknowledge(inc: Filed, at: datetime, ack: datetime, state: str, severity: str | None) -> int:
    """Acknowledged by a handler (L4); the secretary's own acknowledgement (R2, C2); the report
    upward (P3, C8); the next update due (P2). Who acknowledged."""
    w, rng, row, now, pol = inc.w, inc.rng, inc.row, inc.now, inc.policy.incidents
    secretary = inc.s.roles[Role.SECRETARY][0]
    by = rng.choice([p for p in inc.handlers if p != secretary] or [secretary])
    row["acknowledged_at"], row["acknowledged_by_id"] = ack, by
    row["first_acknowledged_at"] = ack
    inc.tl(ack, "acknowledged", by)
    w.audit(ack, "incident.acknowledged", inc.subject, "L4", by)
    needs = row["needs_secretary_ack"]
    if needs and state != "secretary_due" and (state != "closed" or rng.random() < 0.85):
        sec = after(ack, rng.uniform(5, 90) * MIN, now)  # R2, C2: her own acknowledgement
        row["secretary_ack_at"] = sec
        inc.tl(sec, "secretary_acknowledged", secretary)
        w.audit(sec, "incident.acknowledged", inc.subject, "R2", secretary)
    if severity in pol.report_upward.severities and rng.random() < 0.8:
        up = after(at, rng.uniform(1, 30) * HOUR, now)  # P3, C8
        row["reported_upward_at"], row["reported_upward_to"] = up, "市委网信办"
        inc.tl(up, "reported_upward", by, "已电话报告", to="市委网信办")
        w.audit(up, "incident.reported_upward", inc.subject, "P3", by, to="市委网信办")
    if state != "closed":  # P2: the next update of a major or critical incident
        every = pol.updates.every_minutes.get(Severity(severity)) if severity else None
        if every:
            row["update_due_at"] = (
                ack + every * MIN if state == "update_due" else now + rng.uniform(2, 72) * HOUR
            )
    return by


def _contain_and_close(inc: Filed, ack: datetime, by: int, state: str, kind: Kind) -> None:
    """Contained, sometimes (L4); closed, for the closed ones, with the clause its kind cites."""
    last, rng, now = ack, inc.rng, inc.now
    if state in ("open", "closed") and kind != Kind.INFORMATION and rng.random() < 0.4:
        last = inc.row["contained_at"] = after(ack, rng.uniform(10, 180) * MIN, now)
        inc.row["status"] = "contained" if state == "open" else "closed"
        inc.tl(last, "contained", by)
        inc.w.audit(last, "incident.contained", inc.subject, "L4", by)
    if state == "closed":
        closed = after(last, rng.uniform(1, 72) * HOUR, now)
        inc.row.update(closed_at=closed, closed_by_id=by, closing_summary="已处置")
        inc.tl(closed, "closed", by, "已处置")
        inc.w.audit(closed, "incident.closed", inc.subject, CLAUSE[kind], by)


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
    """`n` incidents over three years, in the order they were reported, numbered per year after
    `numbers`; flushed every `chunk`. How many are due now (for the first sweep)."""
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
