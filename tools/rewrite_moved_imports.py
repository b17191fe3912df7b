"""A one-off aid for merging: rewrites imports of the modules moved by the package part of issue
21 (bot/sandbox -> standin, scheduler's runtime -> runtime, handlers' rendering -> render,
bot/policy/model -> schema, shared test helpers -> tests/support) in files written meanwhile on
other branches. Then `ruff check --fix` sorts them. Delete this file once merged.

    python tools/rewrite_moved_imports.py FILE...
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RUNTIME = ("answers", "delivery", "fetcher", "health", "metrics", "pacing", "queued_answers",
           "transport", "updates", "worker")  # fmt: skip
MODULES = {  # old module -> new module
    "bot.policy.model": "bot.policy.schema",
    "handlers.fitting": "render.fitting",
    "handlers.ledger_words": "render.ledger_words",
    "handlers.incident_render": "render.incident",
    "handlers.event_render": "render.event",
    "handlers.calendar_render": "render.calendar",
    "handlers.briefing_render": "render.briefing",
    "handlers.chat_render": "render.chat",
    "handlers.lost_render": "render.lost",
    "handlers.durable": "runtime.durable",
    **{f"scheduler.{m}": f"runtime.{m}" for m in RUNTIME},
    **{
        f"bot.sandbox.{m}": f"standin.{m}"
        for m in (
            "cast",
            "checks",
            "commands",
            "control",
            "faults",
            "html_check",
            "ledger_year",
            "methods",
            "model",
            "profile",
            "runner",
            "sample",
            "screen",
            "spec",
            "standin",
            "updates",
            "walkthrough",
            "world",
        )
    },
}
RENDER = {
    **dict.fromkeys(["notice", "all_notices", "NOTICES"], "render.notices"),
    **dict.fromkeys(["fit", "free", "unmarked", "MAX_MESSAGE"], "render.fitting"),
}
TESTS = {
    "tests.conftest": "tests.support.database",
    "tests.flows.conftest": "tests.support.bot",
    "tests.standin.conftest": "tests.support.raw_api",
    "tests.flows.test_roles_flow": "tests.support.world",
    "tests.flows.test_report_flow": "tests.support.world",
    "tests.flows.test_authorization": "tests.support.outsiders",
    "tests.services.test_calendar": "tests.support.calendar",
    "tests.flows.test_calendar_flow": "tests.support.calendar",
    "tests.flows.test_crash": "tests.support.crash",
    "tests.flows.test_event_flow": "tests.support.lecture",
    "tests.flows.test_evidence_flow": "tests.support.evidence",
    "tests.flows.test_free_text": "tests.support.free_text",
    "tests.flows.test_incident_facts": "tests.support.incident_facts",
    "tests.flows.test_process": "tests.support.process",
    "tests.flows.test_step_faults": "tests.support.step_faults",
    "tests.services.test_events": "tests.support.events",
    "tests.services.test_incidents": "tests.support.incidents",
    "tests.services.test_ledger": "tests.support.year_book",
    "tests.services.test_quarterly_review": "tests.support.review",
    "tests.unit.test_ledger_chart": "tests.support.chart",
    "tests.cli.test_cli": "tests.support.cli",
}
STAFF = {"ADMIN", "MEMBER", "EMERGENCY", "DEPUTY", "SECRETARY", "OFFICE", "HEAD"}
IMPORT = re.compile(
    r"^(?P<i>[ \t]*)from (?P<m>[\w.]+) import (?:\((?P<many>[^)]*)\)|(?P<one>[^\n]*))$", re.M
)


def split(m, where):
    names = [
        n.strip()
        for n in (m["many"] or m["one"]).split("#")[0].replace("\n", " ").split(",")
        if n.strip()
    ]
    groups = {}
    for n in names:
        groups.setdefault(where(n.split(" as ")[0].strip()), []).append(n)
    return "\n".join(f"{m['i']}from {mod} import {', '.join(ns)}" for mod, ns in groups.items())


def fix(m):
    mod = m["m"]
    if mod == "bot.sandbox.control":
        client = {"StandInClient", "StandInError", "RemoteMessage"}
        return split(
            m, lambda n: "tests.support.standin_client" if n in client else "standin.control"
        )
    if mod == "handlers.render":
        return split(m, lambda n: RENDER.get(n, "render.renderer"))
    if mod in (
        "tests.services.test_events",
        "tests.services.test_incidents",
        "tests.services.test_calendar",
    ):
        new = TESTS[mod]
        return split(m, lambda n: "tests.support.staff" if n in STAFF else new)
    new = MODULES.get(mod) or TESTS.get(mod)
    return m[0].replace(f"from {mod} import", f"from {new} import", 1) if new else m[0]


for f in sys.argv[1:]:
    p = Path(f)
    s = p.read_text()
    s = IMPORT.sub(fix, s)
    s = re.sub(r"^(\s*)from bot\.sandbox import (\w+)", r"\1from standin import \2", s, flags=re.M)
    s = re.sub(
        r"^(\s*)from scheduler import (" + "|".join(RUNTIME) + r")\b",
        r"\1from runtime import \2",
        s,
        flags=re.M,
    )
    s = re.sub(
        r"^(\s*)from handlers import durable\b", r"\1from runtime import durable", s, flags=re.M
    )
    s = s.replace("_pg_reachable", "pg_reachable")
    for old, new in {
        "ledger_words": "ledger_words",
        "incident_render": "incident",
        "event_render": "event",
        "calendar_render": "calendar",
        "briefing_render": "briefing",
        "chat_render": "chat",
        "lost_render": "lost",
        "fitting": "fitting",
    }.items():
        s = re.sub(
            rf"^(\s*)from handlers import {old}\b", rf"\1from render import {new}", s, flags=re.M
        )
    p.write_text(s)
