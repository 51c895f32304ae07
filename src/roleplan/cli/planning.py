"""`roleplan plan` (fill SEs and SAs from the AE plan), `cost` (what it costs), `diff` (what a change does)
and `report` (a board page)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from roleplan.cli.choices import Names, format_option
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

if TYPE_CHECKING:
    from roleplan.loaders.plan import LoadedPlan
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.planning import FilledPlan

PlanArg = Annotated[
    Path, typer.Argument(metavar="PLAN", show_default=False, help="The plan file (YAML); - reads stdin.")
]
FormatOpt = Annotated[
    str,
    format_option("table", "json", "markdown"),
]


def plan(
    path: PlanArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="Write the filled plan (YAML, comments kept) to a new file; - prints it instead of the report.",
            show_default=False,
        ),
    ] = None,
    write_in_place: Annotated[
        bool, typer.Option("--write", "-w", help="Fill the plan file in place (comments and layout kept).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Let -o overwrite an existing file.")] = False,
    fmt: FormatOpt = "table",
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """Fill each quarter's SEs and SAs from its AEs and accounts, and say when to open each req.

    The first quarter's ses/sas, where given, are the people on staff when the plan starts.

    Example: roleplan plan roleplan.yaml --write
    Example: roleplan plan roleplan.yaml -o filled.roleplan.yaml --format json
    """
    from roleplan.core.plan import fill_plan
    from roleplan.errors import UsageError
    from roleplan.loaders.plan import STDIN, load_for_planning
    from roleplan.report.planning import PLAN_REPORTERS

    fmt = choose_format(fmt, PLAN_REPORTERS)
    if out is not None and write_in_place:
        raise UsageError("give either --write (fill PLAN in place) or -o OUT (a new file), not both")
    if write_in_place and path == STDIN:
        raise UsageError("--write needs a plan file, not stdin; use -o OUT")
    if force and out is None:
        raise UsageError("--force only applies to -o OUT")
    to_stdout = out is not None and str(out) == "-"
    if not to_stdout:
        check_output(out, force=force)
    bench = benchmarks(benchmarks_path)
    loaded = load_for_planning(path, need_aes=True)
    assert loaded.plan is not None
    starts = [next(iter(t.quarters.values())) for t in loaded.plan.teams]
    on_staff = [(q.ses, q.sas) for q in starts]
    filled = fill_plan(loaded.plan, bench, file=loaded.file, on_staff=on_staff)
    target = path if write_in_place else out
    if target is not None:
        _write(loaded, filled, target, overwrite=write_in_place or force, bench=bench, to_stdout=to_stdout)
    if not to_stdout:
        emit(filled, fmt, PLAN_REPORTERS)


def _write(
    loaded: "LoadedPlan",
    filled: "FilledPlan",
    target: Path,
    *,
    overwrite: bool,
    bench: "Benchmarks",
    to_stdout: bool,
) -> None:
    """Write the filled plan atomically, after reading it back and checking it."""
    import datetime

    from roleplan.atomic import write_atomic
    from roleplan.core.check import check_plan
    from roleplan.loaders.plan import validate
    from roleplan.loaders.plan_write import Value, fill_text, mismatches
    from roleplan.yamlio import parse_yaml

    values = [Value(team=r.team_index, quarter=r.quarter, ses=r.ses, sas=r.sas) for r in filled.rows]
    result = fill_text(loaded.doc.text, values, source=loaded.file)
    again = validate(parse_yaml(result.text, str(target)))
    if again.plan is None:  # pragma: no cover - a bug in the writer, never the user's input
        raise RuntimeError(f"the filled plan does not read back: {again.problems[:1]}")
    wrong = mismatches(again.plan, values)
    if wrong:  # pragma: no cover - as above
        raise RuntimeError(f"the filled plan reads back other values: {wrong[:3]}")
    findings = check_plan(
        again.plan, bench, file=str(target), line_of=again.line_of, today=datetime.date.today()
    )
    text = "\ufeff" + result.text if loaded.doc.bom else result.text
    if to_stdout:
        write(text)
    else:
        write_atomic(target, text, overwrite=overwrite)
    errors = sum(f.severity == "error" and not f.suppressed for f in findings)
    warnings = sum(f.severity == "warning" and not f.suppressed for f in findings)
    verdict = "passes" if not errors else "fails"
    where = "the filled plan" if to_stdout else f"wrote {target}"
    warn(
        f"{where} ({result.changed} value{'s' if result.changed != 1 else ''} changed); roleplan check "
        f"{verdict}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    )


def cost(
    path: PlanArg,
    fmt: FormatOpt = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """What the plan's SEs and SAs cost per quarter and year (base and OTE, min–max), from the cited bands.

    A team's optional `levels:` mix ({mid: 0.3, senior: 0.5, principal: 0.2}) uses the level bands; an
    optional top-level `budget:` (by quarter or year) is compared with the OTE range.

    Example: roleplan cost roleplan.yaml --format json
    """
    from roleplan.core.cost import cost_plan
    from roleplan.loaders.plan import load_for_planning
    from roleplan.report.planning import COST_REPORTERS

    fmt = choose_format(fmt, COST_REPORTERS)
    check_output(out, force=force)
    bench = benchmarks(benchmarks_path)
    loaded = load_for_planning(path)
    assert loaded.plan is not None
    result = cost_plan(loaded.plan, bench, file=loaded.file)
    with output(out, force=force):
        emit(result, fmt, COST_REPORTERS)


def diff(
    plans: Annotated[
        list[Path],
        typer.Argument(
            metavar="[BASE] HEAD",
            show_default=False,
            help="Two plan files, BASE then HEAD; with --base-ref only HEAD (BASE is HEAD's file at REF).",
        ),
    ],
    base_ref: Annotated[
        str | None,
        typer.Option(
            "--base-ref",
            metavar="REF",
            help="Read BASE from git: HEAD's file at REF (e.g. origin/main).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        format_option("text", "json", "markdown", "github"),
    ] = "text",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 on: new-error (default), new-warning (any new), never.",
            click_type=Names("--fail-on level", ("new-error", "new-warning", "never"), metavar="LEVEL"),
        ),
    ] = "new-error",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """What a change to a plan does: findings new, fixed and unchanged, headcount and cost per quarter.

    Example: roleplan diff --base-ref origin/main roleplan.yaml --format markdown
    Example: roleplan diff old.roleplan.yaml new.roleplan.yaml --fail-on new-warning
    """
    import datetime

    from roleplan.core.check import check_plan
    from roleplan.core.cost import cost_plan
    from roleplan.core.diff import diff_plans, team_lines
    from roleplan.errors import InputError, UsageError, pick
    from roleplan.loaders.plan import for_planning, load_plan, load_plan_at_ref
    from roleplan.models.planning import DIFF_FAIL_ON
    from roleplan.report.diff import REPORTERS

    fmt = choose_format(fmt, REPORTERS)
    level = next(x for x in DIFF_FAIL_ON if x == pick("--fail-on level", fail_on, DIFF_FAIL_ON))
    if base_ref is not None and len(plans) != 1:
        raise UsageError("with --base-ref give only HEAD, the plan file (BASE is that file at the ref)")
    if base_ref is None and len(plans) != 2:
        raise UsageError("give BASE and HEAD, two plan files (or HEAD and --base-ref REF)")
    check_output(out, force=force)
    bench = benchmarks(benchmarks_path)
    head = for_planning(load_plan(plans[-1]))
    base = for_planning(load_plan_at_ref(plans[0], base_ref) if base_ref else load_plan(plans[0]))
    assert base.plan is not None and head.plan is not None
    names = (base.plan.company.name, head.plan.company.name)
    if names[0] and names[1] and names[0] != names[1]:
        raise InputError(
            f"BASE ({base.file}) is a plan of {names[0]!r} and HEAD of {names[1]!r}: diff compares two versions "
            "of one company's plan",
            file=head.file,
            line=head.line_of(("company", "name")),
        )
    today = datetime.date.today()
    result = diff_plans(
        base_file=base.file,
        head_file=head.file,
        company=names[1] or names[0],
        base_findings=check_plan(base.plan, bench, file=base.file, line_of=base.line_of, today=today),
        head_findings=check_plan(head.plan, bench, file=head.file, line_of=head.line_of, today=today),
        base_cost=cost_plan(base.plan, bench, file=base.file),
        head_cost=cost_plan(head.plan, bench, file=head.file),
        fail_on=level,
        base_teams=team_lines(base.plan, base.line_of),
        head_teams=team_lines(head.plan, head.line_of),
    )
    with output(out, force=force):
        emit(result, fmt, REPORTERS)
        if result.status == "fail":
            raise typer.Exit(1)


def report(
    path: PlanArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the page, e.g. plan.html (atomically; default: stdout).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """One self-contained HTML page for a board: SE:AE per team against the band, SA capacity against the
    accounts' need, headcount by role, cost per quarter, and the findings with their sources.

    The charts need plotly: pip install 'roleplan[report]'. The page opens with no network.

    Example: roleplan report roleplan.yaml -o plan.html
    """
    import datetime

    from roleplan.core.board import board
    from roleplan.core.check import check_plan
    from roleplan.core.cost import cost_plan
    from roleplan.errors import UsageError
    from roleplan.loaders.plan import load_for_planning

    try:
        import plotly  # noqa: F401
    except ImportError:
        raise UsageError(
            "roleplan report draws its charts with plotly, which is not installed: pip install 'roleplan[report]'"
        ) from None
    from roleplan.report.html import render

    check_output(out, force=force)
    bench = benchmarks(benchmarks_path)
    loaded = load_for_planning(path)
    assert loaded.plan is not None
    findings = check_plan(
        loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=datetime.date.today()
    )
    page = render(
        board(
            loaded.plan,
            bench,
            file=loaded.file,
            findings=sorted(findings, key=lambda f: f.sort_key()),
            cost=cost_plan(loaded.plan, bench, file=loaded.file),
        )
    )
    with output(out, force=force):
        write(page)
    if out is not None and str(out) != "-":
        warn(f"wrote {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB, opens with no network)")


def register(app: typer.Typer) -> None:
    """Add plan, cost, diff and report to the app."""
    app.command("plan")(plan)
    app.command("cost")(cost)
    app.command("diff")(diff)
    app.command("report")(report)
