"""Time `roleplan plan`, `plan --write`, `cost` and `diff` on a plan of 40 quarters x 10 teams (target: well
under a second each).

Run: python bench/planning.py [--repeat N]. Each command runs through the real CLI in process (Typer's
CliRunner, as the tests do), after a warm-up run that pays the imports: the median of N runs is what a
command costs past Python's start-up (CPU time is held to the target: the wall time on a shared machine
also holds other people's work) — load, validate, compute, report (`-f json`), and for `plan --write`
the text writer, reading the written plan back and checking it. Exits 1 on a missed target. The plan is
bench/check.py's, so the figures sit beside `check`'s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import big_plan

#: Each command's in-process work on the big plan (the issue: well under a second).
TARGET_S = 0.5


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `fn` (CPU time is what the machine's other load does not inflate)."""
    fn()  # warm: imports, the Pydantic adapter, the benchmarks
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from typer.testing import CliRunner

    from roleplan.cli.app import app

    runner = CliRunner()

    def cli(*argv: str, code: int = 0) -> Callable[[], object]:
        def call() -> object:
            result = runner.invoke(app, list(argv), catch_exceptions=False)
            if result.exit_code != code:
                raise SystemExit(
                    f"roleplan {' '.join(argv)} exited {result.exit_code}: {result.output[-500:]}"
                )
            return result

        return call

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.roleplan.yaml"
        head = Path(tmp) / "head.roleplan.yaml"
        work = Path(tmp) / "work.roleplan.yaml"
        text = big_plan()
        base.write_text(text, encoding="utf-8")
        # HEAD: every team's AEs one higher from the 20th quarter on
        changed = [
            line.replace("{aes: ", "{aes: 1", 1) if "2032-" in line or "2033-" in line else line
            for line in text.splitlines(keepends=True)
        ]
        head.write_text("".join(changed), encoding="utf-8")
        size = base.stat().st_size
        write = cli("plan", str(work), "--write", "-f", "json")

        def plan_write() -> object:
            shutil.copyfile(base, work)  # a fresh unfilled copy each time (~0.1 ms): every value is written
            return write()

        results = {
            "plan": _median(cli("plan", str(base), "-f", "json"), args.repeat),
            "plan --write": _median(plan_write, args.repeat),
            "cost": _median(cli("cost", str(base), "-f", "json"), args.repeat),
            "diff": _median(
                cli("diff", str(base), str(head), "-f", "json", "--fail-on", "never"), args.repeat
            ),
        }
    print(
        f"plan: 40 quarters x 10 teams ({size:,} bytes); through the CLI in process, median of {args.repeat} "
        "runs after a warm-up"
    )
    for name, (wall, cpu) in results.items():
        print(
            f"  {name:<13} {cpu * 1000:6.1f} ms CPU, {wall * 1000:6.1f} ms wall (target < {TARGET_S * 1000:.0f} ms CPU)"
        )
    ok = all(cpu < TARGET_S for _, cpu in results.values())
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
