"""Option values are Click choices: shell completion offers them, --help names them, and a value is still
matched forgivingly with the closest name suggested when it is unknown."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import click
import pytest
import typer.main
from click.shell_completion import ShellComplete
from typer.testing import CliRunner

from roleplan.cli.app import app
from roleplan.cli.choices import Names
from tests.conftest import Run


def complete(words: str) -> list[str]:
    """What `roleplan WORDS<TAB>` offers (the last word is the incomplete one; a trailing space: nothing)."""
    args = words.split()
    incomplete = "" if words.endswith(" ") else args.pop()
    shell = ShellComplete(typer.main.get_command(app), {}, "roleplan", "_ROLEPLAN_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("staff --stage ", ["seed", "seriesA", "seriesB", "seriesC", "seriesD", "public"]),
        ("staff --stage ser", ["seriesA", "seriesB", "seriesC", "seriesD"]),
        ("staff --stage SER", ["seriesA", "seriesB", "seriesC", "seriesD"]),  # case aside
        ("staff --aes 3 --segment ", ["mid-market", "enterprise", "platform"]),
        ("staff --motion p", ["product", "platform"]),
        ("ratio --segment e", ["enterprise"]),
        ("comp --role ", ["se", "sa"]),
        ("comp --level p", ["principal"]),
        ("classify -f ", ["table", "json", "jsonl", "csv"]),
        ("classify --format js", ["json", "jsonl"]),
        ("classify -i ", ["auto", "text", "html", "jsonl", "csv"]),
        ("check --format ", ["text", "json", "github", "junit", "sarif", "markdown"]),
        ("check --fail-on ", ["error", "warning", "never"]),
        ("diff --fail-on new", ["new-error", "new-warning"]),
        ("handoff deals.csv --preset ", ["salesforce"]),
        ("scorecard --preset s", ["salesforce"]),
        ("benchmarks show -f ", ["yaml", "json"]),
        ("benchmarks sources -f m", ["markdown"]),
        ("train -f ", ["table", "json"]),
    ],
)
def test_completion_offers_the_values(words: str, offered: list[str]) -> None:
    assert complete(words) == offered


def test_countries_and_their_subdivisions_are_offered() -> None:
    countries = complete("handoff deals.csv --country G")
    assert {"GB", "GR", "DE"} & set(countries) == {"GB", "GR"}
    assert all(len(c) == 2 and c.startswith("G") for c in countries)  # alpha-2 codes only
    assert complete("handoff deals.csv --country de --subdivision B") == ["BB", "BE", "BW", "BY"]
    us = complete("handoff deals.csv --subdivision N")  # the default --country US
    assert {"NY", "NJ", "NC"} <= set(us) and all(s.startswith("N") for s in us)
    assert complete("scorecard opps.csv --country zz --subdivision ") == []


def test_rule_ids_are_offered_item_by_item() -> None:
    assert complete("check --select RP10") == ["RP101", "RP102", "RP103", "RP104"]
    assert complete("check --ignore RP101,RP20") == [
        "RP101,RP201",
        "RP101,RP202",
        "RP101,RP203",
        "RP101,RP204",
    ]
    assert "se-coverage" in complete("check --select s")


def test_bash_completion_through_the_environment_as_the_shell_runs_it() -> None:
    """What bash's completion function does: the program run with _ROLEPLAN_COMPLETE and COMP_* set."""
    env = {**os.environ, "_ROLEPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "roleplan staff --stage se"}
    env["COMP_CWORD"] = "3"
    code = "import sys; sys.argv[0] = 'roleplan'; from roleplan.cli.app import main; main()"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.split()) == (0, ["seed", "seriesA", "seriesB", "seriesC", "seriesD"])


def test_cli_runner_completion(run: Run) -> None:
    env = {"_ROLEPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "roleplan classify -f j", "COMP_CWORD": "3"}
    result = CliRunner().invoke(app, [], env=env, prog_name="roleplan")
    assert result.stdout.split() == ["json", "jsonl"]


def choice_options() -> Iterator[tuple[str, click.Option, Names]]:
    def walk(cmd: click.Command, path: str) -> Iterator[tuple[str, click.Option, Names]]:
        for param in cmd.params:
            if isinstance(param, click.Option) and isinstance(param.type, Names):
                yield path, param, param.type
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, f"{path} {name}".strip())

    yield from walk(typer.main.get_command(app), "")


def _formats() -> dict[str, list[str]]:
    from roleplan.report import benchmarks as bench_report
    from roleplan.report import (
        calendar,
        check,
        classify,
        diff,
        evaluate,
        handoff,
        planning,
        scorecard,
        staffing,
        train,
    )

    return {
        "staff": list(staffing.STAFF),
        "ratio": list(staffing.RATIO),
        "capacity": list(staffing.CAPACITY),
        "comp": list(staffing.COMP),
        "calendar": list(calendar.REPORTERS),
        "check": list(check.REPORTERS),
        "classify": list(classify.REPORTERS),
        "eval": list(evaluate.REPORTERS),
        "handoff": list(handoff.REPORTERS),
        "scorecard": list(scorecard.REPORTERS),
        "plan": list(planning.PLAN_REPORTERS),
        "cost": list(planning.COST_REPORTERS),
        "diff": list(diff.REPORTERS),
        "train": list(train.REPORTERS),
        "benchmarks show": ["yaml", "json"],
        "benchmarks sources": list(bench_report.SOURCES),
    }


def test_every_format_option_is_a_choice_of_exactly_the_reporters_the_command_has() -> None:
    formats = {path: list(names.choices) for path, opt, names in choice_options() if opt.name == "fmt"}
    with_format = {
        path
        for path, cmd in _commands()
        if any(isinstance(p, click.Option) and "--format" in p.opts for p in cmd.params)
    }
    assert set(formats) == with_format  # no --format left a plain string
    assert formats == {k: v for k, v in _formats().items() if k in formats}
    assert set(_formats()) <= set(formats)


def _commands() -> Iterator[tuple[str, click.Command]]:
    def walk(cmd: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
        yield path, cmd
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, f"{path} {name}".strip())

    yield from walk(typer.main.get_command(app), "")


def test_the_other_choices_are_the_names_the_code_accepts() -> None:
    from roleplan.loaders import handoff, scorecard
    from roleplan.loaders.jd import INPUT_FORMATS
    from roleplan.models.findings import FAIL_ON
    from roleplan.models.planning import DIFF_FAIL_ON
    from roleplan.names import COMP_SEGMENTS, LEVELS, MOTIONS, ROLES, SEGMENTS, STAGES

    found = {
        (path, opt.opts[0]): list(names.choices) for path, opt, names in choice_options() if opt.name != "fmt"
    }
    assert found == {
        ("staff", "--stage"): list(STAGES),
        ("staff", "--segment"): list(SEGMENTS),
        ("staff", "--motion"): list(MOTIONS),
        ("ratio", "--segment"): list(SEGMENTS),
        ("comp", "--role"): list(ROLES),
        ("comp", "--level"): list(LEVELS),
        ("comp", "--segment"): list(COMP_SEGMENTS),
        ("classify", "--input-format"): list(INPUT_FORMATS),
        ("check", "--fail-on"): list(FAIL_ON),
        ("diff", "--fail-on"): list(DIFF_FAIL_ON),
        ("handoff", "--preset"): list(handoff.PRESETS),
        ("scorecard", "--preset"): list(scorecard.PRESETS),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["staff", "--stage", "seriesX", "--aes", "3"],
            "unknown stage 'seriesX'; did you mean 'seriesD'? "
            "(choose from: seed, seriesA, seriesB, seriesC, seriesD, public)",
        ),
        (
            ["ratio", "--aes", "3", "--ses", "1", "-f", "jsn"],
            "unknown format 'jsn'; did you mean 'json'? (choose from: table, json, markdown)",
        ),
        (
            ["check", "--fail-on", "warn"],
            "unknown --fail-on level 'warn'; did you mean 'warning'? (choose from: error, warning, never)",
        ),
        (["comp", "--level", "staff"], "unknown level 'staff' (choose from: mid, senior, principal)"),
    ],
)
def test_an_unknown_value_is_one_line_naming_the_closest(run: Run, args: list[str], message: str) -> None:
    r = run(*args)
    assert (r.code, r.out, r.err) == (2, "", f"roleplan: error: {message}\n")


def test_values_are_still_matched_forgivingly(run: Run) -> None:
    plain = run("staff", "--stage", "seriesB", "--aes", "12", "--segment", "enterprise", "-f", "json")
    loose = run("staff", "--stage", "Series B", "--aes", "12", "--segment", "Enterprise", "-f", "JSON")
    assert plain.code == loose.code == 0 and loose.out == plain.out


def test_help_shows_a_short_placeholder_and_the_names(run: Run) -> None:
    out = run("staff", "--help").out
    assert "STAGE" in out and "seriesA, seriesB" in out and "[seed|" not in out
