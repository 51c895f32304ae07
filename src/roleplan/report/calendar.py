"""Reporters of `roleplan calendar`: table (Rich, the SE/SA split as a bar), json, markdown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from roleplan.models.calendar import CalendarResult
from roleplan.report.common import markdown_table, to_json

BAR_WIDTH = 40
_SIDE_LABEL = {"se": "SE", "sa": "SA", "other": "customer"}
_VERDICT_LABEL = {
    "se": "Sales Engineer (SE)",
    "sa": "Solutions Architect (SA)",
    "mixed": "mixed",
    "insufficient": "insufficient data",
}
_EXCLUDED_LABEL = {
    "cancelled": "cancelled",
    "declined": "declined",
    "free": "marked free",
    "all_day": "all-day",
    "invalid": "unreadable",
}


def bar(se_share: float | None, width: int = BAR_WIDTH) -> str:
    """`SE ████████░░░░ SA`: solid blocks for the SE share, light shade for the SA share."""
    if se_share is None:
        return "SE " + "·" * width + " SA"
    solid = round(se_share * width)
    return "SE " + "█" * solid + "░" * (width - solid) + " SA"


def _window(result: CalendarResult) -> str:
    w = result.window
    how = " (default: the days ending at the last event)" if w["chosen_by"] == "default" else ""
    return f"{w['from']} → {w['to']}, {w['days']} days{how}"


def _excluded(result: CalendarResult) -> str:
    parts = [f"{n} {_EXCLUDED_LABEL[k]}" for k, n in result.excluded.items() if n]
    return ", ".join(parts) if parts else "nothing"


def _top_rows(result: CalendarResult) -> list[tuple[str, str, str, int]]:
    return [
        (_SIDE_LABEL[side], e.title, f"{e.hours:.1f}", e.occurrences)
        for side in ("se", "sa", "other")
        for e in result.top[side]
    ]


def _owner(result: CalendarResult) -> str:
    return f"{result.owner} (from {result.owner_from})" if result.owner else "unknown (use --me)"


def table(result: CalendarResult) -> Any:
    from rich.console import Group
    from rich.text import Text

    from roleplan.report.text import table

    share = result.se_share
    head = Text()
    head.append("Verdict: ", style="bold")
    head.append(
        _VERDICT_LABEL[result.verdict], style="bold green" if result.verdict in ("se", "sa") else "bold"
    )
    head.append(f" — {result.reason}")
    line = Text("  ")
    if share is None:
        line.append(bar(None), style="dim")
    else:
        solid = round(share * BAR_WIDTH)
        line.append("SE ", style="bold cyan")
        line.append("█" * solid, style="cyan")
        line.append("░" * (BAR_WIDTH - solid), style="magenta")
        line.append(" SA", style="bold magenta")
    se_txt = f"{share:.0%} · {result.se_hours:.1f} h" if share is not None else "0.0 h"
    sa_txt = f"{result.sa_hours:.1f} h · {1 - share:.0%}" if share is not None else "0.0 h"
    numbers = Text("     " + se_txt + " " * max(BAR_WIDTH - len(se_txt) - len(sa_txt), 1) + sa_txt)
    summary = Text(
        f"  other customer {result.other_hours:.1f} h · internal {result.internal_hours:.1f} h · "
        f"unmatched {result.unmatched_hours:.1f} h · {result.events_counted} events counted\n"
        f"  left out: {_excluded(result)}",
        style="dim",
    )
    parts: list[Any] = [
        Text(f"{result.file}: {_window(result)}", style="bold"),
        head,
        Text(""),
        line,
        numbers,
        Text(""),
        summary,
    ]
    rows = _top_rows(result)
    if rows:
        grid = table(
            None, ["side", "top events (grouped by title)", "hours", "times"], rows, right={"hours", "times"}
        )
        parts += [Text(""), grid]
    tz = result.timezone or "floating (as written)"
    parts += [
        Text(""),
        Text(
            f"owner: {_owner(result)} · time zone: {tz} · thresholds: {result.thresholds['source']}",
            style="dim",
        ),
    ]
    return Group(*parts)


def markdown(result: CalendarResult) -> str:
    share = result.se_share
    lines = [
        f"## Calendar: {result.file}",
        "",
        f"**Verdict: {_VERDICT_LABEL[result.verdict]}** — {result.reason}.",
        "",
        f"`{bar(share)}`" + (f" SE {share:.0%} / SA {1 - share:.0%}" if share is not None else ""),
        "",
        f"Window: {_window(result)}. Owner: {_owner(result)}. Left out: {_excluded(result)}.",
        "",
        markdown_table(
            ["", "hours"],
            [
                ["SE (pre-sales)", f"{result.se_hours:.1f}"],
                ["SA (post-sales)", f"{result.sa_hours:.1f}"],
                ["other customer", f"{result.other_hours:.1f}"],
                ["internal", f"{result.internal_hours:.1f}"],
                ["unmatched", f"{result.unmatched_hours:.1f}"],
            ],
        ).rstrip("\n"),
    ]
    rows = _top_rows(result)
    if rows:
        lines += ["", markdown_table(["side", "top events", "hours", "times"], rows).rstrip("\n")]
    return "\n".join(lines) + "\n"


def json_report(result: CalendarResult) -> str:
    return to_json(result)


REPORTERS: dict[str, Callable[[CalendarResult], Any]] = {
    "table": table,
    "json": json_report,
    "markdown": markdown,
}
