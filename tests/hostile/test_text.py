"""Text reducers on hostile postings (#17): each reads a megabyte of hostile text to one record, through
the loader and through the CLI. Nothing here is timed (bench/hostile.py prints the times: a quadratic
reducer takes minutes at 1 MB, these a fraction of a second); the work a reducer does is counted instead
where it is Python's (the searches drop_scripts makes)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from roleplan.loaders.jd import Reader, batch_text, markdown_to_text, plain_text, resolve_sources
from roleplan.loaders.jd.text import drop_scripts
from tests.conftest import Run
from tests.hostile.inputs import TEXT_CASES, jsonl_one_hostile_record

MB = 1_000_000


def _read(path: Path) -> list[object]:
    return list(Reader(resolve_sources([str(path)]), keep_errors=True, warn=lambda _: None))


@pytest.mark.parametrize(("name", "filename", "make"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_a_megabyte_of_hostile_text_reads_in_bounded_time(
    tmp_path: Path, name: str, filename: str, make: Callable[[int], bytes]
) -> None:
    path = tmp_path / filename
    path.write_bytes(make(MB))
    records = _read(path)
    assert len(records) == 1  # a text, or an error record (too deeply nested): never a hang


@pytest.mark.parametrize(("name", "filename", "make"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_hostile_text_through_the_cli_is_a_result_or_one_line(
    run: Run, tmp_path: Path, name: str, filename: str, make: Callable[[int], bytes]
) -> None:
    path = tmp_path / filename
    path.write_bytes(make(200_000))
    r = run("classify", str(path), "-f", "jsonl")
    assert r.code in (0, 2), r
    if r.code == 0:
        assert json.loads(r.out)["id"] == str(path)
    else:
        assert r.out == "" and r.err.count("\n") == 1 and "Traceback" not in r.err, r


def test_deeply_nested_html_is_refused_not_cut_short(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "d.html"
    path.write_text("<div>" * 300 + "Run demos" + "</div>" * 300)
    r = run("classify", str(path))
    assert r.code == 2 and "nested more than 255 levels deep" in r.err, r


def test_one_hostile_record_in_a_batch_of_a_thousand(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(jsonl_one_hostile_record(140_000))
    r = run("classify", str(path), "-f", "jsonl")
    assert r.code == 0, r
    ids = [json.loads(line)["id"] for line in r.out.splitlines()]
    assert len(ids) == 1000 and "hostile" in ids


def test_a_batch_record_too_deeply_nested_is_a_per_record_error(run: Run, tmp_path: Path) -> None:
    lines = [json.dumps({"id": "ok", "text": "Run discovery and demos."})]
    lines.append(json.dumps({"id": "deep", "text": "<div>" * 400 + "demos"}))
    path = tmp_path / "b.jsonl"
    path.write_text("\n".join(lines) + "\n")
    r = run("classify", str(path), "-f", "jsonl")
    out = {d["id"]: d for d in map(json.loads, r.out.splitlines())}
    assert r.code == 1 and out["ok"]["error"] is None
    assert "nested more than" in out["deep"]["error"]


# --- the reducers themselves ----------------------------------------------------------------------


def test_scripts_and_styles_are_dropped_and_an_unclosed_one_kept_as_text() -> None:
    text = "a<script>x()</script>b<STYLE>p{}</style >c<script never closed<style>d</style>e"
    assert drop_scripts(text) == "a\nb\nc<script never closed\ne"


def test_plain_text_keeps_comparisons_and_drops_tags() -> None:
    assert plain_text("Ratio < 1:3 and R&D > sales") == "Ratio < 1:3 and R&D > sales"
    assert plain_text("Run <b>demos</b> &amp; POCs") == "Run \ndemos\n & POCs"


def test_markdown_rules_still_do_their_job() -> None:
    md = "# Sales Engineer ##\n* Run **demos** and *POCs*\n> [docs](http://x) `code`\n---\n"
    assert markdown_to_text(md) == "Sales Engineer\n- Run demos and POCs\ndocs code\n\n"


def test_batch_text_reduces_escaped_html() -> None:
    assert batch_text("&lt;p&gt;Run &lt;b&gt;demos&lt;/b&gt;&lt;/p&gt;") == "Run demos"


class _Counting:
    """A compiled pattern that counts its searches (drop_scripts' work is one search per step)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.searches = pattern, 0

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        self.searches += 1
        return self.pattern.search(text, pos)


@pytest.mark.parametrize("n", [1_000, 100_000])
def test_drop_scripts_looks_for_a_missing_end_tag_once(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    from roleplan.loaders.jd import text as reducers

    opens = _Counting(reducers._RAW_OPEN)
    closes = {kind: _Counting(p) for kind, p in reducers._RAW_CLOSE.items()}
    monkeypatch.setattr(reducers, "_RAW_OPEN", opens)
    monkeypatch.setattr(reducers, "_RAW_CLOSE", closes)
    hostile = "Run demos. " + "<script " * n + "<style>p{}</style>tail"
    assert drop_scripts(hostile) == "Run demos. " + "<script " * n + "\ntail"
    # one search per `<script`/`<style` opening, and the end tag of each kind looked for once when missing:
    # the regex `<script.*?</script>` it replaces rescanned the rest of the text from every opening
    assert opens.searches == n + 2
    assert closes["script"].searches == 1 and closes["style"].searches == 1
