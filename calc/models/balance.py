"""The balance: what the North can afford of the imports relief unlocks, parents as sums of their children, the
net as a difference, and shares of a denominator (docs/explanation/model.md)::

    Revenue               = the sum of every Revenue|<area>   (the hard currency earned)
    Imports Unlocked      = the sum of every Imports Unlocked|<area>   (before the budget)
    Expenditure           = the sum of every Expenditure|<area>   (bought, after the budget)
    Hard Currency|Net     = Revenue - Expenditure   (never below minus O: see bought_share)
    Share of GDP|Revenue  = 100 x Revenue / gdp   (per cent; likewise the other shares; that of 2016's exports
                            counts the goods areas only, services being outside them)
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

import numpy as np

from calc.models import Values


def bought_share(revenue: Values, wanted: Values, other: Values, first: Values = 0.0) -> np.ndarray:
    """Share s of the unlocked imports the North can pay for, with W the spending they want, R the new earnings
    (Revenue), O = other_hard_currency, the hard currency it could divert from other sources, and F the part of W
    bought first, whatever the budget (legal fuel that replaces dearer smuggled fuel: a saving, F < 0)::

        s = 1                              while W <= R + O
        s = max(R + O - F, 0) / (W - F)    beyond: the same share of every import bought after F
                                           (a proportional cut)

    >>> bought_share(np.array([100.0, 100.0]), np.array([150.0, 400.0]), 100.0).tolist()
    [1.0, 0.5]

    Saving 50 on fuel first leaves 250 for 450 of other imports: 5/9 of them.

    >>> round(float(bought_share(100.0, 400.0, 100.0, first=-50.0)), 4)
    0.5556
    """
    available = np.asarray(revenue) + other - first
    wanted = np.asarray(wanted) - first
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # the branch np.where does not take
        return np.where(wanted > available, np.maximum(available, 0.0) / wanted, 1.0)


def complete(
    values: MutableMapping[str, Values],
    sums: Sequence[tuple[str, Sequence[str]]],
    differences: Sequence[tuple[str, str, str]],
    shares: Sequence[tuple[str, Sequence[str], str]],
    p: Mapping[str, Values],
) -> None:
    """Add to ``values``: each parent of ``sums`` (children first: deepest parents come first), each
    ``(name, minuend, subtrahend)`` difference, and each ``(name, numerators, denominator parameter)`` share in per
    cent (of the numerators' sum).

    Earnings of 300 and 100 sum to 400; less 150 spent, 250 is left, 25 % of a denominator of 1,000:

    >>> values = {"Revenue|A": 300.0, "Revenue|B": 100.0, "Expenditure|C": 150.0}
    >>> complete(values, [("Revenue", ["Revenue|A", "Revenue|B"]), ("Expenditure", ["Expenditure|C"])],
    ...          [("Net", "Revenue", "Expenditure")], [("Share of GDP|Net", ["Net"], "gdp")], {"gdp": 1000.0})
    >>> [values[name].tolist() for name in ("Revenue", "Expenditure", "Net", "Share of GDP|Net")]
    [[400.0], [150.0], [250.0], [25.0]]
    """
    for parent, children in sums:
        values[parent] = sum((np.asarray(values[child]) for child in children), start=np.zeros(1))
    for name, plus, minus in differences:
        values[name] = np.asarray(values[plus]) - values[minus]
    for name, numerators, denominator in shares:
        total = sum((np.asarray(values[numerator]) for numerator in numerators), start=np.zeros(1))
        values[name] = 100.0 * total / p[denominator]
