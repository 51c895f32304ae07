"""Loading the benchmarks: packaged data, part by part, overrides, validation messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplan import benchmarks as loader
from roleplan.benchmarks import deep_merge, load_all, load_benchmarks, load_calendar
from roleplan.errors import BenchmarksError, InputError
from roleplan.models.benchmarks import BENCHMARKS_KEYS, SECTIONS


def test_packaged_default_is_valid_and_fully_cited() -> None:
    """The build-time check of the packaged data, which commands without an override then trust."""
    b = load_all(validate=True)
    names = {s.name for s in b.sources}
    cited = b.cited()
    assert len(cited) > 30
    assert {path.split(".")[0] for path, _ in cited} >= {"se_ratios", "comp", "calendar", "classify"}
    for path, fig in cited:
        assert fig.source in names, path
        assert 2000 <= fig.as_of <= 2100, path


def test_the_trusted_packaged_data_is_what_pydantic_makes_of_it() -> None:
    """The differential test of `_construct` (the fast path without Pydantic): same objects, same types."""
    validated, built = load_all(validate=True), load_all()
    assert built == validated
    assert repr(built) == repr(validated)  # 3 and 3.0 are equal but print differently


def test_packaged_files_hold_the_parts_the_loader_expects() -> None:
    import yaml

    keys: list[str] = []
    for name, parts in loader.PACKAGED_FILES.items():
        data = yaml.safe_load(Path(loader.packaged_path(name)).read_text(encoding="utf-8"))
        expected = {k for p in parts for k in ((p,) if p in SECTIONS else BENCHMARKS_KEYS)}
        assert set(data) == expected, name
        keys += data
    assert len(keys) == len(set(keys))


def test_issue_figures_are_in_the_data() -> None:
    b = load_benchmarks()
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
        ("handoff: {}\nhandof: {}\n", "handof: Unexpected keyword argument", 2),
        # a part the calculators never read is still validated when the override touches it
        ("calendar:\n  dominant_share: 2\n", "calendar: dominant_share must be above 0.5", 2),
        ("calendar:\n  signals:\n    se: [{name: x}]\n", "calendar.signals.se.0.patterns: Field required", 3),
        ("calendar:\n  source: Nobody\n", "calendar: source 'Nobody' is not in `sources`", 2),
        (
            "classify:\n  decision:\n    mention_discount: 3\n",
            "classify.decision.mention_discount: must be between",
            3,
        ),
    ],
)
def test_override_errors_name_file_and_line(tmp_path: Path, text: str, needle: str, line: int | None) -> None:
    p = write(tmp_path, text)
    with pytest.raises(BenchmarksError) as err:
        load_benchmarks(p)
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


def test_a_command_reads_only_the_packaged_files_of_its_part(monkeypatch: pytest.MonkeyPatch) -> None:
    from roleplan import yamlio

    parsed: list[str] = []
    real = yamlio.parse_yaml

    def recording(text: str, source: str) -> yamlio.YamlDoc:
        parsed.append(Path(source).name)
        return real(text, source)

    monkeypatch.setattr(yamlio, "parse_yaml", recording)
    load_benchmarks()
    assert parsed == ["benchmarks.yaml"]
    parsed.clear()
    assert load_calendar().default_window_days > 0
    assert parsed == ["benchmarks.yaml"]  # the calendar section and the sources it cites


def test_sections_cite_the_sources_of_the_data(tmp_path: Path) -> None:
    """The calendar and classify sections are validated apart from the figures, against the same sources."""
    p = write(tmp_path, "sources:\n  - {name: Only, as_of: 2026}\n")
    with pytest.raises(BenchmarksError, match="is not in `sources`") as err:
        load_calendar(p)
    assert err.value.file is not None and err.value.line is not None


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_calculator_loads_neither_the_other_sections_nor_a_cache(tmp_path: Path, fmt: str) -> None:
    """The cold-start budget (bench/cold_start.py): a calculator builds its own figures only."""
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
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("ROLEPLAN_BENCHMARKS", None)
    args = [sys.executable, "-c", code, "staff", "--stage", "seriesB", "--aes", "12", "-f", fmt]
    run = subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=tmp_path)
    loaded = set(run.stderr.split())
    assert {"roleplan.models.staffing", "roleplan.models.benchmarks"} <= loaded
    unwanted = {  # (Rich's table path imports the stdlib pickle module; nothing is unpickled: no cache below)
        "pydantic",  # the packaged data is trusted (validated by the test suite)
        "roleplan.core.classify",
        "roleplan.models.calendar_config",
        "roleplan.models.classify_config",
    }
    if fmt == "json":
        unwanted |= {"rich.console", "rich.table"}
    assert sorted(loaded & unwanted) == []
    assert list(home.iterdir()) == []  # nothing written: no cache


def test_figures_are_frozen_slotted_dataclasses() -> None:
    import dataclasses

    from roleplan.models.figures import Band

    band = Band(min=1, max=2)
    assert band == Band(min=1, max=2) and band != Band(min=1, max=3)
    assert hash(band) == hash(Band(min=1, max=2))
    assert repr(band) == "Band(min=1, max=2)"
    assert dataclasses.replace(band, max=5) == Band(min=1, max=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        band.min = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        band.typo = 3  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del band.max
    with pytest.raises(ValueError, match="must not exceed"):
        Band(min=3, max=2)


def test_loaded_figures_refuse_assignment() -> None:
    import dataclasses

    b = load_benchmarks()
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.se_ratios.ceiling.max_reps_per_se = 99  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.handoff.typo = 3  # type: ignore[attr-defined]
