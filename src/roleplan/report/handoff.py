"""Reporters for `roleplan handoff`: table, json, csv (one row per deal and rule), markdown."""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from roleplan.models.handoff import DealResult, HandoffReport, RuleResult
from roleplan.report.common import csv_safe, markdown_table, md_escape, plain, to_json
from roleplan.report.text import table, tables

if TYPE_CHECKING:
    from rich.console import Group

_UNIT = {"business days": "bd", "days": "d"}


def _cell(r: RuleResult) -> str:
    if r.status == "met":
        return "met"
    if r.status == "pending":
        return f"due {r.deadline}"
    return f"{r.days_late} {_UNIT[r.unit]} late"


#: Short names of the pack's documents for the table's Missing column.
DOC_LABELS = {
    "meddpicc_scorecard": "MEDDPICC",
    "poc_scope": "POC scope",
    "commercial_commitments": "commitments",
    "stakeholder_map": "stakeholder map",
    "risk_log": "risk log",
}


def _missing(d: DealResult) -> str:
    pack = d.rules[0]
    parts = [DOC_LABELS.get(name, name) for name in pack.missing]
    parts += [f"{DOC_LABELS.get(name, name)} (late)" for name in pack.late]
    return ", ".join(parts) or "—"


def _headers(r: HandoffReport) -> list[str]:
    n, lock = r.within_business_days, r.architecture_lock_days
    return [
        "Deal",
        "Closed-Won",
        "Status",
        f"Pack ≤{n} bd",
        f"Kickoff ≤{n} bd",
        f"Architecture ≤{lock} d",
        "Missing",
    ]


def _rows(r: HandoffReport) -> list[list[str]]:
    return [[d.deal, d.closed_won, d.status, *(_cell(x) for x in d.rules), _missing(d)] for d in r.deals]


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _deals(n: int) -> str:
    return f"{n} deal" if n == 1 else f"{n} deals"


def _summary_rows(r: HandoffReport) -> list[list[str]]:
    s = r.summary
    decided = s.met + s.breached
    per, total = s.go_live_slip_days_per_deal, s.go_live_slip_days_total
    rows = [
        ["Deals", f"{s.deals}: {s.met} met, {s.breached} breached, {s.pending} pending"],
        ["Compliant", f"{_pct(s.compliant_share)} of the {_deals(decided)} decided (met, or breached)"],
    ]
    for c in s.rules:
        rows.append([c.id.replace("_", " "), f"{c.met} met, {c.breached} breached, {c.pending} pending"])
    slip = f"{per.min:g}–{per.max:g} days each on average"
    if s.without_lock:
        slip += f", {total.min:g}–{total.max:g} deal-days in all"
    lock = f"{r.architecture_lock_days}-day architecture lock"
    rows.append(["Go-live slip", f"{_deals(s.without_lock)} without the {lock}: {slip} ({s.source})"])
    rows.append(
        [
            "First value",
            f"{_deals(s.without_handoff_pack)} missed the handoff pack; with a formal handoff document first "
            f"value comes {s.first_value_faster_with_handoff * 100:.0f}% sooner ({s.source})",
        ]
    )
    if s.closed_after_as_of:
        rows.append(
            ["Not won yet", f"{_deals(s.closed_after_as_of)} Closed-Won after {r.as_of}: not checked"]
        )
    if s.invalid_rows:
        rows.append(
            [
                "Not checked",
                f"{s.invalid_rows:,} row{'' if s.invalid_rows == 1 else 's'} could not be read (below)",
            ]
        )
    return rows


def _invalid_rows(r: HandoffReport, shown: int | None = None) -> list[list[str]]:
    """The unreadable rows (the first `shown` of those kept), and how many more there were."""
    kept = r.invalid if shown is None else r.invalid[:shown]
    rows = [[str(f.line), f.message] for f in kept]
    more = r.summary.invalid_rows - len(kept)
    if more > 0:
        rows.append(["…", f"{more:,} more (each was said on stderr as it was read)"])
    return rows


def handoff_table(r: HandoffReport) -> Group:
    title = f"SE→SA handoff as of {r.as_of} ({r.calendar} business days) — {r.file}"
    parts = [table(title, _headers(r), _rows(r)), table("Summary", ["", ""], _summary_rows(r))]
    if r.invalid:
        parts.append(table("Rows not checked", ["Line", "Problem"], _invalid_rows(r)))
    return tables(*parts)


@dataclass(slots=True)
class Overdue:
    """The breached deals a person should see first, out of a stream too long for a table: the `keep`
    whose earliest missed deadline is oldest (a heap: memory stays flat however many deals there are)."""

    keep: int = 10
    seen: int = 0
    heap: list[tuple[int, int, DealResult]] = field(default_factory=list)  # (-deadline ordinal, -seq, deal)

    def add(self, d: DealResult) -> None:
        if d.status != "breached":
            return
        self.seen += 1
        due = min(date.fromisoformat(x.deadline).toordinal() for x in d.rules if x.status == "breached")
        item = (-due, -self.seen, d)  # max-heap on the deadline; of equal ones the earlier deal stays
        if len(self.heap) < self.keep:
            heapq.heappush(self.heap, item)
        elif item[:2] > self.heap[0][:2]:
            heapq.heapreplace(self.heap, item)

    def deals(self) -> list[DealResult]:
        """The kept deals, oldest missed deadline first (input order among equals)."""
        return [d for *_, d in sorted(self.heap, key=lambda t: (-t[0], -t[1]))]


SHOWN_INVALID = 10  # unreadable rows a summary lists (stderr has them all, -f json the first MAX_FINDINGS)


def summary_table(r: HandoffReport, overdue: Overdue) -> Group:
    """A long export as one screen: the summary, the most overdue breaches, and how to get every deal."""
    title = (
        f"SE→SA handoff as of {r.as_of} ({r.calendar} business days) — {r.file}: "
        f"{r.summary.deals:,} deals, summarised (more than a screenful)"
    )
    parts: list[Any] = [title, table("Summary", ["", ""], _summary_rows(r))]
    shown = overdue.deals()
    if shown:
        heading = f"Most overdue breaches ({len(shown)} of {overdue.seen:,}, oldest missed deadline first)"
        parts.append(table(heading, _headers(r), _rows(replace(r, deals=tuple(shown)))))
    if r.invalid:
        parts.append(table("Rows not checked", ["Line", "Problem"], _invalid_rows(r, SHOWN_INVALID)))
    parts.append(
        "Every deal, one row each: add -f csv, -f json or -f markdown (and -o FILE to write it to a file)."
    )
    return tables(*parts)


def handoff_markdown(r: HandoffReport) -> str:
    out = [
        f"## SE→SA handoff as of {r.as_of} ({r.calendar} business days)\n\n",
        markdown_table(_headers(r), _rows(r)),
        "\n### Summary\n\n",
        markdown_table(["", ""], _summary_rows(r)),
    ]
    if r.invalid:
        out += ["\n### Rows not checked\n\n", markdown_table(["Line", "Problem"], _invalid_rows(r))]
    return "".join(out)


CSV_HEADER = (
    "deal",
    "closed_won",
    "deal_status",
    "rule",
    "status",
    "deadline",
    "done_on",
    "days_late",
    "unit",
    "missing",
    "late",
)


def _csv_rows(d: DealResult) -> Iterator[Iterator[str]]:
    for x in d.rules:
        yield (
            csv_safe(v)
            for v in (
                d.deal,
                d.closed_won,
                d.status,
                x.id,
                x.status,
                x.deadline,
                x.done_on or "",
                x.days_late,
                x.unit,
                ";".join(x.missing),
                ";".join(x.late),
            )
        )


def handoff_csv(r: HandoffReport) -> str:
    """One row per deal and rule, for a spreadsheet or a BI tool; unreadable rows are not in it."""
    buf = io.StringIO()
    stream_csv(r, iter(r.deals), lambda: r, buf.write)
    return buf.getvalue()


# --- streamed: each deal written as it is judged, the summary (and the unreadable rows) at the end ----------
# `head` is the report before any deal (its header fields), `finish()` the report once `deals` is spent.

Write = Callable[[str], object]


def stream_csv(
    head: HandoffReport, deals: Iterator[DealResult], finish: Callable[[], HandoffReport], write: Write
) -> None:
    """`handoff_csv`, one deal at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for d in deals:
        writer.writerows(_csv_rows(d))
        write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    write(buf.getvalue())
    finish()


def _dumps(obj: Any) -> str:
    import json

    return json.dumps(plain(obj), indent=2, ensure_ascii=False)


_DEALS = '\n  "deals": []'


Escape = Callable[[str], str]  # json.encoder.encode_basestring: json's own (C) string escaping


def _json_value(v: object, esc: Escape) -> str:
    if v is None:
        return "null"
    if isinstance(v, str):
        return esc(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _json_names(names: Sequence[str], pad: str, esc: Escape) -> str:
    if not names:
        return "[]"
    inner = ",\n".join(f"{pad}  {esc(n)}" for n in names)
    return f"[\n{inner}\n{pad}]"


def deal_json(d: DealResult, esc: Escape) -> str:
    """`to_json(d)` without its newline, indented one level further (4 spaces) as a member of `deals`: the
    deal's fixed shape written directly. Kept beside `to_json` because json's indenting encoder is pure Python:
    `roleplan handoff -f json` on 100,000 deals (bench/handoff.py's export) took 20.3 s with it, 7.9 s with
    this (2.6x; byte-identical output). tests/cli/test_handoff.py holds the streamed document to `to_json`."""

    def q(v: object) -> str:
        return _json_value(v, esc)

    rules = []
    for r in d.rules:
        rules.append(
            "        {\n"
            f'          "id": {q(r.id)},\n'
            f'          "status": {q(r.status)},\n'
            f'          "deadline": {q(r.deadline)},\n'
            f'          "done_on": {q(r.done_on)},\n'
            f'          "days_late": {q(r.days_late)},\n'
            f'          "unit": {q(r.unit)},\n'
            f'          "missing": {_json_names(r.missing, "          ", esc)},\n'
            f'          "late": {_json_names(r.late, "          ", esc)},\n'
            f'          "note": {q(r.note)},\n'
            f'          "source": {q(r.source)}\n'
            "        }"
        )
    slip = d.go_live_slip_days
    slip_text = (
        "null"
        if slip is None
        else f'{{\n        "min": {q(slip.min)},\n        "max": {q(slip.max)}\n      }}'
    )
    rules_text = "[\n" + ",\n".join(rules) + "\n      ]" if rules else "[]"
    return (
        "{\n"
        f'      "deal": {q(d.deal)},\n'
        f'      "line": {q(d.line)},\n'
        f'      "closed_won": {q(d.closed_won)},\n'
        f'      "status": {q(d.status)},\n'
        f'      "rules": {rules_text},\n'
        f'      "go_live_slip_days": {slip_text}\n'
        "    }"
    )


def stream_json(
    head: HandoffReport, deals: Iterator[DealResult], finish: Callable[[], HandoffReport], write: Write
) -> None:
    """Byte for byte `to_json(report)`: the keys before `deals` from `head`, the array one deal at a time,
    then `summary` and `invalid` (which follow `deals` in the report) from `finish()`."""
    before = _dumps(replace(head, deals=()))
    write(before[: before.index(_DEALS) + len(_DEALS) - 2])
    sep = "[\n    "
    from json.encoder import encode_basestring

    for d in deals:
        write(sep + deal_json(d, encode_basestring))
        sep = ",\n    "
    write("[]" if sep.startswith("[") else "\n  ]")
    after = _dumps(replace(finish(), deals=()))
    write(after[after.index(_DEALS) + len(_DEALS) :] + "\n")


def _md_row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(md_escape(c) for c in cells) + " |\n"


def stream_markdown(
    head: HandoffReport, deals: Iterator[DealResult], finish: Callable[[], HandoffReport], write: Write
) -> None:
    """`handoff_markdown`, one deal at a time."""
    headers = _headers(head)
    write(f"## SE→SA handoff as of {head.as_of} ({head.calendar} business days)\n\n")
    write(_md_row(headers) + "|" + "---|" * len(headers) + "\n")
    for d in deals:
        write(_md_row([d.deal, d.closed_won, d.status, *(_cell(x) for x in d.rules), _missing(d)]))
    r = finish()
    out = ["\n### Summary\n\n", markdown_table(["", ""], _summary_rows(r))]
    if r.invalid:
        out += ["\n### Rows not checked\n\n", markdown_table(["Line", "Problem"], _invalid_rows(r))]
    write("".join(out))


#: The formats that stream (the table is laid out whole).
STREAMERS = {"json": stream_json, "csv": stream_csv, "markdown": stream_markdown}


REPORTERS: dict[str, Callable[[Any], Any]] = {
    "table": handoff_table,
    "json": to_json,
    "csv": handoff_csv,
    "markdown": handoff_markdown,
}
