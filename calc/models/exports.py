"""Export earnings: hard currency from exports a ban now stops (metals, coal, seafood, textiles, workers, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calc.models import Values


def revenue(
    q: Mapping[str, Values], share: Values, ramp: np.ndarray, cap: Values | None = None
) -> dict[str, np.ndarray]:
    """Additional revenue in USD/yr, as ``{"revenue": array}``.

    potential = pre-sanction exports x capacity share x price index; legal exports = share x potential (or, with a
    cap in USD/yr, min(potential, cap)) x ramp. Trade that evades the ban today goes on earning whatever happens, so
    legal exports first displace it and only what exceeds it is new:
      evading = (smuggled exports + already smuggled share x pre-sanction exports) x price index
      revenue = max(0, legal exports - evading) x net foreign-exchange share
    Smuggled exports are stated on the basis of the pre-sanction exports (their volume at the pre-sanction unit
    value), so the price index re-prices both alike (README, "The model").

    >>> float(revenue({"pre_sanction_exports": 1000.0, "capacity_share": 1.0, "price_index": 1.0,
    ...     "net_foreign_exchange_share": 0.5, "already_smuggled_share": 0.0, "smuggled_exports": 300.0},
    ...     0.5, np.ones(1))["revenue"][0])
    100.0
    """
    pre = np.asarray(q["pre_sanction_exports"])
    potential = pre * q["capacity_share"] * q["price_index"]
    legal = (share * potential if cap is None else np.minimum(potential, cap)) * ramp
    evading = (np.asarray(q["smuggled_exports"]) + q["already_smuggled_share"] * pre) * q["price_index"]
    return {"revenue": np.maximum(0.0, legal - evading) * q["net_foreign_exchange_share"]}
