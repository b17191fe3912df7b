"""A /report begun by a member, at its first question."""

from __future__ import annotations

from standin.model import Message, SimUser
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import register

MEMBER = 1001
KIND_Q, SEVERITY_Q = "What do you want to report?", "How serious is it?"


async def reporting(s: ReadingStandIn, uid: int = MEMBER) -> tuple[SimUser, Message]:
    """A registered member who just sent /report, and its first question."""
    mei = s.add_user(uid, "Mei", language_code="en")
    await register(s, mei)
    await s.quiet()
    s.mark_read(uid)
    await mei.send("/report")
    q = await s.next_message(uid)
    assert q.text == KIND_Q
    return mei, q
