"""One self-contained HTML report: scenarios compared, how sure we are, and where every number comes from.

Charts are embedded as SVG data (their text drawn as paths), styles are inline, and nothing refers to another
file or server, so the report opens offline and travels as one email attachment.
"""

from __future__ import annotations

import base64
import datetime
import inspect
import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import pandas as pd

from calc import __version__
from calc.area import Area
from calc.assumptions import Assumptions, Parameter
from calc.bites import resolutions
from calc.charts import (
    plot_discovery,
    plot_fan,
    plot_package,
    plot_path,
    plot_scenarios,
    plot_tornado,
    write_figure,
)
from calc.discovery import discover as discover_boxes
from calc.display import (
    BITE_HEADING,
    COMPARISON_HEADING,
    bite_notes,
    bites_table,
    box_heading,
    box_table,
    budget_words,
    comparison,
    condition_text,
    labelled,
    notes,
    variable_of,
)
from calc.engine import AssumptionSpec, ScenarioSpec, run, worlds
from calc.files import atomic, target_path
from calc.history import BOUNDS, history_check
from calc.kinds import Variable
from calc.models import balance, ramp, ramp_at
from calc.models.balance import bought_share
from calc.outside import SHOWN as OUTSIDE_SHOWN
from calc.outside import context
from calc.presentation import plain, shown_as
from calc.record import worlds_of
from calc.scenario import DEFAULT_SCENARIOS, Package, Plan, first_eased, resolve
from calc.uncertainty import montecarlo, tornado
from calc.variables import BOUGHT, NET, REVENUE, UNLOCKED, catalogue

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
.beside { display: flex; flex-wrap: wrap; gap: 0 2em; }
.beside > div { flex: 1 1 340px; min-width: 0; }
.beside .context h3 { font-style: italic; }
pre.formulas { overflow-x: auto; background: #f6f6f6; padding: 0.5em 0.8em; font-size: 0.85em; }
"""

SCROLL_HINT = "Scroll sideways to see the whole chart &rarr;"


class _Past(NamedTuple):
    """A row of ``calc.history_check``, the columns the report shows."""

    item: str
    low: float
    value: float
    high: float
    unit: str
    year: float  # NaN for the rows of no one year (the sum, the shares)
    source: str


class _Outside(NamedTuple):
    """A row of ``calc.context``: a published figure of what the North earns outside the sanctions."""

    item: str
    period: str
    low: float
    high: float
    unit: str
    source: str


class _Bite(NamedTuple):
    """A row of ``calc.resolutions``, the columns the report lists under the table."""

    resolution: str
    adopted: str
    measures: str
    official_source: str


_Row = TypeVar("_Row", bound=NamedTuple)


def _rows(frame: pd.DataFrame, row: type[_Row]) -> list[_Row]:
    """The rows of ``frame`` as ``row``, a named tuple of the columns read with their types."""
    return [row._make(values) for values in frame[list(row._fields)].itertuples(index=False, name=None)]


def _formulas(areas: tuple[Area, ...]) -> str:
    """How the numbers are made, from the docstrings that write the formulas (the ramp, each kind's model, the
    budget and the sums), each kind with its areas: the formulas are written once, there."""
    kinds = {area.kind.name: area.kind for area in areas}
    parts = [
        "<p>Every figure is the difference from the status quo (every ban and cap of 2006-2017 in force), per year. "
        "Three measures come out: the <strong>hard currency earned</strong>, the <strong>imports unlocked</strong> "
        "(what relief lets the North buy: access, never a loss) and, last, the hard currency left after buying the "
        "unlocked imports its budget allows. Relief phases in over the scenario's ramp years:</p>",
        docstring_html(inspect.getdoc(ramp) or ""),
    ]
    for kind in kinds.values():
        members = ", ".join(area.title.lower() for area in areas if area.kind is kind)
        parts.append(f"<h3>{escape(kind.name.capitalize())} ({escape(members)})</h3>")
        parts.append(docstring_html(kind.explanation))
        if kind.profile is not ramp_at:
            parts.append(docstring_html(inspect.getdoc(kind.profile) or ""))
    parts.append("<h3>The budget</h3>")
    parts.append(docstring_html(inspect.getdoc(bought_share) or ""))
    parts.append("<h3>Sums, the net and the shares</h3>")
    parts.append(docstring_html(inspect.getdoc(balance) or ""))
    return "\n".join(parts)


#: A docstring's pointer to a page of the documentation, such as ``(docs/explanation/model.md)``.
DOCS_POINTER = re.compile(r"\s*\(docs/[\w/.-]+\.md\)")


def docstring_html(text: str) -> str:
    """A docstring as HTML for readers of the report: its paragraphs, its indented blocks (the formulas a ``::``
    opens) as preformatted text; what is for programmers (doctest examples and the words leading into them, the
    paragraph on what the function returns) and pointers to the documentation's pages (``(docs/...md)``) left
    out."""
    html = []
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    for block, following in zip(blocks, [*blocks[1:], ""], strict=True):
        lead_in = following.lstrip().startswith(">>>") and block.endswith(":") and not block.endswith("::")
        if block.lstrip().startswith((">>>", "Returns ")) or lead_in:  # for programmers: examples, return values
            continue
        if block.startswith((" ", "\t")):
            html.append(f'<pre class="formulas">{escape(textwrap.dedent(block))}</pre>')
            continue
        words = DOCS_POINTER.sub("", block)
        words = escape(words[:-1] if words.endswith("::") else words)  # "...::" opens a block: one colon shows
        html.append("<p>" + re.sub(r"``(.+?)``", r"<code>\1</code>", words) + "</p>")
    return "\n".join(html)


def image_html(figure: Figure, alt: str) -> str:
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


def _headline(frame: pd.DataFrame, uncertain: pd.DataFrame) -> str:
    """Per scenario, in its last year: the hard currency earned and the imports unlocked, each on the central
    assumptions with its range over the draws; then, as a secondary line, the hard currency left after buying the
    unlocked imports, and the share of them the budget buys."""
    frame, uncertain = labelled(frame), labelled(uncertain)
    last = uncertain[uncertain["year"] == uncertain.groupby("scenario")["year"].transform("max")]
    earned, unlocked, net, bought = (variable_of(frame, name) for name in (REVENUE, UNLOCKED, NET, BOUGHT))
    items = []
    for scenario, group in last.groupby("scenario", sort=False):
        central: pd.Series[float] = frame[frame["scenario"] == scenario].groupby("variable")["value"].last()
        spread = group.pivot_table(index="quantile", columns="variable", values="value")
        budget = "" if not central[unlocked.name] else f"; {budget_words(central[bought.name])}"
        items.append(
            f"<li><strong>{escape(str(scenario))}</strong>: {_figure(earned, central, spread, 'strong')}; "
            f"{_figure(unlocked, central, spread, 'strong')}.<br>"
            f'<span class="small">Secondary: {_figure(net, central, spread, "span")}{budget}.</span></li>'
        )
    return f'<ul class="headline">{"".join(items)}</ul>'


def _figure(variable: Variable, central: pd.Series[float], spread: pd.DataFrame, tag: str) -> str:
    """ "hard currency earned <strong>220.0 USD M/yr</strong> (90 % range 180.1 to 420.6)": the central value in
    ``tag``, and the range between the outer quantiles of ``spread`` (quantile levels by variable)."""
    quantiles = spread[variable.name]
    low, high = quantiles.index.min(), quantiles.index.max()
    return (
        f"{escape(variable.label.lower())} <{tag}>{variable.shown(central[variable.name])} "
        f"{escape(variable.display_unit)}</{tag}> ({100 * (high - low):g} % range "
        f"{variable.shown(quantiles[low])} to {variable.shown(quantiles[high])})"
    )


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
    for row in _rows(table, _Past):
        shown = shown_as(row.unit)
        numbers = "".join(f"<td>{shown.text(value)}</td>" for value in (row.low, row.value, row.high))
        year = "" if pd.isna(row.year) else int(row.year)
        rows.append(
            f'<tr><td class="text">{escape(row.item)}</td>{numbers}<td class="text">{shown.unit}</td><td>{year}</td>'
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


def _assumption_rows(parameters: Iterable[Parameter]) -> str:
    rows = []
    for parameter in parameters:
        source = escape(parameter.source)
        if parameter.url:
            source += f'<br><span class="small">{escape(parameter.url)}</span>'
        mark = ' <span class="judgement">(judgement)</span>' if parameter.judgement else ""
        value, low, high = (plain(getattr(parameter, key)) for key in ("value", "low", "high"))
        rows.append(
            f'<tr><td class="text">{escape(parameter.name)}{mark}</td><td>{value}</td>'
            f'<td class="text">{escape(parameter.unit)}</td><td>{low}&nbsp;&ndash;&nbsp;{high}</td>'
            f'<td>{parameter.year}</td><td class="text">{source}<br><span class="small">{escape(parameter.note)}'
            "</span></td></tr>"
        )
    head = "<tr><th>parameter</th><th>value</th><th>unit</th><th>range</th><th>year</th><th>source and note</th></tr>"
    return f'<div class="scroll"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _world_changes(sets: list[Assumptions]) -> str:
    """For each world after the first, the parameters it sets otherwise, with their values, ranges and sources."""
    first, parts = sets[0], []
    for world in sets[1:]:
        changed = [p for p in world.values() if p.name not in first or first[p.name] != p]
        parts.append(
            f"<h3>What {escape(world.name)} sets otherwise</h3>"
            + (_assumption_rows(changed) if changed else "<p>Nothing: every parameter is as above.</p>")
        )
    return "".join(parts)


def _one_world(sets: list[Assumptions], what: str) -> str:
    """ " The tornado is for the first world, as-written." in a report of several worlds, else nothing."""
    return f" {what} is for the first world, {escape(sets[0].name)}." if len(sets) > 1 else ""


def _bites(assumptions: Assumptions, sets: list[Assumptions]) -> str:
    """Each resolution's bite beside the estimate published at adoption (``calc.resolutions``), a sentence on each
    that lies more than a quarter from it, and each resolution's measures and the source of its estimate."""
    table = resolutions(assumptions)
    sentences = "".join(f"<p>{escape(line)}</p>" for line in bite_notes(table, assumptions.areas))
    measures = "".join(
        f"<li><strong>{escape(row.resolution)}</strong> ({escape(row.adopted)}): {escape(row.measures)}"
        + (
            f'<br><span class="small">Published at adoption: {escape(row.official_source)}</span>'
            if row.official_source
            else ""
        )
        + "</li>"
        for row in _rows(table, _Bite)
    )
    return (
        f"<p>{escape(BITE_HEADING)} The ratio sets the gross bite as adopted beside the estimate."
        f"{_one_world(sets, 'This table')}</p>"
        f"{table_html(bites_table(table), index=False)}{sentences}<ul>{measures}</ul>"
    )


CONTEXT_TITLE = "Beside what the North earns outside the sanctions"


def context_html(frame: pd.DataFrame) -> str:
    """The hard currency each scenario of ``frame`` earns (in its last year, and over its years; named with its
    world where the frame holds several), beside what the North earns outside the sanctions (``calc.context``),
    in USD bn, the second marked as context: it goes on whatever is lifted, and no result adds it."""
    earned = labelled(frame[frame["variable"] == REVENUE]).groupby("scenario", sort=False)
    relief = "".join(
        f'<tr><td class="text">{escape(str(scenario))}</td><td>{rows["value"].iloc[-1] / 1e9:,.2f}</td>'
        f"<td>{rows['value'].sum() / 1e9:,.2f}</td><td>{rows['year'].min()}-{rows['year'].max()}</td></tr>"
        for scenario, rows in earned
    )
    outside = []
    for row in _rows(context(), _Outside):
        scale, unit, over = OUTSIDE_SHOWN[row.unit]
        low, high = row.low / scale, row.high / scale
        amount = f"{low:,.2f} {unit}" if row.low == row.high else f"{low:,.2f}&ndash;{high:,.2f} {unit}"
        when = f"{escape(row.period)}, {over}"
        outside.append(
            f'<tr><td class="text">{escape(row.item)}</td><td class="text">{when}</td><td>{amount}</td>'
            f'<td class="text small">{escape(row.source)}</td></tr>'
        )
    return f"""<div class="beside">
<div><h3>Relief: hard currency earned, USD bn</h3><div class="scroll"><table><thead><tr><th>scenario</th>
<th>a year, last year</th><th>over the years</th><th>years</th></tr></thead><tbody>{relief}</tbody></table></div></div>
<div class="context"><h3>Context, not relief: earned outside the sanctions</h3><div class="scroll"><table>
<thead><tr><th>what</th><th>when</th><th>amount</th><th>source</th></tr></thead>
<tbody>{"".join(outside)}</tbody></table></div></div>
</div>
<p class="small">Context only: what the North earns outside the sanctions goes on whatever is lifted, so it is never
added to the relief, and no figure of this calculator includes it. It shows the scale of the relief beside the hard
currency the North already finds.</p>"""


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


def _moving(uncertain: pd.DataFrame, variable: str, scenarios: Sequence[Plan]) -> Plan:
    """The scenario worth a sensitivity analysis of ``variable``: the first that moves it in some draw, else the
    first that eases something."""
    rows = uncertain[uncertain["variable"] == variable]
    moved = set(rows.loc[rows["value"] != 0, "scenario"])
    return next((scenario for scenario in scenarios if scenario.name in moved), first_eased(scenarios))


def spread_html(uncertain: pd.DataFrame, sensitivity: pd.DataFrame) -> str:
    """The fan chart of the variable of the ``sensitivity`` tornado (``calc.tornado``) over the draws of
    ``uncertain``, and the tornado itself, each as an image; each in words instead where nothing moves it (import
    relief alone earns no hard currency, say)."""
    variable, scenario = sensitivity.attrs["variable"], sensitivity.attrs["scenario"]
    label = variable_of(uncertain, variable).label.lower()
    hint = "; choose another measure to draw (imports unlocked, say)"
    if uncertain.loc[uncertain["variable"] == variable, "value"].any():
        fan = image_html(plot_fan(uncertain, variable), f"Fan chart of Monte Carlo quantiles of {label}")
    else:
        fan = f"<p>No scenario changes {escape(label)} in any draw, so there is no spread to draw{hint}.</p>"
    if sensitivity["swing"].any():
        tornado_chart = image_html(plot_tornado(sensitivity), f"Sensitivity tornado for {scenario}")
        intro = "each alone at the low and the high end of its range, the others central"
        return (
            f"{fan}<p>Which assumptions move {escape(label)} most for <strong>{escape(scenario)}</strong>: {intro}.</p>"
            f"{tornado_chart}"
        )
    return f"{fan}<p>No assumption moves {escape(label)} for <strong>{escape(scenario)}</strong>{hint}.</p>"


def report(
    scenarios: ScenarioSpec | None = None,
    path: str | Path = "report.html",
    assumptions: AssumptionSpec = None,
    n: int = 10_000,
    seed: int = 1,
    variable: str = REVENUE,
    discover: str | None = None,
) -> Path:
    """Write the report for ``scenarios`` (scenarios and packages; by default those ``sanctions-relief run``
    shows) to ``path`` and return the path. The headline gives each scenario's hard currency earned and imports
    unlocked (the hard currency left after buying them as a secondary line); ``variable`` is the one the path, fan
    and tornado draw, and each package's chart of its steps. The tornado, and the section that ``discover`` (a
    condition on ``variable`` such as ``"> 500e6 USD/yr"``) adds on the assumptions under which it holds
    (``calc.discover``), are for the first scenario that moves ``variable``.

    ``assumptions`` may name several worlds (``["as-written", "enforced-2025"]``): each scenario is then shown
    in each world side by side, while the tornado, discovery, each resolution's bite and the check against history
    take the first world, as the report says."""
    path = target_path(path, (".html", ".htm"))
    chosen = resolve(list(DEFAULT_SCENARIOS) if scenarios is None else scenarios)
    sets = worlds(assumptions)
    used = sets[0]
    declared = catalogue(used.areas).variable(variable)
    variable, label = declared.name, declared.label
    frame = run(chosen, assumptions=sets)
    uncertain = montecarlo(chosen, n=n, seed=seed, assumptions=sets)
    focus = _moving(uncertain, variable, chosen)
    spread = spread_html(uncertain, tornado(focus, variable, assumptions=used))
    boxes = None if discover is None else discover_boxes(focus, variable, discover, n=n, seed=seed, assumptions=used)
    record = worlds_of(uncertain.attrs["sanctions_relief"])[0]["montecarlo"]
    years = [parameter.year for world in sets for parameter in world.values()]
    names = ", ".join(world.name for world in sets)
    first = (
        f"<p><em>Worlds</em>: each scenario is shown in each of {len(sets)} worlds side by side ({escape(names)}), "
        "named in brackets. Sensitivity (the tornado), scenario discovery, each resolution's bite and the check "
        f"against history take one world: they are for the first, <strong>{escape(used.name)}</strong>.</p>"
        if len(sets) > 1
        else ""
    )
    packages = "".join(
        image_html(plot_package(plan, frame, uncertain, variable), f"Steps of {plan.name} and its {label.lower()}")
        for plan in chosen
        if isinstance(plan, Package)
    )
    generated = datetime.date.today().isoformat()
    described = "".join(f"<li><strong>{escape(s.name)}</strong>: {escape(s.note or 'no note')}</li>" for s in chosen)
    body = f"""
<h1>What easing sanctions would be worth to North Korea</h1>
<p class="lede">The hard currency the DPRK would earn, and the imports (fuel among them) it would be allowed to buy,
if the UN eased the sanctions of 2006-2017, from the three areas of the 2021 demands (metal exports, the
refined-petroleum cap, luxury imports) to every measure asked for at Hanoi in 2019: {len(chosen)} scenario(s),
{frame["year"].min()} to {frame["year"].max()}, against the status quo, per year in the last year shown.</p>
{first}
{_headline(frame, uncertain)}
<p class="small">Baselines: Stangarone, Korea Economic Institute of America (2021), and the sources of each area.
Ranges: the published figures listed under Assumptions. Money in nominal US dollars of the year each figure
refers to; fuel in 42-gallon oil barrels (158.987 litres).</p>

<h2>Scenarios compared</h2>
<p>{escape(COMPARISON_HEADING)}</p>
{table_html(comparison(frame))}
{"".join(f'<p class="small">Note: {escape(note)}.</p>' for note in notes(frame))}
{image_html(plot_scenarios(frame), "Annual effect of each scenario: hard currency and refined petroleum")}
{image_html(plot_path(frame, variable), "Year-by-year path of " + label)}
{packages}
<h3>What each scenario represents</h3><ul>{described}</ul>

<h2>{CONTEXT_TITLE}</h2>
{context_html(frame)}

<h2>How sure we are</h2>
<p>{record["n"]:,} joint draws of every assumption with a published range ({escape(record["sampler"])} sampling,
seed {record["seed"]}); the band shows the {100 * min(record["quantiles"]):g}th to
{100 * max(record["quantiles"]):g}th percentiles of {escape(label.lower())}.{_one_world(sets, "The tornado")}</p>
{spread}
{"" if boxes is None else _discovery(boxes, focus.name)}

<h2>Each resolution's bite</h2>
{_bites(used, sets)}

<h2>How the numbers are made</h2>
{_formulas(used.areas)}
<h3>The areas</h3>
{_areas(used.areas)}

<h2>Check against history</h2>
<p>The export areas' pre-sanction earnings together, beside what the DPRK exported in 2016 and how far its exports
fell by 2018, once the measures of 2016-2017 were in force.{_one_world(sets, "The check")}</p>
{_history(used)}

<h2>Assumptions</h2>
<p>Every parameter with its central value, range, the year it refers to and its source. Values no published
figure settles are marked <span class="judgement">(judgement)</span>.{_one_world(sets, "This table")}</p>
{_assumption_rows(used.values())}
{_world_changes(sets)}

<h2>About this report</h2>
<table>
<tr><th>calculator</th><td class="text">sanctions-relief {escape(__version__)}</td></tr>
<tr><th>generated</th><td class="text">{generated}</td></tr>
<tr><th>{"worlds" if len(sets) > 1 else "world"}</th><td class="text">{escape(names)}</td></tr>
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
