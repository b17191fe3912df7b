"""The notices the events' sweep sends (bot/events/sweep.py, sweep_decisions.py): the same
words about one request to each person told, in one batch of at most BATCH requests a run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.events.models import EventRequest
from bot.outbox import service as outbox
from bot.outbox.service import Button
from bot.people.models import Person

BATCH = 200  # requests acted on per kind of reminder and run; the next run takes the rest


def notice_params(event: EventRequest) -> dict[str, object]:
    """What every notice of the sweep says of the request: its reference, title and date."""
    return {"ref": event.ref, "title": event.title, "starts_at": event.starts_at.isoformat()}


def tell(
    session: AsyncSession,
    now: datetime,
    people: list[Person],
    template: str,
    event: EventRequest,
    buttons: list[list[Button]] | None = None,
    **extra: object,
) -> None:
    """The same notice about `event` to each of `people`."""
    for person in people:
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template=template,
            params={**notice_params(event), **extra},
            buttons=buttons,
        )
