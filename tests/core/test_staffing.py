"""The staffing calculators against the benchmarks: the issue's examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_benchmarks
from roleplan.core.staffing import capacity, ratio, staff
from roleplan.errors import UsageError
from roleplan.models.benchmarks import SEGMENTS, STAGES, Benchmarks
from roleplan.models.staffing import StaffInputs

B: Benchmarks = load_benchmarks()


def ids(plan: object) -> list[str]:
    return [a.id for a in plan.advice]  # type: ignore[attr-defined]


def test_series_b_12_aes_is_4_ses() -> None:
    plan = staff(StaffInputs(stage="seriesB", aes=12), B)
    assert plan.se.recommended == 4
    assert plan.sa.recommended == 0
    assert plan.hiring_order[0].role == "se"


def test_series_b_enterprise_is_6_ses() -> None:
    assert staff(StaffInputs(stage="seriesB", aes=12, segment="enterprise"), B).se.recommended == 6


def test_platform_motion_is_one_presales_seat_per_ae_titled_sa() -> None:
    plan = staff(StaffInputs(stage="seriesB", aes=10, motion="platform"), B)
    assert plan.se.recommended == 10
    led = next(a for a in plan.advice if a.id == "sa-led-model")
    assert "Solutions Architect" in led.text
    assert led.source == "Databricks published GTM model"
    assert "founder-mistake" in ids(plan)


def test_series_a_at_5m_has_no_sa() -> None:
    plan = staff(StaffInputs(stage="seriesA", aes=6, arr=5_000_000), B)
    assert plan.sa.recommended == plan.sa.max == 0
    assert "no-sa-yet" in ids(plan)


def test_20m_arr_with_4_live_enterprise_customers_is_the_first_sa() -> None:
    plan = staff(StaffInputs(stage="seriesB", aes=8, arr=20_000_000, live_enterprise_customers=4), B)
    assert plan.sa.recommended == 1
    assert "first-sa" in ids(plan)


def test_20m_arr_without_live_customers_waits() -> None:
    plan = staff(StaffInputs(stage="seriesB", aes=8, arr=20_000_000, live_enterprise_customers=2), B)
    assert plan.sa.recommended == 0


def test_deployment_debt_150_days_30_strategic_accounts() -> None:
    plan = staff(StaffInputs(stage="seriesC", aes=20, days_to_first_value=150, strategic_accounts=30), B)
    assert (plan.sa.min, plan.sa.max) == (2, 4)
    debt = next(a for a in plan.advice if a.id == "deployment-debt")
    assert "120-day" in debt.text
    assert plan.hiring_order[0].role == "sa"


def test_deployed_at_renewal_trigger() -> None:
    plan = staff(StaffInputs(stage="seriesB", aes=6, deployed_at_renewal=0.65), B)
    assert plan.sa.recommended >= 1
    assert "70%" in next(a.text for a in plan.advice if a.id == "deployment-debt")


def test_poc_win_rate_advice_both_sides() -> None:
    low = staff(StaffInputs(stage="seriesA", aes=6, poc_win_rate=0.55), B)
    high = staff(StaffInputs(stage="seriesA", aes=6, poc_win_rate=0.7), B)
    assert "below 60%" in next(a.text for a in low.advice if a.id == "poc-win-rate")
    assert "above 60%" in next(a.text for a in high.advice if a.id == "poc-win-rate")


def test_every_advice_line_cites_a_known_source() -> None:
    names = {s.name for s in B.sources}
    for stage in STAGES:
        plan = staff(
            StaffInputs(stage=stage, aes=9, arr=30e6, live_enterprise_customers=5, days_to_first_value=200), B
        )
        for a in plan.advice:
            assert all(part in names for part in a.source.split("; ")), a


def test_override_changes_the_answer(tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "b.yaml"
    p.write_text("se_ratios:\n  segments:\n    enterprise:\n      aes_per_se: {min: 3, max: 3}\n")
    b = load_benchmarks(p)
    assert staff(StaffInputs(stage="seriesC", aes=12, segment="enterprise"), b).se.recommended == 4


@pytest.mark.parametrize(
    "inputs",
    [
        StaffInputs(stage="seriesB", aes=-1),
        StaffInputs(stage="seriesB", aes=10**7),
        StaffInputs(stage="seriesB", aes=3, poc_win_rate=1.5),
        StaffInputs(stage="seriesB", aes=3, days_to_first_value=-4),
        StaffInputs(stage="seriesB", aes=3, strategic_accounts=-1),
        StaffInputs(stage="nope", aes=3),
    ],
)
def test_bad_inputs_are_usage_errors(inputs: StaffInputs) -> None:
    with pytest.raises(UsageError):
        staff(inputs, B)


stages = st.sampled_from(STAGES)
segments = st.sampled_from((None, *SEGMENTS))
motions = st.sampled_from(("product", "platform"))


@settings(max_examples=300, deadline=None)
@given(stages, segments, motions, st.integers(0, 5000), st.integers(0, 50))
def test_recommended_ses_never_fall_as_aes_grow(
    stage: str, segment: str | None, motion: str, aes: int, more: int
) -> None:
    a = staff(StaffInputs(stage=stage, aes=aes, segment=segment, motion=motion), B)
    b = staff(StaffInputs(stage=stage, aes=aes + more, segment=segment, motion=motion), B)
    assert b.se.recommended >= a.se.recommended
    assert b.se.min >= a.se.min and b.se.max >= a.se.max


@settings(max_examples=300, deadline=None)
@given(
    stages,
    segments,
    motions,
    st.integers(0, 5000),
    st.none() | st.integers(0, 3000),
    st.none() | st.integers(0, 3000),
    st.none() | st.integers(0, 1000),
    st.none() | st.floats(0, 1),
)
def test_headcounts_are_whole_ordered_and_cover_the_ceiling(
    stage: str,
    segment: str | None,
    motion: str,
    aes: int,
    strategic: int | None,
    commercial: int | None,
    days: int | None,
    deployed: float | None,
) -> None:
    plan = staff(
        StaffInputs(
            stage=stage,
            aes=aes,
            segment=segment,
            motion=motion,
            strategic_accounts=strategic,
            commercial_accounts=commercial,
            days_to_first_value=days,
            deployed_at_renewal=deployed,
        ),
        B,
    )
    for hc in (plan.se, plan.sa):
        assert 0 <= hc.min <= hc.recommended <= hc.max
    # no SE ever covers more reps than the ceiling allows
    if aes:
        assert aes / plan.se.min <= B.se_ratios.ceiling.max_reps_per_se
    assert sum(step.count for step in plan.hiring_order) == plan.se.recommended + plan.sa.recommended


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 100))
def test_sas_never_fall_as_accounts_grow(strategic: int, commercial: int, more: int) -> None:
    a = staff(
        StaffInputs(stage="public", aes=10, strategic_accounts=strategic, commercial_accounts=commercial), B
    )
    b = staff(
        StaffInputs(
            stage="public", aes=10, strategic_accounts=strategic + more, commercial_accounts=commercial
        ),
        B,
    )
    assert b.sa.recommended >= a.sa.recommended and b.sa.max >= a.sa.max


# --- ratio ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aes", "ses", "segment", "verdict", "fix"),
    [
        (9, 2, "mid-market", "understaffed", "+1 SE restores 1:3"),
        (12, 3, "mid-market", "within", None),
        (12, 4, "mid-market", "within", None),
        (12, 2, "mid-market", "understaffed", "+1 SE restores 1:4"),
        (4, 3, "mid-market", "overstaffed", "−2 SEs restore 1:4, or +5 AEs restore 1:3"),
        (10, 0, "enterprise", "understaffed", "+5 SEs restore 1:2"),
        (10, 10, "platform", "within", None),
        (0, 2, "enterprise", "overstaffed", "+4 AEs restore 1:2"),
    ],
)
def test_ratio(aes: int, ses: int, segment: str, verdict: str, fix: str | None) -> None:
    r = ratio(aes, ses, segment, B)
    assert r.verdict == verdict
    assert r.fix == fix


def test_ratio_past_the_rep_ceiling_says_so() -> None:
    r = ratio(20, 2, "mid-market", B)
    assert any(a.id == "rep-ceiling" for a in r.advice)


def test_ratio_both_zero_is_an_error() -> None:
    with pytest.raises(UsageError):
        ratio(0, 0, "mid-market", B)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2000), st.integers(0, 500), st.sampled_from(SEGMENTS))
def test_ratio_fix_lands_in_the_band(aes: int, ses: int, segment: str) -> None:
    if aes == ses == 0:
        return
    r = ratio(aes, ses, segment, B)
    band = B.se_ratios.segments[segment].aes_per_se
    if r.verdict == "within":
        assert r.fix_ses == 0 and band.min <= aes / ses <= band.max
    elif r.verdict == "understaffed":
        assert r.fix_ses > 0
        assert aes / (ses + r.fix_ses) <= band.max
        assert ses + r.fix_ses - 1 == 0 or aes / (ses + r.fix_ses - 1) > band.max  # the smallest fix
    else:
        assert r.fix_ses <= 0
        new = ses + r.fix_ses
        assert new == ses or band.min <= aes / new


# --- capacity ------------------------------------------------------------------------------------------


def test_capacity_demo_load_binds() -> None:
    c = capacity(12, 5, False, B)
    assert (c.ses_for_demo_load, c.ses_for_rep_ceiling, c.ses_needed, c.binding) == (6, 2, 6, "demo load")


def test_capacity_travel_lowers_the_ceiling() -> None:
    c = capacity(16, 1, True, B)
    assert (c.max_reps_per_se, c.ses_for_rep_ceiling, c.binding) == (4, 4, "rep ceiling")
    assert capacity(16, 1, False, B).ses_needed == 2


def test_capacity_rejects_nonsense() -> None:
    for args in ((-1, 2.0), (5, -1.0), (5, 1000.0), (5, float("nan"))):
        with pytest.raises(UsageError):
            capacity(args[0], args[1], False, B)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 5000), st.floats(0, 200), st.booleans(), st.integers(0, 100))
def test_capacity_monotonic_in_reps(reps: int, demos: float, travel: bool, more: int) -> None:
    a = capacity(reps, demos, travel, B)
    b = capacity(reps + more, demos, travel, B)
    assert b.ses_needed >= a.ses_needed
    assert capacity(reps, demos, True, B).ses_needed >= capacity(reps, demos, False, B).ses_needed
