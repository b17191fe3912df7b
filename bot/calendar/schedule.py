"""What falls due when: the policy's rhythm turned into dated occurrences. Pure (no database).

Every occurrence has a key that names it for good ("A2:2026-Q1:d30"), the moment it is due
(a working day at the policy's `send_at`, local time; a day off moves it to the next working
morning) and the moment it stops making sense (after that a bot that was down does not send it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.policy.calendar import DedicatedMeetings, QuarterlyReview, SensitiveDates, StudySessions
from bot.policy.schema import Policy
from bot.policy.worktime import IsWorkday, workdays_of

LAPSE_KEPT = timedelta(days=30)  # a lapse notice more than a month late is no longer sent


@dataclass(frozen=True)
class Period:
    """A stretch of days an obligation belongs to: a quarter, month, week or year."""

    key: str  # 2026-Q1, 2026-03, 2026-W09, 2026
    unit: str  # quarter | month | week | year
    start: date
    end: date  # inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Due:
    key: str
    obligation: str  # see OBLIGATIONS
    clause: str
    due_at: datetime  # UTC
    expires_at: datetime  # UTC
    period: Period
    extra: dict[str, str] = field(default_factory=dict, compare=False)


OBLIGATIONS = (
    "quarter_open",
    "quarter_briefing",
    "quarter_reminder",
    "quarter_lapse",
    "dedicated_reminder",
    "dedicated_lapse",
    "study_open",
    "study_reminder",
    "study_lapse",
    "sensitive",
    "digest",
)


def quarter(day: date) -> Period:
    """The quarter `day` falls in (key 2026-Q1)."""
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    return Period(f"{day.year}-Q{q + 1}", "quarter", start, _next_month(start, 3) - timedelta(1))


def month(day: date) -> Period:
    """The month `day` falls in (key 2026-03)."""
    start = day.replace(day=1)
    return Period(f"{day:%Y-%m}", "month", start, _next_month(start, 1) - timedelta(1))


def week(day: date) -> Period:
    """The ISO week `day` falls in, Monday to Sunday (key 2026-W09)."""
    start = day - timedelta(days=day.weekday())
    iso = start.isocalendar()
    return Period(f"{iso.year}-W{iso.week:02d}", "week", start, start + timedelta(6))


def year(day: date) -> Period:
    """The year `day` falls in (key 2026)."""
    return Period(str(day.year), "year", date(day.year, 1, 1), date(day.year, 12, 31))


PERIODS = {"quarter": quarter, "month": month, "week": week, "year": year}


def _next_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods_of_year(unit: str, y: int) -> list[Period]:
    """Every period of `unit` that starts or ends in year `y`, in order."""
    of = PERIODS[unit]
    found: list[Period] = []
    day = date(y, 1, 1)
    while day.year == y:
        period = of(day)
        if not found or found[-1] != period:
            found.append(period)
        day = period.end + timedelta(1)
    return found


class WorkingDays:
    """Working days and local times of one policy."""

    def __init__(self, policy: Policy, zone: ZoneInfo) -> None:
        self.zone = zone
        self.send_at: time = policy.calendar.send_at
        self.is_workday: IsWorkday = workdays_of(policy)

    def on_or_after(self, day: date) -> date:
        for _ in range(60):
            if self.is_workday(day):
                return day
            day += timedelta(1)
        return day

    def on_or_before(self, day: date) -> date:
        for _ in range(60):
            if self.is_workday(day):
                return day
            day -= timedelta(1)
        return day

    def at(self, day: date, moment: time | None = None) -> datetime:
        return datetime.combine(day, moment or self.send_at, self.zone).astimezone(UTC)

    def midnight(self, day: date) -> datetime:
        return self.at(day, time(0, 0))


@dataclass
class _Dues:
    """A year's occurrences as they are found; one is kept only if it is due before it expires."""

    c: WorkingDays
    out: list[Due] = field(default_factory=list)

    def add(
        self,
        key: str,
        obligation: str,
        clause: str,
        day: date,
        expires: datetime,
        period: Period,
        **extra: str,
    ) -> None:
        due = self.c.at(day)
        if due < expires:
            self.out.append(Due(key, obligation, clause, due, expires, period, extra))

    def lapse(self, key: str, obligation: str, clause: str, after: Period) -> None:
        """The lapse notice of `after`: its next working day, sent for LAPSE_KEPT at most."""
        day = self.c.on_or_after(after.end + timedelta(1))
        self.add(key, obligation, clause, day, self.c.at(day) + LAPSE_KEPT, after)


def dues_of_year(policy: Policy, zone: ZoneInfo, y: int) -> list[Due]:
    """Every occurrence the policy defines for year `y` (lapses of its last period included)."""
    dues = _Dues(WorkingDays(policy, zone))
    cal = policy.calendar
    _quarterly_reviews(dues, cal.quarterly_review, y)
    _dedicated_meetings(dues, cal.dedicated_meetings, y)
    _study_sessions(dues, cal.study_sessions, y)
    _sensitive_dates(dues, cal.sensitive_dates, y)
    if cal.digest.enabled:
        _digests(dues, y)
    return dues.out


def _quarterly_reviews(dues: _Dues, qr: QuarterlyReview, y: int) -> None:
    """A2: each quarter's opening, its reminders before the end, A1's briefing, its lapse."""
    c = dues.c
    for p in periods_of_year("quarter", y):
        end = c.midnight(p.end + timedelta(1))
        dues.add(
            f"{qr.clause}:{p.key}:open", "quarter_open", qr.clause, c.on_or_after(p.start), end, p
        )
        for days in qr.remind_days_before_end:
            day = c.on_or_after(max(p.start, p.end + timedelta(1) - timedelta(days)))
            dues.add(f"{qr.clause}:{p.key}:d{days}", "quarter_reminder", qr.clause, day, end, p)
        if qr.briefing_days_ahead:  # A1: the briefing, before the quarter's last reminder
            last = p.end + timedelta(1) - timedelta(min(qr.remind_days_before_end, default=0))
            day = c.on_or_before(last - timedelta(qr.briefing_days_ahead))
            dues.add(
                f"{qr.clause}:{p.key}:briefing",
                "quarter_briefing",
                "A1",
                c.on_or_after(max(day, p.start)),
                end,
                p,
            )
        dues.lapse(f"{qr.clause}:{p.key}:lapse", "quarter_lapse", qr.clause, p)


def _dedicated_meetings(dues: _Dues, dm: DedicatedMeetings, y: int) -> None:
    """R2: the year's reminders while fewer dedicated meetings are recorded, and the lapse."""
    c, py = dues.c, year(date(y, 1, 1))
    year_end = c.midnight(date(y + 1, 1, 1))
    for reminder in dm.reminders:
        day = date.fromisoformat(f"{y}-{reminder.on}")
        dues.add(
            f"{dm.clause}:{y}:{reminder.on}",
            "dedicated_reminder",
            dm.clause,
            c.on_or_after(day),
            year_end,
            py,
            below=str(reminder.while_fewer_than),
        )
    dues.lapse(f"{dm.clause}:{y}:lapse", "dedicated_lapse", dm.clause, py)


def _study_sessions(dues: _Dues, st: StudySessions, y: int) -> None:
    """R3: each study period's opening, its last-working-day reminder, its lapse."""
    c = dues.c
    for p in periods_of_year(st.every, y):
        end = c.midnight(p.end + timedelta(1))
        first, last = c.on_or_after(p.start), c.on_or_before(p.end)
        if first > p.end:
            continue  # a week without a working day (Spring Festival): nothing to study in
        dues.add(f"{st.clause}:{p.key}:open", "study_open", st.clause, first, end, p)
        if st.remind_on_last_working_day and last > first:
            dues.add(f"{st.clause}:{p.key}:last", "study_reminder", st.clause, last, end, p)
        dues.lapse(f"{st.clause}:{p.key}:lapse", "study_lapse", st.clause, p)


def _sensitive_dates(dues: _Dues, sd: SensitiveDates, y: int) -> None:
    """A3: a reminder on the working day the days ahead of each sensitive date."""
    c = dues.c
    for item in sd.dates:
        on = item.day_in(y)
        if on is None:
            continue
        ahead = on - timedelta(item.days_ahead or sd.days_ahead)
        day = c.on_or_after(ahead)
        if day >= on:
            day = c.on_or_before(ahead)
        p = Period(f"{item.key}:{on.isoformat()}", "day", ahead, on)
        dues.add(
            f"{sd.clause}:{item.key}:{on.isoformat()}",
            "sensitive",
            sd.clause,
            day,
            c.midnight(on),
            p,
            date_key=item.key,
            on=on.isoformat(),
            name=item.name,
            name_en=item.name_en,
        )


def _digests(dues: _Dues, y: int) -> None:
    """R7: the weekly digest on each week's first working day."""
    c = dues.c
    for p in periods_of_year("week", y):
        if p.start.year != y and p.start.month == 12:
            continue  # the week belongs to the year it started in
        first = c.on_or_after(p.start)
        if first <= p.end:
            dues.add(f"digest:{p.key}", "digest", "R7", first, c.midnight(p.end + timedelta(1)), p)


_CACHE: dict[tuple[int, str, int], tuple[Policy, list[Due]]] = {}


def dues_around(policy: Policy, zone: ZoneInfo, day: date) -> list[Due]:
    """Occurrences of last year, this year and next year (memoised per policy object)."""
    out: dict[str, Due] = {}
    for y in (day.year - 1, day.year, day.year + 1):
        key = (id(policy), zone.key, y)
        hit = _CACHE.get(key)
        if hit is None or hit[0] is not policy:
            if len(_CACHE) > 48:
                _CACHE.clear()
            hit = _CACHE[key] = (policy, dues_of_year(policy, zone, y))
        out.update((d.key, d) for d in hit[1])  # a week across New Year is in both years
    return list(out.values())
