"""The models: pure functions on numpy arrays, with no I/O and no pandas.

One module per kind of area (``exports``, ``capped_imports``, ``import_bans``) and the ``balance`` that sums
them. Each formula takes the parameters of one area as a mapping of role name (``price``, ``legal_cap``, ...) to a
number or an array in the units of ``calc.kinds``; a column of Monte Carlo draws (shape n x 1) against a row of
ramp values (one per year) broadcasts to draws x years with the same code.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

#: What a formula takes and computes with: a number, or an array of them that broadcasts as above.
Values: TypeAlias = np.ndarray | float


def ramp(horizon: int, ramp_years: int) -> np.ndarray:
    """Share of the full effect in year k = 0 .. horizon-1: 1 if ramp_years = 0, else min(1, (k+1)/ramp_years).

    Over two years: half the effect in the first year (1/2), all of it from the second (2/2) on; no ramp, all of it
    from the start:

    >>> ramp(4, 2).tolist()
    [0.5, 1.0, 1.0, 1.0]
    >>> ramp(3, 0).tolist()
    [1.0, 1.0, 1.0]
    """
    return ramp_at(np.arange(horizon), ramp_years)


def ramp_at(k: np.ndarray, ramp_years: int) -> np.ndarray:
    """Share of the full effect k years after relief began (k = 0 in its first year), as ``ramp``.

    A package step that begins in year 3 of the horizon ramps over four years from there: in years 3 .. 7, k = 0 .. 4
    and the share is 1/4, 2/4, 3/4, then 1:

    >>> years = np.arange(3, 8)
    >>> ramp_at(years - 3, 4).tolist()
    [0.25, 0.5, 0.75, 1.0, 1.0]
    >>> ramp_at(years - 3, 0).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    if ramp_years == 0:
        return np.ones(np.shape(k))
    return np.minimum(1.0, (np.asarray(k) + 1.0) / ramp_years)
