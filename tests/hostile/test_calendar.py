"""Calendars that cannot hang (#17): rules that cannot advance are left out with a note, EXDATE/RDATE
lists are bounded before icalendar makes an object per date."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from roleplan.loaders.calendar_rules import MANY_ZONES, MAX_LISTED_DATES, drop_bad_zones, drop_long_lists
from tests.conftest import Run
from tests.hostile.inputs import (
    CALENDAR_CASES,
    ZONE_CASES,
    ics_interval_zero,
    ics_many_exdates,
    zone_many_unused,
)


@pytest.mark.parametrize(("name", "filename", "make"), CALENDAR_CASES, ids=[c[0] for c in CALENDAR_CASES])
def test_hostile_calendar_gives_a_verdict_and_a_note(
    run: Run, tmp_path: Path, name: str, filename: str, make: Callable[[int], bytes]
) -> None:
    path = tmp_path / filename
    path.write_bytes(make(200_000))
    r = run("calendar", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "-f", "json")
    assert r.code == 0, r
    assert json.loads(r.out)["events_counted"] == 1  # the ordinary event is still read
    assert "left out" in r.err and "Traceback" not in r.err


def test_interval_zero_note_says_why(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "i.ics"
    path.write_bytes(ics_interval_zero())
    r = run("calendar", str(path), "-f", "json")
    assert "recurring event 'Stuck' left out: RRULE INTERVAL=0 cannot advance" in r.err, r


def test_long_exdate_lists_are_dropped_without_an_object_per_date() -> None:
    text = ics_many_exdates(MAX_LISTED_DATES * 25 * 3).decode()
    kept, notes = drop_long_lists(text)
    assert "UID:series" not in kept and "UID:ok" in kept
    assert len(notes) == 1 and "EXDATE/RDATE dates" in notes[0]


def test_a_normal_calendar_is_left_as_it_is() -> None:
    text = ics_many_exdates(25 * 50).decode()
    assert drop_long_lists(text) == (text, [])


# --- VTIMEZONEs: an invite's sender writes them ------------------------------------------------------------


@pytest.mark.parametrize(("name", "filename", "make", "note"), ZONE_CASES, ids=[c[0] for c in ZONE_CASES])
def test_a_hostile_time_zone_is_left_out_with_a_note(
    tmp_path: Path, name: str, filename: str, make: Callable[[int], bytes], note: str | None
) -> None:
    path = tmp_path / filename
    path.write_bytes(make(200_000))
    window = ["--from", "2026-03-01", "--to", "2026-03-31", "-f", "json"]
    # a subprocess with a timeout: before the fix, three of these never returned (a hang guard, not a timing)
    proc = subprocess.run(
        [sys.executable, "-m", "roleplan", "calendar", str(path), *window],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc
    assert json.loads(proc.stdout)["events_counted"] == 2  # both events read, the zoned one too
    assert "Traceback" not in proc.stderr
    if note is None:
        assert proc.stderr == ""
    else:
        assert proc.stderr.count("\n") == 1 and "time zone" in proc.stderr and note in proc.stderr, proc


def test_outlook_zones_from_1601_are_kept_and_unused_ones_dropped_only_when_many() -> None:
    one = zone_many_unused(1).decode()  # a single yearly VTIMEZONE from 1601, the way Outlook writes it
    assert drop_bad_zones(one) == (one, [])
    many = zone_many_unused(MANY_ZONES * 2 * 400).decode()
    assert many.count("BEGIN:VTIMEZONE") > MANY_ZONES
    kept, notes = drop_bad_zones(many)
    assert notes == [] and kept.count("BEGIN:VTIMEZONE") == 1 and "TZID:Z1\r\n" in kept


def test_a_windows_named_zone_left_out_falls_back_to_the_tz_database() -> None:
    # in a fresh interpreter: icalendar caches the zones it has built process-wide, by name
    code = """if True:
        from roleplan.loaders.calendar_ical import parse
        from roleplan.loaders.calendar_rules import drop_bad_zones
        from tests.hostile.inputs import zone_secondly
        kept, notes = drop_bad_zones(zone_secondly().decode())
        assert "BEGIN:VTIMEZONE" not in kept and len(notes) == 1, notes
        event = next(e for e in parse(kept)[0].walk("VEVENT") if str(e["UID"]) == "zoned")
        print(event["DTSTART"].dt.tzinfo)
    """
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.stdout.strip() == "America/New_York", proc
