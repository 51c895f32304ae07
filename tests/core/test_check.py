"""The checker: rules, precedence, thresholds from the data, waivers, order, and no crash on any plan."""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_benchmarks
from roleplan.core.check import check_plan, summarize
from roleplan.loaders.plan import LoadedPlan, validate
from roleplan.models.benchmarks import MOTIONS, SEGMENTS, STAGES, Benchmarks
from roleplan.models.figures import Band
from roleplan.models.findings import CheckedFile, Finding
from roleplan.models.rules import RULES
from roleplan.yamlio import parse_yaml
from tests.conftest import FIXTURES

TODAY = datetime.date(2026, 11, 23)
PLANS = FIXTURES / "plans"
EXPECT = re.compile(r"^#\s*expect:\s*(?P<ids>.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def bench() -> Benchmarks:
    return load_benchmarks()


def load(text: str, name: str = "plan.yaml") -> LoadedPlan:
    return validate(parse_yaml(text, name))


def run_check(text: str, bench: Benchmarks, *, today: datetime.date = TODAY) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, loaded.problems
    return check_plan(loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=today)


def active_rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings if not f.suppressed]


def plan(stage: str = "seriesB", *, motion: str = "product", segment: str = "mid-market", **q: float) -> str:
    quarter = ", ".join(f"{k}: {v}" for k, v in q.items())
    return (
        f"company: {{stage: {stage}, motion: {motion}}}\n"
        f"teams:\n  - segment: {segment}\n    quarters:\n      2027-Q1: {{{quarter}}}\n"
    )


# --- the example folders -----------------------------------------------------------------------------


def _check_file(path: Path, bench: Benchmarks) -> list[Finding]:
    loaded = validate(parse_yaml(path.read_text(encoding="utf-8"), str(path)))
    if loaded.plan is None:
        return loaded.problems
    return loaded.problems + check_plan(
        loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=TODAY
    )


@pytest.mark.parametrize("path", sorted((PLANS / "pass").glob("*.yaml")), ids=lambda p: p.name)
def test_pass_examples_have_no_active_finding(path: Path, bench: Benchmarks) -> None:
    assert active_rules(_check_file(path, bench)) == []


@pytest.mark.parametrize("path", sorted((PLANS / "fail").glob("*.yaml")), ids=lambda p: p.name)
def test_fail_examples_give_exactly_the_expected_rules(path: Path, bench: Benchmarks) -> None:
    declared = EXPECT.search(path.read_text(encoding="utf-8"))
    assert declared, f"{path.name} must declare `# expect: RPxxx, ...`"
    expected = {x.strip() for x in declared["ids"].split(",")}
    assert set(active_rules(_check_file(path, bench))) == expected


def test_both_example_folders_are_populated() -> None:
    assert len(list((PLANS / "pass").glob("*.yaml"))) >= 5
    fail_rules = set()
    for path in (PLANS / "fail").glob("*.yaml"):
        m = EXPECT.search(path.read_text(encoding="utf-8"))
        assert m is not None
        fail_rules |= {x.strip() for x in m["ids"].split(",")}
    assert fail_rules == {r.id for r in RULES}, "every rule has a failing example"


# --- rules and their precedence ------------------------------------------------------------------------


def test_se_coverage_at_the_band_edge(bench: Benchmarks) -> None:
    assert run_check(plan(aes=8, ses=2), bench) == []  # 1:4, the top of mid-market
    [f] = run_check(plan(aes=9, ses=2), bench)
    assert (f.rule, f.line, f.segment, f.quarter) == ("RP101", 5, "mid-market", "2027-Q1")
    assert f.benchmark == "se_ratios.segments.mid-market"
    assert "needs 3 SEs" in f.message


def test_rep_ceiling_is_reported_instead_of_coverage(bench: Benchmarks) -> None:
    assert active_rules(run_check(plan(aes=9, ses=1), bench)) == ["RP103"]
    assert active_rules(run_check(plan(aes=8, ses=1), bench)) == ["RP101"]


def test_platform_ratio_wins_over_ceiling_and_cites_the_win_rate_drop(bench: Benchmarks) -> None:
    [f] = run_check(plan(motion="platform", aes=9, ses=1), bench)
    assert f.rule == "RP102"
    drop = bench.stage_rules.founder_mistake.win_rate_drop_points
    assert f"{drop.min:g}–{drop.max:g} win-rate points" in f.message
    assert active_rules(run_check(plan(segment="platform", aes=2, ses=2), bench)) == []


def test_no_se_is_only_a_finding_from_series_a(bench: Benchmarks) -> None:
    assert run_check(plan("seed", aes=3), bench) == []
    assert run_check(plan("seed", motion="platform", aes=3), bench) == []  # founder-led, even on a platform
    assert active_rules(run_check(plan("seed", motion="platform", aes=3, ses=1), bench)) == ["RP102"]
    assert active_rules(run_check(plan("seriesA", aes=3), bench)) == ["RP103"]


def test_overstaffed_is_a_warning(bench: Benchmarks) -> None:
    [f] = run_check(plan(aes=2, ses=1), bench)
    assert (f.rule, f.severity) == ("RP104", "warning")


def test_sa_load_checked_from_growth_stage_or_where_sas_are_planned(bench: Benchmarks) -> None:
    assert run_check(plan("seriesB", aes=4, ses=1, strategic_accounts=30), bench) == []
    assert active_rules(run_check(plan("seriesC", aes=4, ses=1, strategic_accounts=30), bench)) == ["RP201"]
    # 30/15 + 30/30 = 3 SAs needed
    assert (
        run_check(plan("seriesC", aes=4, ses=1, sas=3, strategic_accounts=30, commercial_accounts=30), bench)
        == []
    )
    assert active_rules(run_check(plan("seriesB", aes=4, ses=1, sas=1, strategic_accounts=30), bench)) == [
        "RP201"
    ]


def test_deployment_debt_needs_at_least_one_sa_company_wide(bench: Benchmarks) -> None:
    text = plan(aes=4, ses=1) + "metrics: {deployed_at_renewal: 0.6}\n"
    [f] = run_check(text, bench)
    assert (f.rule, f.segment, f.quarter, f.line) == ("RP202", None, "2027-Q1", 5)
    assert "60% deployed at renewal" in f.message
    assert run_check(plan(aes=4, ses=1, sas=1) + "metrics: {deployed_at_renewal: 0.6}\n", bench) == []
    assert run_check(plan(aes=4, ses=1) + "metrics: {deployed_at_renewal: 0.7}\n", bench) == []


def test_first_sa_due_points_at_arr(bench: Benchmarks) -> None:
    text = "company:\n  stage: seriesB\n  arr: 15M\nmetrics: {enterprise_customers_live: 3}\n"
    text += "teams:\n  - segment: enterprise\n    quarters:\n      2027-Q1: {aes: 2, ses: 1}\n"
    [f] = run_check(text, bench)
    assert (f.rule, f.line, f.benchmark) == ("RP203", 3, "stage_rules.first_sa")
    assert run_check(text.replace("15M", "14.9M"), bench) == []


def test_sa_before_se_only_early(bench: Benchmarks) -> None:
    assert "RP204" in active_rules(run_check(plan("seriesA", aes=3, ses=1, sas=2), bench))
    assert "RP204" not in active_rules(run_check(plan("seriesC", aes=3, ses=1, sas=2), bench))


def test_every_finding_names_a_real_benchmark_and_its_source(bench: Benchmarks) -> None:
    cited = dict(bench.cited())
    findings = []
    for path in (PLANS / "fail").glob("*.yaml"):
        findings += _check_file(path, bench)
    by_rule = {f.rule for f in findings if f.benchmark}
    assert by_rule >= {"RP101", "RP102", "RP103", "RP104", "RP201", "RP202", "RP203", "RP204"}
    for f in findings:
        if f.rule.startswith("RP0") or f.rule == "RP303":  # the plan's own consistency: no figure behind it
            assert f.benchmark is None
            continue
        if f.rule.startswith("RP3"):  # a budget sums pay bands: every band it used, and their sources
            paths = (f.benchmark or "").split(", ")
            assert all(p in cited for p in paths), f.benchmark
            assert f.source == "; ".join(dict.fromkeys(cited[p].source for p in paths))
            continue
        assert f.benchmark in cited, f.benchmark
        assert cited[f.benchmark].source == f.source


# --- thresholds come from the data ------------------------------------------------------------------------


def _with_midmarket_band(bench: Benchmarks, low: float, high: float) -> Benchmarks:
    seg = dataclasses.replace(bench.se_ratios.segments["mid-market"], aes_per_se=Band(min=low, max=high))
    segments = {**bench.se_ratios.segments, "mid-market": seg}
    return dataclasses.replace(bench, se_ratios=dataclasses.replace(bench.se_ratios, segments=segments))


def test_a_different_band_moves_the_gate(bench: Benchmarks) -> None:
    text = plan(aes=10, ses=2)
    assert active_rules(run_check(text, bench)) == ["RP101"]
    looser = _with_midmarket_band(bench, 3, 5)
    assert run_check(text, looser) == []
    stricter_ceiling = dataclasses.replace(
        bench,
        se_ratios=dataclasses.replace(
            bench.se_ratios, ceiling=dataclasses.replace(bench.se_ratios.ceiling, max_reps_per_se=4)
        ),
    )
    assert active_rules(run_check(text, stricter_ceiling)) == ["RP103"]


# --- waivers --------------------------------------------------------------------------------------------


def _waived(waiver: str) -> str:
    return plan(aes=10, ses=2) + "ignore:\n  - " + waiver.replace("\n", "\n    ") + "\n"


def test_waiver_suppresses_and_keeps_the_finding(bench: Benchmarks) -> None:
    [f] = run_check(_waived("rule: RP101\nreason: hires signed"), bench)
    assert f.suppressed and f.reason == "hires signed"


def test_waiver_by_name_and_scope(bench: Benchmarks) -> None:
    [f] = run_check(_waived("rule: se-coverage\nreason: r\nsegment: mid-market\nquarter: 2027-Q1"), bench)
    assert f.suppressed
    findings = run_check(_waived("rule: RP101\nreason: r\nquarter: 2027-Q2"), bench)
    assert sorted(active_rules(findings)) == ["RP002", "RP101"]


def test_waiver_until_is_inclusive_then_expires(bench: Benchmarks) -> None:
    text = _waived("rule: RP101\nreason: r\nuntil: 2026-11-23")
    assert active_rules(run_check(text, bench)) == []
    expired = run_check(text, bench, today=TODAY + datetime.timedelta(days=1))
    assert sorted(active_rules(expired)) == ["RP001", "RP101"]
    [rp001] = [f for f in expired if f.rule == "RP001"]
    assert rp001.line == 7 and "2026-11-23" in rp001.message


# --- result and order -------------------------------------------------------------------------------------


def test_summary_order_and_fail_on(bench: Benchmarks) -> None:
    text = plan(aes=10, ses=2) + "ignore:\n  - {rule: RP204, reason: r}\n"
    findings = run_check(text, bench)
    result = summarize([CheckedFile(file="plan.yaml", valid=True)], reversed(findings), "error")
    assert [f.rule for f in result.findings] == ["RP101", "RP002"]
    assert [f.line for f in result.findings] == sorted(f.line for f in result.findings)
    assert result.status == "fail"
    assert (result.summary.errors, result.summary.warnings) == (1, 1)
    warn_only = [f for f in findings if f.severity == "warning"]
    assert summarize([], warn_only, "error").status == "pass"
    assert summarize([], warn_only, "warning").status == "fail"
    assert summarize([], findings, "never").status == "pass"


def test_quarters_do_not_inherit(bench: Benchmarks) -> None:
    text = plan(aes=6, ses=2).rstrip("\n") + "\n      2027-Q2: {aes: 6}\n"
    [f] = run_check(text, bench)  # Q2 has no SEs of its own
    assert (f.rule, f.quarter) == ("RP103", "2027-Q2")


# --- property: no plan crashes the checker --------------------------------------------------------------

_names = st.one_of(st.sampled_from(STAGES + SEGMENTS + MOTIONS), st.text(max_size=12))
_numbers = st.one_of(
    st.integers(min_value=-5, max_value=10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.5, 1, 2, 3, 4, 8, 9, 15, 30]),
)
_scalar = st.one_of(_numbers, _names, st.booleans(), st.none(), st.dates())
_junk: st.SearchStrategy[Any] = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_quarter_key = st.one_of(st.from_regex(r"\A20[0-9]{2}-Q[1-5]\Z"), st.text(max_size=8))
_quarter = st.dictionaries(
    st.sampled_from(["aes", "ses", "sas", "strategic_accounts", "commercial_accounts", "se"]),
    st.one_of(_numbers, _junk),
    max_size=5,
)
_team = st.fixed_dictionaries(
    {"segment": _names, "quarters": st.dictionaries(_quarter_key, _quarter, max_size=4)},
    optional={"name": _names},
)
_plan = st.fixed_dictionaries(
    {
        "company": st.fixed_dictionaries(
            {"stage": _names}, optional={"motion": _names, "arr": st.one_of(_numbers, st.text(max_size=8))}
        ),
        "teams": st.lists(_team, max_size=3),
    },
    optional={
        "metrics": st.dictionaries(
            st.sampled_from(
                ["poc_win_rate", "days_to_first_value", "deployed_at_renewal", "enterprise_customers_live"]
            ),
            _numbers,
        ),
        "ignore": st.lists(
            st.fixed_dictionaries(
                {"rule": st.sampled_from([r.id for r in RULES] + ["se-coverage", "nope"])},
                optional={
                    "reason": st.text(max_size=5),
                    "until": st.dates(),
                    "segment": _names,
                    "quarter": _quarter_key,
                },
            ),
            max_size=3,
        ),
        "extra": _junk,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_plan)
def test_no_generated_plan_crashes_the_checker(data: dict[str, Any], bench: Benchmarks) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    loaded = validate(parse_yaml(text, "gen.yaml"))
    if loaded.plan is None:
        assert loaded.problems and all(p.rule == "RP000" and p.line >= 1 for p in loaded.problems)
        return
    findings = check_plan(loaded.plan, bench, file="gen.yaml", line_of=loaded.line_of, today=TODAY)
    for f in findings:
        assert f.line >= 1 and f.message
    summarize([CheckedFile(file="gen.yaml", valid=True)], findings, "warning")


_count = st.one_of(st.integers(min_value=0, max_value=60), st.floats(min_value=0, max_value=60))
_valid_plan = st.fixed_dictionaries(
    {
        "company": st.fixed_dictionaries(
            {"stage": st.sampled_from(STAGES)},
            optional={
                "motion": st.sampled_from(MOTIONS),
                "arr": st.sampled_from(["5M", "15M", "$30,000,000"]),
            },
        ),
        "teams": st.lists(
            st.fixed_dictionaries(
                {
                    "segment": st.sampled_from(SEGMENTS),
                    "quarters": st.dictionaries(
                        st.from_regex(r"\A202[6-9]-Q[1-4]\Z"),
                        st.dictionaries(
                            st.sampled_from(
                                ["aes", "ses", "sas", "strategic_accounts", "commercial_accounts"]
                            ),
                            _count,
                        ),
                        min_size=1,
                        max_size=4,
                    ),
                }
            ),
            min_size=1,
            max_size=3,
        ),
    },
    optional={
        "metrics": st.fixed_dictionaries(
            {},
            optional={
                "days_to_first_value": _count,
                "deployed_at_renewal": st.floats(min_value=0, max_value=1),
                "enterprise_customers_live": _count,
            },
        )
    },
)


@settings(max_examples=300, deadline=None)
@given(data=_valid_plan)
def test_valid_plans_get_at_most_one_se_ratio_finding_per_team_quarter(
    data: dict[str, Any], bench: Benchmarks
) -> None:
    findings = run_check(yaml.safe_dump(data), bench)
    seen: set[tuple[int, str | None]] = set()
    for f in findings:
        assert f.benchmark is not None and f.source is not None
        if f.rule in ("RP101", "RP102", "RP103", "RP104"):
            key = (f.line, f.quarter)
            assert key not in seen
            seen.add(key)
