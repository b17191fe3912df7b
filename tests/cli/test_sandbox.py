"""The README's promise: `dutydesk sandbox` runs the real bot offline, in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_scripted_walkthrough_shows_start_language_help_and_role(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", "--script"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
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
