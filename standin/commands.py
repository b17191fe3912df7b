"""The sandbox's commands: text goes to the bot as the current person; `:…` lines act."""

from __future__ import annotations

import asyncio
import mimetypes
import shlex
from collections.abc import Awaitable, Callable
from pathlib import Path

from standin.cast import GROUP_ID, PEOPLE, roles_now
from standin.model import Message, SimUser
from standin.screen import Session, button_lines, cards, indent, settle, show_meanwhile

# Reads the next line of input (None at its end); the prompt is for a terminal.
ReadLine = Callable[[str], Awaitable[str | None]]

HELP = """Type a message to send it as the current person in the current chat. Commands:
  :press N      press button N of the newest card (message with buttons) in this chat
  :press C.N    press button N of card C (:cards lists them)
  :cards        the cards in this chat, numbered, with their buttons
  :file PATH    send a document (any file) into this chat; text after the path is its caption
  :photo PATH   send a picture as a photo, the same way
  :paste        send a long text: type or paste it, then a line with a single .
  :forget       Telegram forgets every file sent so far (as after its retention): the bot
                then sends the copies it kept
  :as KEY       act as another person (:people lists them with their roles)
  :in group     write in the organisation group   :in private   back to the private chat
  :reply        the next message replies to the last message of a person in this chat
  :people       who is who                        :quit         stop the sandbox
Documents and photos the bot sends are saved under the sandbox's folder; their path is shown."""


def user(session: Session) -> SimUser:
    """The stand-in's user the sandbox acts as now."""
    return session.standin.users[session.person.user_id]


def _where_now(session: Session) -> str:
    return "group" if session.chat == "group" else "private"


ECHO_MAX = 500  # characters of a long text echoed before it is sent


async def say(session: Session, text: str) -> None:
    """Send `text` as the current person in the current chat (replying, after :reply), and
    show what the bot answers."""
    show_meanwhile(session)
    shown = text if len(text) <= ECHO_MAX else f"{text[:ECHO_MAX]}… ({len(text)} characters)"
    print(f"{session.person.name} ({_where_now(session)}) → " + indent(shown))
    reply_to = None
    if session.reply_next:
        msgs = [m for m in session.standin.messages(session.chat_id) if not m.from_bot]
        reply_to = msgs[-1] if msgs else None
        session.reply_next = False
    chat = GROUP_ID if session.chat == "group" else None
    await user(session).send(text, chat=chat, reply_to=reply_to)
    await settle(session)


async def send_file(session: Session, kind: str, rest: str) -> None:
    """`:file PATH [caption]` / `:photo PATH [caption]`: as a person sends one from their
    phone; the stand-in keeps the bytes and gives the file a file_id the bot can fetch."""
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.split()
    if not words:
        print(f"  (:{kind} needs the path of a file)")
        return
    caption = " ".join(words[1:])
    if kind == "photo" and not (mimetypes.guess_type(words[0])[0] or "").startswith("image/"):
        print(f"  ({words[0]} is not a picture; send it as a document with :file)")
        return
    try:
        name, content = await asyncio.to_thread(_read, words[0])
    except OSError as exc:
        print(f"  (cannot read {words[0]}: {exc.strerror or exc})")
        return
    show_meanwhile(session)
    shown = f"[{'photo' if kind == 'photo' else 'document'}] {name}"
    print(f"{session.person.name} ({_where_now(session)}) → {shown} {caption}".rstrip())
    chat = GROUP_ID if session.chat == "group" else None
    if kind == "photo":
        await user(session).send_photo(content, chat=chat, caption=caption)
    else:
        await user(session).send_document(name, content, chat=chat, caption=caption)
    await settle(session)


def _read(path_text: str) -> tuple[str, bytes]:
    path = Path(path_text).expanduser()
    return path.name, path.read_bytes()


async def paste(session: Session, read: ReadLine) -> None:
    """`:paste`: lines until one with a single `.`, sent as one message (no line limit)."""
    print("  (type or paste the text; end with a line holding a single .)")
    lines: list[str] = []
    while True:
        got = await read("… ")
        if got is None:
            break
        # A terminal's bracketed paste can bring many lines at once.
        chunk = got.splitlines() or [""]
        if "." in chunk:
            lines += chunk[: chunk.index(".")]
            break
        lines += chunk
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        print("  (nothing to send)")
        return
    await say(session, text)


def list_cards(session: Session) -> None:
    """`:cards`: the chat's cards with buttons, numbered, each with its buttons."""
    found = [
        (number, msg)
        for number, msg in enumerate(cards(session.standin, session.chat_id), 1)
        if msg.buttons and not msg.deleted
    ]
    if not found:
        print("  (no cards with buttons in this chat)")
    for number, msg in found:
        first = msg.text.strip().splitlines()[0] if msg.text.strip() else "(no text)"
        print(f"  card {number}: {first[:70]}{'…' * (len(first) > 70)}")
        for line in button_lines(msg.buttons):
            print(line)


async def press(session: Session, arg: str) -> None:
    """`:press N` (newest card) or `:press C.N` (card C)."""
    card_part, dot, button_part = arg.partition(".")
    if not dot:
        card_part, button_part = "", card_part
    if not button_part.isdigit() or (dot and not card_part.isdigit()):
        print("  (:press N or :press CARD.N, e.g. :press 2 or :press 3.1)")
        return
    all_cards = cards(session.standin, session.chat_id)
    if dot:
        number = int(card_part)
        if not 1 <= number <= len(all_cards):
            print(f"  (no card {number} here: :cards lists them)")
            return
        msg = all_cards[number - 1]
        if not msg.buttons or msg.deleted:
            print(f"  (card {number} has no buttons now)")
            return
    else:
        live = [m for m in all_cards if m.buttons and not m.deleted]
        if not live:
            print("  (no buttons here)")
            return
        msg = live[-1]
    flat = [b for row in msg.buttons for b in row]
    index = int(button_part)
    if not 1 <= index <= len(flat):
        print(f"  (choose 1–{len(flat)})")
        return
    await _press_button(session, msg, *flat[index - 1])


async def _press_button(session: Session, msg: Message, label: str, data: str) -> None:
    if data.startswith(("https://", "http://")):
        payload = data.partition("?start=")[2]
        print(f"{session.person.name} opens the link → private chat, /start {payload}")
        session.chat = "private"
        await say(session, f"/start {payload}" if payload else "/start")
        return
    show_meanwhile(session)
    print(f"{session.person.name} presses [{label}]")
    query_id = await user(session).press(msg, callback_data=data)
    await settle(session)
    # A silent answer shows nothing on Telegram either; no answer at all leaves a spinner.
    if all(a.query_id != query_id for a in session.standin.answers):
        print("  (the bot has not answered this press: Telegram would show a spinner)")


async def command(session: Session, line: str, read: ReadLine) -> bool:
    """Handle one line; False to stop."""
    word, _, rest = line.strip().partition(" ")
    if word in (":quit", ":q", ":exit"):
        return False
    if word.startswith(":"):
        action = ACTIONS.get(word)
        if action is None:
            print(HELP)
        else:
            await action(session, rest.strip(), read)
    elif line.strip():
        await say(session, line.strip())
    return True


# One `:word` of HELP: what it does with the rest of the line (and more lines, for :paste).
Action = Callable[[Session, str, ReadLine], Awaitable[None]]


async def _forget(session: Session, rest: str, read: ReadLine) -> None:
    forgotten = list(session.standin.files)
    for file_id in forgotten:
        session.standin.forget_file(file_id)
    print(f"-- the stand-in forgot {len(forgotten)} file(s), as Telegram does after a while")


async def _act_as(session: Session, rest: str, read: ReadLine) -> None:
    if any(p.key == rest for p in PEOPLE):
        session.current = rest
        print(f"-- now acting as {session.person.name}")
    else:
        print(f"  (:as takes one of: {', '.join(p.key for p in PEOPLE)}; :people says who)")


async def _move(session: Session, rest: str, read: ReadLine) -> None:
    if rest in ("group", "private"):
        session.chat = rest
    else:
        print("  (:in group or :in private)")


async def _reply(session: Session, rest: str, read: ReadLine) -> None:
    session.reply_next = True


async def _people(session: Session, rest: str, read: ReadLine) -> None:
    for text in await roles_now(session.deps):
        print(text)


async def _cards(session: Session, rest: str, read: ReadLine) -> None:
    list_cards(session)


ACTIONS: dict[str, Action] = {
    ":press": lambda session, rest, read: press(session, rest),
    ":cards": _cards,
    ":file": lambda session, rest, read: send_file(session, "file", rest),
    ":photo": lambda session, rest, read: send_file(session, "photo", rest),
    ":paste": lambda session, rest, read: paste(session, read),
    ":forget": _forget,
    ":as": _act_as,
    ":in": _move,
    ":reply": _reply,
    ":people": _people,
}
