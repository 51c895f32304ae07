"""Read plan files: YAML through roleplan.yamlio, schema problems as RP000 findings with their lines.

What cannot be checked at all (missing file, not YAML, not a mapping, alias bomb, too big, binary, not
UTF-8) raises InputError (exit 2); everything else wrong with a plan is a finding, one per problem.
"""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplan.errors import InputError, closest, unknown_name
from roleplan.fileio import read_stream
from roleplan.models.benchmarks import LEVELS, MOTIONS, SEGMENTS, STAGES
from roleplan.models.findings import Finding
from roleplan.models.rules import BY_ID, BY_NAME, WAIVABLE_NAMES
from roleplan.yamlio import BOM, MAX_BYTES, YamlDoc, decode_strict, load_yaml_file, parse_yaml

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from roleplan.models.plan import Plan

PLAN_NAME = "roleplan.yaml"
PLAN_SUFFIX = ".roleplan.yaml"
_NAMES: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "motion": MOTIONS,
    "segment": SEGMENTS,
    "rule": WAIVABLE_NAMES,
}
_KEYS: dict[str, tuple[str, ...]] = {
    "plan": ("company", "metrics", "teams", "budget", "ignore"),
    "company": ("name", "stage", "motion", "arr"),
    "metrics": ("poc_win_rate", "days_to_first_value", "deployed_at_renewal", "enterprise_customers_live"),
    "team": ("segment", "name", "levels", "quarters"),
    "quarter": ("aes", "ses", "sas", "strategic_accounts", "commercial_accounts", "arr"),
    "waiver": ("rule", "reason", "until", "segment", "quarter"),
}


@dataclass
class LoadedPlan:
    """A plan file read and validated: `plan` is None when schema problems (in `problems`) stop the rules."""

    file: str
    doc: YamlDoc
    plan: Plan | None
    problems: list[Finding] = field(default_factory=list)

    def line_of(self, path: tuple[str | int, ...]) -> int:
        return self.doc.line_of(path) or 1


#: The argument that means "read the plan from stdin".
STDIN = Path("-")


def expand(paths: Sequence[Path]) -> list[Path]:
    """Plan files from the arguments: files as given (`-` is stdin); a directory gives every roleplan.yaml
    and *.roleplan.yaml below it (sorted), and none found is an error."""
    out: list[Path] = []
    for p in paths:
        if p == STDIN:
            out.append(p)
        elif p.is_dir():
            found = sorted(
                f for f in p.rglob("*.yaml") if f.name == PLAN_NAME or f.name.endswith(PLAN_SUFFIX)
            )
            if not found:
                raise InputError(f"no {PLAN_NAME} or *{PLAN_SUFFIX} files in this directory", file=p)
            out.extend(found)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


#: Directories `discover` does not enter: tool caches and installed packages, not a project's plans.
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})


def discover(root: Path) -> list[Path]:
    """`roleplan check` with no PLAN: ./roleplan.yaml and every *.roleplan.yaml (or roleplan.yaml) below
    `root`, sorted, as paths relative to it. Hidden directories (.git, .venv), virtual environments and
    node_modules are not entered. None found is an error."""
    import os

    found: list[Path] = []
    for directory, dirs, files in os.walk(root):
        here = Path(directory)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and not (here / d / "pyvenv.cfg").exists()
        )
        found += [here / f for f in files if f == PLAN_NAME or f.endswith(PLAN_SUFFIX)]
    if not found:
        raise InputError(
            f"no {PLAN_NAME} or *{PLAN_SUFFIX} here or below; give a PLAN, run 'roleplan init', or set paths "
            "in [tool.roleplan] (pyproject.toml) or .roleplan.toml",
            file=root,
        )
    return sorted(found)


@functools.cache
def _adapter() -> TypeAdapter[Plan]:
    from pydantic import TypeAdapter

    from roleplan.models.plan import Plan

    return TypeAdapter(Plan)


def load_plan(path: Path, *, stdin_name: str = "<stdin>") -> LoadedPlan:
    """Read, parse and validate one plan file (`-`: the plan on `stdin`, reported as `stdin_name`)."""
    if path == STDIN:
        raw = read_stream(sys.stdin.buffer, max_bytes=MAX_BYTES, what="the plan on stdin", name=stdin_name)
        source = stdin_name
        doc = parse_yaml(decode_strict(raw, source), source)
        doc.bom = raw.startswith(BOM)
    else:
        source = str(path)
        doc = load_yaml_file(path)
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a {type(doc.data).__name__} value"
        raise InputError(
            f"a plan is a mapping (company:, teams:, ...), this file holds {kind}", file=source, line=1
        )
    return validate(doc)


def validate(doc: YamlDoc) -> LoadedPlan:
    """Validate parsed YAML as a Plan; every problem becomes an RP000 finding at its line."""
    from pydantic import ValidationError

    loaded = LoadedPlan(file=doc.source, doc=doc, plan=None)
    for dup in doc.duplicates:
        where = _dotted(dup.path)
        loaded.problems.append(
            _rp000(
                doc.source,
                dup.line,
                f"duplicate key {dup.key!r}{' in ' + where if where else ''} "
                f"(first given on line {dup.first_line}; YAML keeps only the last)",
            )
        )
    try:
        loaded.plan = _adapter().validate_python(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        located = [(err, *_clean_loc(doc, tuple(err["loc"]))) for err in errors]
        for err, path, is_key in located:
            # Pydantic counts only the items that validated: "too short" is noise when an item failed
            if err["type"] == "too_short" and any(
                len(p) > len(path) and p[: len(path)] == path for _, p, _ in located
            ):
                continue
            if err["type"] in _UNKNOWN_KEY and err["loc"] and not is_key:
                # the unknown key itself may have no line (inside an alias): locate its mapping, name the key
                parent, _ = _clean_loc(doc, tuple(err["loc"])[:-1])
                message = _unknown_key(parent, err["loc"][-1])
                line = loaded.line_of((*parent, err["loc"][-1]))
            else:
                message, line = _message(err, path, is_key), loaded.line_of(path)
            loaded.problems.append(_rp000(doc.source, line, message))
    except RecursionError:  # pragma: no cover - yamlio already bounds nesting
        loaded.problems.append(_rp000(doc.source, 1, "the plan is nested too deeply"))
    if loaded.problems:
        loaded.plan = None
    return loaded


def _rp000(file: str, line: int, message: str) -> Finding:
    r = BY_ID["RP000"]
    return Finding(rule=r.id, name=r.name, severity=r.severity, message=message, file=file, line=line)


def _clean_loc(doc: YamlDoc, loc: tuple[Any, ...]) -> tuple[tuple[str | int, ...], bool]:
    """The plan path of a Pydantic error location: internal parts (union branches, `[key]`) dropped."""
    path: list[str | int] = []
    is_key = False
    for part in loc:
        if part == "[key]":
            is_key = True
            continue
        candidate = (*path, part)
        if candidate in doc.lines or _is_field(path, part):
            path.append(part)
        elif (*path, str(part)) in doc.lines:
            path.append(str(part))
    return tuple(path), is_key


def _is_field(path: Sequence[str | int], part: Any) -> bool:
    """A schema key (so a missing key's location is kept even though the YAML has no line for it)."""
    return isinstance(part, str) and part in _KEYS.get(_context(path), ())


def _context(path: Sequence[str | int]) -> str:
    """Which mapping a path points into: plan, company, metrics, team, quarter or waiver."""
    n = len(path)
    if n == 0:
        return "plan"
    if n == 1 and path[0] in ("company", "metrics"):
        return str(path[0])
    if n == 2 and path[0] == "teams":
        return "team"
    if n == 4 and path[0] == "teams" and path[2] == "quarters":
        return "quarter"
    if n == 2 and path[0] == "ignore":
        return "waiver"
    return ""


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_UNKNOWN_KEY = ("unexpected_keyword_argument", "extra_forbidden")


def _unknown_key(parent: tuple[str | int, ...], key: Any) -> str:
    keys = _KEYS.get(_context(parent), ())
    hint = closest(str(key), keys)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    allowed = f" (allowed: {', '.join(keys)})" if keys else ""
    return f"{_dotted(parent) or 'top level'}: unknown key {str(key)!r}{suggestion}{allowed}"


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: Any, path: tuple[str | int, ...], is_key: bool) -> str:
    kind: str = err["type"]
    value = err.get("input")
    where = _dotted(path) or "the plan"
    if is_key and len(path) == 4 and path[2] == "quarters":
        return f"{where}: quarter {_short(path[3] if value is None else value)} is not a quarter like 2027-Q1"
    if is_key and len(path) == 2 and path[0] == "budget":
        return f"budget: {_short(path[1] if value is None else value)} is not a quarter (2027-Q1) or a year (2027)"
    if is_key and len(path) == 4 and path[2] == "levels":
        return f"{_dotted(path[:3])}: {unknown_name('level', str(path[3]), LEVELS)}"
    if is_key:
        return f"{where}: key {_short(value)} must be a string"
    if kind.startswith("missing"):
        if not path:
            return "missing required key"
        return f"{_dotted(path[:-1]) or 'top level'}: missing required key {str(path[-1])!r}"
    if kind == "literal_error" and path and isinstance(path[-1], str) and path[-1] in _NAMES:
        name = path[-1]
        if name == "rule" and isinstance(value, str) and value in {**BY_ID, **BY_NAME}:
            return f"{where}: {value} cannot be waived; fix the plan instead"
        if isinstance(value, str):
            return f"{where}: {unknown_name(name, value, _NAMES[name])}"
        return f"{where}: {name} must be one of: {', '.join(_NAMES[name])} (got {_short(value)})"
    if kind in ("string_pattern_mismatch", "string_too_short") and path and path[-1] == "reason":
        return f"{where}: a waiver needs a reason: say why the finding is accepted"
    if kind == "string_pattern_mismatch" and path and path[-1] == "quarter":
        return f"{where}: quarter {_short(value)} is not a quarter like 2027-Q1"
    ctx = err.get("ctx") or {}
    got = ", got nothing (an empty value)" if value is None else f", got {_short(value)}"
    if kind in ("dataclass_type", "dict_type", "model_type", "dataclass_exact_type"):
        msg = f"expected a mapping (key: value){got}"
    elif kind in ("tuple_type", "list_type"):
        msg = f"expected a list{got}"
    elif kind in ("float_type", "int_type", "finite_number"):
        msg = f"expected a number{got}"
    elif kind == "string_type":
        msg = f"expected text{got}"
    elif kind.startswith("date"):
        msg = f"expected a date like 2027-06-30{got}"
    elif kind == "greater_than_equal":
        msg = f"must be at least {_num(ctx.get('ge'))}{got}"
    elif kind == "less_than_equal":
        msg = f"must be at most {_num(ctx.get('le'))}{got}"
    elif kind == "too_short":
        msg = f"needs at least {ctx.get('min_length', 1)} item(s)"
    else:
        msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}"


def iter_plans(paths: Sequence[Path], *, stdin_name: str = "<stdin>") -> Iterator[LoadedPlan]:
    """Load every plan named by the arguments (directories expanded, `-` read from stdin), in order."""
    for path in expand(paths):
        yield load_plan(path, stdin_name=stdin_name)


SCHEMA_FILE = "roleplan.schema.json"


def starter_text() -> str:
    """The commented starter plan `roleplan init` writes (it passes `roleplan check`)."""
    from importlib import resources

    return resources.files("roleplan").joinpath("data", "starter-plan.yaml").read_text(encoding="utf-8")


def load_for_planning(path: Path, *, need_aes: bool = False, stdin_name: str = "<stdin>") -> LoadedPlan:
    """`load_plan`, then `for_planning`."""
    return for_planning(load_plan(path, stdin_name=stdin_name), need_aes=need_aes)


def load_plan_at_ref(path: Path, ref: str) -> LoadedPlan:
    """The plan file `path` as it is at the git revision `ref` (`git show REF:./FILE` beside the file)."""
    import subprocess

    name = f"{ref}:{path}"
    if ref.startswith("-"):
        raise InputError(f"--base-ref {ref!r} is not a git revision", file=path)
    try:
        proc = subprocess.run(
            ["git", "-C", str(path.parent), "show", f"{ref}:./{path.name}"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    except FileNotFoundError:
        raise InputError(
            "git is not installed: give BASE as a file instead of --base-ref", file=path
        ) from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git show {ref} took longer than a minute", file=path) from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[0].removeprefix("fatal: ") if lines else f"git exited with {proc.returncode}"
        raise InputError(f"cannot read the plan at {ref}: {reason}", file=path)
    if len(proc.stdout) > MAX_BYTES:
        raise InputError(f"the plan at {ref} is over {MAX_BYTES:,} bytes", file=name)
    doc = parse_yaml(decode_strict(proc.stdout, name), name)
    if not isinstance(doc.data, dict):
        raise InputError("a plan is a mapping (company:, teams:, ...)", file=name, line=1)
    return validate(doc)


def for_planning(loaded: LoadedPlan, *, need_aes: bool = False) -> LoadedPlan:
    """A valid plan whose quarters run in order without gaps, for `plan`, `cost`, `diff` and `report`.

    Anything wrong is one InputError (exit 2) at its file and line: the first schema problem (`roleplan
    check` lists them all), quarters out of order or with a gap, and, with `need_aes`, a quarter with no
    `aes` (what `roleplan plan` fills the SEs and SAs from).
    """
    from roleplan.models.plan import quarter_index, quarter_key

    if loaded.problems or loaded.plan is None:
        first = loaded.problems[0]
        more = len(loaded.problems) - 1
        tail = (
            f" (and {more} more problem{'s' if more != 1 else ''}: roleplan check lists them)" if more else ""
        )
        raise InputError(first.message + tail, file=first.file, line=first.line)
    raw_teams = loaded.doc.data.get("teams") or []
    for ti, team in enumerate(loaded.plan.teams):
        keys = list(team.quarters)
        where = f"teams[{ti}].quarters"
        for before, after in itertools.pairwise(keys):
            step = quarter_index(after) - quarter_index(before)
            line = loaded.line_of(("teams", ti, "quarters", after))
            if step <= 0:
                raise InputError(
                    f"{where}: {after} comes after {before}; list the quarters in order",
                    file=loaded.file,
                    line=line,
                )
            if step > 1:
                missing = quarter_key(quarter_index(before) + 1)
                gap = missing if step == 2 else f"{missing}..{quarter_key(quarter_index(after) - 1)}"
                raise InputError(
                    f"{where}: no {gap} between {before} and {after}; each quarter states its own numbers, so "
                    "give every quarter (aes: 0 for none)",
                    file=loaded.file,
                    line=line,
                )
        if need_aes:
            raw = raw_teams[ti].get("quarters", {}) if isinstance(raw_teams[ti], dict) else {}
            for key in keys:
                given = raw.get(key)
                if not isinstance(given, dict) or "aes" not in given:
                    raise InputError(
                        f"{where}.{key}: no aes; roleplan plan fills each quarter's SEs and SAs from its AEs "
                        "(write aes: 0 for none)",
                        file=loaded.file,
                        line=loaded.line_of(("teams", ti, "quarters", key)),
                    )
    return loaded
