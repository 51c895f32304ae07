"""`roleplan handoff` in `table` format on an export longer than a screen: one pass, a summary, the most
overdue breaches and how to get every deal, instead of a table nobody can read (held whole in memory)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_handoff import _export
from tests.conftest import Run


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # a short file name: the title stays on one line
    path = Path("deals.csv")
    _export(path, 120)  # 117 deals, 3 unreadable rows (lines 2, 43, 84)
    return path


def _earliest_breach(deal: dict) -> date:  # type: ignore[type-arg]
    return min(date.fromisoformat(r["deadline"]) for r in deal["rules"] if r["status"] == "breached")


def test_a_long_export_is_summarised(run: Run, export: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINES", "30")
    whole = json.loads(run("handoff", str(export), "--as-of", "2026-04-15", "-f", "json").out)
    r = run("handoff", str(export), "--as-of", "2026-04-15")
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0] == (
        f"SE→SA handoff as of 2026-04-15 (US business days) — {export}: 117 deals, summarised "
        "(more than a screenful)"
    )
    s = whole["summary"]
    assert f"{s['deals']}: {s['met']} met, {s['breached']} breached, {s['pending']} pending" in r.out
    breached = [d for d in whole["deals"] if d["status"] == "breached"]
    assert f"Most overdue breaches (10 of {len(breached)}, oldest missed deadline first)" in r.out
    expected = [d["deal"] for d in sorted(breached, key=_earliest_breach)[:10]]  # sorted() keeps input order
    shown = re.findall(r"^(Deal \d+) ", r.out[r.out.index("Most overdue") :], re.M)
    assert shown == expected
    assert "Rows not checked" in r.out and len(whole["invalid"]) == 3
    assert lines[-1].startswith("Every deal, one row each: add -f csv, -f json or -f markdown")
    assert r.err.count("\n") == 3  # each unreadable row on stderr, as with the full table


def test_up_to_a_screenful_is_the_full_table(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "30")  # 24 deals fit
    path = tmp_path / "few.csv"
    _export(path, 25)  # one of 25 unreadable: 24 deals
    r = run("handoff", str(path), "--as-of", "2026-04-15")
    assert "summarised" not in r.out and "Deal 1 " in r.out and "Deal 24 " in r.out  # Deal 0: unreadable
    path2 = tmp_path / "more.csv"
    _export(path2, 26)
    assert "25 deals, summarised" in run("handoff", str(path2), "--as-of", "2026-04-15").out


def test_many_unreadable_rows_are_capped_in_the_summary(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "20")
    path = tmp_path / "deals.csv"
    _export(path, 41 * 14)  # 14 unreadable rows
    r = run("handoff", str(path), "--as-of", "2026-04-15", "-q")
    block = r.out[r.out.index("Rows not checked") :]
    assert block.count("is not a calendar date") == 10
    assert "…      4 more (each was said on stderr as it was read)" in block


def test_a_broken_export_keeps_the_first_findings_and_counts_the_rest(run: Run, tmp_path: Path) -> None:
    """Memory stays flat on an export whose every row is unreadable: the report keeps the first MAX_FINDINGS,
    stderr has each one, the summary counts them all."""
    from roleplan.models.handoff import MAX_FINDINGS

    path = tmp_path / "deals.csv"
    header = "deal,closed_won,kickoff,meddpicc_scorecard,poc_scope,commercial_commitments,stakeholder_map,"
    rows = [f"Deal {i},{13 + i % 15}/03/2026,,,,,,," for i in range(MAX_FINDINGS + 50)]
    path.write_text(header + "risk_log,architecture_signed\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = run("handoff", str(path), "--as-of", "2026-04-15", "-f", "json")
    assert r.code == 1
    report = json.loads(r.out)
    assert report["summary"]["invalid_rows"] == MAX_FINDINGS + 50
    table = run("handoff", str(path), "--as-of", "2026-04-15", "-q").out
    assert f"Not checked         {MAX_FINDINGS + 50} rows could not be read (below)" in table
    one = tmp_path / "one.csv"
    one.write_text(header + "risk_log,architecture_signed\nDeal 0,2026-02-30,,,,,,,\n", encoding="utf-8")
    assert "Not checked         1 row could not be read" in run("handoff", str(one), "-q").out
    assert [f["line"] for f in report["invalid"]] == list(range(2, MAX_FINDINGS + 2))
    assert r.err.count("pass --day-first") == MAX_FINDINGS + 50
    md = run("handoff", str(path), "--as-of", "2026-04-15", "-f", "markdown", "-q").out
    assert md.count("pass --day-first") == MAX_FINDINGS and "| … | 50 more (each was said on stderr" in md


def test_the_summary_goes_to_a_file_like_the_table(
    run: Run, export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "30")
    out = tmp_path / "summary.txt"
    r = run("handoff", str(export), "--as-of", "2026-04-15", "-o", str(out))
    assert r.code == 1 and r.out == ""
    assert out.read_text(encoding="utf-8") == run("handoff", str(export), "--as-of", "2026-04-15").out
