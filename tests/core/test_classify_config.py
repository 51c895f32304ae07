"""The signals are data: users retune or extend them with --benchmarks, and bad data is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplan.benchmarks import load_benchmarks, load_classifier
from roleplan.core.classify import features
from roleplan.errors import BenchmarksError


def _override(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "over.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_packaged_signals_are_valid() -> None:
    cfg = load_classifier()
    assert {r.family for r in cfg.roles.values()} == {"se", "sa", "other"}
    assert cfg.roles["sales_engineer"].soc == "41-9031.00"
    assert cfg.roles["solutions_architect"].soc == "15-1299.08"
    assert all(m.source for m in cfg.company_titles.values())


def test_a_user_signal_is_used(tmp_path: Path) -> None:
    path = _override(
        tmp_path,
        "classify:\n  signals:\n    custom.bake_off:\n      phrases: [bake off(s|)]\n"
        "      weights: {sales_engineer: 5}\n",
    )
    cfg = load_classifier(path)
    # read at once; the model weighs it once it is refitted (`roleplan train`) with the signal in place
    assert "custom.bake_off" in features("Run bake-offs against competitors.", config=cfg)
    assert "presales.poc" in cfg.signals  # the packaged signals are still there


def test_a_model_feature_must_name_a_signal(tmp_path: Path) -> None:
    path = _override(tmp_path, 'classify:\n  model:\n    weights: [["presales.dmo", 1, 0, -1]]\n')
    with pytest.raises(BenchmarksError, match=r"did you mean 'presales\.demo'"):
        load_classifier(path)


def test_unknown_role_names_the_line_and_suggests(tmp_path: Path) -> None:
    path = _override(
        tmp_path,
        "classify:\n  signals:\n    custom.x:\n      phrases: [widgets]\n      weights: {sales_enginer: 1}\n",
    )
    with pytest.raises(BenchmarksError) as err:
        load_benchmarks(path)
    assert "sales_enginer" in str(err.value)
    assert "sales_engineer" in str(err.value)
    assert err.value.line is not None


def test_bad_phrase_syntax_is_an_error(tmp_path: Path) -> None:
    path = _override(
        tmp_path,
        "classify:\n  signals:\n    custom.x:\n      phrases: ['(widgets']\n"
        "      weights: {sales_engineer: 1}\n",
    )
    with pytest.raises(BenchmarksError, match="unbalanced"):
        load_benchmarks(path)


def test_company_map_must_cite_a_known_source(tmp_path: Path) -> None:
    path = _override(
        tmp_path,
        "classify:\n  company_titles:\n    x:\n      companies: [Acme]\n      titles: [solutions architect]\n"
        "      role: sales_engineer\n      source: My blog\n      as_of: 2026\n",
    )
    with pytest.raises(BenchmarksError, match="My blog"):
        load_benchmarks(path)
