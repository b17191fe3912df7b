"""Invitations (R4): a t.me link whose code admits whoever opens it, for a number of uses.

The code has 192 random bits (unguessable) and only its SHA-256 is stored. A wrong, used-up,
expired or withdrawn code gets one sentence and writes nothing: guessing costs one indexed
SELECT a try and leaves no trace to fill the database with. Using a code is a conditional
update on the invitation's uses, so the last use is taken once however many press at once.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.audit.service import record
from bot.deps import Deps
from bot.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from bot.i18n import N_
from bot.people.admission import admit, decider
from bot.people.models import Committee, Invitation, Person, RoleGrant
from bot.people.roles import Role
from bot.people.service import StartResult, reload, upsert
from bot.people.view import ADMITTED, PENDING, TgUser, view

log = logging.getLogger(__name__)

PAYLOAD = "join_"  # /start join_<code>: Telegram allows 64 characters of [A-Za-z0-9_-]
CODE_BYTES = 24  # 192 bits, 32 characters
MAX_USES, MAX_DAYS = 100, 90
WRONG = N_("This invitation link is not valid. Please ask the office for a new one.")


def digest(code: str) -> str:
    """What is stored of an invitation code: its SHA-256, never the code itself."""
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class Invite:
    id: int
    code: str | None  # only when just created: it is not kept
    role: str | None
    committee: str | None
    max_uses: int
    uses: int
    expires_at: datetime


def _invite(row: Invitation, code: str | None = None) -> Invite:
    return Invite(
        row.id,
        code,
        row.role,
        row.committee.name if row.committee else None,
        row.max_uses,
        row.uses,
        row.expires_at,
    )


async def create(
    deps: Deps,
    actor: TgUser,
    *,
    role: str | None = None,
    committee: str | None = None,
    uses: int = 1,
    days: int = 7,
) -> Invite:
    """/invite: a new link, for `uses` people within `days` days, optionally with a role or
    into a committee (roles only from an administrator, who alone grants them)."""
    now = deps.clock.now()
    if not 1 <= uses <= MAX_USES or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(N_("An invitation is for 1 to 100 people and 1 to 90 days."))
    if role is not None and role not in set(Role):
        raise InvalidInput(N_("There is no such role."))
    async with deps.db.transaction() as session:
        me = await decider(session, actor, now)
        if role is not None and not me.is_admin:
            raise NotAllowed(N_("Only an administrator can invite somebody into a role."))
        committee_id = None
        if committee is not None:
            committee_id = await session.scalar(
                select(Committee.id).where(Committee.name == committee)
            )
            if committee_id is None:
                raise NotFound(N_("There is no committee called {name}."), name=committee)
        if role == Role.COMMITTEE_HEAD and committee_id is None:
            raise InvalidInput(N_("Choose the committee this person will head."))
        code = secrets.token_urlsafe(CODE_BYTES)
        row = Invitation(
            code_hash=digest(code),
            role=role,
            committee_id=committee_id,
            max_uses=uses,
            uses=0,
            expires_at=now + timedelta(days=days),
            created_by_id=me.id,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        record(
            session,
            at=now,
            actor_id=me.id,
            action="invitation.created",
            subject_type="invitation",
            subject_id=row.id,
            clause="R4",
            role=role,
            committee=committee,
            max_uses=uses,
            expires_at=row.expires_at.isoformat(),
        )
        await session.refresh(row)
        return _invite(row, code)


async def active(deps: Deps, actor: TgUser) -> list[Invite]:
    """/invitations: the links that still admit somebody, newest first."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        await decider(session, actor, now)
        rows = await session.scalars(
            select(Invitation)
            .where(
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
                Invitation.uses < Invitation.max_uses,
            )
            .order_by(Invitation.id.desc())
            .limit(30)
        )
        return [_invite(row) for row in rows]


async def revoke(deps: Deps, actor: TgUser, invitation_id: int) -> Invite:
    """Withdraw a link: whoever opens it afterwards is told so; once (conditional update)."""
    now = deps.clock.now()
    async with deps.db.transaction() as session:
        me = await decider(session, actor, now)
        result = await session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by_id=me.id)
        )
        row = await session.get(Invitation, invitation_id, populate_existing=True)
        if row is None:
            raise NotFound(N_("This invitation no longer exists."))
        if not getattr(result, "rowcount", 0):
            raise AlreadyDone(N_("This invitation was already withdrawn."))
        record(
            session,
            at=now,
            actor_id=me.id,
            action="invitation.revoked",
            subject_type="invitation",
            subject_id=row.id,
            clause="R4",
        )
        return _invite(row)


def _unusable(row: Invitation | None, now: datetime) -> InvalidInput | None:
    """Why a code admits nobody, in one sentence; None when it still admits."""
    if row is None:
        return InvalidInput(WRONG)
    if row.revoked_at is not None:
        return InvalidInput(N_("This invitation was withdrawn by the office."))
    if row.expires_at <= now:
        return InvalidInput(N_("This invitation has expired. Please ask the office for a new one."))
    if row.uses >= row.max_uses:
        return InvalidInput(
            N_("This invitation has already been used. Please ask the office for a new one.")
        )
    return None


async def accept(deps: Deps, tg: TgUser, code: str) -> StartResult:
    """/start join_<code>: admit the person at once (R4), into the invitation's committee or
    role. A code that admits nobody changes nothing; a member's use takes no use."""
    now = deps.clock.now()
    hashed = digest(code)
    async with deps.db.read() as session:
        row = await session.scalar(select(Invitation).where(Invitation.code_hash == hashed))
        standing = await session.scalar(select(Person.admission).where(Person.telegram_id == tg.id))
    problem = _unusable(row, now)
    if problem is not None:
        log.info("invitation refused: %s", problem.key)
        raise problem
    assert row is not None
    if standing == ADMITTED:
        raise AlreadyDone(N_("You are already a member. Send /help to see what you can do."))
    async with deps.db.transaction() as session:
        taken = await session.execute(
            update(Invitation)
            .where(
                Invitation.id == row.id,
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
                Invitation.uses < Invitation.max_uses,
            )
            .values(uses=Invitation.uses + 1)
        )
        if not getattr(taken, "rowcount", 0):  # the last use went to somebody else meanwhile
            fresh = await session.get(Invitation, row.id, populate_existing=True)
            raise _unusable(fresh, now) or InvalidInput(WRONG)
        person = await upsert(session, tg, now=now, started=True, admission=PENDING)
        if not await admit(
            session,
            person,
            now=now,
            actor_id=person.id,
            rule="invite",
            committee_id=row.committee_id,
            invitation=row.id,
        ):
            raise AlreadyDone(N_("You are already a member. Send /help to see what you can do."))
        if row.role is not None:
            session.add(
                RoleGrant(
                    person_id=person.id,
                    role=row.role,
                    granted_at=now,
                    committee_id=row.committee_id if row.role == Role.COMMITTEE_HEAD else None,
                    granted_by_id=row.created_by_id,
                )
            )
            record(
                session,
                at=now,
                actor_id=row.created_by_id,
                action="role.grant",
                subject_type="person",
                subject_id=person.id,
                clause="R4",
                role=row.role,
                invitation=row.id,
            )
        await session.flush()
        person = await reload(session, person.id)
        result = StartResult(person=view(person), first_contact=person.locale is None)
    deps.admitted_ids.add(tg.id)
    return result
