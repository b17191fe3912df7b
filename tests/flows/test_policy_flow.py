"""Loading a policy through the chat: validated, differences shown, confirmed, audited, kept
across a restart; a broken file changes nothing (PRODUCT.md "Policy")."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from bot.audit.models import AuditEntry
from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import MEMBER, SECRETARY, tap, world

# The harness keeps its door open (tests/conftest.open_door); so does the file it loads.
NEW_POLICY = """
[people]
admission = "open"

[calendar]
send_at = "10:00"

[calendar.dedicated_meetings]
minimum_per_year = 3
"""


async def test_an_admin_loads_a_policy_file(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    admin = users[ADMIN_ID]

    await users[SECRETARY].send("/policy")
    view = await s.next_message(SECRETARY)
    assert view.text.splitlines()[:2] == [
        "Policy in force",
        "The regulation's own values (the default policy).",
    ]
    assert "· Dedicated meetings (R2): at least 2 a year." in view.text.splitlines()
    assert (
        "· Incidents must be acknowledged within (L4): Critical: 15 minutes, Major: 30 minutes, "
        "General: 4 working hours, Information report: 8 working hours." in view.text.splitlines()
    )
    assert "send me the policy file" not in view.text  # only an admin may load one
    assert "· Daily backup: off." in view.text.splitlines()  # unless [backups] sets it

    # A member's file is refused; so is a broken one, which changes nothing.
    await users[MEMBER].send_document("policy.toml", NEW_POLICY.encode())
    assert (await s.next_message(MEMBER)).text == "Only an administrator can load a policy."
    await admin.send_document("broken.toml", b'[calendar]\nsend_at = "07:00"\n')
    assert (await s.next_message(ADMIN_ID)).text == (
        "The policy was not loaded; the one in force stays. What is wrong:\n"
        "broken.toml: calendar.send_at 07:00 is outside working hours 09:00–17:30"
    )
    await admin.send_document("binary.toml", b"\xff\xfe\x00<script>")
    assert (await s.next_message(ADMIN_ID)).text == "The policy file must be UTF-8 text."
    assert h.deps.policy.calendar.send_at == time(9, 30)

    await admin.send_document("org-2027.toml", NEW_POLICY.encode())
    proposal = await s.next_message(ADMIN_ID)
    assert proposal.text == (
        "The policy in org-2027.toml is valid. It changes:\n"
        "calendar.dedicated_meetings.minimum_per_year: 2 → 3\n"
        "calendar.send_at: 09:30:00 → 10:00:00\n"
        "Put it in force?"
    )
    assert await tap(s, admin, proposal, "Put it in force") == ("Done", False)
    assert (
        proposal.text == "The new policy is in force. 2 changes were recorded in the audit trail."
    )
    assert h.deps.policy.calendar.dedicated_meetings.minimum_per_year == 3
    # A double tap applies nothing twice.
    assert await tap(s, admin, proposal, data="1po:ok") == (
        "This policy is no longer waiting for you.",
        True,
    )
    async with h.deps.db.read() as session:
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "policy.load"))
        )
    assert len(entries) == 1 and entries[0].clause == "R7"
    assert entries[0].data["changes"][0] == [
        "calendar.dedicated_meetings.minimum_per_year",
        "2",
        "3",
    ]

    await h.restart()  # the loaded policy survives a restart
    assert h.deps.policy.calendar.send_at == time(10, 0)
    await admin.send("/policy")
    view = await s.next_message(ADMIN_ID)
    assert view.text.splitlines()[1].startswith("Loaded through the chat from org-2027.toml on ")
    assert "· Dedicated meetings (R2): at least 3 a year." in view.text.splitlines()
    assert view.text.endswith(
        "To change it, send me the policy file (.toml). I will show what changes and ask you "
        "to confirm."
    )
    # The same file again: nothing to do.
    await admin.send_document("org-2027.toml", NEW_POLICY.encode())
    assert (await s.next_message(ADMIN_ID)).text == (
        "This policy is the same as the one in force; nothing changes."
    )
