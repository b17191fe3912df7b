"""The roles of the regulation (R4) and what each may do. Pure: no database, no Telegram."""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import N_


class Role(StrEnum):
    # R4: party group leads (secretary, deputy), office coordinates, committees each do their part.
    SECRETARY = "secretary"  # L1, R2: first responsible person
    DEPUTY = "deputy"  # L2: direct responsible person, first step of every escalation
    OFFICE = "office"  # R4: organises, coordinates, keeps the records
    EMERGENCY_OFFICE = "emergency_office"  # L4: handles network-security incidents
    COMMITTEE_HEAD = "committee_head"  # L3, R5: one committee and its staff
    ADMIN = "admin"  # sets the bot up: groups, roles, policy


# Short codes for button data (64-byte limit): never change a code once released.
ROLE_CODES: dict[Role, str] = {
    Role.SECRETARY: "sec",
    Role.DEPUTY: "dep",
    Role.OFFICE: "off",
    Role.EMERGENCY_OFFICE: "emg",
    Role.COMMITTEE_HEAD: "chd",
    Role.ADMIN: "adm",
}
ROLES_BY_CODE: dict[str, Role] = {code: role for role, code in ROLE_CODES.items()}

ROLE_NAMES: dict[Role, str] = {
    Role.SECRETARY: N_("Secretary"),
    Role.DEPUTY: N_("Deputy secretary"),
    Role.OFFICE: N_("Office"),
    Role.EMERGENCY_OFFICE: N_("Emergency office"),
    Role.COMMITTEE_HEAD: N_("Committee head"),
    Role.ADMIN: N_("Administrator"),
}

# The order in which roles are listed to people: the regulation's order of responsibility.
ROLE_ORDER: tuple[Role, ...] = (
    Role.SECRETARY,
    Role.DEPUTY,
    Role.OFFICE,
    Role.EMERGENCY_OFFICE,
    Role.COMMITTEE_HEAD,
    Role.ADMIN,
)

# Roles only one person should hold at a time; granting one to somebody else is refused until
# the current holder's is revoked, so the first responsible person is never ambiguous (L1).
SINGLE_HOLDER: frozenset[Role] = frozenset({Role.SECRETARY})
