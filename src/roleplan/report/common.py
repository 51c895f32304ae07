"""Helpers shared by reporters: JSON of dataclasses, Markdown tables, spreadsheet-safe CSV cells."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def plain(obj: Any) -> Any:
    """JSON-ready data from dataclasses, tuples, dicts and scalars (keys keep their declared order)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if isinstance(obj, float) and obj.is_integer():
        return int(obj)
    return obj


def to_json(obj: Any) -> str:
    """Stable, indented JSON (UTF-8 kept readable) ending in a newline."""
    import json  # ~2 ms that a table or Markdown never needs

    return json.dumps(plain(obj), indent=2, ensure_ascii=False) + "\n"


def md_escape(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def csv_safe(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula: a leading = + - @ (or tab/CR) gets a `'`."""
    text = "" if value is None else str(value)
    if text.startswith(_CSV_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):  # `-2` stays `-2`: no formula
        return "'" + text
    return text


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
