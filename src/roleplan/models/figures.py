"""Building blocks of every data file: a range, a named source, and a cited figure."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

#: Pydantic config for stdlib dataclasses: unknown keys are errors.
FORBID: dict[str, Any] = {"extra": "forbid"}


class Record:
    """`==`, `hash()` and `repr()` for the frozen dataclasses a calculator loads at start-up.

    Python 3.11 compiles each method a dataclass generates with its own `exec`, ~0.1 ms apiece; the ~30
    benchmark and calculator models declare `eq=False, repr=False` and share these instead, which keeps a
    calculator's start under the cost of importing its dependencies (bench/cold_start.py). Same meaning as
    the generated methods: equal when of the same class with equal fields, hashed on the fields.
    """

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Band(Record):
    """An inclusive range of a figure; min <= max, both non-negative."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    min: float
    max: float

    def __post_init__(self) -> None:
        if self.min < 0:
            raise ValueError(f"min must not be negative, got {self.min}")
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")

    @property
    def mid(self) -> float:
        return (self.min + self.max) / 2


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Source(Record):
    """A named publication every figure can cite."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    name: str
    as_of: int
    publisher: str | None = None
    covers: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Cited(Record):
    """Mixin for a figure: the publication it comes from (a name in `sources`) and its year."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    source: str
    as_of: int
    note: str | None = None
    also_cited: tuple[str, ...] = ()  # further publications giving the same figure
