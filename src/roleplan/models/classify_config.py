"""Schema of the `classify:` section (packaged in data/signals.yaml): the classifier's signals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class ClassifyConfig:
    """Placeholder until the classify issue defines the signals."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    version: int = 1
