"""Glue for batches: records in, classified records out, one at a time (pure: no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from roleplan.core import classify as _classify
from roleplan.errors import RoleplanError
from roleplan.models.classify import ClassifiedRecord
from roleplan.models.classify_config import ClassifyConfig


class JobRecord(Protocol):
    """What the core needs of a posting (loaders.jd.JobRecord is one): the core does not import loaders."""

    id: str
    title: str | None
    company: str | None
    text: str
    error: str | None
    note: str | None
    kept: dict[str, Any] | None  # input fields copied to the output (`classify --keep`)


def classify_records(records: Iterable[JobRecord], config: ClassifyConfig) -> Iterator[ClassifiedRecord]:
    """Classify each record; a record the loader could not read stays an error record."""
    classify = _classify.classify  # looked up per batch, so a replaced classifier (tests) is used
    for rec in records:
        if rec.error is not None:
            yield _failed(rec, rec.error)
            continue
        try:
            result = classify(rec.text, title=rec.title, company=rec.company, config=config)
        except RoleplanError as exc:  # the classifier refusing one text must not end the batch
            yield _failed(rec, exc.message)
            continue
        # positional (id, title, company, result, error, note, kept): keywords cost ~0.5 µs more per record
        yield ClassifiedRecord(rec.id, rec.title, rec.company, result, None, rec.note, rec.kept)


def _failed(rec: JobRecord, error: str) -> ClassifiedRecord:
    """The output record of a posting that could not be classified: its fields, no result, the error."""
    return ClassifiedRecord(rec.id, rec.title, rec.company, None, error, rec.note, rec.kept)
