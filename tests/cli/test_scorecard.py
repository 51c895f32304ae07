"""`roleplan scorecard` and `staff --metrics` through the real CLI: examples, formats, bad rows and options."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from roleplan.report.scorecard import REPORTERS
from tests.conftest import Run
from tests.report.golden_util import assert_golden

ROOT = Path(__file__).resolve().parents[2]
OPPS = "docs/examples/opportunities.csv"
ACCOUNTS = "docs/examples/accounts.csv"
EXT = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}
HEADER = "id,created,closed,outcome,amount,se,poc,poc_outcome,technical_win\n"
AS_OF = ("--as-of", "2026-04-15")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def card(run: Run, *args: str) -> dict:  # type: ignore[type-arg]
    r = run("scorecard", *args, *AS_OF, "-f", "json")
    assert r.code in (0, 1), r
    return json.loads(r.out)  # type: ignore[no-any-return]


def export(tmp_path: Path, body: str, header: str = HEADER, name: str = "opps.csv") -> str:
    f = tmp_path / name
    f.write_text(header + body, encoding="utf-8")
    return str(f)


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_golden_every_format(run: Run, fmt: str) -> None:
    r = run("scorecard", OPPS, "--accounts", ACCOUNTS, *AS_OF, "--format", fmt)
    assert r.code == 0, r
    assert_golden(f"scorecard_example.{EXT[fmt]}", r.out)


def test_every_format_has_a_reporter() -> None:
    assert set(REPORTERS) == set(EXT)


def test_json_shape_and_rules(run: Run) -> None:
    data = card(run, OPPS, "--accounts", ACCOUNTS)
    assert {"win_rate", "poc_win_rate", "technical_win_rate", "median_velocity_days"} <= set(data["team"])
    assert {s["se"] for s in data["per_se"]} == {"Ingrid Holm", "Priya Raman", "Tomás Ferreira"}
    assert [q["quarter"] for q in data["by_quarter"]] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    checks = {c["id"]: c for c in data["checks"]}
    assert checks["poc-win-rate-revisit"]["threshold"] == 0.6
    assert checks["poc-win-rate-revisit"]["verdict"] == "stable above"  # the quarter in progress is left out
    assert checks["days-to-first-value"]["threshold"] == 120
    assert checks["deployed-at-renewal"]["threshold"] == 0.7
    assert all(c["source"] == "SE vs SA role explainer (2026)" for c in data["checks"])


def test_small_export_by_hand(run: Run, tmp_path: Path) -> None:
    f = export(
        tmp_path,
        'A1,2026-01-05,2026-02-04,won,"$120,000.00",Ana,yes,passed,yes\n'
        "A2,2026-01-10,2026-03-01,lost,60000,Ana,yes,failed,no\n"
        "A3,2026-01-12,2026-03-13,Closed Won,30000,,no,,\n"
        "A4,2026-02-01,2026-06-30,Negotiation/Review,90000,Ana; Bo,yes,,\n"
        "A5,1/15/2026 9:30 AM,15 Mar 2026,closed-lost,10000,Bo,yes,,yes\n",
    )
    data = card(run, f)
    t = data["team"]
    assert (t["won"], t["lost"], t["open"]) == (2, 2, 1)
    assert t["win_rate"] == 0.5
    # POCs: A1 passed, A2 failed, A5 counts by its lost deal, A4 still running
    assert (t["pocs_run"], t["pocs_won"], t["pocs_lost"]) == (4, 1, 2)
    assert t["median_velocity_days"] == 45  # 30 and 60 days
    assert t["technical_win_rate"] == pytest.approx(2 / 3)
    assert t["pipeline"] == 310000
    per = {s["se"]: s["metrics"] for s in data["per_se"]}
    assert per["Bo"]["opportunities"] == 2 and per["Ana"]["opportunities"] == 3  # A4 counts for both
    assert data["without_se"]["opportunities"] == 1
    assert data["accounts"] is None


def test_bad_rows_are_findings(run: Run, tmp_path: Path) -> None:
    f = export(
        tmp_path,
        "B1,2026-01-05,2026-02-04,won,1000,Ana,no,,\n"
        "B1,2026-01-05,2026-02-04,won,1000,Ana,no,,\n"
        "B2,2026-13-05,2026-02-04,won,1000,Ana,no,,\n"
        "B3,2026-03-05,2026-02-04,lost,1000,Ana,no,,\n"
        "B4,2026-01-05,2026-02-04,wonn,1000,Ana,no,,\n"
        "B5,2026-01-05,2026-02-04,won,lots,Ana,no,,\n"
        "B6,2026-01-05,2026-02-04,won,1000,Ana,maybe,,\n"
        "B7,2026-01-05,,won,1000,Ana,no,,\n",
    )
    r = run("scorecard", f, *AS_OF, "-f", "json")
    assert r.code == 1
    data = json.loads(r.out)
    found = {i["line"]: i["message"] for i in data["invalid"]}
    assert data["invalid_rows"] == 7 and data["team"]["opportunities"] == 1
    assert found[3] == "opportunity 'B1' is listed twice (first on line 2); this row is skipped"
    assert found[4].startswith("created: '2026-13-05'")
    assert "closed 2026-02-04 is before created 2026-03-05" in found[5]
    assert "unknown outcome 'wonn'; did you mean 'won'?" in found[6]
    assert "'lots' is not an amount" in found[7]
    assert "'maybe' is not yes or no" in found[8]
    assert "closed is empty on a won opportunity" in found[9]
    assert f"{f}:6: outcome: unknown outcome" in r.err


def test_many_bad_rows_are_counted_not_kept(run: Run, tmp_path: Path) -> None:
    f = export(tmp_path, "".join(f"C{i},2026-01-05,2026-02-04,maybe,1,,no,,\n" for i in range(300)))
    r = run("scorecard", f, *AS_OF, "-f", "json")
    data = json.loads(r.out)
    assert (data["invalid_rows"], len(data["invalid"])) == (300, 100)
    assert "and 280 more rows not counted" in r.err
    assert data["team"]["opportunities"] == 0 and data["team"]["win_rate"] is None


def test_salesforce_preset_and_map(run: Run, tmp_path: Path) -> None:
    header = "Opportunity ID,Opportunity Name,Created Date,Close Date,Stage,Amount,SE Owner\n"
    f = export(
        tmp_path,
        '006A,Alder Foods,3/2/2026,3/30/2026,Closed Won,"50,000",Ana\n'
        "006B,Basalt Labs,3/3/2026,4/30/2026,Prospecting,20000,\n"
        "Grand Totals (2 records),,,,,,\n",
        header,
    )
    data = card(run, f, "--preset", "salesforce", "--map", "se=SE Owner")
    assert (data["team"]["won"], data["team"]["open"], data["invalid_rows"]) == (1, 1, 0)
    assert data["team"]["poc_win_rate"] is None  # no POC columns: no POC figures, not zeros


def test_a_pipeline_of_its_own_stages(run: Run, tmp_path: Path) -> None:
    f = export(
        tmp_path,
        "S1,2026-01-05,2026-02-04,Stage 3 - Solutioning,1000,Ana,no,,\n"
        "S2,2026-01-05,2026-02-04,Signed,1000,Ana,no,,\n"
        "S3,2026-01-05,2026-02-04,Closed Won,1000,Ana,no,,\n",
    )
    r = run("scorecard", f, *AS_OF, "-f", "json")
    found = {i["line"]: i["message"] for i in json.loads(r.out)["invalid"]}
    assert "a stage of your own: --outcome 'Stage 3 - Solutioning=open'" in found[2]
    mapped = card(run, f, "--outcome", "stage 3 - solutioning=open", "--outcome", "Signed=Won")
    assert (mapped["team"]["open"], mapped["team"]["won"], mapped["invalid_rows"]) == (1, 2, 0)
    r = run("scorecard", f, *AS_OF, "--outcome", "Signed=wn")
    assert r.code == 2 and "unknown outcome in --outcome 'wn'; did you mean 'won'?" in r.err
    r = run("scorecard", f, *AS_OF, "--outcome", "Signed")
    assert r.code == 2 and "write it as VALUE=OUTCOME" in r.err


def test_yaml_export_and_fiscal_quarters(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "opps.yaml"
    f.write_text(
        "- {id: Y1, created: 2026-01-10, closed: 2026-02-10, outcome: won, se: Ana, poc: true}\n"
        "- {id: Y2, created: 2026-01-10, closed: 2026-01-20, outcome: lost, se: ''}\n",
        encoding="utf-8",
    )
    data = card(run, str(f), "--fiscal-year-start", "2")
    assert [q["quarter"] for q in data["by_quarter"]] == ["FY2026-Q4", "FY2027-Q1"]


def test_yaml_records_may_leave_out_se_and_close(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "opps.yaml"
    f.write_text(
        "- {id: Y1, created: 2026-01-10, outcome: open}\n- {id: Y2, created: 2026-01-10, outcome: won}\n",
        encoding="utf-8",
    )
    data = card(run, str(f))
    assert (data["team"]["open"], data["without_se"]["opportunities"], data["invalid_rows"]) == (1, 1, 1)
    assert "closed is empty on a won opportunity" in data["invalid"][0]["message"]


def test_accounts_export(run: Run, tmp_path: Path) -> None:
    opps = export(tmp_path, "D1,2026-01-05,2026-02-04,won,1000,Ana,no,,\n")
    accounts = export(
        tmp_path,
        "North,2025-01-10,2025-04-10,100%\nSouth,2025-01-10,2025-08-10,0.6\nEast,2025-10-01,,\n"
        "West,2025-12-01,2025-11-01,\nWest,2025-12-01,,\n",
        "account,signed,first_value,deployed_at_renewal\n",
        "accounts.csv",
    )
    data = card(run, opps, "--accounts", accounts)
    a = data["accounts"]
    assert (a["accounts"], a["reached_first_value"], a["waiting"]) == (3, 2, 1)
    assert a["median_days_to_first_value"] == (90 + 212) / 2
    # East has waited 196 days: of the two accounts still at risk then, South reached it at 212
    assert (a["estimated_median_days_to_first_value"], a["estimate_at_least"]) == (212, False)
    assert a["past_trigger"] == 2  # South took 212 days; East has waited 196
    assert (a["renewed"], a["fully_deployed"], a["deployed_at_renewal"]) == (2, 1, 0.5)
    assert any(i["file"] == accounts and "before signature" in i["message"] for i in data["invalid"])
    # the first copy's line too, though that row was refused itself
    dup = "account 'West' is listed twice (first on line 5); this row is skipped"
    assert {"file": accounts, "line": 6, "message": dup}.items() <= next(
        i for i in data["invalid"] if i["line"] == 6
    ).items()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty export: no header row"),
        (HEADER, "empty export: a header row and no data"),
        ("id,created\nA,2026-01-01\n", "no columns 'closed', 'outcome', 'se'"),
    ],
)
def test_unreadable_exports(run: Run, tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "o.csv"
    f.write_text(content, encoding="utf-8")
    r = run("scorecard", str(f))
    assert r.code == 2 and message in r.err and r.err.count("\n") == 1, r


def test_bad_options(run: Run) -> None:
    assert "--fiscal-year-start must be a month" in run("scorecard", OPPS, "--fiscal-year-start", "13").err
    assert "did you mean 'outcome'?" in run("scorecard", OPPS, "--map", "outcom=Stage").err
    assert run("scorecard", OPPS, "--accounts", "nope.csv").err.strip().endswith("nope.csv: no such file")


# --- staff --metrics ---------------------------------------------------------------------------------------


@pytest.fixture
def metrics(run: Run, tmp_path: Path) -> Path:
    target = tmp_path / "metrics.json"
    r = run("scorecard", OPPS, "--accounts", ACCOUNTS, *AS_OF, "-f", "json", "-o", str(target))
    assert r.code == 0, r
    return target


def test_staff_uses_measured_values(run: Run, metrics: Path) -> None:
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(metrics), "-f", "json")
    data = json.loads(r.out)
    measured = json.loads(metrics.read_text(encoding="utf-8"))
    assert data["inputs"]["poc_win_rate"] == measured["team"]["poc_win_rate"]
    estimate = measured["accounts"]["estimated_median_days_to_first_value"]  # the waiting accounts in
    assert data["inputs"]["days_to_first_value"] == math.ceil(estimate) == 152
    assert data["inputs"]["deployed_at_renewal"] == measured["accounts"]["deployed_at_renewal"]
    assert {a["id"] for a in data["advice"]} >= {"poc-win-rate", "deployment-debt"}
    assert "poc-win-rate: measured 90%" in r.err


def test_staff_flags_win_over_the_file(run: Run, metrics: Path) -> None:
    r = run(
        "staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(metrics),
        "--poc-win-rate", "40%", "--days-to-first-value", "60", "-f", "json",
    )  # fmt: skip
    data = json.loads(r.out)
    assert (data["inputs"]["poc_win_rate"], data["inputs"]["days_to_first_value"]) == (0.4, 60)
    assert "--poc-win-rate 40% given: it wins over the measured 90%" in r.err
    assert "--days-to-first-value 60 given" in r.err


def _accounts_card(run: Run, tmp_path: Path, rows: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    opps = export(tmp_path, "D1,2026-01-05,2026-02-04,won,1000,Ana,no,,\n")
    accounts = export(tmp_path, rows, "account,signed,first_value,deployed_at_renewal\n", "accounts.csv")
    target = tmp_path / "m.json"
    r = run("scorecard", opps, "--accounts", accounts, *AS_OF, "-f", "json", "-o", str(target))
    assert r.code == 0, r
    return target, json.loads(target.read_text(encoding="utf-8"))


def test_long_waits_count_toward_days_to_first_value(run: Run, tmp_path: Path) -> None:
    """Two accounts reached first value in 30 days, three have waited 200 and counting: the median of the two
    alone (30) said 'within the 120-day trigger'; with the waiting ones in it is more than 200."""
    rows = "".join(f"R{i},2025-06-01,2025-07-01,\n" for i in range(2))
    rows += "".join(f"W{i},2025-09-27,,\n" for i in range(3))  # 200 days before 2026-04-15
    target, data = _accounts_card(run, tmp_path, rows)
    a = data["accounts"]
    assert (a["median_days_to_first_value"], a["estimated_median_days_to_first_value"]) == (30, 200)
    assert a["estimate_at_least"] is True
    check = next(c for c in data["checks"] if c["id"] == "days-to-first-value")
    assert check["verdict"] == "above" and "Median more than 200 days to first value" in check["text"]
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(target), "-f", "json")
    assert json.loads(r.out)["inputs"]["days_to_first_value"] == 200


def test_too_soon_to_judge_days_to_first_value(run: Run, tmp_path: Path) -> None:
    rows = "R0,2026-01-01,2026-01-31,\n" + "".join(f"W{i},2026-03-01,,\n" for i in range(3))
    target, data = _accounts_card(run, tmp_path, rows)
    check = next(c for c in data["checks"] if c["id"] == "days-to-first-value")
    assert check["verdict"] == "no data" and "too soon to judge" in check["text"]
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(target), "-f", "json")
    assert json.loads(r.out)["inputs"]["days_to_first_value"] is None
    assert "no measured days-to-first-value" in r.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON"),
        ('{"team": {}}', "not a scorecard"),
        (
            '{"kind": "roleplan scorecard", "team": {"poc_win_rate": 7}}',
            "team.poc_win_rate: expected a share",
        ),
        ('{"kind": "roleplan scorecard", "team": [], "accounts": null}', "expected an object"),
    ],
)
def test_staff_bad_metrics_file(run: Run, tmp_path: Path, content: str, message: str) -> None:
    f = tmp_path / "m.json"
    f.write_text(content, encoding="utf-8")
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(f))
    assert r.code == 2 and message in r.err, r


def test_staff_metrics_without_accounts(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "m.json"
    run("scorecard", OPPS, *AS_OF, "-f", "json", "-o", str(target))
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(target), "-f", "json")
    assert r.code == 0 and json.loads(r.out)["inputs"]["days_to_first_value"] is None
    assert "no measured days-to-first-value" in r.err


def test_staff_agrees_with_the_scorecard_at_the_bars(run: Run, tmp_path: Path) -> None:
    """A median of 120.5 days is past the 120-day trigger in staff as in the scorecard (it was rounded to 120);
    a POC win rate of exactly 60% is not above the 60% bar in either."""
    f = tmp_path / "m.json"
    f.write_text(
        json.dumps(
            {
                "kind": "roleplan scorecard",
                "team": {"poc_win_rate": 0.6},
                "accounts": {"median_days_to_first_value": 120.5, "deployed_at_renewal": 0.7},
            }
        ),
        encoding="utf-8",
    )
    r = run("staff", "--stage", "seriesB", "--aes", "12", "--metrics", str(f), "-f", "json")
    assert r.code == 0, r
    data = json.loads(r.out)
    assert data["inputs"]["days_to_first_value"] == 121
    advice = {a["id"]: a["text"] for a in data["advice"]}
    assert "past the 120-day trigger" in advice["deployment-debt"]
    assert "is not above 60%: keep pre-sales the priority" in advice["poc-win-rate"]
    assert "measured 120.5 days (counted as 121)" in r.err


def test_scorecard_at_the_poc_bar_is_not_above(run: Run, tmp_path: Path) -> None:
    rows = [
        f"E{i},2026-01-05,2026-02-0{1 + i % 5},won,1000,Ann,yes,{'passed' if i < 3 else 'failed'},yes"
        for i in range(5)
    ]
    f = tmp_path / "o.csv"
    f.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    card = json.loads(run("scorecard", str(f), *AS_OF, "-f", "json").out)
    check = next(c for c in card["checks"] if c["id"] == "poc-win-rate-revisit")
    assert (check["value"], check["verdict"]) == (0.6, "below")
    assert "POC win rate 60% is not above 60%" in check["text"]
