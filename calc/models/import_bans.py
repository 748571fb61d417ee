"""Import bans: hard currency spent on imports a ban now blocks (luxury goods under UNSCR 1718; capital goods
under 2397)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def spending(q: Mapping[str, ArrayLike], share: ArrayLike, ramp: np.ndarray) -> dict[str, np.ndarray]:
    """Additional imports in USD/yr, as ``{"spending": array}``: share lifted x D x b x ramp.

    The ban blocks share b of demand D. An area gives D directly (``pre_sanction_imports``) or the imports still
    observed under the ban, the unblocked rest, so that D = observed / (1 - b) and the blocked imports are
    observed x b / (1 - b) (README, "The model").
    """
    blocked = np.asarray(q["blocked_share"])
    demand = q["pre_sanction_imports"] if "pre_sanction_imports" in q else q["observed_imports"] / (1.0 - blocked)
    return {"spending": share * np.asarray(demand) * blocked * ramp}
