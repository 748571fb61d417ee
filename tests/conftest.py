import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import strategies as st

import calc
from calc.assumptions import PARAMETERS, RECORD_FACTOR

#: The explicit values the hand-worked tests use, as numbers in each parameter's shipped unit (the shipped central
#: values of version 0.1.0). Tests that work a result out by hand run on ``figures`` (the shipped set with exactly
#: these values), so that editing a value in ``assumptions/`` breaks one test
#: (tests/test_engine.py::test_shipped_central_figures, which pins what is shipped), not many.
FIGURES = {
    "context.gdp": 31e9,
    "context.total_exports": 2.82e9,
    "context.exports_2018": 0.243e9,
    "context.discount_rate": 0.05,
    "context.other_hard_currency": 540e6,
    "context.snapback_hazard": 0.1,
    "metals.pre_sanction_exports": 220e6,
    "metals.price_index": 1.0,
    "metals.capacity_share": 1.0,
    "metals.already_smuggled_share": 0.0,
    "petroleum.legal_cap": 500_000,
    "petroleum.legal_imports": 500_000,
    "petroleum.pre_sanction_imports": 4.5e6,
    "petroleum.illicit_imports": 2e6,
    "petroleum.displacement_share": 0.5,
    "petroleum.price": 100,
    "petroleum.smuggling_premium": 0.2,
    "petroleum.bbl_per_tonne": 7.5,
    "luxury.observed_imports": 69.6e6,
    "luxury.blocked_share": 0.68,
    "coal.pre_sanction_exports": 1190e6,
    "coal.price_index": 1.0,
    "coal.capacity_share": 1.0,
    "coal.smuggled_exports": 294e6,
    "coal.unit_value": 53,
    "seafood.pre_sanction_exports": 295e6,
    "seafood.smuggled_exports": 0.0,
    "fishing_rights.pre_sanction_exports": 75e6,
    "fishing_rights.smuggled_exports": 17e6,
    "textiles.pre_sanction_exports": 752e6,
    "textiles.net_foreign_exchange_share": 0.5,
    "textiles.smuggled_exports": 0.0,
    "other_exports.pre_sanction_exports": 250e6,
    "other_exports.smuggled_exports": 0.0,
    "workers.pre_sanction_exports": 500e6,
    "workers.already_smuggled_share": 0.8,
    "crude_oil.legal_cap": 4e6,
    "crude_oil.pre_sanction_imports": 3.8e6,
    "crude_oil.price": 80.7,
    "crude_oil.bbl_per_tonne": 7.32,
    "crude_oil.hard_currency_share": 0.0,
    "capital_goods.pre_sanction_imports": 1.2e9,
    "capital_goods.blocked_share": 0.9,
}


def missing(what: str, why: str) -> None:
    """A test needs ``what``, which is not here: skip with the reason, except in CI (CI=true), where the test
    extra and .ci/run install everything, so that a missing dependency is a broken install and fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI: {why}")
    pytest.skip(f"{what} is not installed ({why})")


def require(module: str, extra: str = "test") -> None:
    """Import ``module`` or report it missing (see ``missing``), naming the extra that installs it."""
    try:
        __import__(module)
    except ImportError:
        missing(module, f"pip install '.[{extra}]' installs it")


def uninstall(monkeypatch, package: str) -> None:
    """Make ``package`` look uninstalled: importing it, or any module of it already loaded, raises ImportError."""
    for name in [name for name in sys.modules if name == package or name.startswith(f"{package}.")] + [package]:
        monkeypatch.setitem(sys.modules, name, None)


#: Headless Chromium as the tests run it: no sandbox (CI runs as root) and no traffic of its own.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium():
    """Debian's chromium and Playwright's sync API, or report them missing (see ``missing``)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        missing("headless Chromium", "Debian package 'chromium'; .ci/run installs it")
    require("playwright")
    from playwright.sync_api import sync_playwright

    return executable, sync_playwright


def frictionless_validate(path: Path) -> None:
    """Validate a Data Package with frictionless's command, run beside it as a user would."""
    executable = Path(sys.executable).with_name("frictionless")
    if not executable.exists() and shutil.which("frictionless") is None:
        missing("frictionless", "pip install '.[test]' installs it")
    command = [str(executable) if executable.exists() else "frictionless", "validate", path.name]
    done = subprocess.run(command, cwd=path.parent, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VALID" in done.stdout and "INVALID" not in done.stdout


@pytest.fixture(scope="session")
def shipped():
    return calc.load_assumptions()


def in_units(assumptions, values: dict) -> dict:
    """``values`` (numbers in each parameter's unit in ``assumptions``) as quantities, as an override takes them."""
    return {name: calc.ureg.Quantity(value, assumptions[name].unit) for name, value in values.items()}


def valid_assumptions():
    """Overrides anywhere inside the accepted bounds (physical, plausible, within a hundred times the record's range for
    a parameter with a dimension, and below the parameter that bounds it), not only inside the published ranges, as
    quantities in the unit the model computes in: for every parameter an override can set, those of the shipped set
    and those an area leaves at its kind's default."""
    shipped = calc.load_assumptions()
    settable = set(shipped) | {
        f"{area.name}.{role}"
        for area in shipped.areas
        for role, spec in area.kind.roles.items()
        if spec.default is not None
    }

    def accepted(name, spec):
        low = max(spec.minimum, spec.plausible[0])
        high = min(spec.maximum, spec.plausible[1])
        if name in shipped and not calc.ureg.Unit(spec.unit).dimensionless:
            record_low, _, record_high = shipped[name].magnitudes(spec.unit)
            low = max(low, record_low / RECORD_FACTOR)
            high = min(high, record_high * RECORD_FACTOR) if record_high > 0 else high
        floats = st.floats(
            low,
            high,
            exclude_min=low == spec.minimum and not spec.allow_minimum,
            exclude_max=high == spec.maximum and not spec.allow_maximum,
        )
        if spec.zero:
            floats = st.one_of(st.just(0.0), floats)
        return floats.map(lambda value: calc.ureg.Quantity(value, spec.unit))

    bounds = [
        (f"{area.name}.{role}", f"{area.name}.{limit}") for area in shipped.areas for role, limit, _ in area.kind.bounds
    ]

    def within_bounds(changes):
        """Each bounded parameter at most its bound, as the set will have them (the change, else the shipped)."""
        for name, limit in bounds:
            value = changes.get(name, shipped.value(name) if name in shipped else None)
            most = changes.get(limit, shipped.value(limit) if limit in shipped else None)
            if value is not None and most is not None and value > most:
                changes = {**changes, name: most.to(value.units)}
        return changes

    values = {name: accepted(name, spec) for name, spec in PARAMETERS.items() if name in settable}
    return st.fixed_dictionaries({}, optional=values).map(within_bounds)


def check_aggregates(frame: pd.DataFrame) -> list[str]:
    """pyam's check_aggregate, written out: for every variable with children (``parent|child``, one level down)
    in the frame, the parent must equal the sum of its children in every scenario and year."""
    names = set(frame["variable"])
    wide = frame.pivot_table(index=["scenario", "year"], columns="variable", values="value")
    failures = []
    for parent in names:
        children = [name for name in names if name.rpartition("|")[0] == parent]
        if children and not np.allclose(wide[parent], wide[children].sum(axis=1), rtol=1e-9, atol=1e-6):
            failures.append(parent)
    return failures


@pytest.fixture(scope="session")
def figures(shipped):
    """The shipped set with every parameter fixed at ``FIGURES``."""
    return shipped.override(in_units(shipped, FIGURES))


@pytest.fixture
def write(tmp_path):
    """Write dedented text to a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    return _write
