"""The regulation's own words in the chat: R1 quoted in /help and /policy; the clauses the bot
deliberately leaves to people (A4) said so in /policy and /ledger A4."""

from __future__ import annotations

from tests.support.bot import Harness
from tests.support.world import MEMBER, OFFICE, tap, world

R1_OPENING = (
    "The regulation (R1): Carry out the decisions, deployments and instructions on ideological "
    "work of the Party Central Committee, the autonomous region, Tongliao and the city Party "
    "committee…"
)
A4 = (
    "A4 is not automated by the bot: Building coordination, survey, analysis and support "
    "mechanisms is the office's own institution-building; the bot does not automate it. "
    "Describe it in the yearly implementation report."
)


async def test_r1_in_help_and_policy_and_a4_in_the_ledger(harness: Harness) -> None:
    s, h = harness.standin, harness
    users = await world(h)
    await users[MEMBER].send("/help")
    member_help = (await s.next_message(MEMBER)).text
    assert member_help.endswith("\n\n" + R1_OPENING)  # no /policy: a member may not open it
    office = users[OFFICE]
    await office.send("/help")
    assert (await s.next_message(OFFICE)).text.endswith(
        R1_OPENING + "\nThe whole clause is shown in /policy."
    )
    await office.send("/policy")
    lines = (await s.next_message(OFFICE)).text.splitlines()
    assert (
        "The regulation (R1): Carry out the decisions, deployments and instructions on "
        "ideological work of the Party Central Committee, the autonomous region, Tongliao and "
        "the city Party committee; hold firmly to the correct political direction; keep "
        "strictly to political, organisational and publicity discipline; resolutely uphold the "
        "authority of the Party Central Committee and stay closely in line with it in thought, "
        "politics and action." in lines
    )
    assert "Not automated (A4): " + A4.split(": ", 1)[1] in lines
    assert (
        "Study materials (R8, P4): Study material on the core socialist values (P4, R8), Films "
        "about model figures (P4), Study material on political sensitivity and discernment (R8)."
        in lines
    )
    await office.send("/ledger A4")
    q = await s.next_message(OFFICE)
    assert q.text == A4 + "\n\nWhich period for A4?"
    await tap(s, office, q, "This year")
    assert q.text.startswith(A4 + "\n\n")
    assert q.text.endswith("No record in this period cites A4.")
