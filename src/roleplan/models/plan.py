"""Schema of a headcount plan (`roleplan.yaml`, `*.roleplan.yaml`), the input of `roleplan check`.

Each quarter states its own numbers: nothing is inherited from the quarter before, and a key left out is 0.
One schema serves `check`, `plan` (which fills `ses`/`sas` from `aes`), `cost` (`levels:`, `budget:`), `diff`
and `report`. Unlike the other schema modules this one imports Pydantic at module level, for field constraints and the
JSON Schema: only `check` and `schema plan` import it, and both validate untrusted input anyway.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

from roleplan.models.figures import FORBID
from roleplan.models.rules import WAIVABLE_NAMES

QUARTER_PATTERN = r"^[0-9]{4}-Q[1-4]$"
QUARTER_RE = re.compile(QUARTER_PATTERN)
MONEY_PATTERN = r"^\$?[0-9][0-9,_]*(\.[0-9]+)? ?[kKmMbB]?( ?USD)?$"

YEAR_PATTERN = r"^[0-9]{4}$"
BUDGET_KEY_PATTERN = r"^[0-9]{4}(-Q[1-4])?$"

Stage = Literal["seed", "seriesA", "seriesB", "seriesC", "seriesD", "public"]
Level = Literal["mid", "senior", "principal"]
Motion = Literal["product", "platform"]
Segment = Literal["mid-market", "enterprise", "platform"]
WaivableRule = Literal[WAIVABLE_NAMES]  # type: ignore[valid-type]
QuarterKey = Annotated[str, StringConstraints(pattern=QUARTER_PATTERN)]


def _date_as_text(value: object) -> object:
    """YAML 1.1 reads an unquoted `2027-06-30` as a date; in a text field it is the text the user typed
    (as YAML 1.2 and the editors that check the JSON Schema read it)."""
    return value.isoformat() if isinstance(value, datetime.date) else value


Text = Annotated[str, BeforeValidator(_date_as_text)]

#: Headcounts and account counts: numbers >= 0 (a half-time seat is 0.5); booleans and strings refused.
Count = Annotated[float, Field(ge=0, le=1_000_000, strict=True)]
Share = Annotated[float, Field(ge=0, le=1, strict=True, description="A share between 0 and 1 (0.55 = 55%).")]


def _doc(text: str) -> Any:
    """A field's description (shown by editors through the JSON Schema)."""
    return Field(description=text)


def _money(value: Any) -> Any:
    if isinstance(value, str):
        if value.strip().startswith(("-", "$-")):
            raise ValueError(f"{value!r} is negative; an amount of money is 0 or more")
        if not re.fullmatch(MONEY_PATTERN, value):  # exactly what the JSON Schema allows
            raise ValueError(f"{value!r} is not an amount of money (write it like 18M, $215K or 18000000)")
        from roleplan.errors import UsageError
        from roleplan.money import parse_money

        try:
            return parse_money(value, what="amount")
        except UsageError as exc:
            raise ValueError(exc.message) from None
    if isinstance(value, bool):
        raise ValueError("an amount of money is written like 18M or 18000000, not true/false")
    return value


def _budget_keys(value: Any) -> Any:
    """YAML reads an unquoted year key (`2027:`) as a number; a budget key is the text the user typed."""
    if isinstance(value, dict):
        return {str(k) if isinstance(k, int) and not isinstance(k, bool) else k: v for k, v in value.items()}
    return value


def _date(value: Any) -> Any:
    # Pydantic would read a number as a Unix timestamp; the schema (and a person) mean an ISO date
    if isinstance(value, datetime.datetime) or not isinstance(value, str | datetime.date):
        raise ValueError(f"expected a date like 2027-06-30, got {value!r}")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_date)]

Money = Annotated[
    float,
    BeforeValidator(_money),
    Field(ge=0, le=10**13),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10**13},
                {"type": "string", "pattern": MONEY_PATTERN},
            ],
            "description": "Dollars: 18M, $18,000,000 or 18000000.",
        }
    ),
]


@dataclass(frozen=True, kw_only=True)
class Company:
    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    stage: Annotated[Stage, _doc("Funding stage; it decides which stage rules apply.")]
    name: Text | None = None
    motion: Annotated[Motion, _doc("`platform` sellers are held to the platform SE:AE ratio.")] = "product"
    arr: Annotated[Money | None, _doc("Annual recurring revenue, for the first-SA milestone.")] = None


@dataclass(frozen=True, kw_only=True)
class Metrics:
    """Latest company-wide values; each is optional, and a rule that needs one missing is not checked."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    poc_win_rate: Annotated[Share | None, _doc("Share of proofs of concept won.")] = None
    days_to_first_value: Annotated[
        Count | None, _doc("Days from signature to first value (deployment debt).")
    ] = None
    deployed_at_renewal: Annotated[Share | None, _doc("Share of the contract deployed at renewal.")] = None
    enterprise_customers_live: Annotated[Count | None, _doc("Enterprise customers live in production.")] = (
        None
    )


@dataclass(frozen=True, kw_only=True)
class Quarter:
    """Headcount and accounts in one quarter (missing keys are 0; nothing carries over between quarters)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    aes: Annotated[Count, _doc("Account executives (quota-carrying sellers).")] = 0
    ses: Annotated[Count, _doc("Sales engineers (pre-sales).")] = 0
    sas: Annotated[Count, _doc("Solutions architects (post-sale design and deployment).")] = 0
    strategic_accounts: Annotated[Count, _doc("Strategic accounts the team's SAs cover.")] = 0
    commercial_accounts: Annotated[Count, _doc("Commercial accounts the team's SAs cover.")] = 0
    arr: Annotated[
        Money | None, _doc("Company ARR in this quarter (`plan` uses it for the first-SA milestone).")
    ] = None


def _adds_up(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    if abs(total - 1) > 1e-6:
        raise ValueError(f"the level shares add up to {total:g}, not 1")
    return mix


LevelMix = Annotated[dict[Level, Share], AfterValidator(_adds_up)]


#: Quarters one team may list (50 years): a plan is read whole and its reports have a row per quarter, so a
#: 1 MB plan of 30,000 quarters took 35 s to print (`cost`, `plan`) for no plan anyone makes.
MAX_QUARTERS = 200


def _few_quarters(quarters: dict[str, Any]) -> dict[str, Any]:
    if len(quarters) > MAX_QUARTERS:
        raise ValueError(f"{len(quarters):,} quarters; a team may list at most {MAX_QUARTERS} (50 years)")
    return quarters


@dataclass(frozen=True, kw_only=True)
class Team:
    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    segment: Segment
    quarters: Annotated[
        dict[QuarterKey, Quarter],
        Field(min_length=1, description="By quarter (YYYY-Qn); each quarter states its own numbers."),
        AfterValidator(_few_quarters),
    ]
    name: Annotated[Text | None, _doc("Tells two teams of one segment apart.")] = None
    levels: Annotated[
        LevelMix | None,
        _doc("Level mix for `cost`, shares adding up to 1 (e.g. {mid: 0.3, senior: 0.5, principal: 0.2})."),
    ] = None


Budget = Annotated[
    dict[Annotated[str, StringConstraints(pattern=BUDGET_KEY_PATTERN)], Money],
    BeforeValidator(_budget_keys),
    Field(
        description="SE and SA pay budget (at OTE) by quarter (2027-Q1) or calendar year (2027), "
        "for the whole plan: 1.2M, $1,200,000 or 1200000.",
    ),
]


@dataclass(frozen=True, kw_only=True)
class Waiver:
    """Suppress a rule's findings, for a reason; optionally only for a segment or quarter, or until a date."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    rule: Annotated[WaivableRule, _doc("Rule ID (RP101) or name (se-coverage).")]
    reason: Annotated[
        Text, StringConstraints(min_length=1, pattern=r"\S"), _doc("Why the finding is accepted.")
    ]
    until: Annotated[IsoDate | None, _doc("Last day the waiver applies (ISO date).")] = None
    segment: Annotated[Segment | None, _doc("Only findings of this segment.")] = None
    quarter: Annotated[QuarterKey | None, _doc("Only findings of this quarter.")] = None


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A headcount plan: the company, its latest metrics, the teams by quarter, and waivers."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    company: Company
    teams: Annotated[tuple[Team, ...], Field(min_length=1)]
    metrics: Metrics | None = None
    budget: Budget | None = None
    ignore: tuple[Waiver, ...] | None = None  # None: an `ignore:` key with every waiver commented out


def plan_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the plan file, exactly as strict as the checker."""
    from pydantic import TypeAdapter

    schema: dict[str, Any] = TypeAdapter(Plan).json_schema(mode="validation")
    team = schema["$defs"]["Team"]["properties"]["quarters"]
    # Pydantic lists the key pattern; without this, keys that do not match would be allowed
    team["additionalProperties"] = False
    budget = schema["properties"]["budget"]["anyOf"][0]
    budget["additionalProperties"] = False
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "roleplan headcount plan",
        "description": "roleplan.yaml, checked by `roleplan check` against the cited benchmarks "
        "(each quarter states its own numbers; a key left out is 0).",
    }


def quarter_index(key: str) -> int:
    """`2027-Q1` -> a number that counts quarters (consecutive quarters differ by 1)."""
    return int(key[:4]) * 4 + int(key[-1]) - 1


def quarter_key(index: int) -> str:
    """The inverse of `quarter_index`."""
    return f"{index // 4}-Q{index % 4 + 1}"
