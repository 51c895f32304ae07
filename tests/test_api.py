"""The library API (`roleplan.classify`, `classify_many`, `staff`): the CLI's results, without the CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import roleplan
from tests.conftest import FIXTURES, Run

BATCH = FIXTURES / "jd" / "batch.jsonl"
SE_TEXT = (
    "Partner with Account Executives on discovery, run tailored demos and proofs of concept for prospects, "
    "and answer RFPs and security questionnaires to secure the technical win."
)
SA_TEXT = (
    "After the contract is signed you own the customer's reference architecture, plan the data migration "
    "and lead the go-live, then drive adoption."
)


def _cli_rows(run: Run, *args: str) -> list[dict[str, Any]]:
    r = run("classify", *args, "-f", "jsonl")
    return [json.loads(line) for line in r.out.splitlines()]


def test_classify_is_the_cli_result(run: Run) -> None:
    posting = FIXTURES / "classify" / "postsales_sa.txt"
    cli = _cli_rows(run, str(posting), "--title", "Solutions Architect", "--company", "Acme")[0]
    res = roleplan.classify(posting.read_text(encoding="utf-8"), title="Solutions Architect", company="Acme")
    assert isinstance(res, roleplan.RoleClassification)
    assert (res.family, res.role, res.needs_review) == (cli["family"], cli["role"], cli["needs_review"])
    assert res.confidence is not None and f"{res.confidence:.3f}" == f"{cli['confidence']:.3f}"
    assert res.soc is not None and res.soc.code == cli["soc"]["code"]
    assert [e.signal for e in res.evidence] == [e["signal"] for e in cli["evidence"]]
    assert res.to_dict() | {"id": cli["id"]} == cli
    assert res.error is None


def test_classify_many_yields_the_cli_rows_in_order(run: Run) -> None:
    cli = _cli_rows(run, str(BATCH))
    records = [json.loads(line) for line in BATCH.read_text(encoding="utf-8").splitlines() if line.strip()]
    api = [r.to_dict() for r in roleplan.classify_many(records)]
    assert [r["id"] for r in api] == ["cobalt-se", "42", "2", "blank"]  # no id: the position
    assert [a | {"id": c["id"]} for a, c in zip(api, cli, strict=True)] == cli
    assert api[3]["error"] == "empty text"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, "missing text"),
        (math.nan, "missing text"),
        ("", "empty text"),
        ("  \n", "empty text"),
        (42, "text must be a string, got int"),
    ],
)
def test_a_text_that_is_not_there_is_an_error_result(text: Any, error: str) -> None:
    res = roleplan.classify(text, title="Sales Engineer")
    assert res.error == error
    assert (res.family, res.role, res.confidence, res.soc, res.evidence) == (None, None, None, None, ())
    assert res.title == "Sales Engineer"
    assert res.to_dict()["error"] == error and res.to_dict()["family"] is None


def test_classify_many_takes_strings_mappings_and_other_field_names() -> None:
    texts = [SE_TEXT, None, SA_TEXT]
    assert [(r.id, r.family, r.error) for r in roleplan.classify_many(texts)] == [
        ("0", "se", None),
        ("1", None, "missing text"),
        ("2", "sa", None),
    ]
    rows = [{"ref": "a", "description": SA_TEXT, "job": "Solutions Architect"}, {"ref": "b"}]
    out = list(roleplan.classify_many(rows, text_field="description", id_field="ref", title_field="job"))
    assert [(r.id, r.family, r.title, r.error) for r in out] == [
        ("a", "sa", "Solutions Architect", None),
        ("b", None, None, "missing text"),
    ]


def test_classify_many_is_lazy() -> None:
    def endless() -> Any:
        while True:
            yield SE_TEXT

    results = roleplan.classify_many(endless())
    assert [next(results).family for _ in range(3)] == ["se", "se", "se"]


def test_one_mapping_or_one_string_is_refused_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"for one text use roleplan\.classify"):
        list(roleplan.classify_many(SE_TEXT))
    with pytest.raises(TypeError, match="wrap it in a list"):
        list(roleplan.classify_many({"text": SE_TEXT}))


def test_a_bad_override_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nope\.yaml: no such file"):
        roleplan.classify(SE_TEXT, benchmarks=tmp_path / "nope.yaml")


def test_pandas_dataframe_and_series() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "req": ["r-1", "r-2", "r-3"],
            "description": [SE_TEXT, None, SA_TEXT],
            "title": ["Solutions Architect", "Sales Engineer", math.nan],
        }
    )
    df.loc[1, "description"] = math.nan  # pandas' own missing value
    out = list(roleplan.classify_many(df, text_field="description", id_field="req"))
    assert [(r.id, r.family, r.error) for r in out] == [
        ("r-1", "se", None),
        ("r-2", None, "missing text"),
        ("r-3", "sa", None),
    ]
    assert out[0].title_mismatch is True and out[2].title is None
    # a column: ids from the index; pd.NA and None are missing too
    series = pd.Series([SA_TEXT, pd.NA, SE_TEXT], index=[10, 20, 30], dtype="string")
    assert [(r.id, r.family, r.error) for r in roleplan.classify_many(series)] == [
        ("10", "sa", None),
        ("20", None, "missing text"),
        ("30", "se", None),
    ]
    # back into the frame: one column per field
    df["family"] = [r.family for r in roleplan.classify_many(df["description"])]
    assert df["family"].tolist()[0] == "se" and df["family"].isna().tolist() == [False, True, False]
    frame = pd.DataFrame([r.to_dict() for r in out])
    assert list(frame.columns)[:6] == ["id", "title", "company", "family", "role", "confidence"]


def test_a_dataframe_without_the_text_column_says_which_it_has() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValueError, match=r"no 'text' column \(columns: body\); pass text_field="):
        list(roleplan.classify_many(pd.DataFrame({"body": [SE_TEXT]})))


def test_dask_partitions_with_the_local_scheduler() -> None:
    """The README's recipe: classify_many per partition gives the single-process results, in order."""
    bag = pytest.importorskip("dask.bag")
    import dask

    records = [{"id": f"p{i}", "text": (SE_TEXT, SA_TEXT, None)[i % 3]} for i in range(30)]

    def classify_partition(part: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r.to_dict() for r in roleplan.classify_many(part)]

    with dask.config.set(scheduler="processes", num_workers=2):
        got = bag.from_sequence(records, npartitions=4).map_partitions(classify_partition).compute()
    assert got == [r.to_dict() for r in roleplan.classify_many(records)]


def test_staff_is_the_cli_json(run: Run) -> None:
    cli = json.loads(run("staff", "--stage", "seriesC", "--aes", "20", "--arr", "40M", "-f", "json").out)
    assert roleplan.staff(stage="seriesC", aes=20, arr="40M") == cli
    assert roleplan.staff(stage="seriesC", aes=20, arr=40_000_000) == cli


def test_staff_bad_values_raise_value_errors_with_the_cli_message() -> None:
    with pytest.raises(ValueError, match="unknown stage 'seriesQ'; did you mean 'seriesD'"):
        roleplan.staff(stage="seriesQ", aes=12)
    with pytest.raises(ValueError, match="poc_win_rate"):
        roleplan.staff(stage="seriesB", aes=12, poc_win_rate="lots")


def test_import_roleplan_is_cheap_and_typed() -> None:
    code = (
        "import sys, roleplan; "
        "print(sorted(m for m in sys.modules if m.startswith(('roleplan.', 'pydantic', 'yaml', 'typer', 'rich'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    assert resources.files("roleplan").joinpath("py.typed").is_file()
    assert {"classify", "classify_many", "staff", "RoleClassification"} <= set(dir(roleplan))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = roleplan.nope
