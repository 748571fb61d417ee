"""The balance: parents as sums of their children, the net as a difference, and shares of a denominator."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

import numpy as np
from numpy.typing import ArrayLike


def complete(
    values: MutableMapping[str, ArrayLike],
    sums: Sequence[tuple[str, Sequence[str]]],
    differences: Sequence[tuple[str, str, str]],
    shares: Sequence[tuple[str, str, str]],
    p: Mapping[str, ArrayLike],
) -> None:
    """Add to ``values``: each parent of ``sums`` (children first: deepest parents come first), each
    ``(name, minuend, subtrahend)`` difference, and each ``(name, numerator, denominator parameter)`` share in per
    cent."""
    for parent, children in sums:
        values[parent] = sum((np.asarray(values[child]) for child in children), start=np.zeros(1))
    for name, plus, minus in differences:
        values[name] = np.asarray(values[plus]) - values[minus]
    for name, numerator, denominator in shares:
        values[name] = 100.0 * np.asarray(values[numerator]) / p[denominator]
