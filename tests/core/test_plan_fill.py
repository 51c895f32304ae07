"""The plan filler: what `roleplan plan` writes passes `roleplan check` with no errors (a Hypothesis property),
and the company-level choices on top of `staff` (one first SA, SEs kept inside the band)."""

from __future__ import annotations

import datetime
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_benchmarks
from roleplan.core.check import check_plan
from roleplan.core.plan import fill_plan
from roleplan.loaders.plan import validate
from roleplan.loaders.plan_write import Value, fill_text
from roleplan.models.benchmarks import MOTIONS, SEGMENTS, STAGES
from roleplan.models.plan import Plan, quarter_key
from roleplan.yamlio import parse_yaml

BENCH = load_benchmarks()
TODAY = datetime.date(2027, 1, 1)

_heads = st.one_of(st.integers(0, 60), st.sampled_from([0.5, 1.5, 2.5, 7.5]))


@st.composite
def _plans(draw: st.DrawFn) -> dict[str, Any]:
    company: dict[str, Any] = {
        "stage": draw(st.sampled_from(STAGES)),
        "motion": draw(st.sampled_from(MOTIONS)),
    }
    if draw(st.booleans()):
        company["arr"] = draw(st.sampled_from(["5M", "16M", "30M", 12_000_000]))
    doc: dict[str, Any] = {"company": company, "teams": []}
    metrics = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "days_to_first_value": st.integers(0, 300),
                "deployed_at_renewal": st.integers(0, 100).map(lambda x: x / 100),
                "enterprise_customers_live": st.integers(0, 12),
                "poc_win_rate": st.integers(0, 100).map(lambda x: x / 100),
            },
        )
    )
    if metrics:
        doc["metrics"] = metrics
    start = draw(st.integers(2026 * 4, 2030 * 4))
    for _ in range(draw(st.integers(1, 3))):
        quarters: dict[str, Any] = {}
        first = start + draw(st.integers(0, 2))
        for i in range(draw(st.integers(1, 6))):
            q: dict[str, Any] = {"aes": draw(_heads)}
            if i == 0 and draw(st.booleans()):
                q["ses"] = draw(st.integers(0, 5))
            for key in ("strategic_accounts", "commercial_accounts"):
                if draw(st.booleans()):
                    q[key] = draw(st.integers(0, 80))
            if draw(st.integers(0, 4)) == 0:
                q["arr"] = draw(st.sampled_from(["14M", "18M", "40M"]))
            quarters[quarter_key(first + i)] = q
        doc["teams"].append({"segment": draw(st.sampled_from(SEGMENTS)), "quarters": quarters})
    return doc


def _fill(text: str) -> tuple[str, Plan]:
    loaded = validate(parse_yaml(text, "gen.yaml"))
    assert loaded.plan is not None, loaded.problems
    starts = [next(iter(t.quarters.values())) for t in loaded.plan.teams]
    filled = fill_plan(loaded.plan, BENCH, file="gen.yaml", on_staff=[(q.ses, q.sas) for q in starts])
    values = [Value(team=r.team_index, quarter=r.quarter, ses=r.ses, sas=r.sas) for r in filled.rows]
    written = fill_text(text, values, source="gen.yaml")
    out = written.text
    again = validate(parse_yaml(out, "filled.yaml"))
    assert again.plan is not None, again.problems
    return out, again.plan


@settings(max_examples=100, deadline=None)
@given(doc=_plans())
def test_a_filled_plan_passes_check_with_no_errors(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, sort_keys=False)
    out, plan = _fill(text)
    errors = [
        f.message
        for f in check_plan(plan, BENCH, file="filled.yaml", line_of=lambda _: 1, today=TODAY)
        if f.severity == "error"
    ]
    assert errors == [], (text, out)
    # and filling it again changes nothing
    assert _fill(out)[0] == out


def _filled(text: str) -> Any:
    loaded = validate(parse_yaml(text, "p.yaml"))
    assert loaded.plan is not None, loaded.problems
    return fill_plan(loaded.plan, BENCH, file="p.yaml")


def test_the_first_sa_is_one_per_company_not_one_per_team() -> None:
    text = (
        "company: {stage: seriesB, arr: 18M}\nmetrics: {enterprise_customers_live: 4}\nteams:\n"
        "  - {segment: mid-market, quarters: {2027-Q1: {aes: 6}}}\n"
        "  - {segment: enterprise, quarters: {2027-Q1: {aes: 8}}}\n"
        "  - {segment: mid-market, quarters: {2027-Q1: {aes: 3}}}\n"
    )
    rows = _filled(text).rows
    assert [r.sas for r in rows] == [0, 1, 0]  # the team with the most AEs gets it
    assert rows[1].why[1].benchmark == "stage_rules.first_sa"


def test_growth_stage_staffs_sas_in_every_team_from_the_accounts() -> None:
    text = (
        "company: {stage: seriesC}\nteams:\n"
        "  - {segment: enterprise, quarters: {2027-Q1: {aes: 8, strategic_accounts: 30}}}\n"
        "  - {segment: mid-market, quarters: {2027-Q1: {aes: 8}}}\n"
    )
    rows = _filled(text).rows
    assert [(r.ses, r.sas) for r in rows] == [(4, 3), (2, 1)]
    assert rows[0].why[1].benchmark == "sa_ratios.strategic"
    assert rows[1].why[1].benchmark == "stage_rules.growth_stage"


def test_ses_stay_inside_the_band_where_whole_people_allow() -> None:
    # 4 mid-market AEs at Series B: staff recommends 2 (1:3 rule), but 1 SE at 1:4 is inside the band
    rows = _filled(
        "company: {stage: seriesB}\nteams:\n  - {segment: mid-market, quarters: {2027-Q1: {aes: 4}}}\n"
    )
    assert rows.rows[0].ses == 1


def test_fewer_aes_mean_fewer_ses_said_as_a_negative_change() -> None:
    text = (
        "company: {stage: seriesC}\nteams:\n  - segment: enterprise\n    quarters:\n"
        "      2027-Q1: {aes: 8}\n      2027-Q2: {aes: 4}\n      2027-Q3: {aes: 6}\n"
    )
    rows = _filled(text).rows
    assert [(r.ses, r.se_change, r.se_hires) for r in rows] == [(4, 4, 4), (2, -2, 0), (3, 1, 1)]


def test_reqs_open_a_lead_time_before_the_start() -> None:
    filled = _filled(
        "company: {stage: seriesA}\nteams:\n  - segment: mid-market\n    quarters:\n"
        "      2027-Q1: {aes: 3}\n      2027-Q2: {aes: 9}\n"
    )
    assert [(r.open_quarter, r.start_quarter, r.count, r.before_plan) for r in filled.reqs] == [
        ("2026-Q4", "2027-Q1", 1, True),
        ("2027-Q1", "2027-Q2", 2, False),
    ]


def test_check_sees_the_first_sa_milestone_in_a_quarters_arr() -> None:
    """`plan` staffs the first SA from the quarter whose ARR meets the milestone; `check` reads the same ARR."""
    text = (
        "company: {stage: seriesB, arr: 10M}\nmetrics: {enterprise_customers_live: 4}\nteams:\n"
        "  - segment: mid-market\n    quarters:\n      2027-Q1: {aes: 6, ses: 2}\n"
        "      2027-Q2: {aes: 6, ses: 2, arr: 16M}\n"
    )
    loaded = validate(parse_yaml(text, "p.yaml"))
    assert loaded.plan is not None
    [f] = check_plan(loaded.plan, BENCH, file="p.yaml", line_of=loaded.line_of, today=TODAY)
    assert (f.rule, f.line) == ("RP203", 7)
    assert "$16.0M (in 2027-Q2)" in f.message
    rows = _filled(text.replace(", ses: 2", "")).rows
    assert [r.sas for r in rows] == [0, 1]
