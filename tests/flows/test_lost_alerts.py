"""What the admins must hear, once: messages that ended failed or uncertain (bot/outbox/lost.py),
a holiday calendar without next year's make-up working days (bot/calendar/holidays_check.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.calendar import holidays_check
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage, Semantics
from bot.people.models import Person
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import DEPUTY, MEMBER, OFFICE, world

APPROVED = {"ref": "EVT-2026-0007", "title": "Lecture on the Party's history", "by": "Shu"}


async def queue(
    h: Harness, username: str, template: str, params: dict[str, str], semantics: Semantics
) -> None:
    async with h.deps.db.transaction() as session:
        person = await session.scalar(select(Person).where(Person.username == username))
        assert person is not None
        outbox.notify_person(
            session,
            now=h.deps.clock.now(),
            person=person,
            template=template,
            params=params,
            semantics=semantics,
        )


async def test_an_uncertain_approval_and_a_failed_notice_are_told_once(harness: Harness) -> None:
    s, h = harness.standin, harness
    await world(h)
    # An "approved" whose connection broke after Telegram took it: maybe delivered, not resent.
    s.faults.drop_connection("sendMessage", after=True)
    await queue(h, "mei", "event.approve", APPROVED, Semantics.AT_MOST_ONCE)
    alert = await s.next_message(ADMIN_ID)
    assert alert.text.splitlines() == [
        "1 message did not reach its recipient:",
        "· Mei: “EVT-2026-0007 “Lecture on the Party's history” was approved by Shu. It may be…” "
        "may not have arrived (the connection broke while it was being sent).",
        "",
        "What to do: ask the recipient whether it arrived. It is not sent again, since a second "
        "copy (a second “approved”) would mislead; if it did not arrive, tell them yourself.",
    ]
    # A decision notice: the office, which answers for the requester being told, learns it too.
    assert (await s.next_message(OFFICE)).text == alert.text
    # A notice Telegram refuses for good (chat not found): the admins only.
    s.faults.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    await queue(h, "dai", "role.granted", {"role": "office", "by": "Ada"}, Semantics.AT_LEAST_ONCE)
    alert = await s.next_message(ADMIN_ID)
    assert alert.text.splitlines()[:2] == [
        "1 message did not reach its recipient:",
        "· Dai: “You now hold the role Office, given by Ada. Send /help to see what you can do.” "
        "was not delivered (Chat not found).",
    ]
    assert alert.text.splitlines()[-1].startswith("What to do: tell the recipient yourself")
    await h.restart()  # once: a restart does not tell it again
    await s.quiet()
    assert not s.unread(ADMIN_ID) and not s.unread(OFFICE)
    # The "approved" had arrived (the answer was lost, not the send): once, never again.
    assert [m.text for m in s.bot_messages(MEMBER)].count(
        "EVT-2026-0007 “Lecture on the Party's history” was approved by Shu. It may be held once "
        "the office has filed it with the city publicity department."
    ) == 1
    assert not s.unread(DEPUTY)
    async with h.deps.db.read() as session:
        statuses = list(
            await session.execute(
                select(OutboxMessage.template, OutboxMessage.status)
                .where(OutboxMessage.alerted_at.is_not(None))
                .order_by(OutboxMessage.id)
            )
        )
    assert [tuple(r) for r in statuses] == [
        ("event.approve", "uncertain"),
        ("role.granted", "failed"),
    ]


async def test_in_december_the_admins_learn_next_years_make_up_days_are_missing(
    harness: Harness,
) -> None:
    """Once, when the installed holiday calendar has no make-up working days for next year."""
    s, h = harness.standin, harness
    await world(h)
    h.clock.set(datetime(2040, 12, 1, 2, 0, tzinfo=UTC))
    assert await holidays_check.check_next_year(h.deps)
    text = (await s.next_message(ADMIN_ID)).text
    assert text.startswith("The holiday calendar does not know 2041's make-up working days yet")
    assert text.endswith(
        "enter the notice in the policy file: [calendar] extra_working_days and extra_days_off."
    )
    h.clock.set(datetime(2040, 12, 20, 2, 0, tzinfo=UTC))
    assert not await holidays_check.check_next_year(h.deps)  # once
    await h.restart()
    assert not await holidays_check.check_next_year(h.deps)
    await s.quiet()
    assert not s.unread(ADMIN_ID) and not s.unread(OFFICE)
