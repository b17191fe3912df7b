"""The table `python -m bench` prints: each row a figure, its unit and the target it must meet
(if any); a run fails when a target is not met."""

from __future__ import annotations

import statistics


def median(values: list[float]) -> float:
    """The median, or NaN for no values (a scenario that did not run)."""
    return statistics.median(values) if values else float("nan")


class Table:
    """The rows in the order they are added."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, float | None, str]] = []

    def add(self, what: str, unit: str, value: float, target: float | None, op: str) -> None:
        self.rows.append((what, unit, value, target, op))

    @staticmethod
    def met(value: float, target: float | None, op: str) -> bool | None:
        if target is None:
            return None
        return value >= target if op == ">=" else value <= target

    def all_met(self) -> bool:
        return all(self.met(v, t, o) is not False for _, _, v, t, o in self.rows)

    def render(self) -> str:
        lines = [
            f"| {'what':<52} | {'figure':>9} | {'unit':<14} | {'target':<8} | ok |",
            f"|{'-' * 54}|{'-' * 11}|{'-' * 16}|{'-' * 10}|----|",
        ]
        for what, unit, value, target, op in self.rows:
            ok = {True: "✓", False: "✗", None: ""}[self.met(value, target, op)]
            goal = f"{op} {target:g}" if target is not None else ""
            lines.append(f"| {what:<52} | {value:>9.3g} | {unit:<14} | {goal:<8} | {ok:<2} |")
        return "\n".join(lines)
