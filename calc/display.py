"""How results are shown to people: labels, display units and number formats, and the comparison tables that
the command line prints and the report renders. No heavy imports at module level (``--help`` uses the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: Rows of the comparison tables: variable, label (with display unit), divisor to that unit, number format.
ROWS = (
    ("Revenue|Metal Exports", "Metal export revenue (USD M/yr)", 1e6, ",.1f"),
    ("Expenditure|Fuel Imports", "Fuel import spending (USD M/yr)", 1e6, ",.1f"),
    ("Expenditure|Luxury Imports", "Luxury import spending (USD M/yr)", 1e6, ",.1f"),
    ("Hard Currency|Net", "Net hard currency (USD M/yr)", 1e6, ",.1f"),
    ("Hard Currency|Net|Share of GDP", "Net hard currency (% of GDP)", 1, ",.2f"),
    ("Revenue|Metal Exports|Share of Total Exports", "Metal revenue (% of total exports)", 1, ",.1f"),
    ("Fuel|Refined Petroleum|Additional Legal Imports", "Added legal fuel imports (bbl/yr)", 1, ",.0f"),
    ("Fuel|Refined Petroleum|Smuggled Imports Replaced", "Smuggled fuel replaced (bbl/yr)", 1, ",.0f"),
    ("Fuel|Refined Petroleum|Net Additional Supply", "Net added fuel supply (bbl/yr)", 1, ",.0f"),
    ("Fuel|Refined Petroleum|Net Additional Supply (Mass)", "Net added fuel supply (t/yr)", 1, ",.0f"),
    (
        "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports",
        "Fuel supply (% of pre-sanction)",
        1,
        ",.1f",
    ),
)
LABELS = {variable: (label, divisor, spec) for variable, label, divisor, spec in ROWS}
SOURCE_LINE = "Baselines: Stangarone, KEI 2021; ranges: see assumptions"
COMPARISON_HEADING = (
    "Effect of each scenario against the status quo, per year once in full effect (last year shown); "
    "totals over the years shown."
)


def name_and_unit(variable: str) -> tuple[str, str]:
    """("Net hard currency", "USD M/yr") from the label "Net hard currency (USD M/yr)"."""
    name, _, unit = LABELS[variable][0].partition(" (")
    return name, unit.rstrip(")")


def number(value: float, spec: str) -> str:
    """``value`` formatted with ``spec``, never as "-0.0"."""
    text = format(value, spec)
    return text[1:] if text.startswith("-") and text.strip("-0.,") == "" else text


def shown(variable: str, value: float) -> str:
    """``value`` of ``variable`` in its display unit, formatted."""
    _, divisor, spec = LABELS[variable]
    return number(value / divisor, spec)


def comparison(frame: pd.DataFrame) -> pd.DataFrame:
    """The steady-state yearly effect of each scenario side by side (text cells), with totals and present
    values of net hard currency, and the years covered."""
    import pandas as pd

    from calc.engine import summary

    table = summary(frame)
    columns = list(dict.fromkeys(table["scenario"]))
    rows = {}
    for variable, label, _, _ in ROWS:
        values = table[table["variable"] == variable].set_index("scenario")["steady_state"]
        rows[label] = [shown(variable, values[name]) for name in columns]
    net = table[table["variable"] == "Hard Currency|Net"].set_index("scenario")
    years = frame.groupby("scenario", sort=False)["year"].agg(["min", "max"])
    rows["Net hard currency, total (USD M)"] = [number(net["total"][name] / 1e6, ",.1f") for name in columns]
    rows["Net hard currency, present value (USD M)"] = [
        number(net["present_value"][name] / 1e6, ",.1f") for name in columns
    ]
    rows["Years"] = [f"{years['min'][name]}-{years['max'][name]}" for name in columns]
    return pd.DataFrame(rows, index=columns).T


def quantiles(frame: pd.DataFrame) -> list[tuple[str, int, pd.DataFrame]]:
    """Per scenario of a Monte Carlo frame: its name, its last year, and the quantiles of every variable in that
    year (text cells; columns p5, p50, ...)."""
    import pandas as pd

    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    blocks = []
    for scenario, group in last.groupby("scenario", sort=False):
        wide = group.pivot_table(index="variable", columns="quantile", values="value", sort=False)
        rows = {label: [shown(variable, wide.loc[variable, q]) for q in wide.columns] for variable, label, _, _ in ROWS}
        table = pd.DataFrame(rows, index=[f"p{100 * q:g}" for q in wide.columns]).T
        blocks.append((scenario, int(group["year"].iloc[0]), table))
    return blocks


def montecarlo_heading(frame: pd.DataFrame) -> str:
    record = frame.attrs.get("sanctions_relief", {}).get("montecarlo", {})
    return (
        f"Monte Carlo: {record.get('n', 0):,} draws ({record.get('sampler', '?')}, seed {record.get('seed', '?')}); "
        "quantiles of the effect in the last year shown."
    )
