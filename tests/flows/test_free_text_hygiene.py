"""Property tests through the stand-in, on SQLite and PostgreSQL: text made of control,
zero-width and invisible characters mixed with a few visible ones, at every free-text step and
through Submit. Nothing crashes on either database (PostgreSQL refuses U+0000 in text), and
nothing is kept that is control or zero-width content: what is kept is cleaned and visible,
what is left with nothing visible is refused at its step, naming the field."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.drafts import service as drafts
from bot.drafts.service import DraftState
from bot.freetext import FIELDS, ZWJ, normalise, visible
from bot.incidents.models import Incident, TimelineEntry
from bot.incidents.service import ReportDraft, file_report
from bot.people import service as people
from bot.people.view import TgUser
from bot.policy.schema import Kind
from tests.support import callback_data as cd
from tests.support.bot import Harness
from tests.support.free_text import STEPS, accepted_everything, answered, member_of, say
from tests.support.world import MEMBER, SECRETARY

INVISIBLE = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9f",
    "\u200b",
    "\u200c",
    ZWJ,
    "\u200e",
    "\u202e",
    "\u2060",
    "\u2066",
    "\ufeff",
    "\u00ad",
    "\u3164",
    "\u115f",
    "\u2800",
    "\ufe0f",
    "\u0301",
    "\U000e0067",
    "\ufdd0",
    "\uffff",
    "\t",
    "\r",
    "\u2028",
    " ",
    "\u3000",
]
VISIBLE = ["字", "a", "😀", "👨", "\U0001f3f4", "<", "&", "\n", "1"]
evil = (
    st.lists(st.sampled_from(INVISIBLE) | st.sampled_from(VISIBLE), min_size=1, max_size=30)
    .map("".join)
    .filter(lambda t: bool(t.strip()) and not t.startswith("/"))
)
FEW = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def clean_kept(value: str) -> bool:
    """Visible, and no control or format character but a line break and a joiner or tag that
    carries meaning inside an emoji sequence."""
    allowed = {"\n", ZWJ} | {chr(c) for c in range(0xE0020, 0xE0080)}
    strays = [c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Cs")]
    return visible(value) and set(strays) <= allowed and "\ufdd0" not in value


@FEW
@given(text=evil, place=st.sampled_from([p for p in STEPS if p[3] is not None]))
async def test_no_step_keeps_invisible_text(
    harness: Harness, text: str, place: tuple[Any, ...]
) -> None:
    s, h = harness.standin, harness
    member = await member_of(h)
    flow, step, data, field = place
    me = await people.identify(h.deps, TgUser(MEMBER, "Mei", username="mei"), private=True)
    await drafts.save(h.deps, me.id, DraftState(flow, step, dict(data)))
    await say(s, member, text)
    state = await drafts.get(h.deps, MEMBER)
    assert state is not None
    if state.step == step:  # refused: nothing visible was left, and the field is named
        assert not visible(normalise(text, multiline=FIELDS[field].multiline))
        said = s.bot_messages(MEMBER)[-1].text
        assert said.startswith("“") and "cannot be empty" in said, said
    else:
        assert clean_kept(state.data[field]), repr(state.data[field])


@FEW
@given(what=evil, where=evil)
async def test_a_report_of_any_such_text_is_filed_clean(
    harness: Harness, what: str, where: str
) -> None:
    """Typed at its steps and submitted: filed on either database, kept clean."""
    s, h = harness.standin, harness
    member = await member_of(h)
    me = await people.identify(h.deps, TgUser(MEMBER, "Mei", username="mei"), private=True)
    draft = {"attachments": [], "kind": "information"}
    await drafts.save(h.deps, me.id, DraftState("report", "what", draft))
    for answer in (what, "9:00", where, "无"):
        await say(s, member, answer)
    state = await drafts.get(h.deps, MEMBER)
    assert state is not None
    if state.step != "attach":  # refused at a step, named (the property above)
        return
    summary = s.bot_messages(MEMBER)[-1]
    since = len(s.calls)
    await member.press(summary, callback_data=cd.encode("rp", "a"))  # Done with attachments
    await answered(s, since)
    summary = s.bot_messages(MEMBER)[-1]
    since = len(s.calls)
    await member.press(summary, "Submit")
    await answered(s, since)
    accepted_everything(s, since)
    async with h.deps.db.read() as session:
        incident = await session.scalar(select(Incident).order_by(Incident.id.desc()))
    assert incident is not None
    assert clean_kept(incident.what) and clean_kept(incident.location)


async def incident_of(h: Harness, fresh: bool) -> int:
    """An open incident for the card's text steps: the first one, or a new one (to close)."""
    async with h.deps.db.read() as session:
        found = await session.scalar(select(Incident.id).where(Incident.status != "closed"))
    if found is not None and not fresh:
        return found
    draft = ReportDraft(
        Kind.INFORMATION, None, "传言", h.deps.clock.now(), "minute", "论坛", "无", []
    )
    return (await file_report(h.deps, TgUser(MEMBER, "Mei", username="mei"), draft)).incident_id


@FEW
@given(
    text=evil,
    flow=st.sampled_from(
        [
            ("inc_update", "text"),
            ("inc_upward", "to"),
            ("inc_upward", "what"),
            ("inc_close", "text"),
        ]
    ),
)
async def test_no_card_text_keeps_invisible_text(
    harness: Harness, text: str, flow: tuple[str, str]
) -> None:
    """The texts typed after a card's button (an update, to whom and what was reported
    upward, the closing summary): kept clean in the timeline, or refused naming the field."""
    s, h = harness.standin, harness
    await member_of(h)
    secretary = s.users[SECRETARY]
    incident_id = await incident_of(h, fresh=flow[0] == "inc_close")
    me = await people.identify(h.deps, TgUser(SECRETARY, "Shu", username="shu"), private=True)
    data: dict[str, Any] = {"id": incident_id, "to": "市委网信办"}
    await drafts.save(h.deps, me.id, DraftState(*flow, data))
    async with h.deps.db.read() as session:
        before = await session.scalar(select(func.count(TimelineEntry.id)))
    await say(s, secretary, text)
    said = s.bot_messages(SECRETARY)[-1].text
    state = await drafts.get(h.deps, SECRETARY)
    if state is not None and state.step == flow[1] and state.flow == flow[0]:
        assert said.startswith("“") and "cannot be empty" in said, said
        return
    if flow == ("inc_upward", "to"):
        assert state is not None and clean_kept(state.data["to"]), state
        return
    async with h.deps.db.read() as session:
        entries = list(await session.scalars(select(TimelineEntry).order_by(TimelineEntry.id)))
        incident = await session.get(Incident, incident_id)
    assert len(entries) > (before or 0), said
    assert incident is not None
    kept = [e.text for e in entries if e.text] + [incident.closing_summary or "x"]
    assert all(clean_kept(t) for t in kept), kept
