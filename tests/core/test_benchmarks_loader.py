"""Loading the benchmarks: packaged default, overrides, validation messages, cache."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from roleplan import benchmarks as loader
from roleplan.benchmarks import deep_merge, load_benchmarks
from roleplan.errors import BenchmarksError, InputError
from roleplan.models.classify_config import ClassifyConfig


def test_packaged_default_is_valid_and_fully_cited() -> None:
    b = load_benchmarks(use_cache=False)
    names = {s.name for s in b.sources}
    cited = b.cited()
    assert len(cited) > 30
    for path, fig in cited:
        assert fig.source in names, path
        assert 2000 <= fig.as_of <= 2100, path


def test_issue_figures_are_in_the_data() -> None:
    b = load_benchmarks(use_cache=False)
    seg = b.se_ratios.segments
    assert (seg["mid-market"].aes_per_se.min, seg["mid-market"].aes_per_se.max) == (3, 4)
    assert seg["enterprise"].aes_per_se.max == 2 and seg["platform"].aes_per_se.max == 1
    assert b.stage_rules.early_stage.aes_per_se == 3 and b.stage_rules.early_stage.revisit_poc_win_rate == 0.6
    assert b.se_ratios.ceiling.max_reps_per_se == 8
    assert (b.sa_ratios.strategic.accounts_per_sa.min, b.sa_ratios.strategic.accounts_per_sa.max) == (8, 15)
    assert (b.sa_ratios.commercial.accounts_per_sa.min, b.sa_ratios.commercial.accounts_per_sa.max) == (
        20,
        30,
    )
    assert b.stage_rules.deployment_debt.max_days_to_first_value == 120
    assert b.stage_rules.deployment_debt.min_deployed_at_renewal == 0.7
    assert (b.stage_rules.first_sa.arr.min, b.stage_rules.first_sa.arr.max) == (15e6, 25e6)
    assert set(b.stage_rules.platform_model.companies) >= {"Snowflake", "Databricks", "MongoDB"}
    assert (b.comp.sa_base_premium.premium.min, b.comp.sa_base_premium.premium.max) == (0.05, 0.15)
    assert b.handoff.within_business_days == 5 and b.handoff.architecture_lock_days == 30
    assert len(b.handoff.documents) == 5


def test_deep_merge() -> None:
    assert deep_merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"c": 3}, "l": [2]}) == {
        "a": {"b": 1, "c": 3},
        "l": [2],
    }


def write(tmp_path: Path, text: str, name: str = "o.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        (
            "se_ratios:\n  segments:\n    enterprise:\n      aes_per_se: {min: 3, max: 2}\n",
            "must not exceed",
            4,
        ),
        ("se_ratios:\n  segmentz: {}\n", "se_ratios.segmentz", 2),
        (
            "comp:\n  bands:\n    - role: ae\n      total: {min: 1, max: 2}\n      source: x\n      as_of: 1\n",
            "comp.bands.0.role",
            3,
        ),
        ("handoff:\n  within_business_days: soon\n", "handoff.within_business_days", 2),
        ("- just\n- a list\n", "expected a mapping", None),
        ("a: b\na: c\n", "duplicate key 'a'", 2),
    ],
)
def test_override_errors_name_file_and_line(tmp_path: Path, text: str, needle: str, line: int | None) -> None:
    p = write(tmp_path, text)
    with pytest.raises(BenchmarksError) as err:
        load_benchmarks(p, use_cache=False)
    assert needle in str(err.value)
    assert err.value.file == str(p)
    assert err.value.line == line


def test_override_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_benchmarks(tmp_path / "missing.yaml")
    empty = write(tmp_path, "   \n")
    with pytest.raises(InputError, match="empty"):
        load_benchmarks(empty)
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        load_benchmarks(binary)
    latin = tmp_path / "l.yaml"
    latin.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8") as err:
        load_benchmarks(latin)
    assert err.value.line == 1


def test_cache_hit_skips_validation_and_respects_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEPLAN_CACHE_DIR", str(tmp_path / "cache"))
    first = load_benchmarks()
    assert list((tmp_path / "cache").glob("benchmarks-*.pickle"))

    def boom(*_: object) -> None:
        raise AssertionError("validated again despite a cache hit")

    monkeypatch.setattr(loader, "_build", boom)
    assert load_benchmarks() == first
    # a different override is a different key: it must be built
    p = write(tmp_path, "handoff:\n  within_business_days: 7\n")
    with pytest.raises(AssertionError, match="validated again"):
        load_benchmarks(p)


def test_corrupt_or_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ROLEPLAN_CACHE_DIR", str(cache))
    load_benchmarks()
    for f in cache.glob("benchmarks-*.pickle"):
        f.write_bytes(b"not a pickle")
    assert load_benchmarks().schema_version == 1
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("ROLEPLAN_CACHE_DIR", str(blocker / "sub"))
    assert load_benchmarks().schema_version == 1


def test_classifier_matcher_is_cached_and_a_bad_copy_recompiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roleplan.core import classify as core

    cache = tmp_path / "cache"
    monkeypatch.setenv("ROLEPLAN_CACHE_DIR", str(cache))
    text = "Run discovery calls and product demos, build proofs of concept and answer RFPs with the AEs."
    expected = core.classify(
        text, title="Solutions Architect", config=load_benchmarks(use_cache=False).classify
    )
    loader.load_classifier()
    (stored,) = cache.glob("classifier-*.pickle")
    compiles: list[object] = []
    real = core._compile

    def counting(config: ClassifyConfig) -> object:
        compiles.append(config)
        return real(config)

    monkeypatch.setattr(core, "_compile", counting)

    config = loader.load_classifier()  # a new config object: its matcher comes from the cache
    assert compiles == []
    assert core.classify(text, title="Solutions Architect", config=config) == expected

    for bad in (b"not a pickle", pickle.dumps({"not": "a matcher"})):
        stored.write_bytes(bad)
        config = loader.load_classifier()
        assert len(compiles) == 1 and compiles.pop() is config
        assert core.classify(text, title="Solutions Architect", config=config) == expected
    # an override is a different matcher, cached under its own key
    loader.load_classifier(write(tmp_path, "classify:\n  decision:\n    hybrid_ratio: 0.9\n"))
    assert len(list(cache.glob("classifier-*.pickle"))) == 2


def test_cache_key_changes_with_every_input(tmp_path: Path) -> None:
    packaged = loader._packaged()
    key = loader._cache_key(packaged, None)
    assert loader._cache_key(packaged, None) == key
    assert loader._cache_key(packaged, b"handoff: {}\n") != key
    edited = [(name, raw.replace(b"2026", b"2027", 1)) for name, raw in packaged]
    assert loader._cache_key(edited, None) != key
    # the same bytes moved from the last packaged file to the override are a different input
    *first, (last_name, last_raw) = packaged
    assert loader._cache_key([*first, (last_name, b"")], last_raw) != key


def test_cached_copy_defers_calendar_and_classify_until_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEPLAN_CACHE_DIR", str(tmp_path / "cache"))
    built = load_benchmarks()  # fills the cache
    cached = load_benchmarks()
    pending = vars(cached)["_pickled_sections"]
    assert set(pending) == {"calendar", "classify"} and "classify" not in vars(cached)
    assert cached.classify == built.classify
    assert set(vars(cached)["_pickled_sections"]) == {"calendar"}
    assert cached == built  # reads the calendar too
    assert "_pickled_sections" not in vars(cached)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cached.nope  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_calculator_imports_neither_pydantic_nor_yaml_nor_other_sections(tmp_path: Path, fmt: str) -> None:
    """The cold-start budget (bench/cold_start.py): a cache hit needs none of these, nor Rich's tables."""
    import os
    import subprocess
    import sys

    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(*sorted(sys.modules), file=sys.stderr))\n"
        "sys.argv = ['roleplan', *sys.argv[1:]]\n"
        "from roleplan.cli.app import main\n"
        "main()\n"
    )
    env = {**os.environ, "ROLEPLAN_CACHE_DIR": str(tmp_path / "cache")}
    args = [sys.executable, "-c", code, "staff", "--stage", "seriesB", "--aes", "12", "-f", fmt]
    subprocess.run(args, env=env, check=True, capture_output=True)  # fills the cache
    second = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    loaded = set(second.stderr.split())
    assert "roleplan.models.staffing" in loaded
    unwanted = {
        "pydantic",
        "yaml",
        "hashlib",
        "importlib.resources",
        "roleplan.models.calendar_config",
        "roleplan.models.classify_config",
        "roleplan.yamlio",
        "rich.table",
        "rich.console",
    }
    assert sorted(loaded & unwanted) == []


def test_model_records_behave_like_frozen_dataclasses() -> None:
    """`@model` (figures.py) keeps the meaning of `@dataclass(frozen=True)` at less start-up cost."""
    import dataclasses
    import pickle

    from roleplan.models.figures import Band

    band = Band(min=1, max=2)
    assert band == Band(min=1, max=2) and band != Band(min=1, max=3)
    assert hash(band) == hash(Band(min=1, max=2))
    assert repr(band) == "Band(min=1, max=2)"
    assert pickle.loads(pickle.dumps(band)) == band
    assert dataclasses.replace(band, max=5) == Band(min=1, max=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        band.min = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del band.max
    with pytest.raises(ValueError, match="must not exceed"):
        Band(min=3, max=2)
