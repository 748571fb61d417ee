"""Refined petroleum: fuel a higher cap (UNSCR 2375: 2 M bbl/yr; 2397: 500,000) lets in, net of smuggling."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike


class FuelEffects(NamedTuple):
    """Differences from the status quo, per year (volumes in bbl/yr, money in USD/yr)."""

    additional_legal_imports: np.ndarray
    smuggled_replaced: np.ndarray
    net_additional_supply: np.ndarray
    spending: np.ndarray
    net_additional_tonnes: np.ndarray
    supply_share_of_pre_sanction: np.ndarray


def effects(p: Mapping[str, ArrayLike], new_cap: ArrayLike, ramp: np.ndarray) -> FuelEffects:
    """Fuel effects of moving the legal cap from C0 to ``new_cap`` (C1; pass D for "cap lifted").

    With D the pre-sanction imports (no cap lets imports exceed them), I0 the smuggled volume, d the share of
    added legal volume that replaces smuggling, P the price and pi the smuggling premium (DESIGN.md, Model):
      dL = (min(C1, D) - min(C0, D)) x ramp
      r  = min(I0, d x dL)    (a tightening, dL < 0, gives r = d x dL < 0: smuggling rises)
      dS = dL - r;  spending = dL x P - r x P x (1 + pi);  tonnes = dS / (bbl per tonne)
      total supply / D = (min(C0, D) + I0 + dS) / D
    """
    legal_cap = np.asarray(p["petroleum.legal_cap"])
    demand = np.asarray(p["petroleum.pre_sanction_imports"])
    illicit = np.asarray(p["petroleum.illicit_imports"])
    price = np.asarray(p["petroleum.price"])
    status_quo_legal = np.minimum(legal_cap, demand)
    added = (np.minimum(new_cap, demand) - status_quo_legal) * ramp
    replaced = np.minimum(illicit, p["petroleum.displacement_share"] * added)
    net = added - replaced
    spending = added * price - replaced * price * (1.0 + np.asarray(p["petroleum.smuggling_premium"]))
    tonnes = net / p["petroleum.bbl_per_tonne"]
    supply_share = (status_quo_legal + illicit + net) / demand
    return FuelEffects(added, replaced, net, spending, tonnes, supply_share)
