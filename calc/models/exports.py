"""Export earnings: hard currency from exports a ban now stops (metals, coal, seafood, textiles, workers, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calc.models import Values


def revenue(
    q: Mapping[str, Values], share: Values, ramp: np.ndarray, cap: Values | None = None
) -> dict[str, np.ndarray]:
    """The hard currency an export area earns once its ban is eased, in USD/yr.

    Trade that evades the ban today goes on earning whatever happens, so legal exports first displace it and only
    what exceeds it is new. Smuggled exports are stated on the basis of the pre-sanction exports (their volume at
    the pre-sanction unit value), so the price index re-prices both alike. With the parameters of the area (its
    roles) and ``share`` the share of the ban lifted (docs/explanation/model.md)::

        potential = pre_sanction_exports x capacity_share x price_index
        legal     = share x potential x ramp
                    (with a cap instead of a share: min(potential, cap) x ramp)
        evading   = (smuggled_exports + already_smuggled_share x pre_sanction_exports)
                    x price_index
        revenue   = max(0, legal - evading) x net_foreign_exchange_share

    A cap in t/yr becomes money at unit_value x price_index. For metals, with nothing smuggled centrally, this is
    the article's pre_sanction_exports x metals_share x capacity_share x price_index x ramp.

    Returns ``{"revenue": array}``; ``cap``, when given, replaces the share.

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
