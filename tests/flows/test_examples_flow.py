"""What a person reads in a prompt follows today's date and their real standing."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.bot import ADMIN_ID, Harness
from tests.support.world import register, tap


async def test_the_discovery_prompt_and_its_error_give_todays_example(harness: Harness) -> None:
    s = harness.standin
    harness.clock.set(datetime(2027, 3, 15, 1, 47, tzinfo=UTC))  # 09:47 in Shanghai
    mei = s.add_user(1001, "Mei", language_code="en")
    await register(s, mei)
    await mei.send("/report")
    q = await s.next_message(1001)
    await tap(s, mei, q, "Network-security incident")
    await tap(s, mei, q, "Major")
    await mei.send("网站首页被篡改")
    q = await s.next_message(1001)
    assert q.text.endswith("such as 2027-03-15 09:30."), q.text
    await mei.send("someday")
    error = await s.next_message(1001)
    assert error.text == (
        "I could not read that date. Please write it like 2027-03-15 09:30, or only 09:30 for "
        "today."
    )


async def test_an_administrator_is_told_every_standing(harness: Harness) -> None:
    s = harness.standin
    ada = s.add_user(ADMIN_ID, "Ada", language_code="zh-hans")
    await register(s, ada, "中文")
    await ada.send("/help")
    answer = await s.next_message(ADMIN_ID)
    assert answer.text.startswith("您的职务：干部职工、管理员\n"), answer.text
