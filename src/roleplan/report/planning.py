"""Reporters for `roleplan plan` and `roleplan cost`: table (Rich), json, markdown. Pure."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from roleplan.models.planning import CostLine, CostResult, FilledPlan, Range, Req, TeamQuarter
from roleplan.money import format_money, format_money_range
from roleplan.report.common import markdown_table, plain, to_json
from roleplan.report.text import FittedTable, table, tables

if TYPE_CHECKING:
    from rich.console import Group


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "")


def _heads(value: float) -> str:
    """Heads as counted: whole, a half seat, or a year's average over its quarters (5.25, 1.75)."""
    return f"{round(value, 2):g}"


def _money(r: Range) -> str:
    return format_money_range(r.min, r.max)


def _dollars(value: float) -> float:
    return round(value, 2)


def _range(r: Range) -> dict[str, float]:
    return {"min": _dollars(r.min), "max": _dollars(r.max)}


# --- plan ----------------------------------------------------------------------------------------------


def _count(row: TeamQuarter, role: str) -> str:
    n, change = (row.ses, row.se_change) if role == "se" else (row.sas, row.sa_change)
    return f"{n} ({_signed(change)})" if change else str(n)


def _hires(row: TeamQuarter) -> str:
    parts = [f"{n} {r}" for r, n in (("SE", row.se_hires), ("SA", row.sa_hires)) if n]
    return ", ".join(parts) or "—"


def _ramping(row: TeamQuarter) -> str:
    parts = [f"{n} {r}" for r, n in (("SE", row.ses_ramping), ("SA", row.sas_ramping)) if n]
    return ", ".join(parts) or "—"


def _why(row: TeamQuarter) -> str:
    return "; ".join(f"{w.role.upper()}: {w.text} [{w.benchmark}]" for w in row.why)


def _req_note(r: Req) -> str:
    return "before the plan starts: open it now" if r.before_plan else ""


def _plan_title(p: FilledPlan) -> str:
    who = p.company or p.file
    t = p.timing
    return (
        f"Plan for {who} ({p.stage}): reqs open {t.lead_time_quarters} quarter"
        f"{'s' if t.lead_time_quarters != 1 else ''} before the start, a hire ramps for {t.ramp_quarters} "
        f"quarter{'s' if t.ramp_quarters != 1 else ''}"
    )


def _plan_rows(p: FilledPlan) -> list[list[str]]:
    return [
        [r.quarter, r.team, _heads(r.aes), _count(r, "se"), _count(r, "sa"), _hires(r), _ramping(r), _why(r)]
        for r in p.rows
    ]


_PLAN_HEAD = ("Quarter", "Team", "AEs", "SEs", "SAs", "Hires", "Ramping", "Why")
_REQ_HEAD = ("Open in", "Role", "Team", "Reqs", "Starts", "Note")


def _req_rows(p: FilledPlan) -> list[list[str]]:
    return [
        [r.open_quarter, r.role.upper(), r.team, str(r.count), r.start_quarter, _req_note(r)] for r in p.reqs
    ]


def _plan_sources(p: FilledPlan) -> list[list[str]]:
    seen: dict[str, str] = {}
    for r in p.rows:
        for w in r.why:
            seen.setdefault(w.benchmark, w.source)
    seen.setdefault(p.timing.benchmark, p.timing.source)
    return [[k, v] for k, v in sorted(seen.items())]


def plan_table(p: FilledPlan) -> Group:
    parts = [table(_plan_title(p), _PLAN_HEAD, _plan_rows(p))]
    if p.reqs:
        parts.append(table("Reqs to open", _REQ_HEAD, _req_rows(p)))
    parts.append(table("Sources", ("Benchmark", "Source"), _plan_sources(p)))
    return tables(*parts)


def plan_json(p: FilledPlan) -> str:
    quarters: dict[str, list[dict[str, Any]]] = {}
    for r in p.rows:
        quarters.setdefault(r.quarter, []).append(
            {
                "team": r.team,
                "segment": r.segment,
                "aes": r.aes,
                "ses": r.ses,
                "sas": r.sas,
                "change": {"se": r.se_change, "sa": r.sa_change},
                "hires": {"se": r.se_hires, "sa": r.sa_hires},
                "ramping": {"se": r.ses_ramping, "sa": r.sas_ramping},
                "why": [plain(w) for w in r.why],
            }
        )
    doc = {
        "file": p.file,
        "company": p.company,
        "stage": p.stage,
        "timing": plain(p.timing),
        "quarters": [{"quarter": q, "teams": teams} for q, teams in quarters.items()],
        "reqs": [plain(r) for r in p.reqs],
    }
    return to_json(doc)


def plan_markdown(p: FilledPlan) -> str:
    out = [f"## {_plan_title(p)}\n\n", markdown_table(_PLAN_HEAD, _plan_rows(p))]
    if p.reqs:
        out += ["\n### Reqs to open\n\n", markdown_table(_REQ_HEAD, _req_rows(p))]
    out += ["\n### Sources\n\n", markdown_table(("Benchmark", "Source"), _plan_sources(p))]
    return "".join(out).replace("$", "\\$")


PLAN_REPORTERS: dict[str, Callable[[FilledPlan], Any]] = {
    "table": plan_table,
    "json": plan_json,
    "markdown": plan_markdown,
}


# --- cost ----------------------------------------------------------------------------------------------

_Q_HEAD = ("Quarter", "SEs", "SAs", "Base", "OTE (total)")
_Y_HEAD = ("Year", "Quarters", "SEs (avg)", "SAs (avg)", "Base", "OTE (total)")
_BANDS_TITLE = "Pay bands: a head costs a fourth of its annual band a quarter"
_TEAM_HEAD = ("Year", "Team", "Role", "Heads (avg)", "Base", "OTE (total)")
_BAND_HEAD = ("Team", "Role", "Band per head (annual)", "Benchmark", "Source")
_BUDGET_HEAD = ("Budget for", "Budget", "OTE (total)", "Status")
_STATUS = {
    "within": "within",
    "over-max": "at risk (over at the top of the bands)",
    "over-min": "over budget",
    "unplanned": "no planned quarter in it",
}


def _q_rows(c: CostResult) -> list[list[str]]:
    return [
        [q.period, _heads(q.heads.se), _heads(q.heads.sa), _money(q.base), _money(q.total)]
        for q in c.quarters
    ]


def _y_rows(c: CostResult) -> list[list[str]]:
    return [
        [y.period, str(y.quarters), _heads(y.heads.se), _heads(y.heads.sa), _money(y.base), _money(y.total)]
        for y in c.years
    ]


def _team_rows(c: CostResult) -> list[list[str]]:
    return [
        [y.period, ln.team, ln.role.upper(), _heads(ln.heads), _money(ln.base), _money(ln.ote)]
        for y in c.years
        for ln in y.lines
    ]


def _band_lines(c: CostResult) -> list[CostLine]:
    """One line per team and role (the first quarter's), for the bands behind the figures."""
    seen: dict[tuple[str, str], CostLine] = {}
    for q in c.quarters:
        for ln in q.lines:
            seen.setdefault((ln.team, ln.role), ln)
    return list(seen.values())


def _band_text(ln: CostLine) -> str:
    parts = []
    for f in ln.figures:
        share = f"{f.level} {f.share:.0%}: " if f.level else ""
        note = f" ({f.note})" if f.note else ""
        parts.append(f"{share}base {_money(f.base)}, OTE {_money(f.ote)}{note}")
    return "; ".join(parts)


def _band_rows(c: CostResult) -> list[list[str]]:
    return [
        [
            ln.team,
            ln.role.upper(),
            _band_text(ln),
            ", ".join(dict.fromkeys(f.benchmark for f in ln.figures)),
            "; ".join(dict.fromkeys(f.source for f in ln.figures)),
        ]
        for ln in _band_lines(c)
    ]


def _budget_rows(c: CostResult) -> list[list[str]]:
    return [
        [
            b.period
            + (f" ({b.quarters} of 4 quarters planned)" if len(b.period) == 4 and b.quarters < 4 else ""),
            format_money(b.budget),
            _money(b.ote),
            _STATUS[b.status],
        ]
        for b in c.budget
    ]


def _cost_title(c: CostResult) -> str:
    return f"Cost of {c.company or c.file}: SE and SA pay per quarter"


def cost_table(c: CostResult) -> Group:
    parts: list[FittedTable] = [
        table(_cost_title(c), _Q_HEAD, _q_rows(c)),
        table("Per year", _Y_HEAD, _y_rows(c)),
        table("Per team and role", _TEAM_HEAD, _team_rows(c)),
    ]
    if c.budget:
        parts.append(table("Budget", _BUDGET_HEAD, _budget_rows(c)))
    parts.append(table(_BANDS_TITLE, _BAND_HEAD, _band_rows(c)))
    return tables(*parts)


def _line_json(ln: CostLine) -> dict[str, Any]:
    return {
        "team": ln.team,
        "segment": ln.segment,
        "role": ln.role,
        "heads": ln.heads,
        "base": _range(ln.base),
        "ote": _range(ln.ote),
        "figures": [
            {
                "benchmark": f.benchmark,
                "source": f.source,
                "level": f.level,
                "share": f.share,
                "base": _range(f.base),
                "ote": _range(f.ote),
                "note": f.note,
            }
            for f in ln.figures
        ],
    }


def _period_json(p: Any, key: str, lines: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {
        key: p.period,
        "heads": plain(p.heads),
        "base": _range(p.base),
        "ote": _range(p.ote),
        "total": _range(p.total),
    }
    if key == "year":
        doc["quarters"] = p.quarters
    if lines:
        doc["lines"] = [_line_json(ln) for ln in p.lines]
    return doc


def cost_json(c: CostResult) -> str:
    doc = {
        "file": c.file,
        "company": c.company,
        "quarters": [_period_json(q, "quarter", True) for q in c.quarters],
        "year": [_period_json(y, "year", True) for y in c.years],
        "budget": [
            {
                "period": b.period,
                "budget": _dollars(b.budget),
                "ote": _range(b.ote),
                "status": b.status,
                "quarters": b.quarters,
            }
            for b in c.budget
        ],
    }
    return to_json(doc)


def cost_markdown(c: CostResult) -> str:
    out = [f"## {_cost_title(c)}\n\n", markdown_table(_Q_HEAD, _q_rows(c))]
    out += ["\n### Per year\n\n", markdown_table(_Y_HEAD, _y_rows(c))]
    out += ["\n### Per team and role\n\n", markdown_table(_TEAM_HEAD, _team_rows(c))]
    if c.budget:
        out += ["\n### Budget\n\n", markdown_table(_BUDGET_HEAD, _budget_rows(c))]
    out += [f"\n### {_BANDS_TITLE}\n\n", markdown_table(_BAND_HEAD, _band_rows(c))]
    return "".join(out).replace("$", "\\$")


COST_REPORTERS: dict[str, Callable[[CostResult], Any]] = {
    "table": cost_table,
    "json": cost_json,
    "markdown": cost_markdown,
}
