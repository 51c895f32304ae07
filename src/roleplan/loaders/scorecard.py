"""Opportunity and account exports for `roleplan scorecard`, streamed; a row that cannot be used is a finding
(line and column named), and the rest of the export still counts."""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import cast

from roleplan.errors import UsageError, closest, pick
from roleplan.loaders.crm import DateParser, Field, Row, read_rows
from roleplan.loaders.crm import columns_for as crm_columns_for
from roleplan.loaders.handoff import REPORT_FOOTER
from roleplan.models.handoff import RowFinding
from roleplan.models.scorecard import Account, Opportunity, Outcome

OPPORTUNITY_FIELDS: tuple[Field, ...] = (
    Field("id", True, "opportunity id"),
    Field("created", True, "created date"),
    Field("closed", True, "close date (expected close for open ones)", omissible_in_yaml=True),
    Field("outcome", True, "won, lost or open (CRM stage names too)"),
    Field("amount", False, "deal amount"),
    Field("se", True, "the SE on the deal; empty = no SE; several: 'A; B'", omissible_in_yaml=True),
    Field("poc", False, "POC run: yes/no"),
    Field("poc_outcome", False, "won/lost/open (passed/failed ...); empty: the deal's outcome"),
    Field("technical_win", False, "yes/no; empty = not recorded"),
)
ACCOUNT_FIELDS: tuple[Field, ...] = (
    Field("account", True, "account name or id"),
    Field("signed", True, "signature / Closed-Won date"),
    Field("first_value", True, "go-live / first-value date; empty = not yet", omissible_in_yaml=True),
    Field(
        "deployed_at_renewal",
        True,
        "share deployed at renewal (0.85, 85%, or yes/no); empty = not renewed",
        omissible_in_yaml=True,
    ),
)

PRESETS: dict[str, dict[str, str]] = {
    "salesforce": {
        "id": "Opportunity ID",
        "created": "Created Date",
        "closed": "Close Date",
        "outcome": "Stage",
        "amount": "Amount",
        "se": "Sales Engineer",
        "poc": "POC",
        "poc_outcome": "POC Outcome",
        "technical_win": "Technical Win",
        "account": "Account Name",
        "signed": "Close Date",
        "first_value": "First Value Date",
        "deployed_at_renewal": "Deployed at Renewal",
    },
}


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _keys(*names: str) -> frozenset[str]:
    return frozenset(_NOT_ALNUM.sub("", n.lower()) for n in names)


_WON = _keys("won", "win", "closed won", "closed-won", "closedwon", "w")
_LOST = _keys(
    "lost", "loss", "closed lost", "closed-lost", "closedlost", "l", "closed no decision", "no decision"
)
#: The default open stages of Salesforce and HubSpot pipelines, and the usual generic ones.
_OPEN = _keys(
    "open", "pipeline", "prospecting", "qualification", "needs analysis", "value proposition",
    "id. decision makers", "perception analysis", "proposal/price quote", "negotiation/review",
    "appointment scheduled", "qualified to buy", "presentation scheduled", "decision maker bought-in",
    "contract sent", "discovery", "demo", "evaluation", "proposal", "negotiation", "commit", "in progress",
)  # fmt: skip
_POC_WON = _keys("passed", "pass", "success", "successful", "succeeded", "technical win", "yes")
_POC_LOST = _keys("failed", "fail", "unsuccessful", "no")
_POC_OPEN = _keys("running", "pending", "in progress", "ongoing", "scheduled")
_YES = _keys("yes", "y", "true", "1", "x")
_NO = _keys("no", "n", "false", "0")
_NO_SE = _keys("none", "n/a", "na", "-", "no se", "unassigned")
_OUTCOME_NAMES = ("won", "lost", "open", "closed won", "closed lost")
OUTCOMES: tuple[Outcome, ...] = ("won", "lost", "open")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """A cell's value for comparing: lower case, letters and digits only (cached: values repeat)."""
    return _NOT_ALNUM.sub("", text.lower())


@lru_cache(maxsize=1024)
def outcome_of(text: str) -> Outcome | None:
    """won, lost or open for an outcome or a CRM stage name; None when it is neither."""
    k = _key(text)
    if k in _WON:
        return "won"
    if k in _LOST:
        return "lost"
    if k in _OPEN:
        return "open"
    return None


def parse_outcomes(pairs: Sequence[str], option: str = "--outcome") -> dict[str, Outcome]:
    """`--outcome "Stage 3 - Solutioning=open"` pairs: a pipeline's own stage names read as won, lost or open
    (keys compared as outcome cells are, without case or punctuation)."""
    out: dict[str, Outcome] = {}
    for pair in pairs:
        value, sep, outcome = pair.rpartition("=")
        if not sep or not value.strip() or not _key(value):
            raise UsageError(
                f'{option} {pair!r}: write it as VALUE=OUTCOME, e.g. "Stage 3 - Solutioning=open"'
            )
        chosen = pick(f"outcome in {option}", outcome.strip(), OUTCOMES)
        out[_key(value)] = cast(Outcome, chosen)
    return out


def columns_for(preset: str | None, mapping: Mapping[str, str], fields: tuple[Field, ...]) -> dict[str, str]:
    """The preset's columns for `fields` (if any), overridden by --map."""
    return crm_columns_for(PRESETS, preset, mapping, fields)


_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[A-Z]{0,3}[$€£¥₹])\s*|\s*(?:[A-Z]{3}|[$€£¥₹])$")
#: Group separators: spaces (French, no-break and thin ones too) and the Swiss apostrophe.
_GROUPS = str.maketrans("", "", " \u00a0\u202f\u2009'’")
_GROUPED = {",": re.compile(r"^\d{1,3}(?:,\d{3})+$"), ".": re.compile(r"^\d{1,3}(?:\.\d{3})+$")}


def _number(text: str) -> float:
    """A number written with either decimal mark: `120,000.50` and `120.000,50` are both 120000.5. With one mark
    only, a comma (or a repeated dot) grouping threes is thousands (`120,000`, `1.200.000`); a single comma is a
    decimal one (`1200,5`); a single dot is decimal (`1200.50`)."""
    n = text.translate(_GROUPS)
    dot, comma = n.rfind("."), n.rfind(",")
    if dot >= 0 and comma >= 0:
        mark, group = (".", ",") if dot > comma else (",", ".")
        whole, _, frac = n.rpartition(mark)
        if not _GROUPED[group].match(whole):
            raise ValueError(n)
        return float(whole.replace(group, "") + "." + frac)
    if comma >= 0:
        if _GROUPED[","].match(n):
            return float(n.replace(",", ""))
        if n.count(",") == 1:
            return float(n.replace(",", "."))
        raise ValueError(n)
    if n.count(".") > 1:
        if not _GROUPED["."].match(n):
            raise ValueError(n)
        return float(n.replace(".", ""))
    return float(n)


#: `10.000` or `1,500`: a thousand-grouped integer in one locale, three decimals in another.
_AMBIGUOUS = re.compile(r"^\d{1,3}\.\d{3}$")


def parse_amount(text: str) -> float:
    """An amount as exports write it, in any locale: `$120,000.00`, `120000`, `USD 120,000`, `120.000,00 EUR`,
    `120 000,00 €`, `CHF 120'000.00`. ValueError with the reason else, and for `10.000` (ten thousand in one
    locale, ten in another: it is never guessed)."""
    try:
        value = float(text)  # the common case: a plain number
        body = text
    except ValueError:
        body = _CURRENCY.sub("", text.strip())
        if not body or not body[0].isdigit() or not body[-1].isdigit():
            raise ValueError(f"{text!r} is not an amount") from None
        try:
            value = _number(body)
        except ValueError:
            raise ValueError(f"{text!r} is not an amount") from None
    if len(body) <= 7 and "." in body and _AMBIGUOUS.match(body):
        whole = int(body.replace(".", ""))
        raise ValueError(
            f"{text!r} is ambiguous: {whole:,} or {float(body):g}? (write it without the dot, or with 2 decimals)"
        )
    if not 0 <= value <= 10**13:  # NaN fails too
        raise ValueError(f"{text!r} is not an amount")
    return value


def read_opportunities(
    path: Path,
    mapping: Mapping[str, str],
    *,
    day_first: bool = False,
    encoding: str = "utf-8-sig",
    explicit: Collection[str] = (),
    outcomes: Mapping[str, Outcome] | None = None,
) -> Iterator[Opportunity | RowFinding]:
    """One Opportunity per good row, one RowFinding per row that cannot be used, in file order. `outcomes`
    (from `parse_outcomes`) reads a pipeline's own stage names, before the built-in ones."""
    parse = DateParser(day_first=day_first)
    seen: dict[str, int] = {}  # id -> the line it was first on
    rows = read_rows(
        path,
        OPPORTUNITY_FIELDS,
        mapping,
        encoding=encoding,
        skip=REPORT_FOOTER,
        hint=" or --preset",
        explicit=explicit,
    )
    for row in rows:
        yield _opportunity(row, parse, seen, outcomes or {})


def _finding(row: Row, message: str) -> RowFinding:
    return RowFinding(row.line, message)


def _poc_outcome_of(k: str) -> Outcome | None:
    if k in _POC_WON or k in _WON:
        return "won"
    if k in _POC_LOST or k in _LOST:
        return "lost"
    if k in _POC_OPEN or k in _OPEN:
        return "open"
    return None


def _ses(cell: str) -> tuple[str, ...]:
    """The SEs of a cell: '' or 'none' -> no SE; 'A; B' -> both, once each."""
    if ";" not in cell:
        return (cell,) if cell and _key(cell) not in _NO_SE else ()
    return tuple(dict.fromkeys(s.strip() for s in cell.split(";") if s.strip() and _key(s) not in _NO_SE))


def _opportunity(
    row: Row, parse: DateParser, seen: dict[str, int], outcomes: Mapping[str, Outcome]
) -> Opportunity | RowFinding:
    oid = row["id"]
    if not oid:
        return _finding(row, f"{row.where('id')} is empty")
    first_line = seen.setdefault(oid, row.line)
    if first_line != row.line:
        return _finding(
            row, f"opportunity {oid!r} is listed twice (first on line {first_line}); this row is skipped"
        )
    outcome = (outcomes.get(_key(row["outcome"])) if outcomes else None) or outcome_of(row["outcome"])
    if outcome is None:
        cell = row["outcome"]
        near = closest(cell, _OUTCOME_NAMES)
        hint = f"; did you mean {near!r}?" if near else ""
        return _finding(
            row,
            f"{row.where('outcome')}: unknown outcome {cell!r}{hint} (won, lost or open; a stage of your own: "
            f"--outcome {shlex.quote(cell + '=open')})",
        )
    try:
        created = parse(row["created"])
        closed = parse(row["closed"])
    except ValueError as exc:
        column = "created" if _bad(parse, row["created"]) else "closed"
        return _finding(row, f"{row.where(column)}: {exc}")
    if created is None:
        return _finding(row, f"{row.where('created')} is empty")
    if outcome != "open":
        if closed is None:
            return _finding(row, f"{row.where('closed')} is empty on a {outcome} opportunity")
        if closed < created:
            return _finding(row, f"closed {closed} is before created {created}")
    amount: float | None = None
    if row["amount"]:
        try:
            amount = parse_amount(row["amount"])
        except ValueError as exc:
            return _finding(row, f"{row.where('amount')}: {exc}")
    ses = _ses(row["se"])
    poc = row["poc"]
    ran = False
    if poc:
        k = _key(poc)
        if k not in _YES and k not in _NO:
            return _finding(row, f"{row.where('poc')}: {poc!r} is not yes or no")
        ran = k in _YES
    poc_outcome: Outcome | None = None
    cell = row["poc_outcome"]
    if cell:
        poc_outcome = _poc_outcome_of(_key(cell))
        if poc_outcome is None:
            near = closest(cell, ("won", "lost", "open", "passed", "failed", "running"))
            hint = f"; did you mean {near!r}?" if near else ""
            return _finding(row, f"{row.where('poc_outcome')}: unknown POC outcome {cell!r}{hint}")
        ran = ran or not poc  # a POC outcome with no poc column says a POC ran
        if poc and not ran:
            return _finding(
                row, f"{row.where('poc_outcome')} is {cell!r} but {row.where('poc')} says no POC ran"
            )
    elif ran:
        poc_outcome = outcome  # a closed deal's POC counts by the deal; an open deal's is still running
    if not ran:
        poc_outcome = None
    tech: bool | None = None
    if row["technical_win"]:
        k = _key(row["technical_win"])
        if k not in _YES and k not in _NO:
            return _finding(row, f"{row.where('technical_win')}: {row['technical_win']!r} is not yes or no")
        tech = k in _YES
    return Opportunity(
        oid, row.line, created, closed if outcome != "open" else None, outcome, amount, ses, poc_outcome, tech
    )


def _bad(parse: DateParser, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return True
    return False


def read_accounts(
    path: Path,
    mapping: Mapping[str, str],
    *,
    day_first: bool = False,
    encoding: str = "utf-8-sig",
    explicit: Collection[str] = (),
) -> Iterator[Account | RowFinding]:
    parse = DateParser(day_first=day_first)
    seen: dict[str, int] = {}  # account -> the line it was first on
    for row in read_rows(
        path,
        ACCOUNT_FIELDS,
        mapping,
        encoding=encoding,
        skip=REPORT_FOOTER,
        hint=" or --preset",
        explicit=explicit,
    ):
        yield _account(row, parse, seen, str(path))


def _account(row: Row, parse: DateParser, seen: dict[str, int], file: str) -> Account | RowFinding:
    name = row["account"]
    if not name:
        return RowFinding(row.line, f"{row.where('account')} is empty", file)
    first_line = seen.setdefault(name, row.line)
    if first_line != row.line:
        return RowFinding(
            row.line,
            f"account {name!r} is listed twice (first on line {first_line}); this row is skipped",
            file,
        )
    dates: dict[str, date | None] = {}
    for f in ("signed", "first_value"):
        try:
            dates[f] = parse(row[f])
        except ValueError as exc:
            return RowFinding(row.line, f"{row.where(f)}: {exc}", file)
    signed, first = dates["signed"], dates["first_value"]
    if signed is None:
        return RowFinding(row.line, f"{row.where('signed')} is empty", file)
    if first is not None and first < signed:
        return RowFinding(row.line, f"first value {first} is before signature {signed}", file)
    share: float | None = None
    cell = row["deployed_at_renewal"]
    if cell:
        k = _key(cell)
        try:
            if k in _YES or k in _NO:
                share = 1.0 if k in _YES else 0.0
            elif cell.endswith("%"):
                share = float(cell[:-1]) / 100
            else:
                share = float(cell)
                if share > 1:
                    raise ValueError
            if not 0 <= share <= 1:
                raise ValueError
        except ValueError:
            return RowFinding(
                row.line,
                f"{row.where('deployed_at_renewal')}: {cell!r} is not a share (0.85, 85%, yes or no)",
                file,
            )
    return Account(name, row.line, signed, first, share)
