"""Charts with matplotlib (``pip install "sanctions-relief[plot]"``): each ``plot_*`` function takes a frame from
the public API and returns a matplotlib Figure, which notebooks display and ``save_figure`` writes.

Colours carry identities the same way in every chart: each area has a colour of its own, from its place among the
declared areas (its revenue, the imports it unlocks and its fuel alike), and each scenario a colour, line and marker
of its own, from its place in the frame (so a report's path and fan charts agree). Imports unlocked are striped, so
that what is earned and what is unlocked stay apart in grayscale too. Which variables a chart draws, their labels
and units, come from the variables' declarations: adding an area adds it to the charts, in a colour of its own.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np
import pandas as pd

from calc import __version__
from calc.display import (
    SOURCE_LINE,
    budget_words,
    condition_text,
    described,
    labelled,
    recorded_areas,
    step_label,
    step_years,
    variable_of,
)
from calc.errors import InputError, MissingExtra
from calc.files import atomic, target_path
from calc.kinds import Variable
from calc.presentation import shown_as
from calc.record import worlds_of
from calc.scenario import ASSUMED, HAZARD, Package, Step
from calc.tables import recorded_parameter
from calc.variables import BOUGHT, IN_FORCE, NET, REVENUE, UNLOCKED, full_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe & Ito (2008), "Color Universal Design": distinct for the common kinds of colour blindness. Their black
#: is left out of the fills: black is the zero line, the outlines and the stripes of imports unlocked.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: One colour per area, by its place among the declared areas: Okabe-Ito's seven, then purple, light cyan and grey
#: from Paul Tol's colour-blind-safe schemes (bright, light), the three that keep every pair of the ten at least
#: as far apart as Okabe-Ito's own closest pair, for normal vision and for simulated deuteranopia, protanopia and
#: tritanopia (CAM02-UCS), and brown, the colour farthest from those ten of the candidates light enough for black
#: stripes to show on it (docs/how-to/charts-and-report.md).
AREA_COLOURS = (*OKABE_ITO, "#AA3377", "#99DDFF", "#BBBBBB", "#8C564B")
#: From the twelfth area on the colours come round again, dotted (then ringed, then starred).
ROUND_HATCHES = ("", "..", "oo", "**")
UNLOCKED_HATCH = "//"
#: Lines on white need contrast: Okabe-Ito without its yellow, and black; a scenario's colour in every chart.
LINE_COLOURS = (*OKABE_ITO[:6], "#000000")
LINES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: A segment of the scenarios chart carries its value where it is at least this share of the axis tall.
LEGIBLE = 0.05
LABEL_SIZE = 8
#: Room above and below what a bar chart draws, as a share of its range (its end labels fit in it).
MARGIN = 0.08
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
SOURCE_SIZE = 7
#: The scenarios' names under a bar chart: their size and slant.
TICK_SIZE = 10
TICK_ANGLE = 30
#: Space kept at each side of the figure, and below the source line, in points.
EDGE = 4.0


def _figure(
    width: float,
    height: float,
    title: str,
    ncols: int = 1,
    nrows: int = 1,
    height_ratios: Sequence[float] | None = None,
) -> tuple[Figure, list]:
    """A figure with its title and a grid of axes: panels of one measure (several rows of them share their
    y-axis), or with ``height_ratios`` rows of different measures over the same x-axis."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise MissingExtra("a chart", "matplotlib", "plot") from error
    figure = Figure(figsize=(width, height), layout="constrained")
    shared = {"sharex": True, "height_ratios": height_ratios} if height_ratios else {"sharey": nrows > 1}
    axes = figure.subplots(nrows, ncols, squeeze=False, **shared).ravel().tolist()
    figure.suptitle("\n".join(_wrapped(title, 12, 72 * width - 2 * EDGE, bold=True)), fontsize=12, fontweight="bold")
    return figure, axes


def _source(figure: Figure, extra: str = "", notes: Sequence[str] = ()) -> None:
    """The source line at the foot, after any ``notes``, each wrapped to the figure's width, with room kept for
    them below the charts."""
    width, height = figure.get_size_inches()
    lines = [
        line
        for text in (*notes, f"{SOURCE_LINE}{extra}. sanctions-relief {__version__}")
        for line in _wrapped(text, SOURCE_SIZE, 72 * width - 2 * EDGE)
    ]
    figure.text(
        EDGE / (72 * width), EDGE / (72 * height), "\n".join(lines), fontsize=SOURCE_SIZE, color="0.3", va="bottom"
    )
    kept = (len(lines) * 1.2 * SOURCE_SIZE + 4 * EDGE) / (72 * height)  # line spacing 1.2; an edge below, 3 above
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = figure.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)  # as every figure here is made (``_figure``)
    engine.set(rect=(0, kept, 1, 1 - kept))


def _wrapped(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` points at font ``size``: matplotlib clips what runs past the
    figure's edge instead of wrapping it. Glyphs fitted to the pixels of a PNG run up to 7 % wider than their
    outlines measure (more or less by resolution), so a line keeps to 90 % of ``width``."""
    lines = [""]
    for word in text.split(" "):
        longer = f"{lines[-1]} {word}" if lines[-1] else word
        if lines[-1] and _text_width(longer, size, bold) > 0.9 * width:
            lines.append(word)
        else:
            lines[-1] = longer
    return lines


@cache
def _text_width(text: str, size: float, bold: bool) -> float:
    """The width of ``text`` in points, in matplotlib's default font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=size, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]


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


def _area_style(areas: list[str], variable: Variable, shade: int = 0) -> dict:
    """The colour and hatch of ``variable``: its area's own colour, from the area's place among the declared
    ``areas`` (dotted from the twelfth area on, as the colours come round again), striped where it is the value of
    imports unlocked, and ``shade`` steps lighter (an area's second fuel measure)."""
    turn, place = divmod(areas.index(variable.area), len(AREA_COLOURS))
    hatch = (UNLOCKED_HATCH if variable.unlocked else "") + ROUND_HATCHES[turn % len(ROUND_HATCHES)]
    return {"color": _lighter(AREA_COLOURS[place], 1 - 0.5**shade), "hatch": hatch}


def _lighter(colour: str, white: float) -> str:
    """``colour`` ("#rrggbb") mixed with a share ``white`` of white."""
    channels = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    return "#" + "".join(f"{round(channel + (255 - channel) * white):02x}" for channel in channels)


def _scenario_styles(frame: pd.DataFrame) -> dict[Hashable, dict[str, str]]:
    """Each scenario's colour, line and marker, from its place in ``frame``, so that a scenario looks the same in
    every chart of a report or page, also where a chart leaves some scenarios out."""
    return {
        scenario: {
            "color": LINE_COLOURS[index % len(LINE_COLOURS)],
            "linestyle": LINES[index % len(LINES)],
            "marker": MARKERS[index % len(MARKERS)],
        }
        for index, scenario in enumerate(dict.fromkeys(frame["scenario"]))
    }


def plot_scenarios(frame: pd.DataFrame) -> Figure:
    """Scenarios side by side, in the last year of each: the hard currency each earns (revenue of each area stacked,
    solid) beside the imports it unlocks (the value of each area's, stacked, hatched), both upwards, and the fuel
    it unlocks on an axis of its own, with their values. Areas with no effect in any scenario are left out.

    The hard currency left after buying the unlocked imports is not drawn: it is not the difference of the two
    bars (fuel is bought net of the smuggled fuel it replaces, and the budget may buy less than is unlocked), so a
    marker beside them would invite a subtraction that does not hold. The footnote gives it, as the table does,
    and names each scenario whose budget buys less than it unlocks."""
    _checked(frame, ("scenario", "variable", "year", "value"), "plot_scenarios")
    frame = labelled(frame)
    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    values = last.pivot_table(index="variable", columns="scenario", values="value", sort=False)
    scenarios = list(dict.fromkeys(frame["scenario"]))
    values = values.reindex(columns=scenarios).fillna(0.0)
    catalogue = described(frame)
    charted = [
        variable
        for variable in catalogue.variables.values()
        if variable.charted and variable.name in values.index and values.loc[variable.name].abs().max() > 0
    ]
    areas = [area.name for area in recorded_areas(frame)]
    stacks = (
        ("earned", catalogue.variables[REVENUE], [variable for variable in charted if variable.sign > 0]),
        (
            "unlocked",
            catalogue.variables[UNLOCKED],
            [variable for variable in charted if variable.unlocked and variable.group == "money"],
        ),
    )
    fuel = [variable for variable in charted if variable.group == "fuel"]
    figure, (cash, oil) = _figure(max(11.0, 1.8 * len(scenarios) + 6), 6.5, "Annual effect of each scenario", 2)
    _money_bars(cash, values, stacks, areas)
    _finish(
        figure, cash, scenarios, shown_as("USD/yr").axis, "Hard currency earned (solid) and imports unlocked (striped)"
    )
    margin = _fuel_bars(figure, oil, values, fuel, areas)
    _finish(
        figure, oil, scenarios, shown_as("bbl/yr").axis, "Fuel: legal imports unlocked, and the supply they add", margin
    )
    _source(
        figure,
        "; effect against the status quo in the last year of each scenario",
        _balance_notes(values, catalogue.variables[NET], catalogue.variables[BOUGHT]),
    )
    return figure


def _money_bars(
    axes: Axes, values: pd.DataFrame, stacks: tuple[tuple[str, Variable, list[Variable]], ...], areas: list[str]
) -> None:
    """Per scenario, one bar per stack side by side (the hard currency earned, the imports unlocked), each stacked
    by area upwards (downwards, what a tighter cap locks); each segment labelled with the value the table prints
    where it is tall enough to hold it and is not its bar's only one, each bar's total at its end as the table
    writes the stack's ``total`` variable, and under each bar the stack's ``word``."""
    divisor = shown_as("USD/yr").axis_divisor
    count = len(values.columns)
    width = 0.8 / len(stacks)
    heights = [
        np.array([values.loc[variable.name].to_numpy() for variable in members]).reshape(len(members), count)
        for _, _, members in stacks
    ]
    ends = np.concatenate([[0.0], *(np.where(height > 0, height, 0).sum(axis=0) for height in heights)])
    ends = np.concatenate([ends, *(np.where(height < 0, height, 0).sum(axis=0) for height in heights)])
    span = ends.max() - ends.min()
    places = []
    for index, ((_, total, members), height) in enumerate(zip(stacks, heights, strict=True)):
        positions = np.arange(count) + (index - (len(stacks) - 1) / 2) * width
        places.append(positions)
        segments = (height > 0).sum(axis=0), (height < 0).sum(axis=0)
        top, bottom = np.zeros(count), np.zeros(count)
        for variable, row in zip(members, height, strict=True):
            base = np.where(row > 0, top, np.where(row < 0, bottom, 0.0))  # an empty bar pins neither end at zero
            bars = axes.bar(
                positions,
                row / divisor,
                width,
                bottom=base / divisor,
                label=variable.label,
                edgecolor="black",
                linewidth=0.5,
                **_area_style(areas, variable),
            )
            legible = (abs(row) >= LEGIBLE * span) & (np.where(row > 0, *segments) > 1)
            texts = [variable.shown(value) if shown else "" for value, shown in zip(row, legible, strict=True)]
            axes.bar_label(bars, texts, label_type="center", fontsize=LABEL_SIZE, bbox=LABEL_BOX)
            top, bottom = np.where(row > 0, top + row, top), np.where(row < 0, bottom + row, bottom)
        for position, value, high, low in zip(positions, values.loc[total.name], top, bottom, strict=True):
            end, sign = (low, -1) if low and not high else (high, 1)
            axes.annotate(
                total.shown(value),
                (position, end / divisor),
                xytext=(0, 2 * sign),
                textcoords="offset points",
                ha="center",
                va="bottom" if sign > 0 else "top",
                fontsize=LABEL_SIZE,
            )
    axes.set_xticks(np.concatenate(places), [word for word, _, _ in stacks for _ in range(count)], minor=True)
    axes.tick_params(axis="x", which="minor", length=0, labelsize=SOURCE_SIZE, labelcolor="0.3")
    axes.tick_params(axis="x", which="major", length=0, pad=2 + 1.5 * SOURCE_SIZE)


def _balance_notes(values: pd.DataFrame, net: Variable, bought: Variable) -> list[str]:
    """The footnotes of the scenarios chart: the hard currency left after buying the unlocked imports, per
    scenario, as the table prints it, and each scenario whose budget buys less than it unlocks."""
    left = "; ".join(
        f"{name} {net.shown(value)}"
        for name, value in zip(values.columns, values.loc[net.name].to_numpy(), strict=True)
    )
    shares = zip(values.columns, values.loc[bought.name].to_numpy(), strict=True)
    return [
        f"{net.label} ({net.display_unit}; not drawn, since it is not the difference of the two bars: fuel is bought "
        f"net of the smuggled fuel it replaces, and the budget may buy less than is unlocked): {left}.",
        *(
            f"{name}: {budget_words(share, 'the imports it unlocks')}, so the hard currency left is the other hard "
            "currency spent on them."
            for name, share in shares
            if share < 100
        ),
    ]


def _fuel_bars(figure: Figure, axes: Axes, values: pd.DataFrame, fuel: list[Variable], areas: list[str]) -> float:
    """The fuel variables side by side per scenario, each in its area's colour (a second measure of the same area
    lighter), labelled in the axis's unit: upright where bars are too narrow for a label across. Returns the
    margin above the bars the labels need, as a share of the axis. With no fuel to draw, it says so instead of
    drawing an empty scale around zero."""
    if not fuel:
        axes.text(0.5, 0.5, "No scenario shown changes fuel imports", transform=axes.transAxes, ha="center")
        axes.set_ylim(0, 1)
        axes.set_yticks([])
        return MARGIN
    divisor = shown_as("bbl/yr").axis_divisor
    width = 0.8 / max(1, len(fuel))
    heights = [values.loc[variable.name].to_numpy() / divisor for variable in fuel]
    texts = [[f"{height:,.0f}" if height else "" for height in row] for row in heights]
    # the bar's width in points, as the axes stand before the layout (which only widens them)
    points = width * axes.get_position().width * figure.get_size_inches()[0] * 72 / len(values.columns)
    upright = any(_text_width(text, LABEL_SIZE, False) > 0.9 * points for row in texts for text in row)
    shades: dict[str, int] = {}
    for index, (variable, row, labels) in enumerate(zip(fuel, heights, texts, strict=True)):
        shades[variable.area] = shade = shades.get(variable.area, -1) + 1
        bars = axes.bar(
            np.arange(len(values.columns)) + (index - (len(fuel) - 1) / 2) * width,
            row,
            width,
            label=variable.label,
            edgecolor="black",
            linewidth=0.5,
            **_area_style(areas, variable, shade),
        )
        axes.bar_label(bars, labels, padding=2, fontsize=LABEL_SIZE, rotation=90 if upright else 0)
    return 0.16 if upright else MARGIN


def _finish(figure: Figure, axes: Axes, scenarios: list[str], label: str, title: str, margin: float = MARGIN) -> None:
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(np.arange(len(scenarios)), scenarios, rotation=TICK_ANGLE, ha="right", fontsize=TICK_SIZE)
    axes.set_xlim(-0.5, len(scenarios) - 0.5)
    axes.set_ylabel(label)
    axes.set_title(title)
    if axes.get_legend_handles_labels()[0]:  # below the scenarios' names, however long they are
        from matplotlib.transforms import offset_copy

        # matplotlib's stubs type Tick.get_pad as returning None; it returns the pad in points
        pad = max(tick.get_pad() for tick in axes.xaxis.get_major_ticks())  # type: ignore[func-returns-value, type-var]
        longest = max(_text_width(name, TICK_SIZE, False) for name in scenarios)
        depth = pad + longest * np.sin(np.radians(TICK_ANGLE)) + 1.2 * TICK_SIZE * np.cos(np.radians(TICK_ANGLE)) + 4
        below = offset_copy(axes.transAxes, fig=figure, y=-depth, units="points")
        axes.legend(
            fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below, ncols=2
        )
    axes.grid(axis="y", color="0.85")
    axes.set_axisbelow(True)
    axes.margins(y=margin)


def plot_path(frame: pd.DataFrame, variable: str = REVENUE) -> Figure:
    """The yearly path of one variable across scenarios (ramps visible). ``variable``: a full name, a short one
    (``net``, ``unlocked``) or the label tables print."""
    _checked(frame, ("scenario", "variable", "unit", "year", "value"), "plot_path")
    frame = labelled(frame)
    variable = full_name(variable)
    rows = _variable(frame, variable)
    divisor, axis_label = shown_as(rows["unit"].iloc[0]).scale
    figure, (axes,) = _figure(10, 4.8, f"{variable_of(frame, variable).label}, year by year")
    styles = _scenario_styles(frame)
    for scenario, group in rows.groupby("scenario", sort=False):
        axes.plot(group["year"], group["value"] / divisor, label=scenario, **styles[scenario])
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xlabel("year")
    axes.set_ylabel(axis_label)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    axes.grid(color="0.85")
    _source(figure, "; effect against the status quo")
    return figure


def plot_fan(frame: pd.DataFrame, variable: str = REVENUE) -> Figure:
    """A fan chart of Monte Carlo quantiles, one panel per scenario on a shared scale, in the scenario's colour:
    the median, and bands between each pair of quantiles around it (the outer pair lightest). ``variable`` as for
    ``plot_path``."""
    _checked(frame, ("scenario", "variable", "unit", "year", "quantile", "value"), "plot_fan")
    frame = labelled(frame)
    variable = full_name(variable)
    rows = _variable(frame, variable)
    divisor, axis_label = shown_as(rows["unit"].iloc[0]).scale
    levels = sorted(set(rows["quantile"]))
    middle = min(levels, key=lambda q: abs(q - 0.5))
    pairs = list(zip(levels[: len(levels) // 2], levels[::-1][: len(levels) // 2], strict=True))
    moved = rows.groupby("scenario", sort=False)["value"].agg(lambda values: values.abs().max() > 0)
    scenarios = [str(scenario) for scenario, some in moved.items() if some]
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
    styles = _scenario_styles(frame)
    for axes, scenario in zip(panels, scenarios, strict=False):
        wide = rows[rows["scenario"] == scenario].pivot_table(index="year", columns="quantile", values="value")
        wide = wide / divisor
        colour = styles[scenario]["color"]
        for depth, (low, high) in enumerate(pairs):
            axes.fill_between(
                wide.index,
                wide[low],
                wide[high],
                facecolor=_lighter(colour, 0.8 - 0.25 * min(depth, 2)),
                edgecolor=colour,
                linewidth=0.6,
                label=f"p{100 * low:g} to p{100 * high:g}",
            )
        axes.plot(
            wide.index,
            wide[middle],
            "-",
            color=colour,
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
    _source(figure, _draws(frame))
    return figure


def _intervals(
    frame: pd.DataFrame,
    rows: pd.DataFrame,
    variable: str,
    scenarios: list[str],
    levels: list[float],
    middle: float,
    pairs: list[tuple[float, float]],
) -> Figure:
    """The quantiles of a year (the same in every year) as nested intervals, one per scenario."""
    divisor, axis_label = shown_as(rows["unit"].iloc[0]).scale
    year = int(rows["year"].max())
    at = rows[rows["year"] == year].pivot_table(index="scenario", columns="quantile", values="value") / divisor
    title = f"{variable_of(frame, variable).label}, every year alike: how sure we are"
    figure, (axes,) = _figure(max(6.0, 1.6 * len(scenarios) + 3), 4.8, title)
    positions = np.arange(len(scenarios))
    styles = _scenario_styles(frame)
    for depth, (low, high) in enumerate(pairs):
        values = at.loc[scenarios]
        axes.vlines(
            positions,
            values[low],
            values[high],
            color=[styles[scenario]["color"] for scenario in scenarios],
            linewidth=6 + 8 * depth,
            alpha=min(1.0, 0.5 + 0.25 * depth),
            label=f"p{100 * low:g} to p{100 * high:g}",
        )
    at_middle = at[middle]
    axes.scatter(
        positions,
        at_middle.loc[scenarios],
        color="black",
        marker="D",
        s=40,
        zorder=3,
        label="median" if middle == 0.5 else f"p{100 * middle:g}",
    )
    for position, scenario in zip(positions, scenarios, strict=True):
        axes.annotate(
            f"{at_middle[scenario]:,.0f}",
            (position, at_middle[scenario]),
            xytext=(10, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(positions, scenarios, rotation=20, ha="right")
    axes.set_xlim(-0.6, len(scenarios) - 0.4)
    axes.set_ylabel(axis_label)
    legend = axes.legend(fontsize=8, frameon=True, framealpha=0.9, loc="best")
    for handle in legend.legend_handles[: len(pairs)]:  # a band in every scenario's colour: the key in grey
        handle.set_color("0.45")
    axes.grid(axis="y", color="0.85")
    axes.set_axisbelow(True)
    _source(figure, f"{_draws(frame)}; no ramp: every year {int(rows['year'].min())}-{year} alike")
    return figure


def _draws(frame: pd.DataFrame) -> str:
    """ "; 2,000 draws, seed 7" for a Monte Carlo frame (of one world or several), else ""."""
    record = worlds_of(frame.attrs.get("sanctions_relief", {}))[0].get("montecarlo", {})
    return f"; {record['n']:,} draws, seed {record['seed']}" if record else ""


#: Height of a package chart's row of steps, per line of its text (inches).
STEP_LINE = 0.2


def plot_package(
    package: Package,
    run_frame: pd.DataFrame,
    montecarlo_frame: pd.DataFrame | None = None,
    variable: str = REVENUE,
) -> Figure:
    """A package's steps as bars over the years, one row per step labelled with what it eases (a sunset ends its
    bar), above the expected yearly path of ``variable`` from ``run_frame`` (``calc.run``: each year weighted by
    the chance the relief is still in force), the path if the relief holds where it may snap back, and, from
    ``montecarlo_frame`` (``calc.montecarlo``) where given, its median and the band between its outer quantiles.
    A frame of several worlds gives a path per world. ``variable`` as for ``plot_path``."""
    if not isinstance(package, Package):
        raise InputError(
            "plot_package: expected a calc.Package (calc.preset('imports-first-sequence'), say), got "
            f"{type(package).__name__}; calc.plot_path draws a scenario year by year"
        )
    _checked(run_frame, ("scenario", "variable", "unit", "year", "value"), "plot_package")
    variable = full_name(variable)
    styles = _scenario_styles(labelled(run_frame))
    mine = run_frame[run_frame["scenario"] == package.name]
    if mine.empty:
        raise InputError(
            f"plot_package: package {package.name!r} is not in the frame; it has "
            f"{', '.join(dict.fromkeys(run_frame['scenario']))}"
        )
    rows = _variable(labelled(mine), variable)
    declared = variable_of(run_frame, variable)
    divisor, axis_label = shown_as(declared.unit).scale
    first, last = package.years[0], package.years[-1]
    width = 10.0
    areas = recorded_areas(run_frame)
    texts = [_wrapped(step_label(step, areas), LABEL_SIZE, _step_room(step, package) * width) for step in package.steps]
    heights = [0.5 + 0.5 * len(lines) for lines in texts]
    top_height = STEP_LINE * 2 * sum(heights) + 0.4
    title = f"{package.name}: relief in steps, and the {declared.label.lower()} they bring year by year"
    figure, (steps, path) = _figure(width, top_height + 4.6, title, nrows=2, height_ratios=(top_height, 3.6))
    _step_bars(steps, package, texts, heights)
    if rows["value"].any():
        kept = labelled(mine[mine["variable"] == IN_FORCE]).set_index(["scenario", "year"])["value"] / 100.0
        for scenario, group in rows.groupby("scenario", sort=False):
            style = styles[scenario]
            years, values = group["year"].to_numpy(), group["value"].to_numpy() / divisor
            chance = kept.loc[scenario].reindex(years).to_numpy()
            label = f"{scenario}: expected" if (chance < 1).any() else scenario
            path.plot(years, values, color=style["color"], marker=style["marker"], linewidth=2, label=label)
            if (chance < 1).any():
                held = np.divide(values, chance, out=np.full(len(values), np.nan), where=chance > 0)
                path.plot(
                    years, held, color=style["color"], linestyle="--", linewidth=1, label=f"{scenario}: if it holds"
                )
        if montecarlo_frame is not None:
            _package_band(path, package, montecarlo_frame, variable, divisor, styles)
        path.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:  # no flat line at zero on a scale that suggests some
        path.text(
            0.5,
            0.5,
            f"{package.name} does not change {declared.label.lower()} in any year",
            ha="center",
            transform=path.transAxes,
        )
        path.set_yticks([])
    path.axhline(0, color="black", linewidth=0.8)
    path.set_xlim(first - 0.5, last + 0.5)
    path.set_xlabel("year")
    path.set_ylabel(axis_label)
    path.xaxis.get_major_locator().set_params(integer=True)
    path.grid(color="0.85")
    drawn = "" if montecarlo_frame is None else f"; band{_draws(montecarlo_frame)}"
    _source(figure, f"; effect against the status quo{drawn}", [_hazard_note(package, run_frame)])
    return figure


#: The share of a chart's width its axes take, about (the rest: the axis labels and the legend beside it).
AXES_SHARE = 0.7


def _late(step: Step, package: Package) -> bool:
    """Whether a step starts in the later half of the package's years: its text then ends where its bar ends."""
    return step.year > (package.years[0] + package.years[-1]) / 2


def _step_room(step: Step, package: Package) -> float:
    """Points per inch of figure width that a step's text may take: from its bar's start to the axes' right end,
    or (a late step) from the axes' left end to its bar's end; at least two fifths of the axes."""
    first, last = package.years[0] - 0.5, package.years[-1] + 0.5
    span = (step.year - 0.5, last) if not _late(step, package) else (first, (step.until or package.years[-1]) + 0.5)
    return 72 * AXES_SHARE * max(0.4, (span[1] - span[0]) / (last - first))


def _step_bars(axes: Axes, package: Package, texts: list[list[str]], heights: list[float]) -> None:
    """One bar per step over the years it is in force, the first on top, with what it eases above it (beside its
    start, or ending at its end where it starts in the later half of the years); a sunset, ending a step before
    the last year, is a black end and the word "sunset"."""
    last = package.years[-1]
    colour = OKABE_ITO[0]
    tops = np.cumsum(heights[::-1])[::-1]  # the first step's row on top
    places = []
    for step, lines, height, top in zip(package.steps, texts, heights, tops, strict=True):
        end = last if step.until is None else step.until
        bottom = top - height
        axes.barh(
            bottom + 0.25,
            end - step.year + 1,
            left=step.year - 0.5,
            height=0.4,
            color=_lighter(colour, 0.55),
            edgecolor=colour,
            linewidth=0.8,
        )
        places.append(bottom + 0.25)
        late = _late(step, package)
        axes.text(
            end + 0.4 if late else step.year - 0.4,
            bottom + 0.5,
            "\n".join(lines),
            ha="right" if late else "left",
            va="bottom",
            fontsize=LABEL_SIZE,
        )
        if end < last:
            axes.plot([end + 0.5, end + 0.5], [bottom + 0.05, bottom + 0.45], color="black", linewidth=2.5)
            axes.text(end + 0.6, bottom + 0.25, "sunset", va="center", fontsize=SOURCE_SIZE)
    axes.set_yticks(places, [step_years(step) for step in package.steps])
    axes.set_ylim(0, tops[0])
    axes.tick_params(axis="x", labelbottom=False)
    axes.set_title("Steps: what each eases, and when", fontsize=10)
    axes.grid(axis="x", color="0.9")
    axes.set_axisbelow(True)


def _package_band(
    axes: Axes,
    package: Package,
    frame: pd.DataFrame,
    variable: str,
    divisor: float,
    styles: dict[Hashable, dict[str, str]],
) -> None:
    """The median and the band between the outer quantiles of ``variable`` for ``package`` over the draws of
    ``frame``, per world, in each world's colour."""
    _checked(frame, ("scenario", "variable", "year", "quantile", "value"), "plot_package: montecarlo_frame")
    rows = labelled(frame[frame["scenario"] == package.name])
    rows = rows[rows["variable"] == variable]
    if rows.empty:
        raise InputError(f"montecarlo_frame: holds no {variable!r} of package {package.name!r}")
    for scenario, group in rows.groupby("scenario", sort=False):
        wide = group.pivot_table(index="year", columns="quantile", values="value") / divisor
        levels = wide.columns.to_numpy()  # quantiles (pandas-stubs types every frame's columns as text)
        low, high = levels.min(), levels.max()
        middle = min(levels, key=lambda q: abs(q - 0.5))
        colour = styles.get(scenario, {"color": LINE_COLOURS[0]})["color"]
        axes.fill_between(
            wide.index,
            wide[low],
            wide[high],
            facecolor=colour,
            alpha=0.2,
            edgecolor="none",
            label=f"{scenario}: p{100 * low:g} to p{100 * high:g}",
        )
        axes.plot(wide.index, wide[middle], color=colour, linestyle=":", linewidth=1.5, label=f"{scenario}: median")


def _hazard_note(package: Package, frame: pd.DataFrame) -> str:
    """How the expected path weighs the years: by the chance the relief is still in force, with the hazard used."""
    hazard = package.snapback_hazard
    where = ""
    if hazard == ASSUMED:
        hazard = recorded_parameter(frame, HAZARD)
        where = f" ({HAZARD}, a judgement)"
    if not hazard:
        return f"{package.name} cannot snap back (hazard 0): the path is the relief in full, year by year."
    return (
        f"Expected values: each year the relief may snap back for good with probability {hazard:g}{where}, so it is "
        f"in force in year k of the horizon (0 in the first) with probability (1 - {hazard:g})^k; dashed, the "
        "path if it holds."
    )


def plot_tornado(table: pd.DataFrame, variable: str | None = None, top: int = 10) -> Figure:
    """The sensitivity tornado from ``calc.tornado``: the result with each parameter alone at its low and at its
    high, the widest swing on top; parameters that do not move it are left out. ``variable`` is the one the table
    was made for (which it records; ``Revenue`` for a table without that record)."""
    _checked(table, ("parameter", "result_at_low", "result_at_high", "result_central", "swing"), "plot_tornado")
    recorded = table.attrs.get("variable")
    if variable is not None and recorded is not None and full_name(variable) != recorded:
        raise InputError(f"variable: {variable!r} is not the variable of this tornado table, {recorded!r}")
    variable = recorded or full_name(variable or REVENUE)
    rows = table[table["swing"] > 0].sort_values("swing", ascending=False).head(top).iloc[::-1]
    if rows.empty:
        where = f" for {table.attrs['scenario']}" if "scenario" in table.attrs else ""
        raise InputError(f"plot_tornado: no parameter moves {variable!r}{where}: there is nothing to draw")
    unit = table["result_unit"].iloc[0] if "result_unit" in table.columns else "USD/yr"
    divisor, axis_label = shown_as(unit).scale
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
    ranges.barh(positions, end - start, left=start, color=OKABE_ITO[0], label="box")
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


def write_figure(figure: Figure, target: Path | IO[bytes], kind: str) -> None:
    """Save as PNG or SVG with no timestamps and fixed SVG ids, so the same chart gives the same bytes."""
    import matplotlib

    metadata = {"Software": None} if kind == "png" else {"Date": None, "Creator": f"sanctions-relief {__version__}"}
    with matplotlib.rc_context({"svg.hashsalt": "sanctions-relief"}):
        figure.savefig(target, format=kind, dpi=150, metadata=metadata)


def figure_path(path: str | Path) -> Path:
    """``path`` as a .png or .svg file in an existing folder, or InputError."""
    return target_path(path, (".png", ".svg"))
