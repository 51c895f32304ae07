"""`roleplan eval`: accuracy report, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run

LABELS = {
    "se_boilerplate.txt": "se",
    "html_se.html": "se",
    "presales_sa_platform.txt": "se",
    "ae_mentions_se.txt": "other",
    "implementation_engineer.txt": "sa",
    "postsales_sa.txt": "sa",
    "csm.txt": "other",
    "support_engineer.txt": "other",
    "sdr.txt": "other",
}


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    rows = []
    for name, label in LABELS.items():
        text = (FIXTURES / "classify" / name).read_text(encoding="utf-8")
        rows.append({"id": name, "title": text.split("\n", 1)[0], "label": label, "text": text})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_json_report(run: Run, labelled: Path) -> None:
    r = run("eval", str(labelled), "--format", "json")
    assert r.code == 0, r
    data = json.loads(r.out)
    assert data["n"] == len(LABELS)
    assert data["accuracy"] == 1
    assert {f["family"] for f in data["families"]} >= {"se", "sa", "other"}
    assert sum(sum(row.values()) for row in data["confusion"].values()) == len(LABELS)
    assert data["misses"] == []
    assert sum(b["n"] for b in data["buckets"]) == len(LABELS)


def test_table_and_markdown(run: Run, labelled: Path) -> None:
    table = run("eval", str(labelled))
    assert table.code == 0
    assert "accuracy 100.0%" in table.out and "Confusion" in table.out
    md = run("eval", str(labelled), "--format", "markdown")
    assert md.code == 0 and "| family | precision |" in md.out


def test_below_minimum_exits_1_and_shows_misses(run: Run, tmp_path: Path, labelled: Path) -> None:
    wrong = tmp_path / "wrong.jsonl"
    lines = labelled.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines]
    for row in rows[:3]:
        row["label"] = "sa"  # three pre-sales postings mislabelled
    wrong.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    r = run("eval", str(wrong), "--min-accuracy", "0.9", "--format", "json")
    assert r.code == 1
    data = json.loads(r.out)
    assert len(data["misses"]) == 3
    assert all(m["evidence"] for m in data["misses"])
    assert run("eval", str(wrong), "--min-accuracy", "0.5").code == 0


def test_missing_label_names_file_and_line(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text(
        '{"id": "a", "text": "demos", "label": "se"}\n{"id": "b", "text": "demos"}\n', encoding="utf-8"
    )
    r = run("eval", str(p))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert f"{p}:2:" in r.err and "no label" in r.err


def test_unknown_label_suggests(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"id": "a", "text": "demos", "label": "hybird"}\n', encoding="utf-8")
    r = run("eval", str(p))
    assert r.code == 2
    assert f"{p}:1:" in r.err and "'hybrid'" in r.err


def test_labels_forgive_case(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text(
        '{"id": "a", "text": "Run demos and POCs with prospects.", "label": "SE"}\n', encoding="utf-8"
    )
    assert run("eval", str(p)).code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min-accuracy", "1.5"], "between 0 and 1"),
        (["--format", "yaml"], "unknown format"),
    ],
)
def test_bad_options(run: Run, labelled: Path, args: list[str], message: str) -> None:
    r = run("eval", str(labelled), *args)
    assert r.code == 2 and message in r.err and "Traceback" not in r.err


def test_missing_and_empty_files(run: Run, tmp_path: Path) -> None:
    r = run("eval", str(tmp_path / "nope.jsonl"))
    assert r.code == 2 and "no such file" in r.err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    r = run("eval", str(empty))
    assert r.code == 2 and "no records" in r.err


def test_help_has_an_example(run: Run) -> None:
    r = run("eval", "--help")
    assert r.code == 0 and "Example: roleplan eval" in r.out
