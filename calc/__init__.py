"""sanctions-relief: what North Korea would gain in hard currency and fuel if UN sanctions were eased.

Names are imported on first use, so ``import calc`` (and ``sanctions-relief --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from calc.errors import InputError, MissingExtra

__version__ = "0.1.0"

_PUBLIC = {
    "ureg": "calc.units",
    "Assumptions": "calc.assumptions",
    "Parameter": "calc.assumptions",
    "load_assumptions": "calc.assumptions",
    "Scenario": "calc.scenario",
    "Package": "calc.scenario",
    "Step": "calc.scenario",
    "load_scenarios": "calc.scenario",
    "presets": "calc.scenario",
    "preset": "calc.scenario",
    "VARIABLES": "calc.variables",
    "areas": "calc.area",
    "run": "calc.engine",
    "summary": "calc.tables",
    "table": "calc.display",
    "compare": "calc.tables",
    "history_check": "calc.history",
    "context": "calc.outside",
    "resolutions": "calc.bites",
    "montecarlo": "calc.uncertainty",
    "tornado": "calc.uncertainty",
    "sobol": "calc.uncertainty",
    "solve": "calc.goal",
    "discover": "calc.discovery",
    "export_csv": "calc.export",
    "read_csv": "calc.export",
    "export_xlsx": "calc.workbook",
    "rerun": "calc.replay",
    "plot_scenarios": "calc.charts",
    "plot_path": "calc.charts",
    "plot_fan": "calc.charts",
    "plot_tornado": "calc.charts",
    "plot_discovery": "calc.charts",
    "plot_package": "calc.charts",
    "save_figure": "calc.charts",
    "report": "calc.reporting",
    "serve": "calc.explorer",
}

__all__ = ["InputError", "MissingExtra", "__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'calc' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
