"""The words of the accountability register (C1–C12): situations, grades, measures, entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.i18n import N_
from bot.register.rules import MEASURES, Grade
from bot.register.views import CaseLine, CaseView, Facts
from render.renderer import Renderer, esc

# The situations of section C, shortened to fit a button (docs/clauses.md; regulation, C 1–12).
CLAUSE_NAMES = {
    "C1": N_("Major publicity or education tasks carried out poorly"),
    "C2": N_("The secretary not on the front line of a major issue"),
    "C3": N_("A mass incident in the area of responsibility"),
    "C4": N_("Sensitive issues or emergencies handled poorly, causing confusion"),
    "C5": N_("Staff statements against party decisions left unhandled"),
    "C6": N_("Serious wrong orientation on one's own platforms"),
    "C7": N_("Statements at events denying the party's leadership"),
    "C8": N_("Serious problems concealed or not reported"),
    "C9": N_("A leading cadre publicly opposing central policy"),
    "C10": N_("A leading cadre using religious activity against party policy"),
    "C11": N_("Improper conduct in foreign affairs with bad political effect"),
    "C12": N_("Another failure to perform duties with bad consequences"),
}
GRADE_NAMES = {
    Grade.LIGHT: N_("Light"),
    Grade.HEAVIER: N_("Heavier"),
    Grade.MOST_SERIOUS: N_("Most serious"),
}
MEASURE_NAMES = {
    "criticism_education": N_("Criticism and education"),
    "written_examination": N_("Written self-examination"),
    "admonishment_talk": N_("Admonishment talk"),
    "circulated_criticism": N_("Circulated criticism"),
    "public_apology": N_("Public self-examination or public apology"),
    "suspension": N_("Suspension for examination"),
    "transfer": N_("Transfer from the post"),
    "resignation": N_("Resignation, of one's own accord or ordered"),
    "dismissal": N_("Dismissal from office"),
    "demotion": N_("Demotion"),
    "discharge": N_("Discharge"),
}
# What a keeper can change from the summary, by the step that asks it.
FIELD_NAMES = {
    "person": N_("Person concerned"),
    "clause": N_("Clause"),
    "facts": N_("Facts"),
    "grade": N_("Grade"),
    "measures": N_("Measures"),
    "date": N_("Decision date"),
}


def clause_label(r: Renderer, clause: str) -> str:
    """Plain: "C8 · Serious problems concealed or not reported"."""
    return f"{clause} · {r.plain(CLAUSE_NAMES[clause])}"


def grade_name(r: Renderer, grade: str) -> str:
    """A grade of the regulation (C), in the reader's language."""
    return r.plain(GRADE_NAMES[Grade(grade)])


def measure_name(r: Renderer, code: str) -> str:
    """A measure the regulation provides (C), in the reader's language."""
    return r.plain(MEASURE_NAMES[code])


def measures_text(r: Renderer, codes: list[str]) -> str:
    """The measures in the regulation's order, whatever order they were marked in."""
    return r.items((measure_name(r, c) for c in MEASURES if c in codes), series=True)


def references(r: Renderer, facts: Facts) -> list[str]:
    """The records the facts are linked to, and the references that name nothing."""
    lines = []
    if facts.incidents or facts.events:
        refs = r.items([*facts.incidents, *facts.events])
        lines.append(r("Linked records: {refs}", refs=refs))
    if facts.missing:
        lines.append(
            r(
                "Not found, so not linked: {refs}. The facts keep them as written.",
                refs=r.items(facts.missing),
            )
        )
    return lines


def _body(r: Renderer, person: str, clause: str, facts: Facts) -> list[str]:
    return [
        r("Person concerned: {name}", name=person),
        r("Clause: {clause}", clause=clause_label(r, clause)),
        r("Facts: {text}", text=facts.text),
        *references(r, facts),
    ]


def _decision(r: Renderer, grade: str, measures: list[str], decided_on: date) -> list[str]:
    return [
        r("Grade: {grade}", grade=grade_name(r, grade)),
        r("Measures: {measures}", measures=measures_text(r, measures)),
        r("Decided on: {date}", date=r.t.date(decided_on)),
    ]


def register_page(r: Renderer, lines: list[CaseLine], page: int, pages: int, total: int) -> str:
    """The register, one line per entry, newest first."""
    text = [r("<b>Accountability register</b> (C1–C12)")]
    if not total:
        text.append(r("The register holds no entries yet."))
    else:
        text.append(
            r.plural(
                "{n} entry, newest first (page {page} of {pages}).",
                "{n} entries, newest first (page {page} of {pages}).",
                total,
                page=page + 1,
                pages=pages,
            )
        )
    for c in lines:
        line = (
            f"#{c.id} · {esc(r.t.date(c.decided_on))} · {esc(c.person)} · {c.clause} · "
            f"{esc(grade_name(r, c.grade))}"
        )
        if c.corrected_by is not None:
            line += " · " + r("corrected by #{new}", new=c.corrected_by)
        text.append(line)
    return "\n".join(text)


def case_card(r: Renderer, c: CaseView) -> str:
    """One entry with everything it holds and where it stands in its chain of corrections."""
    lines = [r("<b>Accountability register, entry #{id}</b>", id=c.id)]
    if c.corrects is not None:
        lines.append(r("It corrects entry #{old}.", old=c.corrects))
    if c.corrected_by is not None:
        new = c.corrected_by
        lines.append(
            r("<b>Corrected by entry #{new}</b>: this entry is no longer in force.", new=new)
        )
    lines += _body(r, c.person, c.clause, c.facts)
    lines += _decision(r, c.grade, c.measures, c.decided_on)
    when = r.t.datetime(c.recorded_at, r.zone)
    lines.append(r("Recorded by {name} on {when}.", name=c.recorded_by, when=when))
    if len(c.chain) > 1:
        lines.append(r("Chain of corrections: {chain}", chain=" → ".join(f"#{i}" for i in c.chain)))
    return "\n".join(lines)


def summary(r: Renderer, d: dict[str, Any]) -> str:
    """A case being recorded, from the draft, to check before saving."""
    lines = [r("<b>Please check the entry.</b>")]
    if d.get("corrects"):
        lines.append(r("It corrects entry #{old}.", old=d["corrects"]))
    facts = Facts(d["facts"], d.get("incidents", []), d.get("events", []), d.get("missing", []))
    lines += _body(r, d["person_name"], d["clause"], facts)
    lines += _decision(r, d["grade"], d["measures"], date.fromisoformat(d["decided_on"]))
    return "\n".join(lines)
