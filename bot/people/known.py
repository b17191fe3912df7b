"""The person behind a Telegram user, read with one statement (docs/decisions/006-performance.md).

Every update asks who is acting. Through the ORM that was two statements (the person, then
their grants) and object bookkeeping, for a row that almost never changes. Here one SELECT
joins the person, their committee, their active grants and the grants' committees; when
nothing needs writing (names as Telegram sends them, started and not blocked where that
matters) the view is built from those rows and nothing else runs. Otherwise the caller goes
the ORM way (`service.upsert`), which registers and records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, select

from bot.people.models import Committee, Person, RoleGrant
from bot.people.roles import Role
from bot.people.view import PersonView, TgUser

# Core tables, not ORM entities: the statement compiles without the ORM's layer
# (docs/decisions/006-performance.md).
_people = Person.__table__
_grants = RoleGrant.__table__
_own_committee = Committee.__table__.alias("own_committee")
_grant_committee = Committee.__table__.alias("grant_committee")


def query() -> Select[*tuple[Any, ...]]:
    """One row per active grant (one row with NULL grant columns when there is none), for the
    bound parameter `telegram_id`. Built once by its callers, which may add columns and outer
    joins of their own (drafts): building a statement and its cache key costs more than
    running it (the bench's profile, docs/decisions/006-performance.md)."""
    p = _people.c
    columns = [
        p.id,
        p.telegram_id,
        p.first_name,
        p.last_name,
        p.username,
        p.language_code,
        p.locale,
        p.started_at,
        p.blocked_at,
        p.committee_id,
        p.deactivated_at,
        p.admission,
        _own_committee.c.name.label("committee"),
        _grants.c.role,
        _grant_committee.c.name.label("grant_committee"),
    ]
    return (
        select(*columns)
        .select_from(_people)
        .outerjoin(_own_committee, _own_committee.c.id == p.committee_id)
        .outerjoin(_grants, and_(_grants.c.person_id == p.id, _grants.c.revoked_at.is_(None)))
        .outerjoin(_grant_committee, _grant_committee.c.id == _grants.c.committee_id)
        .where(p.telegram_id == bindparam("telegram_id"))
        .order_by(_grants.c.id)
    )


def names(tg: TgUser) -> tuple[str, str | None, str | None, str | None]:
    """What Telegram says about the user, as the people table keeps it."""
    username = tg.username.lower() if tg.username else None
    last = tg.last_name[:128] if tg.last_name else None
    return tg.first_name[:128], last, username, tg.language_code


def current(rows: Sequence[Row[Any]], tg: TgUser, *, started: bool) -> PersonView | None:
    """The person from `query`'s rows, or None when there is none or a write is due: new,
    renamed (a bare id carries no names and renames nothing), or writing in private for the
    first time or after blocking the bot."""
    if not rows:
        return None
    p = rows[0]
    known = (p.first_name, p.last_name, p.username, p.language_code)
    if tg.first_name and names(tg) != known:
        return None
    if started and (p.started_at is None or p.blocked_at is not None):
        return None
    grants = [(r.role, r.grant_committee) for r in rows if r.role is not None]
    return PersonView(
        id=p.id,
        telegram_id=p.telegram_id,
        name=Person.name_of(p.first_name, p.last_name, p.username, p.telegram_id),
        username=p.username,
        locale=p.locale,
        started=p.started_at is not None,
        roles=frozenset(Role(role) for role, _ in grants),
        committees_headed=tuple(
            sorted(c for role, c in grants if role == Role.COMMITTEE_HEAD and c is not None)
        ),
        committee=p.committee,
        committee_id=p.committee_id,
        active=p.deactivated_at is None,
        admission=p.admission,
    )
