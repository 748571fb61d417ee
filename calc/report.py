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
from calc.assumptions import Assumptions
from calc.charts import plot_fan, plot_path, plot_scenarios, plot_tornado, write_figure
from calc.display import COMPARISON_HEADING, LABELS, comparison, name_and_unit, shown
from calc.engine import ScenarioSpec, checked_assumptions, run
from calc.errors import InputError
from calc.export import atomic
from calc.scenario import first_eased, presets, resolve
from calc.uncertainty import montecarlo, tornado

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
.judgement { font-style: italic; }
.small { font-size: 0.85em; color: #444; }
ul.headline li { margin: 0.3em 0; }
"""

FORMULAS = """
<p>Every figure is the difference from the status quo (the metals bans, the 500,000 bbl/yr cap of UNSCR 2397 and
the luxury ban all in force), per year. Where a scenario phases relief in over <em>ramp years</em>, the effect in
year <em>k</em> of the horizon (0 in the first year) is the full effect times min(1, (k+1) / ramp years).</p>
<ul>
<li><strong>Metal export revenue</strong> = pre-sanction metal exports &times; share of exports allowed again
&times; share of that volume the mines can deliver &times; price index against pre-sanction prices &times;
(1 &minus; share that only legalises trade already smuggled).</li>
<li><strong>Added legal fuel imports</strong> = the new cap minus the old one, each counted only up to what the
country imported before sanctions (no cap lets imports exceed that). A lifted cap means imports can return to
the pre-sanction level.</li>
<li><strong>Smuggled fuel replaced</strong> = the displacement share of the added legal imports, but no more than
is smuggled today; a tighter cap raises smuggling by the same share.</li>
<li><strong>Net added fuel supply</strong> = added legal imports minus smuggled fuel replaced (in tonnes: divided
by barrels per tonne).</li>
<li><strong>Fuel import spending</strong> = added legal imports &times; price, minus smuggled fuel replaced
&times; price &times; (1 + smuggling premium).</li>
<li><strong>Luxury import spending</strong> = share of the ban lifted &times; observed luxury imports &times;
b / (1 &minus; b), where b is the share of luxury demand the ban blocks today.</li>
<li><strong>Net hard currency</strong> = metal export revenue &minus; fuel import spending &minus; luxury import
spending.</li>
</ul>
"""


def _image(figure, alt: str) -> str:
    buffer = io.BytesIO()
    write_figure(figure, buffer, "svg")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def _table(frame: pd.DataFrame, index: bool = True) -> str:
    return frame.to_html(index=index, escape=True, border=0)


def _headline(frame: pd.DataFrame, uncertain: pd.DataFrame, variable: str) -> str:
    last = uncertain[uncertain["year"] == uncertain.groupby("scenario")["year"].transform("max")]
    fuel = "Fuel|Refined Petroleum|Net Additional Supply"
    items = []
    for scenario, group in last.groupby("scenario", sort=False):
        net = group[group["variable"] == variable].set_index("quantile")["value"]
        central = frame[(frame["scenario"] == scenario) & (frame["variable"] == variable)]["value"].iloc[-1]
        supply = frame[(frame["scenario"] == scenario) & (frame["variable"] == fuel)]["value"].iloc[-1]
        low, high = net.index.min(), net.index.max()
        median = min(net.index, key=lambda q: abs(q - 0.5))
        name, unit = name_and_unit(variable)
        items.append(
            f"<li><strong>{escape(scenario)}</strong>: {escape(name.lower())} {shown(variable, central)} "
            f"{escape(unit)} on the central assumptions; over the draws, median {shown(variable, net[median])} and "
            f"{100 * (high - low):g} % range {shown(variable, net[low])} to {shown(variable, net[high])}; "
            f"net added fuel {shown(fuel, supply)} bbl/yr.</li>"
        )
    return f'<ul class="headline">{"".join(items)}</ul>'


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
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def report(
    scenarios: ScenarioSpec | None = None,
    path: str | Path = "report.html",
    assumptions: Assumptions | str | Path | None = None,
    n: int = 10_000,
    seed: int = 1,
    variable: str = "Hard Currency|Net",
) -> Path:
    """Write the report for ``scenarios`` (all presets by default) to ``path`` and return the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"output path: {str(path)!r} must end in .html")
    if not path.parent.is_dir():
        raise InputError(f"output path: the folder {str(path.parent)!r} does not exist")
    if variable not in LABELS:
        raise InputError(f"variable: {variable!r} is not known; accepted: {', '.join(LABELS)}")
    chosen = resolve(presets() if scenarios is None else scenarios)
    used = checked_assumptions(assumptions)
    frame = run(chosen, assumptions=used)
    uncertain = montecarlo(chosen, n=n, seed=seed, assumptions=used)
    focus = first_eased(chosen)
    sensitivity = tornado(focus, variable, assumptions=used)
    record = uncertain.attrs["sanctions_relief"]["montecarlo"]
    years = [parameter.year for parameter in used.values()]
    generated = datetime.date.today().isoformat()
    notes = "".join(f"<li><strong>{escape(s.name)}</strong>: {escape(s.note or 'no note')}</li>" for s in chosen)
    body = f"""
<h1>What easing sanctions would be worth to North Korea</h1>
<p class="lede">Hard currency and fuel the DPRK would gain if the UN eased the ban on its metal exports, the cap
on its refined-petroleum imports and the ban on its luxury imports: {len(chosen)} scenario(s), {frame["year"].min()}
to {frame["year"].max()}, against the status quo.</p>
{_headline(frame, uncertain, variable)}
<p class="small">Baselines: Stangarone, Korea Economic Institute of America (2021). Ranges: the published
figures listed under Assumptions. Money in US dollars, fuel in 42-gallon oil barrels (158.987 litres).</p>

<h2>Scenarios compared</h2>
<p>{escape(COMPARISON_HEADING)}</p>
{_table(comparison(frame))}
{_image(plot_scenarios(frame), "Annual effect of each scenario: hard currency and refined petroleum")}
{_image(plot_path(frame, variable), "Year-by-year path of " + LABELS[variable][0])}
<h3>What each scenario represents</h3><ul>{notes}</ul>

<h2>How sure we are</h2>
<p>{record["n"]:,} joint draws of every assumption with a published range ({escape(record["sampler"])} sampling,
seed {record["seed"]}); the band shows the {100 * min(record["quantiles"]):g}th to
{100 * max(record["quantiles"]):g}th percentiles.</p>
{_image(plot_fan(uncertain, variable), "Fan chart of Monte Carlo quantiles of " + LABELS[variable][0])}
<p>Which assumptions move {escape(name_and_unit(variable)[0].lower())} most for <strong>{escape(focus.name)}</strong>:
each alone at the low and the high end of its range, the others central.</p>
{_image(plot_tornado(sensitivity, variable), "Sensitivity tornado for " + focus.name)}

<h2>How the numbers are made</h2>
{FORMULAS}

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
