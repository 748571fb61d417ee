"""Metal exports: additional hard currency if the export bans of UNSCR 2270, 2321 and 2371 are eased."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def revenue(p: Mapping[str, ArrayLike], metals_share: float, ramp: np.ndarray) -> np.ndarray:
    """``Revenue|Metal Exports`` in USD/yr.

    pre-sanction exports (Stangarone 2021: about USD 220 M a year) x share permitted x capacity share
    x price index x (1 - share already smuggled) x ramp (DESIGN.md, Model).
    """
    return (
        np.asarray(p["metals.pre_sanction_exports"])
        * metals_share
        * p["metals.capacity_share"]
        * p["metals.price_index"]
        * (1.0 - np.asarray(p["metals.already_smuggled_share"]))
        * ramp
    )
