"""roleplan as a library: `classify`, `classify_many` and `staff`, for notebooks, pandas and pipelines.

Built on the same entry points as the CLI (the public `core.classify.classify` with the classify config in
force, `core.staffing.staff` with the benchmarks in force), so a result here is the result the CLI prints.
Nothing is printed and nothing raises for a bad posting: a missing, NaN or empty text is a result with `error`
set. Bad arguments (an unknown stage, a malformed override file) raise `ValueError` with the CLI's message.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplan.errors import RoleplanError

if TYPE_CHECKING:
    from roleplan.models.classify import ClassifiedRecord, Evidence, Family, Soc
    from roleplan.models.classify_config import ClassifyConfig

__all__ = ["RoleClassification", "classify", "classify_many", "staff"]


@dataclass(frozen=True, slots=True)
class RoleClassification:
    """One posting's classification, or why it has none (`error`; the classification fields are then None).

    `evidence` lists the phrases found and what each counted for, in the classifier's order; `soc` is the
    O*NET-SOC occupation. `to_dict()` gives the object `roleplan classify --format json` writes.
    """

    id: str
    family: Family | None
    role: str | None
    confidence: float | None
    needs_review: bool | None
    evidence: tuple[Evidence, ...]
    soc: Soc | None
    title: str | None = None
    company: str | None = None
    title_mismatch: bool | None = None
    title_family: Family | None = None
    title_note: str | None = None
    error: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (the same keys, in the same order, as the CLI's json/jsonl)."""
        from roleplan.report.classify import record_dict

        return record_dict(self._record())

    def _record(self) -> ClassifiedRecord:
        from roleplan.models.classify import ClassifiedRecord
        from roleplan.models.classify import RoleClassification as Core

        result = None
        if self.error is None:
            assert self.family is not None and self.role is not None and self.soc is not None
            result = Core(
                family=self.family,
                role=self.role,
                confidence=self.confidence or 0.0,
                title_mismatch=bool(self.title_mismatch),
                title_family=self.title_family,
                evidence=self.evidence,
                soc=self.soc,
                scores={},
                needs_review=bool(self.needs_review),
                title_note=self.title_note,
            )
        return ClassifiedRecord(
            id=self.id,
            title=self.title,
            company=self.company,
            result=result,
            error=self.error,
            note=self.note,
        )


@functools.lru_cache(maxsize=4)
def _config(benchmarks: Path | None) -> ClassifyConfig:
    from roleplan.benchmarks import load_classifier

    try:
        return load_classifier(benchmarks)
    except RoleplanError as exc:
        raise ValueError(str(exc)) from None


def _missing(value: object) -> bool:
    """None, NaN (float or numpy), pandas.NA / NaT: a cell with no value, told apart without importing pandas."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)  # numpy.float64('nan') and friends
    except (TypeError, ValueError):  # arrays and other values without a scalar truth
        return False


def _opt_str(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _classify_one(
    text: object, rid: str, title: object, company: object, config: ClassifyConfig
) -> RoleClassification:
    from roleplan.core.classify import classify as core_classify
    from roleplan.loaders.jd import MarkupError, batch_text

    title_s, company_s = _opt_str(title), _opt_str(company)

    def failed(error: str) -> RoleClassification:
        return RoleClassification(
            id=rid,
            family=None,
            role=None,
            confidence=None,
            needs_review=None,
            evidence=(),
            soc=None,
            title=title_s,
            company=company_s,
            error=error,
        )

    if _missing(text):
        return failed("missing text")
    if not isinstance(text, str):
        return failed(f"text must be a string, got {type(text).__name__}")
    try:
        text = batch_text(text)  # HTML from an ATS export reduced to text, as a CLI batch record is
    except MarkupError as exc:  # e.g. HTML nested deeper than the parser reads
        return failed(str(exc))
    if not text or text.isspace():
        return failed("empty text")
    try:
        res = core_classify(text, title=title_s, company=company_s, config=config)
    except RoleplanError as exc:
        return failed(exc.message)
    return RoleClassification(
        id=rid,
        family=res.family,
        role=res.role,
        confidence=res.confidence,
        needs_review=res.needs_review,
        evidence=res.evidence,
        soc=res.soc,
        title=title_s,
        company=company_s,
        title_mismatch=res.title_mismatch,
        title_family=res.title_family,
        title_note=res.title_note,
    )


def classify(
    text: str | None,
    *,
    title: str | None = None,
    company: str | None = None,
    benchmarks: str | Path | None = None,
) -> RoleClassification:
    """Classify one posting by its duties: `.family` (se, sa, other, hybrid), `.role`, `.confidence`,
    `.needs_review`, `.evidence`, `.soc`. A missing (None/NaN) or empty text gives `.error`, not an exception.

    `benchmarks` is an override YAML merged over the packaged data, as `--benchmarks`; without it the
    override named by ROLEPLAN_BENCHMARKS applies, as in the CLI.
    """
    config = _config(Path(benchmarks) if benchmarks is not None else None)
    return _classify_one(text, "", title, company, config)


def _rows(
    records: Any, text_field: str, id_field: str, title_field: str, company_field: str
) -> Iterator[tuple[object, str, object, object]]:
    """(text, id, title, company) per record, for strings, mappings, a pandas Series or DataFrame."""
    if isinstance(records, str | bytes):
        raise TypeError("classify_many takes an iterable of records; for one text use roleplan.classify")
    if hasattr(records, "columns") and hasattr(records, "itertuples"):  # a DataFrame (duck-typed)
        columns = [str(c) for c in records.columns]
        if text_field not in columns:
            raise ValueError(f"no {text_field!r} column (columns: {', '.join(columns)}); pass text_field=")
        pick = {
            name: columns.index(name)
            for name in (text_field, id_field, title_field, company_field)
            if name in columns
        }
        for label, *row in records.itertuples(index=True, name=None):
            rid = row[pick[id_field]] if id_field in pick else label
            yield (
                row[pick[text_field]],
                "" if _missing(rid) else str(rid),
                row[pick[title_field]] if title_field in pick else None,
                row[pick[company_field]] if company_field in pick else None,
            )
        return
    if hasattr(records, "index") and hasattr(records, "items") and hasattr(records, "dtype"):  # a Series
        for label, value in records.items():
            yield value, str(label), None, None
        return
    if isinstance(records, Mapping):
        raise TypeError("classify_many takes an iterable of records, not one mapping; wrap it in a list")
    for position, rec in enumerate(records):
        if isinstance(rec, Mapping):
            rid = rec.get(id_field)
            yield (
                rec.get(text_field),
                str(position) if _missing(rid) or rid == "" else str(rid),
                rec.get(title_field),
                rec.get(company_field),
            )
        else:
            yield rec, str(position), None, None


def classify_many(
    records: Iterable[str | Mapping[str, Any] | None] | Any,
    *,
    text_field: str = "text",
    id_field: str = "id",
    title_field: str = "title",
    company_field: str = "company",
    benchmarks: str | Path | None = None,
) -> Iterator[RoleClassification]:
    """Classify many postings lazily, yielding one result per record in input order.

    `records` may be texts (str; None/NaN allowed), mappings with `text` and optional `id`, `title`, `company`
    (other field names through `text_field=` ...), a pandas Series of texts (ids from its index) or a
    DataFrame (ids from `id_field` when it has that column, else the index). pandas is never imported.
    A record without an id gets its position (0, 1, ...).
    """
    config = _config(Path(benchmarks) if benchmarks is not None else None)
    for text, rid, title, company in _rows(records, text_field, id_field, title_field, company_field):
        yield _classify_one(text, rid, title, company, config)


def staff(
    *,
    stage: str,
    aes: int,
    segment: str | None = None,
    motion: str = "product",
    arr: str | float | None = None,
    live_enterprise_customers: int | None = None,
    poc_win_rate: str | float | None = None,
    days_to_first_value: int | None = None,
    deployed_at_renewal: str | float | None = None,
    strategic_accounts: int | None = None,
    commercial_accounts: int | None = None,
    benchmarks: str | Path | None = None,
) -> dict[str, Any]:
    """How many SEs and SAs, in what order, and why: the data `roleplan staff --format json` prints.

    `arr` takes dollars (18_000_000) or text ("18M", "$18,000,000"); shares take 0.55 or "55%".
    A bad value raises ValueError with the CLI's message (e.g. the closest stage name).
    """
    import json

    from roleplan.benchmarks import load_benchmarks
    from roleplan.core.staffing import staff as compute
    from roleplan.errors import pick
    from roleplan.models.staffing import StaffInputs
    from roleplan.money import parse_money, parse_share
    from roleplan.names import MOTIONS, SEGMENTS, STAGES
    from roleplan.report.common import to_json

    def money(value: str | float | None, what: str) -> float | None:
        return None if value is None else parse_money(str(value), what=what)

    def share(value: str | float | None, what: str) -> float | None:
        return None if value is None else parse_share(str(value), what=what)

    try:
        inputs = StaffInputs(
            stage=pick("stage", stage, STAGES),
            aes=aes,
            segment=pick("segment", segment, SEGMENTS) if segment is not None else None,
            motion=pick("motion", motion, MOTIONS),
            arr=money(arr, "arr"),
            live_enterprise_customers=live_enterprise_customers,
            poc_win_rate=share(poc_win_rate, "poc_win_rate"),
            days_to_first_value=days_to_first_value,
            deployed_at_renewal=share(deployed_at_renewal, "deployed_at_renewal"),
            strategic_accounts=strategic_accounts,
            commercial_accounts=commercial_accounts,
        )
        plan = compute(inputs, load_benchmarks(Path(benchmarks) if benchmarks is not None else None))
    except RoleplanError as exc:
        raise ValueError(str(exc)) from None
    data: dict[str, Any] = json.loads(to_json(plan))
    return data
