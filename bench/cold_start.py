"""Cold start: a calculator command's wall time against importing its dependencies.

Target (issue 2): `roleplan staff ...` costs no more than `python -c "import typer, rich, pydantic, yaml"`.
Runs each command N times in fresh processes, round-robin with the baseline (after one warm-up run that
fills the benchmarks cache, as a user's second run would find it) and compares medians. Exit 1 when the
target is missed.

Both sides run with compiled bytecode, as an installed wheel does (pip compiles it at install): every
process shares a temporary PYTHONPYCACHEPREFIX, filled by the warm-up runs, whatever PYTHONDONTWRITEBYTECODE
says. Without it, an editable checkout under PYTHONDONTWRITEBYTECODE=1 recompiles roleplan's modules on every
run while the baseline's site-packages come with bytecode, which is not a like-for-like comparison.

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

BASELINE = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]
COMMANDS = {
    "staff (table)": [sys.executable, "-m", "roleplan", "staff", "--stage", "seriesB", "--aes", "12"],
    "staff (json)": [
        sys.executable,
        "-m",
        "roleplan",
        "staff",
        "--stage",
        "seriesB",
        "--aes",
        "12",
        "-f",
        "json",
    ],
    "ratio (json)": [sys.executable, "-m", "roleplan", "ratio", "--aes", "9", "--ses", "2", "-f", "json"],
    "comp (table)": [sys.executable, "-m", "roleplan", "comp", "--role", "sa", "--compare"],
}


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("ROLEPLAN_BENCHMARKS", None)
        for cmd in [BASELINE, *COMMANDS.values()]:  # compile every module once, with a throw-away data cache
            wall(cmd, {**env, "ROLEPLAN_CACHE_DIR": str(tmp / "warm-up")})
        env["ROLEPLAN_CACHE_DIR"] = str(tmp / "cache")
        cold_cache = wall(COMMANDS["staff (json)"], env)  # first run ever: validates and fills the cache
        # round-robin, so that a slow spell on the machine slows every command alike
        runs: dict[str, list[float]] = {name: [] for name in ["baseline", *COMMANDS]}
        for _ in range(args.runs):
            runs["baseline"].append(wall(BASELINE, env))
            for name, cmd in COMMANDS.items():
                runs[name].append(wall(cmd, env))
    base = statistics.median(runs["baseline"])
    print(
        f"{'import typer, rich, pydantic, yaml':36} {base * 1000:7.1f} ms  (baseline, median of {args.runs})"
    )
    print(f"{'staff (json), first run, no cache':36} {cold_cache * 1000:7.1f} ms  (one run)")
    worst = 0.0
    for name in COMMANDS:
        t = statistics.median(runs[name])
        worst = max(worst, t)
        print(f"{name:36} {t * 1000:7.1f} ms  ({t / base:.2f}x baseline)")
    ok = worst <= base
    print(f"target: every command <= baseline — {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
