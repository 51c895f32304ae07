"""Reporters for `roleplan train`: the grouped CV report (table, JSON) and the model as YAML."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from roleplan.models.training import TrainResult
from roleplan.report.common import plain, to_json


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def summary(r: TrainResult) -> str:
    """One line: what was fitted and its headline figure."""
    cv = r.cv
    return (
        f"fitted on {r.n} postings from {r.groups} employers ({_labels(r)}): {r.n_features} weighted features, "
        f"C={r.c:g}; grouped {cv.folds}-fold CV se/sa/other accuracy {_pct(cv.accuracy)} ({cv.correct}/{cv.n})"
    )


def _labels(r: TrainResult) -> str:
    return ", ".join(f"{k} {v}" for k, v in r.labels.items())


def table(r: TrainResult) -> Any:
    """The CV report in the one table style (`report.text.table`), its headline line first."""
    from rich.text import Text

    from roleplan.report.text import table as titled
    from roleplan.report.text import tables

    cv = r.cv
    rows = [
        ("records / employers", f"{cv.n_all} / {cv.groups}"),
        ("se/sa/other accuracy", f"{_pct(cv.accuracy)} ({cv.correct}/{cv.n})"),
        ("accuracy with hybrids", _pct(cv.accuracy_all)),
        ("hybrid recall", "—" if cv.hybrid_recall is None else f"{_pct(cv.hybrid_recall)} of {cv.hybrid_n}"),
        ("calibration error (ECE)", f"{cv.ece:.3f}"),
        (
            "needs_review flags",
            f"{_pct(cv.review_flagged)} of records, {_pct(cv.review_miss_coverage)} of misses",
        ),
        ("chosen", f"C={r.c:g}, " + ", ".join(k for k, v in r.features.items() if v)),
        (
            "temperature / hybrid_min / review_below",
            f"{r.temperature:g} / {r.hybrid_min:g} / {r.review_below:g}",
        ),
    ]
    head = titled(
        f"Grouped {cv.folds}-fold cross-validation by employer (seed {cv.seed})",
        ("measure", "value"),
        rows,
        right=("value",),
    )
    fam_cols = ("family", "precision", "recall", "F1", "labelled", "predicted")
    fam = titled(
        "Per family (out of fold)",
        fam_cols,
        (
            (f.family, _pct(f.precision), _pct(f.recall), f"{f.f1:.2f}", str(f.support), str(f.predicted))
            for f in cv.per_family
        ),
        right=fam_cols[1:],
    )
    names = list(cv.confusion)
    conf = titled(
        "Confusion (rows: label, columns: predicted)",
        ("label \\ predicted", *names),
        ((a, *(str(cv.confusion[a][b]) for b in names)) for a in names),
        right=names,
    )
    curve_cols = ("share", "records fitted", "se/sa/other accuracy")
    curve = titled(
        "Learning curve (share of each training fold's employers)",
        curve_cols,
        ((f"{p.fraction:.0%}", f"{p.n_train:.0f}", _pct(p.accuracy)) for p in cv.learning_curve),
        right=curve_cols,
    )
    review_cols = ("share", "records flagged", "misses flagged")
    review = titled(
        "needs_review trade-off (the least confident share, cut on the other folds)",
        review_cols,
        ((f"{q.share:.0%}", _pct(q.flagged), _pct(q.miss_coverage)) for q in cv.review_curve),
        right=review_cols,
    )
    hybrid_cols = ("hybrid_min", "hybrid answers", "precision", "recall", "se/sa/other accuracy")
    hybrid = titled(
        "hybrid trade-off (out of fold)",
        hybrid_cols,
        (
            (f"{hp.hybrid_min:g}", str(hp.predicted), _pct(hp.precision), _pct(hp.recall), _pct(hp.accuracy))
            for hp in cv.hybrid_curve
        ),
        right=hybrid_cols,
    )
    return tables(Text(summary(r), style="bold"), head, fam, conf, curve, review, hybrid)


def json_report(r: TrainResult) -> str:
    """The result without the weight rows (they are in the model file)."""
    data = plain(r)
    data["model"] = {k: v for k, v in data["model"].items() if k != "weights"}
    return to_json(data)


REPORTERS: dict[str, Callable[[TrainResult], Any]] = {"table": table, "json": json_report}


def _scalar(v: Any) -> str:
    """A YAML scalar: JSON's spelling of strings, numbers, booleans and null is valid YAML."""
    return json.dumps(v, ensure_ascii=False)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, v in value.items():
        if isinstance(v, dict):
            if not v:
                out.append(f"{pad}{key}: {{}}")
                continue
            if all(not isinstance(x, dict | list) for x in v.values()):
                out.append(f"{pad}{key}: {{" + ", ".join(f"{k}: {_scalar(x)}" for k, x in v.items()) + "}")
                continue
            out.append(f"{pad}{key}:")
            _emit(v, indent + 2, out)
        elif isinstance(v, list) and v and isinstance(v[0], list):
            out.append(f"{pad}{key}:")
            out += [f"{pad}  - [" + ", ".join(_scalar(x) for x in row) + "]" for row in v]
        elif isinstance(v, list):
            out.append(f"{pad}{key}: [" + ", ".join(_scalar(x) for x in v) + "]")
        else:
            out.append(f"{pad}{key}: {_scalar(v)}")


def model_yaml(model: dict[str, Any], *, indent: int = 4) -> str:
    """The `model:` block's body (keys at `indent`), one weight row per line."""
    out: list[str] = []
    _emit(model, indent, out)
    return "\n".join(out) + "\n"


def override_yaml(model: dict[str, Any], *, header: str) -> str:
    """A benchmarks override holding a fitted model: `roleplan classify --benchmarks FILE` uses it."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + "classify:\n  model:\n" + model_yaml(model, indent=4)
