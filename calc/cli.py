"""The ``sanctions-relief`` command: a thin layer over the public API.

Heavy libraries (pandas, pint) are imported inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from calc import InputError, MissingExtra, __version__

#: calc.variables.REVENUE, spelled here so that ``--help`` need not import the model.
REVENUE = "Revenue"
#: Files larger than this (bytes) are announced before they are written.
LARGE_FILE = 100e6
TIMING_OPTIONS = ("start_year", "horizon", "ramp_years")
LEVER_OPTIONS = ("metals_share", "petroleum_cap", "luxury_share", *TIMING_OPTIONS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "variable", None):
            from calc.variables import full_name

            args.variable = full_name(args.variable)
        return args.command(args)
    except (InputError, MissingExtra) as error:
        print(f"sanctions-relief: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = None
        return 0
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"sanctions-relief: error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sanctions-relief: interrupted", file=sys.stderr)
        return 130


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit status 2) like every other error."""

    def error(self, message: str):
        hint = " (a value that starts with '-' goes after '=': --name=-x)" if "expected one argument" in message else ""
        self.exit(2, f"{self.prog}: error: {message}{hint} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sanctions-relief",
        description="Estimate what North Korea would gain in hard currency and fuel if UN sanctions were eased.",
    )
    parser.add_argument("--version", action="version", version=f"sanctions-relief {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", parser_class=_Parser)

    run = _scenario_command(
        commands,
        "run",
        _run,
        help="run scenarios and print them side by side (or write CSV or .xlsx)",
        description="Run scenarios (preset names or scenario .toml files; all presets if none is named) "
        "and print their steady-state yearly effects side by side, or write the yearly results as CSV or .xlsx.",
    )
    _output_options(run, "the yearly results")
    run.add_argument(
        "--relative-to",
        metavar="NAME",
        help="show every scenario as a share (%%) of scenario NAME, which must be named too (e.g. hanoi-2019)",
    )

    montecarlo = _scenario_command(
        commands,
        "montecarlo",
        _montecarlo,
        help="draw every assumption across its range; print or write quantiles",
        description="Monte Carlo: draw every assumption with a range together, N times, and report quantiles "
        "of every result (steady-state year printed; every year written with --out).",
    )
    _draw_options(montecarlo, "Monte Carlo")
    montecarlo.add_argument("--sampler", default="random", choices=["random", "lhs"], help="default: random")
    montecarlo.add_argument(
        "--quantiles", default="0.05,0.5,0.95", metavar="Q,Q,...", help="levels (default 0.05,0.5,0.95)"
    )
    _output_options(montecarlo, "the quantiles")
    montecarlo.add_argument("--draws-out", metavar="PATH.csv", help="also write every raw draw here (large)")
    montecarlo.add_argument(
        "--relative-to",
        metavar="NAME",
        help="quantiles of every scenario as a share (%%) of scenario NAME, divided draw by draw",
    )

    sensitivity = _scenario_command(
        commands,
        "sensitivity",
        _sensitivity,
        help="which assumptions move a result most (tornado; Sobol with --sobol)",
        description="One assumption at a time at its low and at its high, the others central: how far the "
        "result moves, largest swing first.",
    )
    sensitivity.add_argument(
        "--variable",
        default=REVENUE,
        help=f"result variable (default: '{REVENUE}', the hard currency earned; 'revenue', 'unlocked', 'spending' "
        "and 'net' name the totals)",
    )
    sensitivity.add_argument("--year", metavar="YEAR", help="year (default: the last year of the horizon)")
    sensitivity.add_argument("--sobol", metavar="N", help="also Sobol indices from SALib with base sample N")
    sensitivity.add_argument("--seed", default="1", metavar="S", help="seed for --sobol (default 1)")
    sensitivity.add_argument("--out", metavar="PATH.csv", help="write the tornado table here instead of printing it")

    solve = _scenario_command(
        commands,
        "solve",
        _solve,
        help="the lever value at which a result reaches a target (goal seeking)",
        description="Goal seeking: move one lever of one scenario (its other levers as they are) until a result "
        "reaches a target, e.g. --lever petroleum_cap --variable 'Fuel|Refined Petroleum|Net Additional Supply' "
        "--target '1000000 bbl/yr'.",
    )
    solve.add_argument(
        "--lever", required=True, help="metals_share, petroleum_cap, luxury_share, or an area's name (coal, ...)"
    )
    solve.add_argument(
        "--variable", required=True, help="result variable ('revenue', 'unlocked', 'spending', 'net' or a name)"
    )
    solve.add_argument("--target", required=True, metavar="QUANTITY", help="e.g. '110e6 USD/yr' (units required)")
    solve.add_argument("--year", metavar="YEAR", help="year (default: the last year of the horizon)")
    solve.add_argument(
        "--out", metavar="PATH.csv", help="also write the answer as a one-row table (and its Data Package)"
    )

    discover = _scenario_command(
        commands,
        "discover",
        _discover,
        help="under which assumptions a condition holds (scenario discovery with PRIM; needs [discover])",
        description="Scenario discovery: draw every assumption across its range, mark the draws where the "
        "condition holds, and let PRIM find the boxes of assumption ranges where it mostly holds.",
    )
    discover.add_argument("--condition", required=True, metavar="'> QUANTITY'", help="e.g. '> 500e6 USD/yr'")
    discover.add_argument(
        "--variable", default=REVENUE, help=f"result variable (default: '{REVENUE}', the hard currency earned)"
    )
    discover.add_argument(
        "--year", metavar="YEAR|total", help="year (default: the last of the horizon), or 'total' over the horizon"
    )
    discover.add_argument("--min-density", default="0.8", metavar="0..1", help="density a box must reach (0.8)")
    discover.add_argument("--boxes", default="1", metavar="N", help="boxes to look for, one after another (1)")
    _draw_options(discover, "sampling")
    discover.add_argument("--trajectory", action="store_true", help="also print each box's peeling trajectory")
    discover.add_argument("--chart", metavar="FILE.png|svg", help="also draw the trajectory and box ranges here")
    discover.add_argument("--out", metavar="PATH.csv", help="write the boxes here (and PATH.datapackage.json)")

    chart = _scenario_command(
        commands,
        "chart",
        _chart,
        help="draw a chart to PNG or SVG (needs matplotlib)",
        description="Draw one chart: scenarios side by side, the yearly path of a variable, a Monte Carlo fan "
        "chart, the sensitivity tornado (of the first scenario named other than the status quo), or the steps of "
        "the first package named above its yearly path and Monte Carlo band.",
        kinds=["scenarios", "path", "fan", "tornado", "package"],
    )
    chart.add_argument("--out", required=True, metavar="FILE.png|svg", help="where to write the chart")
    chart.add_argument(
        "--variable", default=REVENUE, help=f"variable (path, fan, tornado, package; default: '{REVENUE}')"
    )
    _draw_options(chart, "fan and package chart")

    report = _scenario_command(
        commands,
        "report",
        _report,
        help="write one self-contained HTML report (needs matplotlib)",
        description="Write an HTML report that opens offline: the scenarios compared in a table and charts, the "
        "uncertainty (fan chart, tornado), the formulas in plain words, and every assumption with its source.",
    )
    report.add_argument("--out", default="report.html", metavar="FILE.html", help="default: report.html")
    report.add_argument(
        "--variable", default=REVENUE, help=f"variable for the path, fan and tornado (default: '{REVENUE}')"
    )
    report.add_argument(
        "--discover", metavar="'> QUANTITY'", help="add scenario discovery for this condition on the variable"
    )
    _draw_options(report, "Monte Carlo")

    serve = commands.add_parser(
        "serve",
        help="start the explorer page on 127.0.0.1 (every lever and assumption in the browser)",
        description="Start the explorer: a local web page with every lever and assumption, results updating as "
        "they move. It listens on 127.0.0.1 only and sends nothing off the machine. Ctrl-C stops it.",
    )
    serve.add_argument("--port", default="8050", metavar="PORT", help="port (default 8050; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="also open the page in the default browser")
    _assumption_options(serve)
    serve.set_defaults(command=_serve)

    presets = commands.add_parser("presets", help="list the preset scenarios", description="List the presets.")
    presets.set_defaults(command=_presets)
    context = commands.add_parser(
        "context",
        help="what the North earns outside the sanctions (cyber theft, arms for Russia): context, not relief",
        description="Published figures of what the DPRK earns outside the sanctions, to set beside relief; never "
        "added to it.",
    )
    context.set_defaults(command=_context)

    for name, handler, help, description in (
        (
            "areas",
            _areas,
            "list the areas (sanction measures): kind, lever, resolutions",
            "List every area: its kind, the lever that eases it, the resolutions behind it and its note.",
        ),
        (
            "history",
            _history,
            "check the export areas against the observed exports of 2016-2018",
            "The export areas' pre-sanction earnings together, beside total exports in 2016 and their fall to "
            "2018 (KOTRA).",
        ),
        (
            "resolutions",
            _resolutions,
            "each UN resolution's bite, beside the estimate published at adoption",
            "What lifting each resolution would give the North in the steady state (hard currency earned, legal "
            "fuel unlocked), alone and as adopted (after every later one), net and gross, beside the revenue cut "
            "published when it passed.",
        ),
        (
            "assumptions",
            _assumptions,
            "list the assumptions with their ranges and sources",
            "List every assumption: value, range, year and source (judgements marked).",
        ),
    ):
        listing = commands.add_parser(name, help=help, description=description)
        _assumption_options(listing)
        listing.set_defaults(command=handler)
    return parser


def _scenario_command(commands, name: str, handler, help: str, description: str, kinds: list[str] | None = None):
    """A subcommand that takes scenarios, levers and assumption options, and runs ``handler``."""
    parser = commands.add_parser(name, help=help, description=description)
    if kinds:
        parser.add_argument("kind", choices=kinds, help="which chart")
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="preset name or scenario .toml file")
    levers = parser.add_argument_group(
        "levers", "applied to every scenario named; with no scenario named, they define one called 'custom'"
    )
    levers.add_argument(
        "--name",
        action="append",
        default=[],
        help="name of the scenario the levers define (default: custom; a preset changed by levers is renamed)",
    )
    levers.add_argument("--metals-share", metavar="0..1", help="share of pre-sanction metal exports allowed")
    levers.add_argument(
        "--petroleum-cap",
        metavar="CAP",
        help="new refined-petroleum cap, e.g. '1000000 bbl/yr' (a bare number above 1 is bbl/yr), or 'lifted'",
    )
    levers.add_argument("--luxury-share", metavar="0..1", help="share of the luxury-import ban lifted")
    levers.add_argument(
        "--relief",
        metavar="AREA=LEVER",
        action="append",
        default=[],
        help="ease another area, e.g. --relief coal=1, --relief 'coal=400.9e6 USD/yr', --relief crude_oil=lifted "
        "(repeatable; 'sanctions-relief areas' lists them)",
    )
    levers.add_argument(
        "--lift",
        metavar="RESOLUTION",
        action="append",
        default=[],
        help="lift a UN resolution: each area goes to the strictest state the resolutions still in force impose "
        "(repeatable, or a comma list: --lift 2371,2397; 'sanctions-relief resolutions' lists them)",
    )
    levers.add_argument("--start-year", metavar="YEAR", help="first year (default 2027)")
    levers.add_argument("--horizon", metavar="YEARS", help="number of years (default 10)")
    levers.add_argument("--ramp-years", metavar="YEARS", help="years to full effect (default 0: at once)")
    _assumption_options(parser)
    parser.set_defaults(command=handler)
    return parser


def _draw_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("-n", "--draws", default="10000", metavar="N", help=f"{what} draws (default 10000)")
    parser.add_argument("--seed", default="1", metavar="S", help=f"{what} random seed (default 1)")


def _output_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--out",
        metavar="PATH.csv|PATH.xlsx",
        help=f"write {what} here: CSV (and PATH.datapackage.json), or an Excel workbook with the run's record",
    )
    parser.add_argument(
        "--format",
        default="csv",
        choices=["csv", "csv-wide"],
        help="with --out PATH.csv: long (default) or one column a year",
    )
    parser.add_argument(
        "--for-spreadsheet",
        action="store_true",
        help="with --out PATH.csv: start the file with a byte-order mark, so Excel and LibreOffice read it as UTF-8",
    )


def _assumption_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("assumptions")
    group.add_argument(
        "--assumptions",
        metavar="PATH",
        help="TOML file or folder laid over the shipped assumptions, or a shipped overlay by name (prices-2024, "
        "enforced-2025; as-written is the shipped set); 'a+b' lays b over a; run, montecarlo and report take "
        "several worlds side by side: 'as-written,enforced-2025'",
    )
    group.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="fix one assumption, e.g. --set 'petroleum.price=120 USD/bbl' (repeatable)",
    )


def _load_assumptions(args: argparse.Namespace, several: bool = False):
    """The assumptions of ``--assumptions`` with ``--set`` applied: one set, or with ``several`` a list of the
    worlds named (``--assumptions as-written,enforced-2025``), each changed alike."""
    from calc.engine import worlds

    sets = worlds(args.assumptions)
    if len(sets) > 1 and not several:
        raise InputError(
            f"--assumptions: {args.command.__name__.strip('_')} takes one world at a time; name one, e.g. "
            "--assumptions enforced-2025 (run, montecarlo and report set several side by side)"
        )
    changes = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"--set {item!r}: expected NAME=VALUE, e.g. --set 'petroleum.price=120 USD/bbl'")
        changes[name.strip()] = value.strip()
    sets = [used.override(changes, origin="--set") if changes else used for used in sets]
    return sets if several else sets[0]


def _scenarios(args: argparse.Namespace) -> list:
    from dataclasses import replace

    from calc.scenario import DEFAULT_SCENARIOS, Scenario, plan_from, resolve

    levers = {name: getattr(args, name) for name in LEVER_OPTIONS if getattr(args, name) is not None}
    relief = _relief(args.relief)
    lift = [item.strip() for items in args.lift for item in items.split(",") if item.strip()]
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
    eased = sorted({*levers, *relief} - set(timing)) + (["lift"] if lift else [])
    changed = []
    for scenario in scenarios:  # from what the scenario sets, so that a lift added reaches the areas it leaves alone
        given = scenario.to_dict()
        if "steps" in given and eased:
            raise InputError(
                f"{', '.join(eased)}: package {scenario.name!r} eases in steps; change its steps in a scenario file "
                "(only --start-year, --horizon and --ramp-years apply to a package)"
            )
        if "steps" in given:
            changed.append(plan_from({**given, **timing}))
            continue
        relief_given = {**given.pop("relief"), **relief}
        lifted = [*given.pop("lift"), *lift]
        changed.append(Scenario(**{**given, **levers, "relief": relief_given, "lift": lifted}))
    return [replace(new, name=name or _renamed(old, new)) for old, new in zip(scenarios, changed, strict=True)]


def _renamed(old, new) -> str:
    """A preset changed by levers no longer is that preset: "hanoi-2019 (changed: ramp_years)". Levers given
    at the value the preset has already change nothing, and leave the name alone."""
    from calc.area import shipped_areas
    from calc.scenario import plain_lever

    before, after = old.to_dict(), new.to_dict()
    left_alone = {area.name: plain_lever(area.kind.status_quo) for area in shipped_areas()}
    keys = dict.fromkeys([*before, *after])
    changed = sorted(key for key in keys if key not in ("relief", "steps") and after.get(key) != before.get(key))
    changed += sorted(
        f"relief {area}"
        for area, lever in after.get("relief", {}).items()
        if lever != before.get("relief", {}).get(area, left_alone.get(area, 0.0))
    )
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


def _run(args: argparse.Namespace) -> int:
    from calc.engine import run

    frame = run(_scenarios(args), assumptions=_load_assumptions(args, several=True))
    if args.relative_to:
        from calc.tables import compare

        shares = compare(frame, args.relative_to)
        if not _write(shares, args):
            print(results_table(frame), end="\n\n")
            print(relative_table(shares, args.relative_to))
        return 0
    if not _write(frame, args):
        print(results_table(frame))
    return 0


def _write(frame, args: argparse.Namespace) -> bool:
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


def _montecarlo(args: argparse.Namespace) -> int:
    from calc.uncertainty import draws_file_size, montecarlo

    levels = [_float(level, "--quantiles") for level in args.quantiles.split(",")]
    scenarios, assumptions, n = _scenarios(args), _load_assumptions(args, several=True), _int(args.draws, "--draws")
    if args.draws_out and (size := draws_file_size(scenarios, n, assumptions[0])) > LARGE_FILE:
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
        print(relative_table(frame, args.relative_to) if args.relative_to else quantile_table(frame))
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from calc.uncertainty import sobol, tornado

    scenarios = _scenarios(args)
    if len(scenarios) != 1:
        raise InputError("SCENARIO: sensitivity takes exactly one scenario")
    if args.sobol:
        try:
            import SALib  # noqa: F401  (checked before the tornado, so that a missing extra costs no work)
        except ImportError as error:
            raise MissingExtra("--sobol", "SALib", "uncertainty") from error
    year = None if args.year is None else _int(args.year, "--year")
    assumptions = _load_assumptions(args)
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


def _one(args: argparse.Namespace, command: str):
    scenarios = _scenarios(args)
    if len(scenarios) != 1:
        raise InputError(f"SCENARIO: {command} takes exactly one scenario")
    return scenarios[0]


def _solve(args: argparse.Namespace) -> int:
    from calc.goal import solution

    scenario = _one(args, "solve")
    year = None if args.year is None else _int(args.year, "--year")
    found = solution(scenario, args.lever, args.variable, args.target, year=year, assumptions=_load_assumptions(args))
    row = found.iloc[0]
    shown = f"{row['value']:.6g}" if row["unit"] == "dimensionless" else f"{row['value']:,.0f} bbl/yr"
    print(f"{args.lever} = {shown}")
    print(f"reaches {row['variable']} = {args.target} in {row['year']} ({scenario.name}, its other levers as they are)")
    if args.out:
        from calc.export import export_csv

        print(f"wrote 1 row to {export_csv(found, args.out)}")
    return 0


def _discover(args: argparse.Namespace) -> int:
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
        assumptions=_load_assumptions(args),
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


def _serve(args: argparse.Namespace) -> int:
    from calc.explorer import serve

    serve(port=_int(args.port, "--port"), assumptions=_load_assumptions(args), open_browser=args.open)
    return 0


def _chart(args: argparse.Namespace) -> int:
    from calc import charts

    charts.figure_path(args.out)
    scenarios = _scenarios(args)
    assumptions = _load_assumptions(args)
    if args.kind == "tornado":
        from calc.scenario import first_eased
        from calc.uncertainty import tornado

        table = tornado(first_eased(scenarios), args.variable, assumptions=assumptions)
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
                "chart package: name a package (us-idea-2019, jcpoa-sequence, or one with steps in a scenario file)"
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


def _report(args: argparse.Namespace) -> int:
    from calc.reporting import report

    written = report(
        _scenarios(args),
        args.out,
        assumptions=_load_assumptions(args, several=True),
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


def _progress(task: str):
    """A one-line progress report on standard error when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{task}: {done}/{total} ({100 * done // total}%)", end=end, file=sys.stderr, flush=True)

    return report


def results_table(frame) -> str:
    """The comparison table as the command line prints it."""
    from calc.display import COMPARISON_HEADING, comparison, notes

    sources = "Baselines: Stangarone, KEI (2021); ranges and sources: 'sanctions-relief assumptions'."
    lines = "".join(f"\nNote: {line}." for line in notes(frame))
    return f"{COMPARISON_HEADING}\n{sources}\n\n{comparison(frame).to_string()}{lines}"


def relative_table(frame, reference: str) -> str:
    """Every scenario's money flows in the last year as a share of ``reference`` (quantiles for Monte Carlo)."""
    from calc.display import relative

    levels = sorted(set(frame["quantile"])) if "quantile" in frame.columns else []
    cells = f" (cells: {' / '.join(f'p{100 * q:g}' for q in levels)}, divided draw by draw)" if levels else ""
    return f"As a share of {reference}, per cent, in the last year shown{cells}:\n\n{relative(frame).to_string()}"


def quantile_table(frame) -> str:
    """Quantiles of each variable in the last year of each scenario, a block per scenario."""
    from calc.display import montecarlo_heading, quantiles

    blocks = [f"{name} ({year})\n{table.to_string()}" for name, year, table in quantiles(frame)]
    return "\n\n".join([montecarlo_heading(frame), *blocks])


def _presets(args: argparse.Namespace) -> int:
    from calc.scenario import preset, presets

    for name in presets():
        scenario = preset(name)
        print(f"{name}\n  {_eased(scenario.to_dict())}\n  {scenario.note}\n")
    return 0


def _eased(data: dict) -> str:
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


def _areas(args: argparse.Namespace) -> int:
    from calc.area import areas

    for row in areas(_load_assumptions(args)).itertuples():
        print(
            f"{row.name}: {row.title} ({row.kind}; resolutions {row.resolutions})\n  lever: {row.lever}, "
            f"{row.accepted}\n  {row.note}\n"
        )
    return 0


def _context(args: argparse.Namespace) -> int:
    from calc.outside import context

    print("Context, not relief: what the DPRK earns outside the sanctions (never added to any result).\n")
    for row in context().itertuples():
        unit = "USD bn a year" if row.unit == "USD/yr" else "USD bn in all"
        span = f"{row.low / 1e9:,.2f}" if row.low == row.high else f"{row.low / 1e9:,.2f} to {row.high / 1e9:,.2f}"
        print(f"{row.item}, {row.period}: {span} {unit}\n  {row.source}")
    return 0


def _resolutions(args: argparse.Namespace) -> int:
    import textwrap

    from calc.bites import resolutions
    from calc.display import BITE_HEADING, bites_table

    table = resolutions(_load_assumptions(args))
    print(textwrap.fill(BITE_HEADING, 118) + "\n")
    print(bites_table(table).to_string(index=False))
    for row in table.itertuples():
        official = f"\n  published at adoption: {row.official_source}" if row.official_source else ""
        print(f"\n{row.resolution} ({row.adopted}): {row.measures}{official}")
    return 0


def _history(args: argparse.Namespace) -> int:
    from calc.history import BOUNDS, history_check

    table = history_check(_load_assumptions(args))
    repriced = (table["repriced"].notna() & (table["repriced"] != table["value"])).any()
    for row in table.itertuples():
        scale, unit = (1e6, "USD M/yr") if row.unit == "USD/yr" else (1, "%")
        at_prices = (
            f" at these prices {row.repriced / scale:9,.1f}" if repriced and row.repriced == row.repriced else ""
        )
        print(
            f"{row.item:46s} {row.value / scale:9,.1f} {unit:8s} (range {row.low / scale:,.1f} .. "
            f"{row.high / scale:,.1f}){at_prices}  {row.source}"
        )
    verdict = "within" if table.attrs["within_bounds"] else "OUTSIDE"
    print(f"\nThe central sum is {verdict} {100 * BOUNDS[0]:g}-{100 * BOUNDS[1]:g} % of 2016 exports.")
    if repriced:
        print(f"2016 exports re-priced as the export areas are: {table.attrs['ceiling'] / 1e6:,.1f} USD M/yr.")
    return 0


def _assumptions(args: argparse.Namespace) -> int:
    table = _load_assumptions(args).to_frame()
    for row in table.itertuples():
        flag = "  [judgement]" if row.judgement else ""
        print(
            f"{row.name} = {row.value:,.10g} {row.unit}  (range {row.low:,.10g} .. {row.high:,.10g}; "
            f"{row.year}){flag}\n  source: {row.source}" + (f"\n  {row.url}" if row.url else "")
        )
    return 0
