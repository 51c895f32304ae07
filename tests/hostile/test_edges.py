"""The edges of #17: closed pipes, full disks, no home directory, init's two targets, broken CSV quotes,
temp files on a failed write. Real processes where the edge is the process's own stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roleplan.atomic import write_atomic
from roleplan.errors import InputError
from tests.conftest import Run

_ROLEPLAN = [sys.executable, "-m", "roleplan"]


def _batch(tmp_path: Path, n: int = 5000) -> Path:
    path = tmp_path / "big.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(i), "text": "Run demos for prospects."}) + "\n" for i in range(n))
    )
    return path


@pytest.mark.parametrize(
    "argv", [["classify", "{batch}", "-f", "jsonl"], ["comp", "--help"], ["--help"], ["classify", "{batch}"]]
)
def test_a_closed_pipe_exits_0_quietly(tmp_path: Path, argv: list[str]) -> None:
    batch = _batch(tmp_path)
    cmd = " ".join(["'" + a + "'" for a in _ROLEPLAN] + [a.format(batch=batch) for a in argv])
    proc = subprocess.run(
        ["bash", "-c", f"{cmd} | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip() == "0", proc
    assert proc.stderr == "", proc


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv",
    [
        ["classify", "{batch}", "-f", "csv"],
        ["staff", "--stage", "seriesB", "--aes", "10"],
        ["staff", "--help"],
    ],
)
def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path, argv: list[str]) -> None:
    batch = _batch(tmp_path, 50)
    with Path("/dev/full").open("w") as full:
        proc = subprocess.run(
            [*_ROLEPLAN, *(a.format(batch=batch) for a in argv)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2, proc
    assert proc.stderr == "roleplan: error: cannot write the output: No space left on device\n"


_NO_PASSWD = "import os, pwd\ndef _gone(*a):\n    raise KeyError(os.getuid())\npwd.getpwuid = _gone\n"


@pytest.mark.parametrize("passwd", [True, False], ids=["HOME unset", "HOME unset, uid without passwd entry"])
@pytest.mark.parametrize(
    "argv", [["staff", "--stage", "seriesB", "--aes", "10"], ["classify", "-"], ["check", "{plan}"]]
)
def test_no_home_directory_is_not_a_crash(tmp_path: Path, argv: list[str], passwd: bool) -> None:
    plan = tmp_path / "p.yaml"
    subprocess.run([*_ROLEPLAN, "init", str(plan)], check=True, capture_output=True, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"HOME", "XDG_CACHE_HOME", "USERPROFILE"}}
    if not passwd:  # getpwuid fails as for a uid in no passwd file (a container's arbitrary uid)
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(_NO_PASSWD)
        env["PYTHONPATH"] = str(site)
        probe = [sys.executable, "-c", "import pathlib; pathlib.Path.home()"]
        assert (
            b"Could not determine home directory"
            in subprocess.run(probe, env=env, capture_output=True).stderr
        )
    proc = subprocess.run(
        [*_ROLEPLAN, *(a.format(plan=plan) for a in argv)],
        input="Run demos.",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc  # the starter plan passes check; the posting classifies
    assert proc.stderr == "" and proc.stdout


def test_init_checks_both_targets_before_writing_either(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roleplan.schema.json").mkdir()
    r = run("init")
    assert r.code == 2 and "roleplan.schema.json: exists and is not a file" in r.err, r
    assert not (tmp_path / "roleplan.yaml").exists()


def test_an_unterminated_csv_quote_is_an_error_with_its_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text('id,text\n1,Run demos\n2,"Lead POCs\n3,Plan migrations\n4,Go-live\n')
    r = run("classify", str(path), "-f", "jsonl")
    assert r.code == 2, r
    assert f"{path}:3: unterminated quoted field" in r.err and r.err.count("\n") == 1


def test_a_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(InputError, match="No space left on device"):  # one line for the user
        write_atomic(tmp_path / "out.txt", "x" * 100_000, overwrite=False)
    assert list(tmp_path.iterdir()) == []


def test_no_pickle_and_no_cache_to_corrupt() -> None:
    import roleplan

    src = Path(roleplan.__file__).parent
    offenders = [
        p for p in src.rglob("*.py") if "import pickle" in p.read_text() or "pickle.load" in p.read_text()
    ]
    assert offenders == []


# --- -o onto something that is not a regular file ----------------------------------------------------
# (through a link or a FIFO in tmp_path: if this regressed, no device node of the machine is replaced)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_to_a_device_is_written_in_place_not_replaced(run: Run, tmp_path: Path) -> None:
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    r = run("staff", "--stage", "seriesB", "--aes", "10", "-o", str(link), "--force")
    assert r.code == 2 and r.err == f"roleplan: error: {link}: cannot write: No space left on device\n", r
    assert link.is_symlink() and list(tmp_path.iterdir()) == [link]  # no temp file, the link untouched


def test_output_to_a_named_pipe_needs_no_force_and_keeps_the_pipe(run: Run, tmp_path: Path) -> None:
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    r = run("staff", "--stage", "seriesB", "--aes", "10", "-f", "json", "-o", str(fifo))
    reader.join(timeout=30)
    assert r.code == 0, r
    assert json.loads(got[0])["inputs"]["stage"] == "seriesB"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_through_a_symlink_replaces_its_target_and_keeps_the_link(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    assert run("staff", "--stage", "seriesB", "--aes", "10", "-f", "json", "-o", str(link)).code == 2
    r = run("staff", "--stage", "seriesB", "--aes", "10", "-f", "json", "-o", str(link), "--force")
    assert r.code == 0, r
    assert link.is_symlink() and json.loads(target.read_text())["inputs"]["stage"] == "seriesB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


# --- signals: SIGTERM / SIGHUP remove the temp file and stop the workers ---------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(
    ("signame", "jobs"), [("SIGTERM", "1"), ("SIGHUP", "2"), ("SIGTERM", "2"), ("SIGINT", "2")]
)
def test_a_terminated_write_leaves_no_temp_file_and_no_worker(
    tmp_path: Path, signame: str, jobs: str
) -> None:
    import signal
    import time

    batch = tmp_path / "in.jsonl"
    batch.write_text(
        "".join(
            json.dumps({"id": str(i), "text": f"Run demos number {i} for prospects; partner with AEs."})
            + "\n"
            for i in range(400_000)
        )
    )
    out = tmp_path / "out" / "r.jsonl"
    out.parent.mkdir()
    script = Path(sys.executable).with_name(
        "roleplan"
    )  # the console script: its main() installs the handlers
    err = tmp_path / "stderr.txt"
    with err.open("wb") as err_fh:
        proc = subprocess.Popen(
            [str(script), "classify", str(batch), "-f", "jsonl", "--jobs", jobs, "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=err_fh,
            start_new_session=True,
            # as at a terminal: a shell's background job (`land.sh &`) passes SIGINT on ignored
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    deadline = time.monotonic() + 60
    while not list(out.parent.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "finished before the signal: make the batch longer"
    time.sleep(0.3)  # well inside the write
    proc.send_signal(getattr(signal, signame))
    proc.wait(timeout=60)
    if signame == "SIGINT":  # Ctrl-C: unwound, exit 130 (Typer's code for it)
        assert proc.returncode == 130
    else:
        assert proc.returncode == -getattr(signal, signame)  # it died of the signal, as the caller asked
    assert list(out.parent.iterdir()) == []  # no result and no temp file
    left = ["?"]
    deadline = time.monotonic() + 10  # multiprocessing's helpers exit once the workers are gone
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        ps = ["pgrep", "-a", "-s", str(proc.pid)]
        left = subprocess.run(ps, capture_output=True, text=True).stdout.splitlines()
    for line in left:  # clean up before failing
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert left == []  # no --jobs worker outlived it
    # nothing on stderr: no traceback, and no "resource_tracker: ... leaked semaphore objects" warning from
    # the stdlib's tracker (which outlives this process and ends once the workers are gone)
    assert err.read_text() == ""


def test_a_worker_that_dies_is_one_line_not_a_traceback() -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from roleplan.cli.parallel import _drain
    from roleplan.errors import RoleplanError

    future: Future[list[object]] = Future()
    future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
    with pytest.raises(RoleplanError, match=r"a worker process stopped .* try --jobs 1"):
        list(_drain(([], future), lambda rec: None))


def test_a_csv_with_lines_ending_in_cr_alone_is_read_row_by_row(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"  # Excel's "CSV (Macintosh)"; a quoted field may hold a CR line break too
    path.write_bytes(b'id,text\r1,"Run demos\rand POCs"\r2,Plan migrations\r3,"never closed\r4,x\r')
    r = run("classify", str(path), "-f", "jsonl")
    assert [json.loads(line)["id"] for line in r.out.splitlines()] == ["1", "2"]
    assert (
        r.code == 2
        and r.err
        == f"roleplan: error: {path}:5: unterminated quoted field: the quote opened in this record is never closed\n"
    )


def test_a_json_number_too_long_to_read_is_one_plain_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": ' + "9" * 5000 + ', "text": "Run demos"}\n')
    r = run("classify", str(path), "-f", "jsonl")
    assert (
        r.code == 2
        and r.err == f"roleplan: error: {path}:1: malformed JSON: a number of more than 4300 digits\n"
    )


def test_a_calendar_with_lines_ending_in_cr_alone_is_read(run: Run, tmp_path: Path) -> None:
    from tests.hostile.inputs import ics_interval_zero

    path = tmp_path / "mac.ics"
    path.write_bytes(ics_interval_zero().replace(b"\r\n", b"\r"))
    r = run("calendar", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "-f", "json")
    assert r.code == 0 and json.loads(r.out)["events_counted"] == 1, r


def _plan_of(quarters: int) -> str:
    from roleplan.loaders.plan import starter_text

    head = starter_text().split("teams:")[0]
    rows = "".join(f"      {2027 + i // 4}-Q{i % 4 + 1}: {{aes: 6, ses: 2}}\n" for i in range(quarters))
    return head + "teams:\n  - segment: mid-market\n    quarters:\n" + rows


def test_a_plan_of_thirty_thousand_quarters_is_refused_in_one_line(run: Run, tmp_path: Path) -> None:
    from roleplan.models.plan import MAX_QUARTERS

    big = tmp_path / "big.yaml"
    big.write_text(_plan_of(30_000))  # 1 MB: `cost` printed a row per quarter for 35 s
    for command in ("cost", "plan"):
        r = run(command, str(big))
        assert r.code == 2 and r.err.count("\n") == 1, r
        assert f"30,000 quarters; a team may list at most {MAX_QUARTERS}" in r.err
    ok = tmp_path / "ok.yaml"
    ok.write_text(_plan_of(MAX_QUARTERS))
    r = run("cost", str(ok), "-f", "json")
    assert r.code == 0, r
