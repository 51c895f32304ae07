"""roleplan: go-to-market org design — SE vs SA, staffing, comp, and a CI gate for headcount plans.

The library API (see the README's "Python API"): `roleplan.classify`, `roleplan.classify_many`,
`roleplan.staff` and the `roleplan.RoleClassification` they return. They load on first use, so
`import roleplan` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # not typing's: importing typing would double the cost of `import roleplan`
if TYPE_CHECKING:
    from typing import Any

    from roleplan.api import RoleClassification, classify, classify_many, staff

__all__ = ["RoleClassification", "__version__", "classify", "classify_many", "staff"]

_API = frozenset({"RoleClassification", "classify", "classify_many", "staff"})


def __getattr__(name: str) -> Any:
    if name in _API:
        from roleplan import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'roleplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
