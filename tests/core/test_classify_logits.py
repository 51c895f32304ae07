"""The decision's fast logits equal the model's weights . features() (features() is what training fits on).

core.classify._logits sums the model's weights per signal index without building the feature dict; this
holds it to the reference, `intercepts + sum(weight[name] * value for name, value in features(...))`, on the
fixtures and on Hypothesis postings, under the packaged model and under models that read other features
(section groups, no pooled features, no title words) with weights the packaged model does not have: the fast
path must follow any refit.
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_classifier
from roleplan.core import classify as core
from roleplan.models.classify_config import GROUPS, ClassifyConfig

FIXTURES = Path(__file__).parent.parent / "fixtures" / "classify"
PACKAGED: ClassifyConfig = load_classifier()


def _variant(*, pooled: bool, sections: bool, title_words: bool, seed: int) -> ClassifyConfig:
    """The packaged config with other feature options and random weights for section-group features."""
    rng = random.Random(seed)
    model = PACKAGED.model
    rows = list(model.weights)
    have = {row[0] for row in rows}
    for sid in PACKAGED.signals:
        for group in GROUPS:
            if f"{sid}@{group}" not in have and rng.random() < 0.4:
                rows.append((f"{sid}@{group}", rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)))
    rows = [
        (n, a + rng.uniform(-0.5, 0.5), b + rng.uniform(-0.5, 0.5), d + rng.uniform(-0.5, 0.5))
        for n, a, b, d in rows
    ]
    options = dataclasses.replace(model.features, pooled=pooled, sections=sections, title_words=title_words)
    return dataclasses.replace(
        PACKAGED,
        model=dataclasses.replace(model, weights=tuple(rows), features=options, temperature=0.8),
        decision=dataclasses.replace(PACKAGED.decision, max_repeats=2),
    )


CONFIGS = {
    "packaged": PACKAGED,
    "sections": _variant(pooled=True, sections=True, title_words=True, seed=1),
    "sections only": _variant(pooled=False, sections=True, title_words=False, seed=2),
    "pooled, no title words": _variant(pooled=True, sections=False, title_words=False, seed=3),
}


def _reference(text: str, title: str | None, company: str | None, config: ClassifyConfig) -> list[float]:
    """intercepts + weights . features(), over the features the model's options say it reads."""
    opts = config.model.features
    weights = {row[0]: row[1:] for row in config.model.weights}
    z = list(config.model.intercepts)
    for name, value in core.features(text, title=title, company=company, config=config).items():
        if name.startswith("title_word:"):
            use = opts.title_words
        elif name.startswith(("title:", "title_map:")):
            use = True
        else:
            use = opts.sections if "@" in name else opts.pooled
        w = weights.get(name)
        if use and w is not None:
            for k in range(3):
                z[k] += w[k] * value
    return z


def _check(text: str, title: str | None, company: str | None, config: ClassifyConfig) -> None:
    c = core.compile_config(config)
    matches, seen_heading = core._scan(text, config)
    t = core._read_title(title, company, c, config) if title and title.strip() else None
    read = core._logits(matches, seen_heading, t, c)
    ref = _reference(text, title, company, config)
    assert all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(read.logits, ref, strict=True)
    ), (
        read.logits,
        ref,
    )
    # what classify() reports is softmax(logits / temperature) of the same logits
    top = max(ref)
    e = [math.exp((x - top) / config.model.temperature) for x in ref]
    result = core.classify(text, title=title, company=company, config=config)
    for fam, p in zip(("se", "sa", "other"), e, strict=True):
        assert result.scores[fam] == pytest.approx(p / sum(e), abs=0.0015)


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_fixture_logits_are_weights_dot_features(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    _check(text, None, None, CONFIGS[name])
    _check(text, "Senior Solutions Architect / Sales Engineer", "MongoDB", CONFIGS[name])


_VOCAB = (
    "run demos poc rfp discovery quota implementation migration go-live runbook reference architecture "
    "integration adoption renewal tickets roadmap code review partner with alongside Sales Engineers "
    "Solutions Architects account executives not no only Responsibilities Requirements Nice to have About us "
    "Benefits internal our customers equal opportunity employer . ; :"
)
_WORDS = [*_VOCAB.split(), "\n"]
POSTING = st.lists(st.sampled_from(_WORDS), max_size=150).map(" ".join)
TITLE = st.none() | st.sampled_from(["Solutions Architect", "Sales Engineer", "Deployment Engineer", "  "])


@settings(max_examples=200, deadline=None)
@given(text=POSTING, title=TITLE, name=st.sampled_from(sorted(CONFIGS)))
def test_any_posting_s_logits_are_weights_dot_features(text: str, title: str | None, name: str) -> None:
    _check(text, title, None, CONFIGS[name])


def test_the_variants_read_other_features() -> None:
    """The variants are not the packaged model in disguise: their section features change the logits."""
    text = (FIXTURES / "se_boilerplate.txt").read_text(encoding="utf-8")
    scores = {n: core.classify(text, config=cfg).scores for n, cfg in CONFIGS.items()}
    assert len({tuple(s.values()) for s in scores.values()}) == len(CONFIGS)


@settings(max_examples=2000, deadline=None)
@given(
    x=st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-2.0, max_value=2.0)
    | st.integers(-2_000_000, 2_000_000).map(lambda n: n / 2000)  # the ties: k + 0.0005
    | st.integers(-2_000_000, 2_000_000).map(lambda n: (n + 0.5) / 1000)
)
@example(x=0.0005)
@example(x=2.675)
@example(x=-0.0001)
@example(x=1.0005)
@example(x=-0.0)
def test_round3_is_round_to_three_digits(x: float) -> None:
    assert repr(core._round3(x)) == repr(round(x, 3))
