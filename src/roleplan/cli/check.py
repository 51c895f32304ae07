"""`roleplan check` (the CI gate for headcount plans), `roleplan init` and `roleplan schema plan`."""

from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    benchmarks,
    check_output,
    choose_format,
    emit,
    output,
    warn,
    write,
)
from roleplan.errors import InputError, pick

FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT", help="text, json, github, junit, sarif or markdown."),
]
FailOnOpt = Annotated[
    str,
    typer.Option(
        "--fail-on",
        metavar="LEVEL",
        help="Exit 1 on active findings of this severity: error, warning, never.",
    ),
]


def check(
    plans: Annotated[
        list[Path],
        typer.Argument(
            metavar="PLAN",
            show_default=False,
            help="Plan files; - reads one from stdin; a directory means every roleplan.yaml and "
            "*.roleplan.yaml below it.",
        ),
    ],
    fmt: FormatOpt = "text",
    fail_on: FailOnOpt = "error",
    stdin_name: Annotated[
        str,
        typer.Option(
            "--stdin-name",
            metavar="PATH",
            help="The file name findings in a plan read from stdin (-) point to, e.g. its path in the repo.",
        ),
    ] = "<stdin>",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """Check headcount plans against the cited benchmarks; exit 1 on findings, 2 when it cannot run.

    Example: roleplan check roleplan.yaml --format github
    Example: git show HEAD:roleplan.yaml | roleplan check - --stdin-name roleplan.yaml
    """
    import datetime

    from roleplan.core.check import check_plan, summarize
    from roleplan.loaders.plan import iter_plans
    from roleplan.models.findings import FAIL_ON, CheckedFile, FailOn, Finding
    from roleplan.report.check import REPORTERS

    fmt = choose_format(fmt, REPORTERS)
    check_output(out, force=force)
    level: FailOn = next(x for x in FAIL_ON if x == pick("--fail-on level", fail_on, FAIL_ON))
    bench = benchmarks(benchmarks_path)
    today = datetime.date.today()
    files: list[CheckedFile] = []
    findings: list[Finding] = []
    for loaded in iter_plans(plans, stdin_name=stdin_name):
        findings += loaded.problems
        if loaded.plan is not None:
            findings += check_plan(loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=today)
        files.append(CheckedFile(file=loaded.file, valid=loaded.plan is not None))
    result = summarize(files, findings, level)
    with output(out, force=force):
        emit(result, fmt, REPORTERS)
    if result.status == "fail":
        raise typer.Exit(1)


def init(
    path: Annotated[
        Path,
        typer.Argument(metavar="PATH", help="Where to write the plan (a directory: roleplan.yaml in it)."),
    ] = Path("roleplan.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing plan.")] = False,
) -> None:
    """Write a commented starter plan (and roleplan.schema.json beside it for editor completion).

    Example: roleplan init plans/acme.roleplan.yaml
    """
    import json

    from roleplan.atomic import write_atomic
    from roleplan.loaders.plan import SCHEMA_FILE, starter_text
    from roleplan.models.plan import plan_json_schema

    if path.is_dir():
        path = path / "roleplan.yaml"
    schema_path = path.parent / SCHEMA_FILE
    schema = json.dumps(plan_json_schema(), indent=2) + "\n"
    existing = _existing_schema(schema_path)  # both targets checked before either is written
    if path.exists() and not path.is_file():
        raise InputError("exists and is not a file", file=path)
    write_atomic(path, starter_text(), overwrite=force, mkdir=True)
    if force or existing is None:
        write_atomic(schema_path, schema, overwrite=True, mkdir=True)
    elif existing != schema:
        warn(f"kept the existing {schema_path} (refresh it with: roleplan schema plan > {schema_path})")
    warn(f"wrote {path}; check it with: roleplan check {path}")


def _existing_schema(path: Path) -> str | None:
    """The text of a schema file already there (None when there is none); one line when it is unusable."""
    if not path.exists():
        return None
    if not path.is_file():
        raise InputError("exists and is not a file; move it away or give init another PATH", file=path)
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def schema_plan(out: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema (draft 2020-12) of the plan file.

    Example: roleplan schema plan > roleplan.schema.json
    """
    import json

    from roleplan.models.plan import plan_json_schema

    with output(out, force=force):
        write(json.dumps(plan_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    """Add check, init and schema to the app."""
    app.command("check")(check)
    app.command("init")(init)
    schema_app = typer.Typer(
        name="schema",
        help="Print the JSON Schema of roleplan's input files. Example: roleplan schema plan",
        no_args_is_help=True,
    )
    schema_app.command("plan")(schema_plan)
    app.add_typer(schema_app, name="schema")
