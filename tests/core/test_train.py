"""The thresholds `roleplan train` fits from out-of-fold predictions (core/train.py), on made-up numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("sklearn", reason="roleplan[train] is part of the test extra; CI installs it")

from roleplan.core import train


def test_review_threshold_flags_the_least_confident_holding_the_target_share_of_misses() -> None:
    # seven misses among twenty records; 70% of them = 4.9: the 5th miss from the bottom is at 0.35
    conf = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, *[0.55 + k / 100 for k in range(10)]]
    ok = [False, True, False, False, True, False, False, True, False, True, *([True] * 9), False]
    misses = [c for c, g in zip(conf, ok, strict=True) if not g]
    t = train._review_threshold(conf, ok)
    assert t == pytest.approx(0.375)  # between 0.35 and the next record up
    caught = sum(c < t for c in misses)
    assert caught >= train.REVIEW_CATCH * len(misses)
    # the lowest such cut: one record less flagged would miss the target
    below = max(c for c in conf if c < t)
    assert sum(c < below for c in misses) < train.REVIEW_CATCH * len(misses)


def test_review_threshold_without_misses_flags_nothing() -> None:
    assert train._review_threshold([0.2, 0.9], [True, True]) == 0.0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        # under 1: review_below is at most 1, so a miss at confidence 1.0 is never flagged
        st.tuples(st.sampled_from([k / 20 for k in range(20)]), st.booleans()),
        min_size=1,
        max_size=60,
    )
)
def test_review_threshold_is_the_lowest_cut_reaching_the_target(rows: list[tuple[float, bool]]) -> None:
    conf = [c for c, _ in rows]
    ok = [g for _, g in rows]
    misses = [c for c, g in rows if not g]
    t = train._review_threshold(conf, ok)
    assert 0.0 <= t <= 1.0
    if not misses:
        assert t == 0.0
        return
    need = train.REVIEW_CATCH * len(misses)
    assert sum(c < t for c in misses) >= need
    lower = [c for c in conf if c < t]
    if lower:  # ties are flagged together, so the next cut down leaves out every record at max(lower)
        assert sum(c < max(lower) for c in misses) < need


@pytest.mark.parametrize("share", [0.0, 0.25, 0.5, 1.0])
def test_share_threshold_flags_that_share(share: float) -> None:
    conf = [k / 100 for k in range(100)]
    t = train._share_threshold(conf, share)
    assert sum(c < t for c in conf) == round(share * 100) or (share == 1.0 and t == 1.0)
