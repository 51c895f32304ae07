"""Reporters for `roleplan check`: one pure function per --format, CheckResult -> str.

Formats: text (compiler-style lines), json (documented shape), github (workflow commands that annotate
the diff), junit (a testcase per rule x plan), sarif (2.1.0, for code scanning), markdown (step summary).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import PurePath
from urllib.parse import quote

from roleplan import __version__
from roleplan.models.findings import CheckResult, Finding, fails
from roleplan.models.rules import RULES
from roleplan.report.common import markdown_table, plain

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _counts(result: CheckResult) -> str:
    s = result.summary

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return (
        f"{n(s.errors, 'error')}, {n(s.warnings, 'warning')}, {s.suppressed} waived "
        f"in {n(s.files, 'plan')} (fails on: {s.fail_on})"
    )


def _scope(f: Finding) -> str:
    return " ".join(x for x in (f.segment, f.quarter) if x)


def _cite(f: Finding) -> str:
    if f.benchmark is None:
        return ""
    return f"{f.benchmark} — {f.source}" if f.source else f.benchmark


def _md(text: object) -> str:
    """A Markdown cell: `$` escaped, since GitHub renders text between two dollars as math."""
    return "" if text is None else str(text).replace("$", "\\$")


def text(result: CheckResult) -> str:
    """`file:line: severity RULE name [segment quarter]: message`, then where the threshold comes from."""
    lines: list[str] = []
    for f in result.findings:
        level = "waived" if f.suppressed else f.severity
        scope = f" [{_scope(f)}]" if _scope(f) else ""
        lines.append(f"{f.file}:{f.line}: {level} {f.rule} {f.name}{scope}: {f.message}")
        if f.benchmark:
            lines.append(f"    benchmark: {_cite(f)}")
        if f.suppressed:
            lines.append(f"    waived: {f.reason}")
    lines.append(f"roleplan check: {result.status} — {_counts(result)}")
    return "\n".join(lines) + "\n"


_FINDING_KEYS = tuple(f.name for f in dataclasses.fields(Finding))


def json_report(result: CheckResult) -> str:
    """`{"status", "summary", "findings"}`; the README ("JSON output" under roleplan check) documents every key."""
    doc = {
        "status": result.status,
        "summary": plain(result.summary),
        "findings": [{key: getattr(f, key) for key in _FINDING_KEYS} for f in result.findings],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: `::error file=…,line=…,title=…::message` per active finding."""
    lines: list[str] = []
    for f in result.active:
        command = "error" if f.severity == "error" else "warning"
        props = f"file={_gh_prop(f.file)},line={f.line},title={_gh_prop(f'{f.rule} {f.name}')}"
        cite = f" [{_cite(f)}]" if f.benchmark else ""
        lines.append(f"::{command} {props}::{_gh_data(f.message + cite)}")
    lines.append(f"roleplan check: {result.status} — {_counts(result)}")
    return "\n".join(lines) + "\n"


def junit(result: CheckResult) -> str:
    """JUnit XML: a testsuite per plan, a testcase per rule; a failure for each finding that fails the run."""
    import xml.etree.ElementTree as ET

    fail_on = result.summary.fail_on
    root = ET.Element("testsuites", name="roleplan check")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    totals["errors"] = 0
    reported = [r for r in RULES if not result.rules or r.id in result.rules]
    for checked in result.files:
        suite = ET.SubElement(root, "testsuite", name=checked.file)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for r in reported:
            case = ET.SubElement(suite, "testcase", classname=checked.file, name=f"{r.id} {r.name}")
            counts["tests"] += 1
            mine = [f for f in result.findings if f.file == checked.file and f.rule == r.id]
            failing = [f for f in mine if fails(f, fail_on)]
            if not checked.readable:  # could not run at all: an error, not a failure
                if r.id == "RP000":
                    counts["errors"] += 1
                    error = ET.SubElement(
                        case, "error", message=mine[0].message if mine else "", type="error"
                    )
                    error.text = "\n".join(f"{f.file}:{f.line}: {f.message}" for f in mine)
                else:
                    counts["skipped"] += 1
                    ET.SubElement(
                        case, "skipped", message="the plan could not be read (RP000): rules not run"
                    )
                continue
            if failing:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", message=failing[0].message, type=failing[0].severity)
                failure.text = "\n".join(f"{f.file}:{f.line}: {f.message}" for f in failing)
            elif not checked.valid and r.id != "RP000":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="the plan is invalid (RP000): rules not run")
            other = [f for f in mine if f not in failing]
            if other:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{f.file}:{f.line}: {_junit_level(f)}: {f.message}" for f in other)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_level(f: Finding) -> str:
    return f"waived ({f.reason})" if f.suppressed else f.severity


def _uri(file: str) -> str:
    path = PurePath(file)
    if path.is_absolute():
        return "file://" + quote(path.as_posix())
    return quote(path.as_posix())


def sarif(result: CheckResult) -> str:
    """SARIF 2.1.0: the full rule catalogue in tool.driver.rules; waived findings carry a suppression."""
    index = {r.id: i for i, r in enumerate(RULES)}
    unread = {c.file for c in result.files if not c.readable}
    rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.description},
            "fullDescription": {"text": f"{r.description} {r.help}"},
            "help": {"text": r.help},
            "defaultConfiguration": {"level": r.severity},
        }
        for r in RULES
    ]
    results = []
    for f in result.findings:
        item: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {"startLine": f.line},
                    }
                }
            ],
            "properties": {
                k: v
                for k, v in (
                    ("segment", f.segment),
                    ("quarter", f.quarter),
                    ("benchmark", f.benchmark),
                    ("source", f.source),
                )
                if v is not None
            },
        }
        if f.suppressed:
            # the waiver is written in the plan file itself, hence "inSource"
            item["suppressions"] = [{"kind": "inSource", "justification": f.reason or ""}]
        results.append(item)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "roleplan",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
                **(
                    {
                        "invocations": [
                            {
                                "executionSuccessful": False,
                                "toolExecutionNotifications": [
                                    {"level": "error", "message": {"text": f"{f.file}:{f.line}: {f.message}"}}
                                    for f in result.findings
                                    if f.rule == "RP000" and f.file in unread
                                ],
                            }
                        ]
                    }
                    if unread
                    else {}
                ),
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def markdown(result: CheckResult) -> str:
    """A summary for `$GITHUB_STEP_SUMMARY`: status, counts, a table of findings, then the waived ones."""
    icon = "✅" if result.status == "pass" else "❌"
    out = [f"## roleplan check: {icon} {result.status}", "", _counts(result), ""]
    active = result.active
    if active:
        out.append(
            markdown_table(
                ("Location", "Rule", "Severity", "Scope", "Finding", "Benchmark"),
                [
                    (
                        f"`{f.file}:{f.line}`",
                        f"{f.rule} {f.name}",
                        f.severity,
                        _scope(f),
                        _md(f.message),
                        _cite(f),
                    )
                    for f in active
                ],
            )
        )
    else:
        out.append("No active findings.\n")
    waived = [f for f in result.findings if f.suppressed]
    if waived:
        out += [
            "### Waived",
            "",
            markdown_table(
                ("Location", "Rule", "Scope", "Reason", "Finding"),
                [
                    (f"`{f.file}:{f.line}`", f"{f.rule} {f.name}", _scope(f), f.reason, f.message)
                    for f in waived
                ],
            ),
        ]
    return "\n".join(out)


REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": text,
    "json": json_report,
    "github": github,
    "junit": junit,
    "sarif": sarif,
    "markdown": markdown,
}
FORMATS: tuple[str, ...] = ("text", "json", "github", "junit", "sarif", "markdown")
