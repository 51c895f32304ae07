"""Reporters for `benchmarks sources`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from roleplan.models.benchmarks import AllBenchmarks
from roleplan.report.common import markdown_table, to_json
from roleplan.report.text import table


@dataclass(frozen=True)
class SourceUsage:
    name: str
    as_of: int
    publisher: str | None
    covers: str | None
    note: str | None
    cited_by: tuple[str, ...]


def source_usage(b: AllBenchmarks) -> tuple[SourceUsage, ...]:
    """Each source with the dotted paths of the figures that cite it (primary or `also_cited`)."""
    cited: dict[str, list[str]] = {s.name: [] for s in b.sources}
    for path, fig in b.cited():
        for name in (fig.source, *fig.also_cited):
            cited[name].append(path)
    return tuple(
        SourceUsage(s.name, s.as_of, s.publisher, s.covers, s.note, tuple(cited[s.name])) for s in b.sources
    )


def _rows(usage: tuple[SourceUsage, ...]) -> list[list[str]]:
    return [[u.name, str(u.as_of), u.covers or "", str(len(u.cited_by))] for u in usage]


def sources_table(usage: tuple[SourceUsage, ...]) -> Any:
    return table("Sources", ["Source", "As of", "Covers", "Figures"], _rows(usage), right={"Figures"})


def sources_markdown(usage: tuple[SourceUsage, ...]) -> str:
    return "## Sources\n\n" + markdown_table(["Source", "As of", "Covers", "Figures"], _rows(usage))


SOURCES: dict[str, Callable[[Any], Any]] = {
    "table": sources_table,
    "json": to_json,
    "markdown": sources_markdown,
}
