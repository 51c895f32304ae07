"""The plan's JSON Schema accepts exactly what the checker accepts, checked without a new dependency."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any, get_args

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.loaders.plan import validate
from roleplan.models import plan as plan_model
from roleplan.models.benchmarks import MOTIONS, SEGMENTS, STAGES
from roleplan.models.plan import plan_json_schema
from roleplan.models.rules import WAIVABLE_NAMES
from roleplan.yamlio import parse_yaml

SCHEMA = plan_json_schema()


def conforms(value: Any, schema: dict[str, Any]) -> bool:
    return _conforms(value, schema, schema)


def _conforms(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """A structural JSON Schema check for the keywords the plan schema uses (no extra dependency)."""
    if "$ref" in schema:
        return _conforms(value, root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root)
    if "anyOf" in schema:
        return any(_conforms(value, s, root) for s in schema["anyOf"])
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if kind is not None and not checks[kind](value):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and not schema.get("minimum", float("-inf")) <= value <= schema.get("maximum", float("inf")):
        return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return False
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            return False
        return all(_conforms(v, schema.get("items", {}), root) for v in value)
    if isinstance(value, dict):
        if len(value) < schema.get("minProperties", 0):
            return False
        if any(k not in value for k in schema.get("required", [])):
            return False
        props, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
        for key, item in value.items():
            if key in props:
                if not _conforms(item, props[key], root):
                    return False
                continue
            matched = [s for p, s in patterns.items() if re.search(p, key)]
            if matched:
                if not all(_conforms(item, s, root) for s in matched):
                    return False
            elif schema.get("additionalProperties", True) is False:
                return False
    return True


def test_names_match_the_benchmark_vocabulary() -> None:
    assert get_args(plan_model.Stage) == STAGES
    assert get_args(plan_model.Segment) == SEGMENTS
    assert get_args(plan_model.Motion) == MOTIONS
    assert get_args(plan_model.WaivableRule) == WAIVABLE_NAMES


def test_schema_header_and_strict_quarters() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    quarters = SCHEMA["$defs"]["Team"]["properties"]["quarters"]
    assert quarters["additionalProperties"] is False
    assert list(quarters["patternProperties"]) == [plan_model.QUARTER_PATTERN]


_text = st.one_of(
    st.sampled_from(
        [
            "18M",
            "$18,000,000",
            "18000000",
            "1.5b",
            "18 M",
            "18M USD",
            "lots",
            "",
            " ",
            "2027-Q1",
            "2027-Q5",
            "seriesB",
            "mid-market",
            "RP101",
            "se-coverage",
            "RP000",
            "x",
        ]
    ),
    st.text(alphabet="0123456789$,.MKQ- ab", max_size=8),
)
_number = st.one_of(
    st.integers(min_value=-3, max_value=200), st.floats(min_value=-1, max_value=200, allow_nan=False)
)
_value = st.one_of(_number, _text, st.booleans(), st.none(), st.dates(), st.lists(_number, max_size=2))
_key = st.sampled_from(["2027-Q1", "2027-Q2", "2028-Q4", "2027-Q5", "Q1", "2027-q1"])


def _quarter_ok(key: str) -> bool:
    return re.fullmatch(plan_model.QUARTER_PATTERN, key) is not None


_valid_quarter = st.dictionaries(
    st.sampled_from(["aes", "ses", "sas", "strategic_accounts", "commercial_accounts"]),
    st.one_of(st.integers(min_value=0, max_value=40), st.floats(min_value=0, max_value=40)),
    max_size=3,
)
_valid = st.fixed_dictionaries(
    {
        "company": st.fixed_dictionaries(
            {"stage": st.sampled_from(STAGES)},
            optional={
                "motion": st.sampled_from(MOTIONS),
                "arr": st.sampled_from(["18M", 5_000_000, "$1,500K"]),
            },
        ),
        "teams": st.lists(
            st.fixed_dictionaries(
                {
                    "segment": st.sampled_from(SEGMENTS),
                    "quarters": st.dictionaries(
                        _key.filter(_quarter_ok), _valid_quarter, min_size=1, max_size=2
                    ),
                }
            ),
            min_size=1,
            max_size=2,
        ),
    },
    optional={
        "metrics": st.fixed_dictionaries(
            {}, optional={"poc_win_rate": st.floats(0, 1), "days_to_first_value": st.integers(0, 300)}
        ),
        "ignore": st.lists(
            st.fixed_dictionaries(
                {"rule": st.sampled_from(WAIVABLE_NAMES), "reason": st.sampled_from(["hires signed", "r"])},
                optional={
                    "until": st.dates(),
                    "segment": st.sampled_from(SEGMENTS),
                    "quarter": _key.filter(_quarter_ok),
                },
            ),
            max_size=2,
        ),
    },
)


def _containers(node: Any, out: list[Any]) -> list[Any]:
    if isinstance(node, dict | list):
        out.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, out)
    return out


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid plan with 0-2 random edits: a value replaced, a key added or a key removed."""
    doc: dict[str, Any] = draw(_valid)
    for _ in range(draw(st.integers(0, 2))):
        target = draw(st.sampled_from(_containers(doc, [])))
        if isinstance(target, list):
            if target:
                target[draw(st.integers(0, len(target) - 1))] = draw(_value)
            continue
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        if action == "add" or not target:
            target[draw(st.sampled_from(["nmae", "se", "2027-Q3", "reason", "until", "quarter", "arr"]))] = (
                draw(_value)
            )
        elif action == "replace":
            target[draw(st.sampled_from(sorted(target)))] = draw(_value)
        else:
            del target[draw(st.sampled_from(sorted(target)))]
    return doc


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=lambda d: d.isoformat()))


@settings(max_examples=500, deadline=None)
@given(data=_mutated())
def test_checker_and_schema_agree(data: dict[str, Any]) -> None:
    loaded = validate(parse_yaml(yaml.safe_dump(data, allow_unicode=True), "gen.yaml"))
    schema_ok = conforms(_as_json(data), SCHEMA)
    checker_ok = loaded.plan is not None
    assert schema_ok == checker_ok, [p.message for p in loaded.problems]


def test_a_date_typed_into_a_text_field_is_text() -> None:
    # PyYAML (YAML 1.1) reads unquoted 2027-06-30 as a date; the JSON Schema (and YAML 1.2 editors) as text
    doc = {
        "company": {"stage": "seed", "name": datetime.date(2027, 6, 30)},
        "teams": [{"segment": "platform", "quarters": {"2027-Q1": {}}}],
        "ignore": [{"rule": "RP101", "reason": datetime.date(2000, 1, 1)}],
    }
    loaded = validate(parse_yaml(yaml.safe_dump(doc), "d.yaml"))
    assert loaded.plan is not None, [p.message for p in loaded.problems]
    assert loaded.plan.ignore and loaded.plan.ignore[0].reason == "2000-01-01"
    assert loaded.plan.company.name == "2027-06-30"
    assert conforms(_as_json(doc), SCHEMA)


def test_a_date_is_a_date() -> None:
    for value, ok in ((datetime.date(2027, 6, 30), True), ("2027-06-30", True), (20270630, False)):
        loaded = validate(
            parse_yaml(
                yaml.safe_dump(
                    {
                        "company": {"stage": "seed"},
                        "teams": [{"segment": "platform", "quarters": {"2027-Q1": {}}}],
                        "ignore": [{"rule": "RP101", "reason": "r", "until": value}],
                    }
                ),
                "d.yaml",
            )
        )
        assert (loaded.plan is not None) is ok
        assert (
            conforms(
                _as_json({"until": value}), {"properties": {"until": {"format": "date", "type": "string"}}}
            )
            is ok
        )
