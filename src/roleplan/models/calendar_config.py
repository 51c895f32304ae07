"""Schema of the `calendar:` section of data/benchmarks.yaml (thresholds and activity signals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from roleplan.models.figures import FORBID, Cited


@dataclass(frozen=True, kw_only=True)
class CalendarConfig(Cited):
    """Thresholds of the one-sentence test. Extended by the calendar issue."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    dominant_share: float
    min_customer_hours: float
    default_window_days: int
