"""The names users type (stages, segments, levels...). Kept apart so the CLI can list them without
importing any schema."""

from __future__ import annotations

STAGES: tuple[str, ...] = ("seed", "seriesA", "seriesB", "seriesC", "seriesD", "public")
SEGMENTS: tuple[str, ...] = ("mid-market", "enterprise", "platform")
COMP_SEGMENTS: tuple[str, ...] = ("mid-market", "enterprise")
LEVELS: tuple[str, ...] = ("mid", "senior", "principal")
MOTIONS: tuple[str, ...] = ("product", "platform")
ROLES: tuple[str, ...] = ("se", "sa")
