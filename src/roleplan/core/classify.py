"""Placeholder classifier (replaced by the classify issue): the interface other modules code against."""

from __future__ import annotations

from roleplan.models.classify import RoleClassification, Soc
from roleplan.models.classify_config import ClassifyConfig


def classify(
    text: str, *, title: str | None = None, company: str | None = None, config: ClassifyConfig
) -> RoleClassification:
    """Classify one posting's text; pure and fast (no I/O)."""
    return RoleClassification(
        family="other",
        role="unknown",
        confidence=0.0,
        title_mismatch=False,
        title_family=None,
        evidence=(),
        soc=Soc(code="00-0000.00", title="Unclassified"),
        scores={},
    )
