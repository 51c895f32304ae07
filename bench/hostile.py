"""Each hostile input of issue #17 through the real CLI, at 1 MB: python bench/hostile.py [--size BYTES].

Prints one row per case: the wall time of the whole `roleplan` process, its exit code and the first line it
wrote to stderr. Done means every case ends within a few seconds with a clean result or a one-line error
(exit codes per the README) and no traceback. Exits 1 when a case takes longer than LIMIT seconds, shows
a traceback, or is killed. The inputs come from tests/hostile/inputs.py (generated, never stored).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import inputs  # noqa: E402  (after the path: the bench runs from a checkout)

LIMIT = 10.0  # seconds per case; a quadratic reducer takes minutes at 1 MB
KILL = 60.0


class Case:
    """A name and how to run it: the argv after `roleplan`, files to write first, an env change, a shell pipe."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        files: dict[str, Callable[[int], bytes]] | None = None,
        *,
        env: dict[str, str | None] | None = None,
        pipe: str | None = None,
        stdin: Callable[[int], bytes] | None = None,
    ) -> None:
        self.name, self.argv, self.files, self.env, self.pipe, self.stdin = (
            name,
            argv,
            files or {},
            env,
            pipe,
            stdin,
        )


def cases() -> list[Case]:
    out = [
        Case(name, ["classify", fname, "-f", "jsonl"], {fname: make})
        for name, fname, make in inputs.TEXT_CASES
    ]
    out.append(Case("stdin <script x n", ["classify", "-", "-f", "jsonl"], stdin=inputs.text_script_opens))
    out.append(
        Case(
            "jsonl: 1,000 records, one hostile",
            ["classify", "b.jsonl", "-f", "jsonl"],
            {"b.jsonl": inputs.jsonl_one_hostile_record},
        )
    )
    window = ["--from", "2026-03-01", "--to", "2026-03-31", "-f", "json"]
    out += [
        Case(name, ["calendar", fname, *window], {fname: make}) for name, fname, make in inputs.CALENDAR_CASES
    ]
    return out


def run(case: Case, size: int, work: Path) -> tuple[float, int | str, str]:
    for name, make in case.files.items():
        (work / name).write_bytes(make(size))
    env = dict(os.environ)
    for key, value in (case.env or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    cmd = [sys.executable, "-m", "roleplan", *case.argv]
    data = case.stdin(size) if case.stdin is not None else b""
    began = time.perf_counter()
    try:
        if case.pipe is not None:
            line = " ".join(f"'{a}'" for a in cmd) + " | " + case.pipe
            proc = subprocess.run(
                ["bash", "-o", "pipefail", "-c", line],
                cwd=work,
                env=env,
                input=data,
                capture_output=True,
                timeout=KILL,
            )
        else:
            proc = subprocess.run(cmd, cwd=work, env=env, input=data, capture_output=True, timeout=KILL)
    except subprocess.TimeoutExpired:
        return KILL, "killed", f"still running after {KILL:.0f} s"
    took = time.perf_counter() - began
    err = proc.stderr.decode(errors="replace")
    first = "traceback" if "Traceback" in err else (err.splitlines() or [""])[0]
    return took, proc.returncode, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of hostile input per case")
    parser.add_argument("-k", default="", help="only the cases whose name contains this")
    args = parser.parse_args()
    bad = 0
    print(f"{'case':<40} {'seconds':>8} {'exit':>6}  stderr (first line)")
    for case in cases():
        if args.k not in case.name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            took, code, first = run(case, args.size, Path(tmp))
        ok = took < LIMIT and first != "traceback" and code != "killed"
        bad += not ok
        shown = first if len(first) <= 90 else first[:87] + "..."
        print(f"{case.name:<40} {took:8.2f} {code!s:>6}  {shown}{'' if ok else '   <-- FAIL'}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
