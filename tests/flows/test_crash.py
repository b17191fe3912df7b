"""SIGKILL at chosen points, for real: `dutydesk run` runs as a process against the stand-in, which
holds the request that marks the point; the test kills the process there and starts a new one
on the same database. Each test checks the records and counts what people received.

Which messages may repeat (bot/outbox/models.Semantics): at-least-once ones (cards, escalations,
reminders) go out again when a kill left their send in flight — at most that one repeats; an
at-most-once one ("approved") is never sent twice: its fate is recorded as uncertain instead.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.clock import MovableClock
from bot.config import Settings
from bot.db.engine import Database, create_engine
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.events import service as events
from bot.events.draft import EventDraft
from bot.inbox.models import InboxUpdate
from bot.incidents.models import Incident, TimelineEntry
from bot.incidents.service import ReportDraft, file_report
from bot.outbox.models import OutboxMessage
from bot.people import directory, grants
from bot.people.roles import Role
from bot.people.view import TgUser
from bot.policy.load import load
from bot.policy.schema import Kind, Severity
from standin.model import Message, SimUser
from tests.support.bot import TOKEN
from tests.support.crash import tally
from tests.support.database import open_door
from tests.support.process import finish, spawn
from tests.support.standin_faults import Hold
from tests.support.standin_reading import ReadingStandIn
from tests.support.step_faults import reporting
from tests.support.world import register, tap

pytestmark = pytest.mark.slow

ADMIN, MEMBER, SECRETARY, DEPUTY, EMERGENCY = 1001, 2001, 2002, 2003, 2004
STAFF = {
    SECRETARY: ("Shu", Role.SECRETARY),
    DEPUTY: ("Dai", Role.DEPUTY),
    EMERGENCY: ("Eli", Role.EMERGENCY_OFFICE),
}


class Bot:
    """`dutydesk run` on a SQLite file under tmp_path, killed and started again at will; `deps`
    reads and seeds the same file from the test (WAL lets both at once)."""

    def __init__(self, tmp_path: Path, standin: ReadingStandIn) -> None:
        self.tmp_path, self.standin = tmp_path, standin
        self.proc: asyncio.subprocess.Process | None = None
        url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'dutydesk.sqlite3'}"
        self.deps = Deps(
            settings=Settings(),
            db=Database(create_engine(url)),
            clock=MovableClock(),
            policy=open_door(load(None)),
        )
        # Whoever presses Start is a member here, as in every test before admission (R4).
        self.policy = tmp_path / "open.toml"
        self.policy.write_text('[people]\nadmission = "open"\n')

    async def start(self) -> None:
        polls = len(self.standin.calls_of("getUpdates"))
        self.proc = await spawn(
            self.tmp_path, self.standin, TOKEN, DUTYDESK_POLICY_FILE=str(self.policy)
        )
        await self.standin.wait_until(
            lambda: len(self.standin.calls_of("getUpdates")) > polls, 30, "polling"
        )

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    async def restart_at(self, hold: Hold) -> None:
        """Kill the process when `hold` is reached, start a new one, let it send what it had."""
        await hold.reached(10)
        await self.kill()
        self.standin.faults.clear()
        await self.start()
        await self.delivered()
        await self.standin.quiet()

    async def stop(self) -> None:
        """SIGTERM: a graceful stop, which must end with exit code 0."""
        assert self.proc is not None and self.proc.returncode is None
        self.proc.send_signal(signal.SIGTERM)
        code, log = await finish(self.proc, self.tmp_path)
        assert code == 0, log

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def count(self, what: type[object], *where: object) -> int:
        async with self.deps.db.read() as session:
            query = select(func.count()).select_from(what).where(*where)  # type: ignore[arg-type]
            return int(await session.scalar(query) or 0)

    async def outbox(self) -> list[OutboxMessage]:
        async with self.deps.db.read() as session:
            return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    async def delivered(self) -> None:
        """Wait until the outbox has nothing left to send."""
        busy = OutboxMessage.status.in_(["pending", "sending"])
        for _ in range(300):
            if not await self.count(OutboxMessage, busy):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"outbox not delivered: {await self.outbox()}")

    async def tally(self, after: int = 0) -> dict[str, int]:
        return tally([m for m in await self.outbox() if m.id > after], self.standin)


@pytest.fixture
async def bot(tmp_path: Path, standin: ReadingStandIn) -> AsyncIterator[Bot]:
    running = Bot(tmp_path, standin)
    await running.start()
    yield running
    if running.proc is not None and running.proc.returncode is None:
        running.proc.kill()
        await running.proc.wait()
    await running.deps.db.dispose()


async def staff(bot: Bot) -> dict[int, SimUser]:
    """An admin, a member, the secretary, the deputy and the emergency office, all started."""
    s = bot.standin
    users = {
        ADMIN: s.add_user(ADMIN, "Ada", language_code="en"),
        MEMBER: s.add_user(MEMBER, "Mei", language_code="en"),
    }
    for uid, (name, _) in STAFF.items():
        users[uid] = s.add_user(uid, name, language_code="en", username=name.lower())
    for user in users.values():
        await register(s, user)
    for name, role in STAFF.values():
        person = await directory.find_person(bot.deps, username=name.lower())
        await grants.change_role(
            bot.deps, TgUser(ADMIN, "Ada"), person_id=person.id, role=role, grant=True
        )
    await bot.delivered()
    await s.quiet()
    s.mark_read(*users)
    return users


def received(s: ReadingStandIn, chat_id: int, start: str) -> list[Message]:
    return [m for m in s.bot_messages(chat_id) if m.text.startswith(start)]


async def test_kill_mid_conversation_and_mid_submit(bot: Bot) -> None:
    s = bot.standin
    mei = (await staff(bot))[MEMBER]
    await mei.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Network-security incident")
    await tap(s, mei, q, "Major")

    # Point 1: her description is saved; the next question is on its way when the bot dies,
    # and never reaches Telegram.
    hold = s.faults.hold("sendMessage")
    await mei.send("门户网站首页被篡改")
    await hold.reached(10)
    await bot.kill()
    hold.drop()
    s.faults.clear()
    state = await drafts.get(bot.deps, MEMBER)
    assert state is not None and (state.step, state.data["what"]) == ("when", "门户网站首页被篡改")
    await bot.start()
    # The interrupted update is handled again: the question comes, once; nothing is applied
    # twice (her text is not taken as the answer to "when").
    q = await s.next_message(MEMBER, timeout=20)
    assert q.text.startswith("When was it discovered?")
    await tap(s, mei, q, "Just now")
    assert q.text == "Where? Name the system, platform or place."
    await mei.send("门户网站")
    assert (await s.next_message(MEMBER)).text == "What has already been done about it?"
    await mei.send("已断开外网")
    q = await s.next_message(MEMBER)
    await tap(s, mei, q, "Done")
    assert q.text.startswith("Please check your report.")
    assert "What happened: 门户网站首页被篡改" in q.text

    # Point 2: Submit committed the report; the bot dies before the member's card is edited
    # and before any handler's card reached Telegram.
    edit, send = s.faults.hold("editMessageText"), s.faults.hold("sendMessage")
    await mei.press(q, "Submit")
    await edit.reached(10)
    await send.reached(10)
    await bot.kill()
    edit.drop()
    send.drop()
    s.faults.clear()
    assert await bot.count(Incident) == 1
    await bot.start()
    await bot.delivered()
    await s.quiet()
    # Every card arrives, once: the one whose send was cut off had not reached Telegram.
    for uid in (EMERGENCY, DEPUTY, SECRETARY):
        assert len(received(s, uid, "A report needs your attention.")) == 1, uid
    assert await bot.count(Incident) == 1  # the replayed Submit filed nothing twice
    assert await drafts.get(bot.deps, MEMBER) is None
    assert await bot.count(InboxUpdate, InboxUpdate.finished_at.is_(None)) == 0
    await bot.stop()


async def test_a_replayed_answer_shows_the_step_the_draft_is_at_once(bot: Bot) -> None:
    """Her description is answered (the next question reaches Telegram) and the bot dies before
    the update's end is recorded; she answers that question while it is down. The restarted
    bot handles her text again (it cannot know the question arrived) and then her press: she
    must end on the step her draft is at, shown once — not the earlier question again as the
    newest message, whose buttons the draft has left."""
    s = bot.standin
    mei, q = await reporting(s, MEMBER)
    await tap(s, mei, q, "Network-security incident")
    await tap(s, mei, q, "Major")
    hold = s.faults.hold("sendMessage", after=True)
    await mei.send("门户网站首页被篡改")
    await hold.reached(10)
    await bot.kill()
    s.faults.clear()
    when = await s.next_message(MEMBER)
    assert when.text.startswith("When was it discovered?")
    await mei.press(when, "Just now")
    await bot.start()
    await s.wait_until(lambda: when.text.startswith("Where?"), 20, "her press to be handled")
    await s.quiet()
    state = await drafts.get(bot.deps, MEMBER)
    assert state is not None and (state.step, state.data["what"]) == ("where", "门户网站首页被篡改")
    shown = [m.text for m in s.bot_messages(MEMBER)]
    assert shown[-1] == "Where? Name the system, platform or place."
    assert not [t for t in shown if t.startswith("When was it discovered?")], shown
    # She goes on from there.
    await mei.send("门户网站")
    done = "What has already been done about it?"
    await s.wait_until(lambda: s.bot_messages(MEMBER)[-1].text == done, 10, "the next question")
    await bot.stop()


async def test_a_replayed_last_answer_is_not_called_not_understood(bot: Bot) -> None:
    """The last answer of a conversation (an incident update) ended it; the bot dies before
    that update's end is recorded. Handled again, it finds no conversation: it says nothing,
    rather than "I did not understand that" under the confirmation she already has."""
    s = bot.standin
    users = await staff(bot)
    await file_report(
        bot.deps,
        TgUser(MEMBER, "Mei"),
        ReportDraft(
            kind=Kind.NETWORK_SECURITY,
            severity=Severity.MAJOR,
            what="首页被篡改",
            discovered_at=bot.now(),
            discovered_precision="minute",
            location="门户网站",
            actions_taken="已断网",
            attachments=[],
        ),
    )
    card = await s.next_message(EMERGENCY, timeout=20)
    await tap(s, users[EMERGENCY], card, "Add update")
    assert (await s.next_message(EMERGENCY)).text.startswith("Send the progress update")
    hold = s.faults.hold("sendMessage", after=True, text="was saved")
    await users[EMERGENCY].send("已恢复首页")
    await bot.restart_at(hold)
    assert await bot.count(InboxUpdate, InboxUpdate.finished_at.is_(None)) == 0
    texts = [m.text for m in s.bot_messages(EMERGENCY)]
    # The update, saved once, and (L4: an update by one who had not acknowledged) what it records.
    assert texts[-1] == (
        "The update on INC-2026-0001 was saved.\n"
        "This also records your acknowledgement of INC-2026-0001."
    ), texts
    assert sum("was saved" in t for t in texts) == 1, texts
    await bot.stop()


async def test_kill_mid_approval_never_sends_approved_twice(bot: Bot) -> None:
    s = bot.standin
    users = await staff(bot)
    starts = bot.now() + timedelta(days=10)
    result = await events.submit(
        bot.deps,
        TgUser(MEMBER, "Mei"),
        EventDraft(
            event_type="lecture",
            title="理论宣讲",
            starts_at=starts,
            venue="三楼会议室",
            audience=80,
            speakers=[{"name": "张教授", "affiliation": "市委党校"}],
            outline="学习全会精神",
            speakers_vetted=True,
        ),
    )
    card = await s.next_message(SECRETARY, timeout=20)
    assert result.ref in card.text

    # The decision commits; the "approved" notice reaches Telegram, but the bot dies before it
    # hears so (and before the secretary's card is edited).
    edit, send = (
        s.faults.hold("editMessageText"),
        s.faults.hold("sendMessage", after=True, text="was approved"),
    )
    await users[SECRETARY].press(card, "Approve")
    await send.reached(10)
    await bot.kill()
    edit.drop()
    s.faults.clear()
    await bot.start()
    await bot.delivered()
    await s.quiet()
    approved = [m for m in s.bot_messages(MEMBER) if "was approved by Shu" in m.text]
    assert len(approved) == 1, [m.text for m in s.bot_messages(MEMBER)]
    assert await bot.count(AuditEntry, AuditEntry.action == "event.approve") == 1
    (notice,) = [m for m in await bot.outbox() if m.template == "event.approve"]
    assert notice.status == "uncertain"  # not sent again: a second "approved" would mislead
    await bot.stop()


async def test_kill_mid_escalation_sends_it_once_after_the_restart(bot: Bot) -> None:
    s = bot.standin
    await staff(bot)
    before = len(await bot.outbox())
    await bot.kill()
    # A critical incident nobody acknowledged: filed an hour ago, while the bot was down.
    an_hour_ago = bot.now() - timedelta(hours=1)
    assert isinstance(bot.deps.clock, MovableClock)
    bot.deps.clock.set(an_hour_ago)
    await file_report(
        bot.deps,
        TgUser(MEMBER, "Mei"),
        ReportDraft(
            kind=Kind.NETWORK_SECURITY,
            severity=Severity.CRITICAL,
            what="勒索软件",
            discovered_at=an_hour_ago,
            discovered_precision="minute",
            location="财务室",
            actions_taken="已断网",
            attachments=[],
        ),
    )
    # The bot comes up, sends the cards, its sweep escalates; it dies while the first escalation
    # notice is on its way (received by Telegram, unanswered).
    hold = s.faults.hold("sendMessage", after=True, text="Nobody acknowledged")
    await bot.start()
    await hold.reached(30)
    await bot.kill()
    s.faults.clear()
    await bot.start()
    await bot.delivered()
    await s.quiet()
    tally = await bot.tally(after=before)
    # Three cards, three escalation notices and the secretary's R2 reminder: all delivered;
    # the one in flight at the kill went out again (at-least-once), nothing else twice.
    assert tally == {"queued": 7, "delivered": 7, "duplicated": 1, "uncertain": 0, "lost": 0}
    assert await bot.count(AuditEntry, AuditEntry.action == "incident.escalated") == 1
    await bot.stop()


async def test_sigterm_finishes_the_update_in_hand(bot: Bot) -> None:
    s = bot.standin
    ada = s.add_user(ADMIN, "Ada", language_code="en")
    await register(s, ada)
    await s.quiet()
    s.mark_read(ADMIN)
    hold = s.faults.hold("sendMessage")
    await ada.send("/help")
    await hold.reached(10)
    assert bot.proc is not None
    bot.proc.send_signal(signal.SIGTERM)  # while the answer to /help is on its way
    await asyncio.sleep(0.5)
    s.faults.clear()
    code, log = await finish(bot.proc, bot.tmp_path)  # one SIGTERM: a second one aborts
    assert code == 0, log
    assert (await s.next_message(ADMIN)).text.startswith("Your roles:")
    # Handled to the end: a new start hands nothing to the handlers again.
    assert await bot.count(InboxUpdate, InboxUpdate.finished_at.is_(None)) == 0


async def test_a_replayed_addition_text_is_added_once(bot: Bot) -> None:
    s = bot.standin
    users = await staff(bot)
    mei = users[MEMBER]
    await file_report(
        bot.deps,
        TgUser(MEMBER, "Mei"),
        ReportDraft(
            kind=Kind.NETWORK_SECURITY,
            severity=Severity.GENERAL,
            what="首页被篡改",
            discovered_at=bot.now(),
            discovered_precision="minute",
            location="门户网站",
            actions_taken="已断网",
            attachments=[],
        ),
    )
    await bot.delivered()
    await mei.send("/record INC-2026-0001")
    record = await s.next_message(MEMBER, timeout=20)
    await tap(s, mei, record, "Add to this report")
    assert (await s.next_message(MEMBER)).text.startswith("What do you want to add")
    hold = s.faults.hold("sendMessage", after=True, text="received")
    await mei.send("又发现两处篡改")
    await bot.restart_at(hold)
    state = await drafts.get(bot.deps, MEMBER)
    assert state is not None and state.data["texts"] == ["又发现两处篡改"]  # once
    status = s.bot_messages(MEMBER)[-1]
    assert status.text == "1 text received.\nSend more, or press Done."
    await tap(s, mei, status, "Done")
    await s.wait_until(lambda: status.text.startswith("Added to INC-2026-0001"), 10, "Done")
    assert await bot.count(TimelineEntry, TimelineEntry.kind == "addition") == 1
    await bot.stop()
