"""Export earnings: hard currency from exports a ban now stops (metals, coal, seafood, textiles, workers, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calc.models import Values


def revenue(
    q: Mapping[str, Values], share: Values, ramp: np.ndarray, cap: Values | None = None
) -> dict[str, np.ndarray]:
    """The hard currency an export area earns once its ban is eased, in USD/yr.

    Trade that evades the ban today goes on, and legal trade displaces it only where the two together would exceed
    what the North can produce and sell (its potential): a cap or a part lifted that leaves room beside the smuggled
    trade earns in full, and only a lift that fills the potential replaces what is smuggled. Smuggled exports are
    stated on the basis of the pre-sanction exports (their volume at the pre-sanction unit value), so the price
    index re-prices both alike. With the parameters of the area (its roles) and ``share`` the share of the ban
    lifted (docs/explanation/model.md)::

        potential = pre_sanction_exports x capacity_share x price_index
        legal     = share x potential x ramp
                    (with a cap instead of a share: min(potential, cap) x ramp)
        evading   = (smuggled_exports + already_smuggled_share x pre_sanction_exports)
                    x price_index
        displaced = max(0, legal + evading - potential)
        revenue   = max(0, legal - displaced) x net_foreign_exchange_share

    A cap in t/yr becomes money at unit_value x price_index. For metals, with nothing smuggled centrally, this is
    the article's pre_sanction_exports x metals_share x capacity_share x price_index x ramp.

    Returns ``{"revenue": array}``; ``cap``, when given, replaces the share.

    Half of a ban of 1,000 lifted, beside 300 smuggled: 500 legal and 300 smuggled stay within the potential of
    1,000, so nothing is displaced, and half of the 500 is net foreign exchange; the whole ban lifted displaces the
    300, leaving 700:

    >>> q = {"pre_sanction_exports": 1000.0, "capacity_share": 1.0, "price_index": 1.0,
    ...      "net_foreign_exchange_share": 0.5, "already_smuggled_share": 0.0, "smuggled_exports": 300.0}
    >>> float(revenue(q, 0.5, np.ones(1))["revenue"][0]), float(revenue(q, 1.0, np.ones(1))["revenue"][0])
    (250.0, 350.0)
    """
    pre = np.asarray(q["pre_sanction_exports"])
    potential = pre * q["capacity_share"] * q["price_index"]
    legal = (share * potential if cap is None else np.minimum(potential, cap)) * ramp
    evading = (np.asarray(q["smuggled_exports"]) + q["already_smuggled_share"] * pre) * q["price_index"]
    # legal - displaced, written as the smaller of legal and the room evasion leaves: exactly monotone in the lever
    return {"revenue": np.maximum(0.0, np.minimum(legal, potential - evading)) * q["net_foreign_exchange_share"]}
