"""What a person typed after /find, read into its parts. Pure: no database, no Telegram.

Words separated by spaces; each part is recognised by its form: a reference (INC-2026-0031), a
person (@li_ming), a kind, severity or event type, a status (English or the catalogue's Chinese
state: 未办结, 已控制, 已办结, 已批准…), a date, range or period in the forms offices write
(bot/dates). Everything else is a word to find in the records' text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot import dates
from bot.calendar.models import MeetingKind
from bot.events.models import OPEN, EventStatus
from bot.policy.schema import Kind, Severity

_REF = re.compile(r"(INC|EVT|MTG)-(\d{4})-(\d{1,6})", re.IGNORECASE)
_PERSON = re.compile(r"@([A-Za-z0-9_]{1,64})")
# Only digits and the characters of a date: "5号楼" stays a word.
_DATEISH = re.compile(r"[0-9年月日号至到\-~/.\s第季度上下半全度Qq]+")
_EVENT_TYPES = frozenset({"report_meeting", "seminar", "lecture", "forum"})
# A meeting's kind: its code, or the glossary's name of it (A2, R2, R3, A3).
_MEETING_KINDS = {str(k): str(k) for k in MeetingKind} | {
    "季度分析研判": MeetingKind.QUARTERLY_REVIEW,
    "专题会议": MeetingKind.DEDICATED,
    "理论学习": MeetingKind.STUDY,
    "集体学习": MeetingKind.STUDY,
}

_DECIDED = (
    EventStatus.APPROVED,
    EventStatus.CLEARED,
    EventStatus.REJECTED,
    EventStatus.WITHDRAWN,
    EventStatus.CANCELLED,
)
# A status word: (incident statuses, event statuses) it means.
_STATUSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _status(words: tuple[str, ...], incident: tuple[str, ...], event: tuple[str, ...]) -> None:
    for w in words:
        _STATUSES[w] = (frozenset(incident), frozenset(str(s) for s in event))


_status(("open", "未办结", "办理中"), ("open", "contained"), OPEN)
_status(("contained", "已控制"), ("contained",), ())
_status(("closed", "已办结"), ("closed",), _DECIDED)
_status(("pending", "待审批"), (), OPEN)
_status(("approved", "已批准"), (), (EventStatus.APPROVED, EventStatus.CLEARED))
_status(("cleared", "已备案"), (), (EventStatus.CLEARED,))
_status(("rejected", "不予批准"), (), (EventStatus.REJECTED,))
_status(("withdrawn", "已撤回"), (), (EventStatus.WITHDRAWN,))
_status(("cancelled", "canceled", "已取消"), (), (EventStatus.CANCELLED,))


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    refs: list[tuple[str, int, int]] = field(default_factory=list)  # (INC|EVT|MTG, year, n)
    people: list[str] = field(default_factory=list)  # usernames, lower case, without "@"
    kinds: set[str] = field(default_factory=set)
    severities: set[str] = field(default_factory=set)
    event_types: set[str] = field(default_factory=set)
    meeting_kinds: set[str] = field(default_factory=set)
    incident_statuses: set[str] | None = None  # None: any
    event_statuses: set[str] | None = None
    period: tuple[date, date] | None = None

    @property
    def empty(self) -> bool:
        return self == Query()

    def wants(self, prefix: str) -> bool:
        """Whether records of this kind (INC, EVT, MTG) can match: a kind, type or reference
        names the kinds of record it applies to; a status, those that have one."""
        named = {r[0] for r in self.refs}
        named |= {"INC"} if self.kinds or self.severities else set()
        named |= {"EVT"} if self.event_types else set()
        named |= {"MTG"} if self.meeting_kinds else set()
        if named and prefix not in named:
            return False
        if prefix == "INC":
            return self.incident_statuses is None or bool(self.incident_statuses)
        if prefix == "EVT":
            return self.event_statuses is None or bool(self.event_statuses)
        return self.incident_statuses is None and self.event_statuses is None  # no status


def _period(word: str, today: date) -> tuple[date, date] | None:
    """A day, a range of days or a whole period; None when the word is not a date at all."""
    if not _DATEISH.fullmatch(dates.normalize(word)) or not any(c.isdigit() for c in word):
        return None
    whole = dates.whole_period(word)
    if whole is not None:
        return whole
    found = dates.find_days(word, today.year)
    if len(found) == 1:
        return found[0].day, found[0].day
    if len(found) == 2:
        first, last = sorted((found[0].day, found[1].day))
        return first, last
    return None


def parse(text: str, today: date) -> Query:
    """Raises dates.Unreadable for a date that does not exist (2026年2月30日)."""
    q = Query()
    for word in text.split():
        low = word.lower()
        if m := _REF.fullmatch(word):
            q.refs.append((m[1].upper(), int(m[2]), int(m[3])))
        elif m := _PERSON.fullmatch(word):
            q.people.append(m[1].lower())
        elif low in {str(k) for k in Kind}:
            q.kinds.add(low)
        elif low in {str(s) for s in Severity}:
            q.severities.add(low)
        elif low in _EVENT_TYPES:
            q.event_types.add(low)
        elif low in _MEETING_KINDS:
            q.meeting_kinds.add(str(_MEETING_KINDS[low]))
        elif low in _STATUSES:
            inc, evt = _STATUSES[low]
            q.incident_statuses = (q.incident_statuses or set()) | inc
            q.event_statuses = (q.event_statuses or set()) | evt
        elif (period := _period(word, today)) is not None:
            q.period = period
        else:
            q.words.append(word)
    return q
