"""Every value a person supplies is escaped once, in render.py (rule 9)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.people.roles import Role
from handlers.render import NOTICES, Renderer, notice

NASTY = '<b>&"</b><script>'


def test_values_are_escaped_but_template_markup_kept() -> None:
    r = Renderer("en", ZoneInfo("Asia/Shanghai"))
    text = r("Your role <b>{role}</b> was revoked by {by}.", role="Office", by=NASTY)
    assert text == (
        'Your role <b>Office</b> was revoked by &lt;b&gt;&amp;"&lt;/b&gt;&lt;script&gt;.'
    )


def test_every_notice_renders_with_nasty_values_in_both_languages() -> None:
    params = {"role": str(Role.COMMITTEE_HEAD), "committee": NASTY, "by": NASTY}
    for locale in ("zh_CN", "en"):
        r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
        for template in NOTICES:
            text = notice(r, template, params)
            assert "<script>" not in text and "&lt;script&gt;" in text


def test_chinese_role_list_uses_chinese_separator() -> None:
    r = Renderer("zh_CN", ZoneInfo("Asia/Shanghai"))
    assert r.roles(frozenset({Role.OFFICE, Role.SECRETARY})) == "党组书记、办公室"
    assert r.roles(frozenset()) == "干部职工"
    assert r.role(Role.COMMITTEE_HEAD, "教科文卫委") == "工作委员会负责人（教科文卫委）"
