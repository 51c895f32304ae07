"""Reporters for `roleplan classify`. The machine formats stream: each yields text record by record.

JSON keys (documented in the README, "roleplan classify" / Output): id, title, company, family, role, confidence,
title_mismatch, title_family, evidence [{phrase, signal, family, weight, where}], soc {code, title},
error, note. A record that could not be classified has `error` set and null classification fields.
`classify --keep` input fields follow, in the order given (`renderer`/`reporter`; CSV: columns after error).
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from roleplan.models.classify import FAMILIES, ClassifiedRecord
from roleplan.report.common import csv_safe

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "company",
    "family",
    "role",
    "confidence",
    "title_mismatch",
    "needs_review",
    "soc_code",
    "soc_title",
    "top_evidence",
    "error",
)
TOP_EVIDENCE = 3  # phrases in the CSV's top_evidence cell
LOWEST = 10  # lowest-confidence records a batch summary lists

_str = json.encoder.encode_basestring  # the C string encoder json.dumps(ensure_ascii=False) uses


def _num(value: float) -> str:
    """Three decimals; NaN/inf (a classifier bug) as null so the line stays valid JSON."""
    return f"{value:.3f}" if value - value == 0 else "null"


class _Once(dict[Any, str]):
    """`text(key)` per key, computed once: a lookup is a C dict access, for the values a batch repeats in
    every record. Keys that `keep` refuses are never stored; the memo is cleared past 10,000 entries."""

    def __init__(self, text: Callable[[Any], str], keep: Callable[[Any], bool] = lambda _: True) -> None:
        super().__init__()
        self.text, self.keep = text, keep

    def __missing__(self, key: Any) -> str:
        value = self.text(key)
        if self.keep(key):
            if len(self) > 10_000:  # a configuration has a few hundred strings; never grow without bound
                self.clear()
            self[key] = value
        return value


# the strings that come from the configuration (signal ids, families, sections, roles, SOC codes), as JSON
_CONF = _Once(_str)
# weights as JSON numbers: a few recurring values (signal weight x section weight x repeat decay), and float
# formatting is the writer's dearest step. NaN never equals itself and 0.0 == -0.0 (two texts): not stored.
_WEIGHTS = _Once(_num, keep=lambda w: w != 0 and w - w == 0)


def record_dict(rec: ClassifiedRecord) -> dict[str, Any]:
    """The documented JSON object of one record (the same keys whether or not it was classified)."""
    return json.loads(record_json(rec))  # type: ignore[no-any-return]


def _opt(value: str | None) -> str:
    return "null" if value is None else _str(value)


def record_json(rec: ClassifiedRecord) -> str:
    """One record as compact JSON, assembled with f-strings (numbers with three decimals).

    A hand-written twin of json, kept by the project's exception only: it buys 1.14-1.26x on the batch a
    user runs, below the 2x rule, but without it `roleplan classify` misses its 10,000 postings/s target
    (bench/classify_batch.py's 100,000 postings, bytecode compiled: 10,710/s against 8,520/s). Measured
    2026-12-03 on the shared 2-vCPU machine, `roleplan classify` on bench/classify_batch.py's 30,000 postings,
    -f jsonl, CPU seconds, median of 3 side-by-side runs: 3.02 s (9,930/s) against 3.44 s (8,720/s) with the
    same dict through json's C encoder made once (`c_make_encoder`, compact separators); the writer alone
    7.4 against 21.5 µs per record. The string escaping is still the json module's own C encoder, and a
    property test checks the output against json.loads.
    """
    res = rec.result
    conf, weights = _CONF, _WEIGHTS
    head = f'{{"id":{_str(rec.id)},"title":{_opt(rec.title)},"company":{_opt(rec.company)},'
    tail = f'"error":{_opt(rec.error)},"note":{_opt(rec.note)}}}'
    if res is None:
        return (
            f"{head}"
            '"family":null,"role":null,"confidence":null,"needs_review":null,"title_mismatch":null,'
            f'"title_family":null,"title_note":null,"evidence":[],"soc":null,{tail}'
        )
    evidence = ",".join(
        [
            f'{{"phrase":{_str(e.phrase)},"signal":{conf[e.signal]},"family":{conf[e.family]},'
            f'"weight":{weights[e.weight]},"where":{conf[e.where]}}}'
            for e in res.evidence
        ]
    )
    mismatch = "true" if res.title_mismatch else "false"
    review = "true" if res.needs_review else "false"
    return (
        f'{head}"family":{conf[res.family]},"role":{conf[res.role]},"confidence":{_num(res.confidence)},'
        f'"needs_review":{review},"title_mismatch":{mismatch},"title_family":{_opt(res.title_family)},'
        f'"title_note":{_opt(res.title_note)},"evidence":[{evidence}],'
        f'"soc":{{"code":{conf[res.soc.code]},"title":{conf[res.soc.title]}}},{tail}'
    )


def jsonl_line(rec: ClassifiedRecord) -> str:
    """One record of `jsonl`: its JSON object and a newline."""
    return record_json(rec) + "\n"


def jsonl(records: Iterable[ClassifiedRecord]) -> Iterator[str]:
    """One compact JSON object per line (the lines as they are: `frame("jsonl", ...)` adds nothing)."""
    return map(jsonl_line, records)


def json_array(records: Iterable[ClassifiedRecord]) -> Iterator[str]:
    """A JSON array written item by item (never built in memory), one object per line; `[]` when empty."""
    return frame("json", map(record_json, records))


def top_evidence(rec: ClassifiedRecord, n: int = TOP_EVIDENCE) -> str:
    """The `n` strongest pieces of evidence as `phrase [signal +weight]; ...`."""
    if rec.result is None:
        return ""
    strongest = sorted(rec.result.evidence, key=lambda e: -abs(e.weight))[:n]
    return "; ".join(f"{e.phrase} [{e.signal} {e.weight:+.2f}]" for e in strongest)


class _CsvLine:
    """One CSV row as text, through one csv.writer and buffer reused for every record."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        # csv quotes a field holding a character of its line terminator: with "\n" alone, a lone "\r" in a
        # cell went out unquoted and split the row for a reader; "\r\n" quotes both, and each row still
        # ends in "\n"
        self.writer = csv.writer(self.buf, lineterminator="\r\n")

    def __call__(self, cells: Iterable[object]) -> str:
        buf = self.buf
        self.writer.writerow([csv_safe(c) for c in cells])
        text = buf.getvalue()[:-2] + "\n"
        buf.seek(0)
        buf.truncate()
        return text


_csv_line = _CsvLine()
CSV_HEADER = _csv_line(CSV_COLUMNS)


def csv_line(rec: ClassifiedRecord) -> str:
    """One record's CSV row; every cell through csv_safe so no spreadsheet runs it as a formula."""
    return _csv_line(csv_cells(rec))


def csv_cells(rec: ClassifiedRecord) -> tuple[object, ...]:
    """The cells of one record's CSV row, in CSV_COLUMNS order (before csv_safe)."""
    res = rec.result
    if res is None:
        return (rec.id, rec.title, rec.company, *("",) * 8, rec.error)
    return (
        rec.id,
        rec.title,
        rec.company,
        res.family,
        res.role,
        f"{res.confidence:.3f}",
        "true" if res.title_mismatch else "false",
        "true" if res.needs_review else "false",
        res.soc.code,
        res.soc.title,
        top_evidence(rec),
        rec.error,
    )


def csv_rows(records: Iterable[ClassifiedRecord]) -> Iterator[str]:
    """CSV with the fixed CSV_COLUMNS (see csv_line)."""
    return frame("csv", map(csv_line, records))


def frame(fmt: str, lines: Iterable[str], keep: Sequence[str] = ()) -> Iterator[str]:
    """A machine format's output from its records' texts (`renderer(fmt, keep)`), as they come: the CSV
    header (with the `keep` columns), the JSON array's brackets and commas. `--jobs` renders records in
    worker processes and frames them here, which is why its output is byte-identical to one process's."""
    if fmt == "jsonl":
        yield from lines
    elif fmt == "csv":
        header = _csv_line((*CSV_COLUMNS, *keep)) if keep else CSV_HEADER
        for line in lines:
            yield header + line
            header = ""
        if header:
            yield header
    elif fmt == "json":
        sep = "[\n"
        for line in lines:
            yield sep + line
            sep = ",\n"
        yield "[]\n" if sep == "[\n" else "\n]\n"
    else:
        raise ValueError(f"{fmt} is not a streaming format")


# --- classify --keep: input fields copied into each output record -------------------------------------

#: The names of the output's own fields (JSON keys, CSV columns); a kept input field may not reuse one.
OUTPUT_FIELDS: tuple[str, ...] = (
    *("id", "title", "company", "family", "role", "confidence", "needs_review", "title_mismatch"),
    *("title_family", "title_note", "evidence", "soc", "error", "note"),
    *(c for c in CSV_COLUMNS if c not in {"id", "title", "company", "family", "role", "confidence"}),
)


def kept_json(value: Any) -> str:
    """A kept value as JSON: as read (string, number, true/false, null, object, array); NaN/inf are null."""
    kind = type(value)
    if kind is str:
        return _str(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value) if value - value == 0 else "null"  # as json writes it
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:  # NaN or inf inside (json.loads reads them): null there, as at the top
        return json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if value - value == 0 else None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def kept_cell(value: Any) -> str:
    """A kept value as a CSV cell: strings as they are, null/missing empty, true/false, numbers as in
    JSON, objects and arrays as compact JSON (csv_safe then escapes what a spreadsheet would run)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    text = kept_json(value)
    return "" if text == "null" else text


def renderer(fmt: str, keep: Sequence[str] = ()) -> Callable[[ClassifiedRecord], str]:
    """The text of one record in a streaming format, with the `keep` fields after the documented ones
    (JSON: keys after `note`; CSV: columns after `error`). Without `keep` it is `RENDER[fmt]` itself."""
    base = RENDER[fmt]
    if not keep:
        return base
    names = tuple(keep)
    if fmt == "csv":

        def csv_kept(rec: ClassifiedRecord) -> str:
            values = rec.kept or {}
            return _csv_line((*csv_cells(rec), *[kept_cell(values.get(k)) for k in names]))

        return csv_kept
    pairs = tuple((k, _str(k) + ":") for k in names)
    nulls = ",".join(key + "null" for _, key in pairs)
    end = "}\n" if fmt == "jsonl" else "}"
    encode = _str

    def json_kept(rec: ClassifiedRecord) -> str:
        values = rec.kept
        if values is None:
            kept = nulls
        else:
            get = values.get
            kept = ",".join(
                [
                    key
                    + (encode(v) if type(v := get(k)) is str else kept_json(v))  # strings: the common case
                    for k, key in pairs
                ]
            )
        return f"{record_json(rec)[:-1]},{kept}{end}"  # one copy of the record's text, not three

    return json_kept


def reporter(fmt: str, keep: Sequence[str] = ()) -> Callable[[Iterable[ClassifiedRecord]], Any]:
    """REPORTERS[fmt], with the `keep` fields in every record when there are any."""
    if not keep:
        return REPORTERS[fmt]
    names = tuple(keep)
    if fmt == "table":
        return lambda records: table(records, keep=names)
    render = renderer(fmt, names)
    return lambda records: frame(fmt, map(render, records), names)


def table(records: Iterable[ClassifiedRecord], keep: Sequence[str] = ()) -> Any:
    """A Rich table of every record (the `keep` fields as columns after the title); a single record is
    shown field by field with its evidence."""
    rows = list(records)
    if len(rows) == 1 and rows[0].result is not None:
        return _single(rows[0], keep)
    from rich.text import Text

    from roleplan.report import text

    body = []
    for rec in rows:
        res = rec.result
        kept = [kept_cell((rec.kept or {}).get(k)) for k in keep]
        if res is None:
            body.append([rec.id, rec.title or "", *kept, "—", "", "", "", Text(rec.error or "", style="red")])
            continue
        mismatch = (
            Text.assemble(("yes", "yellow"), f" (title: {res.title_family})") if res.title_mismatch else ""
        )
        body.append(
            [
                rec.id,
                rec.title or "",
                *kept,
                res.family,
                res.role,
                f"{res.confidence:.2f}",
                mismatch,
                rec.note or "",
            ]
        )
    return text.table(
        "Role classification",
        ["id", "title", *keep, "family", "role", "conf.", "title mismatch", "error / note"],
        body,
        right={"conf."},
        styles={"family": "bold"},
    )


@dataclass(slots=True)
class BatchSummary:
    """What a batch too long for a screen comes to: per-family counts and the records a person should see."""

    records: int = 0
    errors: int = 0
    families: dict[str, list[int]] = field(default_factory=dict)  # family -> [records, needs review]
    lowest: list[tuple[float, int, str, str, str, str]] = field(default_factory=list)  # see `add`
    keep: int = LOWEST

    def add(self, rec: ClassifiedRecord) -> None:
        """Count one record; keep it among the `keep` lowest-confidence ones (a heap: memory stays flat)."""
        self.records += 1
        res = rec.result
        if res is None:
            self.errors += 1
            return
        counts = self.families.setdefault(res.family, [0, 0])
        counts[0] += 1
        counts[1] += res.needs_review
        # max-heap on confidence (negated), ties: the earlier record stays
        item = (-res.confidence, -self.records, rec.id, rec.title or "", res.family, res.role)
        if len(self.lowest) < self.keep:
            heapq.heappush(self.lowest, item)
        elif item > self.lowest[0]:
            heapq.heapreplace(self.lowest, item)


def summarize(records: Iterable[ClassifiedRecord], keep: int = LOWEST) -> BatchSummary:
    """One pass over the batch; only the counts and `keep` small tuples are held."""
    summary = BatchSummary(keep=keep)
    for rec in records:
        summary.add(rec)
    return summary


def summary_table(summary: BatchSummary) -> Any:
    """The per-family counts, the lowest-confidence records, and how to get every row."""
    from rich.text import Text

    from roleplan.report import text

    heading = f"Role classification: {summary.records:,} records, summarised (more than a screenful)"
    order: dict[str, int] = {f: i for i, f in enumerate(FAMILIES)}
    rows: list[list[Any]] = [
        [family, f"{n:,}", f"{n / summary.records:.1%}", f"{review:,}"]
        for family, (n, review) in sorted(summary.families.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    if summary.errors:
        rows.append([Text("not classified", style="red"), f"{summary.errors:,}", "", ""])
    counts = text.table(
        None, ["family", "records", "share", "needs review"], rows, right={"records", "share", "needs review"}
    )
    hint = "Every record, one row each: add -f csv or -f jsonl (and -o FILE to write it to a file)."
    parts: list[Any] = [heading, counts]
    if summary.lowest:
        lowest = sorted(summary.lowest, key=lambda t: (-t[0], -t[1]))
        parts.append(
            text.table(
                f"Lowest confidence ({len(summary.lowest)} records)",
                ["id", "title", "family", "role", "conf."],
                [
                    [rid, title, family, role, f"{-neg_conf:.2f}"]
                    for neg_conf, _, rid, title, family, role in lowest
                ],
                right={"conf."},
                styles={"family": "bold"},
            )
        )
    return text.tables(*parts, hint)


def _single(rec: ClassifiedRecord, keep: Sequence[str] = ()) -> Any:
    from rich.text import Text

    from roleplan.report import text

    res = rec.result
    assert res is not None
    confidence = Text(f"{res.confidence:.2f}")
    if res.needs_review:
        confidence.append("  low: needs a human look", style="yellow")
    mismatch: Any = "no"
    if res.title_mismatch:
        mismatch = Text.assemble(
            ("yes", "yellow"), f": the title reads as {res.title_family}, the duties as {res.family}"
        )
    fields: list[tuple[str, Any]] = [
        ("id", rec.id),
        ("title", rec.title or "—"),
        ("company", rec.company or "—"),
        ("family", Text(res.family, style="bold")),
        ("role", res.role),
        ("confidence", confidence),
        ("title mismatch", mismatch),
        ("SOC", f"{res.soc.code} {res.soc.title}"),
    ]
    if res.title_note:
        fields.append(("title note", res.title_note))
    if rec.note:
        fields.append(("note", rec.note))
    fields += [(k, kept_cell((rec.kept or {}).get(k)) or "—") for k in keep]
    evidence = [
        [e.phrase, e.signal, e.family, f"{e.weight:+.2f}", e.where]
        for e in sorted(res.evidence, key=lambda e: -abs(e.weight))
    ] or [["(no signal phrase found)", "", "", "", ""]]
    return text.tables(
        text.table(None, ["", ""], [[Text(name, style="bold"), value] for name, value in fields]),
        text.table(
            "Evidence (strongest first)",
            ["phrase", "signal", "points to", "weight", "where"],
            evidence,
            right={"weight"},
        ),
    )


REPORTERS: dict[str, Callable[[Iterable[ClassifiedRecord]], Any]] = {
    "table": table,
    "json": json_array,
    "jsonl": jsonl,
    "csv": csv_rows,
}
#: Formats whose reporter yields text chunks to write as they come.
STREAMING = frozenset({"json", "jsonl", "csv"})
#: Each streaming format's text of one record, framed by `frame`.
RENDER: dict[str, Callable[[ClassifiedRecord], str]] = {
    "json": record_json,
    "jsonl": jsonl_line,
    "csv": csv_line,
}
