"""Properties of the classifier and its phrase syntax that hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_classifier
from roleplan.core.classify import classify
from roleplan.models.classify import FAMILIES
from roleplan.models.classify_config import TRANSLATE, ClassifyConfig, expand, phrase_tokens

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


_PHRASE_CHARS = st.sampled_from(list("abcAB ()|-/'.:;,&\t\n\x00\x1cé’—İΣ"))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=40), st.lists(_PHRASE_CHARS, max_size=40).map("".join)))
def test_phrase_tokens_are_the_translate_table_s(text: str) -> None:
    """The byte-table fast path for ASCII reads words exactly as the str.translate reference does."""
    assert phrase_tokens(text) == text.lower().translate(TRANSLATE).split()


@settings(max_examples=300, deadline=None)
@given(text=st.lists(_PHRASE_CHARS, min_size=1, max_size=30).map("".join))
def test_a_phrase_expands_to_each_alternative_s_words(text: str) -> None:
    """expand (which tokenises all alternatives at once, and remembers) equals tokenising each one."""
    try:
        got = expand(text)
    except ValueError:
        return
    assert expand(text) == got  # remembered, and a fresh list each time
    assert got is not expand(text)
    for words in got:
        assert all(w == w.lower() and " " not in w for w in words)
    simple = text.replace("(", " ").replace(")", " ").replace("|", " ")
    if simple == text:  # no alternatives: the phrase's own words, skip words dropped
        skip = {"the", "a", "an", "our", "your", "their", "its", "this", "these", "those", "his", "her"}
        kept = tuple(w for w in phrase_tokens(text) if w not in skip | {"each", "every", "s"})
        assert got == [kept]


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
