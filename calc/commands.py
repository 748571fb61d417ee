"""The commands of ``sanctions-relief``, one function each (``run_command`` for ``sanctions-relief run``, ...): each
reads the parsed options (``calc.cli``), calls the public API and prints or writes what it returns.

Heavy libraries (pandas, pint) are imported inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, overload

from calc.errors import InputError, MissingExtra
from calc.presentation import plain, shown_as

if TYPE_CHECKING:
    import pandas as pd

    from calc.assumptions import Assumptions
    from calc.scenario import Package, Plan

#: Files larger than this (bytes) are announced before they are written; larger than the second, refused unless
#: ``--allow-large`` asks for them (a million draws of four scenarios is about 6 GB).
LARGE_FILE = 100e6
HUGE_FILE = 1e9
TIMING_OPTIONS = ("start_year", "horizon", "ramp_years")
LEVER_OPTIONS = ("metals_share", "petroleum_cap", "luxury_share", *TIMING_OPTIONS)


@overload
def load_assumptions_from(args: argparse.Namespace, several: Literal[False] = False) -> Assumptions: ...
@overload
def load_assumptions_from(args: argparse.Namespace, several: Literal[True]) -> list[Assumptions]: ...
def load_assumptions_from(args: argparse.Namespace, several: bool = False) -> Assumptions | list[Assumptions]:
    """The assumptions of ``--assumptions`` with ``--set`` applied: one set, or with ``several`` a list of the
    worlds named (``--assumptions as-written,enforced-2025``), each changed alike."""
    from calc.engine import worlds

    sets = worlds(args.assumptions)
    if len(sets) > 1 and not several:
        command = args.command.__name__.removesuffix("_command")
        raise InputError(
            f"--assumptions: {command} takes one world at a time; name one, e.g. --assumptions enforced-2025 (run, "
            "montecarlo and report set several side by side)"
        )
    changes: dict[str, str] = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"--set {item!r}: expected NAME=VALUE, e.g. --set 'petroleum.price=120 USD/bbl'")
        if name.strip() in changes:
            raise InputError(
                f"--set: {name.strip()} is given twice ({changes[name.strip()]!r} and {value.strip()!r}); give it once"
            )
        changes[name.strip()] = value.strip()
    sets = [used.override(changes, origin="--set") if changes else used for used in sets]
    return sets if several else sets[0]


def scenarios_from(args: argparse.Namespace) -> list[Plan]:
    from dataclasses import replace

    from calc.scenario import DEFAULT_SCENARIOS, Package, Scenario, checked_names, resolve

    levers = {name: getattr(args, name) for name in LEVER_OPTIONS if getattr(args, name) is not None}
    relief = _relief(args.relief)
    lift = [item.strip() for items in args.lift for item in items.split(",")]
    if "" in lift:
        raise InputError(
            f"--lift {next(items for items in args.lift if '' in [i.strip() for i in items.split(',')])!r}: names no "
            "resolution; give one or a comma list, e.g. --lift 2371 or --lift 2371,2397 ('sanctions-relief "
            "resolutions' lists them)"
        )
    if len(args.name) > 1:
        raise InputError(
            f"--name: given {len(args.name)} times; one command line defines one scenario of its own: write several "
            "in a scenario .toml file (see 'sanctions-relief presets' for the layout) and name the file"
        )
    name = args.name[0] if args.name else None
    if not args.scenarios:
        if levers or name or relief or lift:
            return [Scenario(name=name or "custom", relief=relief, lift=lift, **levers)]
        return resolve(list(DEFAULT_SCENARIOS))
    scenarios = resolve(args.scenarios)
    if name and len(scenarios) > 1:
        raise InputError("--name: names one scenario; more than one was given")
    timing = {key: value for key, value in levers.items() if key in TIMING_OPTIONS}
    changed: list[Plan] = []
    for scenario in scenarios:  # from what the scenario sets, so that a lift added reaches the areas it leaves alone
        given = scenario.to_dict()
        if isinstance(scenario, Package):
            changed.append(_package_changed(scenario, levers, relief, lift, timing))
            continue
        relief_given = {**given.pop("relief"), **relief}
        lifted = [*given.pop("lift"), *lift]
        changed.append(Scenario(**{**given, **levers, "relief": relief_given, "lift": lifted}))
    return checked_names(
        [replace(new, name=name or _renamed(old, new)) for old, new in zip(scenarios, changed, strict=True)]
    )


def _package_changed(
    package: Package, levers: dict[str, Any], relief: dict[str, str], lift: list[str], timing: dict[str, Any]
) -> Plan:
    """A package with the command line's levers set in the steps that ease their areas (``with_levers``), and its
    steps moved with ``--start-year``; ``--lift`` is refused (a package lifts resolutions in its steps)."""
    from dataclasses import replace

    from calc.area import shipped_areas
    from calc.scenario import plan_from, whole_number, with_levers

    if lift:
        raise InputError(
            f"--lift: package {package.name!r} eases in steps; lift resolutions in its steps in a scenario file "
            "(--start-year, --horizon, --ramp-years and levers for the areas its steps ease apply to a package)"
        )
    given = package.to_dict()
    if "start_year" in timing:
        shift = whole_number(timing["start_year"], "--start-year", 1900, 2200) - package.start_year
        given["steps"] = [
            step | {"year": step["year"] + shift} | ({"until": step["until"] + shift} if "until" in step else {})
            for step in given["steps"]
        ]
    changed = plan_from({**given, **timing})
    keywords = {area.keyword: area.name for area in shipped_areas() if area.keyword}
    named = {keywords[key]: value for key, value in levers.items() if key in keywords} | relief
    return with_levers(changed, named) if named else replace(changed)


def _renamed(old: Plan, new: Plan) -> str:
    """A preset changed by levers no longer is that preset: "hanoi-2019 (changed: ramp_years)". Levers given
    at the value the preset has already change nothing, and leave the name alone."""
    from calc.area import KEYWORDS, shipped_areas
    from calc.scenario import Scenario, plain_lever

    before, after = old.to_dict(), new.to_dict()
    left_alone = {area.name: plain_lever(area.kind.status_quo) for area in shipped_areas()}
    keys = dict.fromkeys([*before, *after])
    same = {  # a keyword's lever as in force: to_dict leaves one out where it is what the lift gives
        key for key in KEYWORDS if isinstance(old, Scenario) and getattr(old, key) == getattr(new, key, None)
    }
    changed = sorted(key for key in keys if key not in ("relief", "steps", *same) and after.get(key) != before.get(key))
    changed += sorted(
        f"relief {area}"
        for area, lever in after.get("relief", {}).items()
        if lever != before.get("relief", {}).get(area, left_alone.get(area, 0.0))
    )
    for old_step, new_step in zip(before.get("steps", []), after.get("steps", []), strict=True):  # a package's
        changed += [key for key in KEYWORDS if new_step.get(key) != old_step.get(key) and key not in changed]
        changed += [
            f"relief {area}"
            for area, lever in new_step.get("relief", {}).items()
            if lever != old_step.get("relief", {}).get(area) and f"relief {area}" not in changed
        ]
    if not changed:
        return old.name
    name = old.name
    renamed = f"{name} (changed: {', '.join(changed)})"
    if len(renamed) > 80:
        raise InputError(f"--name: {name!r} is changed by {len(changed)} levers; give the changed scenario a --name")
    return renamed


def _relief(items: list[str]) -> dict[str, str]:
    """``--relief AREA=LEVER`` options as a mapping (the Scenario checks the names and levers)."""
    relief = {}
    for item in items:
        name, sep, lever = item.partition("=")
        if not sep or not name.strip() or not lever.strip():
            raise InputError(
                f"--relief {item!r}: expected AREA=LEVER, e.g. --relief coal=1 or --relief crude_oil=lifted"
            )
        if name.strip() in relief:
            raise InputError(f"--relief: {name.strip()!r} is given twice; give each area once")
        relief[name.strip()] = lever.strip()
    return relief


def run_command(args: argparse.Namespace) -> int:
    from calc.display import relative_text, results_text
    from calc.engine import run

    frame = run(scenarios_from(args), assumptions=load_assumptions_from(args, several=True))
    if args.relative_to:
        from calc.tables import compare

        shares = compare(frame, args.relative_to)
        if not _write(shares, args):
            print(results_text(frame), end="\n\n")
            print(relative_text(shares, args.relative_to))
        return 0
    if not _write(frame, args):
        print(results_text(frame))
    return 0


def _write(frame: pd.DataFrame, args: argparse.Namespace) -> bool:
    """Write ``frame`` where ``--out`` says; False when there is no ``--out``."""
    if not args.out:
        return False
    from calc.export import export_csv
    from calc.files import target_path

    if target_path(args.out, (".csv", ".xlsx")).suffix.lower() == ".xlsx":
        if args.format != "csv":
            raise InputError(
                f"--format {args.format}: applies to CSV only; a .xlsx workbook is written in the long layout "
                "(leave --format out)"
            )
        from calc.workbook import export_xlsx

        written = export_xlsx(frame, args.out)
        print(f"wrote {len(frame)} rows to {written} (sheet 'data'; the run, scenarios and assumptions after it)")
        return True
    written = export_csv(frame, args.out, format=args.format, spreadsheet=args.for_spreadsheet)
    keys = [column for column in frame.columns if column not in ("year", "value")]
    rows = len(frame) if args.format == "csv" else frame.groupby(keys, sort=False).ngroups
    print(f"wrote {rows} rows to {written}")
    return True


def montecarlo_command(args: argparse.Namespace) -> int:
    from calc.uncertainty import draws_file_size, montecarlo

    levels = [_float(level, "--quantiles") for level in args.quantiles.split(",")]
    scenarios, assumptions, n = (
        scenarios_from(args),
        load_assumptions_from(args, several=True),
        _int(args.draws, "--draws"),
    )
    if args.draws_out and (size := draws_file_size(scenarios, n, assumptions[0])) > LARGE_FILE:
        if size > HUGE_FILE and not args.allow_large:
            raise InputError(
                f"--draws-out: would write about {size / 1e9:,.1f} GB to {args.draws_out}; add --allow-large to write "
                f"it, or use fewer draws (-n) or scenarios (above {HUGE_FILE / 1e9:g} GB a file is refused unless "
                "asked for)"
            )
        print(f"montecarlo: --draws-out will write about {size / 1e6:,.1f} MB to {args.draws_out}", file=sys.stderr)
    frame = montecarlo(
        scenarios,
        n=n,
        seed=_int(args.seed, "--seed"),
        assumptions=assumptions,
        quantiles=levels,
        sampler=args.sampler,
        draws_out=args.draws_out,
        progress=_progress("montecarlo"),
        relative_to=args.relative_to,
    )
    if args.draws_out:
        print(f"wrote the raw draws to {args.draws_out}")
    if not _write(frame, args):
        from calc.display import quantile_text, relative_text

        print(relative_text(frame, args.relative_to) if args.relative_to else quantile_text(frame))
    return 0


def sensitivity_command(args: argparse.Namespace) -> int:
    from calc.uncertainty import sobol, tornado

    scenarios = scenarios_from(args)
    if len(scenarios) != 1:
        raise InputError("SCENARIO: sensitivity takes exactly one scenario")
    if args.sobol:
        try:
            import SALib  # noqa: F401  (checked before the tornado, so that a missing extra costs no work)
        except ImportError as error:
            raise MissingExtra("--sobol", "SALib", "uncertainty") from error
    year = None if args.year is None else _int(args.year, "--year")
    assumptions = load_assumptions_from(args)
    table = tornado(scenarios[0], args.variable, year=year, assumptions=assumptions)
    if args.out:
        from calc.export import export_csv

        print(f"wrote {len(table)} rows to {export_csv(table, args.out)}")
        return 0
    from calc.display import variable_of

    described = variable_of(table.iloc[:0].assign(variable=[], unit=[]), args.variable)
    rows = table[["parameter", "low", "high", "unit"]].copy()
    rows[["low", "high"]] = rows[["low", "high"]].map(lambda value: f"{value:,.10g}")
    for column in ("result_at_low", "result_at_high", "swing"):
        rows[column] = [described.shown(value) for value in table[column]]
    print(f"{described.heading}, {scenarios[0].name}: each assumption alone at its low and at its high, others central")
    print(f"central result: {described.shown(table['result_central'].iloc[0])}\n")
    print(rows.to_string(index=False))
    if args.sobol:
        indices = sobol(
            scenarios[0],
            args.variable,
            n=_int(args.sobol, "--sobol"),
            seed=_int(args.seed, "--seed"),
            year=year,
            assumptions=assumptions,
        )
        print("\nSobol indices (SALib): S1 first-order, ST total\n")
        print(indices.round(3).to_string(index=False))
    return 0


def _one(args: argparse.Namespace, command: str) -> Plan:
    scenarios = scenarios_from(args)
    if len(scenarios) != 1:
        raise InputError(f"SCENARIO: {command} takes exactly one scenario")
    return scenarios[0]


def solve_command(args: argparse.Namespace) -> int:
    from calc.goal import solution

    scenario = _one(args, "solve")
    year = None if args.year is None else _int(args.year, "--year")
    found = solution(
        scenario, args.lever, args.variable, args.target, year=year, assumptions=load_assumptions_from(args)
    )
    row = found.iloc[0]
    shown = f"{row['value']:.6g}" if row["unit"] == "dimensionless" else f"{row['value']:,.0f} bbl/yr"
    print(f"{args.lever} = {shown}")
    print(f"reaches {row['variable']} = {args.target} in {row['year']} ({scenario.name}, its other levers as they are)")
    if args.out:
        from calc.export import export_csv

        print(f"wrote 1 row to {export_csv(found, args.out)}")
    return 0


def discover_command(args: argparse.Namespace) -> int:
    from calc.discovery import discover, trajectory
    from calc.display import box_heading, box_table, condition_text

    year = args.year if args.year is None or not args.year[:1].isdigit() else _int(args.year, "--year")
    scenario = _one(args, "discover")
    boxes = discover(
        scenario,
        args.variable,
        args.condition,
        n=_int(args.draws, "--draws"),
        seed=_int(args.seed, "--seed"),
        assumptions=load_assumptions_from(args),
        year=year,
        min_density=_float(args.min_density, "--min-density"),
        max_boxes=_int(args.boxes, "--boxes"),
    )
    record = boxes.attrs["sanctions_relief"]["discover"]
    print(
        f"{scenario.name}: {condition_text(boxes)} holds in {record['holds']:,} of {record['n']:,} draws "
        f"({100 * record['holds'] / record['n']:.1f} %); PRIM searched the {len(record['searched'])} assumptions "
        "that move the result"
    )
    steps = trajectory(boxes)
    for box in sorted(set(boxes["box"])):
        print(f"\n{box_heading(boxes, box)}")
        print(box_table(boxes, box).to_string(index=False))
        if args.trajectory:
            print(steps[steps["box"] == box].round(4).to_string(index=False))
    if args.chart:
        from calc import charts

        charts.figure_path(args.chart)
        print(f"wrote {charts.save_figure(charts.plot_discovery(boxes), args.chart)}")
    if args.out:
        from calc.export import export_csv

        print(f"wrote {len(boxes)} rows to {export_csv(boxes, args.out)}")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    from calc.explorer import serve

    serve(port=_int(args.port, "--port"), assumptions=load_assumptions_from(args), open_browser=args.open)
    return 0


def chart_command(args: argparse.Namespace) -> int:
    from calc import charts

    charts.figure_path(args.out)
    scenarios = scenarios_from(args)
    assumptions = load_assumptions_from(args, several=True)  # each chart names each world; a tornado takes one
    if args.kind == "tornado":
        from calc.scenario import first_eased
        from calc.uncertainty import tornado

        if len(assumptions) > 1:
            raise InputError(
                "--assumptions: a tornado moves one world's assumptions one at a time, so it takes one world; name "
                "one, e.g. --assumptions enforced-2025 (the scenarios, path, fan and package charts take several)"
            )
        table = tornado(first_eased(scenarios), args.variable, assumptions=assumptions[0])
        figure = charts.plot_tornado(table, args.variable)
    elif args.kind == "fan":
        from calc.uncertainty import montecarlo

        frame = montecarlo(
            scenarios, n=_int(args.draws, "--draws"), seed=_int(args.seed, "--seed"), assumptions=assumptions
        )
        figure = charts.plot_fan(frame, args.variable)
    elif args.kind == "package":
        from calc.engine import run
        from calc.scenario import Package
        from calc.uncertainty import montecarlo

        package = next((plan for plan in scenarios if isinstance(plan, Package)), None)
        if package is None:
            raise InputError(
                "chart package: name a package (us-idea-2019, imports-first-sequence, or one with steps in a scenario "
                "file)"
            )
        drawn = montecarlo(
            [package], n=_int(args.draws, "--draws"), seed=_int(args.seed, "--seed"), assumptions=assumptions
        )
        figure = charts.plot_package(package, run(scenarios, assumptions=assumptions), drawn, args.variable)
    else:
        from calc.engine import run

        frame = run(scenarios, assumptions=assumptions)
        figure = charts.plot_scenarios(frame) if args.kind == "scenarios" else charts.plot_path(frame, args.variable)
    print(f"wrote {charts.save_figure(figure, args.out)}")
    return 0


def report_command(args: argparse.Namespace) -> int:
    from calc.reporting import report

    written = report(
        scenarios_from(args),
        args.out,
        assumptions=load_assumptions_from(args, several=True),
        n=_int(args.draws, "--draws"),
        seed=_int(args.seed, "--seed"),
        variable=args.variable,
        discover=args.discover,
    )
    print(f"wrote {written}")
    return 0


def _int(text: str, option: str) -> int:
    """A whole number, also written with an exponent or underscores: 1000000, 1e6, 1_000_000."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise InputError(f"{option}: expected a whole number (such as 10000, 1e6 or 1_000_000), got {text!r}")
    return int(number)


def _float(text: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{option}: expected a number, got {text!r}") from None


def _progress(task: str) -> Callable[[int, int], None] | None:
    """A one-line progress report on standard error when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{task}: {done}/{total} ({100 * done // total}%)", end=end, file=sys.stderr, flush=True)

    return report


def presets_command(args: argparse.Namespace) -> int:
    from calc.scenario import preset, presets

    for name in presets():
        scenario = preset(name)
        print(f"{name}\n  {_eased(scenario.to_dict())}\n  {scenario.note}\n")
    return 0


def _eased(data: dict[str, Any]) -> str:
    """What a scenario (or a package, step by step) eases, as one line: "lift=2371  coal=1.0"."""
    if "steps" in data:
        steps = [
            f"{step['year']}-{step.get('until', '')}: {_eased({'lift': [], 'relief': {}, **step})}"
            for step in data["steps"]
        ]
        return f"snapback hazard {data['snapback_hazard']}; steps: " + "; ".join(steps)
    given = [f"lift={','.join(data['lift'])}"] if data["lift"] else []
    given += [f"{key}={data[key]}" for key in ("metals_share", "petroleum_cap", "luxury_share") if key in data]
    given += [f"{area}={lever}" for area, lever in data["relief"].items()]
    return "  ".join(given) or "nothing eased"


def areas_command(args: argparse.Namespace) -> int:
    from calc.area import areas

    for row in areas(load_assumptions_from(args)).to_dict("records"):
        print(
            f"{row['name']}: {row['title']} ({row['kind']}; resolutions {row['resolutions']})\n  lever: "
            f"{row['lever']}, {row['accepted']}\n  {row['note']}\n"
        )
    return 0


def context_command(args: argparse.Namespace) -> int:
    from calc.outside import SHOWN, context

    print("Context, not relief: what the DPRK earns outside the sanctions (never added to any result).\n")
    for row in context().to_dict("records"):
        scale, shown, over = SHOWN[row["unit"]]
        unit = f"{shown} {over}"
        low, high = row["low"] / scale, row["high"] / scale
        span = f"{low:,.2f}" if row["low"] == row["high"] else f"{low:,.2f} to {high:,.2f}"
        print(f"{row['item']}, {row['period']}: {span} {unit}\n  {row['source']}")
    return 0


def resolutions_command(args: argparse.Namespace) -> int:
    import textwrap

    from calc.bites import resolutions
    from calc.display import BITE_HEADING, bites_table

    table = resolutions(load_assumptions_from(args))
    print(textwrap.fill(BITE_HEADING, 118) + "\n")
    print(bites_table(table).to_string(index=False))
    for row in table.to_dict("records"):
        official = f"\n  published at adoption: {row['official_source']}" if row["official_source"] else ""
        print(f"\n{row['resolution']} ({row['adopted']}): {row['measures']}{official}")
    return 0


def history_command(args: argparse.Namespace) -> int:
    from calc.history import BOUNDS, history_check

    table = history_check(load_assumptions_from(args))
    repriced = (table["repriced"].notna() & (table["repriced"] != table["value"])).any()
    for row in table.to_dict("records"):
        shown = shown_as(row["unit"])
        at_prices = (
            f" at these prices {shown.text(row['repriced'], '9,.1f')}"
            if repriced and row["repriced"] == row["repriced"]
            else ""
        )
        span = (
            f"(range {shown.text(row['low'])} .. {shown.text(row['high'])})"
            if row["low"] != row["high"]
            else "(one figure)"
        )
        print(
            f"{row['item']:46s} {shown.text(row['value'], '9,.1f')} {shown.unit:8s} {span}{at_prices}  {row['source']}"
        )
    verdict = "within" if table.attrs["within_bounds"] else "OUTSIDE"
    print(f"\nThe central sum is {verdict} {100 * BOUNDS[0]:g}-{100 * BOUNDS[1]:g} % of 2016 exports.")
    if repriced:
        print(f"2016 exports re-priced as the export areas are: {table.attrs['ceiling'] / 1e6:,.1f} USD M/yr.")
    return 0


def assumptions_command(args: argparse.Namespace) -> int:
    table = load_assumptions_from(args).to_frame()
    for row in table.to_dict("records"):
        flag = "  [judgement]" if row["judgement"] else ""
        print(
            f"{row['name']} = {plain(row['value'])} {row['unit']}  (range {plain(row['low'])} .. {plain(row['high'])}; "
            f"{row['year']}){flag}\n  source: {row['source']}" + (f"\n  {row['url']}" if row["url"] else "")
        )
    return 0
