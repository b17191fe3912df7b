"""The house rules of issue 21 that a reader of the code relies on: a handler's callback is
short (it parses, calls one service, renders, answers), and every guided conversation is a
declared Flow with no step machine of its own."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _callbacks() -> dict[str, int]:
    """Every callback PTB calls in handlers/ — a decorated async function taking the update
    first (the wrappers of handlers/common.py and the families' aliases of typed_button) —
    with its length in lines (decorators excluded)."""
    found = {}
    for path in sorted((ROOT / "handlers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.AsyncFunctionDef) or not node.decorator_list:
                continue
            if node.args.args and node.args.args[0].arg == "update":
                assert node.end_lineno is not None
                found[f"{path.name}:{node.name}"] = node.end_lineno - node.lineno + 1
    return found


def test_there_are_callbacks_to_measure() -> None:
    assert len(_callbacks()) > 60  # the walk finds them: /report's, the cards', the commands'


def test_no_callback_is_over_25_lines() -> None:
    assert {name: n for name, n in _callbacks().items() if n > 25} == {}


def test_the_conversations_have_no_step_machine_of_their_own() -> None:
    """/report, /event, /meeting and the register declare a Flow; the engine alone moves a
    draft from step to step (`state.step = …` is written only in handlers/flow.py, apart
    from a step's answer choosing where it goes)."""
    for name in ("report", "event", "meeting", "accountability_flow"):
        source = (ROOT / "handlers" / f"{name}.py").read_text(encoding="utf-8")
        assert " = Flow(" in source, name
        assert "def on_button" not in source and "def on_message" not in source, name
        assert "drafts.save(" not in source and "state.step = " not in source.replace(
            'turn.state.step = "',
            "",  # a step's answer naming the step to ask next
        ), name
