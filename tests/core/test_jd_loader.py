"""The job-description loader: formats, directories, stdin, decoding fallbacks, bad input, streaming."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.errors import InputError, UsageError
from roleplan.loaders import jd
from roleplan.loaders.jd import (
    JobRecord,
    Reader,
    html_to_text,
    is_single,
    iter_records,
    markdown_to_text,
    resolve_sources,
)
from tests.conftest import FIXTURES

JD = FIXTURES / "jd"


def read(*paths: str | Path, **kw: object) -> list[JobRecord]:
    warnings: list[str] = []
    reader = Reader(resolve_sources([str(p) for p in paths]), warn=warnings.append, **kw)  # type: ignore[arg-type]
    return list(reader)


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- sources -------------------------------------------------------------------------------------------


def test_directory_is_recursed_in_sorted_order_skipping_hidden_and_unsupported() -> None:
    sources = resolve_sources([str(JD / "dir")])
    names = [Path(s.name).relative_to(JD / "dir").as_posix() for s in sources]
    assert names == ["a_first.txt", "sub/b_second.html"]
    assert [s.fmt for s in sources] == ["text", "html"]
    assert not is_single(sources)


def test_formats_by_extension_and_forced() -> None:
    fmts = [s.fmt for s in resolve_sources([str(JD / n) for n in ("posting.md", "batch.jsonl", "batch.csv")])]
    assert fmts == ["markdown", "jsonl", "csv"]
    assert resolve_sources([str(JD / "posting.txt")], "html")[0].fmt == "html"
    assert resolve_sources(["-"])[0].fmt == "text"
    assert resolve_sources(["-"], "jsonl")[0].fmt == "jsonl"


def test_single_text_versus_batch() -> None:
    assert is_single(resolve_sources([str(JD / "posting.txt")]))
    assert is_single(resolve_sources(["-"]))
    assert not is_single(resolve_sources([str(JD / "batch.jsonl")]))
    assert not is_single(resolve_sources([str(JD / "posting.txt"), str(JD / "posting.md")]))


def test_missing_path_names_it() -> None:
    with pytest.raises(InputError, match="no such file") as err:
        resolve_sources(["nope/missing.txt"])
    assert err.value.file == "nope/missing.txt"


def test_unsupported_known_extensions_and_unknown_ones(tmp_path: Path) -> None:
    (tmp_path / "postings.json").write_text("[]")
    with pytest.raises(InputError, match=r"\.jsonl"):
        resolve_sources([str(tmp_path / "postings.json")])
    (tmp_path / "POSTING").write_text("Run demos.")
    assert resolve_sources([str(tmp_path / "POSTING")])[0].fmt == "text"


def test_empty_directory_and_stdin_twice(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no supported files"):
        resolve_sources([str(tmp_path)])
    with pytest.raises(UsageError, match="more than once"):
        resolve_sources(["-", "-"])
    with pytest.raises(UsageError):
        resolve_sources(["-"], "pdf")


# --- single texts --------------------------------------------------------------------------------------


def test_text_file_record() -> None:
    (rec,) = read(JD / "posting.txt")
    assert rec.id == str(JD / "posting.txt")
    assert rec.text.startswith("Implementation Architect — Stratus DB\n")
    assert rec.title is None and rec.error is None and rec.note is None


def test_title_and_company_given_for_single_texts() -> None:
    (rec,) = read(JD / "posting.txt", title="Implementation Architect", company="Stratus DB")
    assert (rec.title, rec.company) == ("Implementation Architect", "Stratus DB")


def test_html_file_is_reduced_to_structured_text_and_its_h1_becomes_the_title() -> None:
    (rec,) = read(JD / "ats_posting.html")
    assert rec.title == "Solutions Architect"
    text = rec.text
    assert "dataLayer" not in text and "app-title" not in text and "Job Application" not in text
    assert "pixel" not in text
    assert "About Cobalt Cloud\nWe build" in text  # <br> and &nbsp;
    assert "\nWhat you'll do\n" in text  # heading on its own line, &#39; decoded
    assert "\n- Answer RFPs & security questionnaires\n" in text
    assert "Remote – US" in text
    assert "Nice to have:\n  Terraform\n  Kubernetes" in text  # <pre> keeps its lines
    assert "<" not in text


def test_explicit_title_wins_over_h1() -> None:
    (rec,) = read(JD / "ats_posting.html", title="Pre-sales SA")
    assert rec.title == "Pre-sales SA"


def test_markdown_loses_its_markup_but_keeps_its_lines() -> None:
    text = markdown_to_text((JD / "posting.md").read_text())
    assert text.startswith("Senior Sales Engineer\n")
    assert "Helix Payments is hiring a Sales Engineer" in text
    assert "- Build and present sandbox demos of our APIs" in text
    assert "- Own the POC plan" in text
    assert "example.invalid" not in text and "**" not in text and "`" not in text
    assert "We value curiosity." in text


def test_stdin_text() -> None:
    stdin = io.BytesIO(b"Run demos and POCs with AEs.\r\n")
    (rec,) = Reader(resolve_sources(["-"]), stdin=stdin)
    assert rec.id == "-" and rec.text == "Run demos and POCs with AEs.\n"


def test_binary_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary") as err:
        read(path)
    assert err.value.file == str(path)


def test_binary_file_in_a_batch_is_an_error_record(tmp_path: Path) -> None:
    write_bytes(tmp_path, "a.txt", b"\x00\x01\x02")
    write_bytes(tmp_path, "b.txt", b"Run demos.")
    recs = read(tmp_path, keep_errors=True)
    assert [(Path(r.id).name, r.error) for r in recs] == [
        ("a.txt", "binary data, not a text file"),
        ("b.txt", None),
    ]


def test_cp1252_text_is_decoded_with_a_note_and_a_warning(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "p.txt", "Résumé\nWe ship “POCs” – fast.".encode("cp1252"))
    warnings: list[str] = []
    (rec,) = Reader(resolve_sources([str(path)]), warn=warnings.append)
    assert rec.text == "Résumé\nWe ship “POCs” – fast."
    assert rec.note == "decoded as cp1252 (not valid UTF-8)"
    assert len(warnings) == 1 and f"{path}:1:" in warnings[0] and "cp1252" in warnings[0]


def test_bytes_cp1252_cannot_decode_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "p.txt", b"caf\xe9 \x81")
    (rec,) = read(path)
    assert rec.note is not None and "latin-1" in rec.note
    assert rec.text.startswith("café")


def test_utf16_with_bom_and_utf8_bom(tmp_path: Path) -> None:
    p16 = write_bytes(tmp_path, "a.txt", "Lead the POC.".encode("utf-16"))
    p8 = write_bytes(tmp_path, "b.txt", b"\xef\xbb\xbfLead the POC.")
    assert [r.text for r in read(p16)] == ["Lead the POC."]
    assert [r.text for r in read(p8)] == ["Lead the POC."]


@pytest.mark.parametrize("content", [b"", b"  \n\t\n", b"<html><script>x()</script></html>"])
def test_empty_single_text_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = write_bytes(tmp_path, "p.html", content)
    with pytest.raises(InputError, match=r"empty text|no text left"):
        read(path)


def test_single_text_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jd.records, "MAX_TEXT_BYTES", 100)
    path = write_bytes(tmp_path, "big.txt", b"demo " * 100)
    with pytest.raises(InputError, match="limit for one text"):
        read(path)
    with pytest.raises(
        InputError,
        match=r"stdin is over the limit of .* \(for one text; for a batch use --input-format jsonl\)",
    ):
        list(Reader(resolve_sources(["-"]), stdin=io.BytesIO(b"x" * 101)))


# --- JSONL ---------------------------------------------------------------------------------------------


def test_jsonl_records_ids_fields_html_and_empty_text() -> None:
    recs = read(JD / "batch.jsonl", keep_errors=True)
    assert [r.id for r in recs] == ["cobalt-se", "42", f"{JD / 'batch.jsonl'}:4", "blank"]
    first = recs[0]
    assert (first.title, first.company, first.label) == ("Solutions Architect", "Cobalt Cloud", "se")
    assert first.extra == {"source": "fixture"}  # a field named like JobRecord.source stays data
    assert first.source == f"{JD / 'batch.jsonl'}:1"
    assert recs[2].text == "Own a quota & a territory.\n\n- Close new business"  # HTML inside JSON
    assert recs[3].error == "empty text" and recs[3].title == "Support Engineer"


def test_iter_records_keeps_its_eval_contract() -> None:
    with pytest.raises(InputError, match="empty text") as err:
        list(iter_records([str(JD / "batch.jsonl")]))
    assert err.value.line == 5
    warnings: list[str] = []
    recs = list(iter_records([str(JD / "batch.jsonl")], skip_bad=True, warn=warnings.append))
    assert [r.id for r in recs][:2] == ["cobalt-se", "42"] and len(recs) == 3
    assert len(warnings) == 1 and ":5:" in warnings[0]


def jsonl_file(tmp_path: Path, *lines: str | bytes) -> Path:
    data = b"".join((ln if isinstance(ln, bytes) else ln.encode()) + b"\n" for ln in lines)
    return write_bytes(tmp_path, "b.jsonl", data)


GOOD = '{"id": "ok", "text": "Run demos."}'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x", "text": "unterminated', "malformed JSON: Unterminated string"),
        ("[1, 2]", "expected a JSON object, got an array"),
        ('"just text"', "expected a JSON object, got a string"),
        ('{"id": "x", "description": "Run demos"}', 'no "text" field (fields: id, description)'),
        ('{"id": "x", "text": 17}', '"text" must be a string, got a number'),
        ('{"id": "x", "text": null}', '"text" must be a string, got null'),
        ('{"id": "x", "text": "Run demos."} trailing', "malformed JSON: Extra data"),
        ('  {"id": "x", "text": "Run demos."', "malformed JSON: Expecting ',' delimiter"),
        ('{"text": ' + "[" * 100_000, "malformed JSON: nested too deeply"),
    ],
    ids=lambda v: v[:40] if isinstance(v, str) else v,
)
def test_bad_jsonl_line_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = jsonl_file(tmp_path, GOOD, line, GOOD)
    with pytest.raises(InputError) as err:
        read(path)
    assert message in err.value.message
    assert (err.value.file, err.value.line) == (str(path), 2)


def test_a_jsonl_line_may_carry_spaces_around_its_object(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, '  {"id": "a", "text": "Run demos."}  ', '\t{"id": "b", "text": "Go live."}')
    assert [r.id for r in read(path)] == ["a", "b"]


def test_skip_bad_warns_counts_and_goes_on(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, GOOD, "{nope", "[]", GOOD)
    warnings: list[str] = []
    reader = Reader(resolve_sources([str(path)]), skip_bad=True, warn=warnings.append)
    assert [r.id for r in reader] == ["ok", "ok"]
    assert reader.skipped == 2
    assert [w.split(": ")[1] for w in warnings] == [f"{path}:2", f"{path}:3"]


def test_skip_bad_warnings_are_capped_per_file(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, *["{bad"] * 9, GOOD)
    warnings: list[str] = []
    reader = Reader(resolve_sources([str(path)]), skip_bad=True, warn=warnings.append)
    assert len(list(reader)) == 1 and reader.skipped == 9
    assert len(warnings) == jd.records._WARN_LIMIT + 1
    assert "4 more skipped lines" in warnings[-1]


def test_non_utf8_jsonl_line_is_decoded_with_a_note(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, GOOD, '{"id": "fr", "text": "Démos"}'.encode("cp1252"))
    recs = read(path)
    assert recs[1].text == "Démos" and recs[1].note is not None and "cp1252" in recs[1].note
    assert recs[0].note is None


def test_jsonl_with_bom_blank_lines_and_no_final_newline(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "b.jsonl", b'\xef\xbb\xbf{"text": "a"}\n\n  \n{"text": "b"}')
    assert [r.text for r in read(path)] == ["a", "b"]


def test_empty_jsonl_file_is_an_error(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "b.jsonl", b"\n\n")
    with pytest.raises(InputError, match="no records"):
        read(path)


def test_binary_jsonl(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "b.jsonl", b"\x00\x01garbage\n")
    with pytest.raises(InputError, match="binary"):
        read(path, skip_bad=True)


def test_oversized_record_is_an_error_record_and_the_next_line_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jd.records, "MAX_TEXT_BYTES", 64)
    big = json.dumps({"id": "big", "text": "demo " * 100})
    path = jsonl_file(tmp_path, big, GOOD)
    recs = read(path, keep_errors=True)
    assert recs[0].error is not None and "limit" in recs[0].error
    assert recs[0].id == f"{path}:1"
    assert [r.id for r in recs[1:]] == ["ok"]


def test_jsonl_from_stdin() -> None:
    stdin = io.BytesIO(b'{"id": "s1", "text": "Run demos."}\n')
    (rec,) = Reader(resolve_sources(["-"], "jsonl"), stdin=stdin)
    assert rec.id == "s1" and rec.source == "-:1"


class CountingStream(io.BytesIO):
    """A stream that remembers how far it has been read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.high = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.high = self.tell()
        return line


def test_jsonl_is_streamed_not_read_whole() -> None:
    lines = b"".join(json.dumps({"id": i, "text": "Run demos. " * 20}).encode() + b"\n" for i in range(1000))
    stream = CountingStream(lines)
    records = iter(Reader(resolve_sources(["-"], "jsonl"), stdin=stream))
    first = next(records)
    assert first.id == "0"
    assert stream.high < len(lines) / 100  # one record's worth read, not the file


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": st.text(min_size=1, max_size=10),
                "text": st.text(min_size=1).filter(lambda t: not t.isspace()),
            },
            optional={"title": st.text(min_size=1, max_size=20), "company": st.text(min_size=1, max_size=20)},
        ).filter(lambda d: "<" not in d["text"] and "&" not in d["text"]),
        min_size=1,
        max_size=5,
    )
)
def test_jsonl_round_trip(tmp_path_factory: pytest.TempPathFactory, objs: list[dict[str, str]]) -> None:
    path = tmp_path_factory.mktemp("rt") / "b.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    recs = list(Reader(resolve_sources([str(path)])))
    assert [(r.id, r.text, r.title, r.company) for r in recs] == [
        (o["id"], o["text"], o.get("title"), o.get("company")) for o in objs
    ]


# --- CSV -----------------------------------------------------------------------------------------------


def test_csv_columns_any_case_multiline_fields_and_extras() -> None:
    recs = read(JD / "batch.csv")
    assert [r.id for r in recs] == ["csv-1", "csv-2", f"{JD / 'batch.csv'}:5"]
    assert recs[0].text == "Run discovery and demos,\nthen lead the POC."
    assert (recs[0].title, recs[0].company) == ("Sales Engineer", "Helix Payments")
    assert recs[0].extra == {"Team": "Pre-sales"}
    assert [r.source.rsplit(":", 1)[1] for r in recs] == ["2", "4", "5"]  # the line each row starts on


def test_csv_without_a_text_column_names_its_columns(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "b.csv", b"id,title,description\n1,SE,Run demos\n")
    with pytest.raises(InputError, match=r'no "text" column \(columns: id, title, description\)') as err:
        read(path, skip_bad=True)
    assert err.value.line == 1


def test_csv_empty_file_and_empty_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no header"):
        read(write_bytes(tmp_path, "a.csv", b""))
    path = write_bytes(tmp_path, "b.csv", b"text,id\n,e1\n\nRun demos,e2\n")
    recs = read(path, keep_errors=True)
    assert [(r.id, r.error) for r in recs] == [("e1", "empty text"), ("e2", None)]
    with pytest.raises(InputError, match="no records"):
        read(write_bytes(tmp_path, "c.csv", b"text,id\n"))


def test_csv_non_utf8_row_and_bom_header(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfText\n" + "Démos clients".encode("cp1252") + b"\nRun demos\n"
    recs = read(write_bytes(tmp_path, "b.csv", data))
    assert recs[0].text == "Démos clients" and recs[0].note is not None
    assert recs[1].note is None


def test_csv_field_over_the_default_csv_limit_is_read(tmp_path: Path) -> None:
    long_text = "Lead proofs of concept. " * 10_000  # 240 KB, over csv's default 128 KB field limit
    path = write_bytes(tmp_path, "b.csv", f'text\n"{long_text}"\n'.encode())
    assert [len(r.text) for r in read(path)] == [len(long_text)]


# --- HTML ----------------------------------------------------------------------------------------------


def test_html_entities_blocks_and_tables() -> None:
    text, title = html_to_text(
        "<h1>SE &amp; SA</h1>a<br>b<p>c</p>d<table><tr><td>x</td><td>y</td></tr></table>"
    )
    assert title == "SE & SA"
    assert text == "SE & SA\n\na\nb\n\nc\n\nd\n\nx y"


def test_html_escaped_in_a_batch_record_is_unescaped_then_stripped(tmp_path: Path) -> None:
    text = "&lt;p&gt;Lead &lt;strong&gt;POCs&lt;/strong&gt;&lt;/p&gt;"
    text += "&lt;ul&gt;&lt;li&gt;Demos&lt;/li&gt;&lt;/ul&gt;"
    path = jsonl_file(tmp_path, json.dumps({"text": text}))
    assert [r.text for r in read(path)] == ["Lead POCs\n\n- Demos"]


def test_plain_text_with_angle_brackets_is_left_alone(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, json.dumps({"text": "Ratio < 1:3 and R&D > sales"}))
    assert [r.text for r in read(path)] == ["Ratio < 1:3 and R&D > sales"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_html_to_text_never_fails_and_leaves_no_markup_lines(html: str) -> None:
    text, title = html_to_text(html)
    assert "\x00" not in text and "\x01" not in text
    assert not text.startswith("\n") and not text.endswith("\n")
    assert "\n\n\n" not in text
    assert title is None or len(title) <= 150


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<&\r\x00\x01")))
def test_html_to_text_of_plain_text_keeps_the_words(text: str) -> None:
    assert html_to_text(text)[0].split() == text.split()


_TAGS = [
    "p",
    "div",
    "li",
    "ul",
    "h1",
    "h2",
    "br",
    "span",
    "strong",
    "a",
    "pre",
    "td",
    "tr",
    "script",
    "style",
    "x-y",
]
_ATTRS = st.sampled_from(["", ' class="a"', " id='b > c'", ' data-x="1"/', " hidden", ' title="&amp;"'])
_TEXT = st.sampled_from(
    ["Run demos", " & ", "&amp;", "&nbsp;", "POCs\n", "  ", "a&lt;b", "x", "\t", "—", "&#39;"]
)


@st.composite
def html_docs(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(_ATTRS)}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append("<!-- a comment <p> -->" if draw(st.booleans()) else "<!DOCTYPE html>")
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(html_docs())
def test_html_to_text_leaves_no_tag_comment_or_doctype(html: str) -> None:
    text, _ = html_to_text(html)
    assert not any(f"<{t}" in text or f"</{t}" in text for t in _TAGS)
    assert "<!" not in text and "&amp;" not in text


def test_html_with_a_stray_angle_bracket_or_an_unclosed_script_keeps_its_text() -> None:
    assert html_to_text("<p>a < b</p>")[0] == "a < b"
    assert html_to_text("<p>Run demos</p><script>never closed")[0] == "Run demos"
