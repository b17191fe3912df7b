"""Registration, identity, standing and language of people; each public function is a use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import LOCALES, N_, normalize_language
from bot.outbox import service as outbox
from bot.people import authority, known
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import ADMITTED, PENDING, REFUSED, PersonView, TgUser, view

LOCALE_CACHE = 50_000  # people whose language choice is kept in memory


async def upsert(
    session: AsyncSession, tg: TgUser, *, now: datetime, started: bool, admission: str = ADMITTED
) -> Person:
    """Create or refresh the person behind a Telegram user, inside the caller's transaction.

    `started`: the user wrote to the bot in private, which Telegram only allows after Start.
    `admission`: the standing of a person created now (R4). Updates reach services only through
    the admission gate (`admission.gate`), which lets an unknown person through only where the
    policy admits everybody; callers that know the policy pass it.
    """
    person = await session.scalar(select(Person).where(Person.telegram_id == tg.id))
    fresh = known.names(tg)
    if person is None:
        person = Person(
            telegram_id=tg.id,
            first_name=fresh[0],
            last_name=fresh[1],
            username=fresh[2],
            language_code=fresh[3],
            admission=admission,
            created_at=now,
            updated_at=now,
        )
        session.add(person)
        await session.flush()
        record(session, at=now, action="person.seen", subject_type="person", subject_id=person.id)
    else:
        # A bare id (bootstrap admins from configuration) carries no names: keep what we know.
        kept = (person.first_name, person.last_name, person.username, person.language_code)
        if tg.first_name and fresh != kept:
            person.first_name, person.last_name, person.username, person.language_code = fresh
            person.updated_at = now
    if started and (person.started_at is None or person.blocked_at is not None):
        first_start = person.started_at is None
        person.started_at = person.started_at or now
        person.blocked_at = None
        person.undeliverable_reported_at = None
        person.updated_at = now
        if first_start:
            record(
                session,
                at=now,
                action="person.started",
                subject_type="person",
                subject_id=person.id,
                actor_id=person.id,
            )
        # Messages queued while Telegram would have refused them now go out (nothing lost).
        await outbox.release_held(session, person_id=person.id, now=now)
    return person


async def reload(session: AsyncSession, person_id: int) -> Person:
    """Load a person with their current grants (fresh: grants may have changed this session)."""
    person = await session.scalar(
        select(Person).where(Person.id == person_id).execution_options(populate_existing=True)
    )
    if person is None:
        raise NotFound(N_("This person is not known to the bot."))
    return person


async def acting(session: AsyncSession, tg: TgUser, *, now: datetime) -> PersonView:
    """The person pressing a button or sending a command, with their current roles.

    Anyone who can see a message can press its buttons (rule 5): they may be new to the bot.
    One SELECT when nothing about them needs writing (docs/decisions/006-performance.md: through the
    ORM it was four).
    Only an admitted person acts (R4): the pending and the refused are refused here too.
    """
    return admitted(await current(session, tg, now=now, started=False))


def welcomed(deps: Deps, telegram_id: int) -> bool:
    """Admitted on sight (R4): everybody when the door is open, configured administrators always."""
    return deps.policy.people.admission == "open" or telegram_id in deps.settings.admin_ids


def door(deps: Deps, telegram_id: int) -> str:
    """The standing of a person the bot meets for the first time."""
    return ADMITTED if welcomed(deps, telegram_id) else PENDING


def admitted(person: PersonView) -> PersonView:
    """The person, if the office admitted them (R4); NotAllowed with their standing otherwise."""
    if person.admission == ADMITTED:
        return person
    raise NotAllowed(REFUSED_SAYS if person.admission == REFUSED else PENDING_SAYS)


# R4: what a person who may not act yet is told, whatever they try.
PENDING_SAYS = N_(
    "The office has not admitted you yet. You will be told here as soon as it decides."
)
INVITE_ONLY_SAYS = N_(
    "Only people the office invites can use this bot. Please ask the office for an invitation link."
)
REFUSED_SAYS = N_(
    "The office did not admit you. If you think this is a mistake, please speak to the office."
)


@dataclass(frozen=True)
class StartResult:
    person: PersonView
    first_contact: bool  # no language chosen yet: ask for one


async def start(deps: Deps, tg: TgUser, invitation: str | None = None) -> StartResult:
    """/start in the private chat: register (or welcome back) the person, admitted or asking to
    be (R4); `invitation`: the code of an invitation link."""
    from bot.people import admission  # admission builds on this module

    return await admission.start(deps, tg, invitation)


async def require_admin(
    session: AsyncSession, actor: TgUser, *, now: datetime, refusal: str
) -> PersonView:
    """The acting person, who must be an administrator; NotAllowed(`refusal`) otherwise."""
    me = await acting(session, actor, now=now)
    return authority.require_role(me, (Role.ADMIN,), refusal)


async def identify(deps: Deps, tg: TgUser, *, private: bool) -> PersonView:
    """Who is acting: registers people on their first private message. One SELECT on a bare
    connection when nothing needs writing (every update asks: docs/decisions/006-performance.md),
    else a transaction."""
    async with deps.db.core() as connection:
        rows = (await connection.execute(_WHO, {"telegram_id": tg.id})).all()
    me = known.current(rows, tg, started=private)
    if me is not None:
        return admitted(me)
    async with deps.db.transaction() as session:
        return admitted(await registered(session, tg, now=deps.clock.now(), started=private))


async def member(deps: Deps, tg: TgUser) -> PersonView:
    """identify(), for the start of something only a member may do (a report, a request):
    refused at once to whoever may not act (authority.require_member), before any question."""
    return authority.require_member(await identify(deps, tg, private=True))


_WHO = known.query()
_LOCALE = select(Person.locale).where(Person.telegram_id == bindparam("telegram_id"))


async def current(session: AsyncSession, tg: TgUser, *, now: datetime, started: bool) -> PersonView:
    """identify() inside the caller's transaction: one SELECT when nothing needs writing."""
    if session.new or session.dirty or session.deleted:
        await session.flush()  # a Core SELECT does not flush by itself: let it see this txn's
    rows = (await session.execute(_WHO, {"telegram_id": tg.id})).all()
    return known.current(rows, tg, started=started) or await registered(
        session, tg, now=now, started=started
    )


async def registered(
    session: AsyncSession, tg: TgUser, *, now: datetime, started: bool
) -> PersonView:
    """The ORM way of `current`, for when something is written: register, rename, started."""
    person = await upsert(session, tg, now=now, started=started)
    if "grants" in inspect(person).unloaded:  # new: nothing loaded its grants yet
        person = await reload(session, person.id)
    # Otherwise upsert's own select loaded them in this transaction: current.
    return view(person)


async def locale_for(deps: Deps, tg: TgUser) -> str:
    """The language to answer this person in: their choice, else Telegram's, else the default."""
    if tg.id in deps.chosen_locales:
        chosen = deps.chosen_locales[tg.id]
    else:
        async with deps.db.read() as session:
            chosen = await session.scalar(_LOCALE, {"telegram_id": tg.id})
        if len(deps.chosen_locales) >= LOCALE_CACHE:
            deps.chosen_locales.clear()
        deps.chosen_locales[tg.id] = chosen
    return chosen or normalize_language(tg.language_code, deps.settings.default_locale)


async def set_locale(deps: Deps, tg: TgUser, locale: str) -> PersonView:
    """/language: the person's own choice of language."""
    if locale not in LOCALES:
        raise InvalidInput(N_("This language is not available."))
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        person = await upsert(session, tg, now=now, started=True, admission=door(deps, tg.id))
        if person.locale != locale:
            record(
                session,
                at=now,
                action="person.locale",
                subject_type="person",
                subject_id=person.id,
                actor_id=person.id,
                old=person.locale,
                new=locale,
            )
            person.locale = locale
            person.updated_at = now
        view_ = view(await reload(session, person.id))
    deps.chosen_locales[tg.id] = locale  # after the commit: the choice is kept
    return view_


async def mark_blocked(deps: Deps, person_id: int, *, deleted: bool = False) -> None:
    """Delivery learned the person blocked the bot (a later message from them clears it), or
    that their account was deleted (nothing will reach it again): what is queued for them
    waits, and the office is told which of the two it is."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        person = await session.get(Person, person_id)
        if person is None or (person.deleted_at if deleted else person.blocked_at) is not None:
            return
        if deleted:
            person.deleted_at = now
            person.undeliverable_reported_at = None  # told again: this is news
        else:
            person.blocked_at = now
        await outbox.hold_pending(session, person_id=person_id)
        record(
            session,
            at=now,
            action="person.account_deleted" if deleted else "person.blocked_bot",
            subject_type="person",
            subject_id=person_id,
        )
