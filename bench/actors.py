"""Simulated people: each acts, then waits for the bot's answer in their own chat, and keeps
how long every answer took (from the update reaching the stand-in to the answer)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

from bench.standin import BenchStandIn
from standin.model import Message, SimUser

TIMEOUT = 120.0  # a step that takes longer than this is a lost update, and the bench fails


@dataclass
class Pace:
    """Human pace: seconds of thought before a press and before a typed answer (0: none)."""

    press: float = 0.0
    text: float = 0.0

    async def before(self, kind: str) -> None:
        seconds = self.press if kind == "press" else self.text
        if seconds > 0:
            await asyncio.sleep(seconds * random.uniform(0.5, 1.5))


@dataclass
class Actor:
    s: BenchStandIn
    user: SimUser
    pace: Pace = field(default_factory=Pace)
    updates: int = 0
    presses: list[float] = field(default_factory=list)  # seconds per answered press
    texts: list[float] = field(default_factory=list)  # seconds per answered message
    last_answer_at: float = 0.0

    @property
    def chat(self) -> int:
        return self.user.id

    def _find(self, start: int, expect: str) -> int | None:
        events = self.s.events[self.chat]
        for index in range(len(events) - 1, start - 1, -1):
            if expect in events[index].text:
                return index
        return None

    def _done(self, at: float, started: float, into: list[float]) -> None:
        into.append(at - started)
        self.last_answer_at = max(self.last_answer_at, at)

    async def say(self, text: str, expect: str) -> Message:
        """Send a message; wait for a bot message (new or edited) that says `expect`."""
        await self.pace.before("text")
        start = len(self.s.events[self.chat])
        started = time.perf_counter()
        await self.user.send(text)
        self.updates += 1
        found: list[int] = []

        def answered() -> bool:
            index = self._find(start, expect)
            if index is not None:
                found.append(index)
            return index is not None

        await self.s.wait_chat(self.chat, answered, TIMEOUT, f"{expect!r} after {text!r}")
        self._done(self.s.event_times[self.chat][found[-1]], started, self.texts)
        return self.s.events[self.chat][found[-1]].message

    async def tap(self, msg: Message, label: str | int, expect: str | None) -> Message | None:
        """Press a button; wait for the press to be answered and, when `expect` is given,
        for a bot message (new or edited) that says it."""
        await self.pace.before("press")
        start = len(self.s.events[self.chat])
        started = time.perf_counter()
        query_id = await self.user.press(msg, label)
        self.s.query_chat[query_id] = self.chat
        self.updates += 1
        found: list[int] = []

        def answered() -> bool:
            if query_id not in self.s.answered_at:
                return False
            if expect is None:
                return True
            index = self._find(start, expect)
            if index is not None:
                found.append(index)
            return index is not None

        await self.s.wait_chat(self.chat, answered, TIMEOUT, f"the answer to {label!r}")
        at = self.s.answered_at.pop(query_id)
        if found:
            at = max(at, self.s.event_times[self.chat][found[-1]])
        self._done(at, started, self.presses)
        return self.s.events[self.chat][found[-1]].message if found else None

    async def next_sent(self, cursor: int, expect: str) -> tuple[Message, int]:
        """The first message the bot sent here at or after event `cursor` that starts with
        `expect` (cards come by themselves); returns it and the cursor past it."""
        events = self.s.events[self.chat]

        def arrived() -> int | None:
            for index in range(cursor, len(events)):
                if events[index].kind == "sent" and events[index].text.startswith(expect):
                    return index
            return None

        await self.s.wait_chat(self.chat, lambda: arrived() is not None, TIMEOUT, expect)
        index = arrived()
        assert index is not None
        return events[index].message, index + 1


# --- Duty Desk: the whole /report conversation, and a handler acknowledging -----------------
REF = re.compile(r"INC-\d{4}-\d+")


async def file_report(a: Actor, n: int) -> str:
    """Every step of /report (kind, severity, what, when, where, done, attachments, summary,
    Submit), English texts; returns the reference it was filed under."""
    q = await a.say("/report", "What do you want to report?")
    await a.tap(q, "Public-opinion incident", "How serious is it?")
    await a.tap(q, "General", "What happened?")
    q = await a.say(
        f"Bench report {n}: a misleading post <b>about</b> the institute & its staff",
        "When was it discovered?",
    )
    await a.tap(q, "Just now", "Where?")
    await a.say("Weibo, the institute's public account", "What has already been done")
    q = await a.say("Asked the platform to review it; screenshots kept", "Send photos")
    await a.tap(q, "Done", "Please check your report.")
    done = await a.tap(q, "Submit", "Submitted as")
    assert done is not None
    match = REF.search(done.text)
    assert match is not None, done.text
    return match.group()


CARD = "A report needs your attention."


async def acknowledge(a: Actor, count: int) -> None:
    """A committee head acknowledges each of `count` cards as it arrives."""
    cursor = 0
    for _ in range(count):
        card, cursor = await a.next_sent(cursor, CARD)
        await a.tap(card, "Acknowledge", None)


# --- the reference ---------------------------------------------------------------------------
async def conversation(a: Actor) -> None:
    """The reference's conversation (bench.reference, conv): /begin, then one press at each of
    its three steps, until Done."""
    q = await a.say("/begin", "Step 1 of 3")
    await a.tap(q, 0, "Step 2 of 3")
    await a.tap(q, 1, "Step 3 of 3")
    await a.tap(q, 2, "Done")


async def echo(a: Actor, n: int) -> None:
    """One message to the reference in echo mode; waits for its text to come back."""
    await a.say(f"echo {n}", f"echo {n}")
