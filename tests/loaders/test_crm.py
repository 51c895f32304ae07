"""CRM export dates and rows: every format a CRM writes parses back to the day (Hypothesis), bad text is a
ValueError with the reason, and rows keep their line numbers."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplan.errors import InputError
from roleplan.loaders.crm import MAX_COLUMNS, MAX_LINE, DateParser, Field, read_rows

days = st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31))
clocks = st.times()
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def writings(d: date, t: time) -> list[str]:
    hour12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    mon = MONTHS[d.month - 1]
    return [
        d.isoformat(),
        datetime.combine(d, t).isoformat(),
        datetime.combine(d, t).isoformat(timespec="seconds") + "Z",
        f"{d.isoformat()} {t:%H:%M:%S}",
        f"{d.month}/{d.day}/{d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year} {hour12}:{t.minute:02d} {ampm}",
        f"{d.day} {mon} {d.year}",
        f"{d.day:02d}-{mon}-{d.year}",
        f"{mon} {d.day}, {d.year} {t:%H:%M}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.year}/{d.month}/{d.day}",
    ]


@given(days, clocks)
def test_every_written_form_reads_back(d: date, t: time) -> None:
    parse = DateParser()
    for text in writings(d, t):
        assert parse(text) == d, text


@given(days)
def test_day_first(d: date) -> None:
    assert DateParser(day_first=True)(f"{d.day}/{d.month}/{d.year}") == d


@given(st.text(max_size=40))
def test_anything_else_is_a_value_error(text: str) -> None:
    try:
        result = DateParser()(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert result is None or isinstance(result, date)


def test_hints() -> None:
    with pytest.raises(ValueError, match="pass --day-first"):
        DateParser()("25/03/2026")
    with pytest.raises(ValueError, match="not a calendar date"):
        DateParser()("2026-02-29")
    with pytest.raises(ValueError, match="cannot read"):
        DateParser()("3/5/2026 13:15 PM")
    assert DateParser()("") is None


def test_rows_keep_lines_and_skip_blanks(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text('a;b\n1;"two\nlines"\n\n;\n3\nGrand Totals;\n', encoding="utf-8")
    import re

    fields = (Field("a", True, ""), Field("b", True, ""), Field("c", False, ""))
    rows = list(read_rows(f, fields, {}, skip=re.compile("grand", re.I)))
    assert [(r.line, r["a"], r["b"], r["c"]) for r in rows] == [(2, "1", "two\nlines", ""), (6, "3", "", "")]


def test_failures_are_cached_like_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad date repeated down an export is worked out once (each try runs every format through strptime)."""
    parse = DateParser()
    calls: list[str] = []
    real = parse._parse

    def counted(text: str) -> date:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(parse, "_parse", counted)
    for _ in range(3):
        with pytest.raises(ValueError, match="pass --day-first"):
            parse("25/03/2026")
        assert parse("3/25/2026") == date(2026, 3, 25)
    assert calls == ["25/03/2026", "3/25/2026"]


FIELDS = (Field("a", True, ""), Field("b", False, ""))


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a," * (MAX_LINE // 2 + 1), "the header line is over 1 MiB", 1),
        ("a,b\n1,2\n" + "x," * (MAX_LINE // 2 + 1) + "\n", "a line over 1 MiB: not a CRM export row", 3),
        (",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + ",a\n1\n", r"columns \(more than 5,000\)", 1),
    ],
)
def test_a_line_or_header_too_long_is_refused_before_it_is_held(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    """A one-line 50 MB file was read whole (37 s, 656 MiB); now refused at the first MiB of a line."""
    f = tmp_path / "x.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        list(read_rows(f, FIELDS, {}))
    assert caught.value.line == line
