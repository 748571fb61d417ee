"""Scenarios: a relief package as levers, one per area, validated on creation; presets and scenario files in TOML.

The article's three areas have keywords of their own (``metals_share``, ``petroleum_cap``, ``luxury_share``);
every other area is eased through ``relief``, a mapping of area name to lever. Levers of the shipped areas are
checked when the scenario is made; names of areas that an assumption folder of your own declares are checked
when the scenario runs with it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from numbers import Integral, Real
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pint

from calc.area import KEYWORDS, Area, shipped_areas
from calc.errors import InputError
from calc.files import read_toml, shipped_folder
from calc.kinds import LIFTED, STATUS_QUO, Cap, Lever, exactly
from calc.resolution import Law, shipped_law
from calc.units import parse_quantity

#: A lever left out: the status quo, or what ``lift`` gives the area.
UNSET: Any = type("Unset", (), {"__repr__": lambda self: "UNSET"})()

MAX_HORIZON = 200
MAX_NAME = 80
#: What ``sanctions-relief run`` and ``calc.report`` show when no scenario is named.
DEFAULT_SCENARIOS = ("status-quo", "article-demands", "hanoi-2019", "full-relief")


class Timed:
    """What scenarios and packages share: a name, a note, and a horizon of years from ``start_year``."""

    name: str
    note: str
    start_year: int
    horizon: int
    ramp_years: int

    def _check_timing(self) -> None:
        set_ = object.__setattr__
        set_(self, "name", checked_name(self.name))
        where = f"{type(self).__name__.lower()} {self.name!r}"
        set_(self, "note", _text(self.note, f"{where}: note", 4000, single_line=False))
        set_(self, "start_year", whole_number(self.start_year, f"{where}: start_year", 1900, 2200))
        set_(self, "horizon", whole_number(self.horizon, f"{where}: horizon", 1, MAX_HORIZON))
        set_(self, "ramp_years", whole_number(self.ramp_years, f"{where}: ramp_years", 0, MAX_HORIZON))

    @property
    def years(self) -> range:
        return range(self.start_year, self.start_year + self.horizon)

    def year_index(self, year: int | None) -> int:
        """The position of ``year`` in the horizon; None is the last year (the steady state)."""
        if year is None:
            return self.horizon - 1
        if isinstance(year, bool) or year not in self.years:
            raise InputError(
                f"year: {year!r} is outside {type(self).__name__.lower()} {self.name!r}; accepted: "
                f"{self.years[0]} to {self.years[-1]}"
            )
        return self.years.index(year)


#: How an area came to its lever in a stretch of years: the levers it took since its easing began, each with the
#: position of the year it took effect, oldest first (the last is the lever in force). A step that keeps a lever
#: continues its ramp; one that opens the area further ramps the part it adds (``calc.engine.profiles``).
Layers = tuple[tuple[int, Lever], ...]


@dataclass(frozen=True)
class Segment:
    """Years of a scenario or package (positions in its horizon) with one lever per area; for each area the layers of
    its easing (``Layers``), and the areas some step eases in these years (``eased``: the levers ``calc.solve``
    moves; every area for a scenario)."""

    years: tuple[int, ...]
    levers: dict[str, Lever]
    layers: dict[str, Layers]
    eased: frozenset[str]


@dataclass(frozen=True)
class Scenario(Timed):
    """A relief package. Every effect is measured against the status quo of the assumptions it runs with.

    ``petroleum_cap`` takes a Quantity, a string with units, or a number (or numeric string) above 1 in bbl/yr;
    None (or "lifted") lifts the cap; left out (or "status-quo") keeps the status-quo cap. A number from 0 to 1 is
    refused: for every share lever 1 lifts the ban, so here it would silently mean one barrel. A cap is stored as a
    ``Cap`` (its amount and unit: ``Cap(2000000.0, "bbl/yr")``), None or "status-quo".
    """

    name: str = "custom"
    metals_share: Any = UNSET
    petroleum_cap: Any = UNSET
    luxury_share: Any = UNSET
    relief: Mapping[str, Any] = field(default_factory=dict, hash=False)
    lift: Sequence[str] = ()
    start_year: int = 2027
    horizon: int = 10
    ramp_years: int = 0
    note: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        self._check_timing()
        where = f"scenario {self.name!r}"
        set_(self, "lift", shipped_law().checked(self.lift, f"{where}: lift") if self.lift else ())
        lifted = self.lifted()
        relief = dict(self.relief) if isinstance(self.relief, Mapping) else self.relief
        areas = {area.keyword: area for area in shipped_areas() if area.keyword}
        for keyword, area in areas.items():
            value = getattr(self, keyword)
            if isinstance(relief, dict) and area.name in relief:  # the keyword's alias
                aliased = area.kind.lever_value(relief.pop(area.name), f"{where}: relief: {area.name}")
                if value is not UNSET and area.kind.lever_value(value, f"{where}: {keyword}") != aliased:
                    raise InputError(
                        f"{where}: {keyword} and relief: {area.name} set one area differently ({plain_lever(value)} "
                        f"and {plain_lever(aliased)}); give it once"
                    )
                value = aliased
            value = lifted.get(area.name, area.kind.status_quo) if value is UNSET else value
            set_(self, keyword, area.kind.lever_value(value, f"{where}: {keyword}"))
        given = _relief(relief, where, shipped_areas(), checked_only=False)
        opened = {
            area.name: lifted[area.name]
            for area in shipped_areas()
            if not area.keyword and lifted.get(area.name, area.kind.status_quo) != area.kind.status_quo
        }
        set_(self, "relief", MappingProxyType(opened | given))

    def lifted(self) -> dict[str, Lever]:
        """The lever ``lift`` gives each area some resolution reaches (empty when nothing is lifted)."""
        return shipped_law().levers(self.lift) if self.lift else {}

    def overridden(self, areas: Sequence[Area]) -> list[str]:
        """The areas (of ``areas``, those of the assumptions it runs with) that a resolution of ``lift`` reaches and
        whose lever the scenario sets otherwise than the lift would: the lever set wins
        (docs/explanation/resolutions.md)."""
        law, lifted, mine = shipped_law(), self.lifted(), self.levers(areas)
        reached = {measure.area for name in self.lift for measure in law.resolutions[name].measures}
        return [name for name, lever in lifted.items() if name in reached and name in mine and mine[name] != lever]

    def segments(self, areas: Sequence[Area]) -> list[Segment]:
        """The scenario's levers over its whole horizon, ramped from its first year: one segment."""
        levers = self.levers(areas)
        layers: dict[str, Layers] = {name: ((0, lever),) for name, lever in levers.items()}
        return [Segment(tuple(range(self.horizon)), levers, layers, frozenset(levers))]

    def in_force(self, p: Mapping[str, Any]) -> np.ndarray:
        """The probability that the relief is in force in each year: 1 throughout (a scenario never snaps back)."""
        return np.ones(self.horizon)

    def levers(self, areas: Sequence[Area]) -> dict[str, Lever]:
        """Every area's lever, by area name, checked against ``areas`` (those of the assumptions it runs with);
        an area the scenario does not mention keeps the status quo."""
        where = f"scenario {self.name!r}"
        relief = _relief(self.relief, where, areas, checked_only=True)
        return {
            area.name: getattr(self, area.keyword) if area.keyword else relief.get(area.name, area.kind.status_quo)
            for area in areas
        }

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data, as a scenario file has it (caps as "N bbl/yr", "lifted"): the resolutions
        lifted, and each area's lever where it is not what ``lift`` (or, lifting nothing, the status quo) gives it;
        ``Scenario(**scenario.to_dict())`` is the same scenario."""
        lifted = self.lifted()
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        for area in shipped_areas():
            if area.keyword and data[area.keyword] == lifted.get(area.name, area.kind.status_quo):
                del data[area.keyword]  # left out: the status quo, or what lift gives it
            elif area.keyword:
                data[area.keyword] = plain_lever(data[area.keyword])
        data["relief"] = {
            name: plain_lever(lever)
            for name, lever in self.relief.items()
            if name not in lifted or lifted[name] != lever
        }
        data["lift"] = list(self.lift)
        return data


LEVERS = tuple(field.name for field in fields(Scenario))
#: The hazard of a package that takes it from the assumptions (and so samples it in Monte Carlo runs).
HAZARD = "context.snapback_hazard"
ASSUMED = "assumed"


@dataclass(frozen=True)
class Step:
    """One step of a package: from ``year`` until ``until`` (inclusive; None: the end of the horizon) it eases
    what it names, with a Scenario's levers: ``relief``, ``lift``, and the article's three keywords (None: not
    named by this step; ``petroleum_cap="lifted"`` lifts the cap)."""

    year: int
    until: int | None = None
    relief: Mapping[str, Any] | None = None
    lift: Sequence[str] | None = None
    metals_share: Any = None
    petroleum_cap: Any = None
    luxury_share: Any = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "year", whole_number(self.year, "year", 1900, 2200))
        if self.until is not None:
            set_(self, "until", whole_number(self.until, "until", 1900, 2200))
            if self.until < self.year:
                raise InputError(f"until: {self.until} is before the step's year {self.year}; accepted: a later year")
        given = {keyword: getattr(self, keyword) for keyword in KEYWORDS if getattr(self, keyword) is not None}
        where = f"step {self.year}"
        try:
            eased = Scenario(name=where, relief=self.relief or {}, lift=self.lift or (), **given)
        except InputError as error:
            raise InputError(str(error).replace(f"scenario {where!r}", where)) from None
        aliases = {area.name: area.keyword for area in shipped_areas() if area.keyword}
        given |= {aliases[name]: None for name in self.relief or {} if name in aliases}  # relief: {"metals": 1}
        set_(self, "relief", MappingProxyType(dict(eased.to_dict()["relief"])))
        set_(self, "lift", eased.lift)
        for keyword in given:  # a lifted cap is kept as "lifted": None is "not named by this step"
            set_(self, keyword, LIFTED if getattr(eased, keyword) is None else getattr(eased, keyword))
        if not given and not self.relief and not self.lift:
            raise InputError(f"{where}: eases nothing; name a lever (relief, lift, metals_share, ...)")

    def named(self, areas: Sequence[Area]) -> dict[str, Lever]:
        """The levers this step sets explicitly, by area name."""
        keywords = {area.keyword: area.name for area in areas if area.keyword}
        given = {
            keywords[keyword]: None if getattr(self, keyword) == LIFTED else getattr(self, keyword)
            for keyword in KEYWORDS
            if getattr(self, keyword) is not None
        }
        relief = _relief(self.relief, f"step {self.year}", areas, checked_only=True)
        return given | relief

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"year": self.year}
        if self.until is not None:
            data["until"] = self.until
        data |= {
            keyword: plain_lever(getattr(self, keyword)) for keyword in KEYWORDS if getattr(self, keyword) is not None
        }
        if self.relief:
            data["relief"] = {name: plain_lever(lever) for name, lever in self.relief.items()}
        if self.lift:
            data["lift"] = list(self.lift)
        return data


@dataclass(frozen=True)
class Package(Timed):
    """Relief in steps: each eases what it names from its year, until its ``until``. In a year,
    each area takes the lever of the most recent step in force that names it, itself or through the resolutions it
    lifts (the strictest state those still in force impose), and ramps from that step's year.

    ``snapback_hazard`` h: each year the relief may end for good with probability h, so that it is in force in
    year k (0 in the first) with probability (1 - h)^k. A share from 0 up to 1, or "assumed" for the assumptions'
    ``context.snapback_hazard`` (a judgement with a range, sampled in Monte Carlo runs).
    """

    name: str
    steps: Sequence[Step] = ()
    start_year: int = 2027
    horizon: int = 10
    ramp_years: int = 0
    snapback_hazard: float | str = 0.0
    note: str = ""

    def __post_init__(self) -> None:
        self._check_timing()
        where = f"package {self.name!r}"
        if isinstance(self.steps, (str, Mapping)) or not isinstance(self.steps, Sequence) or not self.steps:
            raise InputError(f"{where}: steps: expected a list of steps, such as [Step(2027, relief={{'coal': 1}})]")
        steps = []
        for index, step in enumerate(self.steps):
            field = f"{where}: step {index + 1}"
            try:
                steps.append(step if isinstance(step, Step) else Step(**_step_table(step, field)))
            except InputError as error:
                raise InputError(f"{field}: {error}") from None
            if steps[-1].year not in self.years or (steps[-1].until or self.years[-1]) not in self.years:
                raise InputError(
                    f"{field}: {steps[-1].year}-{steps[-1].until or ''} is outside the package's years; accepted: "
                    f"{self.years[0]} to {self.years[-1]}"
                )
        object.__setattr__(self, "steps", tuple(steps))
        self._check_same_year(where)
        object.__setattr__(self, "snapback_hazard", checked_hazard(self.snapback_hazard, f"{where}: snapback_hazard"))

    def _check_same_year(self, where: str) -> None:
        """Refuse two steps of one year that set one area differently, themselves or through the resolutions they
        lift together (a step lifting 2371 puts coal under 2321's cap; one beside it setting coal = 1 conflicts):
        neither is the more recent."""
        areas, law = shipped_areas(), shipped_law()
        for index, step in enumerate(self.steps):
            same = [other for other in self.steps[index + 1 :] if other.year == step.year]
            lifted = law.levers(tuple(name for each in (step, *same) for name in each.lift or ()))
            for other in same:
                mine, theirs = (
                    {name: lifted[name] for name in _reached(each, law)} | each.named(areas) for each in (step, other)
                )
                clash = [name for name in mine if name in theirs and mine[name] != theirs[name]]
                if clash:
                    raise InputError(
                        f"{where}: two steps of {step.year} set {clash[0]} differently ({plain_lever(mine[clash[0]])}"
                        f" against {plain_lever(theirs[clash[0]])}, lifts included); give one lever per area and year"
                    )

    def in_force(self, p: Mapping[str, Any]) -> np.ndarray:
        """The probability that the relief is in force in each year, (1 - h)^k: a row, or a column of draws x
        years when the hazard is drawn."""
        hazard = p[HAZARD] if self.snapback_hazard == ASSUMED else self.snapback_hazard
        return (1.0 - np.asarray(hazard)) ** np.arange(self.horizon)

    def segments(self, areas: Sequence[Area]) -> list[Segment]:
        """Years grouped by the levers in force and the years each area's relief began."""
        law = shipped_law()
        named = [step.named(areas) for step in self.steps]
        reached = [
            {measure.area for name in step.lift or () for measure in law.resolutions[name].measures}
            for step in self.steps
        ]
        grouped: dict[tuple, list[int]] = {}
        history: dict[str, Layers] = {area.name: () for area in areas}
        for k, year in enumerate(self.years):
            active = [i for i, step in enumerate(self.steps) if step.year <= year <= (step.until or self.years[-1])]
            lifted = law.levers(tuple(sorted({name for i in active for name in self.steps[i].lift or ()})))
            levers, eased = {}, set()
            for area in areas:
                levers[area.name] = area.kind.status_quo
                for i in sorted(active, key=lambda i: self.steps[i].year):  # the most recent naming the area wins
                    if area.name in named[i] or area.name in reached[i]:
                        levers[area.name] = named[i].get(area.name, lifted.get(area.name))
                        eased.add(area.name)
                lever, before = levers[area.name], history[area.name]
                if area.kind.at_status_quo(lever):
                    history[area.name] = ()
                elif not before or before[-1][1] != lever:  # eased anew, or further: a layer from this year
                    history[area.name] = (*before, (k, lever))
            key = (*((name, levers[name], history[name]) for name in levers), frozenset(eased))
            grouped.setdefault(key, []).append(k)
        return [
            Segment(
                tuple(years),
                {name: lever for name, lever, _ in key[:-1]},
                {name: layers or ((0, lever),) for name, lever, layers in key[:-1]},
                key[-1],
            )
            for key, years in grouped.items()
        ]

    def levers(self, areas: Sequence[Area]) -> dict[str, Lever]:
        """The levers in force in the package's last year (as far as it goes), by area name."""
        return self.segments(areas)[-1].levers

    def to_dict(self) -> dict[str, Any]:
        """The package as plain data, as a scenario file has it (``[[name.steps]]`` tables)."""
        return {
            "name": self.name,
            "steps": [step.to_dict() for step in self.steps],
            "start_year": self.start_year,
            "horizon": self.horizon,
            "ramp_years": self.ramp_years,
            "snapback_hazard": self.snapback_hazard,
            "note": self.note,
        }


def _reached(step: Step, law: Law) -> set[str]:
    """The areas a step's lifted resolutions reach."""
    return {measure.area for name in step.lift or () for measure in law.resolutions[name].measures}


def with_levers(plan: Plan, levers: Mapping[str, Any]) -> Plan:
    """``plan`` with the lever of each area named in ``levers`` (area name to lever) set wherever it eases the area:
    throughout a scenario, and in every step of a package that names the area or reaches it through a resolution it
    lifts (the years ``calc.solve`` moves a lever in). An area a package never eases is refused: the lever would
    change nothing."""
    areas = shipped_areas()
    keywords = {area.name: area.keyword for area in areas if area.keyword}
    if isinstance(plan, Scenario):
        data = plan.to_dict()
        for name, lever in levers.items():
            if name in keywords:
                data[keywords[name]] = lever
            else:
                data["relief"] = {**data["relief"], name: lever}
        return Scenario(**data)
    law = shipped_law()
    steps = []
    for step in plan.steps:
        reached = set(step.named(areas)) | _reached(step, law)
        data = step.to_dict()
        for name, lever in levers.items():
            if name not in reached:
                continue
            if name in keywords:
                data[keywords[name]] = lever
            else:
                data["relief"] = {**data.get("relief", {}), name: lever}
        steps.append(Step(**data))
    never = [name for name in levers if all(name not in segment.eased for segment in plan.segments(areas))]
    if never:
        raise InputError(
            f"package {plan.name!r}: none of its steps eases {', '.join(never)}; a lever given for a package sets "
            "the area in the steps that ease it (write a step that eases it in a scenario file)"
        )
    return replace(plan, steps=tuple(steps))


def checked_hazard(hazard: object, field: str) -> float | str:
    """A package's snapback hazard: a yearly probability from 0 up to 1 (a number, or a share such as "10 %", read as
    any share is), or "assumed"."""
    if hazard == ASSUMED:
        return ASSUMED
    try:
        number = parse_quantity(hazard, "dimensionless", field)
    except InputError as error:
        raise InputError(f"{error}; or 'assumed' (the assumptions' context.snapback_hazard)") from None
    if not 0.0 <= number < 1.0:
        raise InputError(
            f"{field}: {exactly(number)} is out of range; accepted: a yearly probability from 0 up to but not "
            "including 1, or 'assumed' (the assumptions' context.snapback_hazard)"
        )
    return number


Plan = Scenario | Package
#: What ``run``, ``montecarlo`` and ``report`` take as scenarios (see ``resolve``).
ScenarioSpec = Plan | str | Path | Sequence[Plan | str | Path]
STEP_KEYS = tuple(field.name for field in fields(Step))
PACKAGE_KEYS = tuple(field.name for field in fields(Package))


def _step_table(table: object, field: str) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise InputError(f"{field}: expected a table with year and levers, such as {{ year = 2027, relief = ... }}")
    unknown = sorted(set(table) - set(STEP_KEYS))
    if unknown:
        raise InputError(f"{field}: unknown key(s) {', '.join(map(repr, unknown))}; accepted: {', '.join(STEP_KEYS)}")
    if "year" not in table:
        raise InputError(f"{field}: year: missing; the year the step begins")
    return dict(table)


def plan_from(data: Mapping[str, Any]) -> Plan:
    """A scenario or a package from its plain data (``to_dict``, a scenario file's table): a package has steps."""
    return Package(**data) if "steps" in data else Scenario(**data)


def plain_lever(lever: Any) -> Any:
    """A lever as a scenario file (and the explorer page) writes it: a share as a number, a cap as text with its
    unit ("2000000 bbl/yr"), or a word ("lifted", "status-quo")."""
    if lever is None:
        return LIFTED
    return str(lever) if isinstance(lever, (Cap, pint.Quantity)) else lever


def _relief(relief: object, where: str, areas: Sequence[Area], checked_only: bool) -> dict[str, Any]:
    """``relief`` with every lever of an area in ``areas`` checked; with ``checked_only`` an unknown name is an
    error, else it is kept as it is for the areas of the assumptions the scenario will run with."""
    if not isinstance(relief, Mapping):
        raise InputError(f"{where}: relief: expected a mapping of area name to lever, such as {{'coal': 1}}")
    by_name = {area.name: area for area in areas}
    checked: dict[str, Any] = {}
    for name, lever in relief.items():
        field_name = f"{where}: relief: {name}"
        area = by_name.get(name) if isinstance(name, str) else None
        if area is not None:
            checked[name] = area.kind.lever_value(lever, field_name)
        elif checked_only or not isinstance(name, str) or not name.strip():
            known = ", ".join(area.name for area in areas)
            raise InputError(f"{where}: relief: unknown area {name!r}; areas: {known}")
        else:
            checked[name] = lever
    return checked


def checked_name(name: object) -> str:
    """The name of a scenario or package, checked: one line of printable text, without path separators, at most
    ``MAX_NAME`` characters."""
    return _text(name, "name", MAX_NAME, single_line=True)


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


def whole_number(value: object, field: str, low: int, high: int) -> int:
    """``value`` (a number or numeric text such as "1e6" or "1_000") as a whole number from low to high."""
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


def load_scenarios(path: str | Path) -> list[Plan]:
    """The scenarios and packages of a TOML file: one table per scenario, named by the scenario, holding its
    levers; a package holds ``[[name.steps]]`` tables instead (docs/how-to/packages.md)."""
    path = Path(path)
    scenarios = []
    for name, table in read_toml(path).items():
        if not isinstance(table, dict):
            raise InputError(f"{path}: {name!r} must be a table of levers such as [{name}] metals_share = 0.5")
        accepted = PACKAGE_KEYS if "steps" in table else LEVERS
        unknown = sorted(set(table) - set(accepted) - {"name"})
        if unknown:
            what = "package" if "steps" in table else "scenario"
            raise InputError(
                f"{path}: {what} {name!r}: unknown key(s) {', '.join(map(repr, unknown))}; "
                f"accepted: {', '.join(key for key in accepted if key != 'name')}"
            )
        try:
            scenarios.append(plan_from({"name": name, **table}))
        except InputError as error:
            raise InputError(f"{path}: {error}") from None
    if not scenarios:
        raise InputError(f"{path}: holds no scenario; write one table per scenario, e.g. [my-scenario]")
    return scenarios


@cache
def _presets() -> dict[str, Plan]:
    return {scenario.name: scenario for scenario in load_scenarios(shipped_folder() / "scenarios" / "presets.toml")}


def presets() -> list[str]:
    """Names of the shipped preset scenarios."""
    return list(_presets())


def preset(name: str) -> Plan:
    """The shipped preset scenario (or package) called ``name``."""
    try:
        return _presets()[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown scenario {name!r}; presets: {', '.join(_presets())}") from None


def first_eased(scenarios: Sequence[Plan]) -> Plan:
    """The first scenario that is not the status quo (the one worth a sensitivity analysis), else the first."""
    return next((scenario for scenario in scenarios if scenario.name != STATUS_QUO), scenarios[0])


def resolve(scenarios: ScenarioSpec) -> list[Plan]:
    """Scenarios (and packages) from a Scenario or Package, a preset name, a path to a scenario TOML file, or a
    list of those."""
    items = list(scenarios) if isinstance(scenarios, (list, tuple)) else [scenarios]
    if not items:
        raise InputError("scenarios: give at least one scenario or preset name")
    resolved: list[Plan] = []
    for item in items:
        if isinstance(item, (Scenario, Package)):
            resolved.append(item)
        elif isinstance(item, Path) or (isinstance(item, str) and item.endswith(".toml")):
            resolved.extend(load_scenarios(item))
        elif isinstance(item, str) and item not in _presets() and (Path(item).suffix or "/" in item):
            raise InputError(
                f"scenario {item!r}: no preset has that name, and it is not a scenario file, whose name ends in "
                f".toml ({'the file exists but' if Path(item).exists() else 'no such file, and it'} does not end in "
                f".toml); presets: {', '.join(_presets())}"
            )
        elif isinstance(item, str):
            resolved.append(preset(item))
        else:
            raise InputError(
                f"scenarios: expected a Scenario, a preset name or a .toml path, got {type(item).__name__}"
            )
    return checked_names(resolved)


def checked_names(plans: list[Plan]) -> list[Plan]:
    """``plans``, once no two share a name and none carries a preset's name on other numbers (exports would then
    say "hanoi-2019" of a scenario that is not the Hanoi request)."""
    names = [plan.name for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(
            f"scenarios: the name(s) {', '.join(map(repr, duplicates))} appear more than once; names must differ"
        )
    for plan in plans:
        if plan.name in _presets() and _numbers(plan) != _numbers(_presets()[plan.name]):
            raise InputError(
                f"scenario {plan.name!r}: is the name of a preset, but this {type(plan).__name__.lower()} eases "
                f"something else ({_difference(plan, _presets()[plan.name])}); a preset's name stands for that "
                "preset only: give yours another name"
            )
    return plans


def _numbers(plan: Plan) -> tuple[type, dict[str, Any]]:
    """What a plan eases and when, as data: everything but its name and note."""
    return type(plan), {key: value for key, value in plan.to_dict().items() if key not in ("name", "note")}


def _difference(plan: Plan, preset: Plan) -> str:
    """What ``plan`` sets otherwise than ``preset``, in words: "metals_share 0.5 against 1.0"."""
    mine, theirs = plan.to_dict(), preset.to_dict()
    keys = [
        key
        for key in dict.fromkeys([*mine, *theirs])
        if key not in ("name", "note") and mine.get(key) != theirs.get(key)
    ]
    if type(plan) is not type(preset):
        return f"a {type(plan).__name__.lower()}, where the preset is a {type(preset).__name__.lower()}"
    return "; ".join(f"{key} {mine.get(key, 'left out')!s} against {theirs.get(key, 'left out')!s}" for key in keys)
