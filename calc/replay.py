"""Producing a result again from its record (``calc.rerun``): the recorded areas, assumptions and scenarios, and
for Monte Carlo the recorded n, seed, sampler and quantiles."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from calc.engine import run
from calc.errors import InputError
from calc.export import read_csv
from calc.frame import in_worlds
from calc.record import recorded, worlds_of
from calc.uncertainty import montecarlo

MONTECARLO_KEYS = ("n", "seed", "sampler", "quantiles")


def rerun(source: pd.DataFrame | Mapping | str | Path) -> pd.DataFrame:
    """Run again what produced ``source``: a frame with its record, the record itself, or an exported CSV.

    The result equals the original exactly when the calculator's formulas are unchanged.
    """
    if isinstance(source, (str, Path)):
        source = read_csv(source)
    record = source.attrs.get("sanctions_relief") if isinstance(source, pd.DataFrame) else source
    if not isinstance(record, Mapping):
        raise InputError("rerun: no record of assumptions and scenarios found (is the .datapackage.json beside it?)")
    return in_worlds([_rerun(world) for world in worlds_of(record)])


def _rerun(record: Mapping) -> pd.DataFrame:
    """One world's run again, from its record."""
    assumptions, scenarios = recorded(record)
    if "montecarlo" not in record:
        return run(scenarios, assumptions=assumptions)
    settings = record["montecarlo"]
    missing = [key for key in MONTECARLO_KEYS if not isinstance(settings, Mapping) or key not in settings]
    if missing:
        raise InputError(f"recorded montecarlo: missing {', '.join(missing)}; the record is damaged")
    return montecarlo(
        scenarios,
        n=settings["n"],
        seed=settings["seed"],
        assumptions=assumptions,
        quantiles=settings["quantiles"],
        sampler=settings["sampler"],
        relative_to=settings.get("relative_to"),
    )
