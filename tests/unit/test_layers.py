"""The packages keep to their layers (docs/architecture.md): what may import what, and modules
small enough to read (no module over 300 lines in any package of the product, the bench or
the tools)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# package -> the top-level packages of ours it must not import
FORBIDDEN = {
    "bot": {"handlers", "render", "runtime", "scheduler", "standin", "tests", "bench"},
    "render": {"handlers", "runtime", "scheduler", "standin", "tests", "bench"},
    "runtime": {"handlers", "scheduler", "standin", "tests", "bench"},
    "scheduler": {"handlers", "render", "standin", "tests", "bench"},
    "handlers": {"scheduler", "standin", "tests", "bench"},
    "standin": {"tests", "bench"},
}
# The wiring imports everything; the command line starts the stand-in (`dutydesk sandbox`).
ALLOWED = {
    Path("bot/app.py"): {"handlers", "render", "runtime", "scheduler"},
    Path("bot/cli.py"): {"standin"},
}


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    """Each package imports only the layers below it (FORBIDDEN), the wiring excepted."""
    wrong = {}
    for path in _modules(package):
        relative = path.relative_to(ROOT)
        bad = (_imported(path) & FORBIDDEN[package]) - ALLOWED.get(relative, set())
        if bad:
            wrong[str(relative)] = sorted(bad)
    assert wrong == {}


@pytest.mark.parametrize(
    "package",
    ["bot", "handlers", "render", "runtime", "scheduler", "standin", "bench", "tools"],
)
def test_no_module_is_over_300_lines(package: str) -> None:
    """No module of these packages is over 300 lines."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules(package)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert long == {}


def test_only_the_wiring_imports_the_handlers() -> None:
    """Nothing outside handlers/ imports it but the wiring (bot/app.py) and the tests, which
    drive it. The bench is held to the rule too: it runs the bot through bot/app.py and the
    stand-in, never a handler directly. Every Python file of the repository is read, tools,
    setup.py and the migrations included, so a new top-level package cannot slip past."""
    skipped = {"handlers", "tests", "build", "dist"}
    tops = [p for p in ROOT.iterdir() if p.name not in skipped and not p.name.startswith(".")]
    files = [f for top in tops for f in ([top] if top.is_file() else top.rglob("*"))]
    wrong = sorted(
        str(relative)
        for path in files
        if path.suffix == ".py"
        and (relative := path.relative_to(ROOT)) != Path("bot/app.py")
        and "handlers" in _imported(path)
    )
    assert wrong == []
