"""Reporters of `roleplan classify`: golden outputs, the hand-built JSON against json.loads, CSV safety."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.cli.classify import FORMATS
from roleplan.models.classify import ClassifiedRecord, Evidence, RoleClassification, Soc
from roleplan.report.classify import CSV_COLUMNS, REPORTERS, csv_rows, json_array, jsonl, record_json

GOLDEN = Path(__file__).parent / "golden"

SE = RoleClassification(
    family="se",
    role="sales_engineer",
    confidence=0.8765,
    title_mismatch=True,
    title_family="sa",
    evidence=(
        Evidence(phrase="lead proofs of concept", signal="presales.poc", family="se", weight=2.0),
        Evidence(phrase="RFPs & “security questionnaires”", signal="presales.rfp", family="se", weight=1.25),
        Evidence(
            phrase="partner with Solutions Architects",
            signal="postsales.mention",
            family="sa",
            weight=-0.5,
            where="nice_to_have",
        ),
        Evidence(phrase="Solutions Architect", signal="title.sa", family="sa", weight=0.75, where="title"),
    ),
    soc=Soc(code="41-9031.00", title="Sales Engineers"),
    scores={"se": 3.25, "sa": 0.25},
)
SA = RoleClassification(
    family="sa",
    role="solutions_architect",
    confidence=0.42,
    title_mismatch=False,
    title_family=None,
    evidence=(Evidence(phrase="go-live", signal="postsales.golive", family="sa", weight=1.0),),
    soc=Soc(code="15-1299.08", title="Computer Systems Engineers/Architects"),
    scores={"sa": 1.0},
)
RECORDS = (
    ClassifiedRecord(id="cobalt-se", title="Solutions Architect", company="Cobalt Cloud", result=SE),
    ClassifiedRecord(
        id="=cmd|' /C calc'!A0",
        title="-Deployment Engineer",
        company="@Stratus",
        result=SA,
        note="decoded as cp1252 (not valid UTF-8)",
    ),
    ClassifiedRecord(id="blank", title="Support Engineer", company=None, result=None, error="empty text"),
)


def render(fmt: str, records: tuple[ClassifiedRecord, ...]) -> str:
    out = REPORTERS[fmt](records)
    if isinstance(out, str):
        return out
    if fmt in ("json", "jsonl", "csv"):
        return "".join(out)
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=100, no_color=True, highlight=False, soft_wrap=False).print(out)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt", "records"),
    [
        ("classify-batch.json", "json", RECORDS),
        ("classify-batch.jsonl", "jsonl", RECORDS),
        ("classify-batch.csv", "csv", RECORDS),
        ("classify-batch.table.txt", "table", RECORDS),
        ("classify-single.table.txt", "table", RECORDS[:1]),
    ],
)
def test_golden(name: str, fmt: str, records: tuple[ClassifiedRecord, ...]) -> None:
    got = render(fmt, records)
    path = GOLDEN / name
    if os.environ.get("ROLEPLAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_every_format_has_a_reporter() -> None:
    assert set(REPORTERS) == set(FORMATS)


def test_json_is_an_array_and_parses() -> None:
    items = json.loads(render("json", RECORDS))
    assert [i["id"] for i in items] == [r.id for r in RECORDS]
    assert items[0]["confidence"] == 0.876 and items[0]["evidence"][2]["weight"] == -0.5
    assert items[2]["family"] is None and items[2]["error"] == "empty text" and items[2]["soc"] is None
    assert render("json", ()) == "[]\n"
    assert json.loads(render("json", RECORDS[:1]))[0]["id"] == "cobalt-se"


def exploding(records: tuple[ClassifiedRecord, ...]) -> Iterator[ClassifiedRecord]:
    yield from records
    raise RuntimeError("the input ended badly")


@pytest.mark.parametrize("stream", [json_array, jsonl, csv_rows])
def test_machine_formats_stream_record_by_record(stream: Any) -> None:
    chunks = stream(exploding(RECORDS[:1]))
    assert "cobalt-se" in next(chunks)  # written before the input is exhausted
    with pytest.raises(RuntimeError):
        next(chunks)


def test_csv_columns_and_no_cell_a_spreadsheet_would_run() -> None:
    rows = list(csv.reader(io.StringIO(render("csv", RECORDS))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[2][:3] == ["'=cmd|' /C calc'!A0", "'-Deployment Engineer", "'@Stratus"]
    assert rows[1][CSV_COLUMNS.index("top_evidence")].startswith(
        "lead proofs of concept [presales.poc +2.00]; RFPs"
    )
    assert rows[3][CSV_COLUMNS.index("error")] == "empty text" and rows[3][3] == ""
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for c in row)


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
_float = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    rid=_text,
    title=st.none() | _text,
    error=st.none() | _text,
    phrases=st.lists(st.tuples(_text, _text, _float), max_size=4),
    confidence=st.floats(min_value=0, max_value=1),
    mismatch=st.booleans(),
)
def test_hand_built_json_equals_what_json_loads_reads(
    rid: str,
    title: str | None,
    error: str | None,
    phrases: list[tuple[str, str, float]],
    confidence: float,
    mismatch: bool,
) -> None:
    result = RoleClassification(
        family="hybrid",
        role="sales_engineer",
        confidence=confidence,
        title_mismatch=mismatch,
        title_family="se",
        evidence=tuple(Evidence(phrase=p, signal=s, family="se", weight=w) for p, s, w in phrases),
        soc=Soc(code="41-9031.00", title=title or "x"),
        scores={},
    )
    for rec in (
        ClassifiedRecord(id=rid, title=title, company=None, result=result, error=error),
        ClassifiedRecord(id=rid, title=title, company=title, result=None, error=error, note=title),
    ):
        line = record_json(rec)
        assert "\n" not in line
        item = json.loads(line)
        assert item["id"] == rid and item["title"] == title and item["error"] == error
        if rec.result is not None:
            assert item["confidence"] == pytest.approx(round(confidence, 3), abs=1e-9)
            assert item["title_mismatch"] is mismatch
            assert [(e["phrase"], e["signal"]) for e in item["evidence"]] == [(p, s) for p, s, _ in phrases]
            assert [e["weight"] for e in item["evidence"]] == pytest.approx(
                [w for *_, w in phrases], abs=6e-4
            )


def test_non_finite_numbers_stay_valid_json() -> None:
    bad = RoleClassification(
        family="se",
        role="x",
        confidence=float("nan"),
        title_mismatch=False,
        title_family=None,
        evidence=(Evidence(phrase="p", signal="s", family="se", weight=float("inf")),),
        soc=Soc(code="1", title="t"),
        scores={},
    )
    item = json.loads(record_json(ClassifiedRecord(id="a", title=None, company=None, result=bad)))
    assert item["confidence"] is None and item["evidence"][0]["weight"] is None
