"""Results of `roleplan train`: the grouped cross-validation report and the fitted model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roleplan.models.evaluation import FamilyScore


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """Grouped-CV accuracy (se/sa/other) when the model is fitted on a share of each training fold."""

    fraction: float
    n_train: float  # records fitted on, mean over the folds
    accuracy: float


@dataclass(frozen=True, slots=True)
class ReviewPoint:
    """The review trade-off at one share: flagging the least confident `share` of the records (the cut chosen
    on the other folds), the share flagged and the share of the misses among them, out of fold."""

    share: float
    flagged: float
    miss_coverage: float


@dataclass(frozen=True, slots=True)
class HybridPoint:
    """The hybrid trade-off at one threshold, out of fold: hybrid answers, their precision and recall, and
    the se/sa/other accuracy left."""

    hybrid_min: float
    predicted: int
    precision: float
    recall: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class CvReport:
    """What grouped k-fold cross-validation measured: no employer's postings straddle training and test.

    Every figure is out of fold; the temperature, the hybrid threshold and the review threshold applied to a
    fold were fitted on the other folds' predictions (cross-fitted), so none was tuned on the records scored.
    """

    folds: int
    seed: int
    groups: int  # employers (records without a company are a group each)
    n: int  # records labelled se, sa or other
    correct: int
    accuracy: float  # se/sa/other accuracy; a hybrid answer to one of them counts wrong
    n_all: int
    accuracy_all: float  # every record, hybrid labels included
    per_family: tuple[FamilyScore, ...]
    hybrid_n: int
    hybrid_recall: float | None  # None without hybrid labels
    confusion: dict[str, dict[str, int]]
    ece: float  # expected calibration error of the confidence, 10 equal-width bins
    review_flagged: float  # share of records with needs_review
    review_miss_coverage: float  # share of the misses that have needs_review
    hybrid_curve: tuple[HybridPoint, ...]  # what other hybrid thresholds would find and cost
    review_curve: tuple[ReviewPoint, ...]  # what other thresholds would flag (the trade-off)
    learning_curve: tuple[CurvePoint, ...]


@dataclass(frozen=True, slots=True)
class TrainResult:
    """The fitted model (the `classify.model` block) and how it was chosen and measured."""

    n: int
    labels: dict[str, int]
    groups: int
    c: float  # inverse regularisation strength chosen by grouped CV
    features: dict[str, bool]  # the feature options chosen by grouped CV
    n_features: int
    temperature: float
    hybrid_min: float
    review_below: float
    cv: CvReport
    model: dict[str, Any]  # what is written under `classify: model:`
