"""Time `roleplan check` on a plan of 40 quarters x 10 teams (target: well under a second).

Run: python bench/check.py [--repeat N]. Prints the in-process time of each stage (YAML, validation, rules,
report) and the CPU and wall time of the whole command in a fresh interpreter; exits 1 on a missed target.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: In-process: parse + validate + check + JSON report of the big plan, after imports.
TARGET_IN_PROCESS_S = 0.25
#: CPU time of `python -m roleplan check plan.yaml --format json`, interpreter start included.
TARGET_CLI_S = 1.0
SEGMENTS = ("mid-market", "enterprise", "platform")


def big_plan(quarters: int = 40, teams: int = 10) -> str:
    """A plan with every rule family exercised: some quarters pass, some break a band."""
    lines = [
        "company: {name: Bench Co, stage: seriesC, motion: product, arr: 40M}",
        "metrics: {days_to_first_value: 130, deployed_at_renewal: 0.8, enterprise_customers_live: 9}",
        "teams:",
    ]
    for t in range(teams):
        lines += [f"  - segment: {SEGMENTS[t % 3]}", f"    name: team {t}", "    quarters:"]
        for q in range(quarters):
            year, quarter = 2027 + q // 4, q % 4 + 1
            aes = 4 + (q + t) % 9
            ses = 1 + (q * t) % 4
            sas = (q + 2 * t) % 3
            lines.append(
                f"      {year}-Q{quarter}: {{aes: {aes}, ses: {ses}, sas: {sas}, "
                f"strategic_accounts: {(q * 3 + t) % 25}, commercial_accounts: {(q * 7 + t) % 60}}}"
            )
    lines += [
        "ignore:",
        "  - {rule: RP104, reason: ramping class}",
        "  - {rule: RP101, segment: enterprise, quarter: 2027-Q3, reason: hires signed}",
    ]
    return "\n".join(lines) + "\n"


def in_process(path: Path, repeat: int) -> tuple[float, dict[str, float], int]:
    from roleplan.benchmarks import load_benchmarks
    from roleplan.core.check import check_plan, summarize
    from roleplan.loaders.plan import load_plan, validate
    from roleplan.models.findings import CheckedFile
    from roleplan.report.check import json_report
    from roleplan.yamlio import load_yaml_file

    bench = load_benchmarks()
    load_plan(path)  # warm: imports and the Pydantic adapter
    totals: list[float] = []
    stages: dict[str, list[float]] = {"yaml": [], "validate": [], "rules": [], "report": []}
    findings_count = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = load_yaml_file(path)
        t1 = time.perf_counter()
        loaded = validate(doc)
        t2 = time.perf_counter()
        assert loaded.plan is not None, loaded.problems[:3]
        findings = check_plan(
            loaded.plan, bench, file=loaded.file, line_of=loaded.line_of, today=datetime.date(2026, 11, 23)
        )
        result = summarize([CheckedFile(file=loaded.file, valid=True)], findings, "error")
        t3 = time.perf_counter()
        json_report(result)
        t4 = time.perf_counter()
        for key, value in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[key].append(value)
        totals.append(t4 - t0)
        findings_count = len(findings)
    return statistics.median(totals), {k: statistics.median(v) for k, v in stages.items()}, findings_count


def cli(path: Path, repeat: int) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of the whole command in a fresh interpreter.

    The CPU time is what the target is checked against: on a shared machine the wall time mostly measures
    the other processes.
    """
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    cmd = [sys.executable, "-m", "roleplan", "check", str(path), "--format", "json", "--fail-on", "never"]
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm up: compile the modules
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def import_baseline(repeat: int) -> float:
    """Wall time of importing the dependencies any roleplan command needs: context for the CLI number."""
    cmd = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.roleplan.yaml"
        path.write_text(big_plan(), encoding="utf-8")
        size = path.stat().st_size
        total, stages, found = in_process(path, args.repeat)
        wall, cpu = cli(path, args.repeat)
        baseline = import_baseline(args.repeat)
    detail = ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in stages.items())
    print(f"plan: 40 quarters x 10 teams ({size:,} bytes), {found} findings")
    print(f"in-process: {total * 1000:.1f} ms (target < {TARGET_IN_PROCESS_S * 1000:.0f} ms) [{detail}]")
    print(
        f"CLI end to end: {cpu * 1000:.0f} ms CPU (target < {TARGET_CLI_S * 1000:.0f} ms), "
        f"{wall * 1000:.0f} ms wall; importing typer, rich, pydantic and yaml alone takes "
        f"{baseline * 1000:.0f} ms wall here"
    )
    ok = total < TARGET_IN_PROCESS_S and cpu < TARGET_CLI_S
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
