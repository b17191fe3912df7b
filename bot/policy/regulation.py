"""The regulation's own words in the policy (R1, R8, P4, A4): what the bot quotes, what it
deliberately leaves to people, and the study materials that serve R8 and P4.

The values live in default.toml only; both languages are data, like the topic areas.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from bot.policy.base import Strict
from bot.policy.calendar import Named


class NotAutomated(Strict):
    """A clause the bot does not automate, and why (shown in /ledger <ID>)."""

    clause: str = Field(pattern=r"^[RLAPC]\d{1,2}$")
    why: str = Field(min_length=1, max_length=300)
    why_en: str = Field(min_length=1, max_length=400)


class StudyMaterial(Named):
    """R8, P4: a document or a film studied; a study session that names it is evidence for
    these clauses."""

    clauses: list[str] = Field(min_length=1)


class Regulation(Strict):
    r1: str = Field(min_length=1, max_length=500)
    r1_en: str = Field(min_length=1, max_length=800)
    not_automated: list[NotAutomated] = []
    study_materials: list[StudyMaterial] = Field(default=[], max_length=30)

    @model_validator(mode="after")
    def _unique(self) -> Regulation:
        keys = [m.key for m in self.study_materials]
        clauses = [n.clause for n in self.not_automated]
        for seen, what in ((keys, "study material"), (clauses, "not_automated clause")):
            for key in seen:
                if seen.count(key) > 1:
                    raise ValueError(f"{what} {key!r} is listed twice")
        return self

    def why_not(self, clause: str) -> NotAutomated | None:
        return next((n for n in self.not_automated if n.clause == clause), None)
