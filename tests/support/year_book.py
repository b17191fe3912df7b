"""The ledger of the sample year (standin/ledger_year.py) as a reader sees it."""

from __future__ import annotations

from bot.clock import MovableClock
from bot.deps import Deps
from bot.ledger import service as ledger
from bot.ledger.period import chosen
from bot.people.view import TgUser
from standin.ledger_year import CN, OU, a_year, at


async def year_book(
    deps: Deps, clock: MovableClock, reader: TgUser = OU, export: bool = False
) -> ledger.Ledger:
    await a_year(deps, clock)
    clock.set(at(1, 10, year=2027))
    return await ledger.build(deps, reader, chosen("last_year", clock.now(), CN), export=export)
