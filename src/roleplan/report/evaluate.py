"""Reporters for `roleplan eval`: a Rich table, stable JSON, and Markdown for a pull request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from roleplan.models.evaluation import EvalResult, Miss
from roleplan.report.common import markdown_table, to_json

_EVIDENCE_SHOWN = 5


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _summary(r: EvalResult) -> str:
    verdict = "pass" if r.passed else "FAIL"
    line = f"accuracy {_pct(r.accuracy)} ({r.correct}/{r.n}), minimum {_pct(r.min_accuracy)}: {verdict}"
    if r.title_inflated:
        line += (
            f"; title-inflated pre-sales seats classified se: {r.title_inflated_correct}/{r.title_inflated}"
        )
    return line


def _evidence(m: Miss) -> str:
    return ", ".join(
        f"{e.phrase} ({e.signal} → {e.family} {e.weight:g})" for e in m.evidence[:_EVIDENCE_SHOWN]
    )


def _families_rows(r: EvalResult) -> list[list[object]]:
    return [
        [f.family, _pct(f.precision), _pct(f.recall), f"{f.f1:.2f}", f.support, f.predicted]
        for f in r.families
    ]


def _confusion_rows(r: EvalResult) -> tuple[list[str], list[list[object]]]:
    names = list(r.confusion)
    return ["label \\ predicted", *names], [[a, *(r.confusion[a][b] for b in names)] for a in names]


def _bucket_rows(r: EvalResult) -> list[list[object]]:
    return [[f"{b.low:.1f}–{b.high:.1f}", b.n, b.correct, _pct(b.accuracy)] for b in r.buckets]


def markdown(r: EvalResult) -> str:
    parts = [f"**{_summary(r)}**\n"]
    parts.append(
        markdown_table(["family", "precision", "recall", "F1", "labelled", "predicted"], _families_rows(r))
    )
    headers, rows = _confusion_rows(r)
    parts.append(markdown_table(headers, rows))
    parts.append(markdown_table(["confidence", "records", "correct", "accuracy"], _bucket_rows(r)))
    if r.misses:
        parts.append(
            markdown_table(
                ["id", "title", "label", "predicted", "confidence", "evidence"],
                [
                    [
                        m.id,
                        m.title or "",
                        m.label,
                        f"{m.predicted} ({m.role})",
                        f"{m.confidence:.2f}",
                        _evidence(m),
                    ]
                    for m in r.misses
                ],
            )
        )
    return "\n".join(parts)


def table(r: EvalResult) -> Any:
    from rich.text import Text

    from roleplan.report import text

    fam = text.table(
        "Per family",
        ["family", "precision", "recall", "F1", "labelled", "predicted"],
        _families_rows(r),
        right={"precision", "recall", "F1", "labelled", "predicted"},
    )
    headers, rows = _confusion_rows(r)
    conf = text.table("Confusion (rows: label, columns: predicted)", headers, rows, right=headers[1:])
    cal = text.table(
        "Calibration (accuracy by confidence)",
        ["confidence", "records", "correct", "accuracy"],
        _bucket_rows(r),
        right={"records", "correct", "accuracy"},
    )
    parts: list[Any] = [Text(_summary(r), style="bold" if r.passed else "bold red"), fam, conf, cal]
    if r.misses:
        parts.append(
            text.table(
                "Misses",
                ["id", "label", "predicted", "conf", "evidence"],
                [
                    [m.id, m.label, f"{m.predicted} ({m.role})", f"{m.confidence:.2f}", _evidence(m)]
                    for m in r.misses
                ],
            )
        )
    return text.tables(*parts)


REPORTERS: dict[str, Callable[[EvalResult], Any]] = {"table": table, "json": to_json, "markdown": markdown}
