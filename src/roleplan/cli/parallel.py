"""`roleplan classify --jobs N`: a batch classified by N worker processes, results in input order.

The reader stays in the main process and cuts the records into chunks; at most `2 * jobs` chunks are in
flight, so memory does not grow with the batch, and the results are handed back chunk by chunk in the
order read. The reporters then run on that stream exactly as with one process, so the output is
byte-identical to `--jobs 1` by construction. Workers start from a fresh interpreter (forkserver where
the platform has it, else spawn: never a fork of a process running a progress-bar thread) and load the same
classify configuration (the override path is passed to them; each worker validates and compiles it once).
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roleplan.loaders.jd import JobRecord
    from roleplan.models.classify_config import ClassifyConfig

CHUNK_RECORDS = 256  # per task: large enough that the inter-process hand-off is a small share of the work
CHUNK_CHARS = 4 << 20  # ... or this much text, whichever comes first (a few huge records stay a few)
IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: one being classified, one waiting

_config: "ClassifyConfig | None" = None


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says, else cpu_count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _start(override: str | None) -> None:
    """Worker initialiser: the classify configuration in force, compiled once per worker."""
    import gc
    import signal

    from roleplan.benchmarks import load_classifier
    from roleplan.cli.common import scan_engine

    scan_engine()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle (it stops the pool)
    global _config
    _config = load_classifier(Path(override) if override is not None else None)
    gc.freeze()  # as in the main process: the compiled signals live as long as the worker


def _work(chunk: "list[JobRecord]", render: str | None, keep: tuple[str, ...] = ()) -> list[Any]:
    """Classify a chunk. With `render` (a streaming format) each result comes back as its text (with the
    `keep` fields) and error: a string is serialised to the main process ~70x faster than the result
    objects (50 µs per record, more than classifying it)."""
    from roleplan.core.pipeline import classify_records

    assert _config is not None, "worker started without its configuration"
    results = classify_records(chunk, _config)
    if render is None:
        return list(results)
    from roleplan.report.classify import renderer

    text = renderer(render, keep)
    return [(text(res), res.error) for res in results]


def _chunks(records: "Iterable[JobRecord]", failed: list[BaseException]) -> "Iterator[list[JobRecord]]":
    """Chunks of records; an error from the reader (a malformed line) ends the chunks after the partial one,
    kept in `failed` for the caller to raise once the records before it are written, as one process would."""
    chunk: list[JobRecord] = []
    chars = 0
    try:
        for rec in records:
            chunk.append(rec)
            chars += len(rec.text)
            if len(chunk) >= CHUNK_RECORDS or chars >= CHUNK_CHARS:
                yield chunk
                chunk, chars = [], 0
    except Exception as exc:  # re-raised by classify_parallel after the results before it
        failed.append(exc)
    if chunk:
        yield chunk


def classify_parallel(
    records: "Iterable[JobRecord]",
    *,
    override: Path | None,
    jobs: int,
    render: str | None = None,
    keep: tuple[str, ...] = (),
    on_record: "Callable[[JobRecord], None]" = lambda rec: None,
) -> Iterator[Any]:
    """Classify `records` in `jobs` processes; yield the results in input order, streaming.

    Without `render`, each result is a ClassifiedRecord; with a streaming format's name, a pair
    (`renderer(render, keep)(result)`, `result.error`) to be framed by `report.classify.frame`. `on_record(rec)` runs
    in this process just before `rec`'s result is yielded (the CLI notes its source for messages).
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pending: deque[tuple[list[JobRecord], Future[list[Any]]]] = deque()
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start,
        initargs=(str(override) if override is not None else None,),
    )
    failed: list[BaseException] = []
    try:
        for chunk in _chunks(records, failed):
            pending.append((chunk, executor.submit(_work, chunk, render, keep)))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield from _drain(pending.popleft(), on_record)
        while pending:
            yield from _drain(pending.popleft(), on_record)
        if failed:
            raise failed[0]
    finally:
        for _, future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)


def _drain(
    item: "tuple[list[JobRecord], Future[list[Any]]]", on_record: "Callable[[JobRecord], None]"
) -> Iterator[Any]:
    from roleplan.errors import RoleplanError

    chunk, future = item
    try:
        results = future.result()
    except BrokenProcessPool:  # a worker killed (out of memory, kill -9): no traceback, exit 2
        raise RoleplanError(
            "a worker process stopped before its records were classified (killed, or out of memory?); "
            "try --jobs 1"
        ) from None
    for rec, res in zip(chunk, results, strict=True):
        on_record(rec)
        yield res
