"""Lists that code joins (speakers, areas, clauses, references, roles) take their separators
from the catalogue: Chinese output reads 甲、乙 and 名称（说明）, never "甲, 乙" or
"名称 (说明)"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.ledger.lapses import Lapse
from bot.people.roles import Role
from bot.policy.load import load
from bot.register.rules import MEASURES
from bot.register.views import Facts
from handlers import accountability_render, policy
from render import event, ledger_words, meeting
from render.notices import all_notices, notice
from render.renderer import Renderer
from standin.html_check import visible_text

SH = ZoneInfo("Asia/Shanghai")
# Western separators; a colon only between digits (09:30) is a time.
WESTERN = re.compile(r"[,;()]|(?<!\d):|:(?!\d)")
SPEAKERS = [
    {"name": "李明", "affiliation": "市委党校"},
    {"name": "王芳", "affiliation": "市社科院"},
]


@pytest.fixture
def zh() -> Renderer:
    return Renderer("zh_CN", SH)


def western(text: str) -> list[str]:
    return WESTERN.findall(visible_text(text))


def test_the_separators_come_from_the_catalogue(zh: Renderer) -> None:
    en = Renderer("en", SH)
    assert zh.items(["甲", "乙", "丙"]) == "甲、乙、丙"
    assert zh.items(["甲", "乙"], series=True) == "甲、乙"
    assert zh.items([]) == "" and zh.items(["甲"]) == "甲"
    assert zh.aside("李明", "市委党校") == "李明（市委党校）"
    assert zh.label("类别", "值") == "类别：值"
    assert en.items(["a", "b", "c"]) == "a, b, c"
    assert en.items(["a", "b"], series=True) == "a; b"
    assert en.aside("Li", "Party School") == "Li (Party School)"


def test_speakers_with_their_affiliations(zh: Renderer) -> None:
    text = event.speakers_text(zh, SPEAKERS)
    assert text == "李明（市委党校）、王芳（市社科院）"


def test_a_lapse_cites_its_clauses_in_chinese_brackets(zh: Renderer) -> None:
    due = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    lapse = Lapse("secretary_ack_missing", due, "INC-2026-0002", None)
    text = ledger_words.lapse_text(zh, lapse)
    assert text.endswith("（R2、C2）") and western(text) == [], text
    sensitive = ledger_words.obligation_subject(
        zh, "2026-10-01", {"name": "国庆节", "name_en": "National Day", "on": "2026-10-01"}
    )
    assert sensitive == "国庆节（2026年10月1日）"


def test_policy_summary_lists_in_chinese(zh: Renderer) -> None:
    lines = policy.summary(zh, load(None), date(2026, 12, 7))
    for line in lines:
        assert western(line) == [], line
    # The zone by the name people use (北京时间), not Asia/Shanghai.
    assert lines[0] == "工作时间：法定工作日09:00–17:30（北京时间）。", lines[0]


def test_register_measures_and_references(zh: Renderer) -> None:
    assert "；" not in accountability_render.measures_text(zh, list(MEASURES)[:2])
    assert western(accountability_render.measures_text(zh, list(MEASURES))) == []
    facts = Facts("事实", incidents=["INC-2026-0001", "INC-2026-0002"], missing=["EVT-2025-0001"])
    for line in accountability_render.references(zh, facts):
        assert western(line) == [], line
    assert "INC-2026-0001、INC-2026-0002" in accountability_render.references(zh, facts)[0]


def test_meeting_summary_lists_areas(zh: Renderer) -> None:
    draft = {
        "kind": "quarterly_review",
        "held_on": "2026-11-20",
        "subject": "研判",
        "topics_named": {"zh": ["网络舆情", "宣传思想"], "en": ["Online opinion", "Publicity"]},
        "attendees": [1, 2],
        "files": [],
    }
    text = meeting.summary(zh, draft)
    assert "网络舆情、宣传思想" in text and western(text) == [], text


def test_role_lists(zh: Renderer) -> None:
    roles = zh.roles(frozenset({Role.SECRETARY, Role.COMMITTEE_HEAD}), ["教科文卫委", "法制委"])
    assert roles == "党组书记、工作委员会负责人（教科文卫委）、工作委员会负责人（法制委）"


def test_every_notice_in_chinese_carries_no_western_separator(zh: Renderer) -> None:
    at = (datetime(2026, 11, 24, 2, 0, tzinfo=UTC) + timedelta(hours=1)).isoformat()
    params: dict[str, object] = {
        "role": str(Role.COMMITTEE_HEAD),
        "committee": "教科文卫委",
        "by": "李明",
        "ref": "INC-2026-0001",
        "kind": "network_security",
        "severity": "major",
        "what": "网站被篡改",
        "location": "门户网站",
        "discovered_at": at,
        "discovered_precision": "minute",
        "actions_taken": "已下线",
        "reporter": "王芳",
        "ack_due_at": at,
        "text": "进展",
        "summary": "已恢复",
        "reported_at": at,
        "number": 1,
        "of": 2,
        "pulled_in_by": "李明",
        "name": "王芳",
        "reason": "blocked",
        "event_type": "lecture",
        "title": "理论宣讲",
        "organiser": "李明",
        "venue": "三楼会议室",
        "starts_at": "2026-12-01T06:00:00+00:00",
        "audience": 80,
        "outline": "提纲",
        "speakers": SPEAKERS,
        "short_lead": True,
        "reviewed_by": "张华",
        "note": "请补充",
        "filing_ref": "宣备2026第12号",
        "requester": "王芳",
        "first_day": "2026-12-01",
        "last_day": "2026-12-10",
        "start": "2026-10-01",
        "end": "2026-12-31",
        "unit": "quarter",
        "topics": [["网络舆情", "Online opinion"], ["宣传思想", "Publicity"]],
        "invite": True,
        "inputs": 2,
        "held": 1,
        "minimum": 2,
        "on": "2026-10-01",
        "name_en": "National Day",
        "open": {"major": 1, "general": 2},
        "unacknowledged": 1,
        "pending": 1,
        "unfiled": 0,
        "upcoming": [
            {
                "obligation": "sensitive",
                "unit": "day",
                "start": "2026-09-21",
                "end": "2026-10-01",
                "due": "2026-09-21T01:30:00+00:00",
                "name": "国庆节",
                "name_en": "National Day",
                "on": "2026-10-01",
            }
        ],
        "late_since": "2026-09-21T01:30:00+00:00",
        "snoozed": True,
        "username": "liming",
        "language": "zh-hans",
        "at": at,
        "purpose": "org",
        "since": at,
        "missed": 2,
        "error": "磁盘空间不足",
        "last": "2026-11-23",
        "dir": "/备份",
        "year": 2027,
        "version": "0.109",
        "items": [
            {
                "status": status,
                "ref": "EVT-2026-0001",
                "to": "王芳",
                "template": "event.approve",
                "error": "Chat not found",
                "decision": True,
                "params": {"ref": "EVT-2026-0001", "title": "理论宣讲", "by": "李明"},
            }
            for status in ("uncertain", "failed")
        ],
        "more": 3,
        "part": 1,
        "parts": 2,
        "from": "general",
        "to": "major",
        "files": 2,
        "reopened_by": "王芳",
        "lines": [
            ["h", "information", 1],
            ["inc", "INC-2026-0001", "public_opinion", "major", "open", "网帖"],
            ["h", "area", "网上舆论", "Online opinion", 0],
            ["h", "lapses", 1],
            [
                "lapse",
                "quarter_review_incomplete",
                "2026-12-31T16:00:00+00:00",
                "2026-Q4",
                None,
                {"missing": '[["新闻舆论", "News"], ["网上舆论", "Online"]]'},
            ],
        ],
    }
    for template in all_notices():
        text = notice(zh, template, params)
        assert western(text) == [], (template, text)
