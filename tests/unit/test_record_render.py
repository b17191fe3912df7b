"""A long record is sent in several messages, each within Telegram's 4,096 characters, and
nothing of it is cut (render.fitting.split)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.records.incidents import Handler, IncidentRecord
from handlers.record_render import incident_messages, meeting_messages
from render.fitting import MAX_MESSAGE, visible_units
from render.renderer import Renderer

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


def record(updates: list[str]) -> IncidentRecord:
    timeline = [(AT, "filed", "Mei", None, {})]
    timeline += [
        (AT + timedelta(hours=n), "update", "Eli", text, {}) for n, text in enumerate(updates, 1)
    ]
    return IncidentRecord(
        1,
        "INC-2026-0001",
        "network_security",
        "major",
        "open",
        "Mei",
        "首页被篡改 <b>",
        AT,
        "minute",
        "门户网站",
        "已断网",
        AT,
        [
            Handler("Eli", "routed", "emergency_office", None, AT, None, None),
            Handler("Ou", "pulled_in", None, "Eli", AT, None, None),
        ],
        timeline,
        None,
        None,
        None,
        None,
        None,
        [],
    )


def test_a_long_record_comes_in_several_messages_none_cut() -> None:
    updates = [f"第{n}次进展：" + "处置" * 900 + "完" for n in range(1, 9)]
    for locale in ("en", "zh_CN"):
        sent = incident_messages(Renderer(locale, SH), record(updates))
        assert len(sent) > 1
        assert all(visible_units(m) <= MAX_MESSAGE for m in sent)
        whole = "\n".join(sent)
        assert all(u in whole for u in updates)  # every update whole, in order
        assert whole.index(updates[0]) < whole.index(updates[-1])
        assert "首页被篡改 &lt;b&gt;" in sent[0]


def test_a_short_record_is_one_message_in_formal_chinese() -> None:
    (zh,) = incident_messages(Renderer("zh_CN", SH), record(["已恢复首页"]))
    assert "办理经过" in zh and "承办人" in zh
    assert "Ou：2026年11月24日 09:30由Eli增派为承办人" in zh


def test_a_meeting_record_in_chinese_with_every_value_escaped() -> None:
    """A2: each area's conclusion or why it was not discussed; R3: what was studied."""
    from datetime import date

    from bot.incidents.evidence import Attachment
    from bot.records.meetings import MeetingRecord

    meeting = MeetingRecord(
        3,
        "MTG-2026-0003",
        "quarterly_review",
        date(2026, 11, 20),
        "四季度分析研判 <b>",
        [
            ("理论武装", "Political theory", {"conclusion": "总体稳定 &"}),
            ("网络舆情", "Online opinion", {"not_discussed": "时间不足"}),
        ],
        [],
        None,
        None,
        "纪要 <i>",
        ["Mei", "Shu"],
        [Attachment("f1", "document", "minutes.pdf", 2048, "kept", None)],
        "Ou",
        AT,
    )
    (zh,) = meeting_messages(Renderer("zh_CN", SH), meeting)
    assert zh.startswith("<b>MTG-2026-0003</b> · 季度分析研判（A2）\n召开日期：2026年11月20日")
    assert "四季度分析研判 &lt;b&gt;" in zh and "纪要 &lt;i&gt;" in zh
    assert "理论武装：总体稳定 &amp;" in zh and "网络舆情：未研判（时间不足）" in zh
    assert "\n参会人员：Mei、Shu\n" in zh and "1. minutes.pdf（2 KB）：" in zh
    (en,) = meeting_messages(Renderer("en", SH), meeting)
    assert "Online opinion: not discussed (时间不足)" in en and "Attendees: Mei, Shu" in en
