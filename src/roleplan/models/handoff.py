"""The SE-to-SA handoff check: deals read from a CRM export, and each deal's rules met, breached or pending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from roleplan.models.figures import Band

Status = Literal["met", "breached", "pending"]
RuleId = Literal["handoff_pack", "kickoff", "architecture_lock"]

#: The handoff pack's documents, as export columns, in the playbook's order.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "meddpicc_scorecard",
    "poc_scope",
    "commercial_commitments",
    "stakeholder_map",
    "risk_log",
)


@dataclass(frozen=True)
class HandoffDeal:
    """One Closed-Won deal of the export: its dates (None = not yet) and the row it came from."""

    deal: str
    line: int
    closed_won: date
    kickoff: date | None
    documents: tuple[tuple[str, date | None], ...]  # (field, delivered on) in DOCUMENT_FIELDS order
    architecture_signed: date | None


#: Unreadable rows a report keeps (the rest are counted): a broken 100k-row export must not fill memory.
MAX_FINDINGS = 100


@dataclass(frozen=True)
class RowFinding:
    """A row that could not be used, and why (the rest of the export is still checked)."""

    line: int
    message: str
    file: str | None = None


@dataclass(frozen=True)
class RuleResult:
    """One rule of the playbook on one deal."""

    id: RuleId
    status: Status
    deadline: str  # ISO date
    done_on: str | None  # ISO date, None while not (fully) done
    days_late: int  # 0 unless breached; in `unit`
    unit: Literal["business days", "days"]
    missing: tuple[str, ...]  # documents not delivered (handoff_pack only)
    late: tuple[str, ...]  # documents delivered after the deadline (handoff_pack only)
    note: str | None
    source: str


@dataclass(frozen=True)
class DealResult:
    """A deal's verdict: breached when any rule is, pending while any rule's deadline is still ahead."""

    deal: str
    line: int
    closed_won: str
    status: Status
    rules: tuple[RuleResult, ...]
    go_live_slip_days: Band | None  # the expected slip when the architecture lock was missed


@dataclass(frozen=True)
class RuleCount:
    id: str
    met: int
    breached: int
    pending: int


@dataclass(frozen=True)
class HandoffSummary:
    """Totals, the compliant share, and what the missed rules are expected to cost (cited)."""

    deals: int
    met: int
    breached: int
    pending: int
    compliant_share: float | None  # met / (met + breached): deals whose every deadline has passed or been met
    rules: tuple[RuleCount, ...]
    without_lock: int
    go_live_slip_days_per_deal: Band
    go_live_slip_days_total: Band
    without_handoff_pack: int
    first_value_faster_with_handoff: float
    invalid_rows: int
    closed_after_as_of: int  # deals whose Closed-Won date is after --as-of: not won yet then, not checked
    source: str


@dataclass(frozen=True)
class HandoffReport:
    """`roleplan handoff`: every deal's rules, the summary, and the rows that could not be read."""

    file: str
    as_of: str
    calendar: str
    within_business_days: int
    architecture_lock_days: int
    deals: tuple[DealResult, ...]
    summary: HandoffSummary
    invalid: tuple[RowFinding, ...]  # the first MAX_FINDINGS; summary.invalid_rows counts them all
