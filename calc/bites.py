"""Each resolution's bite: what lifting it would give the North, alone and as it was adopted, beside the revenue
cut the Security Council members published when it passed (``calc.resolutions``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from calc.assumptions import Assumptions
from calc.engine import checked_assumptions, run
from calc.resolution import shipped_law
from calc.scenario import Scenario
from calc.variables import REVENUE, catalogue

COLUMNS = (
    "resolution",
    "adopted",
    "measures",
    "revenue_alone",
    "revenue_peeled",
    "revenue_alone_gross",
    "revenue_peeled_gross",
    "fuel_alone",
    "fuel_peeled",
    "official_revenue",
    "official_source",
)
LEGAL_FUEL = "|Additional Legal Imports"


def gross(assumptions: Assumptions) -> Assumptions:
    """``assumptions`` with nothing evading the export bans and all export earnings counted as foreign exchange:
    the basis of the estimates published at adoption (made before evasion, on gross export values)."""
    changes: dict[str, float | str] = {}
    for area in assumptions.areas:
        if "smuggled_exports" in area.kind.roles:
            changes |= {f"{area.name}.smuggled_exports": "0 USD/yr", f"{area.name}.already_smuggled_share": 0.0}
            changes[f"{area.name}.net_foreign_exchange_share"] = 1.0
    return assumptions.override(changes, origin="gross: before evasion and net foreign exchange")


def resolutions(assumptions: Assumptions | str | Path | None = None) -> pd.DataFrame:
    """One row per resolution with a trade measure, in order of adoption: its measures, the hard currency earned
    (USD/yr) and the legal fuel unlocked (bbl/yr, refined and crude) in the steady state when it alone is lifted
    (``_alone``) and when it is lifted after every later resolution (``_peeled``: what it added when it was
    adopted), net and gross (``_gross``: before the deductions for evasion and net foreign exchange, the basis of
    the official estimates), and the revenue cut published at adoption (``official_revenue``, NaN where none was)
    with its source. ``attrs["gross_by_area"]`` splits each gross bite as adopted by area (area name to USD/yr,
    the areas it reaches), to say what an official estimate may have left out."""
    used = checked_assumptions(assumptions)
    revenues = {v.name: v.area for v in catalogue(used.areas).variables.values() if v.area and v.sign > 0}
    law = shipped_law()
    names = law.accepted()
    # each resolution alone, lifted with every later one, and every later one without it: the last of one is the
    # second of the next, so each distinct lift is run once
    lifts = dict.fromkeys(
        tuple(lift) for index, name in enumerate(names) for lift in ([name], names[index:], names[index + 1 :])
    )
    scenarios = {lift: Scenario(name=" ".join(lift) or "none", lift=list(lift), horizon=1) for lift in lifts}
    measured = {}
    for basis, assumption_set in (("", used), ("_gross", gross(used))):
        frame = run(list(scenarios.values()), assumptions=assumption_set)
        earned = frame[frame["variable"] == REVENUE].set_index("scenario")["value"]
        by_area = frame[frame["variable"].isin(revenues)].pivot(index="scenario", columns="variable", values="value")
        fuel = frame[frame["variable"].str.endswith(LEGAL_FUEL)].groupby("scenario")["value"].sum()
        for lift, scenario in scenarios.items():
            measured[(lift, "revenue" + basis)] = earned[scenario.name]
            measured[(lift, "fuel" + basis)] = fuel[scenario.name]
            measured[(lift, "areas" + basis)] = by_area.loc[scenario.name].rename(revenues)

    def added(name: str, what: str) -> Any:
        """What lifting ``name`` after every later resolution adds (a number, or a Series by area)."""
        index = names.index(name)
        return measured[(tuple(names[index:]), what)] - measured[(tuple(names[index + 1 :]), what)]

    rows = []
    for name in names:
        resolution = law.resolutions[name]
        rows.append(
            {
                "resolution": name,
                "adopted": resolution.adopted.isoformat(),
                "measures": resolution.described,
                "revenue_alone": measured[((name,), "revenue")],
                "revenue_peeled": added(name, "revenue"),
                "revenue_alone_gross": measured[((name,), "revenue_gross")],
                "revenue_peeled_gross": added(name, "revenue_gross"),
                "fuel_alone": measured[((name,), "fuel")],
                "fuel_peeled": added(name, "fuel"),
                "official_revenue": np.nan if resolution.official_revenue is None else resolution.official_revenue,
                "official_source": resolution.official_source,
            }
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table.attrs["gross_by_area"] = {
        name: {area: value for area, value in added(name, "areas_gross").items() if value} for name in names
    }
    return table
