"""Time and peak memory of `roleplan scorecard` on a synthetic opportunity export (default 100k rows).

Run: python bench/scorecard.py [--rows 100000] [--small 10000] [--repeat 3]

Writes a CSV of `--rows` opportunities (a mix of US and ISO dates with times, 12 SEs and no-SE deals, POCs,
technical wins, amounts, 0.5% bad rows), runs `python -m roleplan scorecard FILE --format json` in a fresh
interpreter `--repeat` times, and prints the best wall and CPU time and the peak RSS. The same for `--small`
rows: the export is read in one pass without holding the rows, so peak memory should barely move with the
row count (the duplicate-id check keeps the ids, each with the line of its first copy: the only state that
grows with it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SES = [
    f"SE {name}"
    for name in ["Ada", "Bram", "Cleo", "Dev", "Esme", "Finn", "Gita", "Hugo", "Iris", "Jude", "Kai", "Lena"]
]


def write_export(path: Path, rows: int, seed: int = 16) -> None:
    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "created", "closed", "outcome", "amount", "se", "poc", "poc_outcome", "technical_win"]
        )
        for i in range(rows):
            created = start + dt.timedelta(days=rng.randrange(1000))
            closed = created + dt.timedelta(days=rng.randrange(10, 240))
            outcome = rng.choices(
                ["won", "lost", "open", "Closed Won", "Negotiation/Review"], [4, 4, 2, 1, 1]
            )[0]
            se = rng.choice(SES) if rng.random() < 0.8 else ""
            poc = se != "" and rng.random() < 0.5
            poc_outcome = rng.choice(["passed", "failed", ""]) if poc else ""
            tech = rng.choice(["yes", "no", ""]) if se else ""
            us = rng.random() < 0.5
            c = f"{created.month}/{created.day}/{created.year} 9:30 AM" if us else created.isoformat()
            d = closed.isoformat() + "T17:00:00Z"
            if rng.random() < 0.005:  # bad rows: findings, counted, not kept
                d = "2026-02-30"
            w.writerow(
                [
                    f"OPP-{i:07d}",
                    c,
                    d,
                    outcome,
                    f"{rng.randrange(5, 500) * 1000}",
                    se,
                    "yes" if poc else "no",
                    poc_outcome,
                    tech,
                ]
            )


#: Runs one command and prints its CPU seconds and peak RSS (KiB): a fresh parent per run, so that
#: RUSAGE_CHILDREN covers that run alone.
_PROBE = (
    "import resource, subprocess, sys; "
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(rc, u.ru_utime + u.ru_stime, u.ru_maxrss)"
)


def run(path: Path, repeat: int) -> tuple[float, float, int]:
    """Best wall time, best CPU time (user + sys) and peak RSS in MiB of the CLI on `path`."""
    walls, cpus, peaks = [], [], []
    command = [
        sys.executable,
        "-m",
        "roleplan",
        "scorecard",
        str(path),
        "--format",
        "json",
        "--as-of",
        "2026-04-15",
    ]
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, *command], capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - t0)
        rc, cpu, rss = out.stdout.split()
        if int(rc) not in (0, 1):
            raise SystemExit(f"roleplan scorecard exited {rc}")
        cpus.append(float(cpu))
        peaks.append(int(rss) // 1024)  # KiB on Linux
    return min(walls), min(cpus), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for rows in (args.small, args.rows):
            path = Path(tmp) / f"opps-{rows}.csv"
            write_export(path, rows)
            wall, cpu, rss = run(path, args.repeat)
            size = path.stat().st_size / 1_048_576
            results.append((rows, wall, cpu, rss))
            print(
                f"{rows:>8,} rows ({size:.1f} MiB): wall {wall:.2f} s, cpu {cpu:.2f} s, "
                f"{rows / wall:,.0f} rows/s, peak RSS {rss} MiB (best of {args.repeat})"
            )
        (small, *_, rss_small), (big, *_, rss_big) = results
        print(f"peak RSS grows {rss_big - rss_small} MiB from {small:,} to {big:,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
