"""A year (2026) of an office's records, made through the services as people would make them:
the ledger's tests check their figures against it, and `dutydesk ledger-sample` exports it.

Every figure the ledger tests expect is computed by hand from this list; it says
what each step should leave behind (times are Beijing time).

Incidents
- I1 Feb 10 10:00 network-security major, Mei: Eli acknowledges +20 min, the secretary +25 min,
  reported upward +3 h, contained +5 h, closed +48 h. No lapse.
- I2 Apr 15 10:00 public-opinion critical, Min: nobody in 15 min, the sweep escalates (+16 min);
  the deputy acknowledges +40 min (L4: 25 min late); never the secretary (R2, C2); never
  reported upward (C8); closed +24 h.
- I3 Jul 7 10:00 information, Mei: the office acknowledges +5 h (limit 480 working minutes).
- I4 Sep 1 10:00 network-security general, Min: limit 240 working minutes (14:00); Eli
  acknowledges 16:00 (L4: 2 h late); closed Sep 3 10:00 (+48 h).
- I5 Nov 20 10:00 incident at an event, major, Mei: never acknowledged (L4), so the sweep
  escalates it (+31 min); nor by the secretary (R2, C2); reported upward by the office after
  30 h (C8: 6 h late).

Events (Mei's go through her committee head Han first, L3)
- E1 Mar 2 → Mar 20 (18 days), Mei: approved, filed Mar 5, held.
- E2 May 6 → May 10 (4 days: short notice), Min: sent back May 7, withdrawn May 8.
- E3 Jun 1 → Jun 20 (19 days), Mei: approved, never filed (R6 lapse).
- E4 Aug 3 → Aug 25 (22 days), Min: rejected.
- E5 Oct 12 → Oct 30 (18 days), Mei: approved; its filing (dated Oct 29) recorded only on Nov 2,
  after its date (R6: 3 days late).
- E6 Dec 1 → 2027-01-20 (50 days), Min: pending.

Meetings (the calendar keeps the records from Jan 4)
- Quarterly reviews (A2): Mar 25, Sep 28, Dec 20 — none in Q2.
- Dedicated (R2): Jun 10 only — 1 of 2.
- Study (R3, monthly): every month but August and November.
- Forward-looking analyses (A3): Spring Festival, Two Sessions, National Day, Memorial Day —
  none before May Fourth, Party Founding, Army Day, Victory Day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.buttons import EventAction
from bot.calendar import runner
from bot.calendar.meetings import MeetingDraft, record_meeting
from bot.calendar.models import MeetingKind
from bot.clock import MovableClock
from bot.deps import Deps
from bot.events import after, decisions
from bot.events import service as events
from bot.events.draft import EventDraft
from bot.incidents import actions
from bot.incidents.service import ReportDraft, file_report
from bot.incidents.sweep import sweep
from bot.people import admission, committees, grants
from bot.people import service as people
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity

CN = ZoneInfo("Asia/Shanghai")
ADMIN = TgUser(9001, "Ada")
MEI = TgUser(1, "Mei")  # member of the publicity committee
MIN = TgUser(2, "Min")  # member of no committee
ELI = TgUser(3, "Eli")  # emergency office
DAI = TgUser(4, "Dai")  # deputy
SHU = TgUser(5, "Shu")  # secretary
OU = TgUser(6, "Ou")  # office
HAN = TgUser(7, "Han")  # head of the publicity committee


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """A Beijing-time moment of the sample year, in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=CN).astimezone(UTC)


@dataclass
class Year:
    incidents: dict[str, int]
    events: dict[str, int]


async def _staff(deps: Deps) -> None:
    await grants.ensure_bootstrap_admins(deps)
    await admission.seed_members(deps, [MEI, MIN, ELI, DAI, SHU, OU, HAN])  # R4: members
    for tg in (MEI, MIN, ELI, DAI, SHU, OU, HAN):
        await people.start(deps, tg)
    committee, _name = await committees.create_committee(deps, ADMIN, "宣传委员会")
    ids = {tg.id: (await people.identify(deps, tg, private=True)).id for tg in (MEI, HAN)}
    for tg, role in (
        (ELI, Role.EMERGENCY_OFFICE),
        (DAI, Role.DEPUTY),
        (SHU, Role.SECRETARY),
        (OU, Role.OFFICE),
    ):
        person = await people.identify(deps, tg, private=True)
        await grants.change_role(deps, ADMIN, person_id=person.id, role=role, grant=True)
    await grants.change_role(
        deps,
        ADMIN,
        person_id=ids[HAN.id],
        role=Role.COMMITTEE_HEAD,
        grant=True,
        committee_id=committee,
    )
    await committees.set_committee(deps, ADMIN, person_id=ids[MEI.id], committee_id=committee)


def _report(kind: Kind, severity: Severity | None, reported: datetime) -> ReportDraft:
    return ReportDraft(
        kind=kind,
        severity=severity,
        what="网站首页出现不实信息",
        discovered_at=reported - timedelta(hours=1),
        discovered_precision="minute",
        location="门户网站",
        actions_taken="已截图留存",
        attachments=[],
    )


def _event(title: str, starts: datetime) -> EventDraft:
    return EventDraft(
        event_type="lecture",
        title=title,
        starts_at=starts,
        venue="机关三楼会议室",
        audience=60,
        speakers=[{"name": "张教授", "affiliation": "市委党校"}],
        outline="一、形势；二、任务",
        speakers_vetted=True,
    )


async def a_year(deps: Deps, clock: MovableClock) -> Year:
    """Make the year's records; leaves the clock where it found nothing more to do."""
    clock.set(at(1, 4, 8, 0))
    await _staff(deps)
    await runner.run(deps)  # the calendar begins keeping the records (its epoch)
    clock.set(at(1, 4, 10, 0))
    await runner.run(deps)  # Q1 and January are announced
    inc: dict[str, int] = {}
    ev: dict[str, int] = {}

    async def meet(kind: MeetingKind, on: date, title: str, **extra: object) -> None:
        clock.set(
            datetime.combine(on, datetime.min.time(), CN).astimezone(UTC) + timedelta(hours=18)
        )
        draft = MeetingDraft(kind=kind, held_on=on, title=title, **extra)  # type: ignore[arg-type]
        await record_meeting(deps, OU, draft)

    async def file(name: str, who: TgUser, kind: Kind, sev: Severity | None, when: datetime) -> int:
        clock.set(when)
        inc[name] = (await file_report(deps, who, _report(kind, sev, when))).incident_id
        return inc[name]

    async def request(name: str, who: TgUser, title: str, when: datetime, starts: datetime) -> int:
        clock.set(when)
        ev[name] = (await events.submit(deps, who, _event(title, starts))).id
        if who == MEI:  # her committee head forwards it (L3)
            clock.set(when + timedelta(hours=1))
            await decisions.review(deps, HAN, ev[name], 1, forward=True)
        return ev[name]

    async def by(when: datetime, action: object, *args: object) -> None:
        clock.set(when)
        await action(deps, *args)  # type: ignore[operator]

    topics = [t.key for t in deps.policy.calendar.quarterly_review.topics]
    study = MeetingKind.STUDY
    await meet(study, date(2026, 1, 15), "一月理论学习")
    # I1
    i1 = await file("I1", MEI, Kind.NETWORK_SECURITY, Severity.MAJOR, at(2, 10))
    await by(at(2, 10, 10, 20), actions.acknowledge, ELI, i1)
    await by(at(2, 10, 10, 25), actions.acknowledge, SHU, i1)
    await by(at(2, 10, 13, 0), actions.report_upward, ELI, i1, "市委网信办", "已电话报告")
    await by(at(2, 10, 15, 0), actions.contain, ELI, i1)
    await by(at(2, 12, 10, 0), actions.close, ELI, i1, "已恢复")
    fa = MeetingKind.FORWARD_ANALYSIS
    await meet(
        fa,
        date(2026, 2, 10),
        "春节前研判",
        sensitive_key="spring-festival",
        sensitive_on=date(2026, 2, 17),
    )
    await meet(study, date(2026, 2, 12), "二月理论学习")
    await meet(
        fa,
        date(2026, 2, 25),
        "两会前研判",
        sensitive_key="two-sessions",
        sensitive_on=date(2026, 3, 4),
    )
    # E1
    e1 = await request("E1", MEI, "理论宣讲报告会", at(3, 2), at(3, 20))
    await by(at(3, 3), decisions.decide, SHU, e1, 1, EventAction.APPROVE)
    await by(at(3, 5), after.record_filing, OU, e1, 1, "2026-03-05", "宣备〔2026〕3号")
    await meet(study, date(2026, 3, 12), "三月理论学习")
    await by(at(3, 21), after.record_outcome, MEI, e1, "held")
    await meet(MeetingKind.QUARTERLY_REVIEW, date(2026, 3, 25), "一季度分析研判", topics=topics)
    # I2
    i2 = await file("I2", MIN, Kind.PUBLIC_OPINION, Severity.CRITICAL, at(4, 15))
    await by(at(4, 15, 10, 16), lambda d: sweep(d))
    await by(at(4, 15, 10, 40), actions.acknowledge, DAI, i2)
    await by(at(4, 16, 10, 0), actions.close, DAI, i2, "已处置")
    await meet(study, date(2026, 4, 16), "四月理论学习")
    # E2
    e2 = await request("E2", MIN, "青年座谈会", at(5, 6), at(5, 10))
    changes = EventAction.REQUEST_CHANGES
    await by(at(5, 7), decisions.decide, DAI, e2, 1, changes, "请补充发言人情况")
    await by(at(5, 8), events.withdraw, MIN, e2)
    await meet(study, date(2026, 5, 14), "五月理论学习")
    # E3
    e3 = await request("E3", MEI, "读书分享会", at(6, 1), at(6, 20))
    await by(at(6, 2), decisions.decide, SHU, e3, 1, EventAction.APPROVE)
    await meet(MeetingKind.DEDICATED, date(2026, 6, 10), "意识形态工作专题会议")
    await meet(study, date(2026, 6, 11), "六月理论学习")
    # I3
    i3 = await file("I3", MEI, Kind.INFORMATION, None, at(7, 7))
    await by(at(7, 7, 15, 0), actions.acknowledge, OU, i3)
    await meet(study, date(2026, 7, 16), "七月理论学习")
    # E4
    e4 = await request("E4", MIN, "专家讲座", at(8, 3), at(8, 25))
    await by(at(8, 4), decisions.decide, SHU, e4, 1, EventAction.REJECT, "内容不宜")
    # I4
    i4 = await file("I4", MIN, Kind.NETWORK_SECURITY, Severity.GENERAL, at(9, 1))
    await by(at(9, 1, 16, 0), actions.acknowledge, ELI, i4)
    await by(at(9, 3, 10, 0), actions.close, ELI, i4, "已修复")
    await meet(study, date(2026, 9, 17), "九月理论学习")
    await meet(
        fa,
        date(2026, 9, 22),
        "国庆前研判",
        sensitive_key="national-day",
        sensitive_on=date(2026, 10, 1),
    )
    await meet(MeetingKind.QUARTERLY_REVIEW, date(2026, 9, 28), "三季度分析研判", topics=topics)
    # E5
    e5 = await request("E5", MEI, "形势政策论坛", at(10, 12), at(10, 30))
    await by(at(10, 13), decisions.decide, SHU, e5, 1, EventAction.APPROVE)
    await meet(study, date(2026, 10, 15), "十月理论学习")
    await by(at(11, 2), after.record_filing, OU, e5, 1, "2026-10-29", "宣备〔2026〕21号")
    # I5
    i5 = await file("I5", MEI, Kind.EVENT_INCIDENT, Severity.MAJOR, at(11, 20))
    await by(at(11, 20, 10, 31), lambda d: sweep(d))
    await by(at(11, 21, 16, 0), actions.report_upward, OU, i5, "市委宣传部", "书面报告")
    # E6
    await request("E6", MIN, "新年座谈会", at(12, 1), at(1, 20, year=2027))
    await meet(
        fa,
        date(2026, 12, 7),
        "公祭日前研判",
        sensitive_key="memorial-day",
        sensitive_on=date(2026, 12, 13),
    )
    await meet(study, date(2026, 12, 10), "十二月理论学习")
    await meet(MeetingKind.QUARTERLY_REVIEW, date(2026, 12, 20), "四季度分析研判", topics=topics)
    return Year(inc, ev)
