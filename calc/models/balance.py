"""The balance: what the North can afford of the imports relief unlocks, parents as sums of their children, the
net as a difference, and shares of a denominator (docs/explanation/model.md)::

    Revenue               = the sum of every Revenue|<area>   (the hard currency earned)
    Imports Unlocked      = the sum of every Imports Unlocked|<area>   (before the budget)
    Expenditure           = the sum of every Expenditure|<area>   (bought, after the budget)
    Hard Currency|Net     = Revenue - Expenditure   (never below minus O: see bought_share)
    Share of GDP|Revenue  = 100 x Revenue / gdp   (per cent; likewise the other shares)
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

import numpy as np

from calc.models import Values


def bought_share(revenue: Values, wanted: Values, other: Values) -> np.ndarray:
    """Share s of the unlocked imports the North can pay for, with W the spending they want, R the new earnings
    (Revenue) and O = other_hard_currency, the hard currency it could divert from other sources::

        s = 1                    while W <= R + O
        s = max(R + O, 0) / W    beyond: the same share of every import area
                                 (a proportional cut)

    >>> bought_share(np.array([100.0, 100.0]), np.array([150.0, 400.0]), 100.0).tolist()
    [1.0, 0.5]
    """
    available = np.asarray(revenue) + other
    wanted = np.asarray(wanted)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # the branch np.where does not take
        return np.where(wanted > available, np.maximum(available, 0.0) / wanted, 1.0)


def complete(
    values: MutableMapping[str, Values],
    sums: Sequence[tuple[str, Sequence[str]]],
    differences: Sequence[tuple[str, str, str]],
    shares: Sequence[tuple[str, str, str]],
    p: Mapping[str, Values],
) -> None:
    """Add to ``values``: each parent of ``sums`` (children first: deepest parents come first), each
    ``(name, minuend, subtrahend)`` difference, and each ``(name, numerator, denominator parameter)`` share in per
    cent.

    Earnings of 300 and 100 sum to 400; less 150 spent, 250 is left, 25 % of a denominator of 1,000:

    >>> values = {"Revenue|A": 300.0, "Revenue|B": 100.0, "Expenditure|C": 150.0}
    >>> complete(values, [("Revenue", ["Revenue|A", "Revenue|B"]), ("Expenditure", ["Expenditure|C"])],
    ...          [("Net", "Revenue", "Expenditure")], [("Share of GDP|Net", "Net", "gdp")], {"gdp": 1000.0})
    >>> [values[name].tolist() for name in ("Revenue", "Expenditure", "Net", "Share of GDP|Net")]
    [[400.0], [150.0], [250.0], [25.0]]
    """
    for parent, children in sums:
        values[parent] = sum((np.asarray(values[child]) for child in children), start=np.zeros(1))
    for name, plus, minus in differences:
        values[name] = np.asarray(values[plus]) - values[minus]
    for name, numerator, denominator in shares:
        values[name] = 100.0 * np.asarray(values[numerator]) / p[denominator]
