"""The callback context handlers receive: python-telegram-bot's, plus our dependencies."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.deps import Deps

DEPS_KEY = "deps"


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """`ctx.deps` is the one Deps object built at start (settings, database, clock)."""

    @property
    def deps(self) -> Deps:
        return _deps(self.bot_data)


AnyApp = Application[ExtBot[None], Ctx, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def deps_of(app: Application[Any, Any, Any, Any, Any, Any]) -> Deps:
    """The dependencies `bot.app` put into the application's bot_data."""
    return _deps(app.bot_data)


def _deps(bot_data: Any) -> Deps:
    deps = bot_data[DEPS_KEY]
    assert isinstance(deps, Deps)
    return deps
