"""The accountability register through the chat (C1–C12): the secretary records a case step by
step, the deputy corrects it, the register shows the chain; to everyone else — in private and
in the group, by command or by forged button — it does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.audit.models import AuditEntry
from bot.drafts import service as drafts
from bot.incidents.service import file_report
from bot.outbox.models import OutboxMessage
from bot.people.models import Person
from bot.people.view import TgUser
from bot.register.models import AccountabilityCase
from standin.model import Message, SimUser
from tests.support.bot import ADMIN_ID, Harness
from tests.support.incidents import draft as incident
from tests.support.outsiders import HEAD, REVOKED, STRANGER, staff_and_outsiders
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import (
    DEPUTY,
    EMERGENCY,
    GROUP,
    MEMBER,
    OFFICE,
    SECRETARY,
    register,
    tap,
    world,
)

KEEPERS = {SECRETARY, DEPUTY}
EVERY_ROLE = [MEMBER, HEAD, OFFICE, EMERGENCY, ADMIN_ID, DEPUTY, SECRETARY, REVOKED, STRANGER]
UNKNOWN = "I do not know that command. Send /help to see what you can do."
STALE = ("This button is no longer valid.", True)
NAV = ["‹ Back", "Cancel"]
EMPTY = "Accountability register (C1–C12)\nThe register holds no entries yet."


async def viewed(h: Harness) -> list[AuditEntry]:
    async with h.deps.db.read() as session:
        query = select(AuditEntry).where(AuditEntry.action == "register.viewed")
        return list(await session.scalars(query.order_by(AuditEntry.id)))


async def counts(h: Harness) -> tuple[int, ...]:
    """Everything a press or a command could have left behind."""
    async with h.deps.db.read() as session:
        return tuple(
            [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (AuditEntry, OutboxMessage, AccountabilityCase, Person)
            ]
        )


async def answer_to(
    s: ReadingStandIn, user: SimUser, text: str, chat: int | None = None
) -> Message:
    await user.send(text, chat=chat)
    return await s.next_message(chat or user.id)


async def test_the_secretary_records_a_case_and_the_deputy_corrects_it(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    for uid, name in [(2001, "Xu"), (2002, "Yan"), (2003, "Zhu")]:  # a second page of people
        await register(s, s.add_user(uid, name, language_code="en"))
    await file_report(h.deps, TgUser(MEMBER, "Mei"), incident())  # INC-2026-0001
    await s.quiet()
    s.mark_read(SECRETARY, DEPUTY)
    shu, dai = users[SECRETARY], users[DEPUTY]

    page = await answer_to(s, shu, "/register")
    assert page.text == EMPTY and page.button_texts() == ["Record a case"]
    await tap(s, shu, page, "Record a case")
    q = page  # the conversation goes on in place of the register's page
    assert q.text == "Whom does the case concern? Choose the person."
    assert q.button_texts() == [
        "Ada",
        "Dai",
        "Eli",
        "Mei",
        "Ou",
        "Shu",
        "Xu",
        "Yan",
        "Next ›",
        *NAV,
    ]
    await tap(s, shu, q, "Next ›")
    assert q.button_texts() == ["Zhu", "‹ Previous", *NAV]
    await tap(s, shu, q, "‹ Previous")
    await tap(s, shu, q, "Mei")
    assert q.text == "Which situation of the regulation applies (C1–C12)?"
    assert q.button_texts()[7] == "C8 · Serious problems concealed or not reported"
    assert len(q.button_texts()) == 12 + 2
    await tap(s, shu, q, "‹ Back")  # Back: the person again, marked
    assert "✓ Mei" in q.button_texts()
    await tap(s, shu, q, "✓ Mei")
    await tap(s, shu, q, "C8 · Serious problems concealed or not reported")
    assert q.text.startswith("What are the facts? Describe them in a message.")
    assert q.button_texts() == NAV
    await shu.send("<b>未上报</b> INC-2026-0001 & INC-2026-0042")
    q = await s.next_message(SECRETARY)
    assert q.text == (
        "Linked records: INC-2026-0001\n"
        "Not found, so not linked: INC-2026-0042. The facts keep them as written.\n\n"
        "How serious is the case, by the regulation's grades?"
    )
    assert q.button_texts() == ["Light", "Heavier", "Most serious", *NAV]
    await tap(s, shu, q, "‹ Back")
    assert q.button_texts() == ["Keep the facts as written", *NAV]
    await tap(s, shu, q, "Keep the facts as written")
    await tap(s, shu, q, "Heavier")
    assert q.text == (
        "Which measures were decided? They may be combined. Tap to mark, then Done.\n"
        "Light: Criticism and education; Written self-examination; Admonishment talk\n"
        "Heavier: Circulated criticism; Public self-examination or public apology; "
        "Suspension for examination; Transfer from the post\n"
        "Most serious: Resignation, of one's own accord or ordered; Dismissal from office; "
        "Demotion; Discharge"
    )
    assert [len(row) for row in q.buttons] == [2, 1, 2, 2, 2, 2, 1, 2]  # grouped by grade
    assert await tap(s, shu, q, "Done") == (
        "Choose at least one of the measures the regulation provides.",
        True,
    )
    for label in ("Transfer from the post", "Demotion", "Circulated criticism", "✓ Demotion"):
        await tap(s, shu, q, label)
    assert [b for b in q.button_texts() if b.startswith("✓")] == [
        "✓ Circulated criticism",
        "✓ Transfer from the post",
    ]
    await tap(s, shu, q, "Done")
    assert q.text == "On which day was it decided? Choose, or type a date such as 2026-11-24."
    assert q.button_texts() == ["Today", "Yesterday", *NAV]
    await shu.send("2026-11-25")  # tomorrow in Shanghai
    assert (await s.next_message(SECRETARY)).text == "A decision date cannot be in the future."
    await tap(s, shu, q, "Yesterday")
    summary = (
        "Please check the entry.\nPerson concerned: Mei\n"
        "Clause: C8 · Serious problems concealed or not reported\n"
        "Facts: <b>未上报</b> INC-2026-0001 & INC-2026-0042\nLinked records: INC-2026-0001\n"
        "Not found, so not linked: INC-2026-0042. The facts keep them as written.\n"
        "Grade: {grade}\nMeasures: Circulated criticism; Transfer from the post\n"
        "Decided on: November 23, 2026"
    )
    assert q.text == summary.format(grade="Heavier") + "\n\nSave it, or tap a field to change it."
    assert "&lt;b&gt;未上报&lt;/b&gt;" in q.html  # shown literally, escaped on the wire
    assert q.button_texts() == [
        "Save",
        "Person concerned",
        "Clause",
        "Facts",
        "Grade",
        "Measures",
        "Decision date",
        *NAV,
    ]
    await tap(s, shu, q, "Grade")
    await tap(s, shu, q, "Most serious")  # straight back to the summary
    assert q.text.startswith(summary.format(grade="Most serious"))
    assert await tap(s, shu, q, "Save") == ("Recorded as entry #1.", False)
    assert q.text.startswith("Recorded as entry #1.\n\nAccountability register, entry #1\n")
    assert "Recorded by Shu on November 24, 2026 10:00." in q.text
    assert q.button_texts() == ["Open the register"]
    # A double tap on Save records nothing twice.
    assert await tap(s, shu, q, data="1rg:ok") == (
        "This entry is no longer being filled in. Send /register to start.",
        True,
    )

    # The deputy reads the register and corrects the entry.
    page = await answer_to(s, dai, "/register")
    assert page.text == (
        "Accountability register (C1–C12)\n1 entry, newest first (page 1 of 1).\n"
        "#1 · November 23, 2026 · Mei · C8 · Most serious"
    )
    assert page.button_texts() == ["#1 · Mei · C8", "Record a case"]
    await tap(s, dai, page, "#1 · Mei · C8")
    card = page
    assert card.text.startswith("Accountability register, entry #1\nPerson concerned: Mei\n")
    assert card.button_texts() == ["Correct this entry", "Back to the register"]
    await tap(s, dai, card, "Correct this entry")
    assert card.text.startswith("Please check the entry.\nIt corrects entry #1.\n")
    await tap(s, dai, card, "Clause")
    assert "✓ C8 · Serious problems concealed or not reported" in card.button_texts()
    await tap(s, dai, card, "C12 · Another failure to perform duties with bad consequences")
    assert await tap(s, dai, card, "Save") == ("Recorded as entry #2.", False)
    assert "It corrects entry #1.\n" in card.text
    assert card.text.endswith("Chain of corrections: #1 → #2")
    await tap(s, dai, card, "Open the register")
    assert card.text.splitlines()[1:] == [
        "2 entries, newest first (page 1 of 1).",
        "#2 · November 23, 2026 · Mei · C12 · Most serious",
        "#1 · November 23, 2026 · Mei · C8 · Most serious · corrected by #2",
    ]
    await tap(s, dai, card, "#1 · Mei · C8")
    assert card.text.splitlines()[1] == ("Corrected by entry #2: this entry is no longer in force.")
    assert card.button_texts() == ["#2", "Back to the register"]  # no second correction
    await tap(s, dai, card, "#2")
    assert card.text.startswith("Accountability register, entry #2\nIt corrects entry #1.\n")
    assert card.button_texts() == ["Correct this entry", "#1", "Back to the register"]
    # An old entry cannot be corrected a second time, even by a forged button.
    assert await tap(s, shu, card, data="1rg:c:1") == (
        "Entry #1 has been corrected by #2 already; correct that one instead.",
        True,
    )

    async with h.deps.db.read() as session:
        rows = list(await session.scalars(select(AccountabilityCase).order_by("id")))
    assert [(c.clause, c.grade, c.corrects_id, c.incident_ids) for c in rows] == [
        ("C8", "most_serious", None, [1]),
        ("C12", "most_serious", 1, [1]),
    ]
    # Every page and entry shown was audited: Shu's page, then Dai's page, entry, the entry
    # read to correct it, the page, entry #1, entry #2; and Shu's refused correction read #1.
    assert [(e.subject_id, e.clause) for e in await viewed(h)] == [
        (None, None),
        (None, None),
        (1, "C8"),
        (1, "C8"),
        (None, None),
        (1, "C8"),
        (2, "C12"),
        (1, "C8"),
    ]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_only_the_secretary_and_the_deputy_know_it_exists(harness: Harness) -> None:
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    s.chats[GROUP].members.update(everyone)  # everyone may write in the group
    s.mark_read(*everyone, GROUP)
    for uid in EVERY_ROLE:
        user = everyone[uid]
        # In private: the register, or exactly what an unknown command gets.
        before = await counts(h)
        unknown = await answer_to(s, user, "/frobnicate")
        answer = await answer_to(s, user, "/register")
        if uid in KEEPERS:
            assert answer.text == EMPTY and answer.button_texts() == ["Record a case"], uid
            [entry] = [e for e in await viewed(h) if e.id > before[0]]
            assert entry.subject_type == "accountability_case" and entry.subject_id is None
        else:
            assert unknown.text == UNKNOWN
            assert (answer.text, answer.html, answer.buttons) == (
                unknown.text,
                unknown.html,
                unknown.buttons,
            ), uid
            assert await counts(h) == before, uid  # nothing recorded, not even a view
        # In the group, for everyone: silence, or the unknown-command answer when addressed.
        await user.send("/register", chat=GROUP)
        addressed = await answer_to(s, user, "/register@dutydesk_test_bot", chat=GROUP)
        unknown = await answer_to(s, user, "/frobnicate@dutydesk_test_bot", chat=GROUP)
        assert addressed.text == unknown.text == UNKNOWN, uid
        assert addressed.buttons == [] and addressed.html == unknown.html
        await s.quiet()
        assert s.unread(GROUP) == [], uid  # updates are handled in order: /register was silent
        # /help names it to its keepers only.
        help_text = (await answer_to(s, user, "/help")).text
        listed = "/register — The accountability register: record and correct cases (C1–C12)"
        assert (listed in help_text) == (uid in KEEPERS), uid
        assert ("register" in help_text) == (uid in KEEPERS), uid
    # Telegram's command menu, which everyone sees, never shows it.
    for scope, commands in s.commands.items():
        assert "register" not in dict(commands), scope


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_forged_register_buttons_reveal_nothing(harness: Harness) -> None:
    s, h = harness.standin, harness
    everyone = await staff_and_outsiders(h)
    shu = everyone[SECRETARY]
    page = await answer_to(s, shu, "/register")
    await tap(s, shu, page, "Record a case")  # the secretary's own draft stays untouched
    await tap(s, shu, page, "Mei")
    for uid in EVERY_ROLE:  # everyone says something the bot answers, to have a message
        if uid != STRANGER:
            await everyone[uid].send("/help")
    await s.quiet()
    group_message = s.bot_messages(GROUP)[0]
    forged = [
        "1rg:l:0",
        "1rg:v:1",
        "1rg:n",
        "1rg:c:1",
        "1rg:ok",
        "1rg:x",
        "1rg:b",
        "1rg:a:1",
        "1rg:cl:C8",
        "1rg:m:transfer",
        "1rg:p:1",
        "1rg:zz",
        "1rg:v:x",
    ]
    for uid in EVERY_ROLE:
        if uid in KEEPERS:
            continue
        user = everyone[uid]
        places = [group_message] + ([] if uid == STRANGER else [s.bot_messages(uid)[-1]])
        for message in places:
            shown = (message.text, message.buttons)
            # What a button of no known domain gets: the same answer, nothing more.
            assert await tap(s, user, message, data="1zz:x:1") == STALE
            for data in forged:
                before = await counts(h)
                assert await tap(s, user, message, data=data) == STALE, (uid, data)
                assert await counts(h) == before, (uid, data)
                assert (message.text, message.buttons) == shown, (uid, data)
            assert await drafts.get(h.deps, uid) is None
    state = await drafts.get(h.deps, SECRETARY)
    assert state is not None and (state.flow, state.step) == ("register", "clause")


async def test_back_from_the_first_question_returns_to_the_register(harness: Harness) -> None:
    """The case's first question opens in place of the register's page: Back there leads to
    the page again, and the draft goes (nothing was answered)."""
    s, h = harness.standin, harness
    users = await world(h)
    s.mark_read(SECRETARY)
    shu = users[SECRETARY]
    page = await answer_to(s, shu, "/register")
    await tap(s, shu, page, "Record a case")
    assert page.text == "Whom does the case concern? Choose the person."
    await tap(s, shu, page, "‹ Back")
    assert page.text == EMPTY and page.button_texts() == ["Record a case"]
    _, draft = await drafts.of(h.deps, TgUser(SECRETARY, "Shu"))
    assert draft is None
