"""The `dutydesk` command: clear one-line errors instead of a traceback wall."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import dutydesk


def test_db_upgrade_creates_the_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    result = dutydesk(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "dutydesk.sqlite3").is_file()
    again = dutydesk(tmp_path, "db", "upgrade")  # idempotent
    assert again.returncode == 0 and "up to date" in again.stdout


def test_database_that_cannot_be_opened(tmp_path: Path) -> None:
    result = dutydesk(
        tmp_path,
        "db",
        "upgrade",
        DUTYDESK_DATABASE_URL="postgresql+asyncpg://someone:hunter2@127.0.0.1:1/nowhere",
    )
    assert result.returncode == 3
    assert result.stderr.startswith("dutydesk: cannot open the database postgresql+asyncpg://")
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DUTYDESK_ADMIN_IDS": "123,boss"}, "DUTYDESK_ADMIN_IDS: 'boss' is not a Telegram"),
        ({}, "DUTYDESK_BOT_TOKEN is not set"),
        ({"DUTYDESK_BOT_TOKEN": "oops"}, "does not look like a bot token"),
    ],
)
def test_configuration_errors_are_one_clear_sentence(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = dutydesk(tmp_path, "run", **env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_ledger_sample_writes_the_year_in_both_languages(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = dutydesk(tmp_path, "ledger-sample", "--out", "sample")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "sample").iterdir())
    assert [n for n in names if n.endswith(".xlsx")] == [
        "ledger-2026-en.xlsx",
        "ledger-2026-zh_CN.xlsx",
    ]
    zh = load_workbook(tmp_path / "sample" / "ledger-2026-zh_CN.xlsx")
    summary = dict(list(zh["概况"].iter_rows(values_only=True))[1:])
    assert summary["报告突发事件数"] == 5 and summary["未落实事项"] == 17
    assert [n for n in names if n.endswith(".png") and not n.endswith("-docx.png")] == [
        "ledger-2026-en.png",
        "ledger-2026-zh_CN.png",
    ]
    # The package's two Word documents (their first pages as PNG where LibreOffice is installed:
    # tests/services/test_ledger_render.py).
    assert [n for n in names if n.endswith(".docx")] == [
        "ledger-2026-en.docx",
        "ledger-2026-zh_CN.docx",
        "report-2026-en.docx",
        "report-2026-zh_CN.docx",
    ]
    assert (tmp_path / "sample" / "ledger-2026-zh_CN.png").read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "data").exists()  # a throw-away database, nothing left behind


def test_a_broken_policy_file_is_reported_before_the_network(tmp_path: Path) -> None:
    """Local configuration is checked first: with Telegram unreachable too, the file is named."""
    (tmp_path / "policy.toml").write_text("[incidents]\nack_hours = 'soon'\n", encoding="utf-8")
    result = dutydesk(
        tmp_path,
        "run",
        DUTYDESK_BOT_TOKEN="123456789:TEST-token-abcdefghijklmnopqrstuvw",
        DUTYDESK_POLICY_FILE="policy.toml",
        DUTYDESK_TELEGRAM_API_URL="http://127.0.0.1:1",  # nothing listens there
    )
    assert result.returncode == 2, result.stderr
    assert "policy.toml" in result.stderr and "Telegram" not in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nor was the database touched


def test_the_systemd_unit_does_not_restart_on_configuration_errors() -> None:
    from bot import cli

    unit = (Path(__file__).parents[2] / "deploy" / "dutydesk.service").read_text()
    line = next(ln for ln in unit.splitlines() if ln.startswith("RestartPreventExitStatus="))
    assert sorted(int(c) for c in line.partition("=")[2].split()) == [
        cli.EXIT_CONFIG,
        cli.EXIT_RUNNING,
    ]
    assert "ExecStart=/srv/dutydesk/.venv/bin/dutydesk run" in unit


def test_files_verify_lists_missing_and_altered_copies(tmp_path: Path) -> None:
    """`dutydesk files verify`: every kept copy re-hashed; exit 1 and a line for each bad one."""
    import hashlib
    import sqlite3

    from bot.files import store

    assert dutydesk(tmp_path, "db", "upgrade").returncode == 0
    empty = dutydesk(tmp_path, "files", "verify")
    assert empty.returncode == 0, empty.stderr
    assert "0 kept file(s) checked" in empty.stdout
    root = tmp_path / "data" / "files"
    whole, altered = store.put(root, b"minutes"), store.put(root, b"photo")
    missing = hashlib.sha256(b"lost").hexdigest()
    with sqlite3.connect(tmp_path / "data" / "dutydesk.sqlite3") as db:
        for n, (sha, name) in enumerate(
            ((whole, "纪要.pdf"), (altered, "现场.jpg"), (missing, "log.txt"))
        ):
            db.execute(
                "INSERT INTO kept_files (file_id, kind, name, received_at, status, attempts, "
                "not_before, sha256) VALUES (?, 'document', ?, '2026-11-24 02:00:00', 'kept', 1,"
                " '2026-11-24 02:00:00', ?)",
                (f"F{n}", name, sha),
            )
    path = store.path_for(root, altered)
    path.chmod(0o644)
    path.write_bytes(b"retouched")
    result = dutydesk(tmp_path, "files", "verify")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"ALTERED: 现场.jpg sha256={altered} file_id=F1" in lines
    assert f"MISSING: log.txt sha256={missing} file_id=F2" in lines
    assert f"2 of 3 kept file(s) missing or altered in {root}" in lines
