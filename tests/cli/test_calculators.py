"""staff, ratio, capacity, comp through the real CLI: the issue's examples, formats and every error path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run


def as_json(r: object) -> dict:  # type: ignore[type-arg]
    assert r.code == 0, r  # type: ignore[attr-defined]
    return json.loads(r.out)  # type: ignore[attr-defined, no-any-return]


def test_staff_series_b(run: Run) -> None:
    data = as_json(run("staff", "--stage", "seriesB", "--aes", "12", "--format", "json"))
    assert data["se"] == {"recommended": 4, "min": 4, "max": 4}
    assert data["sa"]["recommended"] == 0
    assert all({"id", "text", "source"} <= set(a) for a in data["advice"])


def test_staff_enterprise(run: Run) -> None:
    assert (
        as_json(run("staff", "--stage", "seriesB", "--aes", "12", "--segment", "enterprise", "-f", "json"))[
            "se"
        ]["recommended"]
        == 6
    )


def test_staff_platform(run: Run) -> None:
    data = as_json(run("staff", "--stage", "seriesC", "--aes", "10", "--motion", "platform", "-f", "json"))
    assert data["se"]["recommended"] == 10
    assert any("Solutions Architect" in a["text"] for a in data["advice"])


def test_staff_first_sa_and_money(run: Run) -> None:
    data = as_json(
        run(
            "staff",
            "--stage",
            "seriesB",
            "--aes",
            "8",
            "--arr",
            "$20,000,000",
            "--live-enterprise-customers",
            "4",
            "-f",
            "json",
        )
    )
    assert data["sa"]["recommended"] == 1
    assert data["inputs"]["arr"] == 20_000_000
    assert (
        as_json(run("staff", "--stage", "seriesA", "--aes", "6", "--arr", "5M", "-f", "json"))["sa"]["max"]
        == 0
    )


def test_staff_deployment_debt(run: Run) -> None:
    data = as_json(
        run(
            "staff",
            "--stage",
            "seriesC",
            "--aes",
            "20",
            "--days-to-first-value",
            "150",
            "--strategic-accounts",
            "30",
            "-f",
            "json",
        )
    )
    assert (data["sa"]["min"], data["sa"]["max"]) == (2, 4)
    assert any("120-day" in a["text"] for a in data["advice"])


def test_staff_forgives_spelling_of_known_names(run: Run) -> None:
    data = as_json(
        run("staff", "--stage", "Series B", "--aes", "12", "--segment", "Mid_Market", "-f", "json")
    )
    assert data["inputs"]["stage"] == "seriesB" and data["inputs"]["segment"] == "mid-market"


def test_staff_table_and_markdown(run: Run) -> None:
    table = run("staff", "--stage", "seriesB", "--aes", "12")
    assert table.code == 0 and "Hiring order" in table.out and "SE vs SA role explainer (2026)" in table.out
    md = run("staff", "--stage", "seriesB", "--aes", "12", "-f", "markdown")
    assert md.code == 0 and md.out.startswith("## Staffing") and "| Role |" in md.out


def test_ratio(run: Run) -> None:
    data = as_json(run("ratio", "--aes", "9", "--ses", "2", "--segment", "mid-market", "-f", "json"))
    assert data["verdict"] == "understaffed" and data["fix"] == "+1 SE restores 1:3"
    assert data["band"] == {"min": 3, "max": 4}


def test_capacity(run: Run) -> None:
    data = as_json(run("capacity", "--reps", "12", "--demos-per-rep-week", "5", "--travel", "-f", "json"))
    assert data["ses_needed"] == 6 and data["max_reps_per_se"] == 4


def test_comp_compare_and_offer(run: Run) -> None:
    data = as_json(
        run("comp", "--role", "se", "--compare", "--level", "senior", "--ote", "$240K", "-f", "json")
    )
    assert {row["role"] for row in data["rows"]} == {"se", "sa"}
    assert all(row["level"] in (None, "senior") for row in data["rows"])
    assert any(f["position"] == "within" for row in data["rows"] for f in row["offer"])
    assert any(a["id"] == "sa-base-premium" for a in data["advice"])


def test_comp_every_band_for_a_role(run: Run) -> None:
    data = as_json(run("comp", "--role", "sa", "-f", "json"))
    assert len(data["rows"]) == 8 and all(r["role"] == "sa" for r in data["rows"])
    table = run("comp", "--role", "sa", "--segment", "enterprise")
    assert table.code == 0 and "$180K–$225K" in table.out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["staff", "--stage", "seriesQ", "--aes", "3"], "unknown stage 'seriesQ'; did you mean"),
        (
            ["staff", "--stage", "seriesB", "--aes", "3", "--segment", "enterprize"],
            "did you mean 'enterprise'",
        ),
        (["staff", "--stage", "seriesB", "--aes", "3", "--motion", "platfrom"], "did you mean 'platform'"),
        (["staff", "--stage", "seriesB", "--aes", "-2"], "--aes must not be negative"),
        (["staff", "--stage", "seriesB", "--aes", "5000000"], "implausibly large"),
        (["staff", "--stage", "seriesB", "--aes", "3", "--arr", "lots"], "not an amount of money"),
        (["staff", "--stage", "seriesB", "--aes", "3", "--poc-win-rate", "55"], "write 0.55 or 55%"),
        (["staff", "--stage", "seriesB", "--aes", "3", "-f", "jsn"], "did you mean 'json'"),
        (["staff", "--stage", "seriesB"], "Missing option '--aes'"),
        (["staff", "--stage", "seriesB", "--aes", "three"], "valid integer"),
        (["ratio", "--aes", "0", "--ses", "0"], "nothing to compare"),
        (["ratio", "--aes", "5", "--ses", "1", "--segment", "smb"], "unknown segment 'smb'"),
        (["capacity", "--reps", "5", "--demos-per-rep-week", "-1"], "must not be negative"),
        (["comp", "--role", "ae"], "unknown role 'ae'"),
        (["comp", "--role", "sa", "--level", "staff"], "unknown level 'staff'"),
        (["comp", "--role", "sa", "--ote", "0"], "positive"),
    ],
)
def test_bad_input_is_one_line_exit_2(run: Run, args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.code == 2, r
    assert r.out == ""
    assert r.err.startswith("roleplan: error: ") and r.err.count("\n") == 1, r.err
    assert needle in r.err


def test_benchmarks_override_file_errors(run: Run, tmp_path: Path) -> None:
    missing = run("staff", "--stage", "seriesB", "--aes", "3", "--benchmarks", str(tmp_path / "nope.yaml"))
    assert missing.code == 2 and "nope.yaml: no such file" in missing.err
    bad = tmp_path / "bad.yaml"
    bad.write_text("se_ratios:\n  segments: [unclosed\n")
    r = run("ratio", "--aes", "3", "--ses", "1", "--benchmarks", str(bad))
    assert r.code == 2 and f"{bad}:" in r.err and "invalid YAML" in r.err and r.err.count("\n") == 1


def test_benchmarks_env_override(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    override = tmp_path / "o.yaml"
    override.write_text("se_ratios:\n  segments:\n    mid-market:\n      aes_per_se: {min: 5, max: 6}\n")
    monkeypatch.setenv("ROLEPLAN_BENCHMARKS", str(override))
    data = as_json(run("ratio", "--aes", "10", "--ses", "2", "-f", "json"))
    assert data["verdict"] == "within"


def test_benchmarks_show_validate_sources(run: Run, tmp_path: Path) -> None:
    shown = run("benchmarks", "show", "-f", "json")
    assert json.loads(shown.out)["se_ratios"]["segments"]["enterprise"]["aes_per_se"] == {"min": 2, "max": 2}
    assert "schema_version: 1" in run("benchmarks", "show").out
    ok = run("benchmarks", "validate")
    assert ok.code == 0 and "valid" in ok.out
    bad = tmp_path / "b.yaml"
    bad.write_text("comp:\n  sa_base_premium:\n    premium: {min: 0.2, max: 0.1}\n")
    r = run("benchmarks", "validate", str(bad))
    assert r.code == 2 and f"{bad}:3:" in r.err and "must not exceed" in r.err
    sources = json.loads(run("benchmarks", "sources", "-f", "json").out)
    assert all(s["cited_by"] for s in sources), "every listed source is cited by some figure"
