"""SIGKILL in the middle of an addition (a real process against the stand-in, as in
test_crash.py): the text is saved with the draft, the bot dies before the update's end is
recorded; handled again after the restart, the text is not added twice, the step is shown once,
and Done records one addition."""

from __future__ import annotations

import pytest

from bot.drafts import service as drafts
from bot.incidents.models import TimelineEntry
from bot.incidents.service import ReportDraft, file_report
from bot.people.service import TgUser
from bot.policy.model import Kind, Severity
from tests.flows.test_crash import MEMBER, Bot, bot, staff
from tests.flows.test_roles_flow import tap

pytestmark = pytest.mark.slow
__all__ = ["bot"]  # the fixture, used by name


async def test_a_replayed_addition_text_is_added_once(bot: Bot) -> None:
    s = bot.standin
    users = await staff(bot)
    mei = users[MEMBER]
    await file_report(bot.deps, TgUser(MEMBER, "Mei"), ReportDraft(
        kind=Kind.NETWORK_SECURITY, severity=Severity.GENERAL, what="首页被篡改",
        discovered_at=bot.now(), discovered_precision="minute", location="门户网站",
        actions_taken="已断网", attachments=[]))  # fmt: skip
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
