"""The check against history: the export areas' pre-sanction earnings together, beside the DPRK's exports in
2016 and their fall to 2018 once the measures of 2016-2017 were in force (KOTRA)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from calc.assumptions import Assumptions, load_assumptions
from calc.engine import roles

#: The export areas together must lie within these shares of 2016 exports. Above 1 would count some exports
#: twice (they cannot exceed total exports: the double-counting rule); below 0.9 would contradict the US
#: ambassador's statement that over 90 % of publicly reported exports were banned.
BOUNDS = (0.9, 1.0)
EXPORTS = "context.total_exports"
LATER = "context.exports_2018"


def history_check(assumptions: Assumptions | str | Path | None = None) -> pd.DataFrame:
    """One row per goods-export area (its pre-sanction exports: low, central, high, year, source, and the central
    value at the prices of ``assumptions``, ``repriced``), their sum, 2016 exports, the fall from 2016 to 2018, and
    the sum as a share of each (per cent, central values).

    ``attrs["within_bounds"]`` says whether the central sum lies within ``BOUNDS`` of 2016 exports;
    ``attrs["ceiling"]`` is 2016 exports re-priced (USD/yr): every export re-priced as the areas are on average, so
    that no scenario's goods-export revenue can pass it unless some export is counted twice.
    """
    used = assumptions if isinstance(assumptions, Assumptions) else load_assumptions(assumptions)
    ranges, central = used.ranges(), used.central()
    rows = []
    for area in used.areas:
        if area.goods_exports:
            name = f"{area.name}.pre_sanction_exports"
            low, value, high = ranges[name]
            index = float(roles(area, central)["price_index"])  # the kind's neutral 1.0 where the area gives none
            rows.append(_row(area.title, low, value, high, "USD/yr", used[name].year, used[name].source, value * index))
    low_sum, central_sum, high_sum, repriced_sum = (
        sum(row[key] for row in rows) for key in ("low", "value", "high", "repriced")
    )
    exports, later = ranges[EXPORTS], ranges[LATER]
    fall = (exports[0] - later[2], exports[1] - later[1], exports[2] - later[0])
    ceiling = exports[1] * repriced_sum / central_sum if central_sum else exports[1]
    rows.append(
        _row(
            "Export areas together",
            low_sum,
            central_sum,
            high_sum,
            "USD/yr",
            None,
            "sum of the rows above",
            repriced_sum,
        )
    )
    rows.append(_row("Total exports, 2016", *exports, "USD/yr", used[EXPORTS].year, used[EXPORTS].source, ceiling))
    rows.append(_row("Fall in exports, 2016-2018", *fall, "USD/yr", used[LATER].year, used[LATER].source))
    for label, denominator in (("2016 exports", exports[1]), ("the fall 2016-2018", fall[1])):
        share = 100.0 * central_sum / denominator
        rows.append(_row(f"Export areas as a share of {label}", share, share, share, "%", None, "central values"))
    table = pd.DataFrame(rows)
    low, high = BOUNDS
    table.attrs["within_bounds"] = bool(low * exports[1] <= central_sum <= high * exports[1])
    table.attrs["ceiling"] = ceiling
    return table


def _row(
    item: str,
    low: float,
    value: float,
    high: float,
    unit: str,
    year: int | None,
    source: str,
    repriced: float = float("nan"),
) -> dict[str, Any]:
    return {
        "item": item,
        "low": low,
        "value": value,
        "high": high,
        "unit": unit,
        "year": year,
        "source": source,
        "repriced": repriced,
    }
