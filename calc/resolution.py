"""Resolutions as data: the legal states each area can be in, ordered from open to closed, and the state each UN
Security Council resolution puts an area (or a part of one) in, read from ``assumptions/resolutions.toml``.

Lifting a set of resolutions leaves each area in the strictest state the resolutions still in force impose
(``lifted_levers``); an area whose measures came in parts (metals: iron by 2270 and 2371, lead by 2371, copper,
nickel, silver and zinc by 2321) takes the weighted sum of its parts' shares. The bite of each resolution, beside
the estimates published at adoption, is ``calc.resolutions()`` (``calc.bites``).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from calc.area import Area, shipped_areas
from calc.errors import InputError
from calc.files import read_toml, shipped_folder, table_field, text_field
from calc.kinds import Lever

RESOLUTIONS = "resolutions.toml"
STATE_KEYS = {"name", "lever", "note"}
PART_KEYS = {"label", "weight", "source", "states"}
MEASURE_KEYS = {"area", "part", "state", "paragraph"}
RESOLUTION_KEYS = {
    "adopted",
    "title",
    "source",
    "measures",
    "exemptions",
    "note",
    "official_revenue",
    "official_source",
}


@dataclass(frozen=True)
class State:
    """A legal state of an area (or part): its name, the lever it means, and why."""

    name: str
    lever: Lever
    note: str = ""


@dataclass(frozen=True)
class Part:
    """An area, or the part of one that measures reached on their own, with its share of the area's baseline and
    its states from open (first) to closed (last)."""

    name: str
    label: str
    weight: float
    states: tuple[State, ...]
    source: str = ""

    def index(self, state: str, field: str) -> int:
        names = [known.name for known in self.states]
        if state not in names:
            raise InputError(f"{field}: state {state!r} is not one of {self.name}'s: {', '.join(names)}")
        return names.index(state)


@dataclass(frozen=True)
class Measure:
    """What a resolution does to one area (or part): the state it puts it in."""

    area: str
    part: str
    state: str
    paragraph: str = ""
    label: str = ""


@dataclass(frozen=True)
class Resolution:
    """A Security Council resolution: when it passed, what it did, and the revenue cut published at adoption."""

    name: str
    adopted: datetime.date
    title: str
    source: str
    measures: tuple[Measure, ...]
    exemptions: tuple[str, ...] = ()
    note: str = ""
    official_revenue: float | None = None
    official_source: str = ""

    @property
    def described(self) -> str:
        """The measures in words: "coal: banned (OP8); metals, iron: banned (OP8); ..."."""
        parts = []
        for measure in self.measures:
            where = measure.area if measure.part == measure.area else f"{measure.area}, {measure.label}"
            parts.append(f"{where}: {measure.state}" + (f" ({measure.paragraph})" if measure.paragraph else ""))
        return "; ".join(parts) or "no trade measure"


@dataclass(frozen=True)
class Law:
    """Every resolution and every area's legal states."""

    resolutions: Mapping[str, Resolution]
    parts: Mapping[str, tuple[Part, ...]]

    def accepted(self) -> list[str]:
        """The resolutions that can be lifted: those with a trade measure."""
        return [name for name, resolution in self.resolutions.items() if resolution.measures]

    def checked(self, lift: object, field: str) -> tuple[str, ...]:
        """``lift`` as a tuple of resolution names in order of adoption, or InputError naming the bad one."""
        if isinstance(lift, str) or not isinstance(lift, Iterable):
            raise InputError(f'{field}: expected a list of resolutions, such as ["2371", "2397"], got {lift!r}')
        names = []
        for item in lift:
            name = str(item).strip() if isinstance(item, (str, int)) and not isinstance(item, bool) else ""
            resolution = self.resolutions.get(name)
            if resolution is None or not resolution.measures:
                why = "has no trade measure" if resolution is not None else "is not known"
                raise InputError(f"{field}: resolution {item!r} {why}; accepted: {', '.join(self.accepted())}")
            names.append(name)
        return tuple(sorted(set(names), key=list(self.resolutions).index))

    def states(self, lift: Collection[str]) -> dict[tuple[str, str], State]:
        """The state of every area part that some resolution reaches, once the resolutions in ``lift`` are lifted:
        the strictest (last in its order) that the resolutions still in force impose, or the first (open)."""
        strictest: dict[tuple[str, str], int] = {}
        for name, resolution in self.resolutions.items():
            if name in lift:
                continue
            for measure in resolution.measures:
                part = self.part(measure.area, measure.part)
                index = part.index(measure.state, f"resolution {name}")
                key = (measure.area, measure.part)
                strictest[key] = max(strictest.get(key, 0), index)
        return {
            (area, part.name): part.states[strictest.get((area, part.name), 0)]
            for area, parts in self.parts.items()
            for part in parts
        }

    def part(self, area: str, part: str) -> Part:
        for known in self.parts.get(area, ()):
            if known.name == part:
                return known
        raise InputError(f"{RESOLUTIONS}: area {area!r} has no part {part!r} with legal states")

    def levers(self, lift: Collection[str]) -> dict[str, Lever]:
        """The lever of every area that some resolution reaches, once ``lift`` is lifted: the state's lever, or for
        an area in parts the weighted sum of its parts' shares."""
        states = self.states(lift)
        levers: dict[str, Lever] = {}
        for area, parts in self.parts.items():
            if len(parts) == 1:
                levers[area] = states[(area, parts[0].name)].lever
            else:  # only an area whose lever is a share comes in parts (``declare`` refuses the others)
                levers[area] = sum(part.weight * cast(float, states[(area, part.name)].lever) for part in parts)
        return levers


def _states(value: object, area: Area, field: str) -> tuple[State, ...]:
    """An area part's states, each lever checked by the area's kind, open first, the status quo last, and none
    more open than the one before it."""
    if not isinstance(value, list) or len(value) < 2:
        raise InputError(f"{field}: states: expected a list of at least two states, from open to closed")
    states = []
    for position, item in enumerate(value):
        where = f"{field}: states[{position}]"
        table = table_field(item, STATE_KEYS, ("name", "lever"), where)
        lever = area.kind.lever_value(table["lever"], f"{where}: lever")
        states.append(
            State(text_field(table["name"], f"{where}: name"), lever, text_field(table.get("note", ""), where))
        )
    if states[-1].lever != area.kind.status_quo:
        raise InputError(
            f"{field}: the last state ({states[-1].name!r}) must be the status quo, every resolution in force "
            f"({area.kind.status_quo!r}), from open to closed"
        )
    for before, after in itertools.pairwise(states):
        if area.kind.more_open(after.lever, before.lever):
            raise InputError(
                f"{field}: state {after.name!r} is more open than {before.name!r} before it; list the states "
                "from open to closed"
            )
    return tuple(states)


def declare(tables: Mapping[str, Any], areas: tuple[Area, ...], origin: str) -> Law:
    """The law from the tables of a resolutions file."""
    by_name = {area.name: area for area in areas}
    unknown = sorted(set(tables) - {"states", "resolutions"})
    if unknown:
        raise InputError(f"{origin}: unknown table(s) {', '.join(map(repr, unknown))}; accepted: states, resolutions")
    parts: dict[str, tuple[Part, ...]] = {}
    for name, table in table_field(tables.get("states", {}), set(by_name), (), f"{origin}: states").items():
        field = f"{origin}: states.{name}"
        area = by_name[name]
        if isinstance(table, dict) and set(table) == {"parts"}:
            declared = []
            for part, spec in table_field(table["parts"], set(table["parts"]), (), f"{field}.parts").items():
                where = f"{field}.parts.{part}"
                spec = table_field(spec, PART_KEYS, ("label", "weight", "source", "states"), where)
                weight = spec["weight"]
                if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
                    raise InputError(f"{where}.weight: expected a share above 0 up to 1, got {weight!r}")
                if not area.kind.blends:
                    raise InputError(f"{where}: only an area whose lever is a share can come in parts")
                states = _states(spec["states"], area, where)
                declared.append(Part(part, text_field(spec["label"], where), float(weight), states, spec["source"]))
            total = sum(part.weight for part in declared)
            if abs(total - 1.0) > 1e-3:
                raise InputError(f"{field}.parts: the weights add up to {total:g}; they must add up to 1")
            parts[name] = tuple(declared)
        else:
            table = table_field(table, {"states"}, ("states",), field)
            parts[name] = (Part(name, area.title, 1.0, _states(table["states"], area, field)),)
    law = Law({}, parts)
    resolutions = {}
    for name, table in table_field(
        tables.get("resolutions", {}), set(tables.get("resolutions", {})), (), origin
    ).items():
        field = f"{origin}: resolutions.{name}"
        table = table_field(table, RESOLUTION_KEYS, ("adopted", "title", "source", "measures"), field)
        if not isinstance(table["adopted"], datetime.date):
            raise InputError(f"{field}.adopted: expected a date such as 2017-08-05, got {table['adopted']!r}")
        measures = []
        for position, item in enumerate(table["measures"]):
            where = f"{field}.measures[{position}]"
            item = table_field(item, MEASURE_KEYS, ("area", "state"), where)
            area_name = text_field(item["area"], f"{where}.area")
            if area_name not in parts:
                raise InputError(
                    f"{where}.area: {area_name!r} has no legal states; areas with states: {', '.join(parts)}"
                )
            part = text_field(item.get("part", area_name), f"{where}.part")
            known = law.part(area_name, part)
            known.index(text_field(item["state"], f"{where}.state"), where)
            paragraph = text_field(item.get("paragraph", ""), where)
            measures.append(Measure(area_name, part, item["state"].strip(), paragraph, known.label))
        official = table.get("official_revenue")
        if official is not None and (isinstance(official, bool) or not isinstance(official, (int, float))):
            raise InputError(f"{field}.official_revenue: expected USD a year as a number, got {official!r}")
        resolutions[name] = Resolution(
            name,
            table["adopted"],
            text_field(table["title"], f"{field}.title"),
            text_field(table["source"], f"{field}.source"),
            tuple(measures),
            tuple(text_field(item, f"{field}.exemptions") for item in table.get("exemptions", [])),
            text_field(table.get("note", ""), f"{field}.note"),
            None if official is None else float(official),
            text_field(table.get("official_source", ""), f"{field}.official_source"),
        )
    ordered = dict(sorted(resolutions.items(), key=lambda item: item[1].adopted))
    return Law(ordered, parts)


@cache
def shipped_law() -> Law:
    """The resolutions and legal states of the shipped set."""
    path = shipped_folder() / RESOLUTIONS
    return declare(read_toml(path), shipped_areas(), str(path))
