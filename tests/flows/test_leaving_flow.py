"""Leaving, from /members (R4): an admin deactivates a person who left and reactivates them;
what they held moves on, they can no longer act, and a double press decides once."""

from __future__ import annotations

from bot.buttons.people import LeavingAction, LeavingButton
from bot.incidents.service import file_report
from bot.people.view import TgUser
from standin.model import Message
from tests.support.bot import ADMIN_ID, Harness
from tests.support.incidents import draft
from tests.support.world import EMERGENCY, MEMBER, OFFICE, SECRETARY, tap, world


async def test_an_admin_deactivates_and_reactivates_a_person_from_members(
    harness: Harness,
) -> None:
    """R4: from /members, an admin deactivates a person (their work moves on) and brings them
    back."""
    s, h = harness.standin, harness
    users = await world(h)
    admin, eli = users[ADMIN_ID], users[EMERGENCY]
    await file_report(h.deps, TgUser(MEMBER, "Mei", username="mei"), draft())  # Eli handles it
    await s.quiet()
    s.mark_read(*users)
    await admin.send("/members")
    page = await s.next_message(ADMIN_ID)
    await tap(s, admin, page, "Eli · Emergency office")
    assert page.text.startswith("Eli @eli\nRoles: Emergency office")
    await tap(s, admin, page, "Deactivate…")
    assert page.text.startswith("Deactivate Eli? Their roles end, the open work they hold")
    confirm = page.button_data("Yes, deactivate")
    # Only an admin: the secretary pressing the same data is refused, nothing changes.
    assert await tap(s, users[SECRETARY], page, data=confirm) == (
        "Only an administrator can deactivate or reactivate people.",
        True,
    )
    assert await tap(s, admin, page, "Yes, deactivate") == ("Eli is deactivated.", False)
    assert "Deactivated: holds no role, cannot act and cannot be picked." in page.text
    assert page.button_texts() == ["Reactivate"]
    assert await tap(s, admin, page, data=confirm) == ("Eli is already deactivated.", True)
    told = await s.next_message(EMERGENCY)
    assert told.text == (
        "Ada deactivated you: you no longer hold any role here and cannot act. If that is a "
        "mistake, please ask the office."
    )
    handed = await s.next_message(OFFICE)
    assert handed.text.startswith(
        "Eli can no longer act on this report, so it is handed to you. Please see to it."
    )
    await eli.send("/report")
    assert (await s.next_message(EMERGENCY)).text == (
        "You are no longer a member here, so you cannot do this. If that is a mistake, please "
        "ask the office."
    )
    await eli.send("/help")
    assert (await s.next_message(EMERGENCY)).text.endswith(
        "You have been deactivated: you hold no role here and cannot act. If that is a "
        "mistake, please ask the office."
    )
    await admin.send("/members")
    assert "Eli · deactivated" in (await s.next_message(ADMIN_ID)).button_texts()

    assert await tap(s, admin, page, "Reactivate") == (
        "Eli is a member again, without any role.",
        False,
    )
    assert "Roles: member" in page.text and "Deactivate…" in page.button_texts()
    assert await tap(
        s, admin, page, data=LeavingButton(LeavingAction.REACTIVATE, _pid(page)).pack()
    ) == (
        "Eli is an active member.",
        True,
    )
    assert (await s.next_message(EMERGENCY)).text == (
        "Ada reactivated you: you are a member again. Send /help to see what you can do."
    )
    await eli.send("/report")
    assert (await s.next_message(EMERGENCY)).text == "What do you want to report?"


def _pid(page: Message) -> int:
    pressed = LeavingButton.unpack(page.button_data("Deactivate…"))
    assert pressed is not None
    return pressed.person_id
