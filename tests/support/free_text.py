"""Every free-text step of every conversation, and what a step must do with any text typed."""

from __future__ import annotations

from typing import Any

from standin.model import SimUser
from tests.support.bot import Harness
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import MEMBER, world

SENDS = {"sendmessage", "editmessagetext", "sendphoto", "senddocument", "answercallbackquery"}
CRASHED = "Something went wrong on my side"
REPORT = {"attachments": [], "kind": "network_security", "severity": "major"}
EVENT = {"type": "lecture", "attachments": []}


# (flow, step, what the draft holds before it, the field a free-text answer is kept in)
STEPS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("report", "what", REPORT, "what"),
    ("report", "when", {**REPORT, "what": "x"}, None),
    ("report", "where", {**REPORT, "what": "x", "when": "2026-11-24T01:00:00+00:00"}, "where"),
    (
        "report",
        "done",
        {**REPORT, "what": "x", "where": "y", "when": "2026-11-24T01:00:00+00:00"},
        "done",
    ),
    ("event", "title", EVENT, "title"),
    ("event", "organiser_name", {**EVENT, "title": "t"}, None),
    ("event", "date", {**EVENT, "title": "t"}, None),
    ("event", "venue", {**EVENT, "title": "t", "date": "2026-12-10T06:30:00+00:00"}, "venue"),
    ("event", "audience", {**EVENT, "title": "t", "venue": "v"}, None),
    ("event", "speakers", {**EVENT, "title": "t", "venue": "v", "audience": 80}, None),
    (
        "event",
        "outline",
        {
            **EVENT,
            "title": "t",
            "venue": "v",
            "audience": 80,
            "speakers": [{"name": "a", "affiliation": "b"}],
        },
        "outline",
    ),
    ("meeting", "date", {"kind": "dedicated"}, None),
    ("meeting", "subject", {"kind": "dedicated", "held_on": "2026-11-20"}, "subject"),
    ("", "", {}, None),  # no conversation: free text outside any flow
]


def accepted_everything(s: ReadingStandIn, since: int) -> None:
    """Every message the bot sent since call `since` was accepted, and none was an apology."""
    calls = [c for c in s.calls[since:] if c.method in SENDS]
    assert calls, "the bot did not answer"
    refused = [
        (c.method, c.status, c.params.get("text", "")[:80]) for c in calls if c.status != 200
    ]
    assert not refused, refused
    said = [str(c.params.get("text", "")) for c in calls]
    assert not [t for t in said if CRASHED in t], said


async def answered(s: ReadingStandIn, since: int) -> None:
    """The bot answered, then went quiet: the next example must not change the draft while
    this one's handler is still writing it (on a busy machine 50 ms of quiet is not enough)."""
    await s.wait_until(
        lambda: any(c.method in SENDS for c in s.calls[since:]), 10.0, "the bot to answer"
    )
    await s.quiet(0.05)


async def say(s: ReadingStandIn, member: SimUser, text: str) -> None:
    """Send `text`; the bot answers, and Telegram accepts all it sends."""
    since = len(s.calls)
    await member.send(text)
    await answered(s, since)
    accepted_everything(s, since)


async def member_of(h: Harness) -> SimUser:
    """The member of world(), set up once per test (hypothesis reuses the harness)."""
    s = h.standin
    if MEMBER not in s.users:
        await world(h)
    return s.users[MEMBER]
