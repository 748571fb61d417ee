"""Export earnings: hard currency from exports a ban now stops (metals, coal, seafood, textiles, workers, ...)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def revenue(q: Mapping[str, ArrayLike], share: ArrayLike, ramp: np.ndarray, cap: ArrayLike | None = None) -> dict:
    """Additional revenue in USD/yr, as ``{"revenue": array}``.

    potential = pre-sanction exports x capacity share x price index; gross = share x potential, or with a cap
    (USD/yr) min(potential, cap); revenue = gross x net foreign-exchange share x (1 - evading) x ramp, where the
    share already evading the ban is min(1, already smuggled share + smuggled exports / pre-sanction exports):
    exports that only legalise trade already smuggled earn nothing new (README, "The model").
    """
    pre = np.asarray(q["pre_sanction_exports"])
    potential = pre * q["capacity_share"] * q["price_index"]
    gross = share * potential if cap is None else np.minimum(potential, cap)
    smuggled = np.asarray(q["smuggled_exports"])
    # a zero baseline earns nothing whatever it evades: its ratio is left at 0; a vast one saturates at 1
    with np.errstate(over="ignore"):
        ratio = np.divide(smuggled, pre, out=np.zeros(np.broadcast_shapes(smuggled.shape, pre.shape)), where=pre > 0)
    evading = np.minimum(1.0, q["already_smuggled_share"] + ratio)
    return {"revenue": gross * q["net_foreign_exchange_share"] * (1.0 - evading) * ramp}
