"""Goal seeking: the lever value at which a result reaches a target ("what cap gives 1 M bbl/yr more fuel?").

Every model is monotone in its area's lever (docs/explanation/model.md), so the target is bracketed by the results at
the two ends of the lever's range, and bisection finds the lever value between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from calc.area import Area
from calc.assumptions import Assumptions
from calc.engine import checked_assumptions, expected, roles
from calc.errors import InputError
from calc.kinds import Variable
from calc.record import metadata
from calc.scenario import Package, Plan, Scenario, resolve
from calc.tables import is_flow
from calc.units import parse_with_unit, quantity_unit, ureg
from calc.variables import catalogue

#: The lever of a package's snapback hazard: "what hazard makes this package worth less than X?".
HAZARD_LEVER = "snapback_hazard"


def lever_area(name: str, areas: tuple[Area, ...]) -> Area:
    """The area a lever name moves: an area's keyword (``metals_share``) or its name (``coal``)."""
    for area in areas:
        if name in (area.name, area.keyword):
            return area
    accepted = [area.keyword or area.name for area in areas]
    raise InputError(f"lever: {name!r} is not known; accepted: {', '.join(accepted)}")


def solve(
    scenario: Plan | str | Path,
    lever: str,
    variable: str,
    target: object,
    year: int | None = None,
    assumptions: Assumptions | str | Path | None = None,
) -> float | pint.Quantity:
    """The value of ``lever`` at which ``variable`` reaches ``target`` in ``year``, the scenario's other levers
    as they are.

    ``lever`` is one of the article's keywords (``metals_share``, ``petroleum_cap``, ``luxury_share``), any
    area's name (``coal``, ``crude_oil``, ...), or for a package ``snapback_hazard`` ("what hazard makes this
    package worth less than X?"). ``target`` is a quantity with units, checked against the variable's: per year
    ("110e6 USD/yr", in ``year``) or, for a flow, over the whole horizon ("5e9 USD", the total). ``year`` defaults
    to the last year of the horizon (the steady state). Returns a share (float)
    for a share lever, a Quantity in bbl/yr for a cap. Where the result is flat over part of the lever's range,
    any value there reaches the target and one of them is returned. A target the lever cannot reach is an
    InputError that gives the reachable range.
    """
    return _seek(scenario, lever, variable, target, year, assumptions)["solved"]


def solution(
    scenario: Plan | str | Path,
    lever: str,
    variable: str,
    target: object,
    year: int | None = None,
    assumptions: Assumptions | str | Path | None = None,
) -> pd.DataFrame:
    """``solve`` as a one-row table with units in its columns (``scenario, lever, value, unit, variable, target,
    target_unit, year``) and the run's record in ``frame.attrs``: for ``export_csv`` (``solve --out``), and for
    collecting many goals with ``pd.concat``."""
    found = _seek(scenario, lever, variable, target, year, assumptions)
    solved = found["solved"]
    share = isinstance(solved, float)
    row = {
        "scenario": found["scenario"].name,
        "lever": lever,
        "value": solved if share else float(solved.magnitude),
        "unit": "dimensionless" if share else "bbl/yr",
        "variable": found["variable"].name,
        "target": found["target"],
        "target_unit": found["variable"].unit,
        "year": found["year"],
    }
    frame = pd.DataFrame([row])
    frame.attrs["sanctions_relief"] = metadata(found["assumptions"], [found["scenario"]], solve=row)
    return frame


def _seek(
    scenario: Plan | str | Path,
    lever: str,
    variable: str,
    target: object,
    year: int | None,
    assumptions: Assumptions | str | Path | None,
) -> dict[str, Any]:
    """The lever value ``solve`` returns, with the scenario, assumptions, variable, target and year it solved for."""
    plans = resolve(scenario)
    if len(plans) != 1:
        raise InputError("scenario: solve takes one scenario")
    chosen = plans[0]
    used = checked_assumptions(assumptions)
    declared = catalogue(used.areas).variable(variable)
    wanted, total = _target(target, declared)
    column = chosen.year_index(year)
    p = used.central()
    if lever == HAZARD_LEVER:
        if not isinstance(chosen, Package):
            raise InputError(
                f"lever: snapback_hazard is a package's; {chosen.name!r} is a scenario, which never snaps back"
            )
        low, high, shown = 0.0, 1.0 - 1e-9, f"{lever} from 0 to 1"

        def result(values: np.ndarray) -> np.ndarray:
            return np.array(
                [expected(replace(chosen, snapback_hazard=float(h)), p, used.areas)[declared.name] for h in values]
            )
    else:
        area = lever_area(lever, used.areas)
        low, high = area.kind.lever_range(roles(area, p))
        shown = f"{lever} from {area.kind.shown(low)} to {area.kind.shown(high)}"

        def result(values: np.ndarray) -> np.ndarray:
            trial = np.asarray(values, dtype=np.float64).reshape(-1, 1)
            results = expected(chosen, p, used.areas, levers={area.name: trial})  # the very value ``run`` reports
            return np.broadcast_to(results[declared.name], (len(trial), chosen.horizon))

    def picked(values: np.ndarray) -> np.ndarray:
        years = result(values)
        return years.sum(axis=1) if total else years[:, column]

    at_low, at_high = picked(np.array([low, high]))
    unit = declared.display_unit.removesuffix("/yr") if total else declared.display_unit
    when = f"over {chosen.years[0]}-{chosen.years[-1]}" if total else f"in {chosen.years[column]}"
    if at_low == at_high:  # every model is monotone in its lever: equal at both ends, it is flat throughout
        eased = "" if lever == HAZARD_LEVER or isinstance(chosen, Scenario) else _eased_note(chosen, area, used)
        raise InputError(
            f"lever: {declared.name} does not depend on {lever} in {chosen.name!r}{eased}: moving {shown} gives "
            f"{declared.shown(at_low)} {unit} {when} throughout; choose a lever that moves it"
        )
    if not min(at_low, at_high) <= wanted <= max(at_low, at_high):
        ends = sorted((at_low, at_high))
        raise InputError(
            f"target: {declared.shown(wanted)} {unit} is out of reach; moving {shown} in {chosen.name!r} gives "
            f"{declared.name} between {declared.shown(ends[0])} and {declared.shown(ends[1])} {unit} {when}"
        )
    if wanted == at_low:
        value = low
    elif wanted == at_high:
        value = high
    else:
        value = _bisect(lambda x: picked(np.array([x]))[0] - wanted, low, high, xtol=1e-12 * max(1.0, high))
    return {
        "solved": float(value) if lever == HAZARD_LEVER else area.kind.quantity(value),
        "scenario": chosen,
        "assumptions": used,
        "variable": declared,
        "target": wanted,
        "year": "total" if total else chosen.years[column],
    }


def _eased_note(package: Package, area: Area, used: Assumptions) -> str:
    """ ", which none of its steps eases", where that is why a lever moves nothing in a package."""
    if any(area.name in segment.eased for segment in package.segments(used.areas)):
        return ""
    return ", which none of its steps eases (solve moves a lever in the years a step eases its area)"


def _bisect(f: Callable[[float], float], low: float, high: float, xtol: float) -> float:
    """An ``x`` within ``xtol`` of a root of ``f`` between ``low`` and ``high``, where ``f`` has opposite signs.

    Halving the bracket takes about 40 evaluations for ``solve``'s tolerance of 1e-12 of the range, a few tens of
    milliseconds (scipy's ``brentq`` took 3 to 10), and keeps goal seeking free of any optional dependency.
    """
    below = f(low) < 0
    while high - low > xtol:
        middle = (low + high) / 2
        at_middle = f(middle)
        if at_middle == 0:
            return middle
        if (at_middle < 0) == below:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _target(target: object, declared: Variable) -> tuple[float, bool]:
    """The target in the variable's unit, and whether it is a total over the horizon: a flow's target may be given
    per year ("110e6 USD/yr") or as an amount over the whole horizon ("5e9 USD")."""
    unit = quantity_unit(target, "target")
    per_year = ureg.Unit(declared.unit)
    if unit is not None and not unit.is_compatible_with(per_year) and is_flow(declared.unit):
        over = str(per_year * ureg.Unit("yr"))
        return parse_with_unit(target, over, "target"), True
    return parse_with_unit(target, declared.unit, "target"), False
