"""Each hostile input of issue #17 through the real CLI, at 1 MB: python bench/hostile.py [--size BYTES].

Prints one row per case: the wall time of the whole `roleplan` process, its peak memory (max RSS), its exit
code and the first line it wrote to stderr. Every row of the issue's table has a case (the calendar row with
1,000,000 EXDATE lines at its own 25 MB; the edges, which do not scale, at their natural size; a cache
no longer exists, so there is none to corrupt). Done means every case ends within a few seconds with a
clean result or a one-line error (exit codes per the README) and no traceback. Exits 1 when a case takes
longer than LIMIT seconds, shows a traceback, is killed, or leaves something wrong behind (marked `!`).
The inputs come from tests/hostile/inputs.py (generated, never stored).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import inputs  # noqa: E402  (after the path: the bench runs from a checkout)

LIMIT = 10.0  # seconds per case; a quadratic reducer takes minutes at 1 MB
KILL = 60.0


class Case:
    """A name and how to run it: the argv after `roleplan`, files to write first (maker(size) -> bytes), an
    env change, shell text after the command (`| head -1`, `> /dev/full`), stdin, SIGTERM once the output's
    temp file exists, and `after(work)`: what is wrong with the folder afterwards (None when nothing)."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        files: Mapping[str, Callable[[int], bytes]] | None = None,
        *,
        env: dict[str, str | None] | None = None,
        shell: str | None = None,
        stdin: Callable[[int], bytes] | None = None,
        term: bool = False,
        after: Callable[[Path], str | None] | None = None,
    ) -> None:
        self.name, self.argv, self.files, self.env = name, argv, files or {}, env
        self.shell, self.stdin, self.term, self.after = shell, stdin, term, after


_NO_PASSWD = "import os, pwd\ndef _gone(*a):\n    raise KeyError(os.getuid())\npwd.getpwuid = _gone\n"


def _nothing_in(folder: str) -> Callable[[Path], str | None]:
    def check(work: Path) -> str | None:
        left = sorted(p.name for p in (work / folder).iterdir())
        return f"left behind: {', '.join(left)}" if left else None

    return check


def _no_plan(work: Path) -> str | None:
    return "roleplan.yaml was written" if (work / "roleplan.yaml").exists() else None


def cases() -> list[Case]:
    batch = {"big.jsonl": inputs.jsonl_batch}
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
    out.append(
        Case(
            "ics 1,000,000 EXDATE lines (25 MB)",
            ["calendar", "m.ics", *window],
            {"m.ics": lambda _: inputs.ics_many_exdates(25_000_000)},
        )
    )
    out += [
        Case(name, ["calendar", fname, *window], {fname: make}) for name, fname, make, _ in inputs.ZONE_CASES
    ]
    out += [
        Case(
            "classify -f jsonl | head -1", ["classify", "big.jsonl", "-f", "jsonl"], batch, shell="| head -1"
        ),
        Case("comp --help | head -1", ["comp", "--help"], shell="| head -1"),
        Case("classify > /dev/full", ["classify", "big.jsonl", "-f", "jsonl"], batch, shell="> /dev/full"),
        Case("classify -o /dev/full --force", ["classify", "big.jsonl", "-o", "/dev/full", "--force"], batch),
    ]
    for name in ("classify", "staff", "check"):
        argv = {
            "classify": ["classify", "big.jsonl", "-f", "jsonl"],
            "staff": ["staff", "--stage", "seriesB", "--aes", "10"],
            "check": ["check", "plan.yaml"],
        }[name]
        files = {**batch, "plan.yaml": inputs.starter_plan}
        out.append(Case(f"{name}, HOME unset", argv, files, env={"HOME": None}))
        out.append(
            Case(
                f"{name}, no HOME, uid without passwd entry",
                argv,
                {**files, "site/sitecustomize.py": lambda _: _NO_PASSWD.encode()},
                env={"HOME": None, "PYTHONPATH": "site"},
            )
        )
    overflow = {"o.yaml": lambda _: b"classify:\n  decision:\n    negation_window: 99999999999999999999\n"}
    out += [
        Case(
            "benchmarks validate: 1e20 window", ["benchmarks", "validate", "--benchmarks", "o.yaml"], overflow
        ),
        Case(
            "classify --benchmarks: 1e20 window",
            ["classify", "big.jsonl", "--benchmarks", "o.yaml"],
            {**batch, **overflow},
        ),
        Case(
            "init, roleplan.schema.json a folder",
            ["init"],
            {"roleplan.schema.json/": lambda _: b""},
            after=_no_plan,
        ),
        Case(
            "csv: unterminated quote",
            ["classify", "q.csv", "-f", "jsonl"],
            {"q.csv": inputs.csv_unterminated_quote},
        ),
        Case(
            "csv: lines ending in CR alone",
            ["classify", "m.csv", "-f", "jsonl"],
            {"m.csv": lambda size: inputs.csv_unterminated_quote().replace(b"\n", b"\r")},
        ),
        Case(
            "plan: 30,000 quarters (1 MB), cost", ["cost", "q.yaml"], {"q.yaml": inputs.plan_of_many_quarters}
        ),
        Case(
            "SIGTERM during an -o write",
            ["classify", "big.jsonl", "-f", "jsonl", "-o", "out/r.jsonl"],
            {**batch, "out/": lambda _: b""},
            term=True,
            after=_nothing_in("out"),
        ),
    ]
    return out


def run(case: Case, size: int, work: Path) -> tuple[float, int | str, float, str]:
    """Wall seconds, exit code ("killed" after KILL s), peak MiB of the process, first line of stderr."""
    # the inputs are made by a child process: a fork inherits its parent's peak RSS, which would then show
    # in every later case's figure
    make = [sys.executable, __file__, "--make", case.name, "--size", str(size), "--into", str(work)]
    subprocess.run(make, check=True)
    env = dict(os.environ)
    for key, value in (case.env or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    cmd = [sys.executable, "-m", "roleplan", *case.argv]
    if case.shell is not None:  # the shell's rusage includes the roleplan process it waited for
        cmd = ["bash", "-o", "pipefail", "-c", shlex.join(cmd) + " " + case.shell]
    data = case.stdin(size) if case.stdin is not None else b""
    err_path = work / ".stderr"
    began = time.perf_counter()
    with err_path.open("wb") as err_fh:
        proc = subprocess.Popen(
            cmd, cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err_fh
        )
        killer = threading.Timer(KILL, proc.kill)
        killer.start()
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(data)
        proc.stdin.close()
        if case.term:  # SIGTERM once the atomic write's temp file exists
            while not any(p.suffix == ".tmp" for p in (work / "out").iterdir()):
                if time.perf_counter() - began > KILL:
                    break
                time.sleep(0.01)
            proc.send_signal(signal.SIGTERM)
        _, status, usage = os.wait4(proc.pid, 0)
        killer.cancel()
    took = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    code: int | str = "killed" if took >= KILL else proc.returncode
    err = err_path.read_text(errors="replace")
    err_path.unlink()
    first = "traceback" if "Traceback" in err else (err.splitlines() or [""])[0]
    if case.after is not None:
        wrong = case.after(work)
        if wrong:
            first, code = f"{wrong}; {first}", f"{code}!"
    return took, code, usage.ru_maxrss / 1024, first


def write_inputs(name: str, size: int, work: Path) -> None:
    case = next(c for c in cases() if c.name == name)
    for file, make in case.files.items():
        if file.endswith("/"):  # a folder
            (work / file).mkdir(parents=True, exist_ok=True)
        else:
            (work / file).parent.mkdir(parents=True, exist_ok=True)
            (work / file).write_bytes(make(size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of hostile input per case")
    parser.add_argument("-k", default="", help="only the cases whose name contains this")
    parser.add_argument("--make", help=argparse.SUPPRESS)  # internal: write one case's inputs --into DIR
    parser.add_argument("--into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        write_inputs(args.make, args.size, args.into)
        return 0
    bad = 0
    print(f"{'case':<42} {'seconds':>7} {'MiB':>5} {'exit':>5}  stderr (first line)")
    for case in cases():
        if args.k not in case.name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            took, code, peak, first = run(case, args.size, Path(tmp))
        ok = took < LIMIT and first != "traceback" and isinstance(code, int)
        bad += not ok
        shown = first if len(first) <= 90 else first[:87] + "..."
        line = f"{case.name:<42} {took:7.2f} {peak:5.0f} {code!s:>5}  {shown}{'' if ok else '   <-- FAIL'}"
        print(line, flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
