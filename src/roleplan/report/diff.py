"""Reporters for `roleplan diff`: text, json, markdown (a pull-request comment) and github. Pure."""

from __future__ import annotations

from collections.abc import Callable

from roleplan.models.findings import Finding
from roleplan.models.planning import DiffResult, FindingChange, QuarterChange, Range
from roleplan.money import format_money
from roleplan.report.common import markdown_table, plain, to_json

_MARK = {"new": "+", "fixed": "-", "unchanged": " "}


def _heads(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _delta(value: float) -> str:
    if abs(value) < 1e-9:
        return "0"
    return ("+" if value > 0 else "−") + _heads(abs(value))


def _money_delta(value: float) -> str:
    if abs(value) < 0.5:
        return "$0"
    return ("+" if value > 0 else "−") + format_money(abs(value))


def _range_delta(r: Range) -> str:
    low, high = _money_delta(r.min), _money_delta(r.max)
    return low if low == high else f"{low} to {high}"


def _money_range(r: Range) -> str:
    low, high = format_money(r.min), format_money(r.max)
    return low if low == high else f"{low}–{high}"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(d: DiffResult) -> str:
    new_e, new_w = d.count("new", "error"), d.count("new", "warning")
    return (
        f"{_n(new_e, 'new error')}, {_n(new_w, 'new warning')}, {d.count('fixed')} fixed, "
        f"{d.count('unchanged')} unchanged (fails on: {d.fail_on})"
    )


def _scope(f: Finding) -> str:
    return " ".join(x for x in (f.segment, f.quarter) if x)


def _changed(d: DiffResult) -> list[QuarterChange]:
    return [
        q
        for q in d.quarters
        if abs(q.se_delta) > 1e-9
        or abs(q.sa_delta) > 1e-9
        or abs(q.ote_delta.min) + abs(q.ote_delta.max) >= 0.5
    ]


def _quarter_cells(q: QuarterChange) -> list[str]:
    return [
        q.quarter,
        f"{_heads(q.base_heads.se)} → {_heads(q.head_heads.se)} ({_delta(q.se_delta)})",
        f"{_heads(q.base_heads.sa)} → {_heads(q.head_heads.sa)} ({_delta(q.sa_delta)})",
        _money_range(q.head_ote),
        _range_delta(q.ote_delta),
    ]


_Q_HEAD = ("Quarter", "SEs", "SAs", "OTE (HEAD)", "OTE change")


def text(d: DiffResult) -> str:
    who = f" ({d.company})" if d.company else ""
    lines = [f"roleplan diff: {d.base} -> {d.head}{who}"]
    for c in d.findings:
        f = c.finding
        scope = f" [{_scope(f)}]" if _scope(f) else ""
        lines.append(
            f"{_MARK[c.status]} {c.status:<9} {f.file}:{f.line}: {f.severity} {f.rule} {f.name}{scope}: {f.message}"
        )
    changed = _changed(d)
    if changed:
        widths = [max(len(h), *(len(_quarter_cells(q)[i]) for q in changed)) for i, h in enumerate(_Q_HEAD)]
        lines.append("")
        lines.append("   ".join(h.ljust(w) for h, w in zip(_Q_HEAD, widths, strict=True)).rstrip())
        for q in changed:
            lines.append(
                "   ".join(c.ljust(w) for c, w in zip(_quarter_cells(q), widths, strict=True)).rstrip()
            )
    else:
        lines.append("headcount and cost: no change in any quarter")
    lines.append(f"roleplan diff: {d.status} — {summary(d)}")
    return "\n".join(lines) + "\n"


def _finding_json(c: FindingChange) -> dict[str, object]:
    return {"status": c.status, **plain(c.finding)}


def _range(r: Range) -> dict[str, float]:
    return {"min": round(r.min, 2), "max": round(r.max, 2)}


def json_report(d: DiffResult) -> str:
    doc = {
        "base": d.base,
        "head": d.head,
        "company": d.company,
        "status": d.status,
        "summary": {
            "new": {"errors": d.count("new", "error"), "warnings": d.count("new", "warning")},
            "fixed": d.count("fixed"),
            "unchanged": d.count("unchanged"),
            "fail_on": d.fail_on,
        },
        "findings": [_finding_json(c) for c in d.findings],
        "quarters": [
            {
                "quarter": q.quarter,
                "base": {"se": q.base_heads.se, "sa": q.base_heads.sa, "ote": _range(q.base_ote)},
                "head": {"se": q.head_heads.se, "sa": q.head_heads.sa, "ote": _range(q.head_ote)},
                "change": {"se": q.se_delta, "sa": q.sa_delta, "ote": _range(q.ote_delta)},
            }
            for q in d.quarters
        ],
    }
    return to_json(doc)


def _md(value: object) -> str:
    return str(value).replace("$", "\\$")


def markdown(d: DiffResult) -> str:
    """A pull-request comment: verdict, what the change breaks and fixes, and what it does to heads and cost."""
    icon = "✅" if d.status == "pass" else "❌"
    who = f" — {d.company}" if d.company else ""
    out = [f"## roleplan diff{who}: {icon} {d.status}", "", f"`{d.base}` → `{d.head}`", "", summary(d), ""]
    for status, title in (("new", "New findings"), ("fixed", "Fixed")):
        rows = [c.finding for c in d.findings if c.status == status]
        if rows:
            out += [
                f"### {title}",
                "",
                markdown_table(
                    ("Location", "Rule", "Severity", "Scope", "Finding"),
                    [
                        (f"`{f.file}:{f.line}`", f"{f.rule} {f.name}", f.severity, _scope(f), _md(f.message))
                        for f in rows
                    ],
                ),
            ]
    changed = _changed(d)
    out += ["### Headcount and cost per quarter", ""]
    if changed:
        out.append(markdown_table(_Q_HEAD, [[_md(c) for c in _quarter_cells(q)] for q in changed]))
    else:
        out.append("No change in any quarter.\n")
    unchanged = [c.finding for c in d.findings if c.status == "unchanged"]
    if unchanged:
        out += [
            f"<details><summary>{_n(len(unchanged), 'unchanged finding')}</summary>",
            "",
            markdown_table(
                ("Location", "Rule", "Scope", "Finding"),
                [
                    (f"`{f.file}:{f.line}`", f"{f.rule} {f.name}", _scope(f), _md(f.message))
                    for f in unchanged
                ],
            ),
            "</details>",
            "",
        ]
    return "\n".join(out)


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(d: DiffResult) -> str:
    """Workflow commands: an annotation per new finding (on HEAD's line), a notice per fixed one."""
    lines = []
    for c in d.findings:
        f = c.finding
        if c.status == "unchanged":
            continue
        level = ("error" if f.severity == "error" else "warning") if c.status == "new" else "notice"
        title = f"{'new' if c.status == 'new' else 'fixed'}: {f.rule} {f.name}"
        props = (
            f"title={_gh_prop(title)}"
            if c.status == "fixed"
            else (f"file={_gh_prop(f.file)},line={f.line},title={_gh_prop(title)}")
        )
        lines.append(f"::{level} {props}::{_gh_data(f.message)}")
    for q in _changed(d):
        cells = _quarter_cells(q)
        lines.append(
            f"::notice title=roleplan diff {q.quarter}::SEs {cells[1]}, SAs {cells[2]}, OTE {cells[4]}"
        )
    lines.append(f"roleplan diff: {d.status} — {summary(d)}")
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[[DiffResult], str]] = {
    "text": text,
    "json": json_report,
    "markdown": markdown,
    "github": github,
}
