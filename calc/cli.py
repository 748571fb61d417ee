"""The ``sanctions-relief`` command: a thin layer over the public API.

Heavy libraries (pandas, pint) are imported inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from calc import InputError, __version__

LEVER_OPTIONS = ("metals_share", "petroleum_cap", "luxury_share", "start_year", "horizon", "ramp_years")

#: Rows of the printed table: variable, label, divisor for display, number format.
TABLE_ROWS = (
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except InputError as error:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sanctions-relief",
        description="Estimate what North Korea would gain in hard currency and fuel if UN sanctions were eased.",
    )
    parser.add_argument("--version", action="version", version=f"sanctions-relief {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run scenarios and print them side by side (or write CSV)",
        description="Run scenarios (preset names or scenario .toml files; all presets if none is named) "
        "and print their steady-state yearly effects side by side, or write the yearly results as CSV.",
    )
    run.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="preset name or scenario .toml file")
    run.add_argument("--out", metavar="PATH.csv", help="write the yearly results here (and PATH.datapackage.json)")
    levers = run.add_argument_group(
        "levers", "applied to every scenario named; with no scenario named, they define one called 'custom'"
    )
    levers.add_argument("--name", help="name of the scenario the levers define (default: custom)")
    levers.add_argument("--metals-share", metavar="0..1", help="share of pre-sanction metal exports allowed")
    levers.add_argument(
        "--petroleum-cap",
        metavar="CAP",
        help="new refined-petroleum cap, e.g. '1000000 bbl/yr' (a bare number is bbl/yr), or 'lifted'",
    )
    levers.add_argument("--luxury-share", metavar="0..1", help="share of the luxury-import ban lifted")
    levers.add_argument("--start-year", metavar="YEAR", help="first year (default 2027)")
    levers.add_argument("--horizon", metavar="YEARS", help="number of years (default 10)")
    levers.add_argument("--ramp-years", metavar="YEARS", help="years to full effect (default 0: at once)")
    _assumption_options(run)
    run.set_defaults(command=_run)

    presets = commands.add_parser("presets", help="list the preset scenarios", description="List the presets.")
    presets.set_defaults(command=_presets)

    assumptions = commands.add_parser(
        "assumptions",
        help="list the assumptions with their ranges and sources",
        description="List every assumption: value, range, year and source (judgements marked).",
    )
    _assumption_options(assumptions)
    assumptions.set_defaults(command=_assumptions)
    return parser


def _assumption_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("assumptions")
    group.add_argument("--assumptions", metavar="PATH", help="TOML file or folder laid over the shipped assumptions")
    group.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="fix one assumption, e.g. --set 'petroleum.price=120 USD/bbl' (repeatable)",
    )


def _load_assumptions(args: argparse.Namespace):
    from calc.assumptions import load_assumptions

    assumptions = load_assumptions(args.assumptions)
    changes = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"--set {item!r}: expected NAME=VALUE, e.g. --set 'petroleum.price=120 USD/bbl'")
        changes[name.strip()] = value.strip()
    return assumptions.override(changes, origin="--set") if changes else assumptions


def _scenarios(args: argparse.Namespace) -> list:
    from dataclasses import replace

    from calc.scenario import Scenario, presets, resolve

    levers = {name: getattr(args, name) for name in LEVER_OPTIONS if getattr(args, name) is not None}
    if not args.scenarios:
        if levers or args.name:
            return [Scenario(name=args.name or "custom", **levers)]
        return resolve(presets())
    scenarios = resolve(args.scenarios)
    if args.name and len(scenarios) == 1:
        levers["name"] = args.name
    elif args.name:
        raise InputError("--name: names one scenario; more than one was given")
    return [replace(scenario, **levers) for scenario in scenarios]


def _run(args: argparse.Namespace) -> int:
    from calc.engine import run

    frame = run(_scenarios(args), assumptions=_load_assumptions(args))
    if args.out:
        from calc.export import export_csv

        written = export_csv(frame, args.out)
        print(f"wrote {len(frame)} rows to {written}")
        return 0
    print(results_table(frame))
    return 0


def results_table(frame) -> str:
    """The steady-state yearly effect of each scenario, side by side, with totals and present values."""
    import pandas as pd

    from calc.engine import summary

    table = summary(frame)
    columns = list(dict.fromkeys(table["scenario"]))
    rows = {}
    for variable, label, divisor, spec in TABLE_ROWS:
        values = table[table["variable"] == variable].set_index("scenario")["steady_state"]
        rows[label] = [_number(values[name] / divisor, spec) for name in columns]
    net = table[table["variable"] == "Hard Currency|Net"].set_index("scenario")
    years = frame.groupby("scenario", sort=False)["year"].agg(["min", "max"])
    rows["Net hard currency, total (USD M)"] = [_number(net["total"][name] / 1e6, ",.1f") for name in columns]
    rows["Net hard currency, present value (USD M)"] = [
        _number(net["present_value"][name] / 1e6, ",.1f") for name in columns
    ]
    rows["Years"] = [f"{years['min'][name]}-{years['max'][name]}" for name in columns]
    shown = pd.DataFrame(rows, index=columns).T
    heading = (
        "Effect of each scenario against the status quo, per year once in full effect (last year shown); "
        "totals over the years shown.\nBaselines: Stangarone, KEI (2021); ranges and sources: "
        "'sanctions-relief assumptions'."
    )
    return f"{heading}\n\n{shown.to_string()}"


def _number(value: float, spec: str) -> str:
    text = format(value, spec)
    return text[1:] if text.startswith("-") and text.strip("-0.,") == "" else text  # no "-0.0"


def _presets(args: argparse.Namespace) -> int:
    from calc.scenario import preset, presets

    for name in presets():
        scenario = preset(name)
        levers = scenario.to_dict()
        print(
            f"{name}\n  metals_share={levers['metals_share']:g}  petroleum_cap={levers['petroleum_cap']}  "
            f"luxury_share={levers['luxury_share']:g}\n  {scenario.note}\n"
        )
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
