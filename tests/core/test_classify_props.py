"""Properties of the classifier and its phrase syntax that hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_classifier
from roleplan.core.classify import classify
from roleplan.models.classify import FAMILIES
from roleplan.models.classify_config import ClassifyConfig, expand

CONFIG: ClassifyConfig = load_classifier()

_VOCAB = (
    "demo demos poc rfp discovery quota implementation migration go-live runbook renewal churn tickets "
    "roadmap code review with partner Sales Engineers not no About us Benefits Responsibilities Nice to have "
    "equal opportunity <li> </li> &amp; • — ’ . ; :"
)
WORDS = st.sampled_from([*_VOCAB.split(), "\n"])
POSTING = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=80).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=400), POSTING), title=st.none() | st.text(max_size=40))
def test_any_text_gives_a_valid_result(text: str, title: str | None) -> None:
    r = classify(text, title=title, company="MongoDB", config=CONFIG)
    assert r.family in FAMILIES
    assert 0.0 <= r.confidence <= 1.0
    assert r.role in CONFIG.roles
    assert r.needs_review == (r.confidence < CONFIG.model.review_below)
    weights = [e.weight for e in r.evidence]
    assert weights == sorted(weights, reverse=True)
    assert all(w > 0 for w in weights)
    assert r == classify(text, title=title, company="MongoDB", config=CONFIG)  # deterministic


@settings(max_examples=100, deadline=None)
@given(text=POSTING)
@example(text="ßO")  # upper() makes it "SSO", another word: not a case change
def test_case_does_not_matter(text: str) -> None:
    assume(
        text.upper().lower() == text.lower()
    )  # not "ß" -> "SS", "ﬁ" -> "FI": other letters, not other case
    assert classify(text, config=CONFIG).scores == classify(text.upper(), config=CONFIG).scores


@given(words=st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4))
def test_plain_phrase_expands_to_itself(words: list[str]) -> None:
    skip = {"the", "a", "an", "our", "your", "their", "its", "this", "these", "those", "his", "her", "each"}
    kept = tuple(w for w in words if w not in skip | {"every", "s"})
    if kept:
        assert expand(" ".join(words)) == [kept]


def test_alternatives_and_optional_parts() -> None:
    assert sorted(expand("proof(s|) of (concept|value)")) == sorted(
        [
            ("proof", "of", "concept"),
            ("proofs", "of", "concept"),
            ("proof", "of", "value"),
            ("proofs", "of", "value"),
        ]
    )
    assert sorted(expand("(account executive(s|)|aes)")) == [
        ("account", "executive"),
        ("account", "executives"),
        ("aes",),
    ]
    assert expand("pre-sales") == [("pre", "sales")]


@pytest.mark.parametrize(
    "bad", ["(a|b", "a)b", "()", "(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)(o|p)(q|r)(s|t)(u|v)(w|x)(y|z)"]
)
def test_bad_phrases_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        expand(bad)
