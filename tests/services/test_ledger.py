"""The ledger of a year of records (R7): every figure, lapse and clause view, by hand.

The year is made through the services by tests/services/ledger_year.py, whose docstring lists
what happened; each expectation below is computed from that list, not from the code.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.figures import Durations
from bot.ledger.period import between, chosen
from bot.people import service as people
from bot.people.view import TgUser
from bot.register import service as register
from bot.register.service import CaseDraft
from render.ledger_words import ACTIONS
from standin.ledger_year import ADMIN, CN, DAI, ELI, HAN, MEI, MIN, OU, SHU, a_year, at
from tests.support.year_book import year_book

H, M = timedelta(hours=1), timedelta(minutes=1)
YEAR_LAPSES = [
    ("ack_late", "INC-2026-0002", 25 * M),  # limit 10:15, the deputy at 10:40
    ("secretary_ack_missing", "INC-2026-0002", None),
    ("upward_missing", "INC-2026-0002", None),  # 24 h after 10:00 on Apr 15
    ("analysis_missing", "may-fourth:2026-05-04", None),
    ("event_uncleared", "EVT-2026-0003", None),  # approved, never filed
    ("quarter_without_review", "2026-Q2", None),
    ("analysis_missing", "party-founding:2026-07-01", None),
    ("analysis_missing", "army-day:2026-08-01", None),
    ("study_missing", "2026-08", None),
    ("ack_late", "INC-2026-0004", 2 * H),  # limit 14:00, Eli at 16:00
    ("analysis_missing", "victory-day:2026-09-03", None),
    ("event_uncleared", "EVT-2026-0005", timedelta(days=3)),  # filed Nov 2 for Oct 30
    ("ack_missing", "INC-2026-0005", None),
    ("secretary_ack_missing", "INC-2026-0005", None),
    ("upward_late", "INC-2026-0005", 6 * H),  # due Nov 21 10:00, reported 16:00
    ("study_missing", "2026-11", None),
    ("dedicated_short", "2026", None),  # 1 of 2
]


async def test_a_year_of_figures_and_lapses(deps: Deps, clock: MovableClock) -> None:
    book = await year_book(deps, clock)
    assert book.period.key == "2026" and book.scope.level == "all"
    inc = book.incident_figures
    assert inc.total == 5 and inc.open == 2  # I3 and I5
    assert inc.by_kind == {
        ("network_security", "major"): 1,
        ("network_security", "general"): 1,
        ("public_opinion", "critical"): 1,
        ("event_incident", "major"): 1,
        ("information", ""): 1,
    }
    # Acknowledged after 20 min, 40 min, 5 h, 6 h: the median is (40 + 300) / 2 = 170 min.
    assert inc.to_acknowledge == Durations(4, 170 * M, 6 * H)
    assert inc.to_close == Durations(3, 48 * H, 48 * H)  # 48 h, 24 h, 48 h
    assert (inc.escalated, inc.upward) == (2, 2)  # I2, I5; I1, I5
    ev = book.event_figures
    assert ev.requested == 6 and ev.dated == 5 and ev.held == 1 and ev.short_lead == 1
    assert ev.steps == {
        "approved": 3,
        "rejected": 1,
        "sent_back": 1,
        "withdrawn": 1,
        "filed": 2,
        "cancelled": 0,
    }
    assert ev.lead_days == (18.5, 4.0)  # 4, 18, 18, 19, 22, 50 days
    met = {(o.clause, o.key): (o.held, o.required, o.state) for o in book.obligations}
    assert [k for k, v in met.items() if k[0] == "A2" and v[2] == "met"] == [
        ("A2", "2026-Q1"),
        ("A2", "2026-Q3"),
        ("A2", "2026-Q4"),
    ]
    assert met[("A2", "2026-Q2")] == (0, 1, "short")
    assert met[("R2", "2026")] == (1, 2, "short")
    assert sum(1 for (c, _k), v in met.items() if c == "R3" and v[2] == "met") == 10
    assert sum(1 for (c, _k), v in met.items() if c == "A3") == 8  # the policy's 8 dates
    assert sum(1 for (c, _k), v in met.items() if c == "A3" and v[2] == "met") == 4
    assert [(lp.code, lp.subject, lp.late_by) for lp in book.lapses] == YEAR_LAPSES
    assert {lp.code: lp.clauses for lp in book.lapses}["secretary_ack_missing"] == ("R2", "C2")
    assert book.lapses[-1].due == at(1, 1, 0, 0, year=2027)  # the year's minimum: by its end


async def test_a_quarter_is_its_own_slice(deps: Deps, clock: MovableClock) -> None:
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    q2 = await ledger.build(deps, SHU, between(date(2026, 6, 30), date(2026, 4, 1), CN))
    assert q2.period.key == "2026-Q2"
    assert [r.ref for r in q2.incidents] == ["INC-2026-0002"]
    assert [r.ref for r in q2.events] == ["EVT-2026-0002", "EVT-2026-0003"]
    assert q2.event_figures.steps["approved"] == 1 and q2.event_figures.steps["sent_back"] == 1
    assert [(lp.code, lp.subject) for lp in q2.lapses] == [
        (code, subject) for code, subject, _late in YEAR_LAPSES[:6]
    ]
    # The Party Founding analysis was due by June 30, but belongs to July 1's quarter.
    q3 = await ledger.build(deps, SHU, between(date(2026, 7, 1), date(2026, 9, 30), CN))
    assert [lp.subject for lp in q3.lapses][:2] == [
        "party-founding:2026-07-01",
        "army-day:2026-08-01",
    ]


async def test_before_the_deadline_nothing_is_claimed(deps: Deps, clock: MovableClock) -> None:
    await a_year(deps, clock)
    clock.set(at(12, 21, 9, 0))  # the day after Q4's review; December's study already held
    book = await ledger.build(deps, OU, chosen("this_quarter", clock.now(), CN))
    states = {(o.clause, o.key): o.state for o in book.obligations}
    assert states[("A2", "2026-Q4")] == "met" and states[("R2", "2026")] == "open"
    assert [(lp.code, lp.subject) for lp in book.lapses] == [
        ("event_uncleared", "EVT-2026-0005"),
        ("ack_missing", "INC-2026-0005"),
        ("secretary_ack_missing", "INC-2026-0005"),
        ("upward_late", "INC-2026-0005"),
        ("study_missing", "2026-11"),
    ]


def seen(book: ledger.Ledger, clause: str) -> list[tuple[str, str, str]]:
    return [(e.source, e.what, e.subject) for e in book.evidence(clause)]


async def test_clause_views(deps: Deps, clock: MovableClock) -> None:
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    period = chosen("last_year", clock.now(), CN)

    async def view(clause: str, reader: TgUser = SHU) -> list[tuple[str, str, str]]:
        return seen(await ledger.build(deps, reader, period, clause=clause), clause)

    assert await view("A2") == [
        ("reminder", "quarter_open", "A2:2026-Q1:open"),  # the calendar's announcement, Jan 4
        ("meeting", "quarterly_review", "一季度分析研判"),
        ("lapse", "quarter_without_review", "2026-Q2"),
        ("meeting", "quarterly_review", "三季度分析研判"),
        ("meeting", "quarterly_review", "四季度分析研判"),
    ]
    # C2: the secretary's own acknowledgement (a step recorded under R2), and where it is missing.
    assert await view("C2") == [
        ("step", "incident.acknowledged", "INC-2026-0001"),
        ("lapse", "secretary_ack_missing", "INC-2026-0002"),
        ("lapse", "secretary_ack_missing", "INC-2026-0005"),
    ]
    assert await view("R2") == [
        ("step", "incident.acknowledged", "INC-2026-0001"),
        ("lapse", "secretary_ack_missing", "INC-2026-0002"),
        ("meeting", "dedicated", "意识形态工作专题会议"),
        ("lapse", "secretary_ack_missing", "INC-2026-0005"),
        ("lapse", "dedicated_short", "2026"),
    ]
    # C8: reports to the higher department (P3), missing and late.
    assert await view("C8") == [
        ("step", "incident.reported_upward", "INC-2026-0001"),
        ("lapse", "upward_missing", "INC-2026-0002"),
        ("lapse", "upward_late", "INC-2026-0005"),  # due 10:00
        ("step", "incident.reported_upward", "INC-2026-0005"),  # done 16:00
    ]
    r6 = await view("R6")
    assert [s for s in r6 if s[2] == "EVT-2026-0001"] == [
        ("step", "event.requested", "EVT-2026-0001"),
        ("step", "event.approve", "EVT-2026-0001"),
        ("step", "event.filed", "EVT-2026-0001"),
        ("step", "event.outcome", "EVT-2026-0001"),
    ]
    assert [s[2] for s in r6 if s[0] == "lapse"] == ["EVT-2026-0003", "EVT-2026-0005"]
    # requested, approved, rejected, sent back, withdrawn, filed, held, lapses; and I5, an
    # incident at an event, filed under R6 too.
    assert len(r6) == 6 + 3 + 1 + 1 + 1 + 2 + 1 + 2 + 1
    assert ("step", "incident.filed", "INC-2026-0005") in r6
    # A member sees her own evidence only: Min's incident I2 lacked the secretary; I1 is Mei's.
    assert await view("C2", MIN) == [("lapse", "secretary_ack_missing", "INC-2026-0002")]
    assert await view("C5") == []  # a clause the records never cite: an empty view, not an error


async def test_every_role_sees_its_own_part(deps: Deps, clock: MovableClock) -> None:
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    period = chosen("last_year", clock.now(), CN)
    organisation = 8  # Q2 (A2), the year (R2), 2 months (R3), 4 dates (A3): shown to all
    expected = {
        SHU: ("all", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 17),
        DAI: ("all", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 17),
        OU: ("all", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 17),
        HAN: ("committee", [1, 3, 5], [1, 3, 5], organisation + 3 + 2),  # his committee: Mei
        MEI: ("own", [1, 3, 5], [1, 3, 5], organisation + 3 + 2),
        MIN: ("own", [2, 4], [2, 4, 6], organisation + 3 + 1),  # I2 ×3, I4
        ELI: ("own", [1, 4], [], organisation + 1),  # the incidents Eli handles; I4 late
        ADMIN: ("own", [], [], organisation),  # setting the bot up shows no one's items
    }
    for reader, (level, incidents, events, lapses) in expected.items():
        book = await ledger.build(deps, reader, period)
        assert book.scope.level == level, reader
        assert [r.ref for r in book.incidents] == [f"INC-2026-{n:04d}" for n in incidents], reader
        assert [r.ref for r in book.events] == [f"EVT-2026-{n:04d}" for n in events], reader
        assert len(book.lapses) == lapses, reader
        assert book.incident_figures.total == len(incidents)
        assert book.event_figures.requested == len(events)
    # The head's figures count his committee's steps only: E1, E3, E5 were approved, none else.
    head = await ledger.build(deps, HAN, period)
    assert head.event_figures.steps == {
        "approved": 3,
        "rejected": 0,
        "sent_back": 0,
        "withdrawn": 0,
        "filed": 2,
        "cancelled": 0,
    }


async def test_an_export_is_audited(deps: Deps, clock: MovableClock) -> None:
    book = await year_book(deps, clock, reader=DAI, export=True)
    assert {s.clause for s in book.steps} >= {"R6", "L4", "P3", "R2", "L3", "L2"}
    # Every step the year produced has a name in the reader's language (none shows as a code).
    assert {s.action for s in book.steps} <= set(ACTIONS)
    async with deps.db.read() as s:
        entry = await s.scalar(select(AuditEntry).where(AuditEntry.action == "ledger.exported"))
    assert entry is not None and entry.clause == "R7"
    assert entry.data == {"period": "2026", "scope": "all"}


async def test_the_register_never_shows_in_the_ledger(deps: Deps, clock: MovableClock) -> None:
    """A case recorded under C2 is the register's: not in the ledger's C2 view nor its export,
    even for the secretary who keeps it (she reads it in /register, where reading is audited)."""
    await a_year(deps, clock)
    clock.set(at(12, 30))
    mei = await people.identify(deps, MEI, private=True)
    draft = CaseDraft(
        person_id=mei.id,
        clause="C2",
        facts="INC-2026-0002 未经书记确认",
        grade="light",
        measures=["criticism_education"],
        decided_on=date(2026, 12, 30),
    )
    await register.record_case(deps, SHU, draft)
    clock.set(at(1, 10, year=2027))
    period = chosen("last_year", clock.now(), CN)
    book = await ledger.build(deps, SHU, period, export=True)
    assert [e.source for e in book.evidence("C2")] == ["step", "lapse", "lapse"]
    assert not [s for s in book.steps if s.action.startswith("register.")]
