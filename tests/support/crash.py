"""Counting what a crashed and restarted bot did (test_crash and its callers)."""

from __future__ import annotations

from collections import Counter

from bot.outbox.models import OutboxMessage
from tests.support.standin_reading import ReadingStandIn


def tally(rows: list[OutboxMessage], s: ReadingStandIn) -> dict[str, int]:
    """What was queued, and what people really got: delivered (found in the chat), duplicated
    (the same text twice in one chat), uncertain (at-most-once, fate unknown), lost."""
    counts = Counter(queued=len(rows), delivered=0, duplicated=0, uncertain=0, lost=0)
    for chat in {row.chat_id for row in rows}:
        texts = Counter(m.text for m in s.bot_messages(chat))
        counts["duplicated"] += sum(n - 1 for n in texts.values())
    for row in rows:
        if row.status == "sent" and s.find(row.chat_id, row.telegram_message_id or 0):
            counts["delivered"] += 1
        elif row.status == "uncertain":
            counts["uncertain"] += 1
        else:
            counts["lost"] += 1
    return dict(counts)
