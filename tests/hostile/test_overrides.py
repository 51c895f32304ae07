"""Every number a --benchmarks override can set has a range (#17): `benchmarks validate` refuses a value
out of range, and one it accepts runs every command without a traceback."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run

_HOSTILE = ["1e20", "100000000000000000000", "-1e20", "-1", "0", ".inf", "-.inf", ".nan", "0.5"]
_COMMANDS = [
    ["staff", "--stage", "seriesC", "--aes", "20", "--days-to-first-value", "150", "-f", "json"],
    ["ratio", "--aes", "9", "--ses", "2", "--segment", "mid-market", "-f", "json"],
    ["capacity", "--reps", "12", "--demos-per-rep-week", "5", "--travel", "-f", "json"],
    ["comp", "--role", "sa", "--level", "senior", "--compare", "--ote", "240K", "-f", "json"],
]


def _leaves(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths to every number of the packaged benchmarks that an override can replace (lists are whole)."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, str(k)))]
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return [path]
    return []


_PACKAGED = yaml.safe_load(resources.files("roleplan").joinpath("data/benchmarks.yaml").read_text("utf-8"))
LEAVES = [p for p in _leaves(_PACKAGED) if p[0] not in {"sources", "schema_version"}]
_DECISION = [
    ("classify", "decision", k) for k in ("max_repeats", "negation_window", "mention_window", "title_weight")
]


def _override(path: tuple[str, ...], value: str) -> str:
    lines = [f"{'  ' * i}{key}:" for i, key in enumerate(path)]
    return "\n".join(lines) + f" {value}\n"


def test_there_are_numbers_to_try() -> None:
    assert len(LEAVES) > 20


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(LEAVES + _DECISION), value=st.sampled_from(_HOSTILE))
def test_an_override_is_refused_or_obeyed(
    run: Run, tmp_path: Path, path: tuple[str, ...], value: str
) -> None:
    override = tmp_path / "o.yaml"
    override.write_text(_override(path, value))
    checked = run("benchmarks", "validate", "--benchmarks", str(override))
    assert checked.code in (0, 2), checked
    if checked.code == 2:
        assert checked.err.count("\n") == 1 and str(override) in checked.err
        return
    commands = [["classify", "-f", "jsonl"]] if path[0] == "classify" else _COMMANDS
    for argv in commands:
        # a command that validates its part of the override more closely may still refuse it, in one line
        r = run(*argv, "--benchmarks", str(override), input="Run demos and discovery; no quota.")
        assert r.code in (0, 1, 2) and "Traceback" not in r.err, (argv, r)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("classify", "decision", "negation_window"), "99999999999999999999"),
        (("calendar", "title_weight"), ".inf"),
    ],
)
def test_the_reported_overflows_are_refused_with_their_line(
    run: Run, tmp_path: Path, path: tuple[str, ...], value: str
) -> None:
    override = tmp_path / "o.yaml"
    override.write_text(_override(path, value))
    r = run("benchmarks", "validate", "--benchmarks", str(override))
    assert r.code == 2 and f"{override}:" in r.err, r


# A value a block's own check refuses is reported on its own line, not on its block's (the line of
# `decision:` said nothing of which key was wrong). Each fixture puts valid keys between the two.
_NESTED = [
    (
        "classify:\n  decision:\n    max_repeats: 3\n    negation_window: 4\n    title_weight: 1e20\n",
        5,
        "classify.decision.title_weight: must be at most 100, got 1e+20",
    ),
    (
        "classify:\n  decision:\n    title_weight: 2\n    negation_window: 500\n    mention_window: 3\n",
        4,
        "classify.decision.negation_window: must be 0..100 words, got 500",
    ),
    (
        "classify:\n  model:\n    temperature: 1\n    hybrid_min: 0.3\n    review_below: 7\n",
        5,
        "classify.model.review_below: must be between 0 and 1, got 7.0",
    ),
    (
        "classify:\n  sections:\n    max_heading_words: 8\n    weights:\n      intro: 0.5\n      body: 3\n",
        6,
        "classify.sections.weights.body: must be between 0 and 1, got 3.0",
    ),
    (
        "classify:\n  signals:\n    presales.discovery:\n      weights:\n"
        "        sdr: 0.5\n        sales_engineer: 11\n",
        6,
        "signals.presales.discovery.weights.sales_engineer: 11.0 is outside -10..10",
    ),
    (
        "calendar:\n  min_customer_hours: 5\n  dominant_share: 2\n",
        3,
        "calendar: dominant_share must be above",
    ),
    (
        "se_ratios:\n  segments:\n    enterprise:\n      aes_per_se:\n        max: 4\n        min: 0\n",
        6,
        "aes_per_se.min must be positive",
    ),
]


def _refused(run: Run, tmp_path: Path, text: str, command: str) -> tuple[Path, str]:
    """The override `text` given to `benchmarks validate` or to `classify --benchmarks`: refused in one line
    of stderr, exit 2, nothing on stdout. Returns the override's path and the message."""
    override = tmp_path / "o.yaml"
    override.write_text(text)
    argv = ["benchmarks", "validate", str(override)]
    if command == "classify":
        argv = ["classify", "--benchmarks", str(override), "-f", "jsonl"]
    r = run(*argv, input="Run demos and discovery calls.")
    assert r.code == 2 and r.out == "", r
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    return override, r.err


@pytest.mark.parametrize(("text", "line", "needle"), _NESTED)
@pytest.mark.parametrize("command", ["validate", "classify"])
def test_a_nested_value_is_reported_on_its_own_line(
    run: Run, tmp_path: Path, text: str, line: int, needle: str, command: str
) -> None:
    override, err = _refused(run, tmp_path, text, command)
    assert f"{override}:{line}: " in err and needle in err, err


@pytest.mark.parametrize("version", ["0", "2", "99", "-1", "100000000000000000000"])
@pytest.mark.parametrize("command", ["validate", "classify"])
def test_a_classify_version_this_code_does_not_read_is_refused(
    run: Run, tmp_path: Path, version: str, command: str
) -> None:
    text = f"classify:\n  decision:\n    max_repeats: 3\n  version: {version}\n"
    override, err = _refused(run, tmp_path, text, command)
    assert f"{override}:4: classify: version {version} is not one this roleplan reads" in err, err


def test_the_supported_classify_version_is_accepted(run: Run, tmp_path: Path) -> None:
    override = tmp_path / "o.yaml"
    override.write_text("classify:\n  version: 1\n")
    assert run("benchmarks", "validate", str(override)).code == 0
