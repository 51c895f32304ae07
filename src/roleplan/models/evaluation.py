"""Results of `roleplan eval`: how the classifier did on labelled postings."""

from __future__ import annotations

from dataclasses import dataclass

from roleplan.models.classify import Evidence


@dataclass(frozen=True, slots=True)
class FamilyScore:
    """Precision, recall and F1 of one family (0 when undefined: nothing predicted or nothing labelled)."""

    family: str
    precision: float
    recall: float
    f1: float
    support: int  # records labelled with this family
    predicted: int  # records the classifier put in this family


@dataclass(frozen=True, slots=True)
class ConfidenceBucket:
    """Accuracy of the predictions whose confidence fell in [low, high)."""

    low: float
    high: float
    n: int
    correct: int
    accuracy: float | None  # None when the bucket is empty


@dataclass(frozen=True, slots=True)
class Miss:
    """A record the classifier got wrong, with what it read."""

    id: str
    source: str
    title: str | None
    company: str | None
    label: str
    predicted: str
    role: str
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class EvalResult:
    """Accuracy, per-family scores, the confusion matrix (label -> predicted -> count) and the misses."""

    n: int
    correct: int
    accuracy: float
    min_accuracy: float
    passed: bool
    families: tuple[FamilyScore, ...]
    confusion: dict[str, dict[str, int]]
    buckets: tuple[ConfidenceBucket, ...]
    title_inflated: int  # labelled se, titled like an SA seat
    title_inflated_correct: int
    misses: tuple[Miss, ...]
