"""Run scenarios through the models and build the long (IAMC) result frame."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from calc.area import Area
from calc.assumptions import Assumptions, load_assumptions
from calc.errors import InputError
from calc.frame import in_worlds, long_frame
from calc.kinds import FormulaLever, Variable
from calc.models import Values
from calc.models.balance import bought_share, complete
from calc.record import metadata
from calc.scenario import Layers, Plan, ScenarioSpec, resolve
from calc.variables import BOUGHT, IN_FORCE, WANTED, catalogue

#: The hard currency the North could divert from other sources to the imports relief unlocks (the budget rule).
OTHER_HARD_CURRENCY = "context.other_hard_currency"
#: What a kind's formula returns for the part of its spending bought first, whatever the budget (``bought_share``).
FIRST = "first"
#: The random stream of the snapback draws, apart from the parameters' (numpy SeedSequence entropy: [seed, this]).
SNAPBACK_STREAM = 0x5AB

Evaluated = dict[Hashable, dict[str, np.ndarray]]
"""What ``evaluate`` keeps of the areas it evaluated: (area, lever, ramp) -> that area's results."""


def roles(area: Area, p: Mapping[str, Values]) -> dict[str, Values]:
    """The parameters of ``area`` by role, with the kind's neutral value where the area leaves one out."""
    q: dict[str, Values] = {}
    for role, spec in area.kind.roles.items():
        name = f"{area.name}.{role}"
        if name in p:
            q[role] = p[name]
        elif spec.default is not None:
            q[role] = spec.default
    return q


def evaluate(
    levers: Mapping[str, FormulaLever],
    ramps: Mapping[str, np.ndarray],
    p: Mapping[str, Values],
    areas: tuple[Area, ...],
    done: Evaluated | None = None,
) -> dict[str, np.ndarray]:
    """Every variable for one lever per area, each area with its own ramp (a column per value of it).

    Every area is evaluated with all it unlocks bought; where the spending that wants is more than the hard
    currency there is to pay with (``bought_share``), the areas that buy are evaluated again buying that share.
    ``done`` keeps the first of these across calls with the same ``p`` (a package's stretches of years share
    most areas' levers and ramps).
    """
    ramps = {  # an area left as it is has the same values whatever its ramp: evaluated once, then broadcast
        area.name: np.ones(1) if area.kind.at_status_quo(levers[area.name]) else ramps[area.name] for area in areas
    }
    done = {} if done is None else done
    results = {}
    for area in areas:
        lever, ramp_values = levers[area.name], ramps[area.name]
        key = (area.name, lever, ramp_values.tobytes()) if isinstance(lever, Hashable) else None  # not trial columns
        result = done.get(key)
        if result is None:
            result = area.kind.evaluate(roles(area, p), lever, ramp_values, area.name)
            if key is not None:
                done[key] = result
        results[area.name] = result
    revenue = _total(areas, results, lambda variable: variable.sign > 0)
    wanted = _total(areas, results, lambda variable: variable.sign < 0)
    first = sum((np.asarray(result.get(FIRST, 0.0)) for result in results.values()), start=np.zeros(1))
    bought = bought_share(revenue, wanted, p[OTHER_HARD_CURRENCY], first)
    if np.any(bought < 1.0):
        for area in areas:
            if area.kind.buys and not area.kind.at_status_quo(levers[area.name]):  # then nothing is bought
                results[area.name] = area.kind.evaluate(
                    roles(area, p), levers[area.name], ramps[area.name], area.name, bought
                )
    in_force = np.full(np.broadcast_shapes(np.shape(revenue), np.shape(bought)), 100.0)
    values: dict[str, Values] = {WANTED: wanted, BOUGHT: 100.0 * bought, IN_FORCE: in_force}
    for area in areas:
        for template, variable in zip(area.kind.templates, area.variables, strict=True):
            values[variable.name] = results[area.name][template.key]
    variables = catalogue(areas)
    complete(values, variables.sums, variables.differences, variables.shares, p)
    shape = np.broadcast_shapes(*(np.shape(value) for value in values.values()))
    return {variable: np.broadcast_to(value, shape) for variable, value in values.items()}


def columns(
    plan: Plan,
    p: Mapping[str, Values],
    areas: tuple[Area, ...],
    levers: Mapping[str, Values] | None = None,
    done: Evaluated | None = None,
) -> tuple[dict[str, list[np.ndarray]], np.ndarray]:
    """Every variable of a scenario or package, relief in force throughout, evaluated once per distinct column: a
    stretch of years with the same levers (a package's steps) and the same share of its effect for every area (its
    kind's time profile, from the year its relief began). Returns for each variable its value in each column (an
    array over draws where ``p`` holds columns of draws, else of one value) and, for each year of the horizon, its
    column. ``levers`` replaces some areas' levers (by area name) wherever the plan eases them (throughout, for a
    scenario; in a package, in the years some step eases the area), e.g. by a column of trial values when seeking a
    goal. ``done``: the areas evaluated already with the same ``p`` (see ``evaluate``)."""
    values: dict[str, list[np.ndarray]] = {}
    column_of = np.zeros(plan.horizon, dtype=np.int64)
    done = {} if done is None else done
    for segment in plan.segments(areas):
        years = np.asarray(segment.years)
        moved = {name: lever for name, lever in (levers or {}).items() if name in segment.eased}
        # a lever moved throughout has one layer, from when the area's easing began
        layers = {
            area.name: segment.layers[area.name][:1] if area.name in moved else segment.layers[area.name]
            for area in areas
        }
        rows = [area.kind.profile(years - start, plan.ramp_years) for area in areas for start, _ in layers[area.name]]
        distinct, position = np.unique(np.array(rows), axis=1, return_inverse=True)
        column_of[years] = len(next(iter(values.values()), [])) + position.ravel()
        by_area, first = {}, 0
        for area in areas:
            count = len(layers[area.name])
            by_area[area.name] = profiles(area, layers[area.name], distinct[first : first + count], p)
            first += count
        chosen = {**segment.levers, **moved}
        for variable, result in evaluate(chosen, by_area, p, areas, done).items():
            result = np.atleast_2d(result)
            result = np.broadcast_to(result, (result.shape[0], distinct.shape[1]))
            values.setdefault(variable, []).extend(result[:, column] for column in range(distinct.shape[1]))
    return values, column_of


def profiles(area: Area, layers: Layers, rows: np.ndarray, p: Mapping[str, Values]) -> np.ndarray:
    """The share of an area's full effect in each column, for an area eased in ``layers`` (each a lever and the
    year it took effect) whose time profiles, from each layer's year, are ``rows``: one layer's own profile; for
    several, the profiles weighted by what each layer adds to how far the area is opened (the kind's ``level``),
    so that a step that keeps a lever continues its ramp and one that opens the area further ramps only the part it
    adds. A step that closes the area part-way takes the part back at once, from the latest layers first. Exact in
    every draw (a column of draws where ``p`` holds them); a kind without a ``level`` ramps from the first layer."""
    if len(layers) == 1:
        return rows[0]
    q = roles(area, p)
    levels = [area.kind.opening(q, lever, area.name) for _, lever in layers]
    if any(level is None for level in levels):
        return rows[0]
    amounts: list[np.ndarray] = []  # what each layer adds, in one value per draw
    before = np.zeros(1)
    for level in levels:
        now = np.ravel(np.asarray(level, dtype=np.float64))
        change = now - before
        fall = np.maximum(-change, 0.0)
        for index in reversed(range(len(amounts))):  # a fall takes back the latest parts first
            taken = np.minimum(amounts[index], fall)
            amounts[index], fall = amounts[index] - taken, fall - taken
        amounts.append(np.maximum(change, 0.0))
        before = now
    total = sum(amounts, start=np.zeros(1))[:, np.newaxis]
    weighted = sum(amount[:, np.newaxis] * row for amount, row in zip(amounts, rows, strict=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        profile = np.where(total > 0, weighted / total, rows[-1])
    return profile[0] if len(profile) == 1 else profile


def yearly(
    plan: Plan,
    p: Mapping[str, Values],
    areas: tuple[Area, ...],
    levers: Mapping[str, Values] | None = None,
    done: Evaluated | None = None,
) -> dict[str, np.ndarray]:
    """Every variable of a scenario or package in every year of its horizon, relief in force throughout: arrays
    of shape (horizon,), or (rows, horizon) when ``p`` holds columns of draws (or ``levers`` a column of trial
    values; see ``columns``). A package is evaluated once per stretch of years with the same levers."""
    values, column_of = columns(plan, p, areas, levers, done)
    out = {}
    for variable, per_column in values.items():
        rows = max(np.size(column) for column in per_column)
        stacked = np.column_stack([np.broadcast_to(column, (rows,)) for column in per_column])[:, column_of]
        out[variable] = stacked if rows > 1 else stacked[0]
    return out


def status_quo(
    p: Mapping[str, Values], areas: tuple[Area, ...], done: Evaluated | None = None
) -> dict[str, np.ndarray]:
    """Every variable with nothing eased, in one year: zero for every effect, today's level for every level (what
    a snapped-back package returns to). ``done``: the areas evaluated already with the same ``p`` (see
    ``evaluate``)."""
    levers = {area.name: area.kind.status_quo for area in areas}
    return evaluate(levers, {area.name: np.ones(1) for area in areas}, p, areas, done)


def expected(
    plan: Plan, p: Mapping[str, Values], areas: tuple[Area, ...], levers: Mapping[str, Values] | None = None
) -> dict[str, np.ndarray]:
    """``yearly``, weighted by the probability that relief is still in force in each year (1 throughout for a
    scenario; (1 - h)^k for a package with a snapback hazard h): expected values, the status quo's where relief
    has snapped back: what ``run`` reports. ``levers``: as for ``yearly``."""
    # from the status quo by the chance of the change: a level the relief leaves as it is stays exactly that level
    return _with_snapback(plan, p, areas, lambda before, result, kept: before + kept * (result - before), levers)


def _with_snapback(
    plan: Plan,
    p: Mapping[str, Values],
    areas: tuple[Area, ...],
    combine: Callable[[Values, np.ndarray, np.ndarray], np.ndarray],
    levers: Mapping[str, Values] | None = None,
) -> dict[str, np.ndarray]:
    """``yearly``, each variable combined as ``combine(status quo, relief, chance in force)`` where relief may snap
    back; the status quo reuses the areas the years in force evaluated."""
    done: Evaluated = {}
    values = yearly(plan, p, areas, levers, done=done)
    kept = plan.in_force(p)
    if np.all(kept == 1.0):
        return values
    before = status_quo(p, areas, done) | {IN_FORCE: 0.0}
    return {variable: combine(before[variable], result, kept) for variable, result in values.items()}


def _total(areas: tuple[Area, ...], results: Mapping, chosen: Callable[[Variable], bool]) -> np.ndarray:
    """The sum of every area's variables that ``chosen`` picks (revenue, say)."""
    parts = [
        np.asarray(results[area.name][template.key])
        for area in areas
        for template in area.kind.templates
        if chosen(template.variable)
    ]
    return sum(parts, start=np.zeros(1))


def checked_assumptions(assumptions: object) -> Assumptions:
    """The shipped set for None, a loaded set as it is, or the set laid over the shipped one from a path or an
    overlay's name; anything else is refused."""
    if assumptions is None or isinstance(assumptions, (str, Path)):
        return load_assumptions(assumptions)
    if not isinstance(assumptions, Assumptions):
        raise InputError(
            f"assumptions: expected the result of calc.load_assumptions() or a path, got {type(assumptions).__name__}"
        )
    return assumptions


def snapback_draws(seed: int, n: int) -> np.ndarray:
    """One uniform draw per Monte Carlo draw for the year its relief snaps back, from a stream of its own (so that
    adding a package changes no other draw)."""
    return np.random.default_rng([seed, SNAPBACK_STREAM]).random((n, 1))


def drawn(plan: Plan, p: Mapping[str, Values], areas: tuple[Area, ...], u: np.ndarray) -> dict[str, np.ndarray]:
    """Every variable of a scenario or package in every year, draw by draw (draws x years). With a snapback hazard,
    the relief of a draw whose uniform ``u`` is at or above (1 - h)^k has ended by year k, for good: in force in
    year k with probability (1 - h)^k, and from then on the draw takes the status quo's values."""
    return _with_snapback(plan, p, areas, lambda before, result, kept: np.where(u >= kept, before, result))


#: What ``run`` and ``montecarlo`` take as assumptions: one set (None: the shipped one), or several worlds.
AssumptionSpec = Assumptions | str | Path | Sequence[Assumptions | str | Path] | None


def worlds(assumptions: AssumptionSpec) -> list[Assumptions]:
    """The assumption sets to run side by side: a list of sets, names or paths, or one text naming several
    separated by commas (``"as-written,enforced-2025"``); anything else is one set."""
    if isinstance(assumptions, str) and "," in assumptions:
        items: list = [item.strip() for item in assumptions.split(",")]
    elif isinstance(assumptions, (list, tuple)):
        items = list(assumptions)
    else:
        return [checked_assumptions(assumptions)]
    if not items or any(item == "" for item in items):
        raise InputError(f"assumptions: {assumptions!r}: name each world, e.g. 'as-written,enforced-2025'")
    sets = [checked_assumptions(item) for item in items]
    names = [used.name for used in sets]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"assumptions: the world(s) {', '.join(map(repr, twice))} appear more than once")
    return sets


def run(scenarios: ScenarioSpec, assumptions: AssumptionSpec = None) -> pd.DataFrame:
    """Yearly effects of each scenario against the status quo, as one long frame.

    Columns ``model, scenario, region, variable, unit, year, value``; one row per value, scenarios in the
    order given, variables in the order of ``calc.VARIABLES`` (the article's six first).
    ``frame.attrs["sanctions_relief"]`` records the areas, assumptions and scenarios used (``export_csv`` writes
    it beside the CSV). Several worlds (``assumptions=["as-written", "enforced-2025"]``) run side by side, each
    named in the ``model`` column ("sanctions-relief (enforced-2025)") and recorded apart.
    """
    chosen = resolve(scenarios)
    return in_worlds([_run(chosen, used) for used in worlds(assumptions)])


def _run(chosen: list[Plan], used: Assumptions) -> pd.DataFrame:
    p = used.central()
    units = catalogue(used.areas).units()
    blocks = []
    for scenario in chosen:
        results = expected(scenario, p, used.areas)
        years = np.asarray(scenario.years, dtype=np.int64)
        for variable, unit in units.items():
            values = np.broadcast_to(results[variable], years.shape).astype(np.float64)
            blocks.append((scenario.name, variable, unit, years, values))
    frame = long_frame(blocks)
    frame.attrs["sanctions_relief"] = metadata(used, chosen)
    return frame
