"""Charts with matplotlib (``pip install "sanctions-relief[plot]"``): each ``plot_*`` function takes a frame from
the public API and returns a matplotlib Figure, which notebooks display and ``save_figure`` writes.

Every chart reads in grayscale: series differ by shade, hatch, line style and marker, not by hue alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from calc import __version__
from calc.display import LABELS, SOURCE_LINE, name_and_unit
from calc.errors import InputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SHADES = ("0.15", "0.45", "0.7", "0.9", "0.3", "0.6", "0.8")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
LINES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
MONEY = ("Revenue|Metal Exports", "Expenditure|Fuel Imports", "Expenditure|Luxury Imports", "Hard Currency|Net")
FUEL = ("Fuel|Refined Petroleum|Additional Legal Imports", "Fuel|Refined Petroleum|Net Additional Supply")
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


def _label(variable: str) -> str:
    return name_and_unit(variable)[0] if variable in LABELS else variable


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


def plot_scenarios(frame: pd.DataFrame) -> Figure:
    """Scenarios side by side: the steady-state (last-year) annual effect of each, money and fuel on their own
    axes."""
    _checked(frame, ("scenario", "variable", "year", "value"), "plot_scenarios")
    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    scenarios = list(dict.fromkeys(frame["scenario"]))
    figure, (money, fuel) = _figure(max(10.0, 1.3 * len(scenarios) + 4), 6, "Annual effect of each scenario", 2)
    for axes, variables, unit in ((money, MONEY, "USD/yr"), (fuel, FUEL, "bbl/yr")):
        divisor, axis_label = SCALES[unit]
        width = 0.8 / len(variables)
        positions = np.arange(len(scenarios))
        for index, variable in enumerate(variables):
            values = last[last["variable"] == variable].set_index("scenario")["value"].reindex(scenarios) / divisor
            axes.bar(
                positions + (index - (len(variables) - 1) / 2) * width,
                values.to_numpy(),
                width,
                label=_label(variable),
                color=SHADES[index],
                hatch=HATCHES[index],
                edgecolor="black",
                linewidth=0.6,
            )
        axes.axhline(0, color="black", linewidth=0.8)
        axes.set_xticks(positions, scenarios, rotation=30, ha="right")
        axes.set_ylabel(axis_label)
        axes.set_title("Hard currency" if unit == "USD/yr" else "Refined petroleum")
        axes.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=2)
        axes.grid(axis="y", color="0.85")
    _source(figure, "; effect against the status quo in the last year of each scenario")
    return figure


def plot_path(frame: pd.DataFrame, variable: str = "Hard Currency|Net") -> Figure:
    """The yearly path of one variable across scenarios (ramps visible)."""
    _checked(frame, ("scenario", "variable", "unit", "year", "value"), "plot_path")
    rows = _variable(frame, variable)
    divisor, axis_label = SCALES.get(rows["unit"].iloc[0], (1, rows["unit"].iloc[0]))
    figure, (axes,) = _figure(10, 4.8, f"{_label(variable)}, year by year")
    for index, (scenario, group) in enumerate(rows.groupby("scenario", sort=False)):
        axes.plot(
            group["year"],
            group["value"] / divisor,
            LINES[index % len(LINES)],
            marker=MARKERS[index % len(MARKERS)],
            color=SHADES[index % len(SHADES)] if index else "black",
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


def plot_fan(frame: pd.DataFrame, variable: str = "Hard Currency|Net") -> Figure:
    """A fan chart of Monte Carlo quantiles, one panel per scenario on a shared scale: the median, and bands
    between each pair of quantiles around it (the outer pair lightest)."""
    _checked(frame, ("scenario", "variable", "unit", "year", "quantile", "value"), "plot_fan")
    rows = _variable(frame, variable)
    divisor, axis_label = SCALES.get(rows["unit"].iloc[0], (1, rows["unit"].iloc[0]))
    levels = sorted(set(rows["quantile"]))
    middle = min(levels, key=lambda q: abs(q - 0.5))
    pairs = list(zip(levels[: len(levels) // 2], levels[::-1][: len(levels) // 2], strict=True))
    record = frame.attrs.get("sanctions_relief", {}).get("montecarlo", {})
    scenarios = list(dict.fromkeys(rows["scenario"]))
    ncols = min(4, len(scenarios))
    nrows = -(-len(scenarios) // ncols)
    figure, panels = _figure(3.4 * ncols + 1, 3.4 * nrows + 1, f"{_label(variable)}: how sure we are", ncols, nrows)
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


def plot_tornado(table: pd.DataFrame, variable: str = "Hard Currency|Net", top: int = 10) -> Figure:
    """The sensitivity tornado from ``calc.tornado``: the result with each parameter alone at its low and at its
    high, the widest swing on top."""
    _checked(table, ("parameter", "result_at_low", "result_at_high", "result_central", "swing"), "plot_tornado")
    rows = table.sort_values("swing", ascending=False).head(top).iloc[::-1]
    unit = table["result_unit"].iloc[0] if "result_unit" in table.columns else "USD/yr"
    divisor, axis_label = SCALES.get(unit, (1, unit))
    central = rows["result_central"].iloc[0] / divisor
    figure, (axes,) = _figure(8, 0.45 * len(rows) + 2, f"What moves {_label(variable).lower()} most")
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
    axes.set_yticks(positions, rows["parameter"])
    axes.set_xlabel(f"{axis_label} (central: {central:,.1f})")
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    axes.grid(axis="x", color="0.85")
    _source(figure, "; one parameter at a time, others central")
    return figure


CHARTS = {"scenarios": plot_scenarios, "path": plot_path, "fan": plot_fan, "tornado": plot_tornado}


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG (by the file's ending), atomically."""
    from calc.export import atomic

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
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError(f"output path: {str(path)!r} must end in .png or .svg")
    if not path.parent.is_dir():
        raise InputError(f"output path: the folder {str(path.parent)!r} does not exist")
    return path
