"""`classify --keep`: input fields after a record's own, in every format; golden outputs and properties."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.models.classify import ClassifiedRecord
from roleplan.report.classify import (
    CSV_COLUMNS,
    OUTPUT_FIELDS,
    RENDER,
    frame,
    kept_cell,
    renderer,
    reporter,
)
from tests.report.test_classify_report import GOLDEN, RECORDS

KEEP = ("req", "dept", "head count", "tags")
KEPT: tuple[dict[str, Any], ...] = (
    {"req": "R-1", "dept": '=HYPERLINK("http://x")', "head count": -2, "tags": ["pre", "sales"]},
    {"req": 17, "dept": "-Post-sales", "head count": 2.5, "tags": {"team": "@emea"}},
    {"req": None, "dept": "Support", "head count": True, "tags": None},
)
RECORDS_KEPT = tuple(dataclasses.replace(r, kept=k) for r, k in zip(RECORDS, KEPT, strict=True))


def render(fmt: str, records: tuple[ClassifiedRecord, ...], keep: tuple[str, ...] = KEEP) -> str:
    out = reporter(fmt, keep)(records)
    if fmt != "table":
        return "".join(out)
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=140, no_color=True, highlight=False, soft_wrap=False).print(out)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt", "records"),
    [
        ("classify-keep.json", "json", RECORDS_KEPT),
        ("classify-keep.jsonl", "jsonl", RECORDS_KEPT),
        ("classify-keep.csv", "csv", RECORDS_KEPT),
        ("classify-keep.table.txt", "table", RECORDS_KEPT),
        ("classify-keep-single.table.txt", "table", RECORDS_KEPT[:1]),
    ],
)
def test_golden(name: str, fmt: str, records: tuple[ClassifiedRecord, ...]) -> None:
    got = render(fmt, records)
    path = GOLDEN / name
    if os.environ.get("ROLEPLAN_UPDATE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_without_keep_the_formats_are_unchanged() -> None:
    for fmt in RENDER:
        assert renderer(fmt) is RENDER[fmt]
        assert render(fmt, RECORDS_KEPT, ()) == "".join(frame(fmt, map(RENDER[fmt], RECORDS)))


def test_json_keys_come_after_the_documented_ones_in_the_order_given() -> None:
    items = [json.loads(line) for line in render("jsonl", RECORDS_KEPT).splitlines()]
    assert list(items[0])[-5:] == ["note", *KEEP]
    assert [i["dept"] for i in items] == [
        '=HYPERLINK("http://x")',
        "-Post-sales",
        "Support",
    ]  # JSON: verbatim
    assert items[0]["head count"] == -2 and items[1]["tags"] == {"team": "@emea"}
    assert items[2]["family"] is None and items[2]["error"] == "empty text" and items[2]["dept"] == "Support"
    assert json.loads(render("json", RECORDS_KEPT)) == items


def test_a_record_without_kept_values_has_the_keys_all_the_same() -> None:
    bare = ClassifiedRecord(id="x", title=None, company=None, result=None, error="record is over the limit")
    item = json.loads(render("jsonl", (bare,)))
    assert [item[k] for k in KEEP] == [None] * 4
    rows = list(csv.reader(io.StringIO(render("csv", (bare,)))))
    assert rows[1][len(CSV_COLUMNS) :] == ["", "", "", ""]


def test_csv_kept_columns_are_escaped_like_every_other_cell() -> None:
    rows = list(csv.reader(io.StringIO(render("csv", RECORDS_KEPT))))
    assert rows[0] == [*CSV_COLUMNS, *KEEP]
    kept = [row[len(CSV_COLUMNS) :] for row in rows[1:]]
    assert kept == [
        ["R-1", '\'=HYPERLINK("http://x")', "-2", '["pre","sales"]'],  # -2 is a number, not a formula
        ["17", "'-Post-sales", "2.5", '{"team":"@emea"}'],
        ["", "Support", "true", ""],
    ]


def test_output_field_names_cover_json_and_csv() -> None:
    item = json.loads(render("jsonl", RECORDS[:1], ()))
    assert set(item) | set(CSV_COLUMNS) == set(OUTPUT_FIELDS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _finite(value: Any) -> Any:
    """What a kept value reads back as: NaN and infinities (which JSON cannot say) become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=8), json_values), max_size=4, unique_by=lambda t: t[0])
)
def test_kept_values_round_trip_through_json_and_csv(pairs: list[tuple[str, Any]]) -> None:
    keep = tuple(k for k, _ in pairs)
    rec = dataclasses.replace(RECORDS[0], kept=dict(pairs))
    item = json.loads(renderer("jsonl", keep)(rec))
    for k, v in pairs:
        top = isinstance(v, float) and not math.isfinite(v)
        assert item[k] == (None if top else _finite(v))
    row = next(csv.reader(io.StringIO(renderer("csv", keep)(rec))))
    assert len(row) == len(CSV_COLUMNS) + len(keep)
    for cell, (_, v) in zip(row[len(CSV_COLUMNS) :], pairs, strict=True):
        text = kept_cell(v)
        assert cell in (text, "'" + text)
        assert not cell.startswith(("=", "@", "+", "\t", "\r"))
