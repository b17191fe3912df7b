"""The register's words escape every value and keep Telegram's HTML valid, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.register.rules import CLAUSES, MEASURES, Grade
from bot.register.views import CaseLine, CaseView, Facts
from handlers.accountability_render import case_card, clause_label, register_page, summary
from render.renderer import Renderer
from standin.html_check import visible_text

NASTY = '<b>&"</b><script>'


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_register_texts_escape_every_value(locale: str) -> None:
    r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
    facts = Facts(NASTY, ["INC-2026-0001"], ["EVT-2026-0002"], ["INC-2026-0099"])
    case = CaseView(
        id=2,
        person_id=1,
        person=NASTY,
        clause="C8",
        facts=facts,
        grade="most_serious",
        measures=list(MEASURES),
        decided_on=date(2026, 11, 20),
        recorded_by=NASTY,
        recorded_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
        corrects=1,
        corrected_by=3,
        chain=[1, 2, 3],
    )
    draft = {
        "person_name": NASTY,
        "clause": "C12",
        "facts": NASTY,
        "grade": "light",
        "measures": ["transfer"],
        "decided_on": "2026-11-20",
        "corrects": 1,
        "missing": ["EVT-2026-0042"],
    }
    lines = [CaseLine(2, date(2026, 11, 20), NASTY, "C8", g, 3) for g in Grade]
    for text in (case_card(r, case), summary(r, draft), register_page(r, lines, 0, 1, 3)):
        assert "<script>" not in text and "&lt;script&gt;" in text
        visible_text(text)  # Telegram would accept it: no parse error
    assert all(clause_label(r, c).startswith(f"{c} · ") for c in CLAUSES)
