"""Scenario discovery: under which assumptions does a result cross a line ("net gain above USD 500 M a year")?

The assumption ranges are sampled as ``calc.montecarlo`` samples them; each draw is marked by whether the
condition holds; PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999, as the EMA Workbench uses it
for scenario discovery; here Project Platypus' ``PRIM`` package, the optional extra ``[discover]``) then peels
the ranges down to boxes where the condition mostly holds. Each box is reported with its ranges, its coverage
(the share of all draws where the condition holds that fall in the box), its density (the share of the box's
draws where it holds) and its mass (the box's share of all draws), and the peeling trajectory behind it.
"""

from __future__ import annotations

import logging
import operator
import re
import warnings
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd

from calc.assumptions import Assumptions
from calc.engine import yearly
from calc.errors import InputError, MissingExtra
from calc.record import metadata
from calc.scenario import Plan
from calc.tables import is_flow
from calc.uncertainty import analysis_inputs, checked_seed, draw_count, sample, sampled_names
from calc.units import parse_with_unit
from calc.variables import catalogue

#: ``year`` value that puts the condition on the sum over the horizon.
TOTAL = "total"
COMPARISONS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
CONDITION = re.compile(r"^\s*(>=|<=|>|<)\s*(\S.*)$")
#: Columns of the frame ``discover`` returns, one row per box and sampled parameter.
BOX_COLUMNS = (
    "box",
    "parameter",
    "unit",
    "low",
    "high",
    "sampled_low",
    "sampled_high",
    "restricted",
    "qp_value",
    "coverage",
    "density",
    "mass",
    "step",
)
#: Draws over which ``influential`` checks whether a parameter moves the result at all.
INFLUENCE_DRAWS = 1_000
TRAJECTORY_KEYS = ("box", "step", "coverage", "density", "mass", "restricted_dimensions")


def parse_condition(condition: object, unit: str) -> tuple[str, float]:
    """``"> 500e6 USD/yr"`` as (">", 500e6) in ``unit``; InputError for anything else."""
    match = CONDITION.match(condition) if isinstance(condition, str) else None
    if match is None:
        raise InputError(
            f"condition: expected a comparison and a quantity, e.g. '> 500e6 {unit}', got {condition!r}; "
            f"accepted comparisons: {', '.join(COMPARISONS)}"
        )
    comparison, amount = match.groups()
    return comparison, parse_with_unit(amount, unit, "condition")


def discover(
    scenario: Plan | str | Path,
    variable: str,
    condition: str,
    n: int = 10_000,
    seed: int = 1,
    assumptions: Assumptions | str | Path | None = None,
    year: int | str | None = None,
    min_density: float = 0.8,
    max_boxes: int = 1,
) -> pd.DataFrame:
    """Boxes of assumption ranges in which ``variable`` meets ``condition`` (such as ``"> 500e6 USD/yr"``).

    ``year`` is a year of the horizon (default: the last, the steady state) or ``"total"``, the sum over the
    horizon (then the condition is in the total's unit, e.g. ``"> 5e9 USD"``). For each box PRIM peels the
    ranges; the step reported is the one with the highest coverage among those whose density reaches
    ``min_density`` (the densest step if none does). With ``max_boxes`` above 1, further boxes are sought among
    the draws the earlier boxes leave, while their density reaches ``min_density`` (each costs a peeling).

    Returns one row per box and sampled parameter: the box's ``low`` and ``high`` (in the parameter's ``unit``),
    the sampled range, whether the box ``restricted`` it, PRIM's quasi-p-value for a restriction, and the box's
    coverage, density and mass. ``frame.attrs["sanctions_relief"]["discover"]`` records the run and the peeling
    trajectory (``trajectory(frame)`` gives it as a frame).
    """
    if isinstance(year, str) and year != TOTAL:
        raise InputError(f"year: {year!r} is not known; accepted: a year of the horizon, or {TOTAL!r} for its sum")
    in_year = None if isinstance(year, str) else year  # the only text left is TOTAL
    chosen, used, variable, column = analysis_inputs(scenario, variable, in_year, assumptions)
    declared = catalogue(used.areas).variables[variable]
    if year == TOTAL and not is_flow(declared.unit):
        raise InputError(f"year: {variable} ({declared.unit}) is not a yearly flow, so it has no total over years")
    # every flow the catalogue declares is per year (USD/yr, bbl/yr, t/yr): its total drops the "/yr"
    unit = declared.unit.removesuffix("/yr") if year == TOTAL else declared.unit
    comparison, threshold = parse_condition(condition, unit)
    if isinstance(min_density, bool) or not isinstance(min_density, Real) or not 0.0 < min_density <= 1.0:
        raise InputError(f"min_density: {min_density!r} is out of range; accepted: a share above 0, up to 1")
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 1:
        raise InputError(f"max_boxes: expected a whole number of boxes, 1 or more, got {max_boxes!r}")
    n = draw_count(n, used)
    seed = checked_seed(seed)
    p = sample(used, n, seed)
    names = sampled_names(used)
    values = np.broadcast_to(yearly(chosen, p, used.areas)[variable], (n, chosen.horizon))
    result = values.sum(axis=1) if year == TOTAL else values[:, column]
    holds = COMPARISONS[comparison](result, threshold)
    count = int(holds.sum())
    where = f"{variable} {comparison} {threshold:g} {unit} in {chosen.name!r}"
    if count in (0, n):
        raise InputError(
            f"condition: {where} holds in {count:,} of {n:,} draws (the result runs from {result.min():,.6g} to "
            f"{result.max():,.6g}), so there is nothing to tell apart; choose a threshold inside that range"
        )
    if not names:
        raise InputError("assumptions: no assumption has a range to sample")
    draws = pd.DataFrame({name: np.asarray(p[name])[:, 0] for name in names})
    searched = influential(chosen, variable, used, names, seed)
    boxes, steps = _prim_boxes(draws[searched], holds, min_density, max_boxes)
    lows, highs = draws.min(), draws.max()
    rows = []
    for number, (limits, stats, step) in enumerate(boxes, start=1):
        for name in names:
            restricted = name in limits.index
            rows.append(
                {
                    "box": number,
                    "parameter": name,
                    "unit": used[name].unit,
                    "low": float(limits.loc[name, "min"]) if restricted else float(lows[name]),
                    "high": float(limits.loc[name, "max"]) if restricted else float(highs[name]),
                    "sampled_low": float(lows[name]),
                    "sampled_high": float(highs[name]),
                    "restricted": restricted,
                    "qp_value": float(limits.loc[name, "qp values"]) if restricted else np.nan,
                    **stats,
                    "step": step,
                }
            )
    frame = pd.DataFrame(rows, columns=list(BOX_COLUMNS))
    record = {
        "variable": variable,
        "comparison": comparison,
        "threshold": threshold,
        "unit": unit,
        "year": TOTAL if year == TOTAL else chosen.years[column],
        "n": n,
        "seed": seed,
        "sampler": "random",
        "holds": count,
        "min_density": min_density,
        "searched": searched,
        "trajectory": steps,
    }
    frame.attrs["sanctions_relief"] = metadata(used, [chosen], discover=record)
    return frame


def influential(scenario: Plan, variable: str, used: Assumptions, names: list[str], seed: int) -> list[str]:
    """The sampled parameters that move ``variable`` in ``scenario``: each is set to its low and then its high
    across ``INFLUENCE_DRAWS`` draws of all the others, and kept if any draw's result changes. The rest (say, the
    parameters of areas the scenario leaves at the status quo) cannot shape a box; leaving them out of PRIM's
    search spares its time and keeps noise from restricting them."""
    p = sample(used, INFLUENCE_DRAWS, seed + 1)
    ranges = used.ranges()
    kept = []
    for name in names:
        ends = {}
        for end, value in (("low", ranges[name][0]), ("high", ranges[name][2])):
            trial = dict(p, **{name: np.full((INFLUENCE_DRAWS, 1), value)})
            ends[end] = np.broadcast_to(
                yearly(scenario, trial, used.areas)[variable], (INFLUENCE_DRAWS, scenario.horizon)
            )
        if not np.array_equal(ends["low"], ends["high"]):
            kept.append(name)
    return kept


def trajectory(frame: pd.DataFrame) -> pd.DataFrame:
    """The peeling trajectory of every box of a ``discover`` frame: coverage, density, mass and the number of
    restricted parameters at each step (``chosen`` marks the step reported)."""
    record = frame.attrs.get("sanctions_relief", {}).get("discover")
    if not record:
        raise InputError("frame: expected a frame from calc.discover (it records its trajectory)")
    return pd.DataFrame(record["trajectory"], columns=[*TRAJECTORY_KEYS, "chosen"])


def _prim_boxes(
    draws: pd.DataFrame, holds: np.ndarray, min_density: float, max_boxes: int
) -> tuple[list[tuple[pd.DataFrame, dict, int]], list[dict]]:
    """PRIM's boxes, each as (restricted limits, stats, chosen step), and every box's peeling trajectory."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the package's own start-up notices, not the user's concern
            import prim
    except ImportError as error:
        raise MissingExtra("discover", "PRIM", "discover") from error
    logging.getLogger("prim").setLevel(logging.WARNING)
    search = prim.Prim(draws, holds)
    boxes: list[tuple[pd.DataFrame, dict, int]] = []
    steps: list[dict] = []
    while len(boxes) < max_boxes:
        box = search.find_box()
        if box is None:
            break
        path = box.peeling_trajectory.reset_index(drop=True)
        density, coverage = path["density"].to_numpy(), path["coverage"].to_numpy()
        dense = np.flatnonzero(density >= min_density)
        step = int(dense[np.argmax(coverage[dense])]) if len(dense) else int(np.argmax(density))
        stats = {key: float(path.loc[step, key]) for key in ("coverage", "density", "mass")}
        if boxes and stats["density"] < min_density:
            break  # the draws left over hold no dense box; the first box is reported whatever its density
        box.select(step)
        boxes.append((box.limits, stats, step))
        steps += [
            {
                "box": len(boxes),
                "step": int(index),
                "coverage": float(row["coverage"]),
                "density": float(row["density"]),
                "mass": float(row["mass"]),
                "restricted_dimensions": int(row["res dim"]),
                "chosen": int(index) == step,
            }
            for index, row in path.iterrows()
        ]
    return boxes, steps
