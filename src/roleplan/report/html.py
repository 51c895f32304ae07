"""`roleplan report`: one self-contained HTML page for a board — charts drawn by plotly (its JavaScript
inlined, so the page opens with no network), the findings with their sources. Pure: Board -> str.

plotly is the optional `report` extra (`pip install 'roleplan[report]'`); only this module imports it.
"""

from __future__ import annotations

import html
from typing import Any

from roleplan.core.board import Board, TeamSeries
from roleplan.money import format_money, format_money_range

#: Colours that stay apart in print and for the common colour-vision deficiencies (Okabe–Ito).
AE, SE, SA, BAND, NEED, COST, BUDGET = (
    "#999999",
    "#0072B2",
    "#E69F00",
    "#56B4E9",
    "#D55E00",
    "#009E73",
    "#CC79A7",
)
_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def _layout(title: str, *, y: str, height: int = 340) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
        "legend": {"orientation": "h", "y": -0.18},
        "yaxis": {"title": {"text": y}, "rangemode": "tozero"},
        "xaxis": {"type": "category"},
        "template": "plotly_white",
    }


def _se_ratio(t: TeamSeries) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    xs = list(t.quarters)
    if t.band_min != t.band_max:
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[t.band_max] * len(xs),
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[t.band_min] * len(xs),
                mode="lines",
                fill="tonexty",
                fillcolor="rgba(86,180,233,0.3)",
                line={"width": 0},
                name=f"{t.segment} band 1:{t.band_min:g}–1:{t.band_max:g} ({t.band_source})",
            )
        )
    else:  # a band of one ratio is a broad line under the plan's
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[t.band_min] * len(xs),
                mode="lines",
                line={"color": BAND, "width": 16},
                opacity=0.45,
                name=f"{t.segment} band 1:{t.band_min:g} ({t.band_source})",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[t.ceiling] * len(xs),
            mode="lines",
            line={"dash": "dot", "color": NEED},
            name=f"ceiling: {t.ceiling:g} reps per SE",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=list(t.aes_per_se),
            mode="lines+markers",
            line={"color": SE, "width": 3},
            name="AEs per SE (plan)",
            connectgaps=False,
        )
    )
    fig.update_layout(**_layout(f"{t.team}: AEs per SE against the {t.segment} band", y="AEs per SE"))
    return fig


def _sa_capacity(t: TeamSeries) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    xs = list(t.quarters)
    fig.add_trace(go.Bar(x=xs, y=list(t.sas), name="SAs (plan)", marker_color=SA))
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[round(v, 2) for v in t.sa_need_low],
            mode="lines+markers",
            line={"color": NEED},
            name=f"SAs the accounts need at the lightest load ({t.sa_source})",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[round(v, 2) for v in t.sa_need_high],
            mode="lines",
            line={"color": NEED, "dash": "dash"},
            name="… at the tightest load",
        )
    )
    fig.update_layout(**_layout(f"{t.team}: SA capacity against the accounts' need", y="SAs"))
    return fig


def _headcount(b: Board) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    xs = list(b.quarters)
    for name, ys, colour in (("AEs", b.aes, AE), ("SEs", b.ses, SE), ("SAs", b.sas, SA)):
        fig.add_trace(go.Bar(x=xs, y=list(ys), name=name, marker_color=colour))
    fig.update_layout(barmode="group", **_layout("Headcount by role, all teams", y="people"))
    return fig


def _cost(b: Board) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    xs = list(b.quarters)
    mids = [(p.ote.min + p.ote.max) / 2 for p in b.cost]
    fig.add_trace(
        go.Bar(
            x=xs,
            y=mids,
            name="SE + SA pay at OTE (bar: middle, whiskers: the band's min–max)",
            marker_color=COST,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [p.ote.max - m for p, m in zip(b.cost, mids, strict=True)],
                "arrayminus": [m - p.ote.min for p, m in zip(b.cost, mids, strict=True)],
            },
            hovertext=[format_money_range(p.ote.min, p.ote.max) for p in b.cost],
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[(p.base.min + p.base.max) / 2 for p in b.cost],
            mode="lines+markers",
            line={"color": SE},
            name="of which base (middle of the band)",
        )
    )
    if any(v is not None for v in b.budget):
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=list(b.budget),
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 30, "color": BUDGET, "line": {"width": 3}},
                name="budget (quarter)",
            )
        )
    layout = _layout("Cost per quarter: SE and SA pay", y="US dollars")
    layout["yaxis"]["tickprefix"] = "$"
    fig.update_layout(**layout)
    return fig


def _div(fig: Any, div_id: str) -> str:
    import plotly.io as pio

    return str(pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG))


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#12263a;color:#fff;padding:22px 32px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;opacity:.85}
main{padding:16px 32px 40px;max-width:1400px}
.kpis{display:flex;gap:14px;flex-wrap:wrap;margin:10px 0 18px}
.kpi{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:150px}
.kpi b{display:block;font-size:20px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:6px}
h2{font-size:18px;margin:26px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6}
.error{color:#b00020;font-weight:600}.warning{color:#8a5a00;font-weight:600}
footer{color:#666;font-size:12px;margin-top:24px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
"""


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_BUDGET = {
    "within": "within",
    "over-max": "at risk at the top of the bands",
    "over-min": "over",
    "unplanned": "no planned quarter",
}


def _kpis(b: Board) -> str:
    errors = sum(f.severity == "error" and not f.suppressed for f in b.findings)
    warnings = sum(f.severity == "warning" and not f.suppressed for f in b.findings)
    last = len(b.quarters) - 1
    items = [
        ("Quarters", f"{b.quarters[0]} – {b.quarters[-1]}" if b.quarters else "—"),
        ("Teams", str(len(b.teams))),
        ("SEs / SAs at the end", f"{b.ses[last]:g} / {b.sas[last]:g}" if b.quarters else "—"),
    ]
    items += [(f"Pay {y.period} (OTE)", format_money_range(y.ote.min, y.ote.max)) for y in b.years[:3]]
    items += [
        (f"Budget {c.period}", f"{format_money(c.budget)}: {_BUDGET[c.status]}") for c in b.budget_checks[:3]
    ]
    items.append(("roleplan check", f"{_n(errors, 'error')}, {_n(warnings, 'warning')}"))
    return "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>' for k, v in items)


def _findings(b: Board) -> str:
    active = [f for f in b.findings if not f.suppressed]
    if not active:
        return "<p>No findings: the plan is inside every cited benchmark.</p>"
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(f'{f.file}:{f.line}')}</td>"
        f'<td class="{f.severity}">{f.severity}</td>'
        f"<td>{html.escape(f'{f.rule} {f.name}')}</td>"
        f"<td>{html.escape(' '.join(x for x in (f.segment, f.quarter) if x))}</td>"
        f"<td>{html.escape(f.message)}</td>"
        f"<td>{html.escape(f.benchmark or '')}</td>"
        f"<td>{html.escape(f.source or '')}</td>"
        "</tr>"
        for f in active
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("Where", "Severity", "Rule", "Scope", "Finding", "Benchmark", "Source")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cost_table(b: Board) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(p.period)}</td><td>{p.heads.se:g}</td><td>{p.heads.sa:g}</td>"
        f"<td>{format_money_range(p.base.min, p.base.max)}</td><td>{format_money_range(p.ote.min, p.ote.max)}</td>"
        + (f"<td>{format_money(v)}</td>" if (v := b.budget[i]) is not None else "<td></td>")
        + "</tr>"
        for i, p in enumerate(b.cost)
    )
    head = "".join(f"<th>{h}</th>" for h in ("Quarter", "SEs", "SAs", "Base", "OTE", "Budget"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def render(b: Board) -> str:
    """The whole page; plotly.js is inlined once, each chart is a div and a call to draw it."""
    from plotly.offline import get_plotlyjs

    charts = [_div(_headcount(b), "chart-headcount"), _div(_cost(b), "chart-cost")]
    team_cards = []
    for i, t in enumerate(b.teams):
        team_cards.append(f'<div class="card">{_div(_se_ratio(t), f"chart-se-{i}")}</div>')
        team_cards.append(f'<div class="card">{_div(_sa_capacity(t), f"chart-sa-{i}")}</div>')
    who = html.escape(b.company or b.file)
    sources = ", ".join(html.escape(s) for s in b.comp_sources)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{who}: SE and SA plan</title>
<style>{_CSS}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<header><h1>{who}: the SE and SA plan</h1>
<p>{html.escape(b.stage)}, {html.escape(b.motion)} motion — from {html.escape(b.file)}, checked against the cited
benchmarks by roleplan</p></header>
<main>
<div class="kpis">{_kpis(b)}</div>
<div class="grid"><div class="card">{charts[0]}</div><div class="card">{charts[1]}</div></div>
<h2>Per team: SE coverage and SA capacity</h2>
<div class="grid">{"".join(team_cards)}</div>
<h2>Cost per quarter</h2>
{_cost_table(b)}
<h2>Findings</h2>
{_findings(b)}
<footer>Pay from {sources or "the cited bands"}; a quarter is a year's pay ÷ 4. SE:AE bands and SA loads:
the benchmark named beside each chart. Generated by roleplan.</footer>
</main>
</body>
</html>
"""
