"""sanctions-relief: what North Korea would gain in hard currency and fuel if UN sanctions were eased.

Names are imported on first use, so ``import calc`` (and ``sanctions-relief --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from calc.errors import InputError, MissingExtra

__version__ = "0.1.0"

if TYPE_CHECKING:  # for type checkers, what __getattr__ imports at run time ("x as x": calc exports x)
    from calc.area import areas as areas
    from calc.assumptions import Assumptions as Assumptions
    from calc.assumptions import Parameter as Parameter
    from calc.assumptions import load_assumptions as load_assumptions
    from calc.bites import resolutions as resolutions
    from calc.charts import plot_discovery as plot_discovery
    from calc.charts import plot_fan as plot_fan
    from calc.charts import plot_package as plot_package
    from calc.charts import plot_path as plot_path
    from calc.charts import plot_scenarios as plot_scenarios
    from calc.charts import plot_tornado as plot_tornado
    from calc.charts import save_figure as save_figure
    from calc.discovery import discover as discover
    from calc.display import table as table
    from calc.engine import run as run
    from calc.explorer import serve as serve
    from calc.export import export_csv as export_csv
    from calc.export import read_csv as read_csv
    from calc.goal import solve as solve
    from calc.history import history_check as history_check
    from calc.outside import context as context
    from calc.replay import rerun as rerun
    from calc.reporting import report as report
    from calc.scenario import Package as Package
    from calc.scenario import Scenario as Scenario
    from calc.scenario import Step as Step
    from calc.scenario import load_scenarios as load_scenarios
    from calc.scenario import preset as preset
    from calc.scenario import presets as presets
    from calc.tables import compare as compare
    from calc.tables import summary as summary
    from calc.uncertainty import montecarlo as montecarlo
    from calc.uncertainty import sobol as sobol
    from calc.uncertainty import tornado as tornado
    from calc.units import ureg as ureg
    from calc.variables import VARIABLES as VARIABLES
    from calc.workbook import export_xlsx as export_xlsx

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
