"""Pull in (L5): whoever acts on an incident asks another person to help; that person is
assigned and gets the card, in one transaction with the timeline and audit entries."""

from __future__ import annotations

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput
from bot.i18n import N_
from bot.incidents.cards import card_buttons, card_params
from bot.incidents.service import assign
from bot.incidents.store import attachment_count, open_for, timeline
from bot.outbox import service as outbox
from bot.people.authority import NOT_PICKABLE
from bot.people.models import Person
from bot.people.view import ADMITTED, TgUser


async def pull_in(deps: Deps, actor: TgUser, incident_id: int, person_id: int) -> str:
    """Another person joins the handling (L5); they get the card. Returns their name."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        incident, me = await open_for(session, actor, incident_id, now)
        person = await session.get(Person, person_id)
        if person is None or person.started_at is None or person.admission != ADMITTED:  # R4
            raise InvalidInput(N_("This person is not known to the bot."))
        if not person.active:  # nobody who left is picked
            raise InvalidInput(NOT_PICKABLE, name=person.display_name)
        if not await assign(session, incident.id, person.id, now, reason="pulled_in", by=me.id):
            raise AlreadyDone(
                N_("{name} already handles {ref}."), name=person.display_name, ref=incident.ref
            )
        timeline(
            session, incident, at=now, kind="pulled_in", actor_id=me.id, person=person.display_name
        )
        reporter = await session.get(Person, incident.reporter_id)
        assert reporter is not None
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="incident.card",
            params={**card_params(incident, reporter), "pulled_in_by": me.name},
            buttons=card_buttons(
                incident.id,
                await attachment_count(session, incident.id),
                card=True,
                rated=incident.severity is not None,
            ),
        )
        record(
            session,
            at=now,
            actor_id=me.id,
            action="incident.pulled_in",
            subject_type="incident",
            subject_id=incident.id,
            clause="L5",
            person_id=person.id,
        )
        return person.display_name
