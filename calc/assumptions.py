"""Assumption sets: every parameter as data, with its unit, range and source (read from TOML).

A set is immutable. ``load_assumptions()`` gives the shipped set; ``load_assumptions(path)`` lays a user's file
or folder over it, so a partial file changes only what it names. ``override()`` returns a new set.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from calc.errors import InputError
from calc.units import check_unit, parse_quantity, ureg

if TYPE_CHECKING:
    import pandas as pd
    import pint


@dataclass(frozen=True)
class Spec:
    """What the model expects of a parameter: the unit it computes in and the values that make sense."""

    unit: str
    meaning: str
    minimum: float = 0.0
    maximum: float = math.inf
    allow_minimum: bool = True
    allow_maximum: bool = True

    def check(self, magnitude: float, field: str) -> None:
        low_ok = magnitude > self.minimum or (self.allow_minimum and magnitude == self.minimum)
        high_ok = magnitude < self.maximum or (self.allow_maximum and magnitude == self.maximum)
        if not (low_ok and high_ok):
            raise InputError(f"{field}: {magnitude:g} is out of range; accepted: {self.meaning}")


SHARE = Spec("dimensionless", "a share from 0 to 1", maximum=1.0)

#: The parameters the models use, with the unit each is computed in. The names are part of the public contract.
PARAMETERS: Mapping[str, Spec] = MappingProxyType(
    {
        "metals.pre_sanction_exports": Spec("USD/yr", "money per year, 0 or more"),
        "metals.price_index": Spec("dimensionless", "a price ratio, 0 or more"),
        "metals.capacity_share": SHARE,
        "metals.already_smuggled_share": SHARE,
        "petroleum.legal_cap": Spec("bbl/yr", "an oil volume per year, 0 or more"),
        "petroleum.pre_sanction_imports": Spec("bbl/yr", "an oil volume per year above 0", allow_minimum=False),
        "petroleum.illicit_imports": Spec("bbl/yr", "an oil volume per year, 0 or more"),
        "petroleum.displacement_share": SHARE,
        "petroleum.price": Spec("USD/bbl", "a price per barrel, 0 or more"),
        "petroleum.smuggling_premium": Spec("dimensionless", "a mark-up, 0 or more"),
        "petroleum.bbl_per_tonne": Spec("bbl/t", "barrels per tonne above 0", allow_minimum=False),
        "luxury.observed_imports": Spec("USD/yr", "money per year, 0 or more"),
        "luxury.blocked_share": Spec(
            "dimensionless", "a share from 0 up to but not including 1", maximum=1.0, allow_maximum=False
        ),
        "context.gdp": Spec("USD/yr", "money per year above 0", allow_minimum=False),
        "context.total_exports": Spec("USD/yr", "money per year above 0", allow_minimum=False),
        "context.discount_rate": SHARE,
    }
)

REQUIRED_KEYS = ("value", "unit", "low", "high", "year", "source")
OPTIONAL_KEYS = ("url", "note", "judgement", "distribution")
#: How a parameter with a range is sampled: triangular on low/value/high (the default) or uniform on low..high.
DISTRIBUTIONS = ("triangular", "uniform")
#: A table with only these keys changes a parameter's value (and range) and keeps the rest of its record.
OVERRIDE_KEYS = ("value", "unit", "low", "high", "note")


@dataclass(frozen=True)
class Parameter:
    """One assumption: central value and range in ``unit``, the year it refers to, and where it comes from."""

    name: str
    value: float
    unit: str
    low: float
    high: float
    year: int
    source: str
    url: str = ""
    note: str = ""
    judgement: bool = False
    distribution: str = "triangular"

    @property
    def fixed(self) -> bool:
        return self.low == self.high

    def magnitudes(self) -> tuple[float, float, float]:
        """(low, value, high) in the unit the model computes in."""
        model_unit = PARAMETERS[self.name].unit
        factor = ureg.Quantity(1.0, self.unit).to(model_unit).magnitude
        return self.low * factor, self.value * factor, self.high * factor


class Assumptions(Mapping[str, Parameter]):
    """An immutable, validated set of every parameter the models need."""

    def __init__(self, parameters: Mapping[str, Parameter]):
        missing = sorted(set(PARAMETERS) - set(parameters))
        if missing:
            raise InputError(f"assumptions: missing parameter(s) {', '.join(missing)}")
        self._parameters = MappingProxyType({name: parameters[name] for name in PARAMETERS})
        self._magnitudes = MappingProxyType(
            {name: parameter.magnitudes() for name, parameter in self._parameters.items()}
        )

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except (KeyError, TypeError):
            raise InputError(_unknown(name)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def __repr__(self) -> str:
        return f"<Assumptions: {len(self)} parameters>"

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]], origin: str = "records") -> Assumptions:
        """A set from rows as ``to_frame().to_dict("records")`` gives them (as an export's metadata holds them)."""
        parameters = {}
        for record in records:
            if not isinstance(record, Mapping) or record.get("name") not in PARAMETERS:
                raise InputError(f"{origin}: {_unknown(record.get('name') if isinstance(record, Mapping) else record)}")
            table = {key: item for key, item in record.items() if key != "name" and item not in ("", None)}
            parameters[record["name"]] = _parameter(record["name"], table, f"{origin}: {record['name']}")
        return cls(parameters)

    def value(self, name: str) -> pint.Quantity:
        """The central value of ``name`` as a pint Quantity in its declared unit."""
        parameter = self[name]
        return ureg.Quantity(parameter.value, parameter.unit)

    def central(self) -> dict[str, float]:
        """Central values as plain numbers in the units the models compute in (see ``PARAMETERS``)."""
        return {name: middle for name, (_, middle, _) in self._magnitudes.items()}

    def ranges(self) -> dict[str, tuple[float, float, float]]:
        """(low, value, high) per parameter, in the units the models compute in."""
        return dict(self._magnitudes)

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: name, value, unit, low, high, year, source, url, judgement, distribution, note."""
        import pandas as pd

        rows = [
            {
                "name": p.name,
                "value": p.value,
                "unit": p.unit,
                "low": p.low,
                "high": p.high,
                "year": p.year,
                "source": p.source,
                "url": p.url,
                "judgement": p.judgement,
                "distribution": p.distribution,
                "note": p.note,
            }
            for p in self._parameters.values()
        ]
        return pd.DataFrame(rows)

    def override(self, changes: Mapping[str, Any], origin: str = "override") -> Assumptions:
        """A new set with ``changes`` applied; this one is unchanged.

        Each change is a quantity, a string with units, or a number (or numeric string) in the parameter's
        unit; that fixes the parameter at the value (low = high = value, also in Monte Carlo). A mapping with
        ``value``, ``low`` and ``high`` (and optionally ``unit``, ``note``) keeps a range.
        """
        if not isinstance(changes, Mapping):
            raise InputError(f"override: expected a mapping of parameter names to values, got {type(changes).__name__}")
        updated = dict(self._parameters)
        for name, change in changes.items():
            table = dict(change) if isinstance(change, Mapping) else {"value": change}
            updated[name] = _overridden(self[name], table, origin)
        return Assumptions(updated)


def _unknown(name: object) -> str:
    return f"unknown parameter {name!r}; known parameters: {', '.join(PARAMETERS)}"


def _overridden(base: Parameter, table: dict[str, Any], origin: str) -> Parameter:
    """``base`` with the value (and range) of an override table."""
    field = f"{origin}: {base.name}"
    unknown = sorted(set(table) - set(OVERRIDE_KEYS))
    if unknown or "value" not in table:
        raise InputError(
            f"{field}: an override takes 'value' and optionally 'unit', 'low', 'high', 'note'"
            + (f"; unknown key(s) {', '.join(map(repr, unknown))}" if unknown else "; 'value' is missing")
        )
    if ("low" in table) != ("high" in table):
        raise InputError(f"{field}: give both 'low' and 'high' to keep a range, or neither to fix the value")
    unit = check_unit(table.get("unit", base.unit), PARAMETERS[base.name].unit, f"{field}.unit")
    value = parse_quantity(table["value"], unit, f"{field}.value")
    low = parse_quantity(table.get("low", value), unit, f"{field}.low")
    high = parse_quantity(table.get("high", value), unit, f"{field}.high")
    note = table.get("note", f"Replaces {base.value:g} {base.unit} from: {base.source}")
    if not isinstance(note, str):
        raise InputError(f"{field}.note: must be text")
    result = replace(base, value=value, unit=unit, low=low, high=high, source=origin, url="", note=note)
    return _checked(result, field)


def _checked(parameter: Parameter, field: str) -> Parameter:
    """Refuse a range that does not contain the value, and values that make no physical sense."""
    if not parameter.low <= parameter.value <= parameter.high:
        raise InputError(
            f"{field}: the range low={parameter.low:g} .. high={parameter.high:g} must contain "
            f"value={parameter.value:g} (low <= value <= high)"
        )
    spec = PARAMETERS[parameter.name]
    low, value, high = parameter.magnitudes()
    for key, magnitude in (("value", value), ("low", low), ("high", high)):
        spec.check(magnitude, f"{field}.{key}")
    return parameter


def _parameter(name: str, table: dict[str, Any], field: str) -> Parameter:
    """A full parameter record from a TOML table."""
    missing = [key for key in REQUIRED_KEYS if key not in table]
    if missing:
        raise InputError(
            f"{field}: missing {', '.join(map(repr, missing))}; every parameter needs "
            f"{', '.join(REQUIRED_KEYS)} (or give only 'value', 'unit', 'low', 'high' to override)"
        )
    unit = check_unit(table["unit"], PARAMETERS[name].unit, f"{field}.unit")
    numbers = {key: parse_quantity(table[key], unit, f"{field}.{key}") for key in ("value", "low", "high")}
    year = table["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise InputError(f"{field}.year: expected a whole year such as 2016, got {year!r}")
    text = {}
    for key in ("source", "url", "note"):
        item = table.get(key, "")
        if not isinstance(item, str):
            raise InputError(f"{field}.{key}: must be text, got {type(item).__name__}")
        text[key] = item.strip()
    if not text["source"]:
        raise InputError(f"{field}.source: is empty; say who published the figure (or that it is a judgement)")
    judgement = table.get("judgement", False)
    if not isinstance(judgement, bool):
        raise InputError(f"{field}.judgement: expected true or false, got {judgement!r}")
    distribution = table.get("distribution", "triangular")
    if distribution not in DISTRIBUTIONS:
        raise InputError(f"{field}.distribution: {distribution!r} is not known; accepted: {', '.join(DISTRIBUTIONS)}")
    parameter = Parameter(name, unit=unit, year=year, judgement=judgement, distribution=distribution, **numbers, **text)
    return _checked(parameter, field)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every failure becomes an InputError naming the file."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid TOML (the file is not UTF-8 text)") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a .toml file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def _tables(path: Path) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(parameter name, table, field label) for every parameter table in a TOML file."""
    for group, members in read_toml(path).items():
        if not isinstance(members, dict):
            raise InputError(f"{path}: {group!r} must be a table of parameters such as [{group}.name]")
        for member, table in members.items():
            name = f"{group}.{member}"
            if name not in PARAMETERS:
                raise InputError(f"{path}: {_unknown(name)}")
            if not isinstance(table, dict):
                raise InputError(f"{path}: {name} must be a table with value, unit, low, high, year and source")
            unknown = sorted(set(table) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
            if unknown:
                raise InputError(
                    f"{path}: {name}: unknown key(s) {', '.join(map(repr, unknown))}; accepted: "
                    f"{', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)}"
                )
            yield name, table, f"{path}: {name}"


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise InputError(f"{path}: the folder holds no .toml assumption files")
        return files
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return [path]


def shipped_folder() -> Path:
    """The shipped ``assumptions/`` folder: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).parent
    bundled = here / "shipped_assumptions"
    return bundled if bundled.is_dir() else here.parent / "assumptions"


@cache
def _shipped() -> Assumptions:
    parameters = {}
    for path in _files(shipped_folder()):
        for name, table, field in _tables(path):
            parameters[name] = _parameter(name, table, field)
    return Assumptions(parameters)


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """The shipped assumption set, or the shipped set with a user's TOML file or folder laid over it.

    In the user's files a table with value, unit, low, high, year and source replaces the parameter; a table
    with only ``value`` (and optionally ``unit``, ``low``, ``high``, ``note``) overrides its value.
    """
    base = _shipped()
    if path is None:
        return base
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InputError(f"assumptions path: expected a file or folder path, got {path!r}")
    parameters = dict(base)
    seen: dict[str, Path] = {}
    for file in _files(Path(path)):
        for name, table, field in _tables(file):
            if name in seen:
                raise InputError(f"{file}: {name} is also given in {seen[name]}; give each parameter once")
            seen[name] = file
            if set(table) <= set(OVERRIDE_KEYS):
                parameters[name] = _overridden(base[name], table, str(file))
            else:
                parameters[name] = _parameter(name, table, field)
    return Assumptions(parameters)
