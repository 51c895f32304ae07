"""Calendars that cannot hang (#17): rules that cannot advance are left out with a note, EXDATE/RDATE
lists are bounded before icalendar makes an object per date."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from roleplan.loaders.calendar_rules import MAX_LISTED_DATES, drop_long_lists
from tests.conftest import Run
from tests.hostile.inputs import CALENDAR_CASES, ics_interval_zero, ics_many_exdates

BOUND = 20.0  # seconds: generous; dateutil never returns on INTERVAL=0


@pytest.mark.parametrize(("name", "filename", "make"), CALENDAR_CASES, ids=[c[0] for c in CALENDAR_CASES])
def test_hostile_calendar_gives_a_verdict_and_a_note(
    run: Run, tmp_path: Path, name: str, filename: str, make: Callable[[int], bytes]
) -> None:
    path = tmp_path / filename
    path.write_bytes(make(200_000))
    began = time.perf_counter()
    r = run("calendar", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "-f", "json")
    assert time.perf_counter() - began < BOUND, name
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
