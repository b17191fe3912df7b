"""`dutydesk sandbox`: the real bot against the local stand-in, driven from the terminal.

Interactive when stdin is a terminal; otherwise (or with --script) a scripted walkthrough that
prints the whole conversation. Nothing here reaches Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Update

from bot.app import build_application, on_startup, prepare_database
from bot.config import Settings
from bot.context import AnyApp, deps_of
from bot.people import admission
from bot.people.view import TgUser
from bot.sandbox.model import SimUser
from bot.sandbox.standin import StandIn

TOKEN = "123456789:SANDBOX-not-a-real-token-000000000"
ADMIN_ID = 1001


@dataclass
class Person:
    key: str
    user_id: int
    name: str
    language_code: str
    username: str


PEOPLE = (
    Person("you", ADMIN_ID, "王主任", "zh-hans", "wang_office"),
    Person("li", 1002, "李明", "zh-hans", "li_ming"),
    Person("anna", 1003, "Anna", "en", "anna_k"),
)
GROUP_ID = -1001234567890


@dataclass
class Session:
    """The terminal's state: who is typing, where, and what was printed already."""

    standin: StandIn
    app: AnyApp
    users: dict[str, SimUser] = field(default_factory=dict)
    current: str = "you"
    chat: str = "private"
    reply_next: bool = False
    printed: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def chat_id(self) -> int:
        return GROUP_ID if self.chat == "group" else self.person.user_id

    @property
    def person(self) -> Person:
        return next(p for p in PEOPLE if p.key == self.current)


async def start_all(settings: Settings, port: int) -> tuple[StandIn, AnyApp]:
    standin = StandIn(token=TOKEN, bot_username="dutydesk_sandbox_bot")
    await standin.start(host="127.0.0.1", port=port)
    settings = settings.model_copy(
        update={"telegram_api_url": standin.url, "admin_ids": (ADMIN_ID,)}
    )
    await prepare_database(settings)
    app = build_application(settings, token=TOKEN)
    await app.initialize()
    await on_startup(app)
    # R4: the cast are the office's people, admitted before they first press Start.
    await admission.seed_members(deps_of(app), [
        TgUser(p.user_id, p.name, username=p.username, language_code=p.language_code)
        for p in PEOPLE
    ])  # fmt: skip
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    return standin, app


async def stop_all(standin: StandIn, app: AnyApp) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    await standin.stop()


def run_sandbox(settings: Settings, *, script: bool, port: int) -> int:
    interactive = not script and sys.stdin.isatty()
    with tempfile.TemporaryDirectory(prefix="dutydesk-sandbox-") as tmp:
        db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'sandbox.sqlite3'}"
        settings = settings.model_copy(update={"database_url": db_url, "data_dir": Path(tmp)})
        return asyncio.run(_main(settings, port, interactive))


async def _main(settings: Settings, port: int, interactive: bool) -> int:
    standin, app = await start_all(settings, port)
    session = Session(standin, app)
    for p in PEOPLE:
        session.users[p.key] = standin.add_user(
            p.user_id, p.name, language_code=p.language_code, username=p.username
        )
    standin.add_group(GROUP_ID, "机关工作群", members=list(session.users.values()), supergroup=True)
    print(f"Stand-in for the Bot API at {standin.url} — nothing leaves this machine.\n")
    try:
        if interactive:
            await _interactive(session)
        else:
            await _walkthrough(session)
    finally:
        await stop_all(standin, app)
    return 0


def _show(session: Session, chat_id: int) -> None:
    """Print the bot's messages in this chat not printed yet (edits are shown as new)."""
    for msg in session.standin.messages(chat_id):
        if not msg.from_bot:
            continue
        version = len(msg.edits)
        key = (chat_id, msg.message_id)
        if session.printed.get(key) == version:
            continue
        edited = " (edited)" if key in session.printed else ""
        session.printed[key] = version
        print(f"  bot{edited} → {_where(chat_id)}: " + msg.text.replace("\n", "\n      "))
        number = 1
        for row in msg.buttons:
            labels = []
            for label, _data in row:
                labels.append(f"[{number}] {label}")
                number += 1
            print("      " + "  ".join(labels))


def _where(chat_id: int) -> str:
    if chat_id == GROUP_ID:
        return "group"
    return next((p.name for p in PEOPLE if p.user_id == chat_id), str(chat_id))


async def _settle(session: Session) -> None:
    """Wait until the bot has answered (no getUpdates backlog and a short quiet period)."""
    await asyncio.sleep(0.3)
    with contextlib.suppress(TimeoutError):
        await session.standin.wait_until(lambda: not session.standin.pending_updates(), 5)
    await asyncio.sleep(0.4)
    for chat_id in {session.chat_id, GROUP_ID, *(p.user_id for p in PEOPLE)}:
        _show(session, chat_id)


async def _say(session: Session, text: str) -> None:
    user = session.users[session.current]
    where = "group" if session.chat == "group" else "private"
    print(f"{session.person.name} ({where}) → {text}")
    reply_to = None
    if session.reply_next:
        msgs = [m for m in session.standin.messages(session.chat_id) if not m.from_bot]
        reply_to = msgs[-1] if msgs else None
        session.reply_next = False
    chat = GROUP_ID if session.chat == "group" else None
    await user.send(text, chat=chat, reply_to=reply_to)
    await _settle(session)


async def _press(session: Session, number: int) -> None:
    msgs = [m for m in session.standin.messages(session.chat_id) if m.from_bot and m.buttons]
    if not msgs:
        print("  (no buttons here)")
        return
    flat = [b for row in msgs[-1].buttons for b in row]
    if not 1 <= number <= len(flat):
        print(f"  (choose 1–{len(flat)})")
        return
    label, data = flat[number - 1]
    if data.startswith(("https://", "http://")):
        payload = data.partition("?start=")[2]
        print(f"{session.person.name} opens the link → private chat, /start {payload}")
        session.chat = "private"
        await _say(session, f"/start {payload}" if payload else "/start")
        return
    print(f"{session.person.name} presses [{label}]")
    await session.users[session.current].press(msgs[-1], callback_data=data)
    await _settle(session)


SCRIPT: tuple[str, ...] = (
    ":as you", "/start", ":press 1", "/help",
    ":as anna", "/start", ":press 2",
    ":as li", ":in group", "大家好，我是李明。",
    ":as you", ":in group", ":reply", "/role", ":press 1", ":press 3",
    ":as li", ":in private", "/start", ":press 1", "/help",
    ":as you", "/members", "/language", ":press 2", "/help",
)  # fmt: skip


async def _walkthrough(session: Session) -> None:
    for line in SCRIPT:
        await _command(session, line)


HELP = """Type a message to send it as the current person in the current chat. Commands:
  :press N     press button N of the bot's last message with buttons in this chat
  :as KEY      act as another person: you, li, anna
  :in group    write in the organisation group   :in private   back to the private chat
  :reply       the next message replies to the last message of a person in this chat
  :people      who is who                         :quit         stop the sandbox"""


async def _command(session: Session, line: str) -> bool:
    """Handle one line; False to stop."""
    word, _, rest = line.strip().partition(" ")
    if word in (":quit", ":q", ":exit"):
        return False
    if word == ":press" and rest.strip().isdigit():
        await _press(session, int(rest))
    elif word == ":as" and rest.strip() in session.users:
        session.current = rest.strip()
        print(f"-- now acting as {session.person.name}")
    elif word == ":in" and rest.strip() in ("group", "private"):
        session.chat = rest.strip()
    elif word == ":reply":
        session.reply_next = True
    elif word == ":people":
        for p in PEOPLE:
            print(f"  {p.key:5} {p.name} (@{p.username}, Telegram language {p.language_code})")
    elif word.startswith(":"):
        print(HELP)
    elif line.strip():
        await _say(session, line.strip())
    return True


async def _interactive(session: Session) -> None:
    print(HELP + "\n\nYou are 王主任, an administrator. Try /start.\n")
    loop = asyncio.get_running_loop()
    while True:
        prompt = f"{session.current}@{session.chat}> "
        line = await loop.run_in_executor(None, input, prompt)
        if not await _command(session, line):
            break
