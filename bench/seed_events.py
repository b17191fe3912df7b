"""The bench seed's event requests (bench/seed.py): each as far as its state took it — the
organiser's confirmation, the committee head's review (L3), the decision (sent back and
resubmitted first, sometimes), the filing with the publicity department, the eve and follow-up
reminders, the outcome (R6, C7); or a lapse — with its versions and audit trail.

The random draws are made in one fixed order, so that a seed gives the same database every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from bench.seed_people import Staff
from bench.seed_writer import DAY, HOUR, MIN, PLACES, SPAN, Numbers, Row, Writer
from bot.db.refs import reference
from bot.people.roles import Role
from bot.policy.schema import Policy
from bot.policy.worktime import add_working_minutes

TITLES = (
    "理论宣讲报告会",
    "青年座谈会",
    "读书分享会",
    "专家讲座",
    "形势政策论坛",
    "Policy seminar",
)

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


@dataclass
class Requested:
    """An event request being written: who asked, for when, its row, where it is written."""

    w: Writer
    rng: random.Random
    s: Staff
    policy: Policy
    now: datetime
    requested: datetime
    starts: datetime
    number: int
    requester: int
    organiser: int
    row: Row = field(default_factory=dict)
    snap: Row = field(default_factory=dict)  # what it says, as bot.events.cards.snapshot keeps

    @property
    def subject(self) -> tuple[str, int]:
        return ("event", self.row["id"])

    def t(self, share: float) -> datetime:
        """The steps in order, before the date and before now."""
        return self.requested + (min(self.starts, self.now) - self.requested) * share


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
    ev = Requested(w, rng, s, policy, now, requested, starts, number, requester, organiser)
    _request(ev, cid, state)
    if state in ("organiser", "in_review"):
        return
    if head is not None and policy.events.committee_review:  # L3: forwarded by the head
        ev.row["reviewed_at"], ev.row["reviewed_by_id"] = ev.t(0.1), head
        w.audit(ev.t(0.1), "event.forwarded", ev.subject, "L3", head, note=None)
    if state == "pending":
        _pending(ev)
    elif _decide(ev, state):
        if state == "lapsed":
            _lapse(ev)
        if state in ("cleared", "cancelled", "eve_due", "followup_due"):
            _file_and_follow(ev, state)


def _request(ev: Requested, cid: int | None, state: str) -> None:
    """The request as submitted: its row, its first version, its audit entry."""
    rng, zone = ev.rng, ev.policy.working_hours.zone
    snap = ev.snap = {
        "event_type": rng.choice(("report_meeting", "seminar", "lecture", "forum")),
        "title": rng.choice(TITLES),
        "starts_at": ev.starts.isoformat(),
        "venue": rng.choice(PLACES),
        "audience": rng.randint(20, 300),
        "speakers": [{"name": "张教授", "affiliation": "市委党校"}],
        "outline": "一、形势；二、任务",
        "speakers_vetted": True,
        "attachments": [],
    }
    ev.row = ev.w.add(
        "event_requests",
        {
            **snap,
            "starts_at": ev.starts,
            "year": ev.requested.astimezone(zone).year,
            "number": ev.number,
            "requester_id": ev.requester,
            "organiser_id": ev.organiser,
            "committee_id": cid,
            "short_lead": ev.starts - ev.requested < ev.policy.events.lead_days * DAY,
            "requested_at": ev.requested,
            "status": STATUS.get(state, state),
        },
    )
    ev.w.add(
        "event_versions",
        {"event_id": ev.row["id"], "version": 1, "submitted_at": ev.requested, "snapshot": snap},
    )
    ev.w.audit(
        ev.requested,
        "event.requested",
        ev.subject,
        "R6",
        ev.requester,
        ref=reference("EVT", ev.row["year"], ev.number),
        short_lead=ev.row["short_lead"],
    )


def _pending(ev: Requested) -> None:
    """Reminded this morning; past the limit, the deputy too (L2)."""
    pol, hours = ev.policy.events, ev.policy.working_hours
    day = (hours.end.hour - hours.start.hour) * 60 + hours.end.minute - hours.start.minute
    minutes = pol.decision_reminder_working_days * day
    due = add_working_minutes(ev.requested, minutes, hours.zone, hours)
    if due <= ev.now:
        ev.row["deputy_escalated_at"] = due
        ev.w.audit(due, "event.decision_overdue", ev.subject, "L2")
    ev.row["approver_reminded_at"] = ev.now - MIN


def _decide(ev: Requested, state: str) -> bool:
    """The decision (R6), after a sending back and a resubmission sometimes; False when the
    requester withdrew it instead."""
    w, rng, t, row, subject = ev.w, ev.rng, ev.t, ev.row, ev.subject
    decider = rng.choice(ev.s.roles[Role.SECRETARY] * 3 + ev.s.roles[Role.DEPUTY][:1])
    if state == "withdrawn" or (state != "changes_requested" and rng.random() < 0.08):
        back = "请补充发言人情况"
        row.update(decided_at=t(0.2), decided_by_id=decider, decision_note=back)
        w.audit(t(0.2), "event.changes", subject, "R6", decider, version=1, note=back)
        if state == "withdrawn":
            row["closed_at"] = t(0.3)
            w.audit(t(0.3), "event.withdrawn", subject, "R6", ev.requester)
            return False
        row["version"] = 2
        w.add(
            "event_versions",
            {"event_id": row["id"], "version": 2, "submitted_at": t(0.3), "snapshot": ev.snap},
        )
        w.audit(t(0.3), "event.resubmitted", subject, "R6", ev.requester, version=2)
    decision = {"rejected": "reject", "changes_requested": "changes"}.get(state, "approve")
    note = {"reject": "内容不宜", "changes": "请补充发言人情况"}.get(decision)
    row.update(
        decided_at=t(0.4),
        decided_by_id=decider,
        decision_note=note,
        closed_at=t(0.4) if decision == "reject" else None,
    )
    version = row.get("version", 1)
    w.audit(t(0.4), f"event.{decision}", subject, "R6", decider, version=version, note=note)
    return True


def _lapse(ev: Requested) -> None:
    """R6: approved, never filed; the office, then the deputy reminded."""
    deadline = ev.starts - ev.policy.events.filing_deadline_days * DAY
    reminded = max(ev.t(0.4), deadline)
    ev.row.update(
        filing_reminded_at=reminded,
        filing_escalated_at=min(reminded + DAY, ev.now),
        lapsed_at=ev.starts,
    )
    ev.w.audit(ev.starts, "event.lapse", ev.subject, "R6", status="approved")


def _file_and_follow(ev: Requested, state: str) -> None:
    """Filed with the publicity department (R6), or cancelled by the office; the eve's
    reminder; the organiser asked how it went, and answering (C7)."""
    w, rng, t, row, now, starts = ev.w, ev.rng, ev.t, ev.row, ev.now, ev.starts
    if state != "cancelled" or rng.random() < 0.5:  # R6: filed with the publicity department
        _filed(ev)
    if state == "cancelled":
        office = rng.choice(ev.s.roles[Role.OFFICE])
        row.update(status="cancelled", closed_at=t(0.8))
        w.audit(t(0.8), "event.cancelled", ev.subject, "R6", office, reason="场地调整")
        return
    if state != "eve_due" and starts - DAY <= now:
        row["eve_reminded_at"] = max(row["filed_at"], starts - DAY)
    asked = starts + 3 * HOUR
    if state != "followup_due" and asked <= now:  # C7: the organiser says how it went
        row["followup_asked_at"] = asked
        answered = asked + rng.uniform(0.2, 24) * HOUR
        if answered <= now and rng.random() < 0.95:
            outcome = rng.choices(("held", "not_held", "incident"), (90, 6, 4))[0]
            row.update(outcome=outcome, outcome_at=answered)
            w.audit(answered, "event.outcome", ev.subject, "R6", ev.organiser, outcome=outcome)


def _filed(ev: Requested) -> None:
    """The office files it with its reference; reminded first when filed after the deadline."""
    zone, row = ev.policy.working_hours.zone, ev.row
    deadline = ev.starts - ev.policy.events.filing_deadline_days * DAY
    filed, office = ev.t(0.6), ev.rng.choice(ev.s.roles[Role.OFFICE])
    ref = f"宣备〔{ev.requested.astimezone(zone).year}〕{ev.number}号"
    row.update(
        status="cleared",
        filed_at=filed,
        filed_by_id=office,
        filing_ref=ref,
        filing_date=filed.astimezone(zone).date().isoformat(),
        filing_reminded_at=max(ev.t(0.4), deadline) if filed > deadline else None,
    )
    on = row["filing_date"]
    ev.w.audit(filed, "event.filed", ev.subject, "R6", office, filing_ref=ref, filing_date=on)


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
    """`n` event requests over three years, in the order they were requested, numbered per
    year after `numbers`; flushed every `chunk`. How many are due now (for the first sweep)."""
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
