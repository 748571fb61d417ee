"""Assumption sets: every parameter as data, with its unit, range and source (read from TOML).

A set is immutable. ``load_assumptions()`` gives the shipped set; ``load_assumptions(path)`` lays a user's file
or folder over it, so a partial file changes only what it names. ``override()`` returns a new set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from calc.area import DECLARATIONS, Area, read_areas, shipped_areas
from calc.errors import InputError
from calc.files import read_toml, shipped_folder
from calc.kinds import MONEY, SHARE, Spec, check_roles, exactly
from calc.resolution import RESOLUTIONS
from calc.units import check_unit, parse_quantity, parse_with_unit, ureg

if TYPE_CHECKING:
    import pandas as pd
    import pint

#: Parameters outside every area: denominators of shares, the observed fall in exports, the discount rate.
CONTEXT: Mapping[str, Spec] = MappingProxyType(
    {
        "context.gdp": replace(
            MONEY,
            meaning="money per year above 0",
            allow_minimum=False,
            zero=False,
            plausible=(5e9, 200e9),
            basis="Bank of Korea put GNI at 35.0 tn KRW in 2020 (about USD 30 bn) and 44.4 tn KRW in 2024",
        ),
        "context.total_exports": replace(
            MONEY,
            meaning="money per year above 0",
            allow_minimum=False,
            zero=False,
            plausible=(10e6, 20e9),
            basis="KOTRA put DPRK exports at USD 0.09 bn in 2020, their lowest, and about 3.2 bn in 2013",
        ),
        "context.exports_2018": MONEY,
        "context.other_hard_currency": MONEY,
        "context.snapback_hazard": replace(SHARE, maximum=1.0, allow_maximum=False),
        "context.discount_rate": replace(
            SHARE, plausible=(0.0, 0.2), basis="US OMB Circular A-4 uses 2 % (2023) and 7 % (2003); 5 is 500 %"
        ),
    }
)
OVERLAYS = "overlays"
#: The shipped set as a world: the sanctions as written (and enforced as they were up to 2019).
AS_WRITTEN = "as-written"
#: The year given to a kind's neutral value (1.0 for a price index, 0 for a share smuggled, ...) where an area leaves
#: a parameter out: the pre-sanction valuation year of the baselines.
NEUTRAL_YEAR = 2016


def specs(areas: Sequence[Area]) -> dict[str, Spec]:
    """Every parameter a set of areas can take, with the unit the model computes it in; context first."""
    return dict(CONTEXT) | {name: spec for area in areas for name, spec in area.specs().items()}


REQUIRED_KEYS = ("value", "unit", "low", "high", "year", "source")
OPTIONAL_KEYS = ("url", "note", "judgement", "distribution", "central_weight")
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
    #: Probability that a draw takes exactly the central value (the rest follows ``distribution``): for a figure
    #: that stays at its value unless something uncertain happens (crude oil beyond the pipeline, only if the
    #: idle refinery restarts), so that the median is the central value.
    central_weight: float = 0.0

    @property
    def fixed(self) -> bool:
        return self.low == self.high

    def magnitudes(self, model_unit: str) -> tuple[float, float, float]:
        """(low, value, high) in ``model_unit``, the unit the model computes in."""
        factor = ureg.Quantity(1.0, self.unit).to(model_unit).magnitude
        return self.low * factor, self.value * factor, self.high * factor


class Assumptions(Mapping[str, Parameter]):
    """An immutable, validated set of every parameter the models need, with the areas it declares."""

    def __init__(
        self, parameters: Mapping[str, Parameter], areas: Sequence[Area] | None = None, name: str = AS_WRITTEN
    ):
        #: The world this set describes, as results name it: "as-written" for the shipped set, else the overlay,
        #: file or folder it was loaded from.
        self.name = name
        self.areas: tuple[Area, ...] = shipped_areas() if areas is None else tuple(areas)
        self.specs: Mapping[str, Spec] = MappingProxyType(specs(self.areas))
        unknown = sorted(set(parameters) - set(self.specs))
        if unknown:
            raise InputError(f"assumptions: {_unknown(unknown[0], self.specs)}")
        missing = sorted(set(CONTEXT) - set(parameters))
        if missing:
            raise InputError(f"assumptions: missing parameter(s) {', '.join(missing)}")
        for area in self.areas:
            check_roles(
                area.kind, area.name, {name.partition(".")[2] for name in parameters if _area_of(name) == area.name}
            )
        self._parameters = MappingProxyType({name: parameters[name] for name in self.specs if name in parameters})
        self._magnitudes = MappingProxyType(
            {name: parameter.magnitudes(self.specs[name].unit) for name, parameter in self._parameters.items()}
        )
        self._check_bounds()

    def _check_bounds(self) -> None:
        """Refuse a parameter above the one of its area that bounds it (``Kind.bounds``), centrally or at the high."""
        for area in self.areas:
            for role, bound, why in area.kind.bounds:
                name, limit = f"{area.name}.{role}", f"{area.name}.{bound}"
                if name not in self._magnitudes or limit not in self._magnitudes:
                    continue
                (_, value, high), (_, most, highest) = self._magnitudes[name], self._magnitudes[limit]
                if value > most or high > highest:
                    mine, theirs = self._parameters[name], self._parameters[limit]
                    raise InputError(
                        f"assumptions: {name} ({_described(mine)}) is above {limit} ({_described(theirs)}): {why}; "
                        f"lower {name} or raise {limit}"
                    )

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except (KeyError, TypeError):
            raise InputError(_unknown(name, self._parameters)) from None

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    def __repr__(self) -> str:
        return f"<Assumptions {self.name!r}: {len(self)} parameters>"

    @classmethod
    def from_records(
        cls,
        records: Sequence[Mapping[str, Any]],
        origin: str = "records",
        areas: Sequence[Area] | None = None,
        name: str = AS_WRITTEN,
    ) -> Assumptions:
        """A set from rows as ``to_frame().to_dict("records")`` gives them (as an export's metadata holds them)."""
        known = specs(shipped_areas() if areas is None else areas)
        parameters = {}
        for record in records:
            if not isinstance(record, Mapping) or record.get("name") not in known:
                given = record.get("name") if isinstance(record, Mapping) else record
                raise InputError(f"{origin}: {_unknown(given, known)}")
            table = {key: item for key, item in record.items() if key != "name" and item not in ("", None)}
            parameters[record["name"]] = _parameter(record["name"], table, f"{origin}: {record['name']}", known)
        return cls(parameters, areas, name)

    def value(self, name: str) -> pint.Quantity:
        """The central value of ``name`` as a pint Quantity in its declared unit."""
        parameter = self[name]
        return ureg.Quantity(parameter.value, parameter.unit)

    def central(self) -> dict[str, float]:
        """Central values as plain numbers in the units the models compute in (see ``specs``)."""
        return {name: middle for name, (_, middle, _) in self._magnitudes.items()}

    def ranges(self) -> dict[str, tuple[float, float, float]]:
        """(low, value, high) per parameter, in the units the models compute in."""
        return dict(self._magnitudes)

    def to_frame(self) -> pd.DataFrame:
        """One row per parameter: name, value, unit, low, high, year, source, url, judgement, distribution,
        central_weight, note."""
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
                "central_weight": p.central_weight,
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
            updated[name] = _overridden(self._base(name), table, origin, self.specs)
        return Assumptions(updated, self.areas, self.name)

    def _base(self, name: str) -> Parameter:
        """The parameter ``name``; for one its area leaves out, the kind's neutral value, so that it can be set."""
        if name in self._parameters:
            return self._parameters[name]
        area_name, _, role = name.partition(".") if isinstance(name, str) else ("", "", "")
        for area in self.areas:
            default = area.kind.roles[role].default if area.name == area_name and role in area.kind.roles else None
            if default is not None:
                source = f"neutral value of the {area.kind.name} kind; the shipped set gives no figure"
                return Parameter(name, default, self.specs[name].unit, default, default, NEUTRAL_YEAR, source)
        raise InputError(_unknown(name, self.specs))


def _numbers(parameter: Parameter, unit: str) -> tuple[float, float, float, str, float]:
    """What a parameter says, in ``unit`` (the model's): value, range and how it is drawn, not who says it."""
    return (*parameter.magnitudes(unit), parameter.distribution, parameter.central_weight)


def _described(parameter: Parameter) -> str:
    """ "294,000,000 USD/yr, range 196,000,000 to 371,000,000" for a message."""
    return f"{parameter.value:,.15g} {parameter.unit}, range {parameter.low:,.15g} to {parameter.high:,.15g}"


#: A value this many times beyond the published range of a shipped parameter is almost always a slip of units (which
#: come in factors of a thousand or a million), where other bases the sources give stay within it (luxury imports at
#: their pre-2018 level of 640-800 M are about 11 times today's 70 M).
RECORD_FACTOR = 100.0


def _within_record(parameter: Parameter, field: str, spec: Spec) -> Parameter:
    """Refuse a value, low or high of a parameter with a dimension more than ``RECORD_FACTOR`` times outside the
    range the shipped set gives it from the record (53 USD/kg for coal's 53 USD/t, 1,000 times too much; 220 kUSD/yr
    for metals' 185-464 M).
    Zero is a statement (nothing smuggled), never a slip, and is let through."""
    shipped = _shipped()._parameters.get(parameter.name)
    if shipped is None or ureg.Unit(spec.unit).dimensionless:
        return parameter
    record_low, _, record_high = shipped.magnitudes(spec.unit)
    for key, magnitude in zip(("value", "low", "high"), parameter.magnitudes(spec.unit), strict=True):
        above = record_high > 0 and magnitude > RECORD_FACTOR * record_high
        below = record_low > 0 and 0 < magnitude < record_low / RECORD_FACTOR
        if above or below:
            given = getattr(parameter, key)
            raise InputError(
                f"{field}.{key}: {given:,.15g} {parameter.unit} is more than {RECORD_FACTOR:g} times "
                f"{'above' if above else 'below'} the range the record gives ({shipped.low:,.15g} to "
                f"{shipped.high:,.15g} {shipped.unit}: {shipped.source}); check the unit (USD for USD millions? "
                "kg for t?)"
            )
    return parameter


def _area_of(name: str) -> str:
    return name.partition(".")[0]


def _unknown(name: object, known: Mapping[str, Any]) -> str:
    return f"unknown parameter {name!r}; known parameters: {', '.join(known)}"


def _overridden(base: Parameter, table: dict[str, Any], origin: str, known: Mapping[str, Spec]) -> Parameter:
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
    unit = check_unit(table.get("unit", base.unit), known[base.name].unit, f"{field}.unit")
    # with no unit stated, a bare number would be read in the parameter's unit: refused where that has a dimension
    parse = parse_quantity if "unit" in table else parse_with_unit
    value = parse(table["value"], unit, f"{field}.value")
    low = parse(table["low"], unit, f"{field}.low") if "low" in table else value
    high = parse(table["high"], unit, f"{field}.high") if "high" in table else value
    note = table.get("note", f"Replaces {base.value:g} {base.unit} from: {base.source}")
    if not isinstance(note, str):
        raise InputError(f"{field}.note: must be text")
    result = replace(base, value=value, unit=unit, low=low, high=high, source=origin, url="", note=note)
    return _within_record(_checked(result, field, known[base.name]), field, known[base.name])


def _checked(parameter: Parameter, field: str, spec: Spec) -> Parameter:
    """Refuse a range that does not contain the value, and values that make no physical sense."""
    if not parameter.low <= parameter.value <= parameter.high:
        raise InputError(
            f"{field}: the range low={exactly(parameter.low)} .. high={exactly(parameter.high)} must contain "
            f"value={exactly(parameter.value)} (low <= value <= high)"
        )
    low, value, high = parameter.magnitudes(spec.unit)
    for key, magnitude in (("value", value), ("low", low), ("high", high)):
        spec.check(magnitude, f"{field}.{key}")
    return parameter


def _parameter(name: str, table: dict[str, Any], field: str, known: Mapping[str, Spec]) -> Parameter:
    """A full parameter record from a TOML table."""
    missing = [key for key in REQUIRED_KEYS if key not in table]
    if missing:
        raise InputError(
            f"{field}: missing {', '.join(map(repr, missing))}; every parameter needs "
            f"{', '.join(REQUIRED_KEYS)} (or give only 'value', 'unit', 'low', 'high' to override)"
        )
    unit = check_unit(table["unit"], known[name].unit, f"{field}.unit")
    value, low, high = (parse_quantity(table[key], unit, f"{field}.{key}") for key in ("value", "low", "high"))
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
    weight = table.get("central_weight", 0.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight < 1.0:
        raise InputError(
            f"{field}.central_weight: expected a probability from 0 up to but not including 1, got {weight!r}"
        )
    parameter = Parameter(
        name,
        value=value,
        unit=unit,
        low=low,
        high=high,
        year=year,
        source=text["source"],
        url=text["url"],
        note=text["note"],
        judgement=judgement,
        distribution=distribution,
        central_weight=float(weight),
    )
    return _checked(parameter, field, known[name])


def _tables(path: Path, known: Mapping[str, Spec]) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(parameter name, table, field label) for every parameter table in a TOML file."""
    for group, members in read_toml(path).items():
        if not isinstance(members, dict):
            raise InputError(f"{path}: {group!r} must be a table of parameters such as [{group}.name]")
        for member, table in members.items():
            name = f"{group}.{member}"
            if name not in known:
                raise InputError(f"{path}: {_unknown(name, known)}")
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
    """The parameter files of a folder (not its area declarations), or the one file ``path``."""
    if path.is_dir():
        copy, shipped = path / RESOLUTIONS, shipped_folder() / RESOLUTIONS
        if copy.is_file() and copy.resolve() != shipped.resolve() and copy.read_bytes() != shipped.read_bytes():
            raise InputError(
                f"{copy}: differs from the shipped resolutions, and an assumption folder cannot change them (the "
                "calculator reads assumptions/resolutions.toml only); remove the file or restore the shipped copy"
            )
        files = sorted(file for file in path.glob("*.toml") if file.name not in (DECLARATIONS, RESOLUTIONS))
        if not files and not (path / DECLARATIONS).is_file():
            raise InputError(f"{path}: the folder holds no .toml assumption files")
        return files
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return [path]


def overlays() -> list[str]:
    """Names of the shipped overlays, which ``load_assumptions(name)`` lays over the shipped set."""
    return sorted(path.stem for path in (shipped_folder() / OVERLAYS).glob("*.toml"))


def _located(path: str | Path) -> Path:
    """A user's path, or the shipped overlay of that name (``prices-2024``) when no such path exists."""
    candidate = Path(path)
    if not candidate.exists() and isinstance(path, str) and re.fullmatch(r"[A-Za-z0-9_-]+", path):
        overlay = shipped_folder() / OVERLAYS / f"{path}.toml"
        if overlay.is_file():
            return overlay
        raise InputError(
            f"assumptions: {path!r} is neither a file or folder nor a shipped world; "
            f"worlds: {', '.join([AS_WRITTEN, *overlays()])}"
        )
    return candidate


@cache
def _shipped() -> Assumptions:
    areas = shipped_areas()
    known = specs(areas)
    parameters = {}
    for path in _files(shipped_folder()):
        for name, table, field in _tables(path, known):
            parameters[name] = _parameter(name, table, field, known)
    return Assumptions(parameters, areas)


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """The shipped assumption set, or the shipped set with a user's TOML file or folder (or a shipped overlay,
    by name: ``"prices-2024"``) laid over it.

    In the user's files a table with value, unit, low, high, year and source replaces the parameter; a table
    with only ``value`` (and optionally ``unit``, ``low``, ``high``, ``note``) overrides its value. A folder
    may also hold an ``areas.toml`` declaring areas of its own, with their parameters in files beside it.
    """
    base = _shipped()
    if path is None or (isinstance(path, str) and path.strip() == AS_WRITTEN):
        return base
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InputError(f"assumptions path: expected a file or folder path, got {path!r}")
    if isinstance(path, str) and "+" in path:
        return _layered([layer.strip() for layer in path.split("+")], path.strip())
    world = str(path).strip()
    path = _located(path)
    areas = base.areas
    if path.is_dir() and (path / DECLARATIONS).is_file():
        areas = read_areas(path / DECLARATIONS, known=areas)
    known = specs(areas)
    parameters = dict(base)
    seen: dict[str, Path] = {}
    for file in _files(path):
        for name, table, field in _tables(file, known):
            if name in seen:
                raise InputError(f"{file}: {name} is also given in {seen[name]}; give each parameter once")
            seen[name] = file
            if set(table) <= set(OVERRIDE_KEYS) and name in base:
                parameters[name] = _overridden(base[name], table, str(file), known)
            else:
                parameters[name] = _within_record(_parameter(name, table, field, known), field, known[name])
    return Assumptions(parameters, areas, world)


def _layered(layers: list[str], name: str) -> Assumptions:
    """Overlays laid one over another (``prices-2024+enforced-2025``). Two that set one parameter differently are
    refused: neither can be said to be meant, and the order of a command line is no reason to prefer one."""
    if any(not layer for layer in layers):
        raise InputError(f"assumptions: {name!r} has an empty part; join overlays as 'prices-2024+enforced-2025'")
    return _laid(_shipped(), "", [(layer, load_assumptions(layer)) for layer in layers], name)


def in_world(assumptions: Assumptions, world: str, origin: str = "these assumptions") -> Assumptions:
    """``assumptions`` in the shipped ``world``: as they are for as-written, else with what the overlay changes in
    the shipped set laid over them. A parameter that both ``assumptions`` (called ``origin`` in the message) and the
    overlay change, differently, is refused, as it is between overlays laid with '+'."""
    if world == AS_WRITTEN:
        return assumptions
    if world not in overlays():
        raise InputError(f"world: {world!r} is not a shipped world; worlds: {', '.join([AS_WRITTEN, *overlays()])}")
    name = world if assumptions.name == AS_WRITTEN else f"{assumptions.name}+{world}"
    return _laid(assumptions, origin, [(world, load_assumptions(world))], name)


def _laid(base: Assumptions, origin: str, layers: list[tuple[str, Assumptions]], name: str) -> Assumptions:
    """``base`` with what each layer (a set loaded over the shipped one) changes in the shipped set laid over it;
    a parameter set differently by two of them (``base`` called ``origin``) is refused."""
    shipped = _shipped()
    parameters, areas = dict(base), {area.name: area for area in base.areas}
    setters = {
        parameter: origin
        for parameter, record in base.items()
        if parameter not in shipped or shipped[parameter] != record
    }
    for layer, loaded in layers:
        areas |= {area.name: area for area in loaded.areas if area.name not in areas}
        for parameter, record in loaded.items():
            if parameter in shipped and shipped[parameter] == record:
                continue
            unit = loaded.specs[parameter].unit
            if parameter in setters and _numbers(parameters[parameter], unit) != _numbers(record, unit):
                raise InputError(
                    f"assumptions: {parameter} is set by both {setters[parameter]!r} and {layer!r}, differently; "
                    "leave one of them out, or set it once in a file of your own laid over both"
                )
            parameters[parameter], setters[parameter] = record, layer
    return Assumptions(parameters, tuple(areas.values()), name)


@cache
def _shipped_parameters() -> Mapping[str, Spec]:
    return MappingProxyType(specs(shipped_areas()))


def __getattr__(name: str) -> Any:
    """``PARAMETERS``: the parameters of the shipped areas and the context with the units the models compute in
    (the names are part of the public contract); read from the shipped declarations on first use, not at import."""
    if name == "PARAMETERS":
        return _shipped_parameters()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
