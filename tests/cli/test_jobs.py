"""`roleplan classify --jobs N`: worker processes, the same bytes as one process, in order, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from roleplan.cli import parallel
from tests.conftest import Run

TEXTS = (
    "Run tailored demos and proofs of concept for prospects, answer RFPs, partner with Account Executives.",
    "After the contract is signed, own the reference architecture, plan the migration and lead go-live.",
    "Carry a quota, prospect into new accounts and close new business in your territory.",
    "Review code, write design docs and build backend services in Go.",
    "   ",  # a per-record error
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 records (several chunks of 256), errors and malformed lines among them."""
    path = tmp_path_factory.mktemp("jobs") / "batch.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(600):
            if i % 97 == 50:
                fh.write("{not json\n")
            text = TEXTS[i % 5] + (f" Team {i}." if i % 5 != 4 else "")
            fh.write(json.dumps({"id": f"j{i}", "title": "Engineer", "text": text}) + "\n")
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "table"])
def test_output_is_byte_identical_to_one_process(run: Run, batch: Path, fmt: str) -> None:
    one = run("classify", str(batch), "-f", fmt, "--skip-bad")
    assert one.code == 1 and "could not be classified" in one.err  # the empty texts
    for jobs in ("3", "0"):
        many = run("classify", str(batch), "-f", fmt, "--skip-bad", "--jobs", jobs)
        assert (many.code, many.out, many.err) == (one.code, one.out, one.err), f"--jobs {jobs}"


def test_a_small_table_and_a_file(run: Run, tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS[:4])))
    one = run("classify", str(small))
    assert run("classify", str(small), "-j", "2").out == one.out
    assert run("classify", str(small), "-j", "2", "-f", "csv", "-o", str(tmp_path / "o.csv")).code == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8") == run("classify", str(small), "-f", "csv").out


def test_workers_use_the_override_in_force(run: Run, batch: Path, tmp_path: Path) -> None:
    override = tmp_path / "signals.yaml"
    override.write_text(
        "classify:\n  model: {temperature: 3.0}\n"  # flatter probabilities: every confidence changes
    )
    plain = run("classify", str(batch), "-f", "jsonl", "--skip-bad")
    one = run("classify", str(batch), "-f", "jsonl", "--skip-bad", "--benchmarks", str(override))
    assert one.out != plain.out
    assert (
        run("--benchmarks", str(override), "classify", str(batch), "-f", "jsonl", "--skip-bad", "-j", "2").out
        == one.out
    )


def test_a_malformed_line_without_skip_bad_stops_the_same_way(run: Run, batch: Path) -> None:
    one = run("classify", str(batch), "-f", "jsonl")
    many = run("classify", str(batch), "-f", "jsonl", "-j", "2")
    assert one.code == many.code == 2
    assert many.err == one.err and "batch.jsonl:51" in one.err
    assert many.out == one.out  # the records before the bad line


def test_negative_jobs_is_a_usage_error(run: Run, batch: Path) -> None:
    r = run("classify", str(batch), "-j", "-1")
    assert r.code == 2 and r.err == "roleplan: error: --jobs must be 0 (one per core) or more, got -1\n"


def test_results_stream_with_a_bounded_number_of_records_in_flight(
    batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader never runs more than `2 * jobs` chunks ahead of the results: memory stays flat."""
    from roleplan.loaders.jd import Reader, resolve_sources

    monkeypatch.setattr(parallel, "CHUNK_RECORDS", 10)
    pulled = 0

    def counted() -> Iterator[object]:
        nonlocal pulled
        for rec in Reader(resolve_sources([str(batch)], "auto"), skip_bad=True, keep_errors=True):
            pulled += 1
            yield rec

    ahead = []
    yielded = 0
    for _ in parallel.classify_parallel(counted(), override=None, jobs=2, render="jsonl"):  # type: ignore[arg-type]
        yielded += 1
        ahead.append(pulled - yielded)
    assert yielded == 600
    # 2 jobs x 2 chunks in flight of 10 records, plus the chunk being filled
    assert max(ahead) <= 2 * parallel.IN_FLIGHT_PER_JOB * 10 + 10
    assert max(ahead) >= 10  # and it did work ahead


def test_cores_is_at_least_one() -> None:
    assert parallel.cores() >= 1
