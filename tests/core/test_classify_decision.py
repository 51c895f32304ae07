"""The decision from the model's probabilities: hybrid (either reading), confidence and needs_review.

Held to core/train.py's `decide`, which the thresholds are fitted with, on postings written for this test
and on small hand-made models whose probabilities are known.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from roleplan.benchmarks import load_classifier
from roleplan.core import train
from roleplan.core.classify import classify, features
from roleplan.models.classify_config import ClassifyConfig, FeatureOptions, FittedModel

CONFIG: ClassifyConfig = load_classifier()

DEMOS_AND_GOLIVE = "Responsibilities\n- Deliver product demos.\n- Own the go-live.\n"  # one of each


def _model(
    weights: dict[str, tuple[float, float, float]], *, hybrid_min: float, review_below: float
) -> ClassifyConfig:
    model = FittedModel(
        features=FeatureOptions(pooled=True, sections=False, title_words=True),
        intercepts=(0.0, 0.0, 0.0),
        weights=tuple((name, *w) for name, w in weights.items()),
        temperature=1.0,
        hybrid_min=hybrid_min,
        review_below=review_below,
    )
    return dataclasses.replace(CONFIG, model=model)


def _probs(z: list[float], t: float) -> list[float]:
    top = max(z)
    e = [math.exp((x - top) / t) for x in z]
    return [x / sum(e) for x in e]


# demos pull to se, go-live to sa, the Sales Engineer title to se
HAND = {
    "presales.demo": (2.0, 0.0, 0.0),
    "postsales.golive": (0.0, 2.0, 0.0),
    "title:sales_engineer": (3.0, 0.0, 0.0),
}


def test_duties_spanning_both_are_hybrid_whatever_the_title_leans_to() -> None:
    config = _model(HAND, hybrid_min=0.4, review_below=0.6)
    r = classify(DEMOS_AND_GOLIVE, title="Sales Engineer", config=config)
    # the posting as a whole reads se (the title adds 3 to se) ...
    assert r.scores["se"] > 0.9
    # ... but its duties alone are se and sa in equal measure: a hybrid, never sure, so to be reviewed
    assert r.family == "hybrid" and r.role == CONFIG.hybrid_role
    # the lesser of se and sa in the duties' reading: logits (2 ln 2, 2 ln 2, 0) -> 4/9 each
    assert r.confidence == pytest.approx(4 / 9, abs=1e-3)
    assert r.needs_review


def test_a_duties_reading_leaning_one_way_is_not_hybrid() -> None:
    lean = {**HAND, "presales.demo": (4.0, 0.0, 0.0)}
    r = classify(
        DEMOS_AND_GOLIVE, title="Sales Engineer", config=_model(lean, hybrid_min=0.4, review_below=0.6)
    )
    assert r.family == "se" and r.confidence > 0.98 and not r.needs_review


def test_without_a_title_the_posting_reading_is_the_duties_reading() -> None:
    r = classify(DEMOS_AND_GOLIVE, config=_model(HAND, hybrid_min=0.4, review_below=0.6))
    assert r.family == "hybrid"
    assert r.scores["se"] == pytest.approx(r.scores["sa"])
    high = classify(DEMOS_AND_GOLIVE, config=_model(HAND, hybrid_min=0.49, review_below=0.6))
    assert high.family != "hybrid"  # both are 4/9: under a higher bar the most probable family decides


POSTINGS = [
    ("Sales Engineer", None, DEMOS_AND_GOLIVE),
    (
        "Solutions Architect",
        "MongoDB",
        "What you'll do\n- Run discovery and scope proofs of concept.\n- Answer RFPs.\n",
    ),
    (
        "Implementation Consultant",
        None,
        "- Lead data migrations.\n- Own go-live and hypercare.\n- Write runbooks.\n",
    ),
    (None, None, "- Resolve support tickets within the SLA.\n- Maintain the knowledge base.\n"),
    (
        "Solutions Engineer",
        None,
        "You will run demos and proofs of concept before the sale and then lead the implementation, "
        "data migration and go-live for the same customers after they sign.",
    ),
    ("Customer Engineer", None, "Partner with account executives on demos; design integrations post-sale.\n"),
]


@pytest.mark.parametrize(("title", "company", "text"), POSTINGS)
def test_classify_decides_as_the_fitted_thresholds_assume(
    title: str | None, company: str | None, text: str
) -> None:
    """classify's family and confidence are train.decide's on the model's own two readings."""
    m = CONFIG.model
    weights = {row[0]: row[1:] for row in m.weights}
    feats = features(text, title=title, company=company, config=CONFIG)

    def logits(names: dict[str, float]) -> list[float]:
        z = list(m.intercepts)
        for name, v in names.items():
            w = weights.get(name)
            if w is not None:
                z = [z[k] + v * w[k] for k in range(3)]
        return z

    posting = _probs(logits(feats), m.temperature)
    duties = _probs(logits({k: v for k, v in feats.items() if not k.startswith("title")}), m.temperature)
    family, confidence = train.decide([*posting, *duties], m.hybrid_min)
    r = classify(text, title=title, company=company, config=CONFIG)
    if r.role == CONFIG.unknown_role and r.confidence == 0.0:
        return  # too little to read: classify's own rule, before the model
    assert (r.family, r.confidence) == (family, round(confidence, 3))
    assert r.needs_review == (r.confidence < m.review_below)
