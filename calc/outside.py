"""What the DPRK earns outside the sanctions (cyber theft, arms and troops for Russia), as a sourced table: context
to set beside relief, never summed into it (``calc.context``)."""

from __future__ import annotations

import pandas as pd

from calc.errors import InputError
from calc.files import read_toml, shipped_folder

ILLICIT = ("context", "illicit-revenue.toml")
KEYS = ("item", "period", "low", "high", "unit", "source")
#: The units an item may be in (a total or a yearly flow in US dollars, or a total in won as a source reported it: no
#: exchange rate is applied), each with how it is shown: divisor, unit shown, and over what.
SHOWN = {"USD/yr": (1e9, "USD bn", "a year"), "USD": (1e9, "USD bn", "in all"), "KRW": (1e12, "KRW tn", "in all")}
UNITS = tuple(SHOWN)


def context() -> pd.DataFrame:
    """One row per published figure of what the DPRK earns outside the sanctions: ``item, period, low, high, unit,
    source`` (low = high where one figure was published). Context only: it is not relief and no result adds it."""
    path = shipped_folder().joinpath(*ILLICIT)
    rows = []
    for position, item in enumerate(read_toml(path).get("items", [])):
        field = f"{path}: items[{position}]"
        if not isinstance(item, dict) or sorted(item) != sorted(KEYS):
            raise InputError(f"{field}: expected the keys {', '.join(KEYS)}")
        if item["unit"] not in UNITS:
            raise InputError(
                f"{field}: unit {item['unit']!r}; accepted: {', '.join(UNITS)} (a total, a yearly flow, or a total in "
                "won)"
            )
        if not 0 <= item["low"] <= item["high"]:
            raise InputError(f"{field}: expected 0 <= low <= high, got {item['low']} and {item['high']}")
        rows.append({key: item[key] for key in KEYS})
    return pd.DataFrame(rows, columns=list(KEYS))
