"""Re-run every `$ roleplan ...` example in README.md and paste its real output under it.

    python scripts/update_readme.py          # rewrite README.md in place
    python scripts/update_readme.py --check  # exit 1 when an example's output is stale

Examples live in ```console fences: a `$ roleplan ...` line, then the output up to the next `$` line or the
fence end. Python examples live in ```pycon fences (`>>>` and `...` lines, run in one namespace for the
whole README, in order). An example whose input lies beside the repository (`../shared/...`) and is absent
keeps its output. Commands run in-process through Typer's CliRunner, 120 columns, no colour, from the repo
root.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"(```console\n)(.*?)(```)", re.S)
PYCON = re.compile(r"(```pycon\n)(.*?)(```)", re.S)


def run_example(command: str) -> str:
    from typer.testing import CliRunner

    from roleplan.cli.app import app

    args = shlex.split(command)[1:]  # drop "roleplan"
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    out = result.stdout + (result.stderr if result.exit_code else "")
    return "\n".join(line.rstrip() for line in out.rstrip("\n").splitlines()) + "\n"


def render_block(body: str) -> str:
    out, lines, i = [], body.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.startswith("$ roleplan "):
            continue
        out.append(line + "\n")
        old = []
        while i < len(lines) and not lines[i].startswith("$ "):
            old.append(lines[i] + "\n")
            i += 1
        # an example reading data beside the repository (../shared/...) keeps its output where that is absent
        outside = [a for a in shlex.split(line[2:]) if a.startswith("../") and not Path(a).exists()]
        out.append("".join(old) if outside else run_example(line[2:]))
    return "".join(out)


def run_python_block(body: str, namespace: dict[str, object]) -> str:
    """Re-run a ```pycon block's `>>>` statements in one namespace and put their real output under them.

    A block whose imports are missing (e.g. pandas outside the test extra) keeps its output.
    """
    import contextlib
    import io

    statements: list[list[str]] = []
    for line in body.splitlines():
        if line.startswith(">>> "):
            statements.append([line])
        elif line.startswith("... ") or line == "...":
            statements[-1].append(line)
    out = []
    for lines in statements:
        source = "\n".join(line[4:] for line in lines) + "\n"
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                exec(compile(source, "<README>", "single"), namespace)
        except ModuleNotFoundError:
            return body
        out.append(
            "\n".join(lines) + "\n" + "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())
        )
    return "".join(out)


def render(text: str) -> str:
    text = FENCE.sub(lambda m: m.group(1) + render_block(m.group(2)) + m.group(3), text)
    namespace: dict[str, object] = {"__name__": "__readme__"}  # shared by the README's fences, in order
    return PYCON.sub(lambda m: m.group(1) + run_python_block(m.group(2), namespace) + m.group(3), text)


def main() -> int:
    os.environ.update({"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
    os.environ.pop("ROLEPLAN_BENCHMARKS", None)
    os.environ.pop("LINES", None)  # classify's table-or-summary choice follows it
    os.chdir(ROOT)
    readme = ROOT / "README.md"
    current = readme.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md examples are stale: run python scripts/update_readme.py", file=sys.stderr)
            return 1
        return 0
    readme.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
