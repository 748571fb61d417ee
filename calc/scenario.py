"""Scenarios: a relief package as a few levers, validated on creation; presets and scenario files in TOML."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import asdict, dataclass, fields
from functools import cache
from numbers import Integral, Real
from pathlib import Path
from typing import Any

from calc.assumptions import read_toml, shipped_folder
from calc.errors import InputError
from calc.units import parse_quantity

#: ``petroleum_cap`` left out: the status-quo cap of the assumption set the scenario runs with.
STATUS_QUO = "status-quo"
#: ``petroleum_cap`` written in a file or on the command line for "no cap" (``None`` in Python).
LIFTED = "lifted"
MAX_HORIZON = 200
MAX_NAME = 80


@dataclass(frozen=True)
class Scenario:
    """A relief package. Every effect is measured against the status quo of the assumptions it runs with.

    ``petroleum_cap`` takes a Quantity, a string with units, or a number (or numeric string) in bbl/yr; None
    (or "lifted") lifts the cap; left out (or "status-quo") keeps the status-quo cap. It is stored as a number
    in bbl/yr, None or "status-quo".
    """

    name: str = "custom"
    metals_share: float = 0.0
    petroleum_cap: Any = STATUS_QUO
    luxury_share: float = 0.0
    start_year: int = 2027
    horizon: int = 10
    ramp_years: int = 0
    note: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "name", _text(self.name, "name", MAX_NAME, single_line=True))
        set_(self, "note", _text(self.note, f"scenario {self.name!r}: note", 4000, single_line=False))
        field = f"scenario {self.name!r}"
        set_(self, "metals_share", _share(self.metals_share, f"{field}: metals_share"))
        set_(self, "luxury_share", _share(self.luxury_share, f"{field}: luxury_share"))
        set_(self, "petroleum_cap", _cap(self.petroleum_cap, f"{field}: petroleum_cap"))
        set_(self, "start_year", _whole(self.start_year, f"{field}: start_year", 1900, 2200))
        set_(self, "horizon", _whole(self.horizon, f"{field}: horizon", 1, MAX_HORIZON))
        set_(self, "ramp_years", _whole(self.ramp_years, f"{field}: ramp_years", 0, MAX_HORIZON))

    @property
    def years(self) -> range:
        return range(self.start_year, self.start_year + self.horizon)

    def to_dict(self) -> dict[str, Any]:
        """The levers as plain data (the cap as "N bbl/yr", "lifted" or "status-quo"), as a scenario file has them."""
        data = asdict(self)
        cap = self.petroleum_cap
        data["petroleum_cap"] = (
            LIFTED if cap is None else cap if cap == STATUS_QUO else f"{repr(cap).removesuffix('.0')} bbl/yr"
        )
        return data


LEVERS = tuple(field.name for field in fields(Scenario))


def _text(value: object, field: str, limit: int, single_line: bool) -> str:
    if not isinstance(value, str):
        raise InputError(f"{field}: expected text, got {type(value).__name__}")
    allowed_controls = "" if single_line else "\n\t"
    bad = [ch for ch in value if unicodedata.category(ch).startswith("C") and ch not in allowed_controls]
    if bad:
        raise InputError(f"{field}: contains control character {bad[0]!r}; use printable text only")
    if single_line and ("/" in value or "\\" in value):
        raise InputError(f"{field}: {value!r} contains a path separator ('/' or '\\'); use letters, digits, '-', '_'")
    if single_line and not value.strip():
        raise InputError(f"{field}: must not be empty")
    if len(value) > limit:
        raise InputError(f"{field}: is {len(value)} characters long; at most {limit} are accepted")
    return value.strip() if single_line else value


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, str)):
        raise InputError(f"{field}: expected a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{field}: expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise InputError(f"{field}: must be a finite number, got {value!r}")
    return number


def _share(value: object, field: str) -> float:
    number = _number(value, field)
    if not 0.0 <= number <= 1.0:
        raise InputError(f"{field}: {number:g} is out of range; accepted: a share from 0 to 1")
    return number


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, Integral) and not isinstance(value, bool):
        number = int(value)
    else:
        number_ = _number(value, field)
        if not number_.is_integer():
            raise InputError(f"{field}: expected a whole number, got {value!r}")
        number = int(number_)
    if not low <= number <= high:
        raise InputError(f"{field}: {number} is out of range; accepted: a whole number from {low} to {high}")
    return number


def _cap(value: object, field: str) -> float | str | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in (LIFTED, "none")):
        return None
    if isinstance(value, str) and value.strip().lower() == STATUS_QUO:
        return STATUS_QUO
    cap = parse_quantity(value, "bbl/yr", field)
    if cap < 0:
        raise InputError(f"{field}: {cap:g} bbl/yr is negative; accepted: 0 or more bbl/yr, 'lifted' or 'status-quo'")
    return cap


def load_scenarios(path: str | Path) -> list[Scenario]:
    """The scenarios of a TOML file: one table per scenario, named by the scenario, holding its levers."""
    path = Path(path)
    scenarios = []
    for name, table in read_toml(path).items():
        if not isinstance(table, dict):
            raise InputError(f"{path}: {name!r} must be a table of levers such as [{name}] metals_share = 0.5")
        unknown = sorted(set(table) - set(LEVERS) - {"name"})
        if unknown:
            raise InputError(
                f"{path}: scenario {name!r}: unknown key(s) {', '.join(map(repr, unknown))}; "
                f"accepted: {', '.join(LEVERS[1:])}"
            )
        try:
            scenarios.append(Scenario(**{"name": name, **table}))
        except InputError as error:
            raise InputError(f"{path}: {error}") from None
    if not scenarios:
        raise InputError(f"{path}: holds no scenario; write one table per scenario, e.g. [my-scenario]")
    return scenarios


@cache
def _presets() -> dict[str, Scenario]:
    return {scenario.name: scenario for scenario in load_scenarios(shipped_folder() / "scenarios" / "presets.toml")}


def presets() -> list[str]:
    """Names of the shipped preset scenarios."""
    return list(_presets())


def preset(name: str) -> Scenario:
    """The shipped preset scenario called ``name``."""
    try:
        return _presets()[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown scenario {name!r}; presets: {', '.join(_presets())}") from None


def first_eased(scenarios: list[Scenario]) -> Scenario:
    """The first scenario that is not the status quo (the one worth a sensitivity analysis), else the first."""
    return next((scenario for scenario in scenarios if scenario.name != STATUS_QUO), scenarios[0])


def resolve(scenarios: Scenario | str | Path | list[Scenario | str | Path] | tuple) -> list[Scenario]:
    """Scenarios from a Scenario, a preset name, a path to a scenario TOML file, or a list of those."""
    items = list(scenarios) if isinstance(scenarios, (list, tuple)) else [scenarios]
    if not items:
        raise InputError("scenarios: give at least one scenario or preset name")
    resolved: list[Scenario] = []
    for item in items:
        if isinstance(item, Scenario):
            resolved.append(item)
        elif isinstance(item, Path) or (isinstance(item, str) and item.endswith(".toml")):
            resolved.extend(load_scenarios(item))
        elif isinstance(item, str):
            resolved.append(preset(item))
        else:
            raise InputError(
                f"scenarios: expected a Scenario, a preset name or a .toml path, got {type(item).__name__}"
            )
    names = [scenario.name for scenario in resolved]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(
            f"scenarios: the name(s) {', '.join(map(repr, duplicates))} appear more than once; names must differ"
        )
    return resolved
