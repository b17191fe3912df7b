"""The sandbox's scripted walkthrough (`dutydesk sandbox --script`, and `make run` without a
terminal): the routes a newcomer meets first, in Chinese and in English. Lines are what one
would type; `# …` lines are headings printed as they are; {samples} is the folder of the
files it sends."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

SCRIPT: tuple[str, ...] = (
    "# The administrator meets the bot, in Chinese",
    ":as you",
    "/start",
    ":press 1",
    "/help",
    "# A newcomer whose Telegram speaks English",
    ":as anna",
    "/start",
    ":press 2",
    "# A role granted by replying /role to somebody in the group",
    ":as li",
    ":in group",
    "大家好，我是李明。",
    ":as you",
    ":in group",
    ":reply",
    "/role",
    ":press 1",
    ":press 3",
    ":as li",
    ":in private",
    "/start",
    ":press 1",
    "/help",
    "# A committee member reports an incident with a document; the emergency office handles it",
    ":as zhou",
    "/report",
    ":press 1",
    ":press 1",
    "门户网站首页出现不当内容",
    ":press 1",
    "门户网站",
    "已断开外网，保留日志",
    ":file {samples}/情况说明.txt 现场情况说明",
    ":press 1",
    ":press 1",
    ":as emerg",
    ":cards",
    ":press 1.1",
    ":press 1.2",
    ":paste",
    "首页已恢复正常访问。",
    "日志已保全，正在排查入侵途径。",
    ".",
    "# The administrator in English: the people, the ledger's inspection package, a new policy",
    ":as you",
    "/members",
    "/language",
    ":press 2",
    "/help",
    "/ledger",
    ":press 1",
    ":cards",
    ":press 5.3",
    "/policy",
    ":file {samples}/policy.toml",
    ":press 1",
)


def write_samples(folder: Path) -> Path:
    """The files the walkthrough sends: a note on the incident, and the policy in force with
    a longer lead time for events (R6)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "情况说明.txt").write_text(
        "门户网站首页被篡改情况说明\n发现时间：今日\n已采取措施：断开外网，保留日志。\n",
        encoding="utf-8",
    )
    policy = resources.files("bot.policy").joinpath("default.toml").read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^lead_days = \d+", "lead_days = 10", policy, count=1)
    (folder / "policy.toml").write_text(changed, encoding="utf-8")
    return folder
