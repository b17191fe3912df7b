"""The office's smaller button families (bot/buttons/office.py): the wire format of
handlers/callback_data.py, unchanged; one pattern per action; forged or old data unpacks to
None."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from bot.buttons.codec import Family
from bot.buttons.office import (
    DraftGuardAction,
    DraftGuardButton,
    LanguageAction,
    LanguageButton,
    LedgerAction,
    LedgerButton,
    LedgerEvidenceAction,
    LedgerEvidenceButton,
    LedgerLapsesAction,
    LedgerLapsesButton,
    LedgerPickAction,
    LedgerPickButton,
    LedgerRangeAction,
    LedgerRangeButton,
    PolicyAction,
    PolicyButton,
    SetupAction,
    SetupButton,
)
from tests.support import callback_data as cd

FAMILIES: list[tuple[type[Family], type[StrEnum]]] = [
    (LedgerPickButton, LedgerPickAction),
    (LedgerRangeButton, LedgerRangeAction),
    (LedgerButton, LedgerAction),
    (LedgerLapsesButton, LedgerLapsesAction),
    (LedgerEvidenceButton, LedgerEvidenceAction),
    (LanguageButton, LanguageAction),
    (SetupButton, SetupAction),
    (PolicyButton, PolicyAction),
    (DraftGuardButton, DraftGuardAction),
]
# Each button as the generic codec wrote it before the family was typed.
WIRE: list[tuple[Family, str]] = [
    (LedgerPickButton(LedgerPickAction.MENU), cd.encode("ld", "m")),
    (LedgerPickButton(LedgerPickAction.DATES), cd.encode("ld", "d")),
    (LedgerPickButton(LedgerPickAction.DATES, "A2"), cd.encode("ld", "d", "A2")),
    (LedgerRangeButton(LedgerRangeAction.RANGE, "ly"), cd.encode("ld", "r", "ly")),
    (LedgerRangeButton(LedgerRangeAction.RANGE, "tq", "C12"), cd.encode("ld", "r", "tq", "C12")),
    (LedgerButton(LedgerAction.SUMMARY, "2026-Q4"), cd.encode("ld", "p", "2026-Q4")),
    (LedgerButton(LedgerAction.CLAUSES, "2026"), cd.encode("ld", "k", "2026")),
    (LedgerButton(LedgerAction.PACKAGE, "2026"), cd.encode("ld", "x", "2026")),
    (
        LedgerButton(LedgerAction.CHART, "20260101-20260331"),
        cd.encode("ld", "g", "20260101-20260331"),
    ),
    (LedgerLapsesButton(LedgerLapsesAction.LAPSES, "2026", 0), cd.encode("ld", "l", "2026", 0)),
    (
        LedgerEvidenceButton(LedgerEvidenceAction.EVIDENCE, "R6", "2026-Q1", 3),
        cd.encode("ld", "c", "R6", "2026-Q1", 3),
    ),
    (LanguageButton(LanguageAction.SET, "zh_CN"), cd.encode("lg", "set", "zh_CN")),
    (SetupButton(SetupAction.ORG), cd.encode("st", "org")),
    (SetupButton(SetupAction.LEADERSHIP), cd.encode("st", "leadership")),
    (PolicyButton(PolicyAction.CONFIRM), cd.encode("po", "ok")),
    (PolicyButton(PolicyAction.CANCEL), cd.encode("po", "x")),
    (DraftGuardButton(DraftGuardAction.CONTINUE), cd.encode("dg", "c")),
    (DraftGuardButton(DraftGuardAction.ANEW, "report"), cd.encode("dg", "n", "report")),
]


@pytest.mark.parametrize(("button", "wire"), WIRE, ids=[w for _, w in WIRE])
def test_the_wire_format_is_todays(button: Family, wire: str) -> None:
    """A button sent before the family was typed means the same after."""
    assert button.pack() == wire
    assert type(button).unpack(wire) == button


@pytest.mark.parametrize(("button", "wire"), WIRE, ids=[w for _, w in WIRE])
def test_exactly_one_pattern_takes_each_button(button: Family, wire: str) -> None:
    """Of all the patterns registered for these families, one and only one matches a button,
    and it is its own action's."""
    matching = [
        (family, action)
        for family, actions in FAMILIES
        for action in actions
        if re.match(family.pattern(action), wire)
    ]
    assert matching == [(type(button), button.action)]


@pytest.mark.parametrize(
    ("family", "raw"),
    [
        (LedgerButton, "1ld:p"),
        (LedgerButton, "1ld:p:2026:0"),
        (LedgerButton, "1ld:q:2026-4"),
        (LedgerLapsesButton, "1ld:l:2026"),
        (LedgerLapsesButton, "1ld:l:2026:x"),
        (LedgerEvidenceButton, "1ld:c:R6:2026"),
        (LedgerRangeButton, "1ld:r"),
        (LedgerPickButton, "1ld:m:A2:x"),
        (LanguageButton, "1lg:set"),
        (LanguageButton, "1lg:set:zh.CN"),
        (SetupButton, "1st:other"),
        (SetupButton, "1st:org:1"),
        (PolicyButton, "1po:no"),
        (DraftGuardButton, "1dg:n:report:1"),
        (DraftGuardButton, "0dg:c"),
    ],
)
def test_forged_or_old_data_unpacks_to_none(family: type[Family], raw: str) -> None:
    """Truncated, extended, of an unknown action or another version: None (stale)."""
    assert family.unpack(raw) is None
