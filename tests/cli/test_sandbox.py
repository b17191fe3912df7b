"""The README's promise: `dutydesk sandbox` runs the real bot offline, in both languages."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.config import Settings
from standin import runner


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> str:
    """`dutydesk sandbox --script`, run once for this module's tests: what it printed."""
    tmp_path = tmp_path_factory.mktemp("walkthrough")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    env["TMPDIR"] = str(tmp_path)  # the sandbox's folder, and the files it keeps, go here
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", "--script"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.mark.slow
def test_scripted_walkthrough_shows_start_language_help_and_role(walkthrough: str) -> None:
    out = walkthrough
    assert "There is no terminal" not in out  # --script asked for the walkthrough
    # /start and the language choice, in Chinese
    assert "请选择您使用的语言。" in out and "[1] 中文  [2] English" in out
    # /help for an administrator, in Chinese, then in English after /language
    assert "/role — 授予或撤销职务" in out
    assert "/role — Grant or revoke a role" in out
    # /role by reply in the group, the grant, and the notice the new office holder receives
    assert "请进入私聊为李明设置职务。" in out
    assert "职务：办公室工作人员" in out
    assert "王主任已授予您办公室工作人员职务。" in out
    # English for an English-speaking member
    assert "Welcome to Duty Desk, Anna." in out


@pytest.mark.slow
def test_walkthrough_shows_cards_presses_files_toasts_in_both_languages(walkthrough: str) -> None:
    out = walkthrough
    # The cast and their roles, before anything is typed
    assert re.search(r"  sec +张建国 +@zhang_jg, Telegram in zh-hans: Secretary\n", out)
    assert re.search(r"  head +孙伟 +.*: Committee head of 学术工作委员会\n", out)
    # Chinese: a committee member's report with a document; its toast; the handler's cards
    assert "周芳 (private) → [document] 情况说明.txt 现场情况说明" in out
    assert re.search(r"  bot ⟶ toast: .*INC-\d{4}-0001", out)
    assert re.search(r"赵磊 :cards\n  card 1: ", out)
    assert "赵磊 presses [确认接报]" in out  # :press 1.1
    kept = re.search(r"  bot → 赵磊: \[document\] (\S+情况说明\.txt)\n", out)
    assert kept is not None
    # :paste: two lines sent as one message
    assert "赵磊 (private) → 首页已恢复正常访问。\n      日志已保全，正在排查入侵途径。" in out
    # English: the toast of the language choice, the ledger's card, its inspection package
    assert "  bot ⟶ toast: Language saved." in out
    assert re.search(r"王主任 :cards\n(.*\n)*  card \d+: Ledger: ", out)
    assert "王主任 presses [Inspection package (.zip)]" in out  # :press 5.3
    sheet = re.search(r"  bot → 王主任: \[document\] (\S+\.zip)\n", out)
    assert sheet is not None
    # A policy file sent with :file, shown, confirmed with a press
    assert "王主任 (private) → [document] policy.toml" in out
    assert "events.lead_days: 7 → 10" in out
    # The files the bot sent are kept after the end; the database is not
    assert Path(kept[1]).read_text(encoding="utf-8").startswith("门户网站首页被篡改情况说明")
    assert Path(sheet[1]).read_bytes().startswith(b"PK")
    folder = Path(sheet[1]).parent.parent
    assert f"The files the bot sent are kept in {folder / 'files'}" in out
    assert [p.name for p in folder.iterdir()] == ["files"]


def _fake_main(wrote: str | None) -> Callable[..., Awaitable[int]]:
    """In place of the sandbox's body: writes what a run would leave in its folder."""

    async def main(settings: Settings, port: int, folder: Path, interactive: bool) -> int:
        print(f"interactive={interactive}")
        (folder / "sandbox.sqlite3").write_text("")
        if wrote:
            (folder / "files").mkdir()
            (folder / "files" / wrote).write_text("x")
        return 0

    return main


def test_without_a_terminal_it_says_why_it_plays_the_walkthrough(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(runner, "_main", _fake_main(None))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # `make run` in CI, or piped
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert runner.run_sandbox(settings, script=False, port=0) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "There is no terminal to type in, so the sandbox plays its scripted walkthrough.\n"
        "To try the bot yourself, run `make run` (or `.venv/bin/dutydesk sandbox`) in a "
        "terminal.\n"
    )
    assert "interactive=False" in out
    assert list(tmp_path.iterdir()) == []  # nothing sent, nothing kept

    assert runner.run_sandbox(settings, script=True, port=0) == 0
    assert "no terminal" not in capsys.readouterr().out


def test_the_files_the_bot_sent_outlive_the_sandbox(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(runner, "_main", _fake_main("ledger.xlsx"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert runner.run_sandbox(settings, script=True, port=0) == 0
    (folder,) = tmp_path.iterdir()
    assert [p.name for p in folder.iterdir()] == ["files"]  # the database is gone
    assert f"The files the bot sent are kept in {folder / 'files'}" in capsys.readouterr().out
