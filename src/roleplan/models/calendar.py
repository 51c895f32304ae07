"""Calendar events as roleplan reads them, and the result of the one-sentence test."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

Verdict = Literal["se", "sa", "mixed", "insufficient"]
#: Why an event in the window did not count, in the order reports list them.
EXCLUSION_REASONS: tuple[str, ...] = ("cancelled", "declined", "free", "all_day", "invalid")


@dataclass(frozen=True, kw_only=True, slots=True)
class CalendarEvent:
    """One occurrence of an event (a recurring series is expanded into one of these per instance).

    `start`/`end` are wall-clock times in the calendar's own time zone (naive), so the window's dates mean
    what the calendar's owner sees; the duration was taken from the zoned times, so DST is accounted for.
    """

    title: str
    start: datetime
    end: datetime
    description: str = ""
    all_day: bool = False
    cancelled: bool = False
    free: bool = False
    declined: bool = False
    external: bool = False


@dataclass(frozen=True, kw_only=True)
class Window:
    """Inclusive dates; `chosen_by` says whether they came from the options or the default."""

    start: date
    end: date
    chosen_by: Literal["options", "default"] = "options"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start 00:00, day after end 00:00) as naive datetimes."""
        begin = datetime(self.start.year, self.start.month, self.start.day)
        return begin, begin + timedelta(days=self.days)


@dataclass(frozen=True, kw_only=True)
class TopEvent:
    """Events grouped by normalised title, with the hours they add to a side."""

    title: str
    hours: float
    occurrences: int


@dataclass(frozen=True, kw_only=True)
class CalendarResult:
    """The verdict and the hours behind it. JSON keys are these fields, in this order."""

    file: str
    verdict: Verdict
    reason: str
    se_hours: float
    sa_hours: float
    other_hours: float
    internal_hours: float
    unmatched_hours: float
    se_share: float | None
    window: dict[str, object]
    owner: str | None
    owner_from: str | None
    timezone: str | None
    events_counted: int
    excluded: dict[str, int]
    top: dict[str, tuple[TopEvent, ...]]
    thresholds: dict[str, object] = field(default_factory=dict)
