"""Time `roleplan plan`, `cost` and `diff` on a plan of 40 quarters x 10 teams (target: well under a second each).

Run: python bench/planning.py [--repeat N]. Prints the in-process median of each command's work after
imports (load + validate + compute + JSON report; `plan --write` adds the round-trip YAML writer) and exits
1 on a missed target. The plan is bench/check.py's, so the figures sit beside `check`'s.
"""

from __future__ import annotations

import argparse
import datetime
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
#: `plan --write` adds ruamel.yaml's round trip, pure Python: on this 36 KB plan its load alone takes ~0.75 s
#: and its dump ~0.45 s, so it gets its own target.
TARGET_WRITE_S = 2.5


def _median(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm: imports, the Pydantic adapter, the benchmarks
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from roleplan.benchmarks import load_benchmarks
    from roleplan.core.check import check_plan
    from roleplan.core.cost import cost_plan
    from roleplan.core.diff import diff_plans
    from roleplan.core.plan import fill_plan
    from roleplan.loaders.plan import load_for_planning
    from roleplan.loaders.plan_write import Value, fill_text
    from roleplan.report.diff import json_report as diff_json
    from roleplan.report.planning import cost_json, plan_json

    bench = load_benchmarks()
    today = datetime.date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.roleplan.yaml"
        head = Path(tmp) / "head.roleplan.yaml"
        text = big_plan()
        base.write_text(text, encoding="utf-8")
        # HEAD: every team's AEs one higher from the 20th quarter on
        changed = [
            line.replace("{aes: ", "{aes: 1", 1) if "2032-" in line or "2033-" in line else line
            for line in text.splitlines(keepends=True)
        ]
        head.write_text("".join(changed), encoding="utf-8")
        size = base.stat().st_size

        def plan() -> str:
            loaded = load_for_planning(base, need_aes=True)
            assert loaded.plan is not None
            return plan_json(fill_plan(loaded.plan, bench, file=loaded.file))

        def plan_write() -> str:
            loaded = load_for_planning(base, need_aes=True)
            assert loaded.plan is not None
            filled = fill_plan(loaded.plan, bench, file=loaded.file)
            values = [Value(team=r.team_index, quarter=r.quarter, ses=r.ses, sas=r.sas) for r in filled.rows]
            return fill_text(loaded.doc.text, values, source=loaded.file).text

        def cost() -> str:
            loaded = load_for_planning(base)
            assert loaded.plan is not None
            return cost_json(cost_plan(loaded.plan, bench, file=loaded.file))

        def diff() -> str:
            b, h = load_for_planning(base), load_for_planning(head)
            assert b.plan is not None and h.plan is not None
            return diff_json(
                diff_plans(
                    base_file=b.file,
                    head_file=h.file,
                    company=h.plan.company.name,
                    base_findings=check_plan(b.plan, bench, file=b.file, line_of=b.line_of, today=today),
                    head_findings=check_plan(h.plan, bench, file=h.file, line_of=h.line_of, today=today),
                    base_cost=cost_plan(b.plan, bench, file=b.file),
                    head_cost=cost_plan(h.plan, bench, file=h.file),
                    fail_on="new-error",
                )
            )

        results = {
            "plan": _median(plan, args.repeat),
            "plan --write": _median(plan_write, args.repeat),
            "cost": _median(cost, args.repeat),
            "diff": _median(diff, args.repeat),
        }
    print(
        f"plan: 40 quarters x 10 teams ({size:,} bytes); in-process median of {args.repeat} runs after a warm-up"
    )
    targets = {name: TARGET_WRITE_S if name == "plan --write" else TARGET_S for name in results}
    for name, seconds in results.items():
        print(f"  {name:<13} {seconds * 1000:7.1f} ms (target < {targets[name] * 1000:.0f} ms)")
    ok = all(results[name] < targets[name] for name in results)
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
