"""A built wheel carries compiled catalogues and the chart's Chinese font: a fresh install
speaks and draws Chinese (docs/decisions/001-telegram-limits.md)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_compiled_catalogues_and_speaks_chinese(tmp_path: Path) -> None:
    """The wheel ships the compiled catalogues, the migrations and the chart's font, and speaks
    Chinese installed."""
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("dutydesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for locale in ("zh_CN", "en"):
        assert f"locales/{locale}/LC_MESSAGES/messages.mo" in names
    assert "migrations/versions/0001_people_roles_chats_drafts_audit_outbox.py" in names
    # Every package the product imports, and the stand-in's copy of the Bot API for `dutydesk
    # sandbox`; nothing of the tests'.
    for package in ("bot", "handlers", "render", "runtime", "scheduler", "standin"):
        assert f"{package}/__init__.py" in names
    assert "standin/api_spec.json" in names
    assert not any(name.startswith(("tests/", "bench/", "tools/")) for name in names)
    # The ledger chart draws Chinese with the font it ships, under its licence.
    assert {"render/fonts/NotoSansSC-dutydesk.otf", "render/fonts/OFL.txt"} <= set(names)

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    probe = (
        "import locales, bot.i18n as i;"
        "print(locales.__file__);"
        "print(i.translator('zh_CN').gettext('Secretary'));"
        "import render.ledger_chart as c; print(c.FONT.resolve(strict=True), c.FAMILY[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    ).stdout.splitlines()
    assert out[0].startswith(str(target))  # the installed copy, not the source tree
    assert out[1] == "党组书记"
    font, family = out[2].split(" ", 1)
    assert font.startswith(str(target)) and family == "Noto Sans SC DutyDesk"
