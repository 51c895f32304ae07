"""`roleplan classify --keep FIELD,...`: input fields copied into each output record, through the CLI."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from roleplan.report.classify import CSV_COLUMNS
from tests.conftest import Run

SE = "Run tailored demos and proofs of concept for prospects, answer RFPs, partner with Account Executives."
SA = "After the contract is signed, own the reference architecture, plan the migration and lead go-live."


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "reqs.jsonl"
    rows = [
        {"id": "r1", "text": SE, "req": "REQ-1", "dept": '=HYPERLINK("http://x")', "hc": -2},
        {"id": "r2", "text": SA, "req": "REQ-2", "dept": "Post-sales", "hc": 1.5, "extra": [1, 2]},
        {"id": "r3", "text": None, "req": "REQ-3"},  # a per-record error keeps its fields too
        {"id": "r4", "text": SA},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_keeps_the_fields_as_read_and_null_where_a_record_lacks_one(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "-f", "jsonl", "--keep", "req, dept", "--keep", "hc,extra,req")
    assert r.code == 1  # r3 has no text
    items = lines(r.out)
    assert list(items[0])[-5:] == ["note", "req", "dept", "hc", "extra"]  # repeats dropped, order kept
    assert [(i["req"], i["dept"], i["hc"], i["extra"]) for i in items] == [
        ("REQ-1", '=HYPERLINK("http://x")', -2, None),
        ("REQ-2", "Post-sales", 1.5, [1, 2]),
        ("REQ-3", None, None, None),
        (None, None, None, None),
    ]
    assert items[2]["error"] == '"text" must be a string, got null'


def test_csv_gets_the_kept_columns_escaped(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "-f", "csv", "--keep", "req,dept,hc,extra")
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0] == [*CSV_COLUMNS, "req", "dept", "hc", "extra"]
    assert [row[len(CSV_COLUMNS) :] for row in rows[1:]] == [
        ["REQ-1", '\'=HYPERLINK("http://x")', "-2", ""],
        ["REQ-2", "Post-sales", "1.5", "[1,2]"],
        ["REQ-3", "", "", ""],
        ["", "", "", ""],
    ]


def test_a_csv_batch_keeps_columns_by_name_whatever_their_case(run: Run, tmp_path: Path) -> None:
    src = tmp_path / "ats.csv"
    src.write_text(f'Req ID,Description,Dept\nA-1,"{SE}",-Sales\nA-2,"{SA}",@ops\n', encoding="utf-8")
    r = run("classify", str(src), "-f", "jsonl", "--text-field", "description", "--keep", "req id,Dept")
    assert r.code == 0, r
    assert [(i["req id"], i["Dept"]) for i in lines(r.out)] == [("A-1", "-Sales"), ("A-2", "@ops")]
    c = run("classify", str(src), "-f", "csv", "--text-field", "description", "--keep", "Dept")
    assert [row[-1] for row in csv.reader(io.StringIO(c.out))] == ["Dept", "'-Sales", "'@ops"]


def test_a_field_no_record_has_is_null_with_a_warning_naming_the_closest(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "-f", "jsonl", "--keep", "reqq")
    assert [i["reqq"] for i in lines(r.out)] == [None] * 4
    assert (
        f'roleplan: warning: {batch}: no record has a "reqq" field to keep; it is null; did you mean' in r.err
    )
    assert "'req'?" in r.err


def test_a_csv_column_that_is_not_there_warns_once(run: Run, tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_text(f'id,text,department\n1,"{SE}",Sales\n2,"{SA}",CS\n', encoding="utf-8")
    r = run("classify", str(src), "-f", "csv", "--keep", "departmnt")
    assert r.code == 0
    assert r.err == (
        f'roleplan: warning: {src}: no "departmnt" column to keep; its cells are empty; '
        "did you mean 'department'?\n"
    )
    assert [row[-1] for row in csv.reader(io.StringIO(r.out))] == ["departmnt", "", ""]


@pytest.mark.parametrize("name", ["family", "Confidence", "soc_code", "top_evidence", "error"])
def test_a_name_the_output_uses_is_a_one_line_usage_error(run: Run, batch: Path, name: str) -> None:
    r = run("classify", str(batch), "--keep", f"req,{name}")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(
        f"roleplan: error: --keep {name!r}: the output has a {name.lower()!r} field of its own"
    )
    assert r.err.count("\n") == 1


def test_id_title_company_already_come_from_the_input(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "--keep", "title")
    assert r.code == 2 and "(id, title and company come from the input already)" in r.err


@pytest.mark.parametrize("value", ["", "a,,b", ",", "req, "])
def test_an_empty_name_is_a_usage_error(run: Run, batch: Path, value: str) -> None:
    r = run("classify", str(batch), "--keep", value)
    assert r.code == 2 and "an empty field name" in r.err and r.err.count("\n") == 1


def test_a_single_text_has_no_fields_to_keep(run: Run) -> None:
    r = run("classify", "--keep", "req", input=SE)
    assert r.code == 2
    assert (
        r.err
        == "roleplan: error: --keep copies fields of batch records (JSONL, CSV); a single text has none\n"
    )


def test_the_table_shows_the_kept_columns(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "--keep", "req")
    header = r.out.splitlines()[1].split()
    assert header[:4] == ["id", "title", "req", "family"]
    assert "REQ-2" in r.out


def test_gzip_and_jobs_give_the_same_bytes(run: Run, batch: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl.gz"
    with gzip.open(big, "wt", encoding="utf-8") as fh:
        for i in range(700):  # several --jobs chunks
            row = {
                "id": f"g{i}",
                "text": (SE, SA, "  ")[i % 3],
                "req": f"R{i}",
                "n": i,
                "dept": "=x" * (i % 2),
            }
            if i % 5 == 0:
                del row["dept"]
            fh.write(json.dumps(row) + "\n")
    for fmt in ("jsonl", "csv", "json", "table"):
        one = run("classify", str(big), "-f", fmt, "--keep", "req,n,dept")
        assert one.code == 1
        assert "R699" in one.out or fmt == "table"  # (a table this long is the summary)
        many = run("classify", str(big), "-f", fmt, "--keep", "req,n,dept", "--jobs", "2")
        assert (many.code, many.out, many.err) == (one.code, one.out, one.err), fmt


def test_keep_to_a_file(run: Run, batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    assert run("classify", str(batch), "-f", "csv", "--keep", "req", "-o", str(out)).code == 1
    assert out.read_text(encoding="utf-8") == run("classify", str(batch), "-f", "csv", "--keep", "req").out
