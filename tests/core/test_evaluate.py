"""Metrics of `roleplan eval`: pure functions with properties that hold for any labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from roleplan.core.evaluate import Labelled, accuracy, buckets, confusion, evaluate, family_scores
from roleplan.models.classify import FAMILIES, RoleClassification, Soc

FAMILY = st.sampled_from(FAMILIES)
PAIRS = st.lists(st.tuples(FAMILY, FAMILY), max_size=60)


def _result(family: str, confidence: float = 0.9, title_family: str | None = None) -> RoleClassification:
    return RoleClassification(
        family=family,  # type: ignore[arg-type]
        role="x",
        confidence=confidence,
        title_mismatch=False,
        title_family=title_family,  # type: ignore[arg-type]
        evidence=(),
        soc=Soc(code="00-0000.00", title="-"),
        scores={},
    )


@given(PAIRS)
def test_accuracy_is_a_share(pairs: list[tuple[str, str]]) -> None:
    labels, predicted = [a for a, _ in pairs], [b for _, b in pairs]
    acc = accuracy(labels, predicted)
    assert 0.0 <= acc <= 1.0
    assert accuracy(labels, labels) == (1.0 if labels else 0.0)


@given(PAIRS)
def test_confusion_sums_to_n_and_diagonal_is_correct(pairs: list[tuple[str, str]]) -> None:
    labels, predicted = [a for a, _ in pairs], [b for _, b in pairs]
    m = confusion(labels, predicted)
    assert sum(sum(row.values()) for row in m.values()) == len(pairs)
    assert sum(m[f][f] for f in m) == sum(a == b for a, b in pairs)
    for fam in FAMILIES:  # row sums are the label counts, column sums the prediction counts
        assert sum(m[fam].values()) == labels.count(fam)
        assert sum(m[a][fam] for a in m) == predicted.count(fam)


@given(PAIRS)
def test_family_scores_are_bounded_and_perfect_when_right(pairs: list[tuple[str, str]]) -> None:
    labels, predicted = [a for a, _ in pairs], [b for _, b in pairs]
    for s in family_scores(labels, predicted, FAMILIES):
        assert 0.0 <= s.precision <= 1.0 and 0.0 <= s.recall <= 1.0 and 0.0 <= s.f1 <= 1.0
        assert min(s.precision, s.recall) <= s.f1 + 1e-12 <= max(s.precision, s.recall) + 2e-12
    for s in family_scores(labels, labels, FAMILIES):
        assert s.f1 == (1.0 if s.support else 0.0)


@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), max_size=60))
def test_buckets_cover_every_record_once(items: list[tuple[float, bool]]) -> None:
    b = buckets([c for c, _ in items], [ok for _, ok in items])
    assert sum(x.n for x in b) == len(items)
    assert sum(x.correct for x in b) == sum(ok for _, ok in items)
    assert all(x.accuracy is None or 0.0 <= x.accuracy <= 1.0 for x in b)


@given(PAIRS, st.floats(0.0, 1.0))
def test_evaluate_passes_exactly_at_the_threshold(pairs: list[tuple[str, str]], bar: float) -> None:
    items = [Labelled(id=str(i), label=a, result=_result(b)) for i, (a, b) in enumerate(pairs)]
    r = evaluate(items, min_accuracy=bar)
    assert r.n == len(pairs)
    assert r.correct + len(r.misses) == r.n
    assert r.passed == (bool(pairs) and r.accuracy >= bar)


def test_title_inflated_pre_sales_seats_are_counted() -> None:
    items = [
        Labelled(id="a", label="se", result=_result("se", title_family="sa")),
        Labelled(id="b", label="se", result=_result("sa", title_family="sa")),
        Labelled(id="c", label="sa", result=_result("sa", title_family="sa")),
    ]
    r = evaluate(items, min_accuracy=0.5)
    assert (r.title_inflated, r.title_inflated_correct) == (2, 1)
    assert [m.id for m in r.misses] == ["b"]
    assert r.accuracy == 2 / 3 and r.passed
