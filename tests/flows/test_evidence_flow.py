"""The office keeps the evidence (R7): a report's photos are fetched and kept; when Telegram no
longer has them, a handler brought in later still receives them, from the kept copies (L5,
L1, L2). A file too large for the bot to download is attached, its sender told at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.files.models import KeptFile
from bot.incidents.models import IncidentAttachment
from bot.incidents.sweep import sweep
from tests.support.bot import Harness
from tests.support.evidence import report_general, settled, statuses
from tests.support.world import DEPUTY, EMERGENCY, MEMBER, OFFICE, SECRETARY, tap, world

PHOTOS = [b"\x89PNG first photo of the defaced page", b"\x89PNG second photo, the log"]


async def test_an_escalated_handler_receives_the_kept_photos_telegram_forgot(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    member = users[MEMBER]
    q = await report_general(s, member, PHOTOS)
    assert "2 files received." in q.text
    await tap(s, member, q, "Done")
    assert await tap(s, member, q, "Submit") == ("Submitted as INC-2026-0001.", False)
    assert await settled(h, 2) == ["kept", "kept"]
    for uid in (EMERGENCY, DEPUTY):  # routed (L4): the card and both photos
        await s.next_message(uid)
        for _ in PHOTOS:
            assert (await s.next_message(uid)).photo is not None

    # Telegram no longer has the files (its retention, or a new bot token).
    async with h.db.read() as session:
        file_ids = list(await session.scalars(select(IncidentAttachment.file_id)))
    for file_id in file_ids:
        s.forget_file(file_id)

    # Nobody acknowledges: the deputy's step (already a handler), then the secretary (L2, L1).
    for _ in range(2):
        h.clock.advance(timedelta(days=1))
        await sweep(h.deps)
    await s.quiet()
    card = s.unread(SECRETARY)[-1]
    assert card.text.startswith("Nobody acknowledged INC-2026-0001 in time")
    assert card.button_texts()[-2:] == ["Timeline", "Attachments"]
    s.mark_read(SECRETARY)

    # Someone who does not act on it is refused, as for every other action.
    assert await tap(s, users[OFFICE], card, "Attachments") == (
        "Only the handlers of this report and the leadership can do that.",
        True,
    )
    assert await tap(s, users[SECRETARY], card, "Attachments") == (None, False)
    listing = await s.next_message(SECRETARY)
    assert listing.text.splitlines() == [
        "INC-2026-0001: 2 attachments follow.",
        "1. Photo (1 KB): kept by the office",
        "2. Photo (1 KB): kept by the office",
    ]
    for number, content in enumerate(PHOTOS, 1):
        photo = await s.next_message(SECRETARY)
        assert photo.text == f"INC-2026-0001: attachment {number} of 2"
        assert photo.photo is not None
        sent_id = photo.photo[-1]["file_id"]
        assert sent_id not in file_ids and s.files[sent_id] == content  # the kept copy
    refused = [c for c in s.calls if c.method == "sendphoto" and c.status == 400]
    assert len(refused) == 2  # by file_id first: Telegram had forgotten them

    # The timeline lists the attachments and how they are kept.
    await tap(s, users[SECRETARY], card, "Timeline")
    timeline = await s.next_message(SECRETARY)
    assert timeline.text.splitlines()[-3:] == [
        "Attachments:",
        "1. Photo (1 KB): kept by the office",
        "2. Photo (1 KB): kept by the office",
    ]
    assert timeline.button_texts() == ["Attachments"]


async def test_a_file_too_big_to_keep_is_attached_and_its_sender_told_at_once(
    harness: Harness,
) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    member = users[MEMBER]
    big = ("录像.mp4", b"v" * (20 * 1024 * 1024 + 1))
    await report_general(s, member, [])
    await member.send_document(*big)
    answer = await s.next_message(MEMBER)
    assert answer.text == (
        "This file is larger than 20 MB, so the bot cannot keep its own copy: it is attached "
        "and sent on, but only while Telegram still has it. Please also send it split into "
        "parts of at most 20 MB, or hand a copy to the office."
    )
    q = await s.next_message(MEMBER)
    assert "1 file received." in q.text
    await tap(s, member, q, "Done")
    await tap(s, member, q, "Submit")
    assert await settled(h, 1) == ["not_kept"]
    assert not [c for c in s.calls if c.method == "getfile"]  # never asked of Telegram
    card = await s.next_message(EMERGENCY)
    assert (await s.next_message(EMERGENCY)).document is not None  # sent on by its file_id
    await tap(s, users[EMERGENCY], card, "Timeline")
    assert (await s.next_message(EMERGENCY)).text.splitlines()[-1] == (
        "1. 录像.mp4 (20.0 MB): could not be kept: larger than the bot may download; ask the "
        "reporter to hand a copy to the office"
    )


async def test_a_fetch_that_failed_is_tried_again_after_a_restart(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    member = users[MEMBER]
    s.faults.fail_next("getFile", 502)  # Telegram has a bad moment
    q = await report_general(s, member, PHOTOS[:1])
    await tap(s, member, q, "Done")
    await tap(s, member, q, "Submit")
    for _ in range(100):
        async with h.db.read() as session:
            attempts = await session.scalar(select(KeptFile.attempts))
        if attempts:
            break
        await asyncio.sleep(0.05)
    assert await statuses(h) == ["fetching"]  # to be tried again after a backoff
    await h.restart()
    assert await settled(h, 1) == ["kept"]  # at once, not after the backoff
