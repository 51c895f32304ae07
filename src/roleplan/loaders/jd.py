"""Job-description input (minimal first version: JSONL only; the classify issue completes it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roleplan.errors import InputError


@dataclass(frozen=True, slots=True)
class JobRecord:
    """One posting to classify: its text and what the input said about it."""

    id: str
    text: str
    title: str | None = None
    company: str | None = None
    label: str | None = None  # for `roleplan eval`
    source: str = ""  # file (and line) it came from, for messages
    note: str | None = None  # e.g. a decoding fallback that was used
    extra: dict[str, Any] = field(default_factory=dict)


def iter_records(
    paths: list[str], *, input_format: str = "auto", skip_bad: bool = False
) -> Iterator[JobRecord]:
    """Stream records from every path (one at a time: memory stays flat in batch size)."""
    for p in paths:
        path = Path(p)
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    if skip_bad:
                        continue
                    raise InputError(f"malformed JSON: {exc.msg}", file=path, line=lineno) from None
                yield JobRecord(
                    id=str(obj.get("id", f"{path}:{lineno}")),
                    text=str(obj.get("text", "")),
                    title=obj.get("title"),
                    company=obj.get("company"),
                    label=obj.get("label"),
                    source=f"{path}:{lineno}",
                )
