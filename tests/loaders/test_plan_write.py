"""The plan writer changes the `ses`/`sas` values and nothing else, byte for byte (a Hypothesis property over
layouts: flow and block quarters, odd spacing, comments everywhere, blank lines, indents, CRLF, no final
newline), and refuses what it cannot write without changing something else (a shared alias)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.errors import InputError
from roleplan.loaders.plan import validate
from roleplan.loaders.plan_write import Value, fill_text
from roleplan.yamlio import parse_yaml
from tests.conftest import Run

_spaces = st.sampled_from(["", " ", "  ", "   "])
_comment = st.one_of(st.just(""), st.sampled_from(["# note", "#x", "# ses: 4 here", "# {aes: 1}", "# é ✓"]))


@dataclass
class _Quarter:
    """A quarter as the generator wrote it: its keys in file order, and how to lay it out."""

    key: str
    fields: list[tuple[str, str]]  # (name, value text) in file order; ses/sas only where the file has them
    flow: bool
    pad: tuple[str, str, str, str]  # flow: after '{', after ':', before ',', after ','  (block: after ':')
    comments: list[str]  # per line (block: one per key line; flow: one for the line)
    blank_before: list[bool]  # block: a blank line before each key line
    key_comment: str  # block: the comment on the `2027-Q1:` line


def _render_fields(q: _Quarter, new: tuple[int, int] | None) -> list[tuple[str, str, bool]]:
    """The quarter's fields with SE/SA values `new` written in: (name, value, is_new)."""
    fields = [(n, v, False) for n, v in q.fields]
    if new is None:
        return fields
    names = [n for n, _, _ in fields]
    for role, value in (("ses", new[0]), ("sas", new[1])):
        if role in names:
            i = names.index(role)
            old = fields[i][1]
            keep = float(old) == value
            fields[i] = (role, old if keep else str(value), False)
        elif value:
            after = next(n for n in (("aes",) if role == "ses" else ("ses", "aes")) if n in names)
            i = names.index(after) + 1
            fields.insert(i, (role, str(value), True))
            names.insert(i, role)
    return fields


def _render(
    quarters: list[list[_Quarter]], indent: tuple[str, str], nl: str, final: bool
) -> Callable[[dict[tuple[int, str], tuple[int, int]] | None], str]:
    team_in, key_in = indent

    def render(values: dict[tuple[int, str], tuple[int, int]] | None) -> str:
        lines = [
            "# a plan  ",
            "company:",
            f"{team_in}name:   'Q Co'   # quoted",
            f"{team_in}stage: seriesC",
            "",
        ]
        lines.append("teams:")
        for ti, team in enumerate(quarters):
            lines += [f"{team_in}- segment: enterprise", f"{team_in}  quarters:  # by quarter"]
            base = team_in + "  " + key_in
            for q in team:
                fields = _render_fields(q, None if values is None else values[(ti, q.key)])
                if q.flow:
                    after_brace, after_colon, before_comma, after_comma = q.pad
                    items = []
                    for name, value, is_new in fields:
                        items.append(f"{name}: {value}" if is_new else f"{name}:{after_colon or ' '}{value}")
                    body = ""
                    for i, (item, (_, _, is_new)) in enumerate(zip(items, fields, strict=True)):
                        if i:
                            body += ", " if is_new else f"{before_comma},{after_comma}"
                        body += item
                    comment = f"  {q.comments[0]}" if q.comments[0] else ""
                    lines.append(f"{base}{q.key}: {{{after_brace}{body}{after_brace}}}{comment}")
                else:
                    comment = f"   {q.key_comment}" if q.key_comment else ""
                    lines.append(f"{base}{q.key}:{comment}")
                    old = iter(zip(q.comments, q.blank_before, strict=True))
                    for name, value, is_new in fields:
                        if is_new:
                            lines.append(f"{base}{key_in}{name}: {value}")
                            continue
                        c, blank = next(old)
                        if blank:
                            lines.append("")
                        tail = f" {c}" if c else ""
                        lines.append(f"{base}{key_in}{name}:{q.pad[1] or ' '}{value}{tail}")
        lines.append("# the end")
        return nl.join(lines) + (nl if final else "")

    return render


@st.composite
def _layouts(draw: st.DrawFn) -> tuple[str, str, list[Value]]:
    indent = (draw(st.sampled_from(["  ", "    "])), draw(st.sampled_from(["  ", "    "])))
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.booleans())
    teams: list[list[_Quarter]] = []
    for _ in range(draw(st.integers(1, 3))):
        team = []
        for qi in range(draw(st.integers(1, 4))):
            fields = [("aes", draw(st.sampled_from(["6", "12", "0", "4.5"])))]
            extra = draw(st.lists(st.sampled_from(["ses", "sas", "strategic_accounts", "arr"]), unique=True))
            for name in extra:
                fields.append((name, "16M" if name == "arr" else str(draw(st.integers(0, 9)))))
            if draw(st.booleans()):  # aes not first
                fields.append(fields.pop(0))
            n = len(fields)
            team.append(
                _Quarter(
                    key=f"2027-Q{qi + 1}",
                    fields=fields,
                    flow=draw(st.booleans()),
                    pad=(draw(_spaces), draw(_spaces.filter(bool)), draw(_spaces), draw(_spaces)),
                    comments=[draw(_comment) for _ in range(n)],
                    blank_before=[draw(st.booleans()) for _ in range(n)],
                    key_comment=draw(_comment),
                )
            )
        teams.append(team)
    render = _render(teams, indent, nl, final)
    values = {
        (ti, q.key): (draw(st.integers(0, 9)), draw(st.integers(0, 9)))
        for ti, team in enumerate(teams)
        for q in team
    }
    wanted = [Value(team=t, quarter=k, ses=s, sas=a) for (t, k), (s, a) in values.items()]
    return render(None), render(values), wanted


@settings(max_examples=300, deadline=None)
@given(case=_layouts())
def test_only_the_values_change_byte_for_byte(case: tuple[str, str, list[Value]]) -> None:
    original, expected, values = case
    assert validate(parse_yaml(original, "p.yaml")).plan is not None
    written = fill_text(original, values, source="p.yaml")
    assert written.text == expected
    again = validate(parse_yaml(written.text, "p.yaml"))
    assert again.plan is not None
    for v in values:
        q = again.plan.teams[v.team].quarters[v.quarter]
        assert (q.ses, q.sas) == (v.ses, v.sas)
    # and writing the same values again changes nothing
    assert fill_text(written.text, values, source="p.yaml") == type(written)(text=written.text, changed=0)


HEAD = "company: {stage: seriesC}\nteams:\n  - segment: enterprise\n    quarters:\n"


def test_a_quarter_shared_by_an_alias_is_written_once_when_both_agree() -> None:
    text = HEAD + "      2027-Q1: &q {aes: 4}\n      2027-Q2: *q\n"
    out = fill_text(text, [Value(0, "2027-Q1", 2, 0), Value(0, "2027-Q2", 2, 0)], source="p.yaml")
    assert out.text == HEAD + "      2027-Q1: &q {aes: 4, ses: 2}\n      2027-Q2: *q\n"


def test_a_quarter_shared_by_an_alias_that_needs_two_values_is_refused() -> None:
    text = HEAD + "      2027-Q1: &q {aes: 4}\n      2027-Q2: *q\n"
    with pytest.raises(InputError, match="alias"):
        fill_text(text, [Value(0, "2027-Q1", 2, 0), Value(0, "2027-Q2", 3, 0)], source="p.yaml")


def test_a_shared_number_is_not_changed_under_another_key() -> None:
    # `aes: &n 2` and `ses: *n`: changing the SEs in place would change the AEs too
    text = HEAD + "      2027-Q1: {aes: &n 2, ses: *n}\n"
    with pytest.raises(InputError, match="shared"):
        fill_text(text, [Value(0, "2027-Q1", 1, 0)], source="p.yaml")
    assert fill_text(text, [Value(0, "2027-Q1", 2, 0)], source="p.yaml").changed == 0


def test_merge_keys_and_tags() -> None:
    text = HEAD + "      2027-Q1: &q {aes: 4, ses: !!int 1}\n      2027-Q2: {<<: *q, aes: 6}\n"
    out = fill_text(text, [Value(0, "2027-Q1", 2, 0), Value(0, "2027-Q2", 3, 0)], source="p.yaml")
    # the tag stays; the merging quarter gets its own key, which wins over the merged one
    assert (
        out.text
        == HEAD
        + "      2027-Q1: &q {aes: 4, ses: !!int 2}\n      2027-Q2: {<<: *q, aes: 6, ses: 3, sas: 0}\n"
    )


def test_a_zero_is_written_where_a_merged_mapping_would_give_another_value() -> None:
    text = HEAD + "      2027-Q1: &q {aes: 4, ses: 2}\n      2027-Q2:\n        <<: *q\n        aes: 0"
    out = fill_text(text, [Value(0, "2027-Q1", 2, 0), Value(0, "2027-Q2", 0, 0)], source="p.yaml")
    # a block quarter at the very end of a file with no last newline: still none after the insertion
    assert out.text == text + "\n        ses: 0\n        sas: 0"


def test_a_byte_order_mark_is_kept(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.roleplan.yaml"
    text = HEAD + "      2027-Q1: {aes: 4}  # é\n"
    plan.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert run("plan", str(plan), "--write").code == 0
    assert plan.read_bytes() == b"\xef\xbb\xbf" + text.replace(
        "{aes: 4}", "{aes: 4, ses: 2, sas: 1}"
    ).replace("\n", "\r\n").encode("utf-8")
