"""What the sandbox prints: everything the bot did, in order, under the action that caused it.

Messages sent, edited and deleted, the answer to every press (toast or alert), documents and
photos saved to the sandbox's folder and printed as their path. Messages with buttons are
*cards*, numbered per chat in the order they appeared, for `:cards` and `:press N.M`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select

from bot.context import AnyApp, deps_of
from bot.deps import Deps
from bot.outbox.models import OutboxMessage, OutboxStatus
from standin.cast import GROUP_ID, PEOPLE, Person
from standin.model import Answer, Event, Message
from standin.standin import StandIn

INDENT = "      "
QUIET = 0.3  # seconds with nothing happening: the bot has finished reacting
SETTLE_LIMIT = 10.0  # at most this long after an action (a group may wait 3 s for its turn)


@dataclass
class Session:
    """The terminal's state: who is typing, where, and how much of the history is printed."""

    standin: StandIn
    app: AnyApp
    folder: Path  # the sandbox's folder: files the bot sends are saved under it
    current: str = "you"
    chat: str = "private"
    reply_next: bool = False
    shown: int = 0  # entries of standin.history printed so far
    saved: dict[str, Path] = field(default_factory=dict)  # file_id -> where it was saved
    # Work an update started and left running (a spreadsheet being made): see track_tasks.
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def deps(self) -> Deps:
        return deps_of(self.app)

    @property
    def person(self) -> Person:
        return next(p for p in PEOPLE if p.key == self.current)

    @property
    def chat_id(self) -> int:
        return GROUP_ID if self.chat == "group" else self.person.user_id

    @property
    def files(self) -> Path:
        return self.folder / "files"


def track_tasks(session: Session) -> None:
    """Note the tasks handlers start for an update (Application.create_task with the update),
    so an action counts as finished only when the work it started has finished too."""
    create = session.app.create_task

    def create_task(
        coroutine: Any, update: object | None = None, *, name: str | None = None
    ) -> asyncio.Task[Any]:
        task = create(coroutine, update, name=name)
        if update is not None:
            session.tasks.add(task)
            task.add_done_callback(session.tasks.discard)
        return task

    setattr(session.app, "create_task", create_task)  # noqa: B010 (mypy: assigning a method)


def where(chat_id: int) -> str:
    """A chat's name on the screen: the group, or the person whose private chat it is."""
    if chat_id == GROUP_ID:
        return "group"
    return next((p.name for p in PEOPLE if p.user_id == chat_id), str(chat_id))


def cards(standin: StandIn, chat_id: int) -> list[Message]:
    """The bot's messages in this chat that have (or had) buttons, in the order they got
    them: card 1 is the oldest, and a card keeps its number."""
    found: dict[int, Message] = {}
    for event in standin.events.get(chat_id, []):
        if event.buttons and event.message.message_id not in found:
            found[event.message.message_id] = event.message
    return list(found.values())


def card_number(standin: StandIn, msg: Message) -> int | None:
    """The message's number among the chat's cards (as :cards lists them), if it is one."""
    ids = [c.message_id for c in cards(standin, msg.chat_id)]
    return ids.index(msg.message_id) + 1 if msg.message_id in ids else None


def button_lines(buttons: list[list[tuple[str, str]]]) -> list[str]:
    """The buttons' labels, numbered across rows as :press counts them, one row a line."""
    lines, number = [], 1
    for row in buttons:
        labels = []
        for label, _data in row:
            labels.append(f"[{number}] {label}")
            number += 1
        lines.append(INDENT + "  ".join(labels))
    return lines


def indent(text: str) -> str:
    """`text` with its later lines indented under the first."""
    return text.replace("\n", "\n" + INDENT)


def show_new(session: Session) -> None:
    """Print what the bot did since the last call, in the order it did it."""
    history = session.standin.history
    while session.shown < len(history):
        entry = history[session.shown]
        session.shown += 1
        if isinstance(entry, Answer):
            if entry.text:
                kind = "alert" if entry.show_alert else "toast"
                print(f"  bot ⟶ {kind}: " + indent(entry.text))
        else:
            _show_event(session, entry)


def show_meanwhile(session: Session) -> None:
    """Before an action: what the bot did on its own since the last one (a reminder, an
    escalation), so that it does not print under the action as if the action caused it."""
    if session.shown < len(session.standin.history):
        print("  (meanwhile)")
        show_new(session)


def _show_event(session: Session, event: Event) -> None:
    msg = event.message
    label = {"sent": "bot", "edited": "bot (edited)", "deleted": "bot (deleted)"}[event.kind]
    number = card_number(session.standin, msg) if event.buttons else None
    card = f" (card {number})" if number else ""
    body = event.text
    if event.kind == "sent" and (msg.document is not None or msg.photo is not None):
        kind = "document" if msg.document is not None else "photo"
        body = f"[{kind}] {save_file(session, msg)}" + (f"\n{event.text}" if event.text else "")
    print(f"  {label} → {where(msg.chat_id)}{card}: " + indent(body))
    if event.kind != "deleted":
        for line in button_lines(event.buttons):
            print(line)


def save_file(session: Session, msg: Message) -> Path:
    """The document or photo the bot sent, saved under the sandbox's folder (once)."""
    s = session.standin
    if msg.document is not None:
        file_id = str(msg.document["file_id"])
        name = str(msg.document.get("file_name") or s.file_names.get(file_id) or "document")
    else:
        assert msg.photo is not None
        file_id = str(msg.photo[-1]["file_id"])
        name = s.file_names.get(file_id) or "photo.jpg"
    if file_id in session.saved:
        return session.saved[file_id]
    session.files.mkdir(parents=True, exist_ok=True)
    name = Path(name).name or "file"
    path, n = session.files / name, 1
    while path.exists():
        n += 1
        path = session.files / f"{Path(name).stem}-{n}{Path(name).suffix}"
    path.write_bytes(s.files.get(file_id, b""))
    session.saved[file_id] = path
    return path


async def settle(session: Session) -> None:
    """Wait until the bot has finished reacting, then print what it did."""
    await wait_quiet(session)
    show_new(session)


async def wait_quiet(session: Session, quiet: float = QUIET, limit: float = SETTLE_LIMIT) -> None:
    """Every update fetched and handled, nothing due in the outbox, and no request for
    `quiet` seconds: what an action caused has all arrived. At most `limit` seconds."""
    s, app = session.standin, session.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    calm_since, count = loop.time(), -1
    while loop.time() < deadline:
        idle = getattr(app, "handover", None)
        busy = (
            count != s.request_count
            or s.in_flight
            or not s.queue.all_delivered()
            or not app.update_queue.empty()
            or session.tasks
            or (idle is not None and not idle.idle.is_set())
        )
        if not busy and loop.time() - calm_since >= quiet:
            if not await _outbox_waiting(session.deps):
                break
            busy = True
        if busy:
            calm_since, count = loop.time(), s.request_count
        await asyncio.sleep(0.05)


async def _outbox_waiting(deps: Deps) -> int:
    """Messages due now that the delivery task has not sent yet (paced ones included)."""
    now = deps.clock.now()
    async with deps.db.read() as session:
        waiting = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                or_(
                    and_(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.not_before <= now,
                    ),
                    OutboxMessage.status == OutboxStatus.SENDING,
                )
            )
        )
    return int(waiting or 0)
