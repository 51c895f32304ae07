"""`roleplan train`: the weights come from the labelled data, and bad data writes nothing.

The postings here are generated from duty lines written for this test (no real posting is copied).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roleplan.benchmarks import load_classifier
from roleplan.cli.app import app
from roleplan.core.classify import classify

pytest.importorskip("sklearn", reason="roleplan[train] is part of the test extra; CI installs it")

DUTIES = {
    "se": [
        "Run discovery calls with prospects and map their requirements.",
        "Deliver tailored product demos to buying committees.",
        "Scope and run proofs of concept against competitors.",
        "Answer RFPs and security questionnaires.",
        "Partner with account executives to win the technical decision.",
        "Handle technical objections during the sales cycle.",
        "Build ROI models and business cases for prospects.",
    ],
    "sa": [
        "Design reference architectures after the contract is signed.",
        "Plan and lead data migrations from legacy systems.",
        "Own the go-live and hypercare for new customers.",
        "Write runbooks for the production environment.",
        "Design integrations with the customer's engineering team.",
        "Deliver projects against the statement of work.",
        "Lead the deployment plan and technical onboarding.",
    ],
    "other": [
        "Resolve support tickets within the SLA.",
        "Own the product roadmap and write user stories.",
        "Write clean code and review pull requests.",
        "Run renewals and quarterly business reviews with your book of business.",
        "Close new business and carry a quota.",
        "Maintain battlecards and competitive intelligence.",
        "Build sales enablement programs for new hires.",
    ],
}
NEUTRAL = ["Work from anywhere in Europe.", "We value curiosity.", "Travel up to 20%."]
TITLES = {"se": "Technical Consultant", "sa": "Technical Consultant", "other": "Specialist"}


def _postings(n_per_family: int, seed: int = 7, swap: bool = False) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for fam, lines in DUTIES.items():
        for i in range(n_per_family):
            duties = rng.sample(lines, 4) + rng.sample(NEUTRAL, 1)
            label = {"se": "sa", "sa": "se"}.get(fam, fam) if swap else fam
            out.append(
                {
                    "id": f"{fam}-{i}",
                    "title": TITLES[fam],
                    "company": f"{fam.title()} Co {i}",
                    "label": label,
                    "text": "Responsibilities\n" + "\n".join(f"- {d}" for d in duties),
                }
            )
    return out


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


PRESALES = (
    "Responsibilities\n- Run discovery calls with prospects.\n- Deliver tailored product demos.\n"
    "- Scope and run proofs of concept.\n- Answer RFPs and security questionnaires.\n"
)


def test_a_model_trained_on_swapped_labels_calls_pre_sales_sa(tmp_path: Path) -> None:
    data = _write(tmp_path / "swapped.jsonl", _postings(12, swap=True))
    model = tmp_path / "model.yaml"
    r = CliRunner().invoke(app, ["train", str(data), "-o", str(model), "--cv", "3"])
    assert r.exit_code == 0, r.output
    swapped = classify(PRESALES, config=load_classifier(model))
    packaged = classify(PRESALES, config=load_classifier())
    assert packaged.family == "se"
    assert swapped.family == "sa", swapped.scores
    # and the override is what `classify --benchmarks` uses
    out = CliRunner().invoke(app, ["classify", "-", "--benchmarks", str(model), "-f", "json"], input=PRESALES)
    assert json.loads(out.stdout)[0]["family"] == "sa"


def test_train_prints_the_cv_report_and_json_has_the_figures(tmp_path: Path) -> None:
    data = _write(tmp_path / "data.jsonl", _postings(10))
    model = tmp_path / "m.yaml"
    r = CliRunner().invoke(app, ["train", str(data), "-o", str(model), "--cv", "3", "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["n"] == 30
    assert report["cv"]["folds"] == 3
    assert 0.0 <= report["cv"]["accuracy"] <= 1.0
    assert {f["family"] for f in report["cv"]["per_family"]} >= {"se", "sa", "other"}
    assert sum(sum(row.values()) for row in report["cv"]["confusion"].values()) == 30
    assert [p["fraction"] for p in report["cv"]["learning_curve"]] == [0.25, 0.5, 0.75, 1]
    curve = report["cv"]["review_curve"]
    assert [p["share"] for p in curve] == [0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    assert all(0.0 <= p["flagged"] <= 1.0 and 0.0 <= p["miss_coverage"] <= 1.0 for p in curve)
    hybrid = report["cv"]["hybrid_curve"]
    assert [p["hybrid_min"] for p in hybrid] == [0.4, 0.35, 0.3, 0.25, 0.2, 0.15]
    # no hybrid labels here: a lower bar only adds hybrid answers, never right ones
    assert all(p["recall"] == 0.0 for p in hybrid)
    assert [p["predicted"] for p in hybrid] == sorted(p["predicted"] for p in hybrid)
    assert report["model"]["hybrid_min"] == 0.5  # so the fitted bar answers hybrid (almost) never
    text = model.read_text(encoding="utf-8")
    assert text.startswith("# A classifier model fitted by `roleplan train`")
    assert "Responsibilities" not in text and "Run discovery" not in text  # weights, never the postings
    table = CliRunner().invoke(app, ["train", str(data), "-o", str(model), "--cv", "3", "--force"])
    assert table.exit_code == 0 and "Grouped 3-fold cross-validation" in table.stdout
    assert "needs_review trade-off" in table.stdout


def test_train_never_overwrites_without_force(tmp_path: Path) -> None:
    data = _write(tmp_path / "data.jsonl", _postings(6))
    model = tmp_path / "m.yaml"
    model.write_text("mine\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["train", str(data), "-o", str(model)])
    assert r.exit_code == 2 and "already exists; use --force" in r.stderr
    assert model.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{**p, "label": "presales"} for p in _postings(6)], "unknown label"),
        ([p for p in _postings(6) if p["label"] != "sa"][:5] + _postings(6)[6:7], "too few records labelled"),
        ([{**p, "label": "se"} for p in _postings(6)], "a model needs se, sa and other"),
        ([{k: v for k, v in p.items() if k != "label"} for p in _postings(6)], "has no label"),
    ],
)
def test_bad_labelled_data_exits_2_and_writes_nothing(
    tmp_path: Path, records: list[dict[str, str]], message: str
) -> None:
    data = _write(tmp_path / "bad.jsonl", records)
    model = tmp_path / "m.yaml"
    r = CliRunner().invoke(app, ["train", str(data), "-o", str(model)])
    assert r.exit_code == 2, r.output
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not model.exists()


def test_without_scikit_learn_train_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a)
    )
    data = _write(tmp_path / "data.jsonl", _postings(6))
    r = CliRunner().invoke(app, ["train", str(data), "-o", str(tmp_path / "m.yaml")])
    assert r.exit_code == 2
    assert "pip install 'roleplan[train]'" in r.stderr and len(r.stderr.strip().splitlines()) == 1


HAND_MODEL = """classify:
  model:
    features: {pooled: true, sections: false, title_words: true}
    intercepts: [0.0, 0.0, 0.0]
    weights:
      - ["presales.demo", 2.0, 0.0, 0.0]
      - ["postsales.golive", 0.0, 2.0, 0.0]
      - ["title:sales_engineer", 3.0, 0.0, 0.0]
    temperature: 1.0
    hybrid_min: 0.4
    review_below: 0.6
"""


def test_classify_with_a_model_file_calls_duties_spanning_both_hybrid_and_flags_it(tmp_path: Path) -> None:
    model = tmp_path / "hand.yaml"
    model.write_text(HAND_MODEL, encoding="utf-8")
    posting = "Responsibilities\n- Deliver product demos.\n- Own the go-live.\n"
    args = ["classify", "-", "--title", "Sales Engineer", "--benchmarks", str(model), "-f", "json"]
    out = CliRunner().invoke(app, args, input=posting)
    assert out.exit_code == 0, out.output
    rec = json.loads(out.stdout)[0]
    assert rec["evidence"][0] == {  # the title leans se ...
        "phrase": "Sales Engineer",
        "signal": "title",
        "family": "se",
        "weight": 2.0,
        "where": "title",
    }
    assert rec["family"] == "hybrid" and rec["needs_review"] is True  # ... the duties span both
    assert rec["confidence"] == pytest.approx(0.444, abs=1e-3)
    lean = HAND_MODEL.replace('["presales.demo", 2.0,', '["presales.demo", 4.0,')
    model.write_text(lean, encoding="utf-8")
    rec = json.loads(CliRunner().invoke(app, args, input=posting).stdout)[0]
    assert rec["family"] == "se" and rec["needs_review"] is False
