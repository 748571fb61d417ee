"""Charts with matplotlib (``pip install "sanctions-relief[plot]"``): each ``plot_*`` function takes a frame from
the public API and returns a matplotlib Figure, which notebooks display and ``save_figure`` writes.

Series differ by colour (the Okabe-Ito palette, safe for colour-blind readers) and by hatch or line style, so
that they stay apart in grayscale too. Which variables a chart draws, their labels and units, come from the
variables' declarations: adding an area adds it to the charts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from calc import __version__
from calc.display import SOURCE_LINE, condition_text, described, variable_of
from calc.errors import InputError
from calc.export import atomic, target_path
from calc.variables import NET

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe & Ito (2008), "Color Universal Design": distinct for the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Lines on white need contrast: the palette without its yellow, and black.
LINE_COLOURS = (*PALETTE[:6], "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++", "oo")
SHADES = ("0.45", "0.65", "0.82")
LINES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Display scale per frame unit: divisor and axis label.
SCALES = {
    "USD/yr": (1e6, "USD million per year"),
    "bbl/yr": (1e3, "thousand barrels per year (42-gallon oil barrels)"),
    "t/yr": (1e3, "thousand tonnes per year"),
    "%": (1, "per cent"),
}


def _figure(width: float, height: float, title: str, ncols: int = 1, nrows: int = 1) -> tuple[Figure, list]:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise InputError('charts need matplotlib: pip install "sanctions-relief[plot]"') from None
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False, sharey=nrows * ncols > 1 and nrows > 1).ravel().tolist()
    figure.suptitle(title, fontsize=12, fontweight="bold")
    return figure, axes


def _source(figure: Figure, extra: str = "") -> None:
    figure.text(
        0.01, 0.005, f"{SOURCE_LINE}{extra}. sanctions-relief {__version__}", fontsize=7, color="0.3", va="bottom"
    )
    figure.get_layout_engine().set(rect=(0, 0.045, 1, 0.955))


def _checked(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    if not isinstance(frame, pd.DataFrame) or any(column not in frame.columns for column in columns):
        raise InputError(f"{what}: expected a frame from calc.{'montecarlo' if 'quantile' in columns else 'run'}")


def _variable(frame: pd.DataFrame, variable: str) -> pd.DataFrame:
    rows = frame[frame["variable"] == variable]
    if rows.empty:
        raise InputError(
            f"variable: {variable!r} is not in the frame; it has {', '.join(dict.fromkeys(frame['variable']))}"
        )
    return rows


def _style(index: int, hatched: bool = False) -> dict:
    """The colour and hatch of series ``index``: the palette in turn, solid (or, ``hatched``, striped) the first
    time round and with the next hatch each time after, so that no two series of a chart look alike."""
    turn = index // len(PALETTE) + hatched
    return {"color": PALETTE[index % len(PALETTE)], "hatch": HATCHES[turn % len(HATCHES)]}


def plot_scenarios(frame: pd.DataFrame) -> Figure:
    """Scenarios side by side, in the last year of each: money flows with their signs (revenue stacked up,
    spending stacked down, the net marked) and the added fuel on an axis of its own. Areas with no effect in any
    scenario are left out."""
    _checked(frame, ("scenario", "variable", "year", "value"), "plot_scenarios")
    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    values = last.pivot_table(index="variable", columns="scenario", values="value", sort=False)
    scenarios = list(dict.fromkeys(frame["scenario"]))
    values = values.reindex(columns=scenarios).fillna(0.0)
    charted = [
        variable
        for variable in described(frame).variables.values()
        if variable.charted and variable.name in values.index and values.loc[variable.name].abs().max() > 0
    ]
    revenue = [variable for variable in charted if variable.sign > 0]
    spending = [variable for variable in charted if variable.sign < 0]
    fuel = [variable for variable in charted if not variable.sign]
    figure, (cash, oil) = _figure(max(11.0, 1.4 * len(scenarios) + 6), 6.5, "Annual effect of each scenario", 2)
    positions = np.arange(len(scenarios))
    divisor, axis_label = SCALES["USD/yr"]
    up, down = np.zeros(len(scenarios)), np.zeros(len(scenarios))
    styles = [_style(index) for index in range(len(revenue))] + [_style(i, True) for i in range(len(spending))]
    for variable, style in zip(revenue + spending, styles, strict=True):
        heights = variable.sign * values.loc[variable.name].to_numpy() / divisor
        bottom = np.where(heights > 0, up, down)  # an empty bar sits below: none pins the top at its edge
        cash.bar(
            positions, heights, 0.6, bottom=bottom, label=variable.label, edgecolor="black", linewidth=0.5, **style
        )
        up, down = np.where(heights > 0, up + heights, up), np.where(heights < 0, down + heights, down)
    if NET in values.index:
        cash.scatter(
            positions,
            values.loc[NET].to_numpy() / divisor,
            marker="D",
            s=60,
            color="black",
            zorder=3,
            label="Net hard currency",
        )
    _finish(cash, scenarios, axis_label, "Hard currency: revenue up, spending down")
    divisor, axis_label = SCALES["bbl/yr"]
    width = 0.8 / max(1, len(fuel))
    for index, variable in enumerate(fuel):
        offsets = positions + (index - (len(fuel) - 1) / 2) * width
        heights = values.loc[variable.name].to_numpy() / divisor
        oil.bar(offsets, heights, width, label=variable.label, edgecolor="black", linewidth=0.5, **_style(index + 3))
    _finish(oil, scenarios, axis_label, "Fuel")
    _source(figure, "; effect against the status quo in the last year of each scenario")
    return figure


def _finish(axes, scenarios: list[str], label: str, title: str) -> None:
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(np.arange(len(scenarios)), scenarios, rotation=30, ha="right")
    axes.set_ylabel(label)
    axes.set_title(title)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
    axes.grid(axis="y", color="0.85")
    axes.set_axisbelow(True)
    axes.margins(y=0.08)


def plot_path(frame: pd.DataFrame, variable: str = NET) -> Figure:
    """The yearly path of one variable across scenarios (ramps visible)."""
    _checked(frame, ("scenario", "variable", "unit", "year", "value"), "plot_path")
    rows = _variable(frame, variable)
    divisor, axis_label = SCALES.get(rows["unit"].iloc[0], (1, rows["unit"].iloc[0]))
    figure, (axes,) = _figure(10, 4.8, f"{variable_of(frame, variable).label}, year by year")
    for index, (scenario, group) in enumerate(rows.groupby("scenario", sort=False)):
        axes.plot(
            group["year"],
            group["value"] / divisor,
            LINES[index % len(LINES)],
            marker=MARKERS[index % len(MARKERS)],
            color=LINE_COLOURS[index % len(LINE_COLOURS)],
            label=scenario,
        )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xlabel("year")
    axes.set_ylabel(axis_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.grid(color="0.85")
    _source(figure, "; effect against the status quo")
    return figure


def plot_fan(frame: pd.DataFrame, variable: str = NET) -> Figure:
    """A fan chart of Monte Carlo quantiles, one panel per scenario on a shared scale: the median, and bands
    between each pair of quantiles around it (the outer pair lightest)."""
    _checked(frame, ("scenario", "variable", "unit", "year", "quantile", "value"), "plot_fan")
    rows = _variable(frame, variable)
    divisor, axis_label = SCALES.get(rows["unit"].iloc[0], (1, rows["unit"].iloc[0]))
    levels = sorted(set(rows["quantile"]))
    middle = min(levels, key=lambda q: abs(q - 0.5))
    pairs = list(zip(levels[: len(levels) // 2], levels[::-1][: len(levels) // 2], strict=True))
    record = frame.attrs.get("sanctions_relief", {}).get("montecarlo", {})
    moved = rows.groupby("scenario", sort=False)["value"].agg(lambda values: values.abs().max() > 0)
    scenarios = [scenario for scenario, some in moved.items() if some]
    if not scenarios:
        raise InputError(f"plot_fan: no scenario of the frame changes {variable!r}: there is no spread to draw")
    rows = rows[rows["scenario"].isin(scenarios)]
    spread = rows.groupby(["scenario", "quantile"])["value"].agg(lambda values: values.max() - values.min())
    if (spread == 0).all():  # no ramp: every year alike, so one interval per scenario says it all
        return _intervals(frame, rows, variable, scenarios, levels, middle, pairs)
    ncols = min(4, len(scenarios))
    nrows = -(-len(scenarios) // ncols)
    title = f"{variable_of(frame, variable).label}: how sure we are"
    figure, panels = _figure(3.4 * ncols + 1, 3.4 * nrows + 1, title, ncols, nrows)
    for axes in panels[len(scenarios) :]:
        axes.set_visible(False)
    bottom = min(0.0, rows["value"].min() / divisor)
    top = max(0.0, rows["value"].max() / divisor)
    for axes, scenario in zip(panels, scenarios, strict=False):
        wide = rows[rows["scenario"] == scenario].pivot_table(index="year", columns="quantile", values="value")
        wide = wide / divisor
        for depth, (low, high) in enumerate(pairs):
            axes.fill_between(
                wide.index,
                wide[low],
                wide[high],
                facecolor=SHADES[2 - min(depth, 2)],
                edgecolor="0.4",
                linewidth=0.6,
                label=f"p{100 * low:g} to p{100 * high:g}",
            )
        axes.plot(
            wide.index,
            wide[middle],
            "-",
            color="black",
            linewidth=2,
            marker="o",
            markersize=3,
            label="median" if middle == 0.5 else f"p{100 * middle:g}",
        )
        axes.axhline(0, color="black", linewidth=0.8)
        axes.set_title(scenario, fontsize=10)
        axes.set_ylim(bottom - 0.05 * (top - bottom), top + 0.05 * (top - bottom))
        axes.set_xlabel("year")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.grid(color="0.85")
    for axes in panels[::ncols]:
        axes.set_ylabel(axis_label)
    panels[0].legend(fontsize=8, frameon=True, framealpha=0.9, loc="best")
    draws = f"; {record['n']:,} draws, seed {record['seed']}" if record else ""
    _source(figure, draws)
    return figure


def _intervals(frame, rows, variable, scenarios, levels, middle, pairs) -> Figure:
    """The quantiles of a year (the same in every year) as nested intervals, one per scenario."""
    divisor, axis_label = SCALES.get(rows["unit"].iloc[0], (1, rows["unit"].iloc[0]))
    year = int(rows["year"].max())
    at = rows[rows["year"] == year].pivot_table(index="scenario", columns="quantile", values="value") / divisor
    title = f"{variable_of(frame, variable).label}, every year alike: how sure we are"
    figure, (axes,) = _figure(max(6.0, 1.6 * len(scenarios) + 3), 4.8, title)
    positions = np.arange(len(scenarios))
    for depth, (low, high) in enumerate(pairs):
        values = at.loc[scenarios]
        axes.vlines(
            positions,
            values[low],
            values[high],
            color=PALETTE[0],
            linewidth=6 + 8 * depth,
            alpha=0.35 + 0.3 * depth,
            label=f"p{100 * low:g} to p{100 * high:g}",
        )
    axes.scatter(
        positions,
        at.loc[scenarios, middle],
        color="black",
        marker="D",
        s=40,
        zorder=3,
        label="median" if middle == 0.5 else f"p{100 * middle:g}",
    )
    for position, scenario in zip(positions, scenarios, strict=True):
        axes.annotate(
            f"{at.loc[scenario, middle]:,.0f}",
            (position, at.loc[scenario, middle]),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(positions, scenarios, rotation=20, ha="right")
    axes.set_xlim(-0.6, len(scenarios) - 0.4)
    axes.set_ylabel(axis_label)
    axes.legend(fontsize=8, frameon=True, framealpha=0.9, loc="best")
    axes.grid(axis="y", color="0.85")
    axes.set_axisbelow(True)
    record = frame.attrs.get("sanctions_relief", {}).get("montecarlo", {})
    draws = f"; {record['n']:,} draws, seed {record['seed']}" if record else ""
    _source(figure, f"{draws}; no ramp: every year {int(rows['year'].min())}-{year} alike")
    return figure


def plot_tornado(table: pd.DataFrame, variable: str = NET, top: int = 10) -> Figure:
    """The sensitivity tornado from ``calc.tornado``: the result with each parameter alone at its low and at its
    high, the widest swing on top."""
    _checked(table, ("parameter", "result_at_low", "result_at_high", "result_central", "swing"), "plot_tornado")
    rows = table.sort_values("swing", ascending=False).head(top).iloc[::-1]
    unit = table["result_unit"].iloc[0] if "result_unit" in table.columns else "USD/yr"
    divisor, axis_label = SCALES.get(unit, (1, unit))
    central = rows["result_central"].iloc[0] / divisor
    label = variable_of(pd.DataFrame({"variable": [], "unit": []}), variable).label
    scenario = table.attrs.get("scenario")
    title = f"What moves {label.lower()} most" + (f": {scenario}" if scenario else "")
    figure, (axes,) = _figure(9, 0.45 * len(rows) + 2, title)
    positions = np.arange(len(rows))
    for column, shade, hatch, label in (
        ("result_at_low", "0.8", "//", "parameter at its low"),
        ("result_at_high", "0.3", "", "parameter at its high"),
    ):
        values = rows[column].to_numpy() / divisor
        axes.barh(
            positions,
            values - central,
            left=central,
            color=shade,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
            label=label,
        )
    axes.axvline(central, color="black", linewidth=1)
    axes.set_yticks(
        positions, [_parameter_label(name, unit) for name, unit in zip(rows["parameter"], rows["unit"], strict=True)]
    )
    axes.set_xlabel(f"{axis_label} (central: {central:,.1f})")
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    axes.grid(axis="x", color="0.85")
    _source(figure, "; one parameter at a time, others central")
    return figure


def _parameter_label(name: str, unit: str) -> str:
    """ "metals.pre_sanction_exports", "USD/yr" as "metals: pre-sanction exports (USD/yr)"; a share or a ratio
    (dimensionless) shows no unit."""
    area, _, role = name.partition(".")
    words = role.replace("pre_sanction", "pre-sanction").replace("_", " ")
    return f"{area.replace('_', ' ')}: {words}" + ("" if unit == "dimensionless" else f" ({unit})")


def _range_label(low: float, high: float, unit: str) -> str:
    """A parameter's range as text: money in millions, other values to three or four figures."""
    if unit == "USD/yr":
        return f"{low / 1e6:,.0f} to {high / 1e6:,.0f} M"
    return f"{low:,.3g} to {high:,.3g}"


def plot_discovery(frame: pd.DataFrame, box: int = 1) -> Figure:
    """Scenario discovery from ``calc.discover``: the peeling trajectory of ``box`` (coverage against density,
    the reported step ringed) and the box's ranges, each as the share of its parameter's sampled range kept."""
    _checked(frame, ("box", "parameter", "low", "high", "sampled_low", "sampled_high", "restricted"), "plot_discovery")
    record = frame.attrs.get("sanctions_relief", {}).get("discover")
    if not record:
        raise InputError("plot_discovery: expected a frame from calc.discover (it records its trajectory)")
    if box not in set(frame["box"]):
        raise InputError(f"box: {box!r} is not among the boxes found; accepted: {sorted(set(frame['box']))}")
    steps = pd.DataFrame(record["trajectory"])
    steps = steps[steps["box"] == box]
    rows = frame[(frame["box"] == box) & frame["restricted"]].iloc[::-1]
    title = f"Where {condition_text(frame)}: box {box}"
    figure, (path, ranges) = _figure(11, max(4.2, 0.45 * len(rows) + 2.2), title, ncols=2)
    points = path.scatter(
        100 * steps["coverage"],
        100 * steps["density"],
        c=steps["restricted_dimensions"],
        cmap="viridis",
        s=18,
        edgecolor="none",
    )
    figure.colorbar(points, ax=path, label="parameters restricted")
    chosen = steps[steps["chosen"]]
    path.scatter(100 * chosen["coverage"], 100 * chosen["density"], s=160, facecolor="none", edgecolor="black")
    path.annotate(
        "box reported",
        (100 * chosen["coverage"].iloc[0], 100 * chosen["density"].iloc[0]),
        xytext=(8, -14),
        textcoords="offset points",
        fontsize=8,
    )
    path.axhline(100 * record["min_density"], color="0.5", linestyle="--", linewidth=0.8)
    path.set_xlabel("coverage (% of draws where it holds that the box holds)")
    path.set_ylabel("density (% of the box's draws where it holds)")
    path.set_title("Peeling trajectory", fontsize=10)
    path.grid(color="0.9")
    width = (rows["sampled_high"] - rows["sampled_low"]).to_numpy()
    start = (rows["low"] - rows["sampled_low"]).to_numpy() / width
    end = (rows["high"] - rows["sampled_low"]).to_numpy() / width
    positions = np.arange(len(rows))
    ranges.barh(positions, np.ones(len(rows)), color="0.9", edgecolor="0.6", label="sampled range")
    ranges.barh(positions, end - start, left=start, color=PALETTE[0], label="box")
    for position, (low, high, unit) in enumerate(zip(rows["low"], rows["high"], rows["unit"], strict=True)):
        ranges.text(1.02, position, _range_label(low, high, unit), va="center", fontsize=8)
    ranges.set_yticks(
        positions, [_parameter_label(name, unit) for name, unit in zip(rows["parameter"], rows["unit"], strict=True)]
    )
    ranges.set_xlim(0, 1.5)
    ranges.set_xticks([0, 0.5, 1], ["sampled low", "", "sampled high"])
    ranges.set_title("Ranges the box keeps", fontsize=10)
    ranges.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)
    _source(figure, f"; PRIM over {record['n']:,} draws, seed {record['seed']}")
    return figure


CHARTS = {"scenarios": plot_scenarios, "path": plot_path, "fan": plot_fan, "tornado": plot_tornado}


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG (by the file's ending), atomically."""
    path = figure_path(path)
    kind = path.suffix.lower().lstrip(".")
    with atomic(path) as temporary:
        write_figure(figure, temporary, kind)
    return path


def write_figure(figure: Figure, target, kind: str) -> None:
    """Save as PNG or SVG with no timestamps and fixed SVG ids, so the same chart gives the same bytes."""
    import matplotlib

    metadata = {"Software": None} if kind == "png" else {"Date": None, "Creator": f"sanctions-relief {__version__}"}
    with matplotlib.rc_context({"svg.hashsalt": "sanctions-relief"}):
        figure.savefig(target, format=kind, dpi=150, metadata=metadata)


def figure_path(path: str | Path) -> Path:
    """``path`` as a .png or .svg file in an existing folder, or InputError."""
    return target_path(path, (".png", ".svg"))
