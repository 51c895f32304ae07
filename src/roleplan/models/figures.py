"""Building blocks of every data file: a range, a named source, and a cited figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

#: Pydantic config for stdlib dataclasses: unknown keys are errors, and so are .inf and .nan.
FORBID: dict[str, Any] = {"extra": "forbid", "allow_inf_nan": False}
#: No figure is larger than this (a sanity bound: an override of 1e20 is a typo, and overflows later).
MAX_FIGURE = 1e12


@dataclass(frozen=True, kw_only=True)
class Band:
    """An inclusive range of a figure; min <= max, both non-negative."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    min: float
    max: float

    def __post_init__(self) -> None:
        if self.min < 0:
            raise ValueError(f"min must not be negative, got {self.min}")
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        if self.max > MAX_FIGURE:
            raise ValueError(f"max must be at most {MAX_FIGURE:g}, got {self.max}")

    @property
    def mid(self) -> float:
        return (self.min + self.max) / 2


@dataclass(frozen=True, kw_only=True)
class Source:
    """A named publication every figure can cite."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    name: str
    as_of: int
    publisher: str | None = None
    covers: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Cited:
    """Base of a figure: the publication it comes from (a name in `sources`) and its year."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    source: str
    as_of: int
    note: str | None = None
    also_cited: tuple[str, ...] = ()  # further publications giving the same figure
