"""Property tests through the stand-in: arbitrary text — any unicode, markup, control
characters, sizes up to Telegram's 4,096 — at every free-text step of /report, /event and
/meeting, with no conversation at all, and rendered in the report's summary and the handlers'
cards.

For every example: the bot answers (nothing silently dropped), Telegram accepts every message
the bot sends (the stand-in rejects bad HTML, empty or over-long text like Telegram does), no
"something went wrong", and an accepted answer is kept as written, cleaned of control and
invisible characters (bot.freetext).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.freetext import FIELDS, normalise
from bot.people import service as people
from bot.people.view import TgUser
from tests.support import callback_data as cd
from tests.support.bot import Harness
from tests.support.free_text import REPORT, STEPS, accepted_everything, answered, member_of, say
from tests.support.world import MEMBER

MARKUP = [
    "<b>",
    "</b>",
    "<i>x</i>",
    "<script>alert(1)</script>",
    "&",
    "&amp;",
    "&#x1F600;",
    "<a href='javascript:x'>",
    "<",
    ">",
    "\u202e",
    "\u200b",
    "\x00",
    "\x1b[31m",
    "💥",
    "𠀀",
    "e\u0301",
    "ﷺ",
    "\n\n",
    "\t",
    "%s",
    "{ref}",
    "{0}",
    "\\",
    "`",
    "```",
]

# Text a person can send: non-empty once trimmed, at most 4,096 characters, not a command.
texts = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300),
    st.lists(st.sampled_from(MARKUP), min_size=1, max_size=30).map("".join),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["x", "字", "<", "&", "😀"]), st.integers(1900, 4096)
    ),
).filter(lambda t: bool(t.strip()) and len(t) <= 4096 and not t.startswith("/"))

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@PROPERTY
@given(text=texts, place=st.sampled_from(STEPS))
async def test_any_text_at_any_step(harness: Harness, text: str, place: tuple[Any, ...]) -> None:
    s, h = harness.standin, harness
    member = await member_of(h)
    flow, step, data, field = place
    me = await people.identify(h.deps, TgUser(MEMBER, "Mei", username="mei"), private=True)
    await drafts.clear(h.deps, MEMBER)
    if flow:
        await drafts.save(h.deps, me.id, DraftState(flow, step, dict(data)))
    await say(s, member, text)
    state = await drafts.get(h.deps, MEMBER)
    if field is not None and state is not None and state.step != step:
        multiline = FIELDS[field].multiline
        assert state.data[field] == normalise(text, multiline=multiline)  # every visible one


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@PROPERTY
@given(what=texts, where=texts, done=texts)
async def test_any_text_renders_in_the_summary_and_the_cards(
    harness: Harness, what: str, where: str, done: str
) -> None:
    """The summary shows three answers at once; Submit files them and every handler's card
    (and the group's notice) goes out: all accepted, none failed in the outbox."""
    s, h = harness.standin, harness
    member = await member_of(h)
    if any(len(t.strip()) > h.deps.policy.incidents.max_text for t in (what, where, done)):
        return  # refused at its step (tested above), never reaches the summary
    me = await people.identify(h.deps, TgUser(MEMBER, "Mei", username="mei"), private=True)
    answers = {"what": what.strip(), "where": where.strip(), "done": done.strip()}
    when = {"when": "2026-11-24T01:00:00+00:00", "precision": "minute"}
    await drafts.save(h.deps, me.id, DraftState("report", "attach", {**REPORT, **answers, **when}))
    since = len(s.calls)
    anchor = s.bot_messages(MEMBER)[-1]
    await member.press(anchor, callback_data=cd.encode("rp", "a"))  # Done with attachments
    await answered(s, since)
    summary = s.bot_messages(MEMBER)[-1]
    assert summary.text.startswith("Please check your report."), summary.text[:100]
    pressed = len(s.calls)
    await member.press(summary, "Submit")
    await answered(s, pressed)
    await s.quiet(0.2)
    accepted_everything(s, since)
    async with h.deps.db.read() as session:
        from sqlalchemy import select

        from bot.outbox.models import OutboxMessage

        statuses = set(await session.scalars(select(OutboxMessage.status)))
    assert statuses <= {"sent", "held"}, statuses
