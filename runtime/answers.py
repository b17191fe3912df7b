"""Answers to people share Telegram's flood limits with the outbox
(docs/decisions/001-telegram-limits.md: about 30
messages a second in all, about one a second to one private chat).

Every request other than getUpdates goes through AnswerRequest. A message sent while an update
is being handled (an answer to a person) first waits for the pacer (at most a second: the
chat's own interval, or the milliseconds until Telegram's last second has room), is counted in
it as it goes so the outbox leaves room, and on a 429 is sent again after `retry_after`: a
person's answer is never dropped because a broadcast was going out.
Any other request of an update (an edit) is sent again after a 429's `retry_after` too, without
being counted. What still fails is delivered later through the outbox (runtime.durable).
Outbox sends (no update being handled) are left alone: the deliverer counts them itself and
handles its own 429s per chat, so one flooded chat never holds up the rest.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram.request import RequestData

from bot.inbox import service as inbox
from runtime.metrics import Metrics
from runtime.pacing import Pacer
from runtime.transport import AiohttpRequest

log = logging.getLogger(__name__)

SENDS = frozenset(
    {"sendmessage", "sendphoto", "senddocument", "sendmediagroup", "copymessage", "forwardmessage"}
)
RETRIES = 3  # 429s waited out for one answer
LONGEST_WAIT = 30.0  # a longer retry_after is passed on as an error, not waited out


class AnswerRequest(AiohttpRequest):
    def __init__(self, pacer: Pacer, metrics: Metrics | None = None) -> None:
        super().__init__(connection_pool_size=256)  # python-telegram-bot's default
        self.pacer = pacer
        self.metrics = metrics

    async def do_request(  # type: ignore[override]  # the timeouts pass through as they are
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        if inbox.current() is None:  # not an answer to a person: not paced or retried here
            return await super().do_request(url, method, request_data, **kwargs)
        chat = _chat_id(request_data)
        # Sends are counted in the pacer; edits and the rest are not Telegram's messages per
        # second, but their 429 is waited out all the same: an edit is how a button step shows
        # the next question, and a lost one left the person on a step the draft had left.
        paced = chat is not None and url.rpartition("/")[2].lower() in SENDS
        for attempt in range(RETRIES + 1):
            # Counted as it goes, as the outbox counts its own: the deliverer deciding
            # meanwhile must see it (counted after the answer came, it could not).
            send = await self.pacer.answer_turn(chat) if paced and chat is not None else None
            try:
                status, body = await super().do_request(url, method, request_data, **kwargs)
            finally:
                if send is not None:
                    self.pacer.answered(send)
            if status == 429 and self.metrics is not None:
                self.metrics.flood.labels("answer").inc()
            if status != 429 or attempt == RETRIES:
                break
            seconds = _retry_after(body)
            if seconds > LONGEST_WAIT:
                break  # runtime.durable sends it later, through the outbox
            log.info("429 on an answer to chat %s: sending again in %.0f s", chat, seconds)
            if paced and chat is not None:
                self.pacer.back_off(chat, seconds)  # answer_turn waits it out
            else:
                await asyncio.sleep(seconds)
        return status, body


def _chat_id(request_data: RequestData | None) -> int | None:
    if request_data is None:
        return None
    value = request_data.parameters.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None  # "@channelname": not paced per chat


def _retry_after(body: bytes) -> float:
    try:
        data = json.loads(body)
        return float(data.get("parameters", {}).get("retry_after", 1))
    except (ValueError, TypeError, AttributeError):
        return 1.0
