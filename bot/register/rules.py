"""What the regulation fixes about accountability (section C): the situations C1–C12, the three
grades and the measures of each. Pure: no database, no Telegram.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.errors import InvalidInput
from bot.i18n import N_

# C1–C12: the situations in which leading groups and cadres are held to account.
CLAUSES: tuple[str, ...] = tuple(f"C{n}" for n in range(1, 13))


class Grade(StrEnum):
    """视情节轻重: how serious the case is, which the regulation ties to its measures."""

    LIGHT = "light"  # 情节较轻
    HEAVIER = "heavier"  # 情节较重
    MOST_SERIOUS = "most_serious"  # 情节特别严重


# The regulation's measures, in its order, with the grade it names each under. Codes are stored
# and travel in buttons: never change one once released. The regulation lets them be used alone
# or together, so a case may combine measures of different grades.
MEASURES: dict[str, Grade] = {
    "criticism_education": Grade.LIGHT,  # 批评教育
    "written_examination": Grade.LIGHT,  # 书面检查
    "admonishment_talk": Grade.LIGHT,  # 诫勉谈话
    "circulated_criticism": Grade.HEAVIER,  # 通报批评
    "public_apology": Grade.HEAVIER,  # 责令公开检讨或公开道歉
    "suspension": Grade.HEAVIER,  # 停职检查
    "transfer": Grade.HEAVIER,  # 调离岗位
    "resignation": Grade.MOST_SERIOUS,  # 引咎辞职或责令辞职
    "dismissal": Grade.MOST_SERIOUS,  # 免职
    "demotion": Grade.MOST_SERIOUS,  # 降职
    "discharge": Grade.MOST_SERIOUS,  # 辞退
}

# References to the bot's own records in the facts: INC-2026-0003, EVT-2026-0012.
_REF = re.compile(r"\b(INC|EVT)-(\d{4})-(\d{1,6})\b", re.IGNORECASE)


def check_choices(clause: str, grade: str, measures: list[str]) -> list[str]:
    """The clause, grade and measures as the regulation knows them; the measures once each, in
    the regulation's order."""
    if clause not in CLAUSES:
        raise InvalidInput(N_("Choose one of the clauses C1 to C12."))
    if grade not in set(Grade):
        raise InvalidInput(N_("Choose the grade: light, heavier or most serious."))
    if not measures or not set(measures) <= MEASURES.keys():
        raise InvalidInput(N_("Choose at least one of the measures the regulation provides."))
    return [m for m in MEASURES if m in measures]


def references(facts: str) -> list[tuple[str, int, int]]:
    """The references the facts mention, once each in order: (INC or EVT, year, number)."""
    found: list[tuple[str, int, int]] = []
    for match in _REF.finditer(facts):
        ref = (match.group(1).upper(), int(match.group(2)), int(match.group(3)))
        if ref not in found:
            found.append(ref)
    return found
