"""The models: pure functions on numpy arrays, with no I/O and no pandas.

Parameters come as a mapping of parameter name to a number or an array in the units of
``calc.assumptions.PARAMETERS``; a column of Monte Carlo draws (shape n x 1) against a row of ramp values
(one per year) broadcasts to draws x years with the same code.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike

from calc.models import luxury, metals, petroleum

#: Every result variable, in output order, with its unit (a string that parses in ``calc.ureg``).
VARIABLES: Mapping[str, str] = {
    "Revenue|Metal Exports": "USD/yr",
    "Fuel|Refined Petroleum|Additional Legal Imports": "bbl/yr",
    "Fuel|Refined Petroleum|Net Additional Supply": "bbl/yr",
    "Expenditure|Fuel Imports": "USD/yr",
    "Expenditure|Luxury Imports": "USD/yr",
    "Hard Currency|Net": "USD/yr",
    "Fuel|Refined Petroleum|Smuggled Imports Replaced": "bbl/yr",
    "Fuel|Refined Petroleum|Net Additional Supply (Mass)": "t/yr",
    "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports": "%",
    "Revenue|Metal Exports|Share of Total Exports": "%",
    "Hard Currency|Net|Share of GDP": "%",
}


def ramp(horizon: int, ramp_years: int) -> np.ndarray:
    """Share of the full effect in year k = 0 .. horizon-1: 1 if ramp_years = 0, else min(1, (k+1)/ramp_years)."""
    if ramp_years == 0:
        return np.ones(horizon)
    return np.minimum(1.0, (np.arange(horizon) + 1.0) / ramp_years)


def evaluate(
    p: Mapping[str, ArrayLike],
    metals_share: float,
    new_cap: ArrayLike,
    luxury_share: float,
    ramp_values: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every variable of ``VARIABLES`` for one scenario; ``new_cap`` is the cap C1 in bbl/yr (D when lifted)."""
    revenue = metals.revenue(p, metals_share, ramp_values)
    fuel = petroleum.effects(p, new_cap, ramp_values)
    luxury_spending = luxury.spending(p, luxury_share, ramp_values)
    net = revenue - fuel.spending - luxury_spending
    return {
        "Revenue|Metal Exports": revenue,
        "Fuel|Refined Petroleum|Additional Legal Imports": fuel.additional_legal_imports,
        "Fuel|Refined Petroleum|Net Additional Supply": fuel.net_additional_supply,
        "Expenditure|Fuel Imports": fuel.spending,
        "Expenditure|Luxury Imports": luxury_spending,
        "Hard Currency|Net": net,
        "Fuel|Refined Petroleum|Smuggled Imports Replaced": fuel.smuggled_replaced,
        "Fuel|Refined Petroleum|Net Additional Supply (Mass)": fuel.net_additional_tonnes,
        "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports": 100.0 * fuel.supply_share_of_pre_sanction,
        "Revenue|Metal Exports|Share of Total Exports": 100.0 * revenue / p["context.total_exports"],
        "Hard Currency|Net|Share of GDP": 100.0 * net / p["context.gdp"],
    }
