"""Results of the org-design calculators: staff, ratio, capacity, comp."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roleplan.models.figures import Band

Verdict = Literal["understaffed", "within", "overstaffed"]


@dataclass(frozen=True)
class Advice:
    """One line of advice and the publication behind it."""

    id: str
    text: str
    source: str


@dataclass(frozen=True)
class Headcount:
    """Whole people: what to aim for and the range the benchmarks allow."""

    recommended: int
    min: int
    max: int


@dataclass(frozen=True)
class HireStep:
    """One step of the hiring order: which role, how many, and why at this point."""

    order: int
    role: Literal["se", "sa"]
    count: int
    why: str


@dataclass(frozen=True)
class StaffInputs:
    """What `roleplan staff` was told about the company (None: not given)."""

    stage: str
    aes: int
    segment: str | None = None
    motion: str = "product"
    arr: float | None = None
    live_enterprise_customers: int | None = None
    poc_win_rate: float | None = None
    days_to_first_value: int | None = None
    deployed_at_renewal: float | None = None
    strategic_accounts: int | None = None
    commercial_accounts: int | None = None


@dataclass(frozen=True)
class StaffPlan:
    """`roleplan staff`: SE and SA headcounts, the order to hire them in, and the cited advice."""

    inputs: StaffInputs
    se: Headcount
    sa: Headcount
    se_ratio: str  # SE:AE at the recommended SE count, e.g. "1:3"
    se_benchmark: str  # dotted path of the SE ratio used
    hiring_order: tuple[HireStep, ...]
    advice: tuple[Advice, ...]


@dataclass(frozen=True)
class RatioResult:
    """`roleplan ratio`: today's SE:AE against the segment's benchmark, the verdict and the fix."""

    aes: int
    ses: int
    segment: str
    aes_per_se: float | None  # None when there is no SE
    ratio: str
    band: Band
    band_text: str
    verdict: Verdict
    fix: str | None
    fix_ses: int  # SEs to add (+) or remove (-) to reach the band; 0 when within
    source: str
    advice: tuple[Advice, ...]


@dataclass(frozen=True)
class SegmentFit:
    """The demo-load answer against one segment's SE:AE benchmark."""

    segment: str
    band_text: str
    ses: Headcount  # SEs the segment's ratio asks for these reps
    verdict: Literal["below", "within", "above"]  # the demo-load answer against that range


@dataclass(frozen=True)
class CapacityResult:
    """`roleplan capacity`: SEs for the reps' demo load and for the rep ceiling, and which one binds."""

    reps: int
    demos_per_rep_week: float
    travel: bool
    demo_load_per_week: float
    demos_per_se_week: float
    ses_for_demo_load: int
    max_reps_per_se: int
    ses_for_rep_ceiling: int
    ses_needed: int
    binding: Literal["demo load", "rep ceiling", "none"]
    reps_per_se: float | None
    segments: tuple[SegmentFit, ...]
    advice: tuple[Advice, ...]


@dataclass(frozen=True)
class OfferFit:
    """Where an offer's base or OTE falls in one band."""

    kind: Literal["base", "ote"]
    amount: float
    position: Literal["below", "within", "above"]
    percentile: float | None  # 0..1 inside the band, None outside it


@dataclass(frozen=True)
class CompRow:
    """One published pay band as `roleplan comp` shows it, with the offer placed in it."""

    role: Literal["se", "sa"]
    segment: str | None
    level: str | None
    base: Band | None
    ote: Band | None
    total: Band | None
    split: tuple[str, ...]
    variable_tied_to: str | None
    source: str
    also_cited: tuple[str, ...]
    as_of: int
    note: str | None
    offer: tuple[OfferFit, ...] = ()


@dataclass(frozen=True)
class CompResult:
    """`roleplan comp`: every matching band, the roles and filters asked for, and the advice."""

    roles: tuple[str, ...]
    level: str | None
    segment: str | None
    rows: tuple[CompRow, ...]
    advice: tuple[Advice, ...]
