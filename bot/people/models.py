"""People, committees and role grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base


class Committee(Base):
    """A working committee (R5); its head is responsible for it and its staff (L3)."""

    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class Person(Base):
    """Somebody the bot knows: registered by /start, or met in a group before that."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    last_name: Mapped[str | None] = mapped_column(String(128))
    # Lower-cased, without "@", for /role @username look-ups.
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    # Telegram's language_code as last seen; `locale` is the person's own choice and wins.
    language_code: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    # R4: pending (waits for the office), admitted (a member) or refused; only admitted people
    # may act, be picked or be counted. Changed only by a conditional update (decided once).
    admission: Mapped[str] = mapped_column(
        String(16), default="admitted", server_default="admitted"
    )
    # Set when the person pressed Start: before that Telegram refuses our messages (403).
    started_at: Mapped[datetime | None]
    # Set when delivery learns the person blocked the bot; cleared when they write again.
    blocked_at: Mapped[datetime | None]
    # Set when Telegram answers that the account was deleted ("user is deactivated"): unlike a
    # block, nothing will ever reach it again.
    deleted_at: Mapped[datetime | None]
    # When the office was told that messages to this person cannot be delivered; cleared when
    # the person writes to the bot again, so a later problem is reported again (once).
    undeliverable_reported_at: Mapped[datetime | None]
    # Set when an admin deactivated the person (they left, moved post): no roles, no acting, no
    # picking; their name stays on every record. Cleared when they are reactivated.
    deactivated_at: Mapped[datetime | None]
    deactivated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="person",
        primaryjoin="and_(Person.id == RoleGrant.person_id, RoleGrant.revoked_at.is_(None))",
        viewonly=True,
        lazy="selectin",
    )
    committee: Mapped[Committee | None] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.deactivated_at is None

    @property
    def display_name(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.username, self.telegram_id)

    @staticmethod
    def name_of(first: str, last: str | None, username: str | None, telegram_id: int) -> str:
        name = " ".join(p for p in (first, last) if p).strip()
        if name:
            return name
        return f"@{username}" if username else str(telegram_id)


class RoleGrant(Base):
    """One role held by one person, from grant to revocation; never deleted (audit)."""

    __tablename__ = "role_grants"
    __table_args__ = (Index("ix_role_grants_active", "role", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    granted_at: Mapped[datetime]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(foreign_keys=[person_id], back_populates="grants")
    committee: Mapped[Committee | None] = relationship(lazy="joined")


class Invitation(Base):
    """A link that admits whoever opens it (R4), for a number of uses until it expires.

    Only the SHA-256 of its code is kept: whoever reads the database cannot use a link."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str | None] = mapped_column(String(32))
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    max_uses: Mapped[int]
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None]

    committee: Mapped[Committee | None] = relationship(lazy="joined")


class InspectorGrant(Base):
    """An inspection group member may read the ledger (R7, C) from `valid_from` until
    `valid_until`, optionally only the records of `period_first`–`period_last`; nothing else.
    It ends by itself: every reading checks the time."""

    __tablename__ = "inspector_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    period_first: Mapped[str | None] = mapped_column(String(10))  # ISO dates, organisation's zone
    period_last: Mapped[str | None] = mapped_column(String(10))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    granted_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
