"""Comp band look-ups: every matching band from every source, side by side. Pure."""

from __future__ import annotations

from roleplan.errors import UsageError
from roleplan.models.benchmarks import Benchmarks, CompBand
from roleplan.models.figures import Band
from roleplan.models.staffing import Advice, CompResult, CompRow, OfferFit
from roleplan.money import format_money


def matches(band: CompBand, roles: tuple[str, ...], level: str | None, segment: str | None) -> bool:
    """A band matches when its role is asked for and it does not contradict the level or segment.

    A band that does not split by level (or segment) applies to every level (or segment).
    """
    return (
        band.role in roles
        and (level is None or band.level in (None, level))
        and (segment is None or band.segment in (None, segment))
    )


def _fit(kind: str, amount: float, band: Band | None) -> OfferFit | None:
    if band is None:
        return None
    if amount < band.min:
        position, pct = "below", None
    elif amount > band.max:
        position, pct = "above", None
    else:
        position = "within"
        pct = round((amount - band.min) / (band.max - band.min), 2) if band.max > band.min else 0.5
    return OfferFit(kind=kind, amount=amount, position=position, percentile=pct)  # type: ignore[arg-type]


def comp(
    b: Benchmarks,
    *,
    roles: tuple[str, ...],
    level: str | None = None,
    segment: str | None = None,
    offer_base: float | None = None,
    offer_ote: float | None = None,
) -> CompResult:
    """Every band for the roles, filtered by level and segment; an offer, if given, placed in each band."""
    for name, amount in (("--base", offer_base), ("--ote", offer_ote)):
        if amount is not None and amount <= 0:
            raise UsageError(f"{name} must be a positive amount")
    order = {"mid-market": 0, "enterprise": 1, None: 2}
    levels = {"mid": 0, "senior": 1, "principal": 2, None: -1}
    rows = []
    bands = sorted(
        (bd for bd in b.comp.bands if matches(bd, roles, level, segment)),
        key=lambda bd: (roles.index(bd.role), levels[bd.level], order[bd.segment], bd.source),
    )
    for bd in bands:
        fits = tuple(
            f
            for f in (
                _fit("base", offer_base, bd.base) if offer_base is not None else None,
                _fit("ote", offer_ote, bd.ote) if offer_ote is not None else None,
            )
            if f is not None
        )
        rows.append(
            CompRow(
                role=bd.role,
                segment=bd.segment,
                level=bd.level,
                base=bd.base,
                ote=bd.ote,
                total=bd.total,
                split=bd.split,
                variable_tied_to=bd.variable_tied_to,
                source=bd.source,
                also_cited=bd.also_cited,
                as_of=bd.as_of,
                note=bd.note,
                offer=fits,
            )
        )
    advice: list[Advice] = []
    if "sa" in roles:
        prem = b.comp.sa_base_premium
        advice.append(
            Advice(
                "sa-base-premium",
                f"SAs earn {prem.premium.min * 100:.0f}–{prem.premium.max * 100:.0f}% more base than SEs at the "
                "same level; SEs carry more variable, which can close the total-comp gap.",
                prem.source,
            )
        )
        for fact in b.comp.facts:
            if "SA" in fact.of:
                advice.append(Advice("comp-fact", f"{fact.value * 100:.0f}% of {fact.of}.", fact.source))
    if not rows:
        advice.append(
            Advice(
                "no-band",
                "No published band matches this role, level and segment; widen the query.",
                b.comp.sa_base_premium.source,
            )
        )
    if offer_base is not None or offer_ote is not None:
        asked = ", ".join(
            f"{k} {format_money(v)}" for k, v in (("base", offer_base), ("OTE", offer_ote)) if v is not None
        )
        placed = sum(1 for r in rows for f in r.offer if f.position == "within")
        total = sum(len(r.offer) for r in rows)
        advice.append(
            Advice(
                "offer",
                f"Offer ({asked}) sits within {placed} of {total} comparable published ranges.",
                "; ".join(sorted({r.source for r in rows})) or b.comp.sa_base_premium.source,
            )
        )
    return CompResult(roles=roles, level=level, segment=segment, rows=tuple(rows), advice=tuple(advice))
