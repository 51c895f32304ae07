"""The layers the README's Development section draws, read from every module's imports (lazy ones too)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "roleplan"
LEAVES = {"errors", "names", "money", "fileio", "yamlio", "atomic", "_scan", "__version__"}
#: What each layer may import besides itself and the leaves.
ALLOWED = {
    "models": set(),
    "core": {"models"},
    "report": {"models", "core"},
    "loaders": {"models", "core"},
    "benchmarks": {"models", "core"},
    "cli": {"models", "core", "report", "loaders", "benchmarks"},
    "api": {"models", "core", "report", "loaders", "benchmarks"},
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "roleplan"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "roleplan":
            if node.module == "roleplan":
                found.update(f"roleplan.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "roleplan")
    return found


def test_each_layer_imports_only_what_it_may() -> None:
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("roleplan", *path.relative_to(SRC).with_suffix("").parts))
        layer = _layer(module)
        if layer not in ALLOWED:
            continue
        for target in sorted(_imports(path)):
            other = _layer(target)
            if other not in {layer, "roleplan", *LEAVES, *ALLOWED[layer]}:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_leaves_import_only_leaves() -> None:
    for name in LEAVES - {"_scan", "__version__"}:
        path = SRC / f"{name}.py"
        targets = {_layer(t) for t in _imports(path)}
        assert targets <= LEAVES, (name, targets)
