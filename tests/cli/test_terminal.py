"""classify in a real terminal (a pty for stdout and stderr, as in tmux): the progress bar never mixes with
the results, is cleared before they are written, and a batch longer than a screen is summarised."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run

pty = pytest.importorskip("pty")

TEXTS = (
    "You will run technical demos and proofs of concept for prospects with the Account Executives.",
    "After the contract is signed you lead the implementation, own go-live and drive adoption.",
    "Carry a quota, prospect new accounts and close deals.",
)


def _batch(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"p{i}", "title": "Engineer", "text": TEXTS[i % 3]}) + "\n")
    return path


def _in_pty(*args: str, cwd: Path) -> str:
    """Run roleplan with stdout and stderr on one pseudo-terminal; everything the terminal received."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS", "LINES")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "roleplan", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("roleplan did not finish in a pty")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def _screen_lines(raw: str) -> list[str]:
    """What the terminal shows: a small emulator for what Rich and the tty send (text, CR, LF, cursor up,
    erase line; other control sequences change no text)."""
    rows: list[list[str]] = [[]]
    row = col = 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]", raw):
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
            if row == len(rows):
                rows.append([])
        elif token.startswith("\x1b["):
            if token.endswith("A"):
                row = max(0, row - int(token[2:-1] or 1))
            elif token == "\x1b[2K":
                rows[row] = []
        else:
            line = rows[row]
            line.extend(" " * (col - len(line)))
            if col < len(line):
                line[col] = token
            else:
                line.append(token)
            col += 1
    return ["".join(r).rstrip() for r in rows]


def _first_line(raw: str) -> str:
    return next(line for line in _screen_lines(raw) if line.strip())


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_streamed_results_start_clean_in_a_terminal(tmp_path: Path, fmt: str) -> None:
    batch = _batch(tmp_path / "mine.jsonl", 6)
    raw = _in_pty("classify", str(batch), "-f", fmt, cwd=tmp_path)
    first = _first_line(raw)
    assert first.startswith("id,title,company," if fmt == "csv" else '{"id":"p0"'), repr(raw[:300])
    assert "classifying" not in raw


def test_the_bar_is_cleared_before_the_table(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "mine.jsonl", 6)
    raw = _in_pty("classify", str(batch), cwd=tmp_path)
    assert _first_line(raw).startswith("Role classification"), repr(raw[:300])


def test_the_bar_is_cleared_before_the_summary(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "mine.jsonl", 300)
    raw = _in_pty("classify", str(batch), cwd=tmp_path)
    assert _first_line(raw).startswith("Role classification: 300 records, summarised"), repr(raw[:300])
    assert "-f csv or -f jsonl" in raw


def test_with_output_to_a_file_the_bar_leaves_the_screen_empty(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "mine.jsonl", 6)
    raw = _in_pty("classify", str(batch), "-f", "csv", "-o", "out.csv", cwd=tmp_path)
    assert [line for line in _screen_lines(raw) if line.strip()] == []
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("id,title,company,")


def test_a_warning_while_the_bar_is_drawn_gets_its_own_line(tmp_path: Path) -> None:
    batch = tmp_path / "mine.jsonl"
    batch.write_text(json.dumps({"id": "a", "text": TEXTS[0]}) + "\n{broken\n", encoding="utf-8")
    raw = _in_pty("classify", str(batch), "--skip-bad", "-f", "csv", "-o", "out.csv", cwd=tmp_path)
    shown = [line for line in _screen_lines(raw) if line.strip()]
    assert shown and all(line.startswith("roleplan: ") for line in shown), shown


def test_a_batch_over_a_screenful_is_summarised(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "24")
    batch = _batch(tmp_path / "mine.jsonl", 19)  # 24 lines hold 18 records
    r = run("classify", str(batch))
    lines = r.out.splitlines()
    assert lines[0] == "Role classification: 19 records, summarised (more than a screenful)"
    counts = {m[1]: int(m[2]) for m in re.finditer(r"^(se|sa|other|hybrid) +(\d+) ", r.out, re.M)}
    assert counts == {"se": 7, "sa": 6, "other": 6}
    assert "Lowest confidence (10 records)" in r.out
    assert lines[-1].startswith("Every record, one row each: add -f csv or -f jsonl")
    # one record fewer is the full table
    full = run("classify", str(_batch(tmp_path / "less.jsonl", 18)))
    assert full.out.split("\n")[0].rstrip() == "Role classification" and "p17" in full.out


def test_the_summary_lists_the_lowest_confidence_records_first(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "16")  # 10 records
    batch = _batch(tmp_path / "mine.jsonl", 30)
    rows = json.loads(run("classify", str(batch), "-f", "json").out)
    expected = sorted((r for r in rows if r["confidence"] is not None), key=lambda r: r["confidence"])[:10]
    out = run("classify", str(batch)).out
    low = out[out.index("Lowest confidence") :]
    shown = re.findall(r"^(p\d+) ", low, re.M)
    assert [float(c) for c in re.findall(r" (\d\.\d\d) *$", low, re.M)] == sorted(
        round(r["confidence"], 2) for r in expected
    )
    assert len(shown) == 10
