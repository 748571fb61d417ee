"""What produced a result frame, as plain data.

``calc.run`` and ``calc.montecarlo`` record the calculator version, the areas, every assumption (value, range,
unit, year, source) and every scenario's levers in ``frame.attrs["sanctions_relief"]``; ``export_csv`` writes that
record into the Data Package beside the CSV, ``read_csv`` puts it back, and ``calc.rerun`` runs it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calc import __version__
from calc.area import declare, records
from calc.assumptions import AS_WRITTEN, Assumptions
from calc.errors import InputError
from calc.frame import MODEL, Record
from calc.scenario import Plan, plan_from


def metadata(assumptions: Assumptions, scenarios: Sequence[Plan], **extra: Any) -> Record:
    """The record of a run: calculator version, areas, assumption records, scenario levers (and any ``extra``)."""
    return Record(
        {
            "calculator": MODEL,
            "version": __version__,
            "world": assumptions.name,
            "areas": records(assumptions.areas),
            "assumptions": assumptions.to_frame().to_dict(orient="records"),
            "scenarios": [scenario.to_dict() for scenario in scenarios],
            **extra,
        }
    )


def worlds_of(record: Mapping) -> list[Mapping]:
    """The record of each world a frame was run in: the record itself, or those under ``worlds``."""
    worlds = record.get("worlds") if isinstance(record, Mapping) else None
    return list(worlds) if isinstance(worlds, list) else [record]


def recorded(record: Mapping) -> tuple[Assumptions, list[Plan]]:
    """The assumptions and scenarios a record names, checked like any input."""
    if not isinstance(record, Mapping) or not {"assumptions", "scenarios"} <= set(record):
        raise InputError("rerun: no record of assumptions and scenarios found (is the .datapackage.json beside it?)")
    areas = record.get("areas")
    if areas is not None and not isinstance(areas, Mapping):
        raise InputError("recorded areas: expected a table of area declarations")
    declared = declare(areas, "recorded areas") if areas is not None else None
    world = record.get("world", AS_WRITTEN)
    if not isinstance(world, str):
        raise InputError(f"recorded world: expected its name, got {world!r}")
    assumptions = Assumptions.from_records(
        record["assumptions"], origin="recorded assumptions", areas=declared, name=world
    )
    try:
        scenarios = [plan_from(levers) for levers in record["scenarios"]]
    except TypeError as error:
        raise InputError(f"recorded scenarios: {error}") from None
    return assumptions, scenarios
