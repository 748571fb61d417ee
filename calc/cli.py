"""The ``sanctions-relief`` command line: its options, and how errors are told (the commands themselves are in
``calc.commands``, a thin layer over the public API).

Heavy libraries (pandas, pint) are imported inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from calc import InputError, MissingExtra, __version__, commands

#: calc.variables.REVENUE, spelled here so that ``--help`` need not import the model.
REVENUE = "Revenue"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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


class _Once(argparse._StoreAction):
    """An option that takes one value, given once: argparse would keep the last of two silently, and
    ``--petroleum-cap 1e6 --petroleum-cap 2e6`` could mean either."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: str | None = None
    ) -> None:
        given = namespace.__dict__.setdefault("_given", {})
        if self.dest in given:
            parser.error(f"{option} given twice ({given[self.dest]!r} and {values!r}); give it once")
        given[self.dest] = values
        super().__call__(parser, namespace, values, option)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit status 2) like every other error, and an option that takes
    one value is refused when given twice (``_Once``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def error(self, message: str) -> NoReturn:
        hint = " (a value that starts with '-' goes after '=': --name=-x)" if "expected one argument" in message else ""
        self.exit(2, f"{self.prog}: error: {message}{hint} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sanctions-relief",
        description="Estimate what North Korea would gain in hard currency and fuel if UN sanctions were eased.",
    )
    parser.add_argument("--version", action="version", version=f"sanctions-relief {__version__}")
    subcommands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", parser_class=_Parser)

    run = _scenario_command(
        subcommands,
        "run",
        commands.run_command,
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
        subcommands,
        "montecarlo",
        commands.montecarlo_command,
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
        "--allow-large", action="store_true", help="with --draws-out: write a file of more than 1 GB (else refused)"
    )
    montecarlo.add_argument(
        "--relative-to",
        metavar="NAME",
        help="quantiles of every scenario as a share (%%) of scenario NAME, divided draw by draw",
    )

    sensitivity = _scenario_command(
        subcommands,
        "sensitivity",
        commands.sensitivity_command,
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
        subcommands,
        "solve",
        commands.solve_command,
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
        subcommands,
        "discover",
        commands.discover_command,
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
        subcommands,
        "chart",
        commands.chart_command,
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
        subcommands,
        "report",
        commands.report_command,
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

    serve = subcommands.add_parser(
        "serve",
        help="start the explorer page on 127.0.0.1 (every lever and assumption in the browser)",
        description="Start the explorer: a local web page with every lever and assumption, results updating as "
        "they move. It listens on 127.0.0.1 only and sends nothing off the machine. Ctrl-C stops it.",
    )
    serve.add_argument("--port", default="8050", metavar="PORT", help="port (default 8050; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="also open the page in the default browser")
    _assumption_options(serve)
    serve.set_defaults(command=commands.serve_command)

    presets = subcommands.add_parser("presets", help="list the preset scenarios", description="List the presets.")
    presets.set_defaults(command=commands.presets_command)
    context = subcommands.add_parser(
        "context",
        help="what the North earns outside the sanctions (cyber theft, arms for Russia): context, not relief",
        description="Published figures of what the DPRK earns outside the sanctions, to set beside relief; never "
        "added to it.",
    )
    context.set_defaults(command=commands.context_command)

    for name, handler, help, description in (
        (
            "areas",
            commands.areas_command,
            "list the areas (sanction measures): kind, lever, resolutions",
            "List every area: its kind, the lever that eases it, the resolutions behind it and its note.",
        ),
        (
            "history",
            commands.history_command,
            "check the export areas against the observed exports of 2016-2018",
            "The export areas' pre-sanction earnings together, beside total exports in 2016 and their fall to "
            "2018 (KOTRA).",
        ),
        (
            "resolutions",
            commands.resolutions_command,
            "each UN resolution's bite, beside the estimate published at adoption",
            "What lifting each resolution would give the North in the steady state (hard currency earned, legal "
            "fuel unlocked), alone and as adopted (after every later one), net and gross, beside the revenue cut "
            "published when it passed.",
        ),
        (
            "assumptions",
            commands.assumptions_command,
            "list the assumptions with their ranges and sources",
            "List every assumption: value, range, year and source (judgements marked).",
        ),
    ):
        listing = subcommands.add_parser(name, help=help, description=description)
        _assumption_options(listing)
        listing.set_defaults(command=handler)
    return parser


def _scenario_command(
    subcommands: argparse._SubParsersAction[_Parser],
    name: str,
    handler: Callable[[argparse.Namespace], int],
    help: str,
    description: str,
    kinds: list[str] | None = None,
) -> _Parser:
    """A subcommand that takes scenarios, levers and assumption options, and runs ``handler``."""
    parser = subcommands.add_parser(name, help=help, description=description)
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
