"""Run scenarios through the models and build the long (IAMC) result frame; summarise it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from calc.assumptions import Assumptions, load_assumptions
from calc.errors import InputError
from calc.models import VARIABLES, evaluate, ramp
from calc.provenance import CALCULATOR, metadata
from calc.scenario import STATUS_QUO, Scenario, resolve
from calc.units import to_unit

MODEL = CALCULATOR
REGION = "North Korea"
COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")
ScenarioSpec = Scenario | str | Path | Sequence[Scenario | str | Path]


def new_cap(scenario: Scenario, p: Mapping[str, ArrayLike]) -> ArrayLike:
    """The scenario's cap C1 in bbl/yr: the status-quo cap when left out, pre-sanction imports when lifted."""
    if scenario.petroleum_cap is None:
        return p["petroleum.pre_sanction_imports"]
    if scenario.petroleum_cap == STATUS_QUO:
        return p["petroleum.legal_cap"]
    return scenario.petroleum_cap


def scenario_results(
    scenario: Scenario, p: Mapping[str, ArrayLike], ramp_values: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Every variable for one scenario: arrays over years (or draws x years when ``p`` holds columns of draws).

    ``ramp_values`` replaces the scenario's yearly ramp, e.g. by only its distinct values.
    """
    if ramp_values is None:
        ramp_values = ramp(scenario.horizon, scenario.ramp_years)
    return evaluate(p, scenario.metals_share, new_cap(scenario, p), scenario.luxury_share, ramp_values)


def checked_assumptions(assumptions: Assumptions | str | Path | None) -> Assumptions:
    """The shipped set for None, a loaded set as it is, or the set laid over the shipped one from a path."""
    if assumptions is None or isinstance(assumptions, (str, Path)):
        return load_assumptions(assumptions)
    if not isinstance(assumptions, Assumptions):
        raise InputError(
            f"assumptions: expected the result of calc.load_assumptions() or a path, got {type(assumptions).__name__}"
        )
    return assumptions


def run(scenarios: ScenarioSpec, assumptions: Assumptions | str | Path | None = None) -> pd.DataFrame:
    """Yearly effects of each scenario against the status quo, as one long frame.

    Columns ``model, scenario, region, variable, unit, year, value``; one row per value, scenarios in the
    order given, variables in the order of ``calc.models.VARIABLES``. ``frame.attrs["sanctions_relief"]``
    records the assumptions and scenarios used (``export_csv`` writes it beside the CSV).
    """
    chosen = resolve(scenarios)
    used = checked_assumptions(assumptions)
    p = used.central()
    blocks = []
    for scenario in chosen:
        results = scenario_results(scenario, p)
        years = np.asarray(scenario.years, dtype=np.int64)
        for variable, unit in VARIABLES.items():
            values = np.broadcast_to(results[variable], years.shape).astype(np.float64)
            blocks.append((scenario.name, variable, unit, years, values))
    frame = long_frame(blocks)
    frame.attrs["sanctions_relief"] = metadata(used, chosen)
    return frame


def long_frame(blocks: Sequence[tuple[str, str, str, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The long frame from (scenario, variable, unit, years, values) blocks."""
    sizes = [len(block[3]) for block in blocks]
    total = sum(sizes)
    return pd.DataFrame(
        {
            "model": pd.array(np.full(total, MODEL, dtype=object), dtype="str"),
            "scenario": pd.array(np.repeat([b[0] for b in blocks], sizes).astype(object), dtype="str"),
            "region": pd.array(np.full(total, REGION, dtype=object), dtype="str"),
            "variable": pd.array(np.repeat([b[1] for b in blocks], sizes).astype(object), dtype="str"),
            "unit": pd.array(np.repeat([b[2] for b in blocks], sizes).astype(object), dtype="str"),
            "year": np.concatenate([b[3] for b in blocks]) if blocks else np.array([], dtype=np.int64),
            "value": np.concatenate([b[4] for b in blocks]) if blocks else np.array([], dtype=np.float64),
        },
        columns=list(COLUMNS),
    )


def summary(frame: pd.DataFrame, discount_rate: float | None = None) -> pd.DataFrame:
    """One row per scenario and variable (and quantile, for a Monte Carlo frame): first-year and steady-state
    (last-year) values, for flows (units per year) the total over the horizon, and for money flows the present
    value.

    The present value discounts year k of the horizon (k = 0 in the first year) by (1 + rate)^k, so it is in
    first-year money. The rate defaults to ``context.discount_rate`` of the assumptions recorded in the frame
    (the shipped set's if none are recorded).
    """
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"summary: the frame lacks column(s) {', '.join(missing)}; pass a frame from calc.run")
    rate = _discount_rate(frame) if discount_rate is None else float(discount_rate)
    if not 0.0 <= rate <= 1.0:
        raise InputError(f"summary: discount_rate {rate!r} is out of range; accepted: a rate from 0 to 1")
    keys = ["scenario", "variable", "unit", *(["quantile"] if "quantile" in frame.columns else [])]
    rows = []
    for key, group in frame.groupby(keys, sort=False):
        ordered = group.sort_values("year")
        values = ordered["value"].to_numpy()
        k = ordered["year"].to_numpy() - ordered["year"].iloc[0]
        unit = key[2]
        flow = unit.endswith("/yr")
        money = unit.startswith("USD")
        rows.append(
            dict(zip(keys, key, strict=True))
            | {
                "first_year": values[0],
                "steady_state": values[-1],
                "total_unit": unit.removesuffix("/yr") if flow else "",
                "total": values.sum() if flow else np.nan,
                "present_value": (values / (1.0 + rate) ** k).sum() if flow and money else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _discount_rate(frame: pd.DataFrame) -> float:
    recorded = frame.attrs.get("sanctions_relief", {}).get("assumptions", [])
    for record in recorded:
        if record["name"] == "context.discount_rate":
            return to_unit(record["value"], record["unit"], "dimensionless")
    return load_assumptions().central()["context.discount_rate"]
