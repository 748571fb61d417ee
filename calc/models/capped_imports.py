"""Capped imports: fuel that a higher cap lets in, net of the smuggled fuel it replaces (refined petroleum under
UNSCR 2375 and 2397; crude oil under 2397)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def effects(q: Mapping[str, ArrayLike], new_cap: ArrayLike, ramp: np.ndarray) -> dict[str, np.ndarray]:
    """Effects of moving the legal cap from C0 to ``new_cap`` (C1, bbl/yr; pass D for "cap lifted").

    With D the pre-sanction imports (no cap lets imports exceed them; for crude, the pipeline), I0 the smuggled
    volume, d the share of added legal volume that replaces smuggling, P the price, pi the smuggling premium and
    h the share paid in hard currency (README, "The model"):
      added    dL = (min(C1, D) - min(C0, D)) x ramp
      replaced r  = min(I0, d x dL)    (a tightening, dL < 0, gives r = d x dL < 0: smuggling rises)
      net supply dS = dL - r;  spending = (dL x P - r x P x (1 + pi)) x h;  tonnes = dS / (bbl per tonne)
      supply share = (min(C0, D) + I0 + dS) / D
    """
    demand = np.asarray(q["pre_sanction_imports"])
    illicit = np.asarray(q["illicit_imports"])
    price = np.asarray(q["price"])
    status_quo_legal = np.minimum(q["legal_cap"], demand)
    added = (np.minimum(new_cap, demand) - status_quo_legal) * ramp
    replaced = np.minimum(illicit, q["displacement_share"] * added)
    net = added - replaced
    spending = (added * price - replaced * price * (1.0 + np.asarray(q["smuggling_premium"]))) * q[
        "hard_currency_share"
    ]
    return {
        "added": added,
        "replaced": replaced,
        "net_supply": net,
        "spending": spending,
        "tonnes": net / q["bbl_per_tonne"],
        "supply_share": 100.0 * (status_quo_legal + illicit + net) / demand,
    }
