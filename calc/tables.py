"""Tables derived from a result frame: first-year, steady-state, total and present value per variable
(``summary``), and every scenario as a share of another (``compare``)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from calc.assumptions import load_assumptions
from calc.errors import InputError
from calc.frame import COLUMNS, Record
from calc.record import worlds_of
from calc.units import to_unit, ureg
from calc.variables import IN_FORCE, PRESENT_VALUE

DISCOUNT_RATE = "context.discount_rate"


@cache
def is_flow(unit: str) -> bool:
    """A quantity per unit of time (USD/yr, bbl/yr, t/yr), which adds up over years."""
    return ureg.Unit(unit).dimensionality.get("[time]", 0) == -1


@cache
def is_money(unit: str) -> bool:
    return ureg.Unit(unit).dimensionality.get("[currency]", 0) == 1


def percent_of(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator`` as a share (per cent) of ``denominator``, element by element; NaN where that is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, 100.0 * numerator / denominator, np.nan)


def checked_frame(frame: object, what: str) -> pd.DataFrame:
    """``frame``, a long result frame with rows, or InputError naming ``what`` was given it."""
    missing = [c for c in COLUMNS if c not in frame.columns] if isinstance(frame, pd.DataFrame) else list(COLUMNS)
    if missing or not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what}: the frame lacks column(s) {', '.join(missing)}; pass a frame from calc.run")
    if frame.empty:
        raise InputError(f"{what}: the frame holds no rows (a selection that kept none?); pass a frame from calc.run")
    return frame


def summary(frame: pd.DataFrame, discount_rate: float | None = None) -> pd.DataFrame:
    """One row per scenario and variable (and quantile, for a Monte Carlo frame): first-year and steady-state
    (last-year) values, for flows (units per year) the total over the horizon, and for money flows the present
    value and the share of it snapback is expected to take.

    The present value discounts year k of the horizon (k = 0 in the first year) by (1 + rate)^k, so it is in
    first-year money. The rate defaults to ``context.discount_rate`` of the assumptions recorded in the frame
    (the shipped set's if none are recorded). ``expected_loss`` (per cent) is 1 - the expected present value / the
    present value if the relief held, that one year by year the expected value divided by the chance it is still
    in force (``Snapback|Share In Force``): 0 for a scenario, which never snaps back. It is an expected share, not
    a value at risk: that is a quantile of the present value, which only a Monte Carlo frame holds.

    In a Monte Carlo frame each row is a quantile: ``present_value`` is then the quantile of the present values of
    the draws, for the measures that frame holds them of (``Present Value|Revenue``, ``|Imports Unlocked``,
    ``|Hard Currency|Net``: its 5 % quantile is the present value 95 % of draws reach, a value at risk at 95 %), and
    NaN for the others, since the present value of each year's quantile is no quantile of anything;
    ``expected_loss`` is NaN.
    """
    checked_frame(frame, "summary")
    rate = recorded_parameter(frame, DISCOUNT_RATE) if discount_rate is None else float(discount_rate)
    if not 0.0 <= rate <= 1.0:
        raise InputError(f"summary: discount_rate {rate!r} is out of range; accepted: a rate from 0 to 1")
    keys = ["model", "scenario", "variable", "unit", *(["quantile"] if "quantile" in frame.columns else [])]
    groups = frame.groupby(keys, sort=False)
    k = frame["year"] - groups["year"].transform("min")
    discounted = frame["value"] / (1.0 + rate) ** k
    table = groups.agg(first=("year", "idxmin"), last=("year", "idxmax"))
    values = frame["value"].to_numpy()
    table["first_year"] = values[frame.index.get_indexer(pd.Index(table["first"]))]
    table["steady_state"] = values[frame.index.get_indexer(pd.Index(table["last"]))]
    table["total"] = groups["value"].sum()
    table["present_value"] = discounted.groupby([frame[key] for key in keys], sort=False).sum()
    table["expected_loss"] = _expected_loss(frame, discounted, keys, table["present_value"])
    table = table.drop(columns=["first", "last"]).reset_index()
    units = set(table["unit"])
    flow = table["unit"].map({unit: is_flow(unit) for unit in units})
    money = flow & table["unit"].map({unit: is_money(unit) for unit in units})
    table.insert(len(keys) + 2, "total_unit", table["unit"].str.rpartition("/")[0].where(flow, ""))
    table["total"] = table["total"].where(flow)
    table["present_value"] = table["present_value"].where(money)
    table["expected_loss"] = table["expected_loss"].where(money)
    if "quantile" in frame.columns:
        table["present_value"] = _drawn_present_values(table)
    return table


def _drawn_present_values(table: pd.DataFrame) -> pd.Series:
    """For a Monte Carlo summary, each headline measure's present value quantile, from its ``Present Value|`` row
    (see ``summary``); NaN elsewhere."""
    keys = ["model", "scenario", "quantile"]
    drawn = table[table["variable"].str.startswith(PRESENT_VALUE)]
    by_key = drawn.assign(variable=drawn["variable"].str.removeprefix(PRESENT_VALUE)).set_index([*keys, "variable"])
    wanted = pd.MultiIndex.from_frame(table[[*keys, "variable"]])
    return pd.Series(by_key["first_year"].reindex(wanted).to_numpy(), index=table.index)


def _expected_loss(frame: pd.DataFrame, discounted: pd.Series, keys: list[str], present_value: pd.Series) -> pd.Series:
    """The share (per cent) of each present value that snapback is expected to take (see ``summary``)."""
    if "quantile" in frame.columns:
        return pd.Series(np.nan, index=present_value.index)
    chance = frame[frame["variable"] == IN_FORCE].set_index(["model", "scenario", "year"])["value"] / 100.0
    kept = chance.reindex(pd.MultiIndex.from_frame(frame[["model", "scenario", "year"]])).to_numpy()
    held = discounted.div(np.where(kept > 0, kept, np.nan)).fillna(discounted)  # no record of it: held throughout
    held = held.groupby([frame[key] for key in keys], sort=False).sum()
    return pd.Series(np.where(held != 0, 100.0 * (1.0 - present_value / held), 0.0), index=present_value.index)


def recorded_parameter(frame: pd.DataFrame, name: str) -> float:
    """The central value of a dimensionless parameter ``name`` (the discount rate, say) in the assumptions a frame
    was run with (its first world's), else in the shipped set."""
    recorded = worlds_of(frame.attrs.get("sanctions_relief", {}))[0].get("assumptions", [])
    for record in recorded:
        if record["name"] == name:
            return to_unit(record["value"], record["unit"], "dimensionless")
    return load_assumptions().central()[name]


def compare(frame: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Every scenario of ``frame`` as a share of the ``reference`` scenario, variable by variable and year by
    year: the long frame with values in per cent (unit ``%``). Shares and levels (unit ``%``) are left out; a
    value whose reference is zero is NaN.

    For the uncertainty of such a share, divide draw by draw: ``calc.montecarlo(..., relative_to=reference)``.
    """
    checked_frame(frame, "compare")
    if "quantile" in frame.columns:
        raise InputError(
            "compare: a ratio of quantiles is not a quantile of the ratio; use "
            f"calc.montecarlo(scenarios, relative_to={reference!r}) (command line: montecarlo --relative-to)"
        )
    names = list(dict.fromkeys(frame["scenario"]))
    if reference not in names:
        raise InputError(f"relative_to: {reference!r} is not among the scenarios; name it too ({', '.join(names)})")
    flows = frame[frame["unit"] != "%"]
    keys = ["model", "variable", "year"]  # the reference of each world
    base = flows[flows["scenario"] == reference].set_index(keys)["value"]
    keyed = flows.set_index(keys).index
    shares = percent_of(flows["value"].to_numpy(), base.reindex(keyed).to_numpy())
    result = flows.assign(unit="%", value=shares).reset_index(drop=True)
    result.attrs["sanctions_relief"] = Record({**frame.attrs.get("sanctions_relief", {}), "relative_to": reference})
    return result
