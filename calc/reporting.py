"""One self-contained HTML report: scenarios compared, how sure we are, and where every number comes from.

Charts are embedded as SVG data (their text drawn as paths), styles are inline, and nothing refers to another
file or server, so the report opens offline and travels as one email attachment.
"""

from __future__ import annotations

import base64
import datetime
import io
from html import escape
from pathlib import Path

import pandas as pd

from calc import __version__
from calc.area import Area
from calc.assumptions import Assumptions
from calc.charts import plot_discovery, plot_fan, plot_path, plot_scenarios, plot_tornado, write_figure
from calc.discovery import discover as discover_boxes
from calc.display import (
    COMPARISON_HEADING,
    box_heading,
    box_table,
    comparison,
    condition_text,
    notes,
    variable_of,
)
from calc.engine import ScenarioSpec, checked_assumptions, run
from calc.export import atomic, target_path
from calc.history import BOUNDS, history_check
from calc.scenario import DEFAULT_SCENARIOS, first_eased, resolve
from calc.uncertainty import montecarlo, tornado
from calc.variables import NET, catalogue

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #111; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #999; }
.lede { font-size: 1.1em; color: #333; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
th:first-child, td.text, thead th { text-align: left; }
thead th { background: #eee; }
img { max-width: 100%; height: auto; display: block; margin: 1em 0; border: 1px solid #ddd; }
.scroll { max-width: 100%; overflow-x: auto; }
img.chart { min-width: 640px; }  /* on a phone a chart keeps legible text and scrolls inside its box */
.chart-box { container-type: inline-size; }
.scroll-hint { display: none; margin: 1em 0 -0.6em; font-size: 0.85em; font-style: italic; color: #444; }
@container (max-width: 641px) { .scroll-hint { display: block; } }  /* narrower than a chart and its border */
@media (max-width: 600px) { body { margin: 1em auto; padding: 0 0.6em; } table { font-size: 0.8em; } }
.judgement { font-style: italic; }
.small { font-size: 0.85em; color: #444; }
ul.headline li { margin: 0.3em 0; }
"""

SCROLL_HINT = "Scroll sideways to see the whole chart &rarr;"

FORMULAS = """
<p>Every figure is the difference from the status quo (every ban and cap of 2006-2017 in force), per year. Where a
scenario phases relief in over <em>ramp years</em>, the effect in year <em>k</em> of the horizon (0 in the first
year) is the full effect times min(1, (k+1) / ramp years). Each area is of one of three kinds, and the formulas of a
kind are the same for every area of it.</p>
<ul>
<li><strong>Export earnings</strong> (metals, coal, seafood, textiles, other 2397 exports, overseas workers):
revenue = pre-sanction exports &times; share of the ban lifted &times; share of that volume the area can deliver
&times; price index against pre-sanction prices &times; net foreign-exchange share &times; (1 &minus; share already
evading the ban). A cap (coal under UNSCR 2321) replaces the share: exports up to the cap.</li>
<li><strong>Capped imports</strong> (refined petroleum, crude oil): added legal imports = the new cap minus the old
one, each counted only up to the pre-sanction level (crude: the pipeline). Smuggled fuel replaced = the displacement
share of the added imports, no more than is smuggled today (a tighter cap raises smuggling). Net added supply =
added imports minus smuggled fuel replaced. Spending = (added imports &times; price &minus; smuggled fuel replaced
&times; price &times; (1 + smuggling premium)) &times; share paid in hard currency.</li>
<li><strong>Import bans</strong> (luxury goods, 2397 capital goods): spending = share of the ban lifted &times;
demand &times; b, where b is the share of demand the ban blocks today; demand is the pre-sanction imports, or the
imports observed under the ban divided by (1 &minus; b).</li>
<li><strong>Net hard currency</strong> = total revenue &minus; total spending. Every total is exactly the sum of
the areas under it.</li>
</ul>
"""


def image_html(figure, alt: str) -> str:
    """``figure`` as an embedded SVG image in a box of its own that scrolls sideways where the page is narrower
    than the chart (a phone), with a line saying so that only such a page shows (the page's style decides)."""
    buffer = io.BytesIO()
    write_figure(figure, buffer, "svg")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<div class="chart-box"><p class="scroll-hint">{SCROLL_HINT}</p><div class="scroll">'
        f'<img class="chart" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}"></div></div>'
    )


def table_html(frame: pd.DataFrame, index: bool = True) -> str:
    return f'<div class="scroll">{frame.to_html(index=index, escape=True, border=0)}</div>'


def _headline(frame: pd.DataFrame, uncertain: pd.DataFrame, variable: str) -> str:
    last = uncertain[uncertain["year"] == uncertain.groupby("scenario")["year"].transform("max")]
    described = variable_of(frame, variable)
    items = []
    for scenario, group in last.groupby("scenario", sort=False):
        net = group[group["variable"] == variable].set_index("quantile")["value"]
        central = frame[(frame["scenario"] == scenario) & (frame["variable"] == variable)]["value"].iloc[-1]
        low, high = net.index.min(), net.index.max()
        median = min(net.index, key=lambda q: abs(q - 0.5))
        items.append(
            f"<li><strong>{escape(scenario)}</strong>: {escape(described.label.lower())} "
            f"{described.shown(central)} {escape(described.display_unit)} on the central assumptions; over the "
            f"draws, median {described.shown(net[median])} and {100 * (high - low):g} % range "
            f"{described.shown(net[low])} to {described.shown(net[high])}.</li>"
        )
    return f'<ul class="headline">{"".join(items)}</ul>'


def _areas(areas: tuple[Area, ...]) -> str:
    rows = "".join(
        f'<tr><td class="text">{escape(area.title)}</td><td class="text">{escape(area.kind.name)}</td>'
        f'<td class="text">{escape(", ".join(area.resolutions))}</td><td class="text">{escape(area.lever)}</td>'
        f'<td class="text">{escape(area.note)}</td></tr>'
        for area in areas
    )
    head = "<tr><th>area</th><th>kind</th><th>resolutions</th><th>lever</th><th>what it covers</th></tr>"
    return f'<div class="scroll"><table><thead>{head}</thead><tbody>{rows}</tbody></table></div>'


def _history(assumptions: Assumptions) -> str:
    table = history_check(assumptions)
    rows = []
    for row in table.itertuples():
        scale, unit = (1e6, "USD M/yr") if row.unit == "USD/yr" else (1, "%")
        numbers = "".join(f"<td>{value / scale:,.1f}</td>" for value in (row.low, row.value, row.high))
        year = "" if pd.isna(row.year) else int(row.year)
        rows.append(
            f'<tr><td class="text">{escape(row.item)}</td>{numbers}<td class="text">{unit}</td><td>{year}</td>'
            f'<td class="text">{escape(row.source)}</td></tr>'
        )
    head = "<tr><th>item</th><th>low</th><th>central</th><th>high</th><th>unit</th><th>year</th><th>source</th></tr>"
    verdict = "within" if table.attrs["within_bounds"] else "OUTSIDE"
    return (
        f'<div class="scroll"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'
        f"<p>The central sum is {verdict} {100 * BOUNDS[0]:g} to {100 * BOUNDS[1]:g} % of 2016 exports: no more "
        "than the exports there were (no double counting), and no less than the over 90 % of reported exports "
        "that the US ambassador to the UN said were banned. Overseas workers' earnings are a service, outside "
        "this total.</p>"
    )


def _plain(value: float) -> str:
    """A number as people write it: 31,000,000,000 and 0.05, never 3.1e+10."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6f}".rstrip("0")


def _assumption_rows(assumptions: Assumptions) -> str:
    rows = []
    for parameter in assumptions.values():
        source = escape(parameter.source)
        if parameter.url:
            source += f'<br><span class="small">{escape(parameter.url)}</span>'
        mark = ' <span class="judgement">(judgement)</span>' if parameter.judgement else ""
        value, low, high = (_plain(getattr(parameter, key)) for key in ("value", "low", "high"))
        rows.append(
            f'<tr><td class="text">{escape(parameter.name)}{mark}</td><td>{value}</td>'
            f'<td class="text">{escape(parameter.unit)}</td><td>{low}&nbsp;&ndash;&nbsp;{high}</td>'
            f'<td>{parameter.year}</td><td class="text">{source}<br><span class="small">{escape(parameter.note)}'
            "</span></td></tr>"
        )
    head = "<tr><th>parameter</th><th>value</th><th>unit</th><th>range</th><th>year</th><th>source and note</th></tr>"
    return f'<div class="scroll"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _discovery(boxes: pd.DataFrame, scenario: str) -> str:
    """The section on where a condition holds: each box's ranges, coverage and density, and the chart."""
    record = boxes.attrs["sanctions_relief"]["discover"]
    rows = "".join(
        f"<h3>{escape(box_heading(boxes, box))}</h3>{table_html(box_table(boxes, box).set_index('parameter'))}"
        for box in sorted(set(boxes["box"]))
    )
    return f"""
<h2>When is {escape(condition_text(boxes))}?</h2>
<p>Scenario discovery for <strong>{escape(scenario)}</strong>: of {record["n"]:,} joint draws of the assumptions,
the condition holds in {record["holds"]:,} ({100 * record["holds"] / record["n"]:.1f} %). PRIM peels the assumption
ranges down to boxes where it mostly holds. Coverage is the share of those draws inside the box; density, the share
of the box's draws where it holds; mass, the box's share of all draws. Only the ranges a box narrows are listed.</p>
{rows}
{image_html(plot_discovery(boxes), "Scenario discovery: peeling trajectory and box ranges")}
"""


def report(
    scenarios: ScenarioSpec | None = None,
    path: str | Path = "report.html",
    assumptions: Assumptions | str | Path | None = None,
    n: int = 10_000,
    seed: int = 1,
    variable: str = NET,
    discover: str | None = None,
) -> Path:
    """Write the report for ``scenarios`` (by default those ``sanctions-relief run`` shows) to ``path`` and
    return the path. ``discover``, a condition on ``variable`` such as ``"> 500e6 USD/yr"``, adds a section on
    the assumptions under which it holds for the first scenario that eases something (``calc.discover``)."""
    path = target_path(path, (".html", ".htm"))
    chosen = resolve(list(DEFAULT_SCENARIOS) if scenarios is None else scenarios)
    used = checked_assumptions(assumptions)
    declared = catalogue(used.areas).variable(variable)
    variable, label = declared.name, declared.label
    frame = run(chosen, assumptions=used)
    uncertain = montecarlo(chosen, n=n, seed=seed, assumptions=used)
    focus = first_eased(chosen)
    sensitivity = tornado(focus, variable, assumptions=used)
    boxes = None if discover is None else discover_boxes(focus, variable, discover, n=n, seed=seed, assumptions=used)
    record = uncertain.attrs["sanctions_relief"]["montecarlo"]
    years = [parameter.year for parameter in used.values()]
    generated = datetime.date.today().isoformat()
    described = "".join(f"<li><strong>{escape(s.name)}</strong>: {escape(s.note or 'no note')}</li>" for s in chosen)
    body = f"""
<h1>What easing sanctions would be worth to North Korea</h1>
<p class="lede">Hard currency and fuel the DPRK would gain if the UN eased the sanctions of 2006-2017, from the
three areas of the 2021 demands (metal exports, the refined-petroleum cap, luxury imports) to every measure asked
for at Hanoi in 2019: {len(chosen)} scenario(s), {frame["year"].min()} to {frame["year"].max()}, against the status
quo.</p>
{_headline(frame, uncertain, variable)}
<p class="small">Baselines: Stangarone, Korea Economic Institute of America (2021), and the sources of each area.
Ranges: the published figures listed under Assumptions. Money in nominal US dollars of the year each figure
refers to; fuel in 42-gallon oil barrels (158.987 litres).</p>

<h2>Scenarios compared</h2>
<p>{escape(COMPARISON_HEADING)}</p>
{table_html(comparison(frame))}
{"".join(f'<p class="small">Note: {escape(note)}.</p>' for note in notes(frame))}
{image_html(plot_scenarios(frame), "Annual effect of each scenario: hard currency and refined petroleum")}
{image_html(plot_path(frame, variable), "Year-by-year path of " + label)}
<h3>What each scenario represents</h3><ul>{described}</ul>

<h2>How sure we are</h2>
<p>{record["n"]:,} joint draws of every assumption with a published range ({escape(record["sampler"])} sampling,
seed {record["seed"]}); the band shows the {100 * min(record["quantiles"]):g}th to
{100 * max(record["quantiles"]):g}th percentiles.</p>
{image_html(plot_fan(uncertain, variable), "Fan chart of Monte Carlo quantiles of " + label)}
<p>Which assumptions move {escape(label.lower())} most for <strong>{escape(focus.name)}</strong>:
each alone at the low and the high end of its range, the others central.</p>
{image_html(plot_tornado(sensitivity, variable), "Sensitivity tornado for " + focus.name)}
{"" if boxes is None else _discovery(boxes, focus.name)}

<h2>How the numbers are made</h2>
{FORMULAS}
<h3>The areas</h3>
{_areas(used.areas)}

<h2>Check against history</h2>
<p>The export areas' pre-sanction earnings together, beside what the DPRK exported in 2016 and how far its exports
fell by 2018, once the measures of 2016-2017 were in force.</p>
{_history(used)}

<h2>Assumptions</h2>
<p>Every parameter with its central value, range, the year it refers to and its source. Values no published
figure settles are marked <span class="judgement">(judgement)</span>.</p>
{_assumption_rows(used)}

<h2>About this report</h2>
<table>
<tr><th>calculator</th><td class="text">sanctions-relief {escape(__version__)}</td></tr>
<tr><th>generated</th><td class="text">{generated}</td></tr>
<tr><th>assumption figures from</th><td class="text">{min(years)} to {max(years)}</td></tr>
<tr><th>Monte Carlo</th>
<td class="text">{record["n"]:,} draws, {escape(record["sampler"])} sampling, seed {record["seed"]}</td></tr>
</table>
"""
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>sanctions-relief report</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
    with atomic(path) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return path
