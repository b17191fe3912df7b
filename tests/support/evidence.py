"""A report filed with photos, and waiting for the kept copies of its files to settle."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.files.models import FileStatus, KeptFile
from standin.model import Message, SimUser
from tests.support.bot import Harness
from tests.support.standin_reading import ReadingStandIn
from tests.support.world import MEMBER, tap


async def report_general(
    s: ReadingStandIn, member: SimUser, files: list[bytes | tuple[str, bytes]]
) -> Message:
    """A general network-security report with `files` (photos, or (name, bytes) documents);
    returns the attachments question, which becomes the summary."""
    await member.send("/report")
    q = await s.next_message(MEMBER)
    await tap(s, member, q, "Network-security incident")
    await tap(s, member, q, "General")
    for answer in ("首页被篡改", "2026-11-24 09:40", "门户网站", "已断开外网"):
        await member.send(answer)
        q = await s.next_message(MEMBER)
    for f in files:
        if isinstance(f, tuple):
            await member.send_document(*f)
        else:
            await member.send_photo(f)
        q = await s.next_message(MEMBER)
    return q


async def statuses(h: Harness) -> list[str]:
    async with h.db.read() as session:
        return list(await session.scalars(select(KeptFile.status).order_by(KeptFile.id)))


async def settled(h: Harness, count: int) -> list[str]:
    """The fetcher ran after the report's commit (it is woken by it)."""
    for _ in range(200):  # up to 10 s on a busy machine
        found = await statuses(h)
        if len(found) == count and FileStatus.FETCHING not in found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"files not settled: {await statuses(h)}")
