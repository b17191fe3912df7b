"""Free text as people type it: the one place it is cleaned and measured before it is kept.

Every free-text step of every flow, and every service that keeps free text, passes it through
`clean(field, value, policy)`: the same field, the same limit and the same answer at the step
and at Submit. Text that is only read (a date, a number, a @username) goes through `normalise`.

Cleaning: NFC; line breaks unified; control characters (U+0000 included: PostgreSQL refuses it
in text) and zero-width or invisible characters removed, except a zero-width joiner inside an
emoji sequence and the tag characters of a flag, which carry meaning. What is left with nothing
visible is refused, naming the field. No database, no Telegram.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.i18n import N_, Term
from bot.policy.schema import Policy

ZWJ = "\u200d"
# Blank letters and symbols people use to send "invisible" text; not zero-width by category.
_BLANKS = frozenset("\u034f\u115f\u1160\u180e\u2800\u3164\uffa0")
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"})


def _emoji(char: str) -> bool:
    """A pictograph, or what continues one (a skin tone, the emoji presentation selector)."""
    return unicodedata.category(char) in ("So", "Sk") or char == "\ufe0f"


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def normalise(value: str | None, *, multiline: bool = True) -> str:
    """`value` in NFC without control or invisible characters, trimmed; one line unless
    `multiline` (then line breaks are kept: they carry meaning in a description)."""
    text = unicodedata.normalize("NFC", value or "")
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    out: list[str] = []
    for i, char in enumerate(text):
        kept = _kept(char, out, text[i + 1 : i + 2], multiline)
        if kept:
            out.append(kept)
    cleaned = "".join(out)
    if not multiline:
        return " ".join(cleaned.split())
    lines = [line.rstrip() for line in cleaned.split("\n")]
    return "\n".join(lines).strip()


def _kept(char: str, out: list[str], following: str, multiline: bool) -> str:
    """What `char` becomes after what is kept so far (`out`): itself, a space, or "" (dropped)."""
    code = ord(char)
    if char in ("\n", "\t"):
        return "\n" if multiline and char == "\n" else " "
    if char == ZWJ:  # 👨‍👩‍👧: kept between two pictographs, nowhere else
        return char if out and _emoji(out[-1]) and following and _emoji(following) else ""
    if 0xE0020 <= code <= 0xE007F:  # tags spell a flag after 🏴, nothing alone
        after_flag = bool(out) and (out[-1] == "\U0001f3f4" or 0xE0020 <= ord(out[-1]) <= 0xE007F)
        return char if after_flag else ""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs") or char in _BLANKS or _noncharacter(code):
        return ""
    if 0xFE00 <= code <= 0xFE0F and not (out and not out[-1].isspace()):
        return ""  # a variation selector varies the character before it, or nothing
    return char


def visible(text: str) -> bool:
    """Whether anything in `text` can be seen (not only spaces, marks or format characters)."""
    return any(unicodedata.category(c) not in _INVISIBLE for c in text)


Limit = Callable[[Policy], int]


def _max_text(policy: Policy) -> int:
    return policy.incidents.max_text


def _fixed(n: int) -> Limit:
    return lambda _policy: n


@dataclass(frozen=True)
class Field:
    name: str  # msgid: how the person knows the field
    limit: Limit  # characters, from the policy or fixed by the column that keeps it
    multiline: bool = True


# THE table of free-text fields: the step that asks and the service that keeps both read it.
FIELDS: dict[str, Field] = {
    # /report
    "what": Field(N_("What happened"), _max_text),
    "where": Field(N_("Where"), _max_text),
    "done": Field(N_("Already done"), _max_text),
    # the incident card's texts
    "update": Field(N_("Progress update text"), _max_text),
    "upward_to": Field(N_("Reported to"), _fixed(200), multiline=False),
    "upward_what": Field(N_("What was reported"), _max_text),
    "close": Field(N_("Closing summary"), _max_text),
    # records that grow (bot/incidents/additions.py, changes.py)
    "addition": Field(N_("Addition to the report"), _max_text),
    "severity_reason": Field(N_("Reason for the change of severity"), _fixed(1000)),
    "reopen_reason": Field(N_("Reason for reopening"), _fixed(1000)),
    # /event (R6)
    "title": Field(N_("Title"), lambda p: p.events.max_title, multiline=False),
    "venue": Field(N_("Venue"), _fixed(300), multiline=False),
    "speaker_name": Field(N_("Speaker's name"), _fixed(100), multiline=False),
    "speaker_affiliation": Field(N_("Speaker's affiliation"), _fixed(200), multiline=False),
    "outline": Field(N_("Outline"), _max_text),
    # the event card's texts
    "reject": Field(N_("Reason for not approving"), _max_text),
    "changes": Field(N_("Changes requested"), _max_text),
    "cancel": Field(N_("Reason for cancelling"), _max_text),
    "filing_ref": Field(N_("Filing reference"), _fixed(64), multiline=False),
    # /meeting, /register, committees
    "subject": Field(N_("Meeting subject"), _fixed(200), multiline=False),
    "minutes": Field(N_("Minutes"), _max_text),
    "conclusion": Field(N_("Conclusion"), _max_text),  # A2: per area of the quarterly review
    "reason": Field(N_("Reason not discussed"), _max_text),
    "facts": Field(N_("Facts"), _max_text),
    "committee": Field(N_("Committee name"), _fixed(64), multiline=False),
    # a file's name or a photo's caption, kept with the attachment
    "file_name": Field(N_("File name"), _fixed(256), multiline=False),
}


def limit_of(field: str, policy: Policy) -> int:
    """The most characters `field` may hold under `policy`."""
    return FIELDS[field].limit(policy)


def clean(field: str, value: str | None, policy: Policy, *, required: bool = True) -> str:
    """The text to keep for `field`, or InvalidInput naming the field: empty once cleaned
    (unless not `required`: then "" is kept), or longer than the field's limit."""
    spec = FIELDS[field]
    text = normalise(value, multiline=spec.multiline)
    if not visible(text):
        if not required:
            return ""
        raise InvalidInput(
            N_(
                "“{field}” cannot be empty: invisible and control characters are not kept. "
                "Please type some text."
            ),
            field=Term(spec.name),
        )
    limit = spec.limit(policy)
    if len(text) > limit:
        raise InvalidInput(
            N_(
                "“{field}” is too long: {length} characters, at most {limit} fit. "
                "Please shorten it."
            ),
            field=Term(spec.name),
            length=len(text),
            limit=limit,
        )
    return text


def attachment_name(value: str | None) -> str | None:
    """A file's name or a photo's caption as kept with an attachment: cleaned, cut to fit."""
    text = normalise(value, multiline=False)[:256]
    return text if visible(text) else None
