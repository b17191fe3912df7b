"""The commands people see: in /help (by role) and in Telegram's command menu (both languages)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_
from bot.people.roles import Role


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # msgid
    roles: frozenset[Role] = frozenset()  # empty: everyone
    in_menu: bool = True  # listed in Telegram's command menu


LEADERSHIP = frozenset({Role.SECRETARY, Role.DEPUTY, Role.OFFICE, Role.ADMIN})
RECORDERS = LEADERSHIP  # bot.calendar.meetings.RECORDERS: the office keeps the records (R4)

LEDGER = N_("The ledger: figures, lapses and evidence per clause (R7)")
HELP = N_("What you can do here")
RECORD = N_("The whole record of a report, event request or meeting, by its reference")
FIND = N_(
    "Find reports, event requests and meetings by words, reference, @person, status or period"
)

COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Register and see the welcome")),
    Command("help", HELP),
    Command("language", N_("Choose your language")),
    Command("report", N_("Report an incident or information (L4, A1)")),
    Command("event", N_("Request approval for an event (R6)")),
    Command("my", N_("The status of my reports")),
    Command("find", FIND),
    Command("pending", N_("What waits for me to act")),
    Command("record", RECORD),
    Command("cancel", N_("Leave what you are filling in")),
    Command("calendar", N_("What the regulation's calendar holds: due, open, overdue")),
    Command("ledger", LEDGER),
    Command("meeting", N_("Record a meeting that was held (A2, R2, R3, A3)"), RECORDERS),
    Command("members", N_("People the bot knows, and their roles"), LEADERSHIP),
    Command("policy", N_("The policy in force; an administrator loads a new one"), LEADERSHIP),
    Command("role", N_("Grant or revoke a role"), frozenset({Role.ADMIN}), in_menu=False),
    Command(
        "invite",
        N_("A link that admits a new member (R4)"),
        frozenset({Role.ADMIN, Role.OFFICE}),
        in_menu=False,
    ),
    Command(
        "invitations",
        N_("The invitation links still valid; withdraw one"),
        frozenset({Role.ADMIN, Role.OFFICE}),
        in_menu=False,
    ),
    Command(
        "inspector",
        N_("Let an inspection group member read the ledger for a time (R7)"),
        frozenset({Role.SECRETARY, Role.ADMIN}),
        in_menu=False,
    ),
    Command(
        "acting",
        N_("Name who decides on events while you are away; list and revoke them"),
        frozenset({Role.SECRETARY}),
        in_menu=False,
    ),
    # C: only its keepers learn that it exists; never in Telegram's menu, which everyone sees.
    Command(
        "register",
        N_("The accountability register: record and correct cases (C1–C12)"),
        frozenset({Role.SECRETARY, Role.DEPUTY}),
        in_menu=False,
    ),
    Command(
        "setup",
        N_("In a group: make it the organisation or leadership group"),
        frozenset({Role.ADMIN}),
        in_menu=False,
    ),
)

# What an inspector in office may send (R7): reading, nothing else (bot.people.inspectors).
INSPECTOR_COMMANDS = (
    ("ledger", LEDGER),
    ("record", RECORD),
    ("find", FIND),
    ("help", HELP),
)


def available(roles: frozenset[Role]) -> list[Command]:
    """The commands a person holding `roles` may use, for their command menu and /help."""
    return [c for c in COMMANDS if not c.roles or c.roles & roles]


# The bot's profile (setMyDescription, setMyShortDescription), in each language at start-up: what
# a person reads in the empty chat before pressing Start, and under the bot's name when shared.
DESCRIPTION = N_(
    "Duty Desk carries out the responsibility system for ideological work: report incidents and "
    "information, request approval for events, record meetings, and see what waits for you and "
    "when it falls due. Every step is recorded. Press Start to begin."
)
SHORT_DESCRIPTION = N_(
    "Incidents, event approvals, meetings and deadlines of the responsibility system, recorded."
)
