"""`roleplan check` (the CI gate for headcount plans), `roleplan init` and `roleplan schema plan`."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from roleplan.cli.choices import Completed, Names, format_option, rules
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
from roleplan.errors import InputError, RoleplanError, pick

if TYPE_CHECKING:
    from roleplan.models.findings import Finding

FormatOpt = Annotated[
    str,
    format_option("text", "json", "github", "junit", "sarif", "markdown"),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 on active findings of this severity: error (default), warning, never.",
        click_type=Names("--fail-on level", ("error", "warning", "never"), metavar="LEVEL"),
        show_default=False,
    ),
]


RulesOpt = Annotated[
    list[str] | None,
    typer.Option(
        click_type=Completed(rules, metavar="RULES", lists=True),
        help="Comma-separated rule IDs, names or ID prefixes (RP1 = every SE rule); replaces the project's.",
        show_default=False,
    ),
]


def check(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PLAN]...",
            show_default=False,
            help="Plan files; - reads one from stdin; a directory means every roleplan.yaml and "
            "*.roleplan.yaml below it. Default: the project's paths setting, else ./roleplan.yaml and "
            "*.roleplan.yaml below the current directory.",
        ),
    ] = None,
    fmt: FormatOpt = "text",
    fail_on: FailOnOpt = None,
    select: RulesOpt = None,
    ignore: RulesOpt = None,
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

    Settings come from \\[tool.roleplan] in pyproject.toml or from .roleplan.toml (fail-on, select, ignore,
    paths), found from the current directory upwards; options on the command line win.

    Example: roleplan check roleplan.yaml --format github
    Example: git show HEAD:roleplan.yaml | roleplan check - --stdin-name roleplan.yaml
    """
    import dataclasses
    import datetime

    from roleplan.core.check import check_plan, summarize
    from roleplan.loaders.check_settings import find_settings
    from roleplan.loaders.plan import discover, expand, load_plan
    from roleplan.models.findings import FAIL_ON, CheckedFile, FailOn
    from roleplan.models.rules import active_rules, rule_ids
    from roleplan.report.check import REPORTERS

    fmt = choose_format(fmt, REPORTERS)
    check_output(out, force=force)
    settings = find_settings(Path.cwd())
    chosen = fail_on if fail_on is not None else settings.fail_on or "error"
    level: FailOn = next(x for x in FAIL_ON if x == pick("--fail-on level", chosen, FAIL_ON))
    selected = rule_ids(_split(select), option="--select") if select is not None else None
    if selected is None and settings.select is not None:
        selected = rule_ids(list(settings.select), option="select")
    ignored = rule_ids(_split(ignore) if ignore is not None else list(settings.ignore), option="--ignore")
    rules = active_rules(selected, ignored)
    if plans:
        paths = expand(plans)
    elif settings.paths:
        paths = expand(list(settings.paths))
    else:
        paths = discover(Path())
    bench = benchmarks(benchmarks_path)
    today = datetime.date.today()
    files: list[CheckedFile] = []
    findings: list[Finding] = []
    unreadable: list[InputError] = []
    for path in paths:
        try:
            loaded = load_plan(path, stdin_name=stdin_name)
        except (
            InputError
        ) as exc:  # still a report in every format: the CI step shows the error, not a 0-byte file
            unreadable.append(exc)
            where = exc.file or (stdin_name if str(path) == "-" else str(path))
            findings.append(_unreadable(exc, where))
            files.append(CheckedFile(file=where, valid=False, readable=False))
            continue
        findings += loaded.problems
        if loaded.plan is not None:
            findings += check_plan(loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=today)
        files.append(CheckedFile(file=loaded.file, valid=loaded.plan is not None))
    findings = [f for f in findings if f.rule in rules]
    result = dataclasses.replace(summarize(files, findings, level), rules=rules)
    if unreadable:
        result = dataclasses.replace(result, status="error")
        if fmt != "text":  # the text report would only repeat the error line below
            with output(out, force=force):
                emit(result, fmt, REPORTERS)
        raise unreadable[0]
    with output(out, force=force):
        emit(result, fmt, REPORTERS)
    if result.status == "fail":
        raise typer.Exit(1)


def _split(values: list[str] | None) -> list[str]:
    return [part for value in values or () for part in value.split(",")]


def _unreadable(exc: RoleplanError, file: str) -> "Finding":
    from roleplan.models.findings import Finding
    from roleplan.models.rules import BY_ID

    rule = BY_ID["RP000"]
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity="error",
        message=f"the plan cannot be read: {exc.message}",
        file=file,
        line=exc.line or 1,
    )


def init(
    target: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="Where to write the plan (a directory, or a name ending in /: roleplan.yaml in it).",
        ),
    ] = "roleplan.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing plan.")] = False,
) -> None:
    """Write a commented starter plan (and roleplan.schema.json beside it for editor completion).

    Example: roleplan init plans/acme.roleplan.yaml
    """
    import json

    from roleplan.atomic import write_atomic
    from roleplan.loaders.plan import SCHEMA_FILE, starter_text
    from roleplan.models.plan import plan_json_schema

    path = Path(target)
    if path.is_dir() or target.endswith(("/", "\\")):  # `init some/dir/`: a folder, created if need be
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
