"""Time and peak memory of `roleplan handoff` on a synthetic Closed-Won export (10k and 100k deals).

Run: python bench/handoff.py [--deals 100000] [--small 10000] [--format json] [--repeat 1]

Writes a CSV of `--deals` deals (ISO and US dates, documents on time, late or missing, kickoffs and
architecture sign-offs held or not, 0.5% unreadable rows), runs `python -m roleplan handoff FILE --format F`
in a fresh interpreter per run and prints the best wall time and the child's peak RSS (VmHWM from its own
/proc/self/status, read at exit). json, csv and markdown stream, so peak memory should barely move with the
number of deals (the duplicate-deal check keeps one set of names, the only state that grows with it).
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

DOCS = ("meddpicc_scorecard", "poc_scope", "commercial_commitments", "stakeholder_map", "risk_log")


def write_export(path: Path, deals: int, seed: int = 16) -> None:
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["deal", "closed_won", "kickoff", *DOCS, "architecture_signed"])
        for i in range(deals):
            won = start + dt.timedelta(days=rng.randrange(800))

            def later(lo: int, hi: int, p_missing: float, won: dt.date = won) -> str:
                if rng.random() < p_missing:
                    return ""
                day = won + dt.timedelta(days=rng.randrange(lo, hi))
                return f"{day.month}/{day.day}/{day.year}" if rng.random() < 0.3 else day.isoformat()

            closed = won.isoformat()
            if rng.random() < 0.005:  # unreadable rows: findings, not deals
                closed = "2026-02-30"
            w.writerow(
                [
                    f"Deal {i:07d}",
                    closed,
                    later(0, 12, 0.1),
                    *(later(0, 10, 0.05) for _ in DOCS),
                    later(10, 60, 0.2),
                ]
            )


#: The child: runs the CLI with its own argv and, at exit, writes its VmHWM (peak RSS) to the file argv[1].
_CHILD = (
    "import atexit, runpy, sys\n"
    "def peak(path=sys.argv[1]):\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
    "    open(path, 'w').write(hwm.split()[1])\n"
    "atexit.register(peak)\n"
    "sys.argv = ['roleplan', *sys.argv[2:]]\n"
    "runpy.run_module('roleplan', run_name='__main__')\n"
)


def run(path: Path, fmt: str, repeat: int, probe: Path) -> tuple[float, int]:
    """Best wall time (s) and largest peak RSS (MiB) of the CLI on `path`."""
    walls, peaks = [], []
    for _ in range(repeat):
        command = [sys.executable, "-c", _CHILD, str(probe), "handoff", str(path), "-f", fmt]
        t0 = time.perf_counter()
        done = subprocess.run(
            [*command, "--as-of", "2026-04-15"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        walls.append(time.perf_counter() - t0)
        if done.returncode not in (0, 1):
            raise SystemExit(f"roleplan handoff exited {done.returncode}")
        peaks.append(int(probe.read_text()) // 1024)  # kB
    return min(walls), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--format", default="json", choices=("json", "csv", "markdown", "table"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        raise SystemExit("needs Linux: peak RSS is read from /proc/self/status")
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for deals in (args.small, args.deals):
            path = Path(tmp) / f"deals-{deals}.csv"
            write_export(path, deals)
            wall, rss = run(path, args.format, args.repeat, Path(tmp) / "peak")
            size = path.stat().st_size / 1_048_576
            results.append((deals, rss))
            print(
                f"{deals:>8,} deals ({size:.1f} MiB) -f {args.format}: wall {wall:.2f} s, "
                f"{deals / wall:,.0f} deals/s, peak RSS {rss} MiB (best of {args.repeat})"
            )
        (small, rss_small), (big, rss_big) = results
        print(f"peak RSS grows {rss_big - rss_small} MiB from {small:,} to {big:,} deals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
