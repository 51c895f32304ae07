"""Reporters for `staff`, `ratio`, `capacity` and `comp`: table (Rich), json, markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from roleplan.models.figures import Band
from roleplan.models.staffing import Advice, CapacityResult, CompResult, Headcount, RatioResult, StaffPlan
from roleplan.money import format_money_range
from roleplan.report.common import markdown_table, to_json
from roleplan.report.text import FittedTable, table, tables

if TYPE_CHECKING:
    from rich.console import Group


def _hc(h: Headcount) -> str:
    return (
        str(h.recommended) if h.min == h.max == h.recommended else f"{h.recommended} (range {h.min}–{h.max})"
    )


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> FittedTable:
    return table(title, headers, rows)


def _advice_rows(advice: Sequence[Advice]) -> list[list[str]]:
    return [[a.id, a.text, a.source] for a in advice]


def _group(*parts: FittedTable) -> Group:
    return tables(*parts)


# --- staff ---------------------------------------------------------------------------------------------


def _staff_head(p: StaffPlan) -> list[list[str]]:
    return [
        ["SE (pre-sales)", _hc(p.se), f"SE:AE {p.se_ratio} for {p.inputs.aes} AEs ({p.se_benchmark})"],
        ["SA (post-sales)", _hc(p.sa), "from the triggers and the account load"],
    ]


def staff_table(p: StaffPlan) -> Group:
    i = p.inputs
    title = (
        f"Staffing for {i.stage}, {i.aes} AEs"
        + (f", {i.segment}" if i.segment else "")
        + f", {i.motion} motion"
    )
    return _group(
        _table(title, ["Role", "Headcount", "Basis"], _staff_head(p)),
        _table(
            "Hiring order",
            ["#", "Role", "Hire", "Why"],
            [[s.order, s.role.upper(), s.count, s.why] for s in p.hiring_order],
        ),
        _table("Why", ["Advice", "Text", "Source"], _advice_rows(p.advice)),
    )


def staff_markdown(p: StaffPlan) -> str:
    i = p.inputs
    out = [
        f"## Staffing: {i.stage}, {i.aes} AEs\n\n",
        markdown_table(["Role", "Headcount", "Basis"], _staff_head(p)),
    ]
    out += [
        "\n### Hiring order\n\n",
        markdown_table(
            ["#", "Role", "Hire", "Why"], [[s.order, s.role.upper(), s.count, s.why] for s in p.hiring_order]
        ),
    ]
    out += ["\n### Why\n\n", markdown_table(["Advice", "Text", "Source"], _advice_rows(p.advice))]
    return "".join(out)


# --- ratio ---------------------------------------------------------------------------------------------


def _ratio_rows(r: RatioResult) -> list[list[str]]:
    return [
        ["SE:AE", f"{r.ratio} ({r.ses} SEs, {r.aes} AEs)"],
        [f"{r.segment} benchmark", f"{r.band_text} ({r.source})"],
        ["Verdict", r.verdict],
        ["Fix", r.fix or "—"],
    ]


def ratio_table(r: RatioResult) -> Group:
    parts = [_table("SE coverage", ["", ""], _ratio_rows(r))]
    if r.advice:
        parts.append(_table("Notes", ["Advice", "Text", "Source"], _advice_rows(r.advice)))
    return _group(*parts)


def ratio_markdown(r: RatioResult) -> str:
    out = "## SE coverage\n\n" + markdown_table(["", ""], _ratio_rows(r))
    if r.advice:
        out += "\n" + markdown_table(["Advice", "Text", "Source"], _advice_rows(r.advice))
    return out


# --- capacity ------------------------------------------------------------------------------------------


def _capacity_rows(c: CapacityResult) -> list[list[str]]:
    return [
        ["Live demos a week", f"{c.demo_load_per_week:g} ({c.reps} reps × {c.demos_per_rep_week:g})"],
        ["SEs for the demo load", f"{c.ses_for_demo_load} (one SE ≈ {c.demos_per_se_week:g} demos a week)"],
        [
            "SEs for the rep ceiling",
            f"{c.ses_for_rep_ceiling} (≤ {c.max_reps_per_se} reps per SE{', travel' if c.travel else ''})",
        ],
        ["SEs needed", f"{c.ses_needed} (binding: {c.binding})"],
    ]


def _segment_rows(c: CapacityResult) -> list[list[str]]:
    return [[s.segment, s.band_text, _hc(s.ses), s.verdict] for s in c.segments]


def capacity_table(c: CapacityResult) -> Group:
    return _group(
        _table("SE demo capacity", ["", ""], _capacity_rows(c)),
        _table(
            "Against the SE:AE benchmarks",
            ["Segment", "SE:AE", "SEs for these reps", "Demo-load answer is"],
            _segment_rows(c),
        ),
        _table("Why", ["Advice", "Text", "Source"], _advice_rows(c.advice)),
    )


def capacity_markdown(c: CapacityResult) -> str:
    return (
        "## SE demo capacity\n\n"
        + markdown_table(["", ""], _capacity_rows(c))
        + "\n"
        + markdown_table(["Segment", "SE:AE", "SEs for these reps", "Demo-load answer is"], _segment_rows(c))
        + "\n"
        + markdown_table(["Advice", "Text", "Source"], _advice_rows(c.advice))
    )


# --- comp ----------------------------------------------------------------------------------------------


def _money(band: Band | None) -> str:
    return format_money_range(band.min, band.max) if band else "—"


def _citations(r: CompResult) -> list[str]:
    """Distinct source (+ note) citations in first-seen order; rows cite them by number."""
    seen: list[str] = []
    for row in r.rows:
        cite = _cite(row.source, row.note)
        if cite not in seen:
            seen.append(cite)
    return seen


def _cite(source: str, note: str | None) -> str:
    return f"{source} — {note}" if note else source


def _comp_rows(r: CompResult) -> list[list[str]]:
    cites = _citations(r)
    with_offer = any(x.offer for x in r.rows)
    rows = []
    for row in r.rows:
        cells = [  # the citation beside the role, segment and level in one cell: it fits 80 columns
            f"{row.role.upper()} [{cites.index(_cite(row.source, row.note)) + 1}]",
            f"{row.segment or 'any'} / {row.level or 'any'}",
            _money(row.base),
            _money(row.ote),
            _money(row.total),
            ", ".join(row.split) or "—",
        ]
        if with_offer:
            fits = [
                f"{f.kind.upper()} "
                + (f"{f.percentile * 100:.0f}%" if f.percentile is not None else f.position)
                for f in row.offer
            ]
            cells.append(", ".join(fits) or "—")
        rows.append(cells)
    return rows


def _comp_headers(r: CompResult) -> list[str]:
    headers = ["Role", "Segment / level", "Base", "OTE", "Total", "Split"]
    return [*headers, "Offer in band"] if any(x.offer for x in r.rows) else headers


def _comp_notes(r: CompResult) -> list[list[str]]:
    """Numbered citations, what each role's variable pays for, then the advice."""
    rows = [[f"[{i}]", cite, ""] for i, cite in enumerate(_citations(r), 1)]
    for role in r.roles:
        tied = sorted({x.variable_tied_to for x in r.rows if x.role == role and x.variable_tied_to})
        if tied:
            rows.append([f"{role.upper()} variable", "; ".join(tied), ""])
    rows += [[a.id, a.text, a.source] for a in r.advice]
    return rows


def comp_table(r: CompResult) -> Group:
    what = " vs ".join(x.upper() for x in r.roles)
    title = (
        f"{what} pay bands" + (f", {r.level}" if r.level else "") + (f", {r.segment}" if r.segment else "")
    )
    return _group(
        _table(title, _comp_headers(r), _comp_rows(r)),
        _table("Notes", ["", "Notes", "Source"], _comp_notes(r)),
    )


def comp_markdown(r: CompResult) -> str:
    return (
        "## Pay bands\n\n"
        + markdown_table(_comp_headers(r), _comp_rows(r))
        + "\n"
        + markdown_table(["", "Notes", "Source"], _comp_notes(r))
    )


STAFF: dict[str, Callable[[Any], Any]] = {"table": staff_table, "json": to_json, "markdown": staff_markdown}
RATIO: dict[str, Callable[[Any], Any]] = {"table": ratio_table, "json": to_json, "markdown": ratio_markdown}
CAPACITY: dict[str, Callable[[Any], Any]] = {
    "table": capacity_table,
    "json": to_json,
    "markdown": capacity_markdown,
}
COMP: dict[str, Callable[[Any], Any]] = {"table": comp_table, "json": to_json, "markdown": comp_markdown}
