"""Luxury goods: hard currency spent on imports that the ban of UNSCR 1718 (2006) now blocks."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike


def spending(p: Mapping[str, ArrayLike], luxury_share: float, ramp: np.ndarray) -> np.ndarray:
    """``Expenditure|Luxury Imports`` in USD/yr.

    The ban blocks share b of demand and observed imports are the unblocked rest, so the blocked imports are
    observed x b / (1 - b); lifting share s of the ban adds s x observed x b / (1 - b) x ramp (DESIGN.md, Model).
    """
    blocked = np.asarray(p["luxury.blocked_share"])
    return luxury_share * np.asarray(p["luxury.observed_imports"]) * blocked / (1.0 - blocked) * ramp
