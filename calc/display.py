"""How results are shown to people: which variables a table shows, with their labels, display units and number
formats (all read from the variables' own declarations), and the tables the command line prints and the report
renders."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from calc.area import Area, declare, shipped_areas
from calc.assumptions import Assumptions
from calc.engine import roles
from calc.frame import world_model
from calc.history import history_check
from calc.kinds import Cap, Variable
from calc.presentation import SHOWN, shown_as
from calc.record import recorded, worlds_of
from calc.resolution import shipped_law
from calc.scenario import Package, Plan, Step, plain_lever
from calc.tables import checked_frame, summary
from calc.variables import BOUGHT, IN_FORCE, NET, PRESENT_VALUE, REVENUE, Catalogue, catalogue

#: Shares that are 100 % unless something cuts them; a table shows them only where something does.
ALWAYS_FULL = (BOUGHT, IN_FORCE)

SOURCE_LINE = "Baselines: Stangarone, KEI 2021, and the sources of each area; ranges: see assumptions"
COMPARISON_HEADING = (
    "Effect of each scenario against the status quo, per year, in the last year shown; totals over the years "
    "shown. Areas with no effect in any scenario shown are left out."
)


def recorded_areas(frame: pd.DataFrame) -> tuple[Area, ...]:
    """The areas a frame was run with (recorded in it; its first world's where it holds several), else the
    shipped areas."""
    recorded = worlds_of(frame.attrs.get("sanctions_relief", {}))[0].get("areas")
    return declare(recorded, "recorded areas") if isinstance(recorded, Mapping) else shipped_areas()


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each scenario named with its world where it holds several worlds ("hanoi-2019
    [enforced-2025]"), so that tables and charts keep them apart; a frame of one world as it is."""
    if "model" not in frame.columns or frame["model"].nunique() <= 1:
        return frame
    world = frame["model"].str.extract(r"\((.*)\)$")[0].fillna(frame["model"])
    return frame.assign(scenario=frame["scenario"] + " [" + world + "]")


def described(frame: pd.DataFrame) -> Catalogue:
    """The variable catalogue of the areas a frame was run with."""
    return catalogue(recorded_areas(frame))


def notes(frame: pd.DataFrame, run_with: tuple[Assumptions, Sequence[Plan]] | None = None) -> list[str]:
    """Lines a reader of ``frame``'s table needs: each lever given that overrides what the scenario's lift gives its
    area; each fuel cap given in tonnes, with the barrels it was read as; each cap that does not bind (at or above
    what the area traded with no measure), which gives exactly the result of lifting the measure; each cap below
    today's, which tightens the measure; and each scenario
    whose goods-export revenue passes 2016 exports re-priced (the ceiling of ``calc.history_check``), which only
    exports counted twice can do. ``run_with``: the assumptions and scenarios a frame of one world was run with,
    where the caller holds them (the explorer, on every change), else they are read back from its record."""
    frame = labelled(frame)
    if run_with is not None:
        return _notes(frame, *run_with) + _before_the_last_year(frame)
    lines = []
    worlds = worlds_of(frame.attrs.get("sanctions_relief", {}))
    for world in worlds:
        if "scenarios" in world:  # each world's rows against its own assumptions; a lever note said once
            rows = frame[frame["model"] == world_model(world["world"])] if len(worlds) > 1 else frame
            lines += _notes(rows, *recorded(world))
    return list(dict.fromkeys(lines)) + _before_the_last_year(frame)


def _before_the_last_year(frame: pd.DataFrame) -> list[str]:
    """What a table of the last year hides: an area's flow that is zero then but not over the years shown (a
    one-off, or relief that a package's step ended), with its total."""
    if "quantile" in frame.columns:
        return []
    lines = []
    for variable in shown_variables(frame):
        if not variable.area or variable.group not in ("money", "fuel"):
            continue
        rows = frame[frame["variable"] == variable.name]
        for name, values in rows.groupby("scenario", sort=False):
            last = values["value"].to_numpy()[values["year"].to_numpy().argmax()]
            total = values["value"].sum()
            if last == 0 and total != 0:
                unit = variable.display_unit.removesuffix("/yr")
                lines.append(
                    f"{name}: {variable.label.lower()} total {variable.shown(total)} {unit} over "
                    f"{values['year'].min()}-{values['year'].max()}, none in the last year shown"
                )
    return lines


def _notes(frame: pd.DataFrame, assumptions: Assumptions, scenarios: Sequence[Plan]) -> list[str]:
    """The notes of one world's run (see ``notes``)."""
    central = assumptions.central()
    lines = []
    ceiling = history_check(assumptions).attrs["ceiling"]
    goods = [f"{REVENUE}|{area.title}" for area in assumptions.areas if area.goods_exports]
    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    earned = last[last["variable"].isin(goods)].groupby("scenario", sort=False)["value"].sum()
    money = SHOWN["USD/yr"]
    for name, value in earned.items():
        if value > ceiling:
            lines.append(
                f"{name}: goods exports of {money.text(value)} {money.unit} pass 2016 exports re-priced at these "
                f"prices ({money.text(ceiling)} M): some exports are counted twice (see 'sanctions-relief history')"
            )
    bought = last[last["variable"] == BOUGHT].set_index("scenario")["value"]
    net = last[last["variable"] == NET].set_index("scenario")["value"]
    for name, share in bought.items():
        if share < 100 and name in net:
            lines.append(budget_note(str(name), share, float(net[str(name)]), central["context.other_hard_currency"]))
    for scenario in scenarios:
        lines += overrides(scenario, assumptions.areas).values()
        levers = {
            (area, segment.levers[area.name])
            for segment in scenario.segments(assumptions.areas)
            for area in assumptions.areas
        }
        for area, lever in sorted(levers, key=lambda item: (assumptions.areas.index(item[0]), str(item[1]))):
            q = roles(area, central)
            where = f"{scenario.name}: the {area.title.lower()} cap of {lever}"
            converted = area.kind.conversion(lever, q, area.name)
            if converted is not None:
                amount, parameters = converted
                used = ", ".join(
                    f"{area.name}.{name} = {float(np.max(q[name])):g} {assumptions.specs[f'{area.name}.{name}'].unit}"
                    for name in parameters
                )
                lower = " the lower of its limits," if isinstance(lever, Cap) and lever.also else ""
                lines.append(
                    f"{where} is read as{lower} {amount:,.0f} {area.kind.flow_unit} "
                    f"({used.replace(' dimensionless', '')})"
                )
            if area.kind.slack(lever, q, area.name) and area.kind.ceiling is not None:  # slack: it has one
                lines.append(
                    f"{where} is at or above {float(np.max(area.kind.ceiling(q))):,.0f} {area.kind.flow_unit}, what "
                    "the area traded with no measure at all, so it does not bind: the result is that of lifting the "
                    "measure"
                )
            if area.kind.tightens(lever, q, area.name) and area.kind.flowing is not None:  # tightens: it has one
                lines.append(
                    f"{where} is below what flows legally today, {float(np.max(area.kind.flowing(q))):,.0f} "
                    f"{area.kind.flow_unit}: it tightens the measure, so the area's results fall below the status "
                    f"quo (a plain number is read as {area.kind.flow_unit}: 1.5 million is written 1.5e6)"
                )
            if area.kind.idle(lever, q, area.name) and area.kind.flowing is not None and area.kind.current is not None:
                lines.append(
                    f"{where} is below today's cap of {float(np.max(area.kind.current(q))):,.0f} "
                    f"{area.kind.flow_unit} but not below what flows legally today, "
                    f"{float(np.max(area.kind.flowing(q))):,.0f} {area.kind.flow_unit}: it does not bind, and changes "
                    "nothing"
                )
    return lines


#: How a table marks a balance the budget binds (``budget_note`` says why).
BUDGET_BOUND = "(budget-bound)"


def budget_words(bought: float, what: str = "them") -> str:
    """What the budget buys of the imports unlocked (``bought``, per cent; ``what`` names them), in the headline's
    words: the report's, the explorer's and the charts' (one sentence, said once here)."""
    if bought >= 100:
        return f"the budget buys all of {what}"
    return f"the budget binds: it buys {SHOWN['%'].text(bought)} % of {what}"


def budget_note(scenario: str, bought: float, net: float, other: float) -> str:
    """The note beside a balance the budget binds: what it is made of (``other``: context.other_hard_currency)."""
    money = SHOWN["USD/yr"]
    return (
        f"{scenario}: {budget_words(bought, 'the imports unlocked')}, paying with all the hard currency earned and "
        f"{money.text(other)} M of other hard currency (context.other_hard_currency): the {money.text(net)} M "
        "left is that money turned into goods, not a loss"
    )


def overrides(scenario: Plan, areas: Sequence[Area]) -> dict[str, str]:
    """By area name, the note on each lever given explicitly that differs from what the scenario's ``lift`` gives
    the area: the explicit lever wins (docs/explanation/resolutions.md). None in a package: the most recent step
    naming an area sets its lever (see ``Package.segments``)."""
    if isinstance(scenario, Package):
        return {}
    lifted = scenario.lifted()
    levers = scenario.levers(areas)
    return {
        name: f"{scenario.name}: {name} takes the lever the scenario sets ({plain_lever(levers[name])}), not what "
        f"lifting {', '.join(scenario.lift)} gives it ({plain_lever(lifted[name])}): a lever set wins over a lift"
        for name in scenario.overridden(areas)
    }


def step_label(step: Step, areas: Sequence[Area]) -> str:
    """What a package's step eases, in words: "Coal exports, textile exports lifted; refined petroleum capped at
    2,000,000 bbl/yr; lifts 2371" (areas with the same lever together, in the order of ``areas``)."""
    named = step.named(areas)
    together: dict[str, list[str]] = {}
    for area in areas:
        if area.name in named:
            together.setdefault(area.kind.described(named[area.name]), []).append(area.title.lower())
    parts = [f"{', '.join(titles)} {words}" for words, titles in together.items()]
    if step.lift:
        parts.append(f"lifts {', '.join(step.lift)}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def step_years(step: Step) -> str:
    """The years a step is in force: "2027-2028", or "from 2029" where no sunset ends it."""
    return f"{step.year}-{step.until}" if step.until is not None else f"from {step.year}"


def variable_of(frame: pd.DataFrame, name: str) -> Variable:
    """The declaration of variable ``name`` of ``frame`` (a plain one for a name no area declares)."""
    known = described(frame).variables
    if name in known:
        return known[name]
    units = frame.loc[frame["variable"] == name, "unit"]
    return Variable(name, units.iloc[0] if len(units) else "", name, "other")


def shown_variables(frame: pd.DataFrame) -> list[Variable]:
    """The variables a table of ``frame`` shows, in display order: every total, and each area's variables where
    the area has an effect in some scenario of the frame (a supply level only where its area changes supply); a
    share of 100 % that is 100 % throughout (all unlocked imports bought, relief never snapping back) is left out."""
    catalogue = described(frame)
    largest = frame.assign(size=frame["value"].abs()).groupby("variable")["size"].max()
    smallest = frame.groupby("variable")["value"].min()
    active = {
        variable.area
        for name, variable in catalogue.variables.items()
        if variable.area and variable.group != "level" and largest.get(name, 0) > 0
    }
    present = set(frame["variable"])
    return [
        catalogue.variables[name]
        for name in catalogue.display
        if name in present
        and catalogue.variables[name].in_table
        and (not catalogue.variables[name].area or catalogue.variables[name].area in active)
        and not (name in ALWAYS_FULL and smallest.get(name, 100.0) >= 100.0)
    ]


def comparison(frame: pd.DataFrame) -> pd.DataFrame:
    """The last-year yearly effect of each scenario side by side (text cells), with the total and present value of
    the hard currency earned, and the years covered; scenarios of several worlds are named with their world."""
    frame = labelled(frame)
    table = summary(frame)
    columns = list(dict.fromkeys(table["scenario"]))
    steady = table.pivot(index="variable", columns="scenario", values="steady_state")
    rows = {}
    for variable in shown_variables(frame):
        rows[variable.heading] = [variable.shown(steady.loc[variable.name, name]) for name in columns]
    net = described(frame).variables[NET]
    if net.heading in rows:  # a balance the budget binds is the other hard currency spent, not a plain result
        rows[net.heading] = [
            cell + (f" {BUDGET_BOUND}" if steady.loc[BOUGHT, name] < 100 else "")
            for cell, name in zip(rows[net.heading], columns, strict=True)
        ]
    earned = table[table["variable"] == REVENUE].set_index("scenario")
    money = described(frame).variables[REVENUE]
    years = frame.groupby("scenario", sort=False)["year"].agg(["min", "max"])
    rows["Hard currency earned, total (USD M)"] = [money.shown(earned["total"][name]) for name in columns]
    rows["Hard currency earned, present value (USD M)"] = [
        money.shown(earned["present_value"][name]) for name in columns
    ]
    if (frame.loc[frame["variable"] == IN_FORCE, "value"] < 100.0).any():
        rows["Hard currency earned, present value lost to snapback, expected (%)"] = [
            f"{earned['expected_loss'][name]:,.1f}" for name in columns
        ]
    rows["Years"] = [f"{years['min'][name]}-{years['max'][name]}" for name in columns]
    return pd.DataFrame(rows, index=columns).T


def relative(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame from ``calc.compare`` (or a Monte Carlo one with ``relative_to``) as a table of last-year shares
    in per cent, scenarios side by side (quantiles as p5 / p50 / p95 cells)."""
    frame = labelled(frame)
    last = frame[frame["year"] == frame.groupby("scenario")["year"].transform("max")]
    shown = [variable for variable in shown_variables(frame) if variable.group == "money"]
    columns = list(dict.fromkeys(last["scenario"]))
    rows = {}
    values = {key: group["value"].to_numpy() for key, group in last.groupby(["variable", "scenario"], sort=False)}
    for variable in shown:
        rows[f"{variable.label} (%)"] = [
            " / ".join("n/a" if np.isnan(value) else f"{value:,.1f}" for value in values.get((variable.name, name), []))
            for name in columns
        ]
    return pd.DataFrame(rows, index=columns).T


def quantiles(frame: pd.DataFrame) -> list[tuple[str, int, pd.DataFrame]]:
    """Per scenario of a Monte Carlo frame: its name, its last year, and the quantiles of every variable shown in
    that year (text cells; columns p5, p50, ...)."""
    frame = labelled(frame)
    drawn = frame["variable"].str.startswith(PRESENT_VALUE)
    values = frame[~drawn]
    last = values[values["year"] == values.groupby("scenario")["year"].transform("max")]
    shown = shown_variables(values)
    catalogue = described(frame)
    blocks = []
    for scenario, group in last.groupby("scenario", sort=False):
        wide = group.pivot_table(index="variable", columns="quantile", values="value", sort=False)
        rows = {v.heading: [v.shown(wide[q][v.name]) for q in wide.columns] for v in shown if v.name in wide.index}
        present = frame[drawn & (frame["scenario"] == scenario)]
        for measure, group_values in present.groupby("variable", sort=False):
            declared = catalogue.variables[str(measure).removeprefix(PRESENT_VALUE)]
            by_level = group_values.set_index("quantile")["value"]
            rows[f"{declared.label}, present value (USD M)"] = [declared.shown(by_level[q]) for q in wide.columns]
        table = pd.DataFrame(rows, index=[f"p{100 * q:g}" for q in wide.columns]).T
        blocks.append((str(scenario), int(group["year"].iloc[0]), table))
    return blocks


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The table the command line prints for ``frame``, as a DataFrame of text cells in the units people read
    (money in USD M/yr), for notebooks: scenarios side by side in the last year shown. A frame from ``calc.run``
    gets totals and present values too; a share of another scenario (``calc.compare``, or ``calc.montecarlo``
    with ``relative_to``) its shares in per cent; a Monte Carlo frame its quantiles, one cell "p5 / p50 / p95"."""
    checked_frame(frame, "table")
    record = frame.attrs.get("sanctions_relief", {})
    if record.get("relative_to") or worlds_of(record)[0].get("montecarlo", {}).get("relative_to"):
        return relative(frame)
    if "quantile" not in frame.columns:
        return comparison(frame)
    blocks = quantiles(frame)
    cells = {scenario: block.apply(" / ".join, axis=1) for scenario, _, block in blocks}
    levels = " / ".join(blocks[0][2].columns) if blocks else ""
    return pd.DataFrame(cells).rename_axis(f"last year, {levels}" if levels else None)


def montecarlo_heading(frame: pd.DataFrame) -> str:
    record = worlds_of(frame.attrs.get("sanctions_relief", {}))[0].get("montecarlo", {})
    levels = record.get("quantiles", [])
    low = ""
    if levels and min(levels) < 0.5:
        reach = f"{100 * (1 - min(levels)):g} %"
        low = (
            f" The present values are quantiles over the draws: p{100 * min(levels):g} is what {reach} of draws "
            f"reach or pass (a value at risk at {reach})."
        )
    return (
        f"Monte Carlo: {record.get('n', 0):,} draws ({record.get('sampler', '?')}, seed {record.get('seed', '?')}); "
        f"quantiles of the effect in the last year shown, and of the present value over the horizon.{low}"
    )


def condition_text(boxes: pd.DataFrame) -> str:
    """The condition of a ``calc.discover`` frame in words: "net hard currency > 150.0 USD M/yr in 2036"."""
    record = boxes.attrs["sanctions_relief"]["discover"]
    variable = described(boxes).variables[record["variable"]]
    total = record["year"] == "total"
    unit = variable.display_unit.removesuffix("/yr") if total else variable.display_unit
    when = "summed over the horizon" if total else f"in {record['year']}"
    return f"{variable.label.lower()} {record['comparison']} {variable.shown(record['threshold'])} {unit} {when}"


def box_table(boxes: pd.DataFrame, box: int) -> pd.DataFrame:
    """The ranges box ``box`` of a ``calc.discover`` frame narrows, beside the sampled ranges, as text cells in
    the units tables show (money in USD millions), one row per parameter."""
    rows = boxes[(boxes["box"] == box) & boxes["restricted"]]
    cells: dict[str, list[str]] = {heading: [] for heading in ("box low", "box high", "sampled low", "sampled high")}
    units = []
    for _, row in rows.iterrows():
        units.append(shown_as(row["unit"]).unit)
        for heading, column in zip(cells, ("low", "high", "sampled_low", "sampled_high"), strict=True):
            cells[heading].append(shown_as(row["unit"]).text(row[column]))
    return pd.DataFrame({"parameter": rows["parameter"].to_list(), **cells, "unit": units})


def box_heading(boxes: pd.DataFrame, box: int) -> str:
    """ "Box 1: coverage 48.8 %, density 80.6 %, mass 22.5 %", and a warning when the box is not dense."""
    first = boxes[boxes["box"] == box].iloc[0]
    wanted = boxes.attrs["sanctions_relief"]["discover"]["min_density"]
    short = (
        f" (no box reaches the density asked for, {100 * wanted:g} %: the condition is too rare or too scattered "
        "for a box to single it out)"
        if first["density"] < wanted
        else ""
    )
    return (
        f"Box {box}: coverage {100 * first['coverage']:.1f} %, density {100 * first['density']:.1f} %, "
        f"mass {100 * first['mass']:.1f} %{short}"
    )


#: Headings of the table of each resolution's bite (``bites_table``), money in USD M/yr and fuel in bbl/yr.
BITE_COLUMNS = {
    "revenue_alone": "alone",
    "revenue_peeled": "as adopted",
    "revenue_alone_gross": "gross alone",
    "revenue_peeled_gross": "gross as adopted",
    "official_revenue": "official",
}
BITE_HEADING = (
    "Hard currency earned (USD M/yr) and legal fuel unlocked (bbl/yr) in the steady state, lifting each resolution "
    "alone and as adopted (after every later one); gross: before evasion and net foreign exchange, the basis of the "
    "estimates published at adoption."
)
#: How far (as a share) a resolution's gross bite as adopted may lie from the estimate published at adoption before
#: a sentence says why.
BITE_TOLERANCE = 0.25


def bites_table(table: pd.DataFrame) -> pd.DataFrame:
    """``calc.resolutions()`` as the command line prints it: text cells, money in USD M/yr, the ratio of the gross
    bite as adopted to the estimate published at adoption, and the legal fuel unlocked."""
    shown = table[["resolution", "adopted"]].copy()
    for column, heading in BITE_COLUMNS.items():
        shown[heading] = [SHOWN["USD/yr"].text(value) if value == value else "" for value in table[column]]
    ratio = table["revenue_peeled_gross"] / table["official_revenue"]
    shown["gross / official"] = [f"{value:.2f}" if value == value else "" for value in ratio]
    shown["fuel alone"] = [f"{value:,.0f}" for value in table["fuel_alone"]]
    shown["fuel as adopted"] = [f"{value:,.0f}" for value in table["fuel_peeled"]]
    return shown


def bite_notes(table: pd.DataFrame, areas: Sequence[Area]) -> list[str]:
    """A sentence for each resolution of ``calc.resolutions()`` whose gross bite as adopted lies more than a
    quarter from the estimate published at adoption, saying what the bite is made of: where the services it reaches
    (workers' earnings, fishing-rights sales: not goods exports) account for the gap, that the estimate, of
    exports, left them out."""
    by_name = {area.name: area for area in areas}
    law = shipped_law()
    lines = []
    for row in table.to_dict("records"):
        resolution, official, bite = row["resolution"], row["official_revenue"], row["revenue_peeled_gross"]
        if math.isnan(official) or abs(bite / official - 1) <= BITE_TOLERANCE:
            continue
        parts = table.attrs.get("gross_by_area", {}).get(resolution, {})
        states = {measure.area: measure.state for measure in law.resolutions[resolution].measures}

        def listed(names: list[str], states: dict[str, str] = states, parts: dict = parts) -> str:
            """ "overseas workers (repatriated, 500.0 M) and fishing rights (banned, 75.0 M)", largest first."""
            items = [
                f"{by_name[name].title.lower()} ({states.get(name, 'eased')}, {parts[name] / 1e6:,.1f} M)"
                for name in sorted(names, key=lambda name: -abs(parts[name]))
            ]
            return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]

        line = (
            f"{resolution}: its gross bite as adopted, {bite / 1e6:,.1f} M a year, is {bite / official:.2f} times "
            f"the {official / 1e6:,.1f} M published at adoption"
        )
        services = [name for name in parts if name in by_name and not by_name[name].goods_exports]
        goods = bite - sum(parts[name] for name in services)
        if services and abs(goods / official - 1) <= BITE_TOLERANCE:
            line += (
                f". It includes {listed(services)}: services, which the officials' estimate of exports left out; its "
                f"bans on goods exports alone come to {goods / 1e6:,.1f} M, {goods / official:.2f} times the estimate"
            )
        elif parts:
            line += f". It is made of {listed([name for name in parts if name in by_name])}"
        lines.append(line + ".")
    return lines


def results_text(frame: pd.DataFrame) -> str:
    """The comparison table as the command line prints it."""

    sources = "Baselines: Stangarone, KEI (2021); ranges and sources: 'sanctions-relief assumptions'."
    lines = "".join(f"\nNote: {line}." for line in notes(frame))
    return f"{COMPARISON_HEADING}\n{sources}\n\n{comparison(frame).to_string()}{lines}"


def relative_text(frame: pd.DataFrame, reference: str) -> str:
    """Every scenario's money flows in the last year as a share of ``reference`` (quantiles for Monte Carlo)."""

    levels = sorted(set(frame["quantile"])) if "quantile" in frame.columns else []
    cells = f" (cells: {' / '.join(f'p{100 * q:g}' for q in levels)}, divided draw by draw)" if levels else ""
    text = f"As a share of {reference}, per cent, in the last year shown{cells}:\n\n{relative(frame).to_string()}"
    if left_out := undivided(frame, reference):
        text += f"\n{left_out}"
    if partly := conditional(frame, reference):
        text += f"\n{partly}"
    return text


def conditional(frame: pd.DataFrame, reference: str) -> str:
    """For Monte Carlo shares of ``reference``: the sentence saying that in the last year they are taken over the
    draws in which the reference earns anything (a share of nothing is undefined: a package snapped back), where
    some draws are left out; empty where none is."""
    record = worlds_of(frame.attrs.get("sanctions_relief", {}))[0].get("montecarlo", {})
    shares = {name: years[-1] for name, years in record.get("undefined", {}).items() if years[-1] > 0}
    if not shares:
        return ""
    left = max(shares.values())
    if left >= 1:
        return (
            f"n/a: in the last year {reference} earns nothing in any draw (snapped back, or nothing eased that "
            "earns), so no share of it exists; choose an earlier year (--out writes every year) or another reference."
        )
    return (
        f"In the last year {reference} earns nothing in {100 * left:.1f} % of draws (its relief snapped back): the "
        f"shares are over the other {100 * (1 - left):.1f} %, where it still earns, since a share of nothing is "
        "undefined."
    )


def undivided(frame: pd.DataFrame, reference: str) -> str:
    """The sentence naming the money variables a table of shares (``frame``, from ``calc.compare``) leaves out
    because no share of them exists, the reference having none; empty where none is left out."""
    frame = labelled(frame)
    catalogue = described(frame)
    shown = {variable.name for variable in shown_variables(frame)}
    empty = frame["value"].isna().groupby(frame["variable"]).all()
    names = [
        catalogue.variables[name].label.lower()
        for name in catalogue.display
        if empty.get(name, False) and name not in shown and catalogue.variables[name].group == "money"
    ]
    return f"Left out, as {reference} has none of them to divide by: {', '.join(names)}." if names else ""


def quantile_text(frame: pd.DataFrame) -> str:
    """Quantiles of each variable in the last year of each scenario, a block per scenario."""

    blocks = [f"{name} ({year})\n{table.to_string()}" for name, year, table in quantiles(frame)]
    return "\n\n".join([montecarlo_heading(frame), *blocks])
