"""The buttons of the office's smaller tools: the ledger (R7, C), the choice of language, a
group's setup, loading a policy, and the question about an open draft.

The ledger's buttons carry the period itself (`2026-Q4`, `2026`, `20260101-20260331`) so that
a page always shows what its title says; five families share its domain `ld`, one per shape of
what they carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class LedgerPickAction(StrEnum):
    """Choosing the ledger's period afresh; the values are the wire's action codes."""

    MENU = "m"  # Another period: the choice of periods again
    DATES = "d"  # Chosen dates…: the reader types the first and the last day


@dataclass(frozen=True)
class LedgerPickButton(Family):
    """`1ld:<action>[:<clause>]`: the clause asked about, if any, rides along."""

    DOMAIN: ClassVar[str] = "ld"
    action: LedgerPickAction
    clause: str = ""


class LedgerRangeAction(StrEnum):
    """One of the periods offered by name (this quarter, last year …)."""

    RANGE = "r"


@dataclass(frozen=True)
class LedgerRangeButton(Family):
    """`1ld:r:<choice>[:<clause>]`: choice is tq, lq, ty or ly (handlers/ledger.CHOICES)."""

    DOMAIN: ClassVar[str] = "ld"
    action: LedgerRangeAction
    choice: str
    clause: str = ""


class LedgerAction(StrEnum):
    """What is shown or made for one period."""

    SUMMARY = "p"
    CLAUSES = "k"  # the list of clauses to pick one's evidence from
    PACKAGE = "x"  # the inspection package (.zip)
    CHART = "g"


@dataclass(frozen=True)
class LedgerButton(Family):
    """`1ld:<action>:<period>`."""

    DOMAIN: ClassVar[str] = "ld"
    action: LedgerAction
    period: str


class LedgerLapsesAction(StrEnum):
    """A page of the period's lapses."""

    LAPSES = "l"


@dataclass(frozen=True)
class LedgerLapsesButton(Family):
    """`1ld:l:<period>:<page>`."""

    DOMAIN: ClassVar[str] = "ld"
    action: LedgerLapsesAction
    period: str
    page: int


class LedgerEvidenceAction(StrEnum):
    """A page of one clause's evidence."""

    EVIDENCE = "c"


@dataclass(frozen=True)
class LedgerEvidenceButton(Family):
    """`1ld:c:<clause>:<period>:<page>`."""

    DOMAIN: ClassVar[str] = "ld"
    action: LedgerEvidenceAction
    clause: str
    period: str
    page: int


class LanguageAction(StrEnum):
    """The choice of language (first contact and /language)."""

    SET = "set"


@dataclass(frozen=True)
class LanguageButton(Family):
    """`1lg:set:<locale>`: zh_CN or en."""

    DOMAIN: ClassVar[str] = "lg"
    action: LanguageAction
    locale: str


class SetupAction(StrEnum):
    """/setup in a group: what the group is for (bot.chats.service.Purpose's values)."""

    ORG = "org"
    LEADERSHIP = "leadership"


@dataclass(frozen=True)
class SetupButton(Family):
    """`1st:<purpose>`."""

    DOMAIN: ClassVar[str] = "st"
    action: SetupAction


class PolicyAction(StrEnum):
    """An admin's answer to a policy file's changes."""

    CONFIRM = "ok"  # put it in force
    CANCEL = "x"


@dataclass(frozen=True)
class PolicyButton(Family):
    """`1po:<action>`: the file's text waits in the admin's draft, not in the button."""

    DOMAIN: ClassVar[str] = "po"
    action: PolicyAction


class DraftGuardAction(StrEnum):
    """/report or /event with a draft open: continue it, or discard it and start anew."""

    CONTINUE = "c"
    ANEW = "n"


@dataclass(frozen=True)
class DraftGuardButton(Family):
    """`1dg:c`, or `1dg:n:<flow>` with the conversation to start (report or event)."""

    DOMAIN: ClassVar[str] = "dg"
    action: DraftGuardAction
    flow: str = ""
