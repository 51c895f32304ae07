"""`roleplan classify --jobs N` against one process: wall time, the main process's peak memory, same bytes.

Run: python bench/classify_jobs.py [--records 50000] [--jobs 1,2,0] [--workdir DIR]

Writes synthetic ~3 KB postings (bench/classify_batch.py's generator), runs the CLI once per --jobs value
(JSONL in, JSONL out) and prints wall seconds, postings per wall second, and the main process's peak RSS
(VmHWM: the reader and writer; each worker holds one compiled configuration and a few chunks). Exit 1 if an
output differs from the first one's. Wall time is what --jobs buys, so run it on an idle machine: on a shared
one the figures say more about the neighbours than about the code.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from classify_batch import _CHILD, generate  # noqa: E402  (bench/ is not a package)


def run(path: Path, out: Path, jobs: str) -> tuple[float, float, str]:
    """(wall seconds, main-process peak MiB, sha256 of the output)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with out.open("wb") as fh, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-c", _CHILD, "classify", str(path), "-f", "jsonl", "--jobs", jobs],
            stdout=fh,
            stderr=err,
            env=env,
        )
        wall = time.perf_counter() - t0
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    if code not in (0, 1):
        sys.stderr.writelines(line + "\n" for line in lines)
        raise SystemExit(f"roleplan classify --jobs {jobs} exited {code}")
    peaks = [int(line.split()[1]) for line in lines if line.startswith("bench-peak-kib ")]
    return wall, (peaks[0] / 1024 if peaks else float("nan")), hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument(
        "--jobs", default="1,2,0", help="comma-separated --jobs values; the first is the reference"
    )
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        batch = work / f"jobs-{args.records}.jsonl"
        if not batch.exists():
            generate(batch, args.records)
        print(
            f"{args.records:,} postings, {batch.stat().st_size / 2**20:.0f} MiB; os.cpu_count() = {os.cpu_count()}"
        )
        reference = ""
        status = 0
        for jobs in args.jobs.split(","):
            wall, peak, digest = run(batch, work / f"out-{jobs}.jsonl", jobs)
            reference = reference or digest
            same = "same bytes" if digest == reference else "DIFFERENT OUTPUT"
            status |= digest != reference
            print(
                f"--jobs {jobs:>2}: {wall:6.2f} s wall, {args.records / wall:8,.0f} postings/s, "
                f"main process peak {peak:5.1f} MiB, {same}"
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
