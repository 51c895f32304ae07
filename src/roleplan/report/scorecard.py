"""Reporters for `roleplan scorecard`: table, json (what `roleplan staff --metrics` reads), csv, markdown."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from roleplan.models.scorecard import AccountMetrics, Metrics, Scorecard
from roleplan.money import format_money
from roleplan.report.common import csv_safe, markdown_table, to_json
from roleplan.report.text import FittedTable, table, tables

if TYPE_CHECKING:
    from rich.console import Group

HEADERS = (
    "Opps",
    "Won",
    "Lost",
    "Open",
    "Win rate",
    "POC win",
    "POC conv.",
    "Tech win",
    "Velocity",
    "Pipeline",
    "Share",
)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _of(x: float | None, n: int) -> str:
    return "—" if x is None else f"{x * 100:.0f}% ({n})"


def _cells(m: Metrics) -> list[str]:
    return [
        str(m.opportunities),
        str(m.won),
        str(m.lost),
        str(m.open),
        _pct(m.win_rate),
        _of(m.poc_win_rate, m.pocs_won + m.pocs_lost),
        _pct(m.poc_conversion),
        _pct(m.technical_win_rate),
        "—" if m.median_velocity_days is None else f"{m.median_velocity_days:g} d",
        format_money(m.pipeline),
        _pct(m.pipeline_share),
    ]


def _groups(c: Scorecard) -> list[list[str]]:
    return [
        [name, *_cells(m)]
        for name, m in (("Team", c.team), ("With SE", c.with_se), ("Without SE", c.without_se))
    ]


def _per_se(c: Scorecard) -> list[list[str]]:
    return [[s.se, *_cells(s.metrics)] for s in c.per_se]


def _quarters(c: Scorecard) -> list[list[str]]:
    return [[q.quarter, *_cells(q.metrics)] for q in c.by_quarter]


def _accounts(c: Scorecard) -> list[list[str]]:
    a = c.accounts
    if a is None:
        return []
    days = "—" if a.median_days_to_first_value is None else f"{a.median_days_to_first_value:g} days"
    return [
        ["Accounts", str(a.accounts)],
        [
            "Median days to first value",
            f"{days} ({a.reached_first_value} reached it, {a.waiting} still waiting)",
        ],
        ["Estimated median, waiting included", _estimate(a)],
        ["Past the trigger", f"{a.past_trigger} accounts took or are taking longer"],
        ["Fully deployed at renewal", f"{_pct(a.deployed_at_renewal)} of {a.renewed} renewed accounts"],
        ["Median share deployed at renewal", _pct(a.median_deployed_share)],
    ]


def _estimate(a: AccountMetrics) -> str:
    days = a.estimated_median_days_to_first_value
    if days is None:
        return "—"
    shown = f"more than {days:g} days" if a.estimate_at_least else f"{days:g} days"
    return f"{shown} (Kaplan–Meier; the days-to-first-value rule is judged on it)"


def _checks(c: Scorecard) -> list[list[str]]:
    return [[x.id, x.verdict, x.text, x.source] for x in c.checks]


def _invalid(c: Scorecard) -> list[list[str]]:
    rows = [[f"{f.file or c.file}:{f.line}", f.message] for f in c.invalid]
    if c.invalid_rows > len(c.invalid):
        rows.append(["…", f"and {c.invalid_rows - len(c.invalid)} more"])
    return rows


def _sections(c: Scorecard) -> list[tuple[str, Sequence[str], list[list[str]]]]:
    parts: list[tuple[str, Sequence[str], list[list[str]]]] = [
        (f"Pre-sales scorecard — {c.file}", ["", *HEADERS], _groups(c)),
        ("Per SE", ["SE", *HEADERS], _per_se(c)),
        ("By quarter closed", ["Quarter", *HEADERS], _quarters(c)),
    ]
    if c.accounts is not None:
        parts.append((f"Accounts — {c.accounts_file}", ["", ""], _accounts(c)))
    parts.append(("Against the rules", ["Rule", "Verdict", "Text", "Source"], _checks(c)))
    if c.invalid:
        parts.append((f"Rows not counted ({c.invalid_rows})", ["Where", "Problem"], _invalid(c)))
    return parts


def scorecard_table(c: Scorecard) -> Group:
    parts: list[FittedTable] = [table(title, headers, rows) for title, headers, rows in _sections(c) if rows]
    return tables(*parts)


def scorecard_markdown(c: Scorecard) -> str:
    out = []
    for i, (title, headers, rows) in enumerate(_sections(c)):
        if rows:
            out.append(("## " if i == 0 else "\n### ") + title + "\n\n" + markdown_table(headers, rows))
    return "".join(out)


def _num(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{round(v, 4):g}" if v < 1000 else f"{v:.2f}"
    return str(v)


METRIC_FIELDS = tuple(f.name for f in dataclasses.fields(Metrics))


def scorecard_csv(c: Scorecard) -> str:
    """One row per group: the team, with and without an SE, each SE, each quarter."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("scope", "name", *METRIC_FIELDS))
    groups = [("team", "team", c.team), ("team", "with_se", c.with_se), ("team", "without_se", c.without_se)]
    groups += [("se", s.se, s.metrics) for s in c.per_se]
    groups += [("quarter", q.quarter, q.metrics) for q in c.by_quarter]
    for scope, name, m in groups:
        w.writerow([scope, csv_safe(name), *(_num(getattr(m, f)) for f in METRIC_FIELDS)])
    return buf.getvalue()


REPORTERS: dict[str, Callable[[Any], Any]] = {
    "table": scorecard_table,
    "json": to_json,
    "csv": scorecard_csv,
    "markdown": scorecard_markdown,
}
