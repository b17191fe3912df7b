"""The buttons that read records (R7, C): a record's Details and Attachments, and /find's
pages. An inspector in office may press them too."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.buttons.codec import Family


class RecordAction(StrEnum):
    """Details of a record by its kind, or its files; the values are the wire's codes."""

    INCIDENT = "inc"
    EVENT = "evt"
    MEETING = "mtg"
    ATTACHMENTS = "at"  # of a report
    MEETING_FILES = "am"  # the minutes and photos of a meeting (R7)


DETAILS = (RecordAction.INCIDENT, RecordAction.EVENT, RecordAction.MEETING)


@dataclass(frozen=True)
class RecordButton(Family):
    """`1rc:<action>:<record id>`."""

    DOMAIN: ClassVar[str] = "rc"
    action: RecordAction
    record_id: int


class FindAction(StrEnum):
    """/find's buttons."""

    PAGE = "p"


@dataclass(frozen=True)
class FindButton(Family):
    """`1fd:p:<search id>:<page>`: a page of a kept search (it carries its id, never the
    words)."""

    DOMAIN: ClassVar[str] = "fd"
    action: FindAction
    search_id: int
    page: int
