"""The C scan kernel (roleplan/_scan.c) gives exactly what the pure-Python scan gives.

classify() scans with the C extension when it was built at install; scan_python() is the reference. The
kernel's matches are compared with the reference's, and whole results (family, role, confidence, evidence,
scores) with classify_python's, on the fixtures, on Hypothesis postings and under a retuned configuration.
CI sets ROLEPLAN_REQUIRE_NATIVE=1 so that a failed build cannot pass as "skipped".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_classifier
from roleplan.core import classify as core
from roleplan.models.classify_config import ClassifyConfig

FIXTURES = Path(__file__).parent.parent / "fixtures" / "classify"
CONFIG: ClassifyConfig = load_classifier()

native = pytest.mark.skipif(
    not core.native_available() and not os.environ.get("ROLEPLAN_REQUIRE_NATIVE"),
    reason="the C extension was not built (no compiler at install): classify runs the Python reference",
)

_VOCAB = (
    "run demos poc pov rfp rfi discovery quota territory technical win implementation migration go-live "
    "runbook reference architecture integration design deployment adoption renewal churn tickets roadmap "
    "code review with partner alongside support Sales Engineers Solutions Architects account executives "
    "not no without only just About us Benefits Responsibilities Requirements Nice to have What you'll do "
    "equal opportunity employer <li> </li> <p> &amp; &lt;p&gt; R&D • · ▪ — ’ é . ; : ! ? | the a your from "
    "first demo to go-live whole customer lifecycle primary users are solutions engineers TOGAF"
)
WORDS = st.sampled_from([*_VOCAB.split(), "\n", "\n\n", "- ", "\t"])
POSTING = st.lists(st.one_of(WORDS, WORDS, WORDS, st.text(max_size=10)), max_size=120).map(" ".join)
TITLES = (
    st.none()
    | st.sampled_from(
        [
            "Solutions Architect",
            "Sales Engineer",
            "Solutions Engineer / Architect",
            "  ",
            "Enterprise Architect",
        ]
    )
    | st.text(max_size=30)
)
COMPANIES = st.none() | st.sampled_from(["MongoDB", "Datadog", "Acme"])


def _same(text: str, title: str | None, company: str | None, config: ClassifyConfig = CONFIG) -> None:
    matcher = core._native_matcher(config)
    assert core._native.scan(matcher, text) == core.scan_python(
        core.normalise(text), core.compile_config(config)
    )
    fast = core.classify(text, title=title, company=company, config=config)
    ref = core.classify_python(text, title=title, company=company, config=config)
    assert fast == ref


@native
def test_the_extension_is_in_use() -> None:
    assert core.native_available()
    assert core._native_matcher(CONFIG) is not None


@native
@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixtures_agree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for title, company in ((None, None), (text.split("\n", 1)[0], None), ("Solutions Architect", "MongoDB")):
        _same(text, title, company)


@native
@settings(max_examples=400, deadline=None)
@given(text=st.one_of(POSTING, st.text(max_size=300)), title=TITLES, company=COMPANIES)
@example(text="Run demos\ud800 for prospects", title=None, company=None)  # a lone surrogate
@example(text="", title="Sales Engineer", company=None)
@example(
    text="Benefits\n" + "no heading here " * 20 + "\nResponsibilities\nrun demos", title=None, company=None
)
def test_any_posting_agrees(text: str, title: str | None, company: str | None) -> None:
    _same(text, title, company)


@native
@settings(max_examples=200, deadline=None)
@given(text=POSTING)
def test_the_scan_agrees(text: str) -> None:
    c = core.compile_config(CONFIG)
    matcher = core._native_matcher(CONFIG)
    assert core._native.scan(matcher, text) == core.scan_python(core.normalise(text), c)


@pytest.fixture(scope="module")
def retuned(tmp_path_factory: pytest.TempPathFactory) -> ClassifyConfig:
    """Other windows and section weights, a requirements section that counts for nothing, a user signal."""
    path = tmp_path_factory.mktemp("cfg") / "over.yaml"
    path.write_text(
        "classify:\n"
        "  decision: {mention_discount: 0.5, max_repeats: 2, title_weight: 5.0, negation_window: 1,\n"
        "             mention_window: 2}\n"
        "  sections:\n    weights: {requirements: 0.0, intro: 0.7}\n"
        "  signals:\n    custom.bake_off:\n      phrases: [bake off(s|)]\n"
        "      weights: {sales_engineer: 3, solutions_architect: 1}\n",
        encoding="utf-8",
    )
    return load_classifier(path)


@native
@settings(max_examples=150, deadline=None)
@given(text=POSTING, title=TITLES, company=COMPANIES)
@example(text="Run bake-offs. Requirements: run demos. About us", title="Sales Engineer", company=None)
def test_a_retuned_configuration_agrees(
    retuned: ClassifyConfig, text: str, title: str | None, company: str | None
) -> None:
    _same(text, title, company, retuned)


def test_without_the_extension_the_python_reference_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (FIXTURES / "se_boilerplate.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(core, "_native", None)
    assert not core.native_available()
    assert core.classify(text, config=CONFIG) == core.classify_python(text, config=CONFIG)


@native
def test_bad_tables_are_refused_not_a_crash() -> None:
    tables = list(core.compile_config(CONFIG).native or ())
    assert tables
    bad_edges = [(0, 10**6, 1)]  # a word id out of range
    with pytest.raises(ValueError, match="word id out of range"):
        core._native.build(*tables[:2], bad_edges, *tables[3:])
    with pytest.raises(ValueError, match="one byte per word"):
        core._native.build(tables[0], b"", *tables[2:])
    with pytest.raises(ValueError, match="PyCapsule"):  # not a matcher
        core._native.scan(object(), "text")


def test_a_config_the_c_tables_cannot_hold_runs_in_python(tmp_path: Path) -> None:
    """A phrase with a non-ASCII word can never match (the text is ASCII by then), but the C tables hold
    ASCII only: such a configuration is classified by the Python reference, with the same results."""
    path = tmp_path / "over.yaml"
    path.write_text(
        "classify:\n  signals:\n    custom.cafe:\n      phrases: [café demo]\n      weights: {sales_engineer: 3}\n",
        encoding="utf-8",
    )
    cfg = load_classifier(path)
    compiled = core.compile_config(cfg)
    assert compiled.native is None
    assert core._native_matcher(cfg) is None
    text = "Run demos and POCs for prospects. Café demo days."
    assert core.classify(text, config=cfg) == core.classify_python(text, config=cfg)
    assert core.classify(text, config=cfg).family == "se"
