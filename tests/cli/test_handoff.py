"""`roleplan handoff` through the real CLI: the example exports, every format, column mapping and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roleplan.report.handoff import REPORTERS
from tests.conftest import Run
from tests.report.golden_util import assert_golden

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "docs/examples/handoff-deals.csv"
SALESFORCE = "docs/examples/salesforce-closed-won.csv"
EXT = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}
HEADER = (
    "deal,closed_won,kickoff,meddpicc_scorecard,poc_scope,commercial_commitments,stakeholder_map,risk_log,"
    "architecture_signed\n"
)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the reports name the file as given: relative paths keep goldens portable


def deals(r: object) -> dict[str, dict]:  # type: ignore[type-arg]
    data = json.loads(r.out)  # type: ignore[attr-defined]
    return {d["deal"]: d for d in data["deals"]}


def rules(deal: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["id"]: r for r in deal["rules"]}


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_golden_every_format(run: Run, fmt: str) -> None:
    r = run("handoff", EXAMPLE, "--as-of", "2026-04-15", "--subdivision", "CA", "--format", fmt)
    assert r.code == 1, r  # deals breach
    assert_golden(f"handoff_example.{EXT[fmt]}", r.out)


def test_every_format_has_a_reporter() -> None:
    assert set(REPORTERS) == set(EXT)


def test_rules_on_the_example(run: Run) -> None:
    r = run("handoff", EXAMPLE, "--as-of", "2026-04-15", "-f", "json")
    data = json.loads(r.out)
    assert set(data) >= {"deals", "summary"}
    d = deals(r)
    assert d["Osprey Lane Credit Union"]["status"] == "met"
    # Closed Friday 16 Jan; MLK Day on the 19th moves the deadline to the 26th, when the risk log came in
    assert rules(d["Quillfeather Analytics"])["handoff_pack"] == {
        **rules(d["Quillfeather Analytics"])["handoff_pack"],
        "status": "met",
        "deadline": "2026-01-26",
    }
    bright = rules(d["Brightwater Ceramics"])
    assert (bright["handoff_pack"]["status"], bright["handoff_pack"]["days_late"]) == ("breached", 3)
    assert bright["handoff_pack"]["late"] == ["risk_log"]
    assert (bright["architecture_lock"]["days_late"], bright["architecture_lock"]["unit"]) == (13, "days")
    assert d["Brightwater Ceramics"]["go_live_slip_days"] == {"min": 45, "max": 60}
    assert rules(d["Nordvik Shipping"])["handoff_pack"]["missing"] == ["stakeholder_map"]
    pemberton = rules(d["Pemberton Dairy Co-op"])
    assert pemberton["kickoff"]["status"] == "breached"
    assert pemberton["architecture_lock"]["note"]  # counted from the kickoff's deadline
    assert d["Tallgrass Robotics"]["status"] == "pending"
    s = data["summary"]
    assert (s["deals"], s["met"], s["breached"], s["pending"]) == (8, 2, 5, 1)
    assert s["compliant_share"] == pytest.approx(2 / 7)
    assert s["go_live_slip_days_total"] == {"min": 90, "max": 120}
    assert s["source"] == "Gainsight 2026 Customer Onboarding & Time-to-Value Benchmark"


def test_subdivision_holiday_changes_the_verdict(run: Run) -> None:
    # 31 March is a holiday in California only: the documents in on 1 April are on time there
    us = rules(deals(run("handoff", EXAMPLE, "--as-of", "2026-04-15", "-f", "json"))["Juniper Row Hotels"])
    ca = rules(
        deals(run("handoff", EXAMPLE, "--as-of", "2026-04-15", "--subdivision", "ca", "-f", "json"))[
            "Juniper Row Hotels"
        ]
    )
    assert (us["handoff_pack"]["status"], us["handoff_pack"]["days_late"]) == ("breached", 1)
    assert ca["handoff_pack"]["status"] == "met"


def test_as_of_replays_the_past(run: Run) -> None:
    # on 20 Jan nothing of Quillfeather's was due yet; later dates in the file had not happened
    r = run("handoff", EXAMPLE, "--as-of", "2026-01-20", "-f", "json")
    d = deals(r)
    assert d["Quillfeather Analytics"]["status"] == "pending"
    assert d["Osprey Lane Credit Union"]["status"] == "pending"  # architecture not due until 7 Feb
    assert r.code == 0
    # a deal Closed-Won after --as-of was not won yet: counted, not checked
    assert list(d) == ["Osprey Lane Credit Union", "Quillfeather Analytics"]
    summary = json.loads(r.out)["summary"]
    assert (summary["deals"], summary["closed_after_as_of"]) == (2, 6)
    table = run("handoff", EXAMPLE, "--as-of", "2026-01-20").out
    assert "Not won yet         6 deals Closed-Won after 2026-01-20: not checked" in table


def test_salesforce_preset(run: Run) -> None:
    r = run("handoff", SALESFORCE, "--preset", "salesforce", "--as-of", "2026-04-15", "-f", "json")
    d = deals(r)
    assert sorted(d) == [
        "Cobalt Fern Clinics - Expansion",
        "Marlowe Freight - Platform",
        "Wrenfield Schools - Year 1",
    ]
    assert rules(d["Cobalt Fern Clinics - Expansion"])["kickoff"]["days_late"] == 1  # US date with a time
    assert json.loads(r.out)["invalid"] == []  # the report's footer is not a deal


def test_map_renames_one_column(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        HEADER.replace("closed_won", "Won On") + "Acme,2026-03-02,2026-03-03,,,,,,\n", encoding="utf-8"
    )
    r = run("handoff", str(f), "--map", "closed_won=Won On", "--as-of", "2026-03-04", "-f", "json")
    assert r.code == 0, r
    assert deals(r)["Acme"]["status"] == "pending"
    r = run("handoff", str(f), "--as-of", "2026-03-04")
    assert r.code == 2
    assert "no column 'closed_won'" in r.err and "--map FIELD=COLUMN" in r.err and "Won On" in r.err


def test_yaml_export(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "deals.yaml"
    f.write_text(
        "deals:\n"
        "  - deal: Larkspur Mills\n    closed_won: 2026-03-02\n    kickoff: 2026-03-04\n"
        "    meddpicc_scorecard: 2026-03-03\n    poc_scope: 2026-03-03\n    commercial_commitments: 2026-03-03\n"
        "    stakeholder_map: 2026-03-03\n    risk_log: 2026-03-03\n    architecture_signed: 2026-03-20\n"
        "  - deal: Gorse Hill Energy\n    closed_won: 3/5/2026\n    kickoff:\n    meddpicc_scorecard:\n"
        "    poc_scope:\n    commercial_commitments:\n    stakeholder_map:\n    risk_log:\n    architecture_signed:\n",
        encoding="utf-8",
    )
    r = run("handoff", str(f), "--as-of", "2026-04-15", "-f", "json")
    d = deals(r)
    assert d["Larkspur Mills"]["status"] == "met"
    assert d["Gorse Hill Energy"]["status"] == "breached" and r.code == 1


def test_yaml_leaves_out_what_has_not_happened(run: Run, tmp_path: Path) -> None:
    """A written list omits the dates that have not happened; no record has a risk log or a sign-off yet.
    The deal and its Closed-Won date still must be there, and a CSV must still have every column."""
    f = tmp_path / "deals.yaml"
    f.write_text(
        "- {deal: Larkspur Mills, closed_won: 2026-04-06, kickoff: 2026-04-08, meddpicc_scorecard: 2026-04-07}\n"
        "- {deal: Gorse Hill Energy, closed_won: 2026-04-07}\n",
        encoding="utf-8",
    )
    r = run("handoff", str(f), "--as-of", "2026-04-09", "-f", "json")
    assert r.code == 0, r
    d = deals(r)
    pack = d["Larkspur Mills"]["rules"][0]
    assert pack["status"] == "pending" and pack["missing"] == [
        "poc_scope", "commercial_commitments", "stakeholder_map", "risk_log",
    ]  # fmt: skip
    assert d["Gorse Hill Energy"]["status"] == "pending"
    f.write_text("- {deal: Larkspur Mills, kickoff: 2026-04-08}\n", encoding="utf-8")
    r = run("handoff", str(f), "--as-of", "2026-04-09")
    assert r.code == 2 and "no column 'closed_won'" in r.err
    csv = tmp_path / "deals.csv"
    csv.write_text("deal,closed_won\nLarkspur Mills,2026-04-06\n", encoding="utf-8")
    r = run("handoff", str(csv), "--as-of", "2026-04-09")
    assert r.code == 2 and "no columns 'kickoff'" in r.err


def test_bad_rows_are_findings(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        HEADER
        + "Acme,2026-03-02,2026-03-03,2026-03-03,2026-03-03,2026-03-03,2026-03-03,2026-03-03,2026-03-20\n"
        + "Acme,2026-03-02,,,,,,,\n"
        + "Birch,2026-02-30,,,,,,,\n"
        + "Cedar,25/03/2026,,,,,,,\n"
        + ",2026-03-02,,,,,,,\n"
        + "Dune,,,,,,,,\n",
        encoding="utf-8",
    )
    r = run("handoff", str(f), "--as-of", "2026-04-15", "-f", "json")
    assert r.code == 1
    invalid = {i["line"]: i["message"] for i in json.loads(r.out)["invalid"]}
    assert "listed twice (first on line 2)" in invalid[3]
    assert "closed_won" in invalid[4] and "'2026-02-30' is not a calendar date" in invalid[4]
    assert "--day-first" in invalid[5]
    assert "deal is empty" in invalid[6]
    assert "not Closed-Won yet" in invalid[7]
    assert f"{f}:4: closed_won" in r.err  # each finding on stderr, with file and line
    assert deals(r)["Acme"]["status"] == "met"
    day_first = run("handoff", str(f), "--as-of", "2026-04-15", "--day-first", "-f", "json")
    assert "Cedar" in deals(day_first)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty export: no header row"),
        (HEADER.encode(), "empty export: a header row and no data"),
        (b"\x00\x01\x02binary", "binary data"),
        (HEADER.encode() + "Caf\xe9,2026-03-02,,,,,,,\n".encode("latin-1"), "not UTF-8 text near line 2"),
        (b"deal,closed\nA,2026-01-01\n", "'closed_won' (did you mean 'closed'?)"),
        (HEADER.encode() + b'"Acme,2026-03-02\n', "unreadable CSV"),
    ],
)
def test_unreadable_exports(run: Run, tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "d.csv"
    f.write_bytes(content)
    r = run("handoff", str(f))
    assert r.code == 2, r
    assert message in r.err and "Traceback" not in r.err
    assert r.err.count("\n") == 1


def test_cp1252_with_encoding(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_bytes(HEADER.encode() + "Café Noir,2026-03-02,,,,,,,\n".encode("cp1252"))
    r = run("handoff", str(f), "--encoding", "cp1252", "--as-of", "2026-03-03", "-f", "json")
    assert "Café Noir" in deals(r)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "closedwon=Close Date"], "unknown field 'closedwon'; did you mean 'closed_won'?"),
        (["--map", "closed_won"], "write it as FIELD=COLUMN"),
        (["--preset", "salesfroce"], "did you mean 'salesforce'?"),
        (["--country", "UX"], "unknown country 'UX'"),
        (["--subdivision", "ZZ"], "subdivision of US"),
        (["--as-of", "yesterday"], "--as-of: cannot read 'yesterday'"),
        (["--format", "jsn"], "did you mean 'json'?"),
        (["--encoding", "nope-8"], "unknown encoding"),
    ],
)
def test_bad_options(run: Run, args: list[str], message: str) -> None:
    r = run("handoff", EXAMPLE, *args)
    assert r.code == 2, r
    assert message in r.err


def test_missing_file(run: Run) -> None:
    r = run("handoff", "no-such.csv")
    assert (r.code, r.err.strip()) == (2, "roleplan: error: no-such.csv: no such file")


def test_output_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "handoff.json"
    r = run("handoff", EXAMPLE, "--as-of", "2026-04-15", "-f", "json", "-o", str(target))
    assert r.code == 1 and r.out == ""  # the findings' exit code, the report in the file
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["deals"] == 8
    again = run("handoff", EXAMPLE, "-o", str(target))
    assert again.code == 2 and "--force" in again.err


def _export(path: Path, n: int) -> None:
    """A generated export: deals met, late, pending and missing documents, US dates, unreadable rows."""
    lines = [HEADER]
    for i in range(n):
        won = f"2026-0{1 + i % 3}-{1 + i % 27:02d}"
        doc = "" if i % 5 == 0 else f"{1 + i % 3}/{2 + i % 26}/2026"
        arch = "" if i % 4 == 0 else f"2026-0{2 + i % 3}-{1 + i % 28:02d}"
        lines.append(f"Deal {i},{won if i % 41 else '2026-02-30'},{doc},{doc},{doc},,{doc},{doc},{arch}\n")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("n", [0, 1, 300])
@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_streamed_output_equals_the_whole_document(run: Run, tmp_path: Path, fmt: str, n: int) -> None:
    from datetime import date

    from roleplan.benchmarks import load_benchmarks
    from roleplan.core.businessdays import work_calendar
    from roleplan.core.handoff import check_deals
    from roleplan.loaders.handoff import columns_for, read_deals

    f = tmp_path / "deals.csv"
    _export(f, n)
    if n == 0:  # every row unreadable: `"deals": []`, the findings after
        f.write_text(HEADER + "Dune,,,,,,,,\n", encoding="utf-8")
    r = run("handoff", str(f), "--as-of", "2026-04-15", "-f", fmt)
    whole = check_deals(
        read_deals(f, columns_for(None, {})),
        as_of=date(2026, 4, 15),
        calendar=work_calendar("US", None),
        handoff=load_benchmarks().handoff,
        file=str(f),
    )
    assert r.out == REPORTERS[fmt](whole)
    assert r.code == (1 if whole.summary.breached or whole.invalid else 0)
    if fmt == "json":
        keys = "file as_of calendar within_business_days architecture_lock_days deals summary invalid"
        assert list(json.loads(r.out)) == keys.split()  # summary and invalid after the deals, as before
        assert len(json.loads(r.out)["deals"]) == whole.summary.deals
