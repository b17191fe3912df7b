"""The quarterly review made whole (A2): a conclusion, or the reason it was not discussed, for
each of the five areas; a review that leaves areas out is held, incomplete, and never met."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.calendar import meetings, runner
from bot.calendar.models import Meeting
from bot.calendar.view import overview
from bot.clock import MovableClock
from bot.deps import Deps
from bot.errors import InvalidInput
from bot.ledger import service as ledger
from bot.ledger.period import between
from handlers import ledger_render
from render import ledger_words
from render.renderer import Renderer
from tests.support.calendar import CN, local, organisation, outbox
from tests.support.review import review
from tests.support.staff import OFFICE

FIVE = ["theory", "news", "society", "morality", "online"]
NEWS = [["新闻舆论", "News and media opinion"]]


async def start(deps: Deps, clock: MovableClock) -> None:
    clock.set(local(2026, 10, 7, 20, 0))
    await organisation(deps)
    await runner.run(deps)  # the calendar starts here


async def quarter_sent(deps: Deps) -> dict[str, dict[str, object]]:
    return {
        m.params["key"]: m.params
        for m in await outbox(deps, "calendar.quarter")
        if m.chat_id == -100
    }


async def news_left_out(deps: Deps, clock: MovableClock) -> list[str]:
    """Q4 2026's review on 20 November, with news opinion not discussed; the other areas."""
    await start(deps, clock)
    clock.set(local(2026, 11, 20, 16, 0))
    others = [k for k in FIVE if k != "news"]
    draft = review(date(2026, 11, 20), others, {"news": "时间不足"})
    await meetings.record_meeting(deps, OFFICE, draft)
    return others


async def test_conclusions_are_kept_per_area(deps: Deps, clock: MovableClock) -> None:
    await start(deps, clock)
    clock.set(local(2026, 11, 20, 16, 0))
    draft = review(
        date(2026, 11, 20),
        ["theory", "society", "morality", "online"],
        {"news": "本季度无相关情况"},
    )
    await meetings.record_meeting(deps, OFFICE, draft)
    async with deps.db.read() as s:
        meeting = (await s.scalars(select(Meeting))).one()
    assert meeting.topics == ["theory", "society", "morality", "online"]
    assert list(meeting.conclusions) == FIVE  # in the policy's order
    assert meeting.conclusions["news"] == {"not_discussed": "本季度无相关情况"}
    assert meeting.conclusions["theory"] == {"conclusion": "theory：总体平稳"}
    # Every area answered, none both ways, at least one concluded.
    for concluded, left in ((["theory"], {}), (["theory"], {"theory": "x"}), ([], {})):
        with pytest.raises(InvalidInput):
            await meetings.record_meeting(deps, OFFICE, review(date(2026, 11, 20), concluded, left))


async def test_an_incomplete_review_keeps_the_reminders_for_its_missing_areas(
    deps: Deps, clock: MovableClock
) -> None:
    await news_left_out(deps, clock)
    clock.set(local(2026, 12, 2, 9, 30))  # 30 days before the quarter ends
    await runner.run(deps)
    sent = await quarter_sent(deps)
    assert sent["A2:2026-Q4:d30"]["missing"] == NEWS
    view = await overview(deps)
    assert [i.get("missing") for i in view.open if i["obligation"] == "quarter"] == [NEWS]
    clock.set(local(2026, 12, 22, 9, 30))  # 10 days before: still missing
    await runner.run(deps)
    assert (await quarter_sent(deps))["A2:2026-Q4:d10"]["missing"] == NEWS
    # The quarter ends incomplete: a lapse that says so, and the ledger marks it.
    clock.set(local(2027, 1, 4, 9, 30))
    await runner.run(deps)
    assert (await quarter_sent(deps))["A2:2026-Q4:lapse"]["missing"] == NEWS
    book = await ledger.build(deps, OFFICE, between(date(2026, 10, 1), date(2026, 12, 31), CN))
    q4 = next(o for o in book.obligations if o.clause == "A2")
    assert (q4.held, q4.state, q4.missing) == (1, "short", tuple(map(tuple, NEWS)))
    assert [(lp.code, lp.subject) for lp in book.lapses if "A2" in lp.clauses] == [
        ("quarter_review_incomplete", "2026-Q4")
    ]
    # The ledger's words: held, incomplete, never met; the lapse names the missing area.
    zh = Renderer("zh_CN", CN)
    text = ledger_render.summary(zh, book)
    assert "  2026年第四季度：已召开，研判不完整；无研判结论的领域：新闻舆论" in text.splitlines()
    lapse = next(lp for lp in book.lapses if "A2" in lp.clauses)
    assert ledger_words.lapse_text(zh, lapse) == (
        "2026年第四季度：季度分析研判已召开，研判不完整；无研判结论的领域：新闻舆论（A2）"
    )


async def test_a_second_review_of_the_missing_areas_completes_the_quarter(
    deps: Deps, clock: MovableClock
) -> None:
    others = await news_left_out(deps, clock)
    clock.set(local(2026, 12, 4, 16, 0))
    again = review(date(2026, 12, 4), ["news"], {k: "上次已分析" for k in others})
    await meetings.record_meeting(deps, OFFICE, again)
    clock.set(local(2026, 12, 22, 9, 30))
    await runner.run(deps)
    clock.set(local(2027, 1, 4, 9, 30))
    await runner.run(deps)
    assert "A2:2026-Q4:d10" not in await quarter_sent(deps)
    assert "A2:2026-Q4:lapse" not in await quarter_sent(deps)
    book = await ledger.build(deps, OFFICE, between(date(2026, 10, 1), date(2026, 12, 31), CN))
    q4 = next(o for o in book.obligations if o.clause == "A2")
    assert (q4.held, q4.state, q4.missing) == (2, "met", ())
    assert not [lp for lp in book.lapses if "A2" in lp.clauses]
