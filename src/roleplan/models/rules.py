"""The catalogue of `roleplan check` rules: stable IDs, names, severities and what each one means.

IDs never change meaning once released; SARIF, JUnit and waivers (`ignore: - rule: RP101`) refer to them.
RP0xx are about the plan file itself and cannot be waived; RP1xx are SE rules, RP2xx SA rules, RP3xx the
plan's `budget:`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    name: str
    severity: Severity
    description: str
    help: str
    waivable: bool = True

    @property
    def title(self) -> str:
        return f"{self.id} {self.name}"


RULES: tuple[Rule, ...] = (
    Rule(
        id="RP000",
        name="invalid-plan",
        severity="error",
        description="The plan does not match the schema: unknown keys, wrong types, unknown names.",
        help="Fix the key or value on the reported line; `roleplan schema plan` prints the full schema.",
        waivable=False,
    ),
    Rule(
        id="RP001",
        name="expired-waiver",
        severity="warning",
        description="A waiver's `until` date has passed, so it no longer suppresses anything.",
        help="Fix what the waiver was hiding, or renew it with a new `until` date and a current reason.",
        waivable=False,
    ),
    Rule(
        id="RP002",
        name="unused-waiver",
        severity="warning",
        description="A waiver matches no finding; it would silently hide a future problem.",
        help="Delete the waiver, or narrow it to the segment and quarter it was meant for.",
        waivable=False,
    ),
    Rule(
        id="RP101",
        name="se-coverage",
        severity="error",
        description="AEs per SE above the segment's benchmark band (too few SEs for the sellers).",
        help="Add SEs in that quarter or move AE start dates; the message says how many SEs the band needs.",
    ),
    Rule(
        id="RP102",
        name="platform-se-ratio",
        severity="error",
        description="A platform seller staffed thinner than the platform SE:AE ratio — the founder mistake.",
        help="Platform sales are SA/SE-led at about 1:1; a product-style ratio costs win rate.",
    ),
    Rule(
        id="RP103",
        name="se-rep-ceiling",
        severity="error",
        description="More reps per SE than one SE can serve, or AEs with no SE from Series A on.",
        help="No SE can cover more reps than the ceiling; hire SEs before adding AEs.",
    ),
    Rule(
        id="RP104",
        name="se-overstaffed",
        severity="warning",
        description="Fewer AEs per SE than the segment's band: SE capacity richer than the benchmark.",
        help="Intentional for a platform push or a ramping AE class? Waive it with the reason.",
    ),
    Rule(
        id="RP201",
        name="sa-account-load",
        severity="error",
        description="Fewer SAs than the strategic and commercial accounts need at the benchmark loads.",
        help="Add SAs or move accounts; checked from the growth stage on, and wherever the plan has SAs.",
    ),
    Rule(
        id="RP202",
        name="deployment-debt",
        severity="error",
        description="Deployment metrics past the triggers and SA capacity below what the accounts need.",
        help="Past either trigger the fix is SAs, not more SEs: staff at least one SA, and the account load.",
    ),
    Rule(
        id="RP203",
        name="first-sa-due",
        severity="warning",
        description="ARR and live enterprise customers reached the first-SA milestone, and no SA is planned.",
        help="Plan the first SA; until then the founding SE or Customer Success absorbs the SA work.",
    ),
    Rule(
        id="RP204",
        name="sa-before-se",
        severity="warning",
        description="At an early stage, more SAs than SEs in a team-quarter: the SE is the first hire.",
        help="Early on most deals die in technical evaluation; hire SEs first.",
    ),
    Rule(
        id="RP301",
        name="over-budget",
        severity="error",
        description="The plan's SEs and SAs cost more than the `budget:` of a quarter or year even at the "
        "bottom of the pay bands (OTE minimum).",
        help="Raise the budget, or plan fewer heads or a more junior `levels:` mix; `roleplan cost` shows "
        "what each team and role costs.",
    ),
    Rule(
        id="RP302",
        name="budget-at-risk",
        severity="warning",
        description="The budget covers the plan at the bottom of the pay bands but not at the top "
        "(OTE maximum): hiring at the top of the band breaks it.",
        help="Hire below the top of the band, keep headroom, or raise the budget.",
    ),
    Rule(
        id="RP303",
        name="budget-unplanned",
        severity="warning",
        description="A `budget:` entry for a quarter or year in which the plan has no quarter: it checks "
        "nothing (a typo in the period?).",
        help="Give the budget the period the plan covers (2027-Q1 or 2027), or plan that period's quarters.",
    ),
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
#: Every accepted spelling of a rule in a waiver: its ID or its name.
WAIVABLE_NAMES: tuple[str, ...] = tuple(
    [r.id for r in RULES if r.waivable] + [r.name for r in RULES if r.waivable]
)


def rule(key: str) -> Rule:
    """A rule by ID or name."""
    return BY_ID.get(key) or BY_NAME[key]


def rule_ids(specs: tuple[str, ...] | list[str], *, option: str) -> frozenset[str]:
    """The rule IDs that `--select`/`--ignore` values name: an ID (RP101), a name (se-coverage), a prefix of
    IDs (RP1: every SE rule; RP: all), or ALL. Raises UsageError naming the closest spelling."""
    from roleplan.errors import UsageError, unknown_name

    out: set[str] = set()
    for raw in specs:
        spec = raw.strip()
        if not spec:
            continue
        upper = spec.upper()
        if upper == "ALL":
            out.update(BY_ID)
        elif upper in BY_ID:
            out.add(upper)
        elif spec.lower() in BY_NAME:
            out.add(BY_NAME[spec.lower()].id)
        elif upper.startswith("RP") and upper[2:].isdigit() and any(i.startswith(upper) for i in BY_ID):
            out.update(i for i in BY_ID if i.startswith(upper))
        else:
            raise UsageError(f"{option}: {unknown_name('rule', spec, [*BY_ID, *BY_NAME])}")
    return frozenset(out)


def active_rules(select: frozenset[str] | None, ignore: frozenset[str]) -> tuple[str, ...]:
    """The rules whose findings a run reports, in catalogue order: `select` (None: all) minus `ignore`.
    RP000 (the plan is invalid or unreadable) is always reported: nothing else about that plan was checked."""
    chosen = select if select is not None else frozenset(BY_ID)
    return tuple(r.id for r in RULES if r.id == "RP000" or (r.id in chosen and r.id not in ignore))
