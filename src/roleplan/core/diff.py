"""`roleplan diff BASE HEAD`: what a change to a plan does — findings new, fixed and unchanged, and the
headcount and cost per quarter before and after. Pure.

Findings are matched on (rule, segment, quarter) and, for the rules checked per team and quarter, the team
(its name, else its segment and position) — not on their line or message: moving a quarter down the file or
changing a number in a message leaves a finding that is still there "unchanged", and with two teams of one
segment, fixing one and breaking the other is one fixed and one new. Findings with the same key left over
pair up in file order. Only active findings count (a waived one is neither new nor fixed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from roleplan.core.plan import team_label
from roleplan.models.findings import Finding
from roleplan.models.plan import quarter_index
from roleplan.models.planning import (
    CostResult,
    DiffFailOn,
    DiffResult,
    FindingChange,
    PeriodCost,
    QuarterChange,
    Range,
    RoleHeads,
)

#: The rules `check` reports per team and quarter, at the line of that team's quarter key.
PER_TEAM = frozenset({"RP101", "RP102", "RP103", "RP104", "RP201", "RP204"})

_Key = tuple[str, str, str, str]


def _key(f: Finding, teams: Mapping[int, str]) -> _Key:
    team = teams.get(f.line, "") if f.rule in PER_TEAM else ""
    return (f.rule, f.segment or "", f.quarter or "", team)


def match_findings(
    base: Sequence[Finding],
    head: Sequence[Finding],
    *,
    base_teams: Mapping[int, str] | None = None,
    head_teams: Mapping[int, str] | None = None,
) -> list[FindingChange]:
    """Head's findings as new or unchanged, then base's unmatched ones as fixed; each in file order.

    `base_teams` / `head_teams`: the team named at each line of a team's quarter key (see `team_lines`)."""
    pool: dict[_Key, list[Finding]] = defaultdict(list)
    for f in sorted((f for f in base if not f.suppressed), key=Finding.sort_key):
        pool[_key(f, base_teams or {})].append(f)
    out: list[FindingChange] = []
    for f in sorted((f for f in head if not f.suppressed), key=Finding.sort_key):
        same = pool.get(_key(f, head_teams or {}))
        if same:
            same.pop(0)
            out.append(FindingChange(status="unchanged", finding=f))
        else:
            out.append(FindingChange(status="new", finding=f))
    fixed = sorted((f for left in pool.values() for f in left), key=Finding.sort_key)
    out += [FindingChange(status="fixed", finding=f) for f in fixed]
    order = {"new": 0, "fixed": 1, "unchanged": 2}
    return sorted(out, key=lambda c: order[c.status])


if TYPE_CHECKING:
    from roleplan.models.plan import Plan


def team_lines(plan: Plan, line_of: Callable[[tuple[str | int, ...]], int]) -> dict[int, str]:
    """Line of each team's quarter key -> the team's label (what a per-team finding's line points at)."""
    return {
        line_of(("teams", ti, "quarters", qkey)): team_label(team, ti)
        for ti, team in enumerate(plan.teams)
        for qkey in team.quarters
    }


_ZERO = RoleHeads(se=0, sa=0)
_NONE = Range(min=0, max=0)


def quarter_changes(base: CostResult, head: CostResult) -> list[QuarterChange]:
    """Every quarter of either plan, its heads and OTE in both (a quarter missing on one side is 0)."""
    before: dict[str, PeriodCost] = {q.period: q for q in base.quarters}
    after: dict[str, PeriodCost] = {q.period: q for q in head.quarters}
    out = []
    for key in sorted(before.keys() | after.keys(), key=quarter_index):
        b, h = before.get(key), after.get(key)
        out.append(
            QuarterChange(
                quarter=key,
                base_heads=b.heads if b else _ZERO,
                head_heads=h.heads if h else _ZERO,
                base_ote=b.ote if b else _NONE,
                head_ote=h.ote if h else _NONE,
            )
        )
    return out


def fails_diff(changes: Sequence[FindingChange], fail_on: DiffFailOn) -> bool:
    """Whether the change fails at this --fail-on: a new error (new-error), a new finding (new-warning)."""
    if fail_on == "never":
        return False
    new = [c.finding for c in changes if c.status == "new"]
    return any(f.severity == "error" for f in new) if fail_on == "new-error" else bool(new)


def diff_plans(
    *,
    base_file: str,
    head_file: str,
    company: str | None,
    base_findings: Sequence[Finding],
    head_findings: Sequence[Finding],
    base_cost: CostResult,
    head_cost: CostResult,
    fail_on: DiffFailOn,
    base_teams: Mapping[int, str] | None = None,
    head_teams: Mapping[int, str] | None = None,
) -> DiffResult:
    changes = match_findings(base_findings, head_findings, base_teams=base_teams, head_teams=head_teams)
    return DiffResult(
        base=base_file,
        head=head_file,
        company=company,
        findings=tuple(changes),
        quarters=tuple(quarter_changes(base_cost, head_cost)),
        fail_on=fail_on,
        status="fail" if fails_diff(changes, fail_on) else "pass",
    )
