"""Batch input options (#14 item 3): field names, gzip, null texts, numbers in CSV output."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.conftest import Run


def _jsonl(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_field_options_name_the_text_id_and_title(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(_jsonl([{"key": "-2", "description": "Run demos and POCs for prospects.", "role": "SE"}]))
    r = run(
        "classify",
        str(path),
        "-f",
        "jsonl",
        "--text-field",
        "description",
        "--id-field",
        "key",
        "--title-field",
        "role",
    )
    out = json.loads(r.out)
    assert r.code == 0 and out["id"] == "-2" and out["title"] == "SE" and out["error"] is None, r


def test_csv_columns_by_name_case_insensitive(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("Key,Description\n-2,Run demos and POCs for prospects.\n=HYPERLINK(1),Run demos.\n")
    r = run("classify", str(path), "-f", "csv", "--text-field", "description", "--id-field", "KEY")
    lines = r.out.splitlines()
    assert r.code == 0, r
    assert lines[1].startswith("-2,") and lines[2].startswith("'=HYPERLINK(1),")


def test_null_or_missing_text_is_a_per_record_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(_jsonl([{"id": "a", "text": "Run demos."}, {"id": "b", "text": None}, {"id": "c"}]))
    r = run("classify", str(path), "-f", "jsonl")
    out = {d["id"]: d["error"] for d in map(json.loads, r.out.splitlines())}
    assert r.code == 1 and out["a"] is None
    assert "null" in out["b"] and 'no "text" field' in out["c"]


def test_gzipped_batches_are_read_streaming(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl.gz"
    path.write_bytes(gzip.compress(_jsonl([{"id": str(i), "text": "Run demos."} for i in range(3)]).encode()))
    r = run("classify", str(path), "-f", "jsonl")
    assert r.code == 0 and [json.loads(x)["id"] for x in r.out.splitlines()] == ["0", "1", "2"], r
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(b"not gzip at all")
    r = run("classify", str(bad), "-f", "jsonl")
    assert r.code == 2 and "gzip" in r.err and r.err.count("\n") == 1, r
