"""Uncertainty: Monte Carlo over every assumption range, quantiles, and which assumptions move a result most.

All draws are evaluated at once by the same model functions, as a column of draws against a row of ramp values.
Every year's result depends on the year only through the ramp, so the models are evaluated, and quantiles taken,
once per distinct ramp value and then spread over the years: with no ramp, once for the whole horizon.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from collections.abc import Iterator, Mapping, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import ArrayLike

from calc.assumptions import Assumptions
from calc.engine import (
    AssumptionSpec,
    checked_assumptions,
    columns,
    drawn,
    snapback_draws,
    status_quo,
    worlds,
    yearly,
)
from calc.errors import InputError, MissingExtra
from calc.export import Progress, coded_text, write_tables
from calc.files import target_path
from calc.frame import MODEL, REGION, in_worlds, long_frame
from calc.models import Values
from calc.record import metadata
from calc.scenario import Plan, ScenarioSpec, resolve
from calc.tables import DISCOUNT_RATE, percent_of
from calc.variables import PRESENT_VALUE, PRESENT_VALUES, REVENUE, catalogue

SAMPLERS = ("random", "lhs")
DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
MAX_DRAWS = 50_000_000
#: Draws evaluated and written at a time when every raw draw is written.
DRAW_CHUNK = 20_000


def sampled_names(assumptions: Assumptions) -> list[str]:
    """Parameters with a range (low < high), in the fixed order of the set; the rest stay fixed."""
    return [name for name, (low, _, high) in assumptions.ranges().items() if low < high]


def inverse_cdf(
    u: np.ndarray, low: float, mode: float, high: float, distribution: str, central_weight: float = 0.0
) -> np.ndarray:
    """Values at cumulative probabilities ``u``: triangular on low/mode/high, or uniform on low..high. With a
    ``central_weight`` w the distribution is a mixture that takes exactly the mode with probability w and follows
    the triangle (or uniform) otherwise: with a = (1 - w) F(mode) the probability below the mode, u < a maps to
    F^-1(u / (1 - w)), a <= u < a + w to the mode, and the rest to F^-1((u - w) / (1 - w)); draws stay in the order
    of u (Latin hypercube strata hold)."""
    width = high - low
    below = (1.0 - central_weight) * (mode - low) / width
    if central_weight:
        level = np.where(u < below, u, u - central_weight) / (1.0 - central_weight)
        values = inverse_cdf(np.clip(level, 0.0, 1.0), low, mode, high, distribution)
        return np.where((u >= below) & (u < below + central_weight), mode, values)
    if distribution == "uniform":
        return low + u * width
    split = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.where(u < split, left, right)


def sample(assumptions: Assumptions, n: int, seed: int, sampler: str = "random") -> dict[str, float | np.ndarray]:
    """Central values for fixed parameters and a column (n x 1) of draws for each parameter with a range."""
    names = sampled_names(assumptions)
    uniforms = _uniforms(n, len(names), seed, sampler)
    ranges = assumptions.ranges()
    p: dict[str, float | np.ndarray] = {**assumptions.central()}
    for row, name in enumerate(names):
        low, mode, high = ranges[name]
        parameter = assumptions[name]
        p[name] = inverse_cdf(uniforms[row], low, mode, high, parameter.distribution, parameter.central_weight)[:, None]
    return p


def _uniforms(n: int, dimensions: int, seed: int, sampler: str) -> np.ndarray:
    """Uniform draws on [0, 1), one contiguous row of n per dimension."""
    rng = np.random.default_rng(seed)
    if sampler == "random" or dimensions == 0:
        return rng.random((dimensions, n))
    try:
        from scipy.stats import qmc
    except ImportError as error:
        raise MissingExtra(
            "sampler 'lhs'",
            "scipy",
            "uncertainty",
            "or use the random sampler (Python: sampler='random'; command line: --sampler random)",
        ) from error
    return np.ascontiguousarray(qmc.LatinHypercube(d=dimensions, rng=rng).random(n).T)


def montecarlo(
    scenarios: ScenarioSpec,
    n: int = 10_000,
    seed: int | None = None,
    assumptions: AssumptionSpec = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    sampler: str = "random",
    draws_out: str | Path | None = None,
    progress: Progress | None = None,
    relative_to: str | None = None,
) -> pd.DataFrame:
    """Quantiles of every variable over ``n`` joint draws of every assumption with a range.

    Returns the long frame of ``calc.run`` with a ``quantile`` column before ``value``. The same seed gives the
    same numbers on any machine (``seed=None`` draws one and records it in ``frame.attrs``). ``sampler`` is
    "random" (numpy's PCG64) or "lhs" (scipy's Latin hypercube). ``draws_out`` also writes every raw draw, the
    sampled parameter values (variables ``Assumption|<name>``, at the first year) and each draw's results, as
    a long CSV with a ``draw`` column, streamed in chunks. ``progress(done, total)`` is called as work proceeds.

    ``relative_to`` names one of the scenarios: every result is then divided, draw by draw, by that scenario's
    result in the same year, and the quantiles are those of the share (per cent; NaN where the reference is 0).
    Several worlds (``assumptions=["as-written", "enforced-2025"]``) are drawn with the same seed and set side by
    side as ``calc.run`` sets them.
    """
    chosen = resolve(scenarios)
    sets = worlds(assumptions)
    n = draw_count(n, sets[0])
    levels = _quantile_levels(quantiles)
    if sampler not in SAMPLERS:
        raise InputError(f"sampler: {sampler!r} is not known; accepted: {', '.join(SAMPLERS)}")
    seed = checked_seed(seed)
    draws_path = None if draws_out is None else target_path(draws_out)
    if draws_path is not None and len(sets) > 1:
        raise InputError("draws_out: writes the draws of one world at a time; run each world on its own")
    frames = []
    for used in sets:
        p = sample(used, n, seed, sampler)
        settings = {"n": n, "seed": seed, "sampler": sampler, "quantiles": list(levels)}
        u = snapback_draws(seed, n)
        frames.append(_montecarlo(chosen, used, p, u, settings, progress, relative_to))
        if draws_path is not None:
            write_draws(draws_path, chosen, p, u, used, frames[-1].attrs["sanctions_relief"], progress)
    return in_worlds(frames)


def _montecarlo(
    chosen: Sequence[Plan],
    used: Assumptions,
    p: Mapping[str, float | np.ndarray],
    u: np.ndarray,
    settings: Mapping[str, Any],
    progress: Progress | None,
    relative_to: str | None,
) -> pd.DataFrame:
    """The quantiles of one world's draws ``p`` (see ``montecarlo``), recorded with ``settings`` (n, seed, sampler,
    quantiles)."""
    n, levels = settings["n"], np.asarray(settings["quantiles"])
    units = catalogue(used.areas).units()
    reference = None if relative_to is None else _reference(chosen, relative_to, p, used, u)
    if reference is not None:
        units = {variable: "%" for variable, unit in units.items() if unit != "%"}
    blocks: list[tuple[str, str, str, np.ndarray, np.ndarray, float]] = []
    undefined: dict[str, list[float]] = {}  # by scenario and year, the share of draws whose share is undefined
    for done, scenario in enumerate(chosen, start=1):
        years = np.asarray(scenario.years, dtype=np.int64)
        if reference is None:  # each year's draws in force, or (for a package) snapped back
            for variable, unit, values, when in _quantiles_by_year(scenario, p, used.areas, u, levels, units):
                blocks.extend(
                    (scenario.name, variable, unit, years[when], row, level)
                    for level, row in zip(levels, values, strict=True)
                )
        else:
            results = _shares(drawn(scenario, p, used.areas, u), reference, units, n, scenario.horizon)
            undefined[scenario.name] = np.isnan(results[REVENUE]).mean(axis=0).tolist()
            for variable, unit in units.items():
                for level, values in zip(levels, _quantiles(results[variable], n, levels), strict=True):
                    blocks.append((scenario.name, variable, unit, years, values, level))
        if progress:
            progress(done, len(chosen))
    frame = long_frame([block[:5] for block in blocks])
    frame.insert(6, "quantile", np.repeat([block[5] for block in blocks], [len(block[3]) for block in blocks]))
    record = {**settings, "sampled": sampled_names(used)}
    if relative_to is not None:
        record["relative_to"] = relative_to
        record["undefined"] = undefined
    frame.attrs["sanctions_relief"] = metadata(used, chosen, montecarlo=record)
    return frame


def write_draws(
    path: Path,
    chosen: Sequence[Plan],
    p: Mapping[str, float | np.ndarray],
    u: np.ndarray,
    used: Assumptions,
    provenance: dict,
    progress: Progress | None = None,
) -> Path:
    """Every raw Monte Carlo draw to ``path`` (long layout with a ``draw`` column), streamed in chunks."""
    return write_tables(path, _draw_tables(chosen, p, u, used, progress), provenance)


def _draw_tables(
    chosen: Sequence[Plan],
    p: Mapping[str, float | np.ndarray],
    u: np.ndarray,
    used: Assumptions,
    progress: Progress | None,
) -> Iterator[pa.Table]:
    """Raw draws as arrow tables of at most ``DRAW_CHUNK`` draws each: for each draw, the sampled parameters
    (variables ``Assumption|<name>``, at the first year) and every result for every year (with the snapback of
    each draw, ``u``, for a package)."""
    n = len(u)
    sampled = [name for name, value in p.items() if np.ndim(value)]
    units = catalogue(used.areas).units()
    names = [f"Assumption|{name}" for name in sampled] + list(units)
    unit_texts = [used.specs[name].unit for name in sampled] + list(units.values())
    total = len(chosen) * math.ceil(n / DRAW_CHUNK)
    done = 0
    for scenario in chosen:
        years = np.asarray(scenario.years, dtype=np.int64)
        count = len(years)
        row_name = np.concatenate([np.arange(len(sampled)), np.repeat(np.arange(len(sampled), len(names)), count)])
        row_year = np.concatenate([np.full(len(sampled), years[0]), np.tile(years, len(units))])
        per_draw = len(row_name)
        for start in range(0, n, DRAW_CHUNK):
            stop = min(n, start + DRAW_CHUNK)
            size = stop - start
            part = {name: value[start:stop] if isinstance(value, np.ndarray) else value for name, value in p.items()}
            results = drawn(scenario, part, used.areas, u[start:stop])
            values = np.empty((size, per_draw))
            for column, name in enumerate(sampled):
                values[:, column] = np.ravel(part[name])
            for index, variable in enumerate(units):
                first = len(sampled) + index * count
                values[:, first : first + count] = np.broadcast_to(results[variable], (size, count))
            codes = np.tile(row_name, size)
            same = np.zeros(size * per_draw, dtype=np.int32)
            yield pa.table(
                {
                    "model": coded_text([MODEL], same),
                    "scenario": coded_text([scenario.name], same),
                    "region": coded_text([REGION], same),
                    "variable": coded_text(names, codes),
                    "unit": coded_text(unit_texts, codes),
                    "year": np.tile(row_year, size),
                    "draw": np.repeat(np.arange(start, stop, dtype=np.int64), per_draw),
                    "value": values.ravel(),
                }
            )
            done += 1
            if progress:
                progress(done, total)


def draws_file_size(scenarios: ScenarioSpec, n: int, assumptions: Assumptions | str | Path | None = None) -> int:
    """About how many bytes ``montecarlo(..., draws_out=...)`` writes: for each scenario and draw, a row per sampled
    parameter and a row per variable and year, each with its texts quoted and about 16 characters of value."""
    used = checked_assumptions(assumptions)
    sampled = [f"Assumption|{name}" for name in sampled_names(used)]
    variables = catalogue(used.areas).units()
    fixed = len(f'"{MODEL}","","{REGION}","","",2027,{n // 2},,\n') + 16
    total = 0
    for scenario in resolve(scenarios):
        per_draw = sum(len(name) + len(used.specs[name.partition("|")[2]].unit) + fixed for name in sampled)
        per_draw += scenario.horizon * sum(len(name) + len(unit) + fixed for name, unit in variables.items())
        total += n * (per_draw + len(scenario.name) * (len(sampled) + scenario.horizon * len(variables)))
    return total


def _quantiles_by_year(
    package: Plan, p: Mapping, areas: tuple, u: np.ndarray, levels: np.ndarray, units: Mapping[str, str]
) -> Iterator[tuple[str, str, np.ndarray, slice]]:
    """Each variable's quantiles, year by year, for a scenario or package: evaluated once per distinct column of
    years (see ``calc.engine.columns``), and in each year mixed with the status quo's values in the share of draws
    whose relief has snapped back by then (drawn draw by draw with ``u``; none for a scenario). Snapback being
    drawn apart from every parameter, a draw's value and whether its relief holds are independent, so the year's
    quantiles are those of the mixture (``mixed_quantiles``). Then the quantiles of the present values of the
    headline measures over the draws (``present_values``), at the first year. Each with the years it covers."""
    done: dict = {}  # areas evaluated, shared by the years in force and the status quo
    values, column_of = columns(package, p, areas, done=done)
    kept = (u < package.in_force(p)).mean(axis=0) if np.ndim(u) else np.ones(package.horizon)
    before = status_quo(p, areas, done) if np.any(kept < 1.0) else dict.fromkeys(units, 0.0)
    every_year = slice(None)
    for variable, unit in units.items():
        out = np.empty((len(levels), package.horizon))
        alike: list[tuple[np.ndarray, np.ndarray]] = []  # columns of equal values, with their years, done at once
        for column in np.unique(column_of):
            value = values[variable][column]
            same = next((group for group in alike if _equal(group[0], value)), None)
            if same is None:
                alike.append((value, column_of == column))
            else:
                same[1][column_of == column] = True
        for value, years in alike:
            out[:, years] = mixed_quantiles(value, before[variable], kept[years], levels)
        yield variable, unit, out, every_year
    for variable, value in present_values(package, p, u, values, column_of, before).items():
        yield f"{PRESENT_VALUE}{variable}", "USD", _quantiles(np.atleast_2d(value).T, len(u), levels), slice(0, 1)


def present_values(
    plan: Plan,
    p: Mapping,
    u: np.ndarray,
    values: Mapping[str, list[np.ndarray]],
    column_of: np.ndarray,
    before: Mapping[str, Values],
) -> dict[str, np.ndarray]:
    """The present value of each of ``PRESENT_VALUES`` in each draw (USD, in first-year money: year k discounted by
    (1 + r)^k at the draw's ``context.discount_rate``), the draw's relief held until it snaps back (``u``) and the
    status quo's values (``before``) after. ``values`` and ``column_of``: as ``calc.engine.columns`` gives them."""
    rate = np.asarray(p[DISCOUNT_RATE], dtype=np.float64)
    discount = (1.0 + rate) ** -np.arange(plan.horizon)  # a row, or draws x years where the rate is drawn
    held = u < plan.in_force(p) if np.ndim(u) else np.ones((1, plan.horizon), dtype=bool)
    out = {}
    for variable in PRESENT_VALUES:
        if held.all():  # relief held throughout: each column's value times its years' discount factors
            out[variable] = sum(
                np.ravel(values[variable][column]) * np.ravel(discount[..., column_of == column].sum(axis=-1))
                for column in np.unique(column_of)
            )
            continue
        yearly_values = np.column_stack(
            [np.broadcast_to(np.ravel(values[variable][column]), (len(u),)) for column in column_of]
        )
        kept = np.where(held, yearly_values, np.asarray(before[variable]).reshape(-1, 1))
        out[variable] = (kept * discount).sum(axis=1)
    return {variable: np.broadcast_to(value, (len(u),)) for variable, value in out.items()}


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two columns of draws hold the same values (most that differ do in their first draw)."""
    return a is b or ((np.ravel(a)[:1] == np.ravel(b)[:1]).all() and np.array_equal(a, b))


def mixed_quantiles(x: ArrayLike, base: ArrayLike, kept: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles (rows: ``levels``; columns: each share ``kept``) of a draw that takes a value of ``x`` with
    probability kept, and otherwise one of ``base`` (a number, or a value per draw), x and the choice independent:
    the mixture with distribution kept F_x + (1 - kept) F_base. Where the base is one number b this is exact on
    the sample: below b, F_x^-1(level / kept); at b for the mass there; above, F_x^-1((level - 1 + kept) / kept),
    F_x^-1 interpolated as numpy's quantile is (at kept = 1, numpy's quantile itself)."""
    x = np.ravel(x)
    xs = x[:1] if np.ptp(x) == 0 else np.sort(x)  # a value that is the same in every draw needs no sorting
    if np.all(kept == 1.0):  # nothing snapped back: numpy's quantiles of x
        return np.repeat(_interpolated(xs, levels)[:, np.newaxis], len(kept), axis=1)
    base_fixed = np.ndim(base) == 0 or np.ptp(base) == 0
    n = len(xs)
    grid_kept, grid_level = np.meshgrid(kept, levels)
    if base_fixed:
        b = float(np.ravel(base)[0])
        below = np.searchsorted(xs, b, "left") / n
        upto = np.searchsorted(xs, b, "right") / n
        with np.errstate(divide="ignore", invalid="ignore"):
            low = _interpolated(xs, grid_level / grid_kept)
            high = _interpolated(xs, (grid_level - 1.0 + grid_kept) / grid_kept)
        result = np.where(
            grid_level < grid_kept * below, low, np.where(grid_level <= grid_kept * upto + 1 - grid_kept, b, high)
        )
        return np.where(grid_kept > 0, result, b)
    bs = np.sort(np.ravel(base))
    # the smallest value, of x's or of the base's, at which the mixture's distribution reaches each level
    return np.minimum(
        _smallest_reaching(xs, grid_kept, bs, 1.0 - grid_kept, grid_level),
        _smallest_reaching(bs, 1.0 - grid_kept, xs, grid_kept, grid_level),
    )


def _smallest_reaching(
    values: np.ndarray, share: np.ndarray, others: np.ndarray, others_share: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    """For each level (an array, with the shares alike), the smallest of the sorted ``values`` at which the mixture
    ``share`` F_values + ``others_share`` F_others reaches it (inf if none does), found by bisection: the mixture's
    distribution rises along ``values``."""
    n = len(values)
    low, high = np.zeros(levels.shape, dtype=np.int64), np.full(levels.shape, n)  # high = n: none reaches it
    while np.any(low < high):
        middle = (low + high) // 2
        value = values[np.minimum(middle, n - 1)]  # where the search is over, any index will do
        below = share * np.searchsorted(values, value, "right") / n
        reached = below + others_share * np.searchsorted(others, value, "right") / len(others) >= levels - 1e-12
        high, low = np.where(reached, middle, high), np.where(reached, low, middle + 1)
    return np.where(low < n, values[np.minimum(low, n - 1)], np.inf)


def _interpolated(sorted_values: np.ndarray, level: np.ndarray) -> np.ndarray:
    """``sorted_values`` at quantile ``level`` (clipped to 0..1), interpolated linearly as numpy's quantile is."""
    position = np.clip(np.nan_to_num(level), 0.0, 1.0) * (len(sorted_values) - 1)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (position - below) * (sorted_values[above] - sorted_values[below])


def _reference(
    chosen: Sequence[Plan], name: str, p: Mapping, used: Assumptions, u: np.ndarray
) -> dict[str, np.ndarray]:
    """Every result of the reference scenario, year by year, for dividing the others by."""
    by_name = {scenario.name: scenario for scenario in chosen}
    if name not in by_name:
        raise InputError(f"relative_to: {name!r} is not among the scenarios; name it too ({', '.join(by_name)})")
    reference = by_name[name]
    for scenario in chosen:
        if scenario.years != reference.years:
            raise InputError(
                f"relative_to: scenario {scenario.name!r} covers {scenario.years[0]}-{scenario.years[-1]}, "
                f"{name!r} {reference.years[0]}-{reference.years[-1]}; compare scenarios over the same years"
            )
    return drawn(reference, p, used.areas, u)


def _shares(
    results: Mapping[str, np.ndarray], reference: Mapping[str, np.ndarray], units: Mapping, n: int, horizon: int
) -> dict[str, np.ndarray]:
    """Each result as a share (per cent) of the reference, draw by draw and year by year; NaN where it is 0."""
    shares = {}
    for variable in units:
        numerator = np.broadcast_to(results[variable], (n, horizon))
        shares[variable] = percent_of(numerator, np.broadcast_to(reference[variable], (n, horizon)))
    return shares


def _quantiles(result: np.ndarray, n: int, levels: np.ndarray) -> np.ndarray:
    """Quantiles over draws (axis 0) for each column, of the draws where the result is defined (a share of a
    reference that is zero is not: NaN); NaN where it is defined in none. A result that does not vary by draw is its
    own quantile."""
    if np.ndim(result) < 2 or result.shape[0] == 1:
        return np.broadcast_to(np.atleast_2d(result)[0], (len(levels), np.shape(result)[-1]))
    with warnings.catch_warnings():  # a column of NaN only (no draw defined) is NaN, as it should be
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(result, levels, axis=0)


def draw_count(n: object, assumptions: Assumptions) -> int:
    if isinstance(n, Integral) and not isinstance(n, bool):
        count = int(n)  # of any size: through float() it would overflow past 1e308
    elif isinstance(n, Real) and not isinstance(n, bool) and float(n).is_integer():
        count = int(float(n))
    else:
        raise InputError(f"n: expected a whole number of draws, got {n!r}")
    if not 1 <= count <= MAX_DRAWS:
        digits = len(str(abs(count)))
        shown = str(count) if digits <= 18 else f"a {digits}-digit number of"
        raise InputError(f"n: {shown} draws is out of range; accepted: 1 to {MAX_DRAWS:,}")
    needed = count * (2 * len(assumptions) + 3 * len(catalogue(assumptions.areas).variables)) * 8
    available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if needed > available // 2:
        raise InputError(
            f"n: {count:,} draws need about {needed / 2**30:.1f} GiB, more than half this machine's memory "
            f"({available / 2**30:.1f} GiB); use fewer draws"
        )
    return count


def _quantile_levels(quantiles: object) -> np.ndarray:
    if isinstance(quantiles, (str, bytes)) or not isinstance(quantiles, Sequence | np.ndarray) or not len(quantiles):
        raise InputError(f"quantiles: expected a list of levels between 0 and 1, got {quantiles!r}")
    levels = []
    for level in quantiles:
        if isinstance(level, bool) or not isinstance(level, Real) or not 0.0 <= float(level) <= 1.0:
            raise InputError(f"quantiles: {level!r} is not a level between 0 and 1")
        levels.append(float(level))
    if len(set(levels)) != len(levels):
        raise InputError(f"quantiles: {list(quantiles)!r} repeats a level; give each once")
    return np.asarray(levels)


def checked_seed(seed: object) -> int:
    if seed is None:
        return secrets.randbits(63)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= int(seed) < 2**63:
        raise InputError(f"seed: expected a whole number from 0 to 2**63 - 1, got {seed!r}")
    return int(seed)


def tornado(
    scenario: Plan | str | Path,
    variable: str = REVENUE,
    year: int | None = None,
    assumptions: Assumptions | str | Path | None = None,
) -> pd.DataFrame:
    """One parameter at a time at its low and at its high, all others central: how far ``variable`` moves.

    One row per parameter with a range, sorted by swing (largest first): the parameter's low, value and high
    (in its own unit), the result at each end and at the central values, and ``swing`` = |high end - low end|.
    ``year`` defaults to the last year of the horizon (the steady state).
    """
    chosen, used, variable, column = analysis_inputs(scenario, variable, year, assumptions)
    names = sampled_names(used)
    ranges = used.ranges()
    p: dict[str, float | np.ndarray] = {**used.central()}
    count = len(names)
    for index, name in enumerate(names):
        low, middle, high = ranges[name]
        values = np.full((2 * count + 1, 1), middle)
        values[1 + index], values[1 + count + index] = low, high
        p[name] = values
    result = _result_in_year(chosen, p, used, variable, 2 * count + 1, column)
    rows = [
        {
            "parameter": name,
            "unit": used[name].unit,
            "low": used[name].low,
            "value": used[name].value,
            "high": used[name].high,
            "result_at_low": result[1 + index],
            "result_at_high": result[1 + count + index],
            "result_central": result[0],
            "result_unit": catalogue(used.areas).variables[variable].unit,
            "swing": abs(result[1 + count + index] - result[1 + index]),
        }
        for index, name in enumerate(names)
    ]
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else None)
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs["scenario"] = chosen.name
    frame.attrs["variable"] = variable
    return frame


def sobol(
    scenario: Plan | str | Path,
    variable: str = REVENUE,
    n: int = 1024,
    seed: int = 0,
    year: int | None = None,
    assumptions: Assumptions | str | Path | None = None,
) -> pd.DataFrame:
    """Variance-based (Sobol) first-order and total indices through SALib: ``pip install
    'sanctions-relief[uncertainty]'``. ``n`` is SALib's base sample size (a power of 2)."""
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sampler
    except ImportError as error:
        raise MissingExtra("calc.sobol", "SALib", "uncertainty") from error
    chosen, used, variable, column = analysis_inputs(scenario, variable, year, assumptions)
    n = draw_count(n, used)
    names = sampled_names(used)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    seed = checked_seed(seed)
    uniforms = sampler.sample(problem, n, calc_second_order=False, seed=seed)
    ranges = used.ranges()
    p: dict[str, float | np.ndarray] = {**used.central()}
    for index, name in enumerate(names):
        p[name] = inverse_cdf(uniforms[:, index], *ranges[name], used[name].distribution, used[name].central_weight)[
            :, None
        ]
    result = _result_in_year(chosen, p, used, variable, len(uniforms), column)
    if np.ptp(result) == 0:
        indices = dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf"), np.zeros(len(names)))
    else:
        indices = analyze.analyze(problem, np.ascontiguousarray(result), calc_second_order=False, seed=seed)
    frame = pd.DataFrame({"parameter": names} | {key: indices[key] for key in ("S1", "S1_conf", "ST", "ST_conf")})
    return frame.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)


def analysis_inputs(
    scenario: Plan | str | Path, variable: str, year: int | None, assumptions: Assumptions | str | Path | None
) -> tuple[Plan, Assumptions, str, int]:
    """The one scenario, the assumption set, the variable's full name and the year's column for a sensitivity
    analysis, all checked."""
    chosen = [] if isinstance(scenario, (list, tuple)) else resolve(scenario)
    if len(chosen) != 1:
        raise InputError("scenario: sensitivity takes one scenario at a time")
    used = checked_assumptions(assumptions)
    levers = chosen[0].levers(used.areas)
    if all(levers[area.name] == area.kind.status_quo for area in used.areas):
        raise InputError(
            f"scenario: {chosen[0].name!r} eases nothing, so every result is zero whatever the assumptions; "
            "name a scenario that eases something"
        )
    return chosen[0], used, catalogue(used.areas).variable(variable).name, chosen[0].year_index(year)


def _result_in_year(scenario: Plan, p: Mapping, used: Assumptions, variable: str, rows: int, column: int) -> np.ndarray:
    """``variable`` for each of ``rows`` parameter sets in ``p``, in one year of the horizon."""
    results = yearly(scenario, p, used.areas)
    return np.broadcast_to(results[variable], (rows, scenario.horizon))[:, column]
