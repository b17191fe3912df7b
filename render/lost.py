"""The alerts to the admins: messages that ended failed or uncertain (bot/outbox/lost.py), a
daily backup that failed (bot/db/daily.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from render.fitting import plain_text
from render.renderer import Notice, Renderer, esc

WHAT_LENGTH = 80  # characters of the lost message's first line that name it


def _what(r: Renderer, item: dict[str, Any]) -> str:
    """The lost message's first line in the reader's language, as plain text."""
    from render.notices import notice  # the catalogue of every notice, this one included

    try:
        first = notice(r, item["template"], item["params"]).strip().splitlines()[0]
    except (KeyError, IndexError, ValueError):  # a template since renamed: its key says enough
        return str(item["template"])
    text = plain_text(first).strip()
    if len(text) <= WHAT_LENGTH:
        return text
    cut = text[: WHAT_LENGTH - 1]
    space = cut.rfind(" ", WHAT_LENGTH - 20)  # a whole word where words have spaces
    return (cut[:space] if space > 0 else cut) + "…"


def _line(r: Renderer, item: dict[str, Any]) -> str:
    what, name = _what(r, item), item["to"] or r.plain("the group")
    if item["status"] == "uncertain":
        line = r(
            "· {name}: “{what}” may not have arrived (the connection broke while it was "
            "being sent).",
            name=name,
            what=what,
        )
    else:
        line = r(
            "· {name}: “{what}” was not delivered ({error}).",
            name=name,
            what=what,
            error=item["error"],
        )
    ref = item["ref"]
    return f"{esc(ref)} {line}" if ref and ref not in what else line


def _lost(r: Renderer, p: dict[str, Any]) -> str:
    items: list[dict[str, Any]] = p["items"]
    more = max(int(p.get("more", 0)), 0)
    total = len(items) + more
    lines = [
        r.plural(
            "{n} message did not reach its recipient:",
            "{n} messages did not reach their recipients:",
            total,
        )
    ]
    lines += [_line(r, item) for item in items]
    if more:
        lines.append(
            r.plural(
                "… and {n} more, each named in the bot's log.",
                "… and {n} more, each named in the bot's log.",
                more,
            )
        )
    lines.append("")
    if any(i["status"] == "uncertain" for i in items):
        lines.append(
            r(
                "What to do: ask the recipient whether it arrived. It is not sent again, "
                "since a second copy (a second “approved”) would mislead; if it did not "
                "arrive, tell them yourself."
            )
        )
    if any(i["status"] != "uncertain" for i in items):
        lines.append(
            r(
                "What to do: tell the recipient yourself; it is not sent again. A "
                "group's message fails when the bot was removed from the group: add it "
                "back and send /setup there."
            )
        )
    return "\n".join(lines)


def _backup_failed(r: Renderer, p: dict[str, Any]) -> str:
    lines = [r("<b>The daily backup failed.</b> The reason: {error}", error=p["error"])]
    if p.get("last"):
        lines.append(
            r(
                "The last complete backup is that of {day}.",
                day=r.t.date(date.fromisoformat(p["last"])),
            )
        )
    else:
        lines.append(r("There is no complete backup yet."))
    lines.append(
        r(
            "What to do: check that the folder {dir} exists, that the bot may write there and that "
            "the disk has room (on PostgreSQL, that pg_dump is installed). The bot tries again "
            "every hour and tells you only once.",
            dir=p["dir"],
        )
    )
    return "\n".join(lines)


NOTICES: dict[str, Notice] = {"outbox.lost": _lost, "backup.failed": _backup_failed}
