"""Every message fits Telegram's limit: long free text is shortened, never refused,
and it is the free text that gives way, not the lines around it."""

from __future__ import annotations

import contextlib
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.report import summary
from render.fitting import MAX_MESSAGE, fit, unmarked
from render.notices import notice
from render.renderer import Renderer, esc
from standin.html_check import utf16_length, visible_text

CARD = {
    "ref": "INC-2026-0001",
    "kind": "network_security",
    "severity": "major",
    "discovered_at": "2026-11-24T02:00:00+00:00",
    "discovered_precision": "minute",
    "reported_at": "2026-11-24T02:00:00+00:00",
    "ack_due_at": "2026-11-24T02:30:00+00:00",
    "reporter": "Mei",
}
# Free text as people send it: any unicode (emoji count twice), markup characters, long.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=2000
) | st.sampled_from(["<script>alert(1)</script>", "&amp; &lt;b&gt;", "😀" * 2000, "<" * 2000])


@settings(max_examples=60, deadline=None)
@given(what=TEXT, location=TEXT, actions=TEXT, locale=st.sampled_from(["zh_CN", "en"]))
def test_an_incident_card_with_any_text_is_accepted(
    what: str, location: str, actions: str, locale: str
) -> None:
    r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
    params = {**CARD, "what": what, "location": location, "actions_taken": actions}
    text = fit(notice(r, "incident.card", params))
    shown = visible_text(text)  # raises where Telegram would answer "can't parse entities"
    assert 0 < utf16_length(shown) <= MAX_MESSAGE
    full = unmarked(notice(r, "incident.card", params))
    if utf16_length(visible_text(full)) <= MAX_MESSAGE:
        assert text == full  # short enough: untouched
    else:  # the free text gave way; the head and the deadline at the end stay whole
        lines = visible_text(full).splitlines()
        assert shown.startswith(lines[0]) and shown.endswith(lines[-1]), shown[-200:]
        assert "…" in shown


@given(
    sizes=st.lists(st.integers(1, 2000), min_size=3, max_size=3),
    char=st.sampled_from(["x", "字", "😀", "&", "<"]),
    locale=st.sampled_from(["zh_CN", "en"]),
)
def test_submitted_as_survives_the_longest_report(sizes: list[int], char: str, locale: str) -> None:
    """ "what", "where" and "done" up to their limit each: the summary edited at Submit keeps
    its head, every field's label and the line "Submitted as …", and fits."""
    r = Renderer(locale, ZoneInfo("Asia/Shanghai"))
    draft = {
        "kind": "network_security",
        "severity": "major",
        "when": CARD["discovered_at"],
        "what": char * sizes[0],
        "where": char * sizes[1],
        "done": char * sizes[2],
        "attachments": [],
    }
    status = r(
        "Submitted as <b>{ref}</b>. The people responsible have been notified; follow it with /my.",
        ref="INC-2026-0042",
    )
    shown = visible_text(fit(summary(r, draft) + "\n\n" + status))
    assert utf16_length(shown) <= MAX_MESSAGE
    assert shown.endswith(visible_text(status)), shown[-200:]
    for label in ("Kind: {value}", "Discovered: {when}", "Already done: {text}"):
        assert r.t.gettext(label).split("{")[0] in shown


@given(st.text(max_size=6000))
def test_fit_keeps_markup_valid(value: str) -> None:
    html = f"<b>{esc(value)}</b> <i>{esc(value)}</i>"
    shown = visible_text(fit(html))
    assert utf16_length(shown) <= MAX_MESSAGE
    assert shown.startswith(value[:100]) or utf16_length(value[:100]) > MAX_MESSAGE - 1


async def test_the_marks_never_leave_even_without_fit() -> None:
    """A text rendered with a long value and sent on a path that forgot fit: the transport
    takes the marks out, Telegram never sees them."""
    from telegram.request import RequestData
    from telegram.request._requestparameter import RequestParameter

    from runtime.transport import AiohttpRequest

    r = Renderer("en", ZoneInfo("Asia/Shanghai"))
    text = r("What happened: {text}", text="字" * 100)
    assert "\ufdd0" in text
    sent: list[object] = []

    class Session:
        closed = False

        def request(self, method: str, url: str, data: object, **_: object) -> object:
            sent.append(data)
            raise RuntimeError("stop here")

    request = AiohttpRequest()
    request._session = Session()  # type: ignore[assignment]
    data = RequestData([RequestParameter("text", text, None)])
    with contextlib.suppress(RuntimeError):
        await request.do_request("https://x/bot1/sendMessage", "POST", data)
    assert sent == [{"text": unmarked(text)}] and "\ufdd0" not in str(sent)
