"""Building blocks of every data file: a range, a named source, and a cited figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from typing import Any, ClassVar, TypeVar, dataclass_transform

#: Pydantic config for stdlib dataclasses: unknown keys are errors.
FORBID: dict[str, Any] = {"extra": "forbid"}


class Record:
    """Frozen-dataclass behaviour for the models a calculator loads at start-up, written once, not per class.

    Python 3.11 compiles every method a dataclass generates with its own `exec` (~0.1 ms each). A frozen
    dataclass with `==` and `repr` gets six; the ~30 benchmark and calculator models (`@model`) get only
    `__init__` and share these instead, which keeps a calculator's start under the cost of importing its
    dependencies (bench/cold_start.py). Same meaning as the generated methods: equal when of the same class
    with equal fields, hashed on the fields, and immutable: a field can be set once (by `__init__`), never
    reassigned or deleted. The type checker sees them as frozen dataclasses (`dataclass_transform`).
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

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


_C = TypeVar("_C")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def model(*, kw_only: bool = False) -> Callable[[type[_C]], type[_C]]:
    """`@dataclass(frozen=True, kw_only=...)` for a `Record` subclass, at a third of the start-up cost."""

    def build(cls: type[_C]) -> type[_C]:
        if Record not in cls.__mro__:  # the shared ==, hash, repr and immutability live there
            raise TypeError(f"{cls.__name__} must derive from Record")
        return dataclass(kw_only=kw_only, eq=False, repr=False)(cls)

    return build


@model(kw_only=True)
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


@model(kw_only=True)
class Source(Record):
    """A named publication every figure can cite."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    name: str
    as_of: int
    publisher: str | None = None
    covers: str | None = None
    note: str | None = None


@model(kw_only=True)
class Cited(Record):
    """Mixin for a figure: the publication it comes from (a name in `sources`) and its year."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    source: str
    as_of: int
    note: str | None = None
    also_cited: tuple[str, ...] = ()  # further publications giving the same figure
