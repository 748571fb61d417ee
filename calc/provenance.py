"""What produced a result frame, as plain data; and producing it again from that record.

``calc.run`` and ``calc.montecarlo`` record the calculator version, every assumption (value, range, unit, year,
source) and every scenario's levers in ``frame.attrs["sanctions_relief"]``; ``export_csv`` writes that record
into the Data Package beside the CSV, and ``read_csv`` puts it back. ``rerun`` runs it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from calc import __version__
from calc.assumptions import Assumptions
from calc.errors import InputError
from calc.scenario import Scenario

CALCULATOR = "sanctions-relief"


def metadata(assumptions: Assumptions, scenarios: Sequence[Scenario], **extra: Any) -> dict:
    """The record of a run: calculator version, assumption records, scenario levers (and any ``extra``)."""
    return {
        "calculator": CALCULATOR,
        "version": __version__,
        "assumptions": assumptions.to_frame().to_dict(orient="records"),
        "scenarios": [scenario.to_dict() for scenario in scenarios],
        **extra,
    }


def rerun(source: pd.DataFrame | Mapping | str | Path) -> pd.DataFrame:
    """Run again what produced ``source``: a frame with its record, the record itself, or an exported CSV.

    The result equals the original exactly when the calculator's formulas are unchanged (Monte Carlo runs use
    the recorded n, seed, sampler and quantiles).
    """
    if isinstance(source, (str, Path)):
        from calc.export import read_csv

        source = read_csv(source)
    record = source.attrs.get("sanctions_relief") if isinstance(source, pd.DataFrame) else source
    if not isinstance(record, Mapping) or not {"assumptions", "scenarios"} <= set(record):
        raise InputError("rerun: no record of assumptions and scenarios found (is the .datapackage.json beside it?)")
    assumptions = Assumptions.from_records(record["assumptions"], origin="recorded assumptions")
    try:
        scenarios = [Scenario(**levers) for levers in record["scenarios"]]
    except TypeError as error:
        raise InputError(f"recorded scenarios: {error}") from None
    if "montecarlo" not in record:
        from calc.engine import run

        return run(scenarios, assumptions=assumptions)
    from calc.uncertainty import montecarlo

    settings = record["montecarlo"]
    return montecarlo(
        scenarios,
        n=settings["n"],
        seed=settings["seed"],
        assumptions=assumptions,
        quantiles=settings["quantiles"],
        sampler=settings["sampler"],
    )
