"""The accountability register (C1–C12): record a case or its correction, read the register.

Only the secretary and the deputy keep it. To anyone else it does not exist: every use case
refuses them with exactly what an unknown command gets (UnknownCommand). Every read is audited
in its own transaction, like every write; nothing here ever updates or deletes a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.service import record
from bot.deps import Deps
from bot.drafts import service as drafts
from bot.errors import AlreadyDone, InvalidInput, NotFound, UnknownCommand
from bot.freetext import clean
from bot.i18n import N_
from bot.people import authority
from bot.people.models import Person
from bot.people.roles import Role
from bot.people.view import PersonView, TgUser, view
from bot.register import rules
from bot.register.models import AccountabilityCase
from bot.register.views import CaseLine, CasesPage, CaseView, Facts, corrected_by, link, view_of

# C: the party group holds its cadres to account; its secretary and deputy keep the register.
KEEPERS = (Role.SECRETARY, Role.DEPUTY)
PAGE_SIZE = 8
SUBJECT = "accountability_case"


@dataclass
class CaseDraft:
    person_id: int
    clause: str
    facts: str
    grade: str
    measures: list[str]
    decided_on: date
    corrects_id: int | None = None  # the entry this one corrects


async def _keeper(session: AsyncSession, actor: TgUser) -> PersonView:
    """The secretary or the deputy (active grants), else UnknownCommand. Reads only: a refusal
    leaves no trace, not even the registration of a stranger."""
    person = await session.scalar(select(Person).where(Person.telegram_id == actor.id))
    me = view(person) if person is not None else None
    if me is None or not authority.holds(me, *KEEPERS):
        raise UnknownCommand()
    return me


async def require_keeper(deps: Deps, actor: TgUser) -> PersonView:
    """The secretary or the deputy (C); to anyone else the register does not exist."""
    async with deps.db.read() as session:
        return await _keeper(session, actor)


def check_decided_on(deps: Deps, decided_on: date) -> None:
    """A case is recorded after it was decided: never a date in the future."""
    if decided_on > deps.clock.now().astimezone(deps.zone).date():
        raise InvalidInput(N_("A decision date cannot be in the future."))


async def check_facts(deps: Deps, actor: TgUser, text: str) -> Facts:
    """The facts as typed: cleaned, with the references that will be linked and those that
    cannot be, so the keeper is told before saving."""
    async with deps.db.read() as session:
        await _keeper(session, actor)
        facts, _, _ = await link(session, clean("facts", text, deps.policy))
        return facts


async def record_case(deps: Deps, actor: TgUser, draft: CaseDraft) -> tuple[CaseView, Facts]:
    """Record a case, or a correction of one (a new entry naming the old). Returns the case
    and its facts with the references that were not found."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _keeper(session, actor)
        measures = rules.check_choices(draft.clause, draft.grade, draft.measures)
        text = clean("facts", draft.facts, deps.policy)
        check_decided_on(deps, draft.decided_on)
        if await session.get(Person, draft.person_id) is None:
            raise NotFound(N_("This person is not known to the bot."))
        facts, incident_ids, event_ids = await link(session, text)
        case = AccountabilityCase(
            person_id=draft.person_id,
            clause=draft.clause,
            facts=text,
            incident_ids=incident_ids,
            event_ids=event_ids,
            grade=draft.grade,
            measures=measures,
            decided_on=draft.decided_on,
            recorded_by_id=me.id,
            recorded_at=now,
            corrects_id=draft.corrects_id,
        )
        if draft.corrects_id is not None:
            await _check_correction(session, case)
        session.add(case)
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="register.recorded",
            subject_type=SUBJECT,
            subject_id=case.id,
            clause=case.clause,
            person_id=case.person_id,
            grade=case.grade,
            measures=measures,
            decided_on=case.decided_on.isoformat(),
            incidents=incident_ids,
            events=event_ids,
        )
        if draft.corrects_id is not None:
            record(
                session,
                at=now,
                actor_id=me.id,
                action="register.corrected",
                subject_type=SUBJECT,
                subject_id=case.id,
                clause=case.clause,
                corrects=draft.corrects_id,
            )
        await drafts.drop(session, me.id)  # in this transaction: never recorded twice
        return await view_of(session, case), facts


async def _check_correction(session: AsyncSession, new: AccountabilityCase) -> None:
    old = await session.get(AccountabilityCase, new.corrects_id)
    if old is None:
        raise NotFound(N_("This entry of the register does not exist."))
    later = await corrected_by(session, old.id)
    if later is not None:  # one chain: the database refuses a second correction too
        raise _corrected_already(old.id, later)
    same = ("person_id", "clause", "facts", "grade", "measures", "decided_on")
    if all(getattr(old, f) == getattr(new, f) for f in same):
        raise InvalidInput(N_("Nothing was changed, so there is nothing to correct."))


def _corrected_already(old: int, new: int) -> AlreadyDone:
    return AlreadyDone(
        N_("Entry #{old} has been corrected by #{new} already; correct that one instead."),
        old=old,
        new=new,
    )


async def cases(deps: Deps, actor: TgUser, page: int) -> CasesPage:
    """The register, newest entry first, a page at a time; the reading is audited."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _keeper(session, actor)
        total = int(await session.scalar(select(func.count(AccountabilityCase.id))) or 0)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = (
            await session.execute(
                select(AccountabilityCase, Person)
                .join(Person, Person.id == AccountabilityCase.person_id)
                .order_by(AccountabilityCase.id.desc())
                .offset(page * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
        ).all()
        ids = [c.id for c, _ in rows]
        corrections = {
            old: new
            for old, new in await session.execute(
                select(AccountabilityCase.corrects_id, AccountabilityCase.id).where(
                    AccountabilityCase.corrects_id.in_(ids)
                )
            )
        }
        record(
            session,
            at=now,
            actor_id=me.id,
            action="register.viewed",
            subject_type=SUBJECT,
            subject_id=None,
            page=page,
            entries=ids,
        )
        lines = [
            CaseLine(c.id, c.decided_on, p.display_name, c.clause, c.grade, corrections.get(c.id))
            for c, p in rows
        ]
        return CasesPage(lines, page, pages, total)


async def case(deps: Deps, actor: TgUser, case_id: int) -> CaseView:
    """One entry with everything it holds and its chain of corrections; the reading is
    audited."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await _keeper(session, actor)
        found = await session.get(AccountabilityCase, case_id)
        if found is None:
            raise NotFound(N_("This entry of the register does not exist."))
        record(
            session,
            at=now,
            actor_id=me.id,
            action="register.viewed",
            subject_type=SUBJECT,
            subject_id=found.id,
            clause=found.clause,
        )
        return await view_of(session, found)


async def to_correct(deps: Deps, actor: TgUser, case_id: int) -> CaseView:
    """The entry a correction starts from (shown again, so its reading is audited): only the
    last entry of a chain can be corrected."""
    found = await case(deps, actor, case_id)
    if found.corrected_by is not None:
        raise _corrected_already(found.id, found.corrected_by)
    return found
