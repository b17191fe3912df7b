"""Every value a person supplies is escaped once, in render.py (rule 9)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from bot.people.roles import Role
from render.notices import all_notices, notice
from render.renderer import Renderer
from standin.html_check import visible_text

NASTY = '<b>&"</b><script>'


def test_values_are_escaped_but_template_markup_kept() -> None:
    r = Renderer("en", ZoneInfo("Asia/Shanghai"))
    text = r("Your role <b>{role}</b> was revoked by {by}.", role="Office", by=NASTY)
    assert text == (
        'Your role <b>Office</b> was revoked by &lt;b&gt;&amp;"&lt;/b&gt;&lt;script&gt;.'
    )


def test_every_notice_renders_with_nasty_values_in_both_languages() -> None:
    params: dict[str, object] = {
        "role": str(Role.COMMITTEE_HEAD),
        "committee": NASTY,
        "by": NASTY,
        "ref": NASTY,
        "kind": "network_security",
        "severity": "major",
        "what": NASTY,
        "location": NASTY,
        "discovered_at": "2026-11-24T02:00:00+00:00",
        "discovered_precision": "minute",
        "actions_taken": NASTY,
        "reporter": NASTY,
        "ack_due_at": "2026-11-24T02:30:00+00:00",
        "text": NASTY,
        "summary": NASTY,
        "reported_at": "2026-11-24T02:00:00+00:00",
        "number": 1,
        "of": 2,
        "pulled_in_by": NASTY,
        "name": NASTY,
        "reason": "blocked",
        "handed_over_from": NASTY,
        "event_type": "lecture",
        "title": NASTY,
        "organiser": NASTY,
        "venue": NASTY,
        "starts_at": "2026-12-01T06:00:00+00:00",
        "audience": 80,
        "outline": NASTY,
        "speakers": [{"name": NASTY, "affiliation": NASTY}],
        "short_lead": True,
        "reviewed_by": NASTY,
        "note": NASTY,
        "filing_ref": NASTY,
        "requester": NASTY,
        "first_day": "2026-12-01",
        "last_day": "2026-12-10",
        "start": "2026-10-01",
        "end": "2026-12-31",
        "unit": "quarter",
        "topics": [[NASTY, NASTY]],
        "invite": True,
        "inputs": 2,
        "held": 1,
        "minimum": 2,
        "on": "2026-10-01",
        "name_en": NASTY,
        "open": {"major": 1},
        "unacknowledged": 0,
        "pending": 1,
        "unfiled": 0,
        "upcoming": [
            {
                "obligation": "sensitive",
                "unit": "day",
                "start": "2026-09-21",
                "end": "2026-10-01",
                "due": "2026-09-21T01:30:00+00:00",
                "name": NASTY,
                "name_en": NASTY,
                "on": "2026-10-01",
            }
        ],
        "late_since": "2026-09-21T01:30:00+00:00",
        "snoozed": True,
        "username": NASTY,
        "language": NASTY,
        "at": "2026-11-24T02:00:00+00:00",
        "purpose": "org",
        "since": "2026-11-24T02:00:00+00:00",
        "missed": 2,
        "items": [
            {
                "status": status,
                "ref": NASTY,
                "to": NASTY,
                "template": "event.approve",
                "params": {"ref": NASTY, "title": NASTY, "by": NASTY},
                "error": NASTY,
                "decision": True,
            }
            for status in ("uncertain", "failed")
        ],
        "more": 3,
        "error": NASTY,
        "last": "2026-11-23",
        "dir": NASTY,
        "year": 2027,
        "version": NASTY,
        "part": 1,
        "parts": 2,
        "from": "general",
        "to": "major",
        "files": 2,
        "reopened_by": NASTY,
        "lines": [
            ["h", "information", 1],
            ["inc", NASTY, "information", "", "open", NASTY],
            ["h", "area", NASTY, NASTY, 0],
            ["h", "lapses", 1],
            [
                "lapse",
                "quarter_review_incomplete",
                "2026-12-31T16:00:00+00:00",
                "2026-Q4",
                None,
                {"missing": json.dumps([[NASTY, NASTY]])},
            ],
        ],
    }
    # Notices that carry nothing anyone typed (only periods, counts, dates).
    no_free_text = {
        "incident.group_notice",
        "calendar.quarter_lapse",
        "calendar.study_open",
        "calendar.dedicated_reminder",
        "calendar.dedicated_lapse",
        "calendar.study_reminder",
        "calendar.study_lapse",
        "event.acting_starts",
        "event.acting_over",
    }
    for locale in ("zh_CN", "en"):
        r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
        for template in all_notices():
            text = notice(r, template, params)
            assert "<script>" not in text, template
            visible_text(text)  # Telegram would accept it: no parse error
            if template not in no_free_text:
                assert "&lt;script&gt;" in text, template


def test_a_review_held_incomplete_names_its_missing_areas() -> None:
    # A2: the reminders, the lapse notice and the ledger's lapse line name the missing areas.
    params = {
        "start": "2026-10-01",
        "end": "2026-12-31",
        "unit": "quarter",
        "inputs": 0,
        "topics": [],
        "missing": [[NASTY, NASTY]],
    }
    for locale in ("zh_CN", "en"):
        r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
        for template in ("calendar.quarter_reminder", "calendar.quarter_lapse"):
            text = notice(r, template, params)
            visible_text(text)
            assert "&lt;script&gt;" in text and ("incomplete" in text or "研判不完整" in text)


def test_chinese_role_list_uses_chinese_separator() -> None:
    r = Renderer("zh_CN", ZoneInfo("Asia/Shanghai"))
    assert r.roles(frozenset({Role.OFFICE, Role.SECRETARY})) == "党组书记、办公室工作人员"
    assert r.roles(frozenset()) == "干部职工"
    assert r.role(Role.COMMITTEE_HEAD, "教科文卫委") == "工作委员会负责人（教科文卫委）"
