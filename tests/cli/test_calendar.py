"""`roleplan calendar` end to end: verdicts on calendars built for the tests, errors, foreign .ics files."""

from __future__ import annotations

import json
import signal
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from tests.conftest import FIXTURES, Run

CAL = FIXTURES / "calendar"
MARCH = ("--from", "2026-03-02", "--to", "2026-03-29")


def run_json(run: Run, *args: str) -> dict[str, object]:
    r = run("calendar", *args, "--format", "json")
    assert r.code == 0, r
    data = json.loads(r.out)
    assert isinstance(data, dict)
    return data


def assert_one_line_error(r: object, code: int = 2, *needles: str) -> None:
    assert getattr(r, "code") == code, r  # noqa: B009
    err = getattr(r, "err")  # noqa: B009
    assert err.startswith("roleplan: error: ") and err.count("\n") == 1, r
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, r


# --- verdicts ---------------------------------------------------------------------------------------------


def test_se_calendar(run: Run) -> None:
    d = run_json(run, str(CAL / "se_heavy.ics"), *MARCH)
    assert d["verdict"] == "se"
    # POC series: Mar 2 + Mar 9 (Mar 16 is an EXDATE), Mar 23 moved to Mar 24 and 1.5 h long = 3.5 h;
    # demos 3.5 h; discovery (floating time) 1 h; security review (London) 2 h; description-only 1 h;
    # RFP 2 h; half of "demo + architecture review" 1 h  -> 14 h SE. SA: integration 1 h + the other half.
    assert (d["se_hours"], d["sa_hours"], d["other_hours"], d["internal_hours"]) == (14, 2, 0.5, 5)
    assert d["excluded"] == {"cancelled": 1, "declined": 1, "free": 1, "all_day": 1, "invalid": 0}
    assert (d["owner"], d["owner_from"], d["timezone"]) == ("sam@acme.io", "X-WR-CALNAME", "America/New_York")
    assert d["window"] == {"from": "2026-03-02", "to": "2026-03-29", "days": 28, "chosen_by": "options"}
    top = d["top"]
    assert isinstance(top, dict)
    assert top["se"][0] == {"title": "Initech POC check-in", "hours": 3.5, "occurrences": 3}


def test_weekly_series_counts_every_week_and_rdates(run: Run) -> None:
    d = run_json(run, str(CAL / "sa_heavy.ics"), *MARCH)
    assert d["verdict"] == "sa"
    assert (d["se_hours"], d["sa_hours"]) == (1, 17)
    top = {t["title"]: t for t in d["top"]["sa"]}  # type: ignore[index]
    assert top["Architecture review — Fabrikam"] == {
        "title": "Architecture review — Fabrikam",
        "hours": 6,
        "occurrences": 4,
    }
    assert top["Go-live readiness"]["occurrences"] == 3  # DTSTART + two RDATEs
    assert top["Integration design session"]["hours"] == 4  # every other Thursday: Mar 5 and 19
    assert (d["owner"], d["owner_from"]) == ("alex@contoso.com", "attendees")


def test_one_week_window_counts_that_week_only(run: Run) -> None:
    d = run_json(run, str(CAL / "sa_heavy.ics"), "--from", "2026-03-09", "--to", "2026-03-15")
    # Architecture review Mar 11 (1.5 h), SSO Mar 10 (1 h), go-live Mar 9 (1 h); demo Mar 12 (1 h)
    assert (d["se_hours"], d["sa_hours"]) == (1, 3.5)
    assert d["verdict"] == "insufficient"


def test_default_window_ends_at_the_last_event(run: Run) -> None:
    d = run_json(run, str(CAL / "sa_heavy.ics"))
    # the last event: the integration series' 6th Thursday (COUNT=6 every 2 weeks from Mar 5) = May 14
    assert d["window"] == {"from": "2026-04-17", "to": "2026-05-14", "days": 28, "chosen_by": "default"}
    assert d["sa_hours"] == 4


def test_me_changes_whose_declines_count(run: Run) -> None:
    # as pm@wayne.example the Wayne architecture review is accepted, and sam's decline does not matter
    d = run_json(run, str(CAL / "se_heavy.ics"), *MARCH, "--me", "pm@wayne.example")
    assert d["excluded"]["declined"] == 0  # type: ignore[index]
    assert d["sa_hours"] == 3
    assert (d["owner"], d["owner_from"]) == ("pm@wayne.example", "--me")


def test_outlook_csv_near_even_split_is_mixed(run: Run) -> None:
    d = run_json(run, str(CAL / "outlook_mixed.csv"), *MARCH)
    assert (d["verdict"], d["se_hours"], d["sa_hours"], d["internal_hours"]) == ("mixed", 5.5, 6, 1)
    assert d["excluded"]["all_day"] == 1 and d["excluded"]["free"] == 1  # type: ignore[index]


def test_simple_csv_with_too_little_customer_time_is_insufficient(run: Run) -> None:
    d = run_json(run, str(CAL / "simple.csv"))
    assert d["verdict"] == "insufficient"
    # "Weekly sync" matches only in its description (architecture review): still SA
    assert (d["se_hours"], d["sa_hours"], d["internal_hours"]) == (1, 0.5, 1)


def test_windows_1252_csv_is_read_with_a_note(run: Run) -> None:
    r = run("calendar", str(CAL / "cp1252.csv"), *MARCH, "--format", "json")
    assert r.code == 0
    assert "Windows-1252" in r.err
    assert json.loads(r.out)["unmatched_hours"] == 1


def test_endless_rules_do_not_hang(run: Run) -> None:
    d = run_json(run, str(CAL / "endless.ics"), *MARCH)
    assert d["excluded"]["invalid"] == 2  # type: ignore[index]  # per-second and per-minute-since-1990
    assert d["sa_hours"] == 8  # the weekly architecture review, four times


def test_table_shows_the_split_as_a_bar(run: Run) -> None:
    r = run("calendar", str(CAL / "se_heavy.ics"), *MARCH)
    assert r.code == 0
    assert "SE ███████████████████████████████████░░░░░ SA" in r.out
    assert "Initech POC check-in" in r.out


def test_markdown(run: Run) -> None:
    r = run("calendar", str(CAL / "sa_heavy.ics"), *MARCH, "--format", "markdown")
    assert r.code == 0
    assert r.out.startswith("## Calendar: ")
    assert "| SA (post-sales) | 17.0 |" in r.out


def test_help_has_an_example(run: Run) -> None:
    r = run("calendar", "--help")
    assert r.code == 0
    assert "Example: roleplan calendar" in r.out


# --- errors -----------------------------------------------------------------------------------------------


def test_not_a_calendar(run: Run) -> None:
    assert_one_line_error(run("calendar", str(CAL / "notes.txt")), 2, "notes.txt", "not a calendar")


def test_malformed_ics(run: Run) -> None:
    assert_one_line_error(run("calendar", str(CAL / "broken.ics")), 2, "broken.ics", "malformed iCalendar")


def test_csv_without_the_columns_names_the_columns_it_has(run: Run) -> None:
    assert_one_line_error(run("calendar", str(CAL / "wrong_columns.csv")), 2, "Title, Datum, Dauer")


def test_binary_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "photo.ics"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert_one_line_error(run("calendar", str(path)), 2, "photo.ics", "binary")


def test_non_utf8_ics(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ics"
    path.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-NAME:Soci\xe9t\xe9\r\nEND:VCALENDAR\r\n")
    assert_one_line_error(run("calendar", str(path)), 2, "latin1.ics:3", "not UTF-8")


def test_empty_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "empty.ics"
    path.write_text("\n\n")
    assert_one_line_error(run("calendar", str(path)), 2, "empty.ics", "empty")


def test_no_events(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "todo.ics"
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTODO\nUID:1\nSUMMARY:x\nEND:VTODO\nEND:VCALENDAR\n")
    assert_one_line_error(run("calendar", str(path)), 2, "no events (VEVENT)", "VTODO")


def test_missing_file(run: Run) -> None:
    assert_one_line_error(run("calendar", "nope.ics"), 2, "nope.ics", "no such file")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--from", "2026-02-30"), "--from: expected a date"),
        (("--to", "next week"), "--to: expected a date"),
        (("--from", "2026-03-09", "--to", "2026-03-01"), "is after --to"),
        (("--format", "jsn"), "did you mean 'json'"),
        (("--me", "sam"), "--me: expected an email address"),
    ],
)
def test_bad_options(run: Run, args: tuple[str, ...], needle: str) -> None:
    assert_one_line_error(run("calendar", str(CAL / "se_heavy.ics"), *args), 2, needle)


def test_bad_csv_date_names_the_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "subject,start,end\nDemo,2026-03-02 09:00,2026-03-02 10:00\nQBR,someday,2026-03-03 10:00\n"
    )
    assert_one_line_error(run("calendar", str(path)), 2, "bad.csv:3", "someday")


# --- every .ics file of the icalendar and recurring-ical-events test suites -------------------------------


def _package_calendars() -> list[Path]:
    site = Path(sysconfig.get_paths()["purelib"])
    found: list[Path] = []
    for folder in ("icalendar/tests", "recurring_ical_events/test"):
        if (site / folder).is_dir():
            found += sorted((site / folder).rglob("*.ics"))
    return found


PACKAGE_CALENDARS = _package_calendars()
PER_FILE_SECONDS = 10


class _TimedOut(Exception):
    pass


@pytest.fixture
def alarm() -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(
    not PACKAGE_CALENDARS, reason="the icalendar / recurring-ical-events wheels ship no .ics tests"
)
@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the per-file time guard needs SIGALRM")
@pytest.mark.parametrize("path", PACKAGE_CALENDARS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_foreign_calendars_get_a_verdict_or_one_line_error(run: Run, alarm: None, path: Path) -> None:
    signal.alarm(PER_FILE_SECONDS)
    try:
        r = run("calendar", str(path), "--format", "json")
    except _TimedOut:
        pytest.fail(f"{path.name}: no result within {PER_FILE_SECONDS} s")
    finally:
        signal.alarm(0)
    assert r.code in (0, 2), r
    assert "Traceback" not in r.err
    if r.code == 2:
        assert r.err.startswith("roleplan: error: ") and r.err.count("\n") == 1, r
    else:
        assert json.loads(r.out)["verdict"] in {"se", "sa", "mixed", "insufficient"}


def test_expansion_is_capped(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from roleplan.loaders import calendar as loader

    monkeypatch.setattr(loader, "MAX_INSTANCES", 10)
    r = run("calendar", str(CAL / "se_heavy.ics"), *MARCH)
    assert_one_line_error(r, 2, "se_heavy.ics", "more than 10 event instances", "--from/--to")


def test_frequent_rules_with_a_small_count_are_expanded(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "count.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART:20000101T000000Z\nDTEND:20000101T010000Z\n"
        "RRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=8\nSUMMARY:Demo marathon\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    d = run_json(run, str(path), "--from", "2000-01-01", "--to", "2000-01-01")
    assert d["excluded"]["invalid"] == 0  # type: ignore[index]
    assert d["se_hours"] == 8  # 8 one-hour demos, every 90 minutes


def test_signals_and_thresholds_come_from_benchmarks(run: Run, tmp_path: Path) -> None:
    override = tmp_path / "over.yaml"
    override.write_text(
        "calendar:\n  min_customer_hours: 40\n"
        "  signals:\n    se:\n      - {name: demo, patterns: ['demos?']}\n"
    )
    d = run_json(run, str(CAL / "se_heavy.ics"), *MARCH, "--benchmarks", str(override))
    assert d["verdict"] == "insufficient"
    assert d["se_hours"] == 4.5  # only the demos are pre-sales now; the POC became "other customer" time
    bad = tmp_path / "bad.yaml"
    bad.write_text("calendar:\n  signals:\n    sa:\n      - {name: x, patterns: ['(unclosed']}\n")
    assert_one_line_error(
        run("calendar", str(CAL / "se_heavy.ics"), "--benchmarks", str(bad)), 2, "bad.yaml:4"
    )


def test_a_rule_that_never_matches_is_left_out_not_walked_to_9999(run: Run) -> None:
    # FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30: dateutil would walk 2.9 million days before giving up
    d = run_json(run, str(CAL / "never_matches.ics"))
    assert d["excluded"]["invalid"] == 1  # type: ignore[index]
    assert d["window"]["to"] == "2026-01-05"  # type: ignore[index]  # the demo, the last event that happens
    assert d["se_hours"] == 1


def test_last_weekday_of_the_month_rules_expand(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bysetpos.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART:20260130T100000Z\nDTEND:20260130T110000Z\n"
        "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\nSUMMARY:QBR prep\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    d = run_json(run, str(path), "--from", "2026-01-01", "--to", "2026-06-30")
    assert (d["sa_hours"], d["excluded"]["invalid"]) == (6, 0)  # type: ignore[index]
