"""`roleplan classify`: job postings in (files, directories, stdin, JSONL/CSV batches), families out."""

import gc
import io
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from roleplan.cli import common
from roleplan.cli.choices import Names, format_option
from roleplan.errors import InputError, UsageError, pick

if TYPE_CHECKING:
    from pathlib import Path

    from roleplan.loaders.jd import JobRecord, Source
    from roleplan.models.classify import ClassifiedRecord

FORMATS = ("table", "json", "jsonl", "csv")  # report.classify REPORTERS (a test keeps them equal)
INPUT_FORMATS = ("auto", "text", "html", "jsonl", "csv")  # loaders.jd INPUT_FORMATS, not imported at start


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("classify")(classify)


def classify(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Posting (.txt .md .html), directory, batch (.jsonl .ndjson .csv) or - for stdin (default).",
            show_default=False,
        ),
    ] = None,
    input_format: Annotated[
        str,
        typer.Option(
            "--input-format",
            "-i",
            help="auto (by extension; stdin: text), text, html, jsonl, csv",
            click_type=Names("input format", INPUT_FORMATS),
        ),
    ] = "auto",
    title: Annotated[str | None, typer.Option("--title", help="The posting's title (single texts)")] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="The hiring company (single texts)")
    ] = None,
    fmt: Annotated[
        str,
        format_option(*FORMATS, help="table, json, jsonl or csv"),
    ] = "table",
    text_field: Annotated[
        str,
        typer.Option("--text-field", metavar="NAME", help="Batch field (JSONL key, CSV column) of the text"),
    ] = "text",
    id_field: Annotated[str, typer.Option("--id-field", metavar="NAME", help="Batch field of the id")] = "id",
    title_field: Annotated[
        str, typer.Option("--title-field", metavar="NAME", help="Batch field of the title")
    ] = "title",
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            metavar="FIELD,...",
            help="Batch fields (JSONL keys, CSV columns) to copy into each output record, after its own "
            "fields; comma-separated or repeated. A field a record lacks is null (CSV: empty).",
            show_default=False,
        ),
    ] = None,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Warn about a malformed batch line and go on instead of stopping"),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Worker processes for a batch (0: one per core); output identical to --jobs 1",
        ),
    ] = 1,
    out: common.OutputOpt = None,
    force: common.ForceOpt = False,
    benchmarks_path: common.BenchmarksOpt = None,
) -> None:
    """Classify job postings by what the duties say, not the title (SE, SA, other, hybrid).

    Example: roleplan classify postings.jsonl --format jsonl > classified.jsonl

    Exit codes: 0 every record classified; 1 some records could not be (see `error` and stderr);
    2 could not run (bad usage, missing or malformed input, no record classified at all).
    """
    from roleplan.core.pipeline import classify_records
    from roleplan.loaders.jd import INPUT_FORMATS, Fields, Reader, is_single, resolve_sources
    from roleplan.report.classify import OUTPUT_FIELDS, REPORTERS, STREAMING, reporter

    fmt = common.choose_format(fmt, REPORTERS)
    kept = keep_fields(keep or [], OUTPUT_FIELDS)
    if jobs < 0:
        raise UsageError(f"--jobs must be 0 (one per core) or more, got {jobs}")
    common.check_output(out, force=force)
    input_format = pick("input format", input_format, INPUT_FORMATS)
    if not paths and sys.stdin.isatty():
        raise UsageError(
            "no input: give a PATH, or pipe a posting into stdin (see 'roleplan classify --help')"
        )
    sources = resolve_sources(paths or ["-"], input_format)
    single = is_single(sources)
    if (title or company) and any(s.is_batch for s in sources):
        raise UsageError("--title/--company are for single texts; batch records carry their own")
    if kept and not any(s.is_batch for s in sources):
        raise UsageError("--keep copies fields of batch records (JSONL, CSV); a single text has none")
    # The compiled signals (tens of thousands of dicts and tuples) live as long as the process: no collection
    # while they are built (each walked the growing heap: 0.03 s of a 0.2 s load), then frozen out of the
    # collector's sight, so that the collections a batch's allocations trigger no longer walk them each time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        config = common.classifier(benchmarks_path)  # validated and compiled
    finally:
        if collecting:
            gc.enable()
    gc.freeze()

    stats = _Stats()
    with common.output(out, force=force) as stream:
        # Streamed results on the terminal are their own progress; a bar there would be drawn over them.
        to_screen = stream is sys.stdout and stream.isatty() and fmt in STREAMING
        bar = _progress(sources, enabled=not single and not to_screen)
        with bar as advance:
            if isinstance(stream, io.TextIOWrapper):  # a lone surrogate from JSON must not end the run
                stream.reconfigure(errors="replace")
            reader = Reader(
                sources,
                skip_bad=skip_bad,
                keep_errors=not single,
                title=title,
                company=company,
                warn=common.warn,
                progress=advance,
                fields=Fields(text=text_field, id=id_field, title=title_field, keep=kept),
            )
            workers = jobs
            if jobs == 0:
                from roleplan.cli.parallel import cores

                workers = cores()
            if workers > 1 and not single:
                override = common.override_file(benchmarks_path)
                _parallel(reader, fmt, kept, workers, override, stats, stream, bar)
            else:
                results = stats.count(classify_records(stats.track(reader), config))
                if fmt in STREAMING:
                    _write_blocks(stream, reporter(fmt, kept)(results))
                else:
                    _table(results, kept, bar, stream)
            bar.stop()  # cleared before the summary line on stderr
            code = stats.exit_code(reader.skipped)  # inside: a run that classified nothing leaves no FILE
    raise typer.Exit(code)


def keep_fields(values: list[str], taken: Iterable[str]) -> tuple[str, ...]:
    """--keep's field names, in the order given (comma-separated, repeatable; repeats dropped). A name the
    output already uses (case aside) is a usage error rather than a silently shadowed or renamed field."""
    names: dict[str, None] = {}
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if not name:
                raise UsageError(f"--keep {value!r}: an empty field name (give FIELD,FIELD,...)")
            names[name] = None
    own = {t.lower(): t for t in taken}
    for name in names:
        if name.lower() in own:
            raise UsageError(
                f"--keep {name!r}: the output has a {own[name.lower()]!r} field of its own "
                f"({', '.join(own.values())}); rename the input field, or leave it out"
                + (" (id, title and company come from the input already)" if name.lower() in _INPUT else "")
            )
    return tuple(names)


_INPUT = frozenset({"id", "title", "company"})


def _parallel(
    reader: "Iterable[JobRecord]",
    fmt: str,
    kept: tuple[str, ...],
    jobs: int,
    override: "Path | None",
    stats: "_Stats",
    stream: Any,
    bar: Any,
) -> None:
    """--jobs N: the same reporters on the results of N worker processes, in input order."""
    from roleplan.cli.parallel import classify_parallel
    from roleplan.report.classify import STREAMING, frame

    if fmt not in STREAMING:
        _table(
            stats.count(classify_parallel(reader, override=override, jobs=jobs, on_record=stats.note)),
            kept,
            bar,
            stream,
        )
        return
    pairs = classify_parallel(
        reader, override=override, jobs=jobs, render=fmt, keep=kept, on_record=stats.note
    )
    _write_blocks(stream, frame(fmt, stats.count_rendered(pairs), kept))


def _write_blocks(stream: Any, chunks: "Iterable[str]", records: int = 256) -> None:
    """The chunks (a record's line each), written `records` at a time: where stdout is unbuffered
    (PYTHONUNBUFFERED, python -u) a write per record is a system call per record, 0.1 s on 30,000."""
    write = stream.write
    block: list[str] = []
    append = block.append
    try:
        for chunk in chunks:
            append(chunk)
            if len(block) >= records:
                text = "".join(block)
                block.clear()  # before the write: a write that fails (a full disk) is not tried again
                write(text)
    finally:  # a batch that stops part-way (binary data) still has every record before it written
        if block:
            write("".join(block))
    stream.flush()


def _table(
    results: "Iterator[ClassifiedRecord]", kept: tuple[str, ...], bar: "_progress", stream: Any
) -> None:
    """Up to a screenful: the table of every record. More: the per-family summary, built in one streaming pass
    (a Rich table of 50,000 rows took 30 s and 309 MB). The bar is cleared before either is printed."""
    from itertools import chain, islice

    from roleplan.report.classify import reporter, summarize, summary_table

    limit = common.screenful(stream)
    head = list(islice(results, limit + 1))
    if len(head) <= limit:
        bar.stop()
        common.emit(head, "table", {"table": reporter("table", kept)})
        return
    summary = summarize(chain(head, results))
    bar.stop()
    common.console().print(summary_table(summary))


class _Stats:
    """Counts records and errors on the way through, for the summary line and the exit code."""

    def __init__(self) -> None:
        self.records = 0
        self.errors = 0
        self.first_error = ""
        self.source = ""

    def track(self, records: "Iterable[JobRecord]") -> "Iterator[JobRecord]":
        """Remember where the record in flight came from (the pipeline is lazy and one-to-one)."""
        for rec in records:
            self.source = rec.source
            yield rec

    def note(self, rec: "JobRecord") -> None:
        """The record whose result comes next (--jobs: the reader runs ahead of the results)."""
        self.source = rec.source

    def count(self, results: "Iterable[ClassifiedRecord]") -> "Iterator[ClassifiedRecord]":
        for res in results:
            self.add(res.error)
            yield res

    def count_rendered(self, pairs: Iterable[tuple[str, str | None]]) -> Iterator[str]:
        """(text, error) per record, from --jobs workers: the texts, counted."""
        for text, error in pairs:
            self.add(error)
            yield text

    def add(self, error: str | None) -> None:
        self.records += 1
        if error is not None:
            self.errors += 1
            if not self.first_error:
                self.first_error = f"{self.source}: {error}"

    def exit_code(self, skipped: int) -> int:
        if not self.records:  # e.g. the only text was empty and --skip-bad passed over it
            raise InputError(
                f"nothing to classify ({_n(skipped, 'input')} skipped)" if skipped else "nothing to classify"
            )
        ok = self.records - self.errors
        if self.records and not ok:
            raise InputError(
                f"no record could be classified ({self.errors} errors; first: {self.first_error})"
            )
        if self.errors or skipped:
            parts = (
                [f"{self.errors} of {_n(self.records, 'record')} could not be classified"]
                if self.errors
                else []
            )
            if skipped:
                parts.append(f"{_n(skipped, 'malformed line')} skipped")
            first = f" (first: {self.first_error})" if self.first_error else ""
            common.warn("warning: " + "; ".join(parts) + first)
            return 1
        return 0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _progress:
    """A transient Rich progress bar (bytes read) on stderr for batches, only when stderr is a terminal."""

    def __init__(self, sources: "list[Source]", *, enabled: bool) -> None:
        self.enabled = enabled and not common.Settings.quiet and sys.stderr.isatty()
        self.sources = sources
        self.bar: Any = None
        self.pending = 0

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        sizes = [s.path.stat().st_size if s.path is not None else 0 for s in self.sources]
        total = sum(sizes) if all(s.path is not None for s in self.sources) else None
        self.bar = Progress(
            TextColumn("classifying"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=common.console(stderr=True),
            transient=True,
            redirect_stdout=False,  # stdout carries the results, never the bar's console
            redirect_stderr=False,
        )
        self.task = self.bar.add_task("classify", total=total)
        self.bar.start()
        common.Settings.live = self.bar.console  # warnings are printed above the bar, not glued to it
        return self._advance

    def _advance(self, n: int) -> None:
        self.pending += n
        if self.pending >= 1 << 18:  # update every 256 KiB: a Rich update per record would cost more than I/O
            self.bar.advance(self.task, self.pending)
            self.pending = 0

    def stop(self) -> None:
        """Clear the bar (transient) and hand stderr back; again is a no-op."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
            common.Settings.live = None

    def __exit__(self, *exc: object) -> None:
        self.stop()
