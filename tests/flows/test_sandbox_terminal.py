"""The sandbox's terminal (`dutydesk sandbox`) against the real bot: what a newcomer types and
what they see. Telegram's pacing is on, as in the sandbox, so what an action causes arrives
over a second or more and must still print under that action."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import MovableClock
from bot.config import Settings
from bot.context import deps_of
from bot.db.engine import Database
from bot.incidents.sweep import sweep
from bot.people import service as people
from bot.people.view import TgUser
from runtime.pacing import Pacer
from standin import cast
from standin.commands import command
from standin.screen import Session, track_tasks, wait_quiet
from tests.support.bot import ADMIN_ID, start_bot, stop_bot
from tests.support.standin_reading import ReadingStandIn

ZHOU, EMERG, DEP, OFFICE = (cast.person(k) for k in ("zhou", "emerg", "dep", "office"))


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the sandbox's own database


@pytest.fixture
async def session(
    standin: ReadingStandIn, db: Database, settings: Settings, clock: MovableClock, tmp_path: Path
) -> AsyncIterator[Session]:
    """The sandbox's cast, seeded as the sandbox seeds it; the people these tests follow
    read English."""
    app = await start_bot(standin, db, settings, clock, pacer=Pacer())
    s = Session(standin, app, tmp_path / "sandbox")
    track_tasks(s)
    cast.add_to_standin(standin)
    await cast.seed(deps_of(app), admin=TgUser(ADMIN_ID, "Ada"))
    for p in (ZHOU, EMERG, DEP, OFFICE):
        await people.set_locale(deps_of(app), p.tg, "en")
    await wait_quiet(s, limit=30)
    s.shown = len(standin.history)
    yield s
    await stop_bot(app)


async def play(s: Session, capsys: pytest.CaptureFixture[str], *lines: str) -> str:
    """Type the lines (`:paste` reads the ones after it); what the terminal printed."""
    capsys.readouterr()
    queue = list(lines)

    async def read(prompt: str) -> str | None:
        return queue.pop(0) if queue else None

    while queue:
        await command(s, queue.pop(0), read)
    return capsys.readouterr().out


REPORT = (
    ":as zhou",
    "/report",
    ":press 1",
    ":press 1",
    "Portal defaced",
    ":press 1",
    "The portal",
    "Disconnected it",
)


async def test_a_report_with_a_document_then_cards_pressed_by_number(
    session: Session, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes("情况说明: the portal was defaced".encode())
    out = await play(session, capsys, *REPORT, f":file {note} What we saw")
    assert "周芳 (private) → [document] note.txt What we saw" in out
    assert "1 file received." in out  # the bot took it as a person's upload

    # Submit: the toast, then everything it caused, under it, though the pacing spaces it
    # out over seconds (each handler's card, then the document it forwards).
    out = await play(session, capsys, ":press 1", ":press 1")
    submitted = out[out.index("周芳 presses [Submit]") :]
    assert "  bot ⟶ toast: Submitted as INC-2026-0001." in submitted
    saved = session.folder / "files" / "note.txt"
    for name in ("赵磊", "刘晓红"):
        assert f"  bot → {name} (card 1): A report needs your attention." in submitted
        assert f"  bot → {name}: [document] {saved}" in submitted
    assert saved.read_bytes() == note.read_bytes()  # the very file 周芳 sent

    # The handler's cards, by number; the pressed card shows the report as it stands; an alert
    # for a press that changes nothing (the deputy's card, after 赵磊 acknowledged).
    out = await play(session, capsys, ":as emerg", ":cards", ":press 1.1", ":cards")
    assert "  card 1: A report needs your attention." in out
    assert "      [1] Acknowledge  [2] Add update" in out
    first = out.split("赵磊 presses [Acknowledge]")[1]
    assert "  bot ⟶ toast: You acknowledged INC-2026-0001." in first
    assert "  bot → 周芳: Your report INC-2026-0001 has been acknowledged" in first
    assert "      [1] Add update" in first  # the spent button is gone from the card
    out = await play(session, capsys, ":as dep", ":press 1.1")
    second = out.split("刘晓红 presses [Acknowledge]")[1]
    assert "  bot ⟶ alert: " in second and "already acknowledged INC-2026-0001" in second


async def test_cards_keep_their_numbers_and_wrong_numbers_are_explained(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    out = await play(session, capsys, *REPORT[:5])
    assert "  bot → 周芳 (card 1): What do you want to report?" in out
    assert "  bot → 周芳 (card 2): When was it discovered?" in out
    out = await play(session, capsys, ":cards")
    assert out.index("  card 1: ") < out.index("  card 2: When was it discovered?")
    out = await play(session, capsys, ":press 7.1", ":press 2.9", ":press x", ":press 2.1")
    assert "(no card 7 here: :cards lists them)" in out
    assert "(choose 1–5)" in out
    assert "(:press N or :press CARD.N" in out
    assert "周芳 presses [Just now]" in out
    assert "  bot (edited) → 周芳 (card 2): Where? Name the system, platform or place." in out

    # A newcomer's language card loses its buttons once used; its number says so.
    out = await play(session, capsys, ":as anna", "/start", ":press 2", ":press 1.1")
    assert "  bot → Anna (card 1): Welcome to Duty Desk, Anna." in out
    assert "  bot ⟶ toast: Language saved." in out
    assert "(card 1 has no buttons now)" in out


async def test_paste_sends_a_long_text_as_one_message(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    long_line = "长" * 3000
    out = await play(
        session,
        capsys,
        *REPORT[:4],
        ":paste",
        "First line",
        long_line,
        "  indented",
        ".",
        "/cancel",
    )
    sent = [m for m in session.standin.messages(ZHOU.user_id) if not m.from_bot]
    assert sent[-2].text == f"First line\n{long_line}\n  indented"
    assert "at most 2000 fit" in out  # the bot had all of it to count


async def test_photos_both_ways(
    session: Session, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    picture = tmp_path / "scene.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "scene.txt").write_text("words")
    out = await play(
        session, capsys, *REPORT, f":photo {tmp_path / 'scene.txt'}", f":photo {picture}"
    )
    assert "scene.txt is not a picture; send it as a document with :file" in out
    assert "周芳 (private) → [photo] scene.png" in out
    assert "1 file received." in out

    # The office's ledger chart: a photo, saved and shown as its path.
    out = await play(session, capsys, ":as office", "/ledger", ":press 1", ":press 1.4")
    line = next(x for x in out.splitlines() if x.startswith("  bot → 陈静: [photo] "))
    path = Path(line.partition("[photo] ")[2])
    assert path.parent == session.folder / "files" and path.suffix == ".png"
    assert path.read_bytes().startswith(b"\x89PNG")


async def test_people_shows_the_cast_and_their_roles(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    out = await play(session, capsys, ":people")
    expected = {
        "sec": "张建国",
        "dep": "刘晓红",
        "office": "陈静",
        "emerg": "赵磊",
        "head": "孙伟",
        "zhou": "周芳",
        "wu": "吴强",
    }
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for key, name in expected.items():
        assert name in lines[key]
    assert lines["sec"].endswith(": Secretary")
    assert lines["dep"].endswith(": Deputy secretary")
    assert lines["office"].endswith(": Office")
    assert lines["emerg"].endswith(": Emergency office")
    assert lines["head"].endswith(": Committee head of 学术工作委员会")
    assert lines["zhou"].endswith(": member of 学术工作委员会")
    assert lines["wu"].endswith(": member of 学术工作委员会")
    # Admitted by the office in advance (R4), not yet written to the bot.
    assert lines["li"].endswith(": member (has not pressed Start yet)")


async def test_what_the_bot_does_on_its_own_prints_before_the_next_action(
    session: Session, capsys: pytest.CaptureFixture[str], clock: MovableClock
) -> None:
    await play(session, capsys, *REPORT, ":press 1", ":press 1")
    clock.advance(timedelta(days=3))  # nobody acknowledged: the sweep escalates (L2)
    await sweep(session.deps)
    await wait_quiet(session)
    out = await play(session, capsys, ":as dep", "/help")
    assert out.startswith("-- now acting as 刘晓红\n  (meanwhile)\n")
    escalated = out.index("Nobody acknowledged INC-2026-0001 in time")
    assert escalated < out.index("刘晓红 (private) → /help")


async def test_a_press_the_bot_never_answered_is_pointed_out(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    await play(session, capsys, ":as zhou", "/report")
    session.standin.faults.fail_next("answerCallbackQuery", 400, times=10)
    out = await play(session, capsys, ":press 1")
    assert "  (the bot has not answered this press: Telegram would show a spinner)" in out
