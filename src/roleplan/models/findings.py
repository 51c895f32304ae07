"""What `roleplan check` finds: one Finding per problem, and the result of a whole run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roleplan.models.rules import Severity

FailOn = Literal["error", "warning", "never"]
FAIL_ON: tuple[FailOn, ...] = ("error", "warning", "never")


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem in a plan, located to the line of the quarter or key it is about.

    `benchmark` is the dotted path of the figure in benchmarks.yaml that set the threshold, `source` the
    publication it cites. A waived finding keeps `suppressed=True` and the waiver's `reason`.
    """

    rule: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    segment: str | None = None
    quarter: str | None = None
    benchmark: str | None = None
    source: str | None = None
    suppressed: bool = False
    reason: str | None = None

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file, self.line, self.rule, self.quarter or "", self.segment or "")


@dataclass(frozen=True, kw_only=True)
class CheckedFile:
    """A plan that was checked; `valid` is False when schema problems (RP000) stopped the rules."""

    file: str
    valid: bool
    readable: bool = True  # False: the file could not be read at all (its one finding says why)


@dataclass(frozen=True, kw_only=True)
class Summary:
    files: int
    errors: int
    warnings: int
    suppressed: int
    fail_on: FailOn


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """Every finding of a run, in a stable order (file, line, rule), and whether the run fails."""

    status: Literal["pass", "fail", "error"]  # error: a plan could not be read (exit 2)
    summary: Summary
    findings: tuple[Finding, ...]
    files: tuple[CheckedFile, ...] = ()
    rules: tuple[str, ...] = ()  # the rule IDs this run reports (--select/--ignore); () means every rule

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.suppressed)


def fails(finding: Finding, fail_on: FailOn) -> bool:
    """Whether an active finding fails the run at this --fail-on level."""
    if finding.suppressed or fail_on == "never":
        return False
    return fail_on == "warning" or finding.severity == "error"
