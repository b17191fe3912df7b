"""What a fresh clone meets: skip reasons printed, README links that resolve, a warning-free
install."""

from __future__ import annotations

import re
import subprocess
import warnings
from pathlib import Path

from setuptools.config.pyprojecttoml import apply_configuration
from setuptools.dist import Distribution

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)#\s]+)[^)]*\)")


def test_make_test_prints_the_reason_of_every_skip() -> None:
    # .ci/run runs `make test`, so both print why a PostgreSQL test was skipped.
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    recipe = subprocess.run(
        ["make", "-n", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [pytest_line] = [line for line in recipe.splitlines() if "-m pytest" in line]
    assert "-rs" in pytest_line.split()


def test_readme_links_resolve_in_a_clone() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../shared/seed" not in readme
    assert "](docs/clauses.md)" in readme
    for target in LINK.findall(readme):
        if "://" in target:
            continue
        assert (ROOT / target).exists(), target
    clauses = (ROOT / "docs" / "clauses.md").read_text()
    assert "| R2 |" in clauses and "| A2 |" in clauses


def test_project_metadata_is_not_deprecated() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        apply_configuration(Distribution(), ROOT / "pyproject.toml")
    assert [str(w.message) for w in caught if "license" in str(w.message)] == []
