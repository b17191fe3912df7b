"""A step's question that Telegram does not take at once: the answer was saved (the draft moved
on), so the person must end on the question of the step the draft is at, and be able to answer
it. Never "nothing was changed. Please try again", which was untrue: pressing the old button
again said "no longer valid", and typing again answered the next step unseen.

Each kind of step (a button that edits the question in place, a text that is answered with a
new message) meets each fault: 429 (retry_after short enough to wait for, and too long), 502, a
connection closed before the call took effect, and a hung connection the bot gives up on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import DELIVERER_KEY
from bot.drafts import service as drafts
from bot.incidents.service import ReportDraft, file_report
from bot.outbox.models import OutboxMessage, OutboxStatus
from bot.people.view import TgUser
from bot.policy.schema import Kind, Severity
from standin.model import Message
from tests.support.bot import Harness
from tests.support.standin_faults import Hold
from tests.support.standin_reading import ReadingStandIn
from tests.support.step_faults import KIND_Q, MEMBER, SEVERITY_Q, reporting
from tests.support.world import EMERGENCY, register, tap, world
from tests.support.world import MEMBER as REPORTER

WRONG = "nothing was changed"
SAVED = "Your answer was saved. The next step will appear in a moment."
WHAT_Q, WHEN_Q, WHERE_Q = (
    "What happened? Describe it in a message.",
    "When was it discovered?",
    "Where? Name the system, platform or place.",
)
DONE_Q, ATTACH_Q = "What has already been done about it?", "Send photos or documents"
Fault = Callable[[ReadingStandIn, str, str], Hold | None]


def _hold(s: ReadingStandIn, method: str, question: str) -> Hold:
    return s.faults.hold(method, text=question)


FAULTS: dict[str, Fault] = {
    # Short enough to wait for while the update is handled (runtime.answers).
    "429": lambda s, method, _: s.faults.fail_next(method, 429, retry_after=1),
    # Too long to hold up everyone's updates: the question goes later.
    "429 long": lambda s, method, _: s.faults.fail_next(method, 429, retry_after=40),
    "502": lambda s, method, _: s.faults.fail_next(method, 502),
    "closed": lambda s, method, _: s.faults.drop_connection(method),
    "hung": _hold,
}


async def step(h: Harness) -> str | None:
    state = await drafts.get(h.deps, MEMBER)
    return None if state is None else state.step


async def busy(h: Harness) -> bool:
    async with h.deps.db.read() as session:
        pending = await session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
            )
        )
        return bool(pending.all())


async def settle(h: Harness, question: str, chat: int = MEMBER) -> None:
    """Let the outbox's time pass (backoff, retry_after) until it has nothing left to send and
    the person looks at `question` (an answer may wait a second for a 429's retry_after), or
    until it is clear that they never will."""
    s = h.standin
    for _ in range(30):
        await s.quiet()
        if not await busy(h) and screen(s, chat).text.startswith(question):
            return
        h.clock.advance(timedelta(minutes=1))
        h.app.bot_data[DELIVERER_KEY].wake()
        await asyncio.sleep(0.05)


async def given_up(s: ReadingStandIn, hold: Hold, done: Callable[[], bool]) -> None:
    """A hung call: wait until the bot gave up on it (its read timeout), then let the held
    requests go without effect, as a connection that never answered."""
    await hold.reached(10)
    await s.wait_until(done, 20, "the bot to give up on the hung call")
    hold.drop()
    s.faults.clear()


def screen(s: ReadingStandIn, chat: int = MEMBER) -> Message:
    """What the person looks at: the newest message from the bot."""
    return s.bot_messages(chat)[-1]


def told_untrue(s: ReadingStandIn) -> list[str]:
    said = [a[1] or "" for a in s.answers] + [m.text for m in s.bot_messages(MEMBER)]
    return [text for text in said if WRONG in text]


def copies(s: ReadingStandIn, question: str) -> int:
    return sum(1 for m in s.bot_messages(MEMBER) if m.text.startswith(question))


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_button_step_whose_question_fails_ends_on_the_next_step(
    harness: Harness, fault: str
) -> None:
    s, h = harness.standin, harness
    mei, q = await reporting(s)
    hold = FAULTS[fault](s, "editMessageText", SEVERITY_Q)
    answers = len(s.answers)
    await mei.press(q, "Network-security incident")
    if hold is not None:
        await given_up(s, hold, lambda: len(s.answers) > answers)
    await settle(h, SEVERITY_Q)
    assert await step(h) == "severity"  # the answer was saved
    assert told_untrue(s) == []
    if fault != "429":  # waited out at once; the others went through the outbox, and said so
        assert s.answers[answers][1:] == (SAVED, False)
    assert screen(s).text == SEVERITY_Q and copies(s, SEVERITY_Q) == 1
    # … and the person goes on from the screen they see.
    await tap(s, mei, screen(s), "Major")
    await settle(h, WHAT_Q)
    assert await step(h) == "what"
    assert screen(s).text == WHAT_Q


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_text_step_whose_question_fails_ends_on_the_next_step(
    harness: Harness, fault: str
) -> None:
    s, h = harness.standin, harness
    mei, q = await reporting(s)
    await tap(s, mei, q, "Network-security incident")
    await tap(s, mei, q, "Major")
    assert q.text == WHAT_Q
    flood = {"429": 1, "429 long": 40}.get(fault)
    hold = None
    if flood is not None:  # Telegram's 429 on a send is a flood answer
        s.faults.flood(MEMBER, retry_after=flood)
    else:
        hold = FAULTS[fault](s, "sendMessage", WHEN_Q)
    await mei.send("门户网站首页被篡改")
    if hold is not None:
        held = hold
        await given_up(s, held, lambda: held.arrived > 1 or bool(told_untrue(s)))
    await settle(h, WHEN_Q)
    assert await step(h) == "when"
    assert told_untrue(s) == []
    assert screen(s).text.startswith(WHEN_Q) and copies(s, WHEN_Q) == 1
    await tap(s, mei, screen(s), "Just now")
    await settle(h, WHERE_Q)
    assert await step(h) == "where"
    assert screen(s).text == WHERE_Q


async def test_pressing_again_while_the_next_step_is_on_its_way_shows_it(harness: Harness) -> None:
    """Telegram is down for longer (the outbox's first try fails too): a person who presses
    the old button again is shown the step the draft is at, nothing is applied twice."""
    s, h = harness.standin, harness
    mei, q = await reporting(s)
    s.faults.fail_next("editMessageText", 502, times=2)
    await tap(s, mei, q, "Network-security incident")
    await s.wait_until(lambda: "editmessagetext" not in s.faults.failures, 10, "the outbox's try")
    assert q.text == KIND_Q  # still the old step on the screen
    answer = await tap(s, mei, q, "Network-security incident")
    assert answer[1] is False and WRONG not in (answer[0] or "")
    assert q.text == SEVERITY_Q and await step(h) == "severity"
    await settle(h, SEVERITY_Q)  # the queued edit, when it goes, changes nothing
    await tap(s, mei, q, "Major")
    assert q.text == WHAT_Q and await step(h) == "what"


async def test_typing_again_while_the_next_step_is_on_its_way_shows_it(harness: Harness) -> None:
    """The same for a text step: the text typed again is not taken as the next step's answer
    (which the person has not seen); the step is shown once, and the person goes on."""
    s, h = harness.standin, harness
    mei, q = await reporting(s)
    await tap(s, mei, q, "Network-security incident")
    await tap(s, mei, q, "Major")
    await mei.send("门户网站首页被篡改")
    await tap(s, mei, await s.next_message(MEMBER), "Just now")
    s.faults.fail_next("sendMessage", 502, times=2)
    await mei.send("门户网站")
    await s.wait_until(lambda: "sendmessage" not in s.faults.failures, 10, "the outbox's try")
    await mei.send("门户网站")  # again: nothing seemed to happen
    await settle(h, DONE_Q)
    state = await drafts.get(h.deps, MEMBER)
    assert state is not None and state.step == "done" and "done" not in state.data
    assert state.data["where"] == "门户网站"
    assert told_untrue(s) == [] and copies(s, DONE_Q) == 1
    await mei.send("已断开外网")
    await settle(h, ATTACH_Q)
    state = await drafts.get(h.deps, MEMBER)
    assert state is not None and state.data["done"] == "已断开外网"


async def test_a_two_question_text_step_typed_again_asks_its_second_question(
    harness: Harness,
) -> None:
    """Report upward (to whom, then what): the first answer typed again while the second
    question is on its way is not recorded as what was reported."""
    s, h = harness.standin, harness
    users = await world(h)
    await file_report(
        h.deps,
        TgUser(REPORTER, "Mei"),
        ReportDraft(
            kind=Kind.NETWORK_SECURITY,
            severity=Severity.MAJOR,
            what="首页被篡改",
            discovered_at=h.clock.now(),
            discovered_precision="minute",
            location="门户网站",
            actions_taken="已断网",
            attachments=[],
        ),
    )
    eli = users[EMERGENCY]
    card = await s.next_message(EMERGENCY)
    await tap(s, eli, card, "Escalate upward")
    assert (await s.next_message(EMERGENCY)).text.startswith("To whom")
    s.faults.fail_next("sendMessage", 502, times=2)
    await eli.send("市委网信办 王科长")
    await s.wait_until(lambda: "sendmessage" not in s.faults.failures, 10, "the outbox's try")
    await eli.send("市委网信办 王科长")
    await settle(h, "What was reported to them?", EMERGENCY)
    state = await drafts.get(h.deps, EMERGENCY)
    assert state is not None and (state.step, state.data["to"]) == ("what", "市委网信办 王科长")
    await eli.send("电话报告了篡改情况")
    await settle(h, "The report to the higher", EMERGENCY)
    assert await drafts.get(h.deps, EMERGENCY) is None


async def test_a_press_whose_answer_fails_is_not_told_nothing_changed(harness: Harness) -> None:
    """The step was applied and shown; only the toast failed: no "nothing was changed"."""
    s, h = harness.standin, harness
    mei, q = await reporting(s)
    s.faults.fail_next("answerCallbackQuery", 502)
    await mei.press(q, "Network-security incident")
    await settle(h, SEVERITY_Q)
    assert await step(h) == "severity" and q.text == SEVERITY_Q
    assert told_untrue(s) == []


async def test_the_event_request_goes_on_through_failed_answers(harness: Harness) -> None:
    """Every conversation shows its steps the same way (handlers.common): /event too."""
    s, h = harness.standin, harness
    mei = s.add_user(MEMBER, "Mei", language_code="en")
    await register(s, mei)
    await s.quiet()
    await mei.send("/event")
    q = await s.next_message(MEMBER)
    s.faults.drop_connection("editMessageText")
    assert await tap(s, mei, q, "Lecture") == (SAVED, False)
    await settle(h, "What is the title of the event?")
    s.faults.fail_next("sendMessage", 502)
    await mei.send("理论宣讲")
    organiser = "Who organises it?"
    await settle(h, organiser)
    assert told_untrue(s) == [] and copies(s, organiser) == 1
    await tap(s, mei, screen(s), "I organise it myself")
    state = await drafts.get(h.deps, MEMBER)
    assert state is not None and state.data["title"] == "理论宣讲" and state.step != "organiser"
