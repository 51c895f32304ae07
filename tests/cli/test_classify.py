"""`roleplan classify` end to end: inputs, output formats, exit codes and one-line errors.

The classifier itself is another module's business; these tests replace it with a fake whose answer is
easy to predict, so they test only what this command does with texts and results.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import roleplan.core.classify as classify_mod
from roleplan.errors import InputError
from roleplan.models.classify import Evidence, RoleClassification, Soc
from roleplan.models.classify_config import ClassifyConfig
from tests.conftest import FIXTURES, Run

JD = FIXTURES / "jd"
CALLS: list[tuple[str, str | None, str | None]] = []


def fake_classify(
    text: str, *, title: str | None = None, company: str | None = None, config: ClassifyConfig
) -> RoleClassification:
    """`se` when the text mentions demos, else `sa`; evidence is the word it saw."""
    CALLS.append((text, title, company))
    if "explode" in text:
        raise InputError("text is not a posting")
    se = "demo" in text.lower()
    word = "demos" if se else "go-live"
    return RoleClassification(
        family="se" if se else "sa",
        role="sales_engineer" if se else "solutions_architect",
        confidence=0.9 if se else 0.4,
        title_mismatch=bool(title and "Architect" in title and se),
        title_family="sa" if title and "Architect" in title else None,
        evidence=(
            Evidence(
                phrase=word, signal="presales.demo" if se else "postsales.golive", family="se", weight=1.5
            ),
        ),
        soc=Soc(code="41-9031.00", title="Sales Engineers")
        if se
        else Soc(code="15-1299.08", title="Computer Systems Engineers/Architects"),
        scores={"se": 1.5} if se else {"sa": 1.0},
    )


@pytest.fixture(autouse=True)
def _fake(monkeypatch: pytest.MonkeyPatch) -> None:
    CALLS.clear()
    monkeypatch.setattr(classify_mod, "classify", fake_classify)


def one_line_error(r: object, *needles: str) -> None:
    err = r.err  # type: ignore[attr-defined]
    assert r.code == 2, r  # type: ignore[attr-defined]
    assert "Traceback" not in err
    assert err.startswith("roleplan: error: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err


# --- single texts --------------------------------------------------------------------------------------


def test_stdin_text_table_shows_the_result_and_its_evidence(run: Run) -> None:
    r = run("classify", input="We run demos for AEs.\n")
    assert r.code == 0, r
    assert "se" in r.out and "sales_engineer" in r.out and "41-9031.00" in r.out
    assert "Evidence" in r.out and "presales.demo" in r.out and "+1.50" in r.out
    assert CALLS == [("We run demos for AEs.\n", None, None)]


def test_title_and_company_reach_the_classifier_and_the_output(run: Run) -> None:
    r = run(
        "classify",
        "-",
        "--title",
        "Solutions Architect",
        "--company",
        "Cobalt",
        "--format",
        "json",
        input="Lead demos.",
    )
    assert r.code == 0, r
    (item,) = json.loads(r.out)
    assert item["id"] == "-"
    assert (item["title"], item["company"]) == ("Solutions Architect", "Cobalt")
    assert item["title_mismatch"] is True and item["title_family"] == "sa"
    assert CALLS[0][1:] == ("Solutions Architect", "Cobalt")


def test_json_keys_are_the_documented_ones(run: Run) -> None:
    r = run("classify", str(JD / "posting.txt"), "--format", "json")
    (item,) = json.loads(r.out)
    assert list(item) == [
        "id",
        "title",
        "company",
        "family",
        "role",
        "confidence",
        "needs_review",
        "title_mismatch",
        "title_family",
        "title_note",
        "evidence",
        "soc",
        "error",
        "note",
    ]
    assert item["id"] == str(JD / "posting.txt")
    assert item["family"] == "sa" and item["confidence"] == 0.4
    assert item["evidence"] == [
        {"phrase": "go-live", "signal": "postsales.golive", "family": "se", "weight": 1.5, "where": "text"}
    ]
    assert item["soc"] == {"code": "15-1299.08", "title": "Computer Systems Engineers/Architects"}


def test_html_file_is_classified_from_its_text_with_its_h1_as_title(run: Run) -> None:
    r = run("classify", str(JD / "ats_posting.html"), "--format", "jsonl")
    assert r.code == 0, r
    item = json.loads(r.out)
    assert item["title"] == "Solutions Architect" and item["family"] == "se"
    text, _, _ = CALLS[0]
    assert "<" not in text and "dataLayer" not in text and "- Answer RFPs & security questionnaires" in text


def test_non_utf8_text_is_decoded_with_a_warning_and_a_note(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("Démos “clients”".encode("cp1252"))
    r = run("classify", str(path), "--format", "json")
    assert r.code == 0, r
    assert "decoded as cp1252" in r.err and f"{path}:1" in r.err
    assert json.loads(r.out)[0]["note"] == "decoded as cp1252 (not valid UTF-8)"


def test_quiet_silences_the_warning(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("Démos".encode("cp1252"))
    r = run("--quiet", "classify", str(path), "--format", "jsonl")
    assert r.code == 0 and r.err == ""


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "empty text"), (b" \n\t ", "empty text"), (b"\x7fELF\x00\x00", "binary data")],
)
def test_unusable_single_text_is_one_line_exit_2(
    run: Run, tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(content)
    one_line_error(run("classify", str(path)), str(path), needle)
    one_line_error(run("classify", input=content), "-", needle)


def test_missing_file_is_one_line_exit_2(run: Run) -> None:
    one_line_error(run("classify", "no/such.txt"), "no/such.txt", "no such file")


# --- batches -------------------------------------------------------------------------------------------


def test_jsonl_batch_to_jsonl_with_a_per_record_error_exits_1(run: Run) -> None:
    r = run("classify", str(JD / "batch.jsonl"), "--format", "jsonl")
    assert r.code == 1, r
    items = [json.loads(line) for line in r.out.splitlines()]
    assert [i["id"] for i in items] == ["cobalt-se", "42", f"{JD / 'batch.jsonl'}:4", "blank"]
    assert [i["family"] for i in items] == ["se", "sa", "sa", None]
    assert items[3]["error"] == "empty text" and items[3]["title"] == "Support Engineer"
    assert "1 of 4 records could not be classified" in r.err and "batch.jsonl:5" in r.err
    assert "Traceback" not in r.err


def test_csv_batch_and_directory_exit_0(run: Run) -> None:
    r = run("classify", str(JD / "batch.csv"), str(JD / "dir"), "--format", "jsonl")
    assert r.code == 0, r
    ids = [json.loads(line)["id"] for line in r.out.splitlines()]
    assert ids == [
        "csv-1",
        "csv-2",
        f"{JD / 'batch.csv'}:5",
        str(JD / "dir/a_first.txt"),
        str(JD / "dir/sub/b_second.html"),
    ]


def test_json_array_of_a_batch(run: Run) -> None:
    r = run("classify", str(JD / "batch.csv"), "--format", "json")
    assert r.code == 0, r
    items = json.loads(r.out)
    assert [i["family"] for i in items] == ["se", "sa", "sa"]


def test_stdin_jsonl(run: Run) -> None:
    r = run(
        "classify",
        "--input-format",
        "jsonl",
        "--format",
        "jsonl",
        input='{"id": "a", "text": "demos"}\n{"id": "b", "text": "runbooks"}\n',
    )
    assert r.code == 0, r
    assert [json.loads(x)["family"] for x in r.out.splitlines()] == ["se", "sa"]


def test_batch_table_lists_every_record_without_evidence(run: Run) -> None:
    r = run("classify", str(JD / "batch.jsonl"))
    assert r.code == 1
    assert "cobalt-se" in r.out and "empty" in r.out and "Evidence" not in r.out  # "empty text" may wrap


def test_csv_output_has_fixed_columns_and_neutralises_formulas(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    rows = [
        {"id": '=HYPERLINK("http://x")', "title": "+SE", "company": "@corp", "text": "demos"},
        {"id": "-1", "title": "SA", "company": "Fine Co", "text": "go-live"},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in rows))
    r = run("classify", str(path), "--format", "csv")
    assert r.code == 0, r
    table = list(csv.reader(io.StringIO(r.out)))
    assert table[0] == [
        "id",
        "title",
        "company",
        "family",
        "role",
        "confidence",
        "title_mismatch",
        "needs_review",
        "soc_code",
        "soc_title",
        "top_evidence",
        "error",
    ]
    assert table[1][:3] == ['\'=HYPERLINK("http://x")', "'+SE", "'@corp"]
    assert table[2][0] == "-1"
    assert table[1][3:7] == ["se", "sales_engineer", "0.900", "false"]
    assert table[1][table[0].index("top_evidence")] == "demos [presales.demo +1.50]"
    # no cell a spreadsheet would run: a leading = + - @ only on a plain number (issue 14: `-2` stays `-2`)
    assert all(not cell.startswith(("=", "+", "-", "@")) or cell == "-1" for row in table for cell in row)


def test_classifier_refusing_one_text_is_a_per_record_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "a", "text": "demos"}\n{"id": "b", "text": "explode"}\n')
    r = run("classify", str(path), "--format", "jsonl")
    assert r.code == 1
    assert json.loads(r.out.splitlines()[1])["error"] == "text is not a posting"


def test_no_record_classified_is_exit_2(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "a", "text": ""}\n{"id": "b", "text": "  "}\n')
    r = run("classify", str(path), "--format", "jsonl")
    one_line_error(r, "no record could be classified", "b.jsonl:1: empty text")
    assert len(r.out.splitlines()) == 2  # the error records were still written


def test_malformed_jsonl_line_stops_with_its_line_number(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "a", "text": "demos"}\n{"id": "b", "text": \n{"id": "c", "text": "demos"}\n')
    one_line_error(run("classify", str(path), "--format", "jsonl"), f"{path}:2: malformed JSON")


def test_skip_bad_warns_and_goes_on_exit_1(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "a", "text": "demos"}\n[1]\n{"id": "c", "text": "demos"}\n')
    r = run("classify", str(path), "--format", "jsonl", "--skip-bad")
    assert r.code == 1, r
    assert [json.loads(x)["id"] for x in r.out.splitlines()] == ["a", "c"]
    assert f"{path}:2: expected a JSON object" in r.err and "1 malformed line skipped" in r.err


def test_csv_without_text_column(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("id,title,body\n1,SE,demos\n")
    one_line_error(run("classify", str(path)), f"{path}:1", 'no "text" column (columns: id, title, body)')


def test_title_with_a_batch_is_a_usage_error(run: Run) -> None:
    one_line_error(run("classify", str(JD / "batch.jsonl"), "--title", "SE"), "--title/--company")


def test_bad_format_and_input_format_suggest_the_closest(run: Run) -> None:
    one_line_error(run("classify", "--format", "cvs", input="demos"), "did you mean 'csv'")
    one_line_error(run("classify", "--input-format", "htm", input="demos"), "did you mean 'html'")


def test_help_has_an_example(run: Run) -> None:
    r = run("classify", "--help")
    assert r.code == 0 and "Example: roleplan classify" in r.out


def test_lone_surrogates_from_json_escapes_do_not_crash_the_output(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "\\ud800x", "title": "t\\udfff", "text": "demo \\ud83d"}\n')
    for fmt in ("jsonl", "csv", "table", "json"):
        r = run("classify", str(path), "--format", fmt)
        assert r.code == 0, r
        assert "?x" in r.out


def test_skip_bad_on_the_only_text_is_still_an_error(run: Run) -> None:
    r = run("classify", "--skip-bad", "--format", "jsonl", input="   ")
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.splitlines() == [
        "roleplan: warning: -: empty text; skipped",
        "roleplan: error: nothing to classify (1 input skipped)",
    ]


def test_forced_input_format_applies_to_stdin_and_files(run: Run, tmp_path: Path) -> None:
    r = run("classify", "-i", "html", "-f", "jsonl", input="<h1>Sales Engineer</h1><p>Run <b>demos</b></p>")
    assert r.code == 0, r
    assert json.loads(r.out)["title"] == "Sales Engineer"
    assert CALLS[-1][0] == "Sales Engineer\n\nRun demos"
    path = tmp_path / "export.txt"
    path.write_text('{"id": "j1", "text": "demos"}\n')
    r = run("classify", str(path), "--input-format", "jsonl", "--format", "jsonl")
    assert r.code == 0 and json.loads(r.out)["id"] == "j1"


class _Stream:
    """A text stream that records its writes and can fail at the n-th."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.writes: list[str] = []
        self.fail_at = fail_at

    def write(self, text: str) -> int:
        if self.fail_at is not None and len(self.writes) + 1 == self.fail_at:
            self.writes.append("<failed>")
            raise OSError(28, "No space left on device")
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_batch_output_is_written_in_blocks_and_every_record_before_a_failure_is_kept() -> None:
    from roleplan.cli.classify import _write_blocks

    stream = _Stream()
    _write_blocks(stream, (f"{i}\n" for i in range(5)), records=2)
    assert stream.writes == ["0\n1\n", "2\n3\n", "4\n"]

    def stops() -> Iterator[str]:
        yield "a\n"
        yield "b\n"
        yield "c\n"
        raise ValueError("binary data")

    stream = _Stream()
    with pytest.raises(ValueError):
        _write_blocks(stream, stops(), records=2)
    assert stream.writes == ["a\nb\n", "c\n"]

    stream = _Stream(fail_at=1)  # the first block's write fails: it is not tried again
    with pytest.raises(OSError):
        _write_blocks(stream, (f"{i}\n" for i in range(3)), records=2)
    assert stream.writes == ["<failed>"]
