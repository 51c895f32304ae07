"""Score the classifier against labelled postings: accuracy, per-family P/R/F1, confusion, calibration."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roleplan.models.classify import FAMILIES, RoleClassification
from roleplan.models.evaluation import ConfidenceBucket, EvalResult, FamilyScore, Miss

#: Confidence bucket edges: accuracy per bucket shows whether low confidence really means "look again".
BUCKET_EDGES: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled record and the classifier's answer."""

    id: str
    label: str
    result: RoleClassification
    title: str | None = None
    company: str | None = None
    source: str = ""


def accuracy(labels: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of predictions equal to the label (0.0 for no records)."""
    if len(labels) != len(predicted):
        raise ValueError("labels and predictions differ in length")
    if not labels:
        return 0.0
    return sum(a == b for a, b in zip(labels, predicted, strict=True)) / len(labels)


def confusion(
    labels: Sequence[str], predicted: Sequence[str], families: Sequence[str] = FAMILIES
) -> dict[str, dict[str, int]]:
    """label -> predicted -> count over `families` (plus any other value seen, appended in order)."""
    names = list(families)
    for value in (*labels, *predicted):
        if value not in names:
            names.append(value)
    matrix = {a: dict.fromkeys(names, 0) for a in names}
    for a, b in zip(labels, predicted, strict=True):
        matrix[a][b] += 1
    return matrix


def family_scores(
    labels: Sequence[str], predicted: Sequence[str], families: Sequence[str]
) -> list[FamilyScore]:
    """Precision, recall and F1 per family (0.0 where undefined)."""
    out = []
    for fam in families:
        tp = sum(a == fam and b == fam for a, b in zip(labels, predicted, strict=True))
        support = sum(a == fam for a in labels)
        pred = sum(b == fam for b in predicted)
        precision = tp / pred if pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(
            FamilyScore(
                family=fam, precision=precision, recall=recall, f1=f1, support=support, predicted=pred
            )
        )
    return out


def buckets(
    confidences: Sequence[float], correct: Sequence[bool], edges: Sequence[float] = BUCKET_EDGES
) -> list[ConfidenceBucket]:
    """Accuracy per confidence bucket [edge_i, edge_i+1); the last bucket includes 1.0."""
    out = []
    last = len(edges) - 2
    for i in range(len(edges) - 1):
        lo, hi = edges[i], edges[i + 1]
        hits = [
            ok
            for conf, ok in zip(confidences, correct, strict=True)
            if lo <= conf < hi or (i == last and conf == hi)
        ]
        n = len(hits)
        out.append(
            ConfidenceBucket(low=lo, high=hi, n=n, correct=sum(hits), accuracy=sum(hits) / n if n else None)
        )
    return out


def evaluate(records: Iterable[Labelled], *, min_accuracy: float = 0.9) -> EvalResult:
    """Everything `roleplan eval` reports, from labelled records and their classifications."""
    items = list(records)
    labels = [r.label for r in items]
    predicted = [r.result.family for r in items]
    ok = [a == b for a, b in zip(labels, predicted, strict=True)]
    acc = accuracy(labels, predicted)
    seen = [f for f in FAMILIES if f in labels or f in predicted]
    inflated = [r for r in items if r.label == "se" and r.result.title_family == "sa"]
    misses = tuple(
        Miss(
            id=r.id,
            source=r.source,
            title=r.title,
            company=r.company,
            label=r.label,
            predicted=r.result.family,
            role=r.result.role,
            confidence=r.result.confidence,
            evidence=r.result.evidence,
        )
        for r, good in zip(items, ok, strict=True)
        if not good
    )
    return EvalResult(
        n=len(items),
        correct=sum(ok),
        accuracy=acc,
        min_accuracy=min_accuracy,
        passed=bool(items) and acc >= min_accuracy,
        families=tuple(family_scores(labels, predicted, seen)),
        confusion=confusion(labels, predicted, seen),
        buckets=tuple(buckets([r.result.confidence for r in items], ok)),
        title_inflated=len(inflated),
        title_inflated_correct=sum(r.result.family == "se" for r in inflated),
        misses=misses,
    )
