"""Schema of the `calendar:` section of data/benchmarks.yaml (thresholds and activity signals)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from roleplan.models.figures import FORBID, Cited

#: The sides an event can count toward; `internal` counts toward neither SE nor SA.
SIGNAL_SIDES: tuple[str, ...] = ("se", "sa", "internal")


@dataclass(frozen=True, kw_only=True)
class ActivitySignal:
    """One kind of activity (`demo`, `architecture review`) and the phrases that reveal it.

    `patterns` are case-insensitive regular expressions matched as whole words (`\\b...\\b` is added).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    name: str
    patterns: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a signal needs a name")
        if not self.patterns:
            raise ValueError(f"signal {self.name!r} has no patterns")
        for pattern in self.patterns:
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"signal {self.name!r}: bad pattern {pattern!r}: {exc}") from None
            if compiled.groupindex:
                raise ValueError(f"signal {self.name!r}: pattern {pattern!r} must not use named groups")
            if compiled.fullmatch(""):
                raise ValueError(f"signal {self.name!r}: pattern {pattern!r} matches the empty string")


@dataclass(frozen=True, kw_only=True)
class CalendarSignals:
    """Activities by side: pre-sales (`se`), post-sales (`sa`) and `internal` (counts toward neither)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    se: tuple[ActivitySignal, ...] = ()
    sa: tuple[ActivitySignal, ...] = ()
    internal: tuple[ActivitySignal, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CalendarConfig(Cited):
    """Thresholds and signals of the one-sentence test (`roleplan calendar`)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    dominant_share: float
    min_customer_hours: float
    default_window_days: int
    title_weight: float = 3.0
    description_weight: float = 1.0
    assign_ratio: float = 2.0
    signals: CalendarSignals = field(default_factory=CalendarSignals)
    also_cited: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.5 < self.dominant_share <= 1.0:
            raise ValueError(f"dominant_share must be above 0.5 and at most 1, got {self.dominant_share}")
        if not 0 <= self.min_customer_hours <= 10_000:
            raise ValueError(f"min_customer_hours must be 0..10000, got {self.min_customer_hours}")
        if not 1 <= self.default_window_days <= 3660:
            raise ValueError(f"default_window_days must be 1..3660, got {self.default_window_days}")
        if not 0 < self.title_weight <= 100 or not 0 <= self.description_weight <= 100:
            raise ValueError(
                "title_weight must be above 0 and description_weight not negative, both at most 100"
            )
        if not 1 <= self.assign_ratio <= 1000:
            raise ValueError(f"assign_ratio must be 1..1000, got {self.assign_ratio}")
