"""Results of `roleplan classify`: a family, a finer role, calibrated confidence and the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Family = Literal["se", "sa", "other", "hybrid"]
FAMILIES: tuple[Family, ...] = ("se", "sa", "other", "hybrid")

# Evidence, RoleClassification and ClassifiedRecord are made for every posting of a batch: plain slotted
# dataclasses build about three times faster than frozen ones (no object.__setattr__ per field). Treat them as
# read-only all the same. Soc instances are shared per config, so that one stays frozen.


@dataclass(slots=True)
class Evidence:
    """A phrase found in the text (or title) and what it counted for."""

    phrase: str  # the text as it appears in the posting
    signal: str  # the signal's id in data/signals.yaml, e.g. "presales.poc"
    family: str  # the family (or role) the signal points to
    weight: float  # its contribution to the decision (after section discounts)
    where: str = "text"  # "text", "title", or a section such as "nice_to_have"


@dataclass(frozen=True, slots=True)
class Soc:
    """An O*NET-SOC occupation."""

    code: str  # e.g. "41-9031.00"
    title: str  # e.g. "Sales Engineers"


@dataclass(slots=True)
class RoleClassification:
    """What the duties describe, how sure, and why."""

    family: Family
    role: str  # sales_engineer, solutions_architect, account_executive, ...
    confidence: float  # 0..1; low means "needs a human look"
    title_mismatch: bool  # the title says one family, the duties another
    title_family: Family | None  # what the title alone suggests (None: no title or no opinion)
    evidence: tuple[Evidence, ...]
    soc: Soc
    scores: dict[str, float]  # raw score per family, for eval and debugging
    needs_review: bool = False  # confidence under the configured bar: a person should look
    title_note: str | None = None  # e.g. what the title means at this company (a cited title map)


@dataclass(slots=True)
class ClassifiedRecord:
    """One input record and its classification (or the error that kept it from being classified)."""

    id: str
    title: str | None
    company: str | None
    result: RoleClassification | None
    error: str | None = None
    note: str | None = None  # e.g. "decoded as cp1252"
    kept: dict[str, Any] | None = None  # `classify --keep` input fields, as read (None: no --keep)
