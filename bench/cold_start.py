"""Cold start: a calculator command's wall time beside importing its dependencies.

Target (issue 13): a calculator's cold start at most 1.5x `python -c "import typer, rich.console, pydantic,
yaml"`. roleplan keeps no cache, so every run is a cold one: it parses the calculators' part of
data/benchmarks.yaml each time and builds it (the dataclasses' own checks; Pydantic only for an override).
Each command runs N times in fresh processes, round-robin with the baseline (so that a slow spell on the
shared machine slows every command alike), and the medians are compared.
Exit 1 when the target is missed.

Both sides run with compiled bytecode, as an installed wheel does (pip compiles it at install): every
process shares a temporary PYTHONPYCACHEPREFIX, filled by one warm-up run of each, whatever
PYTHONDONTWRITEBYTECODE says. Without it, an editable checkout under PYTHONDONTWRITEBYTECODE=1 recompiles
roleplan's modules on every run while the baseline's site-packages come with bytecode.

    python bench/cold_start.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
BASELINE_CODE = "import typer, rich.console, pydantic, yaml"
BASELINE = [sys.executable, "-c", BASELINE_CODE]
ROLEPLAN = [sys.executable, "-m", "roleplan"]
COMMANDS = {
    "staff --stage seriesB --aes 12": [*ROLEPLAN, "staff", "--stage", "seriesB", "--aes", "12"],
    "staff ... -f json": [*ROLEPLAN, "staff", "--stage", "seriesB", "--aes", "12", "-f", "json"],
    "ratio --aes 9 --ses 2 -f json": [*ROLEPLAN, "ratio", "--aes", "9", "--ses", "2", "-f", "json"],
    "comp --role sa --compare": [*ROLEPLAN, "comp", "--role", "sa", "--compare"],
    "capacity --reps 10 --demos-per-rep-week 3": [
        *ROLEPLAN,
        "capacity",
        "--reps",
        "10",
        "--demos-per-rep-week",
        "3",
    ],
}


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache"), "COLUMNS": "100"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("ROLEPLAN_BENCHMARKS", None)
        for cmd in [BASELINE, *COMMANDS.values()]:  # compile every module once
            wall(cmd, env)
        runs: dict[str, list[float]] = {name: [] for name in ["baseline", *COMMANDS]}
        for _ in range(args.runs):
            runs["baseline"].append(wall(BASELINE, env))
            for name, cmd in COMMANDS.items():
                runs[name].append(wall(cmd, env))
    base = statistics.median(runs["baseline"])
    print(f"median of {args.runs} runs each, side by side; target <= {TARGET}x the baseline")
    print(f"{'python -c ' + repr(BASELINE_CODE):56} {base * 1000:7.1f} ms  (baseline)")
    worst = 0.0
    for name in COMMANDS:
        t = statistics.median(runs[name])
        worst = max(worst, t / base)
        print(f"{'roleplan ' + name:56} {t * 1000:7.1f} ms  {t / base:.2f}x")
    ok = worst <= TARGET
    print(f"target: every command <= {TARGET}x baseline — {'met' if ok else 'MISSED'} (worst {worst:.2f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
