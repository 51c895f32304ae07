"""The one-sentence test on a calendar: events -> hours per side -> verdict. Pure: no I/O, no printing.

Each event's title and description are matched against the activity signals in benchmarks.yaml. Evidence for
a side is `title_weight` per signal found in the title plus `description_weight` per further signal found only
in the description. Then, in this order:

- internal evidence at least as strong as the customer evidence: `internal` (counts toward neither side);
- evidence for one side only: that side;
- evidence for both: the stronger side takes all the hours when its evidence is at least `assign_ratio` times
  the other's, otherwise the hours are split in proportion to the evidence;
- no evidence, but someone from outside the owner's domain is invited: `other` (customer time of no kind);
- no evidence at all: `unmatched`.

Time is counted, not meetings: each occurrence adds its hours clipped to the window. Overlapping events are
each counted in full (a double-booked hour shows up twice). Left out, and counted by reason: cancelled events,
events the owner declined, events marked free, and all-day events (a date, not a time, or 24 hours or more).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from roleplan.errors import UsageError
from roleplan.models.calendar import (
    EXCLUSION_REASONS,
    CalendarEvent,
    CalendarResult,
    TopEvent,
    Verdict,
    Window,
)
from roleplan.models.calendar_config import SIGNAL_SIDES, CalendarConfig, CalendarSignals

BUCKETS: tuple[str, ...] = ("se", "sa", "other", "internal", "unmatched")
#: Sides whose top events the result lists.
TOP_SIDES: tuple[str, ...] = ("se", "sa", "other")
#: Blocks this long are all-day blocks (multi-day onsites, out of office), whatever their times say.
ALL_DAY = timedelta(hours=24)
#: Only the start of a long description is read (meeting-invite boilerplate follows the agenda).
DESCRIPTION_CHARS = 2000

_PREFIX = re.compile(
    r"^\s*(?:(?:updated\s+)?invitation|accepted|declined|tentative(?:ly accepted)?|cancell?ed|canceled|"
    r"fwd?|re|aw|wg|reminder|hold)\s*[:\-]\s*",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^\w]+")


def choose_window(anchor: date | None, start: date | None, end: date | None, days: int) -> Window:
    """The inclusive window: both dates, one date and `days`, or the `days` ending at `anchor`."""
    if start is not None and end is not None:
        if start > end:
            raise UsageError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
        return Window(start=start, end=end)
    span = timedelta(days=days - 1)
    if start is not None:
        return Window(start=start, end=_clamp(start, span))
    if end is not None:
        return Window(start=_clamp(end, -span), end=end)
    if anchor is None:
        raise UsageError("no event has a readable start; give the window with --from and --to")
    return Window(start=_clamp(anchor, -span), end=anchor, chosen_by="default")


def _clamp(day: date, span: timedelta) -> date:
    try:
        return day + span
    except OverflowError:
        return date.max - timedelta(days=1) if span > timedelta(0) else date.min


def normalise_title(title: str) -> str:
    """Grouping key: no 'Updated invitation:'/'Re:' prefixes, case, punctuation or bare numbers."""
    text = title
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    words = [w for w in _NON_WORD.sub(" ", text.lower()).split() if not w.isdigit()]
    return " ".join(words) or "(no title)"


@dataclass(frozen=True)
class Evidence:
    """Signal names found per side and the weighted score of each side."""

    scores: dict[str, float] = field(default_factory=dict)
    signals: dict[str, tuple[str, ...]] = field(default_factory=dict)


class Matcher:
    """All signals of a config compiled into one regular expression (one named group per signal)."""

    def __init__(self, config: CalendarConfig) -> None:
        self.config = config
        self.regex, self.names = _compile(config.signals)
        self._memo: dict[tuple[str, str, bool], dict[str, float]] = {}

    def evidence(self, title: str, description: str) -> Evidence:
        in_title = self._found(title)
        in_text = self._found(description[:DESCRIPTION_CHARS]) - in_title
        scores: dict[str, float] = {}
        signals: dict[str, tuple[str, ...]] = {}
        for side in SIGNAL_SIDES:
            t = sorted(n for s, n in in_title if s == side)
            d = sorted(n for s, n in in_text if s == side)
            scores[side] = self.config.title_weight * len(t) + self.config.description_weight * len(d)
            signals[side] = tuple(t + d)
        return Evidence(scores=scores, signals=signals)

    def _found(self, text: str) -> set[tuple[str, str]]:
        if not text:
            return set()
        return {self.names[m.lastgroup] for m in self.regex.finditer(text) if m.lastgroup}

    def allocate(self, title: str, description: str, external: bool) -> dict[str, float]:
        """Share of an event's hours per bucket (the shares add up to 1)."""
        key = (title, description, external)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._allocate(title, description, external)
        return found

    def _allocate(self, title: str, description: str, external: bool) -> dict[str, float]:
        scores = self.evidence(title, description).scores
        se, sa, internal = scores["se"], scores["sa"], scores["internal"]
        if internal > 0 and internal >= max(se, sa):
            return {"internal": 1.0}
        if se == 0 and sa == 0:
            return {"other": 1.0} if external else {"unmatched": 1.0}
        ratio = self.config.assign_ratio
        if sa == 0 or se >= ratio * sa:
            return {"se": 1.0}
        if se == 0 or sa >= ratio * se:
            return {"sa": 1.0}
        return {"se": se / (se + sa), "sa": sa / (se + sa)}


@lru_cache(maxsize=8)
def _compile(signals: CalendarSignals) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    parts: list[str] = []
    names: dict[str, tuple[str, str]] = {}
    for side in SIGNAL_SIDES:
        for i, signal in enumerate(getattr(signals, side)):
            group = f"{side}_{i}"
            names[group] = (side, signal.name)
            alternatives = "|".join(f"(?:{p})" for p in signal.patterns)
            parts.append(f"(?P<{group}>{alternatives})")
    if not parts:
        return re.compile(r"(?!)"), names
    # whole words: no word character right before or after the match
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE), names


def verdict_of(se_hours: float, sa_hours: float, config: CalendarConfig) -> tuple[Verdict, float | None]:
    """The verdict and the SE share of the SE + SA hours (None when there are none)."""
    customer = se_hours + sa_hours
    share = se_hours / customer if customer > 0 else None
    if share is None or customer < config.min_customer_hours:
        return "insufficient", share
    if share >= config.dominant_share:
        return "se", share
    if 1 - share >= config.dominant_share:
        return "sa", share
    return "mixed", share


@dataclass
class _Group:
    hours: float = 0.0
    occurrences: int = 0
    titles: Counter[str] = field(default_factory=Counter)


def assess(
    events: Iterable[CalendarEvent],
    window: Window,
    config: CalendarConfig,
    *,
    file: str,
    owner: str | None = None,
    owner_from: str | None = None,
    timezone: str | None = None,
    invalid: int = 0,
    top_n: int = 5,
) -> CalendarResult:
    """Hours per side in the window, the verdict, and the events behind it."""
    matcher = Matcher(config)
    begin, end = window.bounds()
    hours = dict.fromkeys(BUCKETS, 0.0)
    groups: dict[str, dict[str, _Group]] = {side: {} for side in TOP_SIDES}
    excluded = dict.fromkeys(EXCLUSION_REASONS, 0)
    excluded["invalid"] = invalid
    counted = 0
    for event in events:
        if event.end <= begin or event.start >= end:
            continue
        reason = _exclusion(event)
        if reason is not None:
            excluded[reason] += 1
            continue
        length = (min(event.end, end) - max(event.start, begin)).total_seconds() / 3600
        if length <= 0:
            continue
        counted += 1
        key = None
        for bucket, fraction in matcher.allocate(event.title, event.description, event.external).items():
            part = length * fraction
            hours[bucket] += part
            if bucket in groups:
                key = key or normalise_title(event.title)
                group = groups[bucket].setdefault(key, _Group())
                group.hours += part
                group.occurrences += 1
                group.titles[event.title or "(no title)"] += 1
    verdict, share = verdict_of(hours["se"], hours["sa"], config)
    return CalendarResult(
        file=file,
        verdict=verdict,
        reason=_reason(verdict, hours["se"], hours["sa"], share, config),
        se_hours=round(hours["se"], 2),
        sa_hours=round(hours["sa"], 2),
        other_hours=round(hours["other"], 2),
        internal_hours=round(hours["internal"], 2),
        unmatched_hours=round(hours["unmatched"], 2),
        se_share=None if share is None else round(share, 3),
        window={
            "from": window.start.isoformat(),
            "to": window.end.isoformat(),
            "days": window.days,
            "chosen_by": window.chosen_by,
        },
        owner=owner,
        owner_from=owner_from,
        timezone=timezone,
        events_counted=counted,
        excluded=excluded,
        top={side: _top(groups[side], top_n) for side in TOP_SIDES},
        thresholds={
            "dominant_share": config.dominant_share,
            "min_customer_hours": config.min_customer_hours,
            "source": config.source,
            "as_of": config.as_of,
        },
    )


def _exclusion(event: CalendarEvent) -> str | None:
    if event.cancelled:
        return "cancelled"
    if event.declined:
        return "declined"
    if event.free:
        return "free"
    if event.all_day or event.end - event.start >= ALL_DAY:
        return "all_day"
    return None


def _top(groups: dict[str, _Group], n: int) -> tuple[TopEvent, ...]:
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1].hours, kv[0]))[:n]
    return tuple(
        TopEvent(title=g.titles.most_common(1)[0][0], hours=round(g.hours, 2), occurrences=g.occurrences)
        for _, g in ranked
    )


def _reason(verdict: Verdict, se: float, sa: float, share: float | None, config: CalendarConfig) -> str:
    customer = se + sa
    need = f"{config.dominant_share:.0%}"
    if verdict == "insufficient":
        return (
            f"only {customer:.1f} SE/SA hours in the window; a verdict needs at least "
            f"{config.min_customer_hours:g}"
        )
    assert share is not None
    if verdict == "se":
        return f"pre-sales work is {share:.0%} of {customer:.1f} SE/SA hours (a side dominates at {need})"
    if verdict == "sa":
        return (
            f"post-sales work is {1 - share:.0%} of {customer:.1f} SE/SA hours (a side dominates at {need})"
        )
    return (
        f"neither side reaches {need}: pre-sales {share:.0%}, post-sales {1 - share:.0%} "
        f"of {customer:.1f} SE/SA hours"
    )
