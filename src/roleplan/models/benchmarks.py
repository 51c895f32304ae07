"""Schema of the benchmark data: every figure carries the publication it comes from and the year.

The data has three parts, each validated only by the commands that read it (roleplan/benchmarks.py):
`Benchmarks` (the calculators' figures and the `sources` every figure cites), the `calendar:` section
(models/calendar_config.py) and the `classify:` section (models/classify_config.py). `AllBenchmarks` is the
three together, for `benchmarks validate` and `benchmarks sources`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from roleplan.models.figures import FORBID, Band, Cited, Source
from roleplan.names import COMP_SEGMENTS, LEVELS, MOTIONS, ROLES, SEGMENTS, STAGES

if TYPE_CHECKING:
    from roleplan.models.calendar_config import CalendarConfig
    from roleplan.models.classify_config import ClassifyConfig

__all__ = ["COMP_SEGMENTS", "LEVELS", "MOTIONS", "ROLES", "SEGMENTS", "STAGES", "AllBenchmarks", "Benchmarks"]

#: The top-level sections beside the calculators' figures, each validated on its own.
SECTIONS: tuple[str, ...] = ("calendar", "classify")


Role = Literal["se", "sa"]


def _check_stages(stages: tuple[str, ...], where: str) -> None:
    for stage in stages:
        if stage not in STAGES:
            raise ValueError(f"{where}: unknown stage {stage!r} (choose from: {', '.join(STAGES)})")


def _share(value: float, name: str) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a share between 0 and 1, got {value}")


@dataclass(frozen=True, kw_only=True)
class SegmentSeRatio(Cited):
    """AEs one SE supports in a segment (SE:AE 1:min .. 1:max)."""

    aes_per_se: Band
    examples: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.aes_per_se.min <= 0:  # the ratio check divides by it
            raise ValueError("aes_per_se.min must be positive")


@dataclass(frozen=True, kw_only=True)
class EarlyStageRule(Cited):
    """Series A/B: SEs first at a fixed AE:SE ratio, revisit once POC win rate is stable above a bar."""

    stages: tuple[str, ...]
    hire_first: Role
    aes_per_se: float
    revisit_poc_win_rate: float

    def __post_init__(self) -> None:
        _check_stages(self.stages, "early_stage.stages")
        _share(self.revisit_poc_win_rate, "revisit_poc_win_rate")
        if self.aes_per_se <= 0:
            raise ValueError("aes_per_se must be positive")


@dataclass(frozen=True, kw_only=True)
class GrowthStageRule(Cited):
    """Series C and later: both roles are needed; one of them is usually under-staffed."""

    stages: tuple[str, ...]
    needs: tuple[Role, ...]
    usually_understaffed: Role

    def __post_init__(self) -> None:
        _check_stages(self.stages, "growth_stage.stages")


@dataclass(frozen=True, kw_only=True)
class RepCeiling(Cited):
    """How many quota-carrying reps one pre-sales SE can serve."""

    max_reps_per_se: int
    common_reps_per_se: Band
    with_travel_max_reps_per_se: int

    def __post_init__(self) -> None:
        if not 0 < self.with_travel_max_reps_per_se <= self.max_reps_per_se:
            raise ValueError("with_travel_max_reps_per_se must be positive and at most max_reps_per_se")


@dataclass(frozen=True, kw_only=True)
class DemoLoad(Cited):
    """Live demos one SE can run."""

    live_demos_per_se_day: float
    workdays_per_week: int

    def __post_init__(self) -> None:
        if self.live_demos_per_se_day <= 0 or not 1 <= self.workdays_per_week <= 7:
            raise ValueError("live_demos_per_se_day must be positive and workdays_per_week 1..7")

    @property
    def demos_per_se_week(self) -> float:
        return self.live_demos_per_se_day * self.workdays_per_week


@dataclass(frozen=True, kw_only=True)
class AccountSaRatio(Cited):
    """Accounts one SA covers."""

    accounts_per_sa: Band

    def __post_init__(self) -> None:
        if self.accounts_per_sa.min <= 0:
            raise ValueError("accounts_per_sa.min must be positive")


@dataclass(frozen=True, kw_only=True)
class SaRatios:
    """Accounts per SA, by kind of account."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    strategic: AccountSaRatio
    commercial: AccountSaRatio


@dataclass(frozen=True, kw_only=True)
class DeploymentDebt(Cited):
    """When the booked-to-live gap says: hire SAs, not more SEs."""

    max_days_to_first_value: int
    min_deployed_at_renewal: float

    def __post_init__(self) -> None:
        _share(self.min_deployed_at_renewal, "min_deployed_at_renewal")


@dataclass(frozen=True, kw_only=True)
class FirstSa(Cited):
    """When a SaaS company hires its first SA."""

    arr: Band
    live_enterprise_customers: Band


@dataclass(frozen=True, kw_only=True)
class PlatformModel(Cited):
    """Platform sellers run an SA-led model: even pre-sales is titled Solutions Architect."""

    companies: tuple[str, ...]
    presales_title: str


@dataclass(frozen=True, kw_only=True)
class FounderMistake(Cited):
    """A product-style SE ratio on a complex platform sale, and what it costs."""

    aes_per_se: float
    win_rate_drop_points: Band


@dataclass(frozen=True, kw_only=True)
class SeRatios:
    """SE:AE by segment, and the limits of one SE: reps served and demos run."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    segments: dict[str, SegmentSeRatio]
    ceiling: RepCeiling
    demo_load: DemoLoad

    def __post_init__(self) -> None:
        missing = [s for s in SEGMENTS if s not in self.segments]
        unknown = [s for s in self.segments if s not in SEGMENTS]
        if missing or unknown:
            raise ValueError(
                f"segments must be exactly {', '.join(SEGMENTS)}; missing {missing}, unknown {unknown}"
            )


@dataclass(frozen=True, kw_only=True)
class StageRules:
    """Hiring rules: by funding stage, deployment debt, the first SA, the platform model, the founder's mistake."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    early_stage: EarlyStageRule
    growth_stage: GrowthStageRule
    deployment_debt: DeploymentDebt
    first_sa: FirstSa
    platform_model: PlatformModel
    founder_mistake: FounderMistake


@dataclass(frozen=True, kw_only=True)
class CompBand(Cited):
    """One published pay band; `segment`/`level` None means the source does not split by it."""

    role: Role
    segment: str | None = None
    level: str | None = None
    base: Band | None = None
    ote: Band | None = None
    total: Band | None = None
    split: tuple[str, ...] = ()
    variable_tied_to: str | None = None

    def __post_init__(self) -> None:
        if self.segment is not None and self.segment not in COMP_SEGMENTS:
            raise ValueError(f"unknown segment {self.segment!r} (choose from: {', '.join(COMP_SEGMENTS)})")
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r} (choose from: {', '.join(LEVELS)})")
        if self.base is None and self.ote is None and self.total is None:
            raise ValueError("a comp band needs at least one of base, ote, total")
        if self.base is not None and self.ote is not None and self.base.min > self.ote.max:
            raise ValueError("base.min exceeds ote.max")
        for split in self.split:
            parts = split.split("/")
            if len(parts) != 2 or not all(p.isdigit() for p in parts) or sum(map(int, parts)) != 100:
                raise ValueError(f"split {split!r} must read like '70/30' and add up to 100")


@dataclass(frozen=True, kw_only=True)
class ShareFigure(Cited):
    """A published share (0..1) with what it measures."""

    value: float
    of: str

    def __post_init__(self) -> None:
        _share(self.value, "value")


@dataclass(frozen=True, kw_only=True)
class SaBasePremium(Cited):
    """How much more base SAs earn than SEs at the same level."""

    premium: Band


@dataclass(frozen=True, kw_only=True)
class Comp:
    """Published pay bands, the SA base premium, and published shares about SA pay and careers."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    bands: tuple[CompBand, ...]
    sa_base_premium: SaBasePremium
    facts: tuple[ShareFigure, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Handoff(Cited):
    """SE-to-SA handoff norms."""

    documents: tuple[str, ...]
    within_business_days: int
    architecture_lock_days: int
    go_live_slip_days_without_lock: Band
    first_value_faster_with_handoff: float


@dataclass(frozen=True, kw_only=True)
class ScorecardPolicy(Cited):
    """When a measured POC win rate counts as stable above the revisit bar (roleplan's policy)."""

    stable_quarters: int
    min_pocs_per_quarter: int

    def __post_init__(self) -> None:
        if self.stable_quarters < 1 or self.min_pocs_per_quarter < 1:
            raise ValueError("stable_quarters and min_pocs_per_quarter must be at least 1")


@dataclass(frozen=True, kw_only=True)
class Planning(Cited):
    """Timing and costing figures of `roleplan plan` and `roleplan cost`: req lead time, ramp, cost segment."""

    lead_time_quarters: int
    ramp_quarters: int
    cost_segment: dict[str, str]

    def __post_init__(self) -> None:
        if not 0 <= self.lead_time_quarters <= 8 or not 0 <= self.ramp_quarters <= 8:
            raise ValueError("lead_time_quarters and ramp_quarters must be whole quarters from 0 to 8")
        for segment, costed in self.cost_segment.items():
            if segment not in SEGMENTS or costed not in COMP_SEGMENTS:
                raise ValueError(
                    f"cost_segment: {segment!r} -> {costed!r}: map a segment ({', '.join(SEGMENTS)}) to a "
                    f"segment with pay bands ({', '.join(COMP_SEGMENTS)})"
                )


@dataclass(frozen=True, kw_only=True)
class Benchmarks:
    """The calculators' figures and every source. Cross-check: every `source` names an entry of `sources`."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    schema_version: int
    sources: tuple[Source, ...]
    se_ratios: SeRatios
    sa_ratios: SaRatios
    stage_rules: StageRules
    comp: Comp
    planning: Planning
    handoff: Handoff
    scorecard: ScorecardPolicy

    def __post_init__(self) -> None:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"sources listed twice: {', '.join(dupes)}")
        check_citations(names, self.cited())

    def cited(self) -> list[tuple[str, Cited]]:
        """Every cited figure of the calculators, with a dotted path to it."""
        return cited_figures(self)

    def source(self, name: str) -> Source:
        return next(s for s in self.sources if s.name == name)


#: The top-level keys of `Benchmarks`.
BENCHMARKS_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Benchmarks))


@dataclass(frozen=True)
class AllBenchmarks:
    """The whole data file: the calculators' figures and both sections, each already validated."""

    benchmarks: Benchmarks
    calendar: CalendarConfig
    classify: ClassifyConfig

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.benchmarks.sources

    def cited(self) -> list[tuple[str, Cited]]:
        """Every cited figure in the file, with a dotted path to it, in the file's order."""
        return [
            *self.benchmarks.cited(),
            *cited_figures(self.calendar, "calendar"),
            *cited_figures(self.classify, "classify"),
        ]


def check_citations(names: list[str], cited: Iterable[tuple[str, Cited]]) -> None:
    """Raise ValueError (`path: source 'x' is not in `sources``, with the closest name) for a stray citation."""
    for where, figure in cited:
        for name in (figure.source, *figure.also_cited):
            if name not in names:
                import difflib

                near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise ValueError(f"{where}: source {name!r} is not in `sources`{hint}")


def cited_figures(obj: object, path: str = "") -> list[tuple[str, Cited]]:
    """Every `Cited` figure in `obj` (itself included), with its dotted path from `path`."""
    out: list[tuple[str, Cited]] = []
    _walk_cited(obj, path, out)
    return out


def _walk_cited(obj: Any, path: str, out: list[tuple[str, Cited]]) -> None:
    if isinstance(obj, Cited):
        out.append((path, obj))
    if is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            _walk_cited(getattr(obj, f.name), f"{path}.{f.name}".lstrip("."), out)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            _walk_cited(value, f"{path}.{key}", out)
    elif isinstance(obj, tuple | list):
        for i, value in enumerate(obj):
            _walk_cited(value, f"{path}[{i}]", out)
