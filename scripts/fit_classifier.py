"""Fit the packaged classifier model (the `model:` block of src/roleplan/data/signals.yaml), reproducibly.

Run: python scripts/fit_classifier.py ../shared/eval/jd_train.jsonl ../shared/eval/jd_dev.jsonl [--seed 0]

It reads the labelled postings with the packaged signals, runs exactly what `roleplan train --cv 5` runs
(core/train.py: grouped 5-fold CV by employer, fixed seed), prints the CV report and rewrites the block
after the `# The fitted model` line of signals.yaml. The postings' texts stay out of the repository: only
weights of named features and the provenance are written.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from roleplan.benchmarks import load_classifier  # noqa: E402
from roleplan.cli.train import read_examples  # noqa: E402
from roleplan.core.train import train  # noqa: E402
from roleplan.report.train import model_yaml, summary, table  # noqa: E402

SIGNALS = ROOT / "src" / "roleplan" / "data" / "signals.yaml"
MARKER = "  # The fitted model"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labelled", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    config = load_classifier()
    examples = read_examples(args.labelled, config)
    command = "python scripts/fit_classifier.py " + shlex.join(
        [*(f"../shared/eval/{p.name}" for p in args.labelled), "--seed", str(args.seed)]
    )
    result = train(
        examples,
        folds=args.folds,
        seed=args.seed,
        provenance={
            "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
            "command": command,
            "data": [p.name for p in args.labelled],
        },
    )
    from rich.console import Console

    Console(width=110).print(table(result))
    text = SIGNALS.read_text(encoding="utf-8")
    head = text[: text.index(MARKER)]
    block = (
        f"{MARKER} (scripts/fit_classifier.py writes this block; `roleplan train` writes one for your data).\n"
        f"  # {summary(result)}\n"
        "  model:\n" + model_yaml(result.model, indent=4)
    )
    SIGNALS.write_text(head + block, encoding="utf-8")
    print(f"wrote the model block of {SIGNALS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
