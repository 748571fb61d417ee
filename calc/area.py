"""Areas: one sanction measure each (a name, the resolutions behind it, a kind, one lever, its parameters and
its variables), declared as data in ``areas.toml`` beside the assumption files.

The shipped declarations are ``assumptions/areas.toml``; an assumption folder of a user's own may hold an
``areas.toml`` declaring more, with their parameters in files beside it (docs/how-to/add-an-area.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calc.errors import InputError
from calc.files import read_toml, shipped_folder, table_field, text_field
from calc.kinds import KINDS, Kind, Spec, Variable

if TYPE_CHECKING:
    import pandas as pd

#: The Scenario keywords an area may declare: the article's three areas keep names of their own, aliases of their
#: ``relief`` entries (``metals_share=1`` is ``relief={"metals": 1}``).
KEYWORDS = ("metals_share", "petroleum_cap", "luxury_share")
DECLARATIONS = "areas.toml"
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: What the check against history reads of a goods-export area (calc.history): its exports and their prices.
GOODS_ROLES = ("pre_sanction_exports", "price_index")
KEYS = {"kind", "title", "label", "noun", "resolutions", "keyword", "goods_exports", "note"}
REQUIRED = ("kind", "title", "label", "resolutions", "note")


@dataclass(frozen=True)
class Area:
    """One sanction measure. ``keyword`` is the Scenario keyword of the article's three areas
    (``metals_share``, ...); every other area is eased through ``Scenario(relief={name: lever})``."""

    name: str
    kind: Kind
    title: str
    label: str
    resolutions: tuple[str, ...]
    note: str
    noun: str = ""
    keyword: str = ""
    goods_exports: bool = False

    @property
    def lever(self) -> str:
        """How a scenario sets this area's lever: its keyword, or its entry in ``relief`` (``relief: coal``, as
        messages name it; ``--relief coal=...`` on the command line, ``relief = { coal = ... }`` in a file)."""
        return self.keyword or f"relief: {self.name}"

    @property
    def variables(self) -> tuple[Variable, ...]:
        words = {"title": self.title, "label": self.label, "noun": self.noun}
        return tuple(template.make(self.name, words) for template in self.kind.templates)

    def specs(self) -> dict[str, Spec]:
        """Every parameter the area can take, by full name (``coal.price_index``)."""
        return {f"{self.name}.{role}": spec.spec for role, spec in self.kind.roles.items()}


def read_areas(path: Path, known: tuple[Area, ...] = ()) -> tuple[Area, ...]:
    """The areas declared in ``path`` (one table per area), after those ``known`` already."""
    return declare(read_toml(path), str(path), known)


def declare(tables: Mapping[str, Any], origin: str, known: tuple[Area, ...] = ()) -> tuple[Area, ...]:
    """Areas from their declarations (one table per area, as ``areas.toml`` and ``records`` have them)."""
    declared = list(known)
    for name, table in tables.items():
        field = f"{origin}: area {name!r}"
        if not NAME.fullmatch(name) or name == "context":
            raise InputError(f"{field}: a name is lower-case letters, digits and '_', starting with a letter")
        table = table_field(table, KEYS, REQUIRED, field)
        kind = KINDS.get(table["kind"]) if isinstance(table["kind"], str) else None
        if kind is None:
            raise InputError(
                f"{field}: kind {table['kind']!r} is not known; accepted: {', '.join(KINDS)} (a kind of your own is "
                "registered with calc.kinds.register in Python before loading: docs/how-to/add-a-kind.md)"
            )
        words = {key: text_field(table.get(key, ""), f"{field}: {key}") for key in ("title", "label", "noun", "note")}
        if not words["title"] or "|" in words["title"]:
            raise InputError(f"{field}: title: give the variable name's last part, without '|', e.g. 'Coal Exports'")
        resolutions = table["resolutions"]
        if not isinstance(resolutions, list) or not all(isinstance(item, str) for item in resolutions):
            raise InputError(f'{field}: resolutions: expected a list of text, e.g. ["2321", "2371"]')
        goods = table.get("goods_exports", kind.name == "export earnings")
        if not isinstance(goods, bool):
            raise InputError(f"{field}: goods_exports: expected true or false")
        if goods and not set(GOODS_ROLES) <= set(kind.roles):
            raise InputError(
                f"{field}: goods_exports: true only for a kind with the roles {', '.join(GOODS_ROLES)} (the check "
                f"against history re-prices those exports); kind {kind.name!r} has {', '.join(kind.roles)}"
            )
        keyword = _keyword(table.get("keyword", ""), f"{field}: keyword", name, declared)
        area = Area(name, kind, resolutions=tuple(resolutions), keyword=keyword, goods_exports=goods, **words)
        same = [known_area for known_area in declared if known_area.name == name]
        if same and same[0] != area:
            raise InputError(f"{field}: is declared already, differently; give each area once")
        if not same:  # a copy of the shipped declarations declares the same areas again: that is fine
            declared.append(area)
    return tuple(declared)


def records(areas: tuple[Area, ...]) -> dict[str, dict[str, Any]]:
    """The declarations of ``areas`` as plain data, as ``areas.toml`` has them (a run's record keeps them)."""
    return {
        area.name: {
            "kind": area.kind.name,
            "title": area.title,
            "label": area.label,
            "noun": area.noun,
            "resolutions": list(area.resolutions),
            "keyword": area.keyword,
            "goods_exports": area.goods_exports,
            "note": area.note,
        }
        for area in areas
    }


def _keyword(value: object, field: str, name: str, declared: list[Area]) -> str:
    """A declared keyword: one of the Scenario's (``KEYWORDS``), not taken by another area."""
    keyword = text_field(value, field)
    if keyword and keyword not in KEYWORDS:
        raise InputError(
            f"{field}: {keyword!r} is not a Scenario keyword; only the article's three areas have one "
            f"({', '.join(KEYWORDS)}). Leave it out and ease the area with relief={{'{name}': ...}} "
            f"(a scenario file: relief = {{ {name} = ... }}; the command line: --relief {name}=...)"
        )
    taken = next((area.name for area in declared if keyword and area.keyword == keyword and area.name != name), None)
    if taken:
        raise InputError(f"{field}: {keyword!r} is the keyword of the area {taken!r} already; give each keyword once")
    return keyword


@cache
def shipped_areas() -> tuple[Area, ...]:
    """The areas of the shipped assumption set."""
    return read_areas(shipped_folder() / DECLARATIONS)


def areas(assumptions: Any = None) -> pd.DataFrame:
    """Every area of the shipped set (or of ``assumptions``, a set from ``calc.load_assumptions``), one row each:
    name, title, kind, lever (and what it accepts), resolutions, variables, parameters, note."""
    import pandas as pd

    chosen = shipped_areas() if assumptions is None else assumptions.areas
    return pd.DataFrame(
        [
            {
                "name": area.name,
                "title": area.title,
                "kind": area.kind.name,
                "lever": area.lever,
                "accepted": area.kind.accepted,
                "resolutions": ", ".join(area.resolutions),
                "variables": ", ".join(variable.name for variable in area.variables),
                "parameters": ", ".join(area.specs()),
                "note": area.note,
            }
            for area in chosen
        ]
    )
