"""Admission (R4): pressing Start does not make anyone a member.

The policy's `[people] admission` says how one becomes a member: "approve" (the office and the
administrators decide on each person who presses Start), "invite" (only an invitation link
admits, see `invitations.py`) or "open" (whoever presses Start). Administrators named in
DUTYDESK_ADMIN_IDS are always admitted. Only admitted people act, are picked or are counted;
`gate` refuses everybody else before any service runs, and `service.acting` refuses them again.
A decision is a conditional update on the pending row: it happens once, whoever presses first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.buttons.people import AdmissionAction, AdmissionButton
from bot.deps import Deps
from bot.errors import AlreadyDone, NotAllowed, NotFound
from bot.i18n import N_
from bot.outbox import service as outbox
from bot.outbox.models import Semantics
from bot.outbox.service import Button
from bot.people import committees, inspectors
from bot.people.directory import people_with_role
from bot.people.models import Committee, Person
from bot.people.roles import Role
from bot.people.service import (
    INVITE_ONLY_SAYS,
    PENDING_SAYS,
    REFUSED_SAYS,
    StartResult,
    acting,
    door,
    reload,
    upsert,
    welcomed,
)
from bot.people.view import ADMITTED, PENDING, REFUSED, PersonView, TgUser, view

ADMITTED_CACHE = 50_000  # telegram ids known to be admitted, kept in memory
DECIDERS = (Role.ADMIN, Role.OFFICE)
NOT_A_DECIDER = N_("Only an administrator or the office can admit people.")


def says(deps: Deps, admission: str) -> str:
    """The one sentence a person who may not act is told (R4)."""
    if admission == REFUSED:
        return REFUSED_SAYS
    return INVITE_ONLY_SAYS if deps.policy.people.admission == "invite" else PENDING_SAYS


async def gate(deps: Deps, tg: TgUser, *, reading: bool = False) -> None:
    """Before any command, button or text is handled: NotAllowed unless the person is admitted.

    Reads only (a refused press leaves nothing behind, not even the presser's name); one
    indexed SELECT, none once the person is known to be admitted (admission is never undone
    here). Unknown people pass only where they would be admitted on sight (`welcomed`).
    `reading`: the ledger, which an inspector in office may read without being a member."""
    if tg.id in deps.admitted_ids:
        return
    async with deps.db.core() as connection:
        admission = await connection.scalar(
            select(Person.admission).where(Person.telegram_id == tg.id)
        )
    if admission == ADMITTED or (admission is None and welcomed(deps, tg.id)):
        if admission == ADMITTED:
            if len(deps.admitted_ids) >= ADMITTED_CACHE:
                deps.admitted_ids.clear()
            deps.admitted_ids.add(tg.id)
        return
    if admission is not None and await inspectors.inspecting(deps, tg.id):
        if reading:
            return
        raise NotAllowed(inspectors.SAYS)
    raise NotAllowed(says(deps, admission or PENDING))


async def start(deps: Deps, tg: TgUser, invitation: str | None) -> StartResult:
    """/start: register the person; admit them on sight, by an invitation, or ask the office."""
    if invitation is not None:
        from bot.people.invitations import accept  # invitations build on this module

        return await accept(deps, tg, invitation)
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        seen = await session.scalar(select(Person.started_at).where(Person.telegram_id == tg.id))
        person = await upsert(session, tg, now=now, started=True, admission=door(deps, tg.id))
        if person.admission == PENDING and welcomed(deps, tg.id):
            await admit(session, person, now=now, actor_id=None, rule=deps.policy.people.admission)
        elif (
            person.admission == PENDING
            and seen is None
            and deps.policy.people.admission == ("approve")
        ):
            await ask_office(session, person, now)
        person = await reload(session, person.id)
        return StartResult(person=view(person), first_contact=person.locale is None)


async def ask_office(session: AsyncSession, person: Person, now: datetime) -> None:
    """The admission card, to every administrator and the office (R4)."""
    record(
        session,
        at=now,
        actor_id=person.id,
        action="person.admission_requested",
        subject_type="person",
        subject_id=person.id,
        clause="R4",
    )
    deciders: dict[int, Person] = {}
    for role in DECIDERS:
        for p in await people_with_role(session, role, with_grants=False):
            deciders.setdefault(p.id, p)
    buttons = [
        [_button(N_("Admit"), AdmissionAction.ADMIT, person)],
        [_button(N_("Admit into a committee…"), AdmissionAction.CHOOSE_COMMITTEE, person)],
        [_button(N_("Refuse"), AdmissionAction.REFUSE, person)],
    ]
    for decider in deciders.values():
        outbox.notify_person(
            session,
            now=now,
            person=decider,
            template="person.admission",
            params={
                "name": person.display_name,
                "username": person.username or "",
                "language": person.language_code or "",
                "at": now.isoformat(),
            },
            buttons=buttons,
        )


def _button(label: str, action: AdmissionAction, person: Person) -> Button:
    """A button of the admission card that does `action` for `person` (AdmissionButton)."""
    return Button(label, AdmissionButton(action, person.id).pack())


async def admit(
    session: AsyncSession,
    person: Person,
    *,
    now: datetime,
    actor_id: int | None,
    rule: str,
    committee_id: int | None = None,
    **audit: object,
) -> bool:
    """Admit a pending or refused person once (conditional update); False if already admitted."""
    values: dict[str, object] = {"admission": ADMITTED, "updated_at": now}
    if committee_id is not None:
        values["committee_id"] = committee_id
    moved = await _move(session, person, (PENDING, REFUSED), values)
    if moved:
        record(
            session,
            at=now,
            actor_id=actor_id,
            action="person.admitted",
            subject_type="person",
            subject_id=person.id,
            clause="R4",
            rule=rule,
            committee_id=committee_id,
            **audit,
        )
    return moved


async def _move(
    session: AsyncSession, person: Person, frm: tuple[str, ...], values: dict[str, object]
) -> bool:
    result = await session.execute(
        update(Person)
        .where(Person.id == person.id, Person.admission.in_(frm))
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    await session.refresh(person)
    return bool(getattr(result, "rowcount", 0))


async def decider(session: AsyncSession, actor: TgUser, now: datetime) -> PersonView:
    """The acting person, who must be an administrator or the office to decide (R4)."""
    me = await acting(session, actor, now=now)
    if not me.has(*DECIDERS):
        raise NotAllowed(NOT_A_DECIDER)
    return me


async def _pending(session: AsyncSession, person_id: int) -> Person:
    """The person asking to be admitted; AlreadyDone when somebody decided first."""
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("This person is not known to the bot."))
    _still_pending(person)
    return person


def _still_pending(person: Person) -> None:
    if person.admission == ADMITTED:
        raise AlreadyDone(N_("{name} has already been admitted."), name=person.display_name)
    if person.admission == REFUSED:
        raise AlreadyDone(N_("{name} has already been refused."), name=person.display_name)


@dataclass(frozen=True)
class Decision:
    name: str
    admitted: bool
    committee: str | None = None


async def check_pending(
    deps: Deps, actor: TgUser, person_id: int
) -> tuple[str, list[tuple[int, str]]]:
    """Before asking for a committee or a reason: may this person still be decided on, by
    the presser? Their name, and the committees to choose from."""
    async with deps.db.transaction() as session:
        await decider(session, actor, deps.clock.now())
        person = await _pending(session, person_id)
        return person.display_name, await committees.listed(session)


async def decide(
    deps: Deps,
    actor: TgUser,
    person_id: int,
    *,
    admit_: bool,
    committee_id: int | None = None,
    reason: str = "",
) -> Decision:
    """Admit (optionally into a committee, R5) or refuse (optionally with a reason): once."""
    now = deps.clock.now()
    reason = reason.strip()[:500]
    async with deps.db.transaction() as session:
        me = await decider(session, actor, now)
        person = await _pending(session, person_id)
        committee = await session.get(Committee, committee_id) if committee_id else None
        if committee_id is not None and committee is None:
            raise NotFound(N_("This committee no longer exists."))
        if admit_:
            moved = await admit(
                session, person, now=now, actor_id=me.id, rule="approve", committee_id=committee_id
            )
        else:
            moved = await _move(
                session, person, (PENDING,), {"admission": REFUSED, "updated_at": now}
            )
            if moved:
                record(
                    session,
                    at=now,
                    actor_id=me.id,
                    action="person.refused",
                    subject_type="person",
                    subject_id=person.id,
                    clause="R4",
                    reason=reason or None,
                )
        if not moved:  # another decider's update came first
            _still_pending(person)
        outbox.notify_person(
            session,
            now=now,
            person=person,
            template="person.admitted" if admit_ else "person.refused",
            params={
                "by": me.name,
                "note": reason,
                "committee": committee.name if committee else "",
            },
            semantics=Semantics.AT_MOST_ONCE,
        )
        name = person.display_name
    if admit_:
        deps.admitted_ids.add(person.telegram_id)
    return Decision(name, admit_, committee.name if committee else None)


async def seed_members(deps: Deps, cast: list[TgUser]) -> None:
    """Admit a prepared cast before they press Start (the sandbox, a demonstration year)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        for tg in cast:
            person = await upsert(session, tg, now=now, started=False, admission=PENDING)
            await admit(session, person, now=now, actor_id=None, rule="seed")
