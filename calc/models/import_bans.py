"""Import bans: hard currency spent on imports a ban now blocks (luxury goods under UNSCR 1718; capital goods
under 2397)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calc.models import Values


def spending(q: Mapping[str, Values], share: Values, ramp: np.ndarray, bought: Values = 1.0) -> dict[str, np.ndarray]:
    """The imports an eased ban lets the North buy, in USD/yr: what lifting share ``share`` of the ban unlocks, and
    what the North buys of it, share ``bought`` (what its budget allows).

    The ban blocks share b = blocked_share of demand D. An area gives D directly (pre_sanction_imports) or the
    imports still observed under the ban (observed_imports), the unblocked rest (docs/explanation/model.md)::

        D        = pre_sanction_imports, or observed_imports / (1 - b)
        unlocked = share x D x b x ramp
        spending = unlocked x bought

    For luxury goods, which give the observed imports, the blocked imports are observed_imports x b / (1 - b).

    Returns ``{"unlocked": array, "spending": array}``.

    >>> float(spending({"observed_imports": 90.0, "blocked_share": 0.1}, 1.0, np.ones(1))["spending"][0])
    10.0
    """
    blocked = np.asarray(q["blocked_share"])
    demand = q["pre_sanction_imports"] if "pre_sanction_imports" in q else q["observed_imports"] / (1.0 - blocked)
    unlocked = share * np.asarray(demand) * blocked * ramp
    return {"unlocked": unlocked, "spending": unlocked * bought}
