"""The result variables of a set of areas: each area's own (declared with its kind), and the IAMC hierarchy over
them, in which every parent is exactly the sum of its children.

``Revenue`` sums every ``Revenue|<area>``; ``Expenditure`` every expenditure, through ``Expenditure|Fuel
Imports`` for the fuel areas; ``Hard Currency|Net`` = ``Revenue`` - ``Expenditure``. Shares (per cent) sit under
``Share of ...|`` so that no parent mixes units; supply levels under ``Fuel|<area>|Total Supply|``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from calc.area import Area, shipped_areas
from calc.errors import InputError
from calc.kinds import Variable

NET = "Hard Currency|Net"
REVENUE = "Revenue"
EXPENDITURE = "Expenditure"
#: The article's six variables: first in every frame, names and meanings fixed.
FIXED = (
    "Revenue|Metal Exports",
    "Fuel|Refined Petroleum|Additional Legal Imports",
    "Fuel|Refined Petroleum|Net Additional Supply",
    "Expenditure|Fuel Imports",
    "Expenditure|Luxury Imports",
    NET,
)
GDP_SHARE = "Share of GDP|" + NET
EXPORTS_SHARE = "Share of 2016 Exports|"
#: Short names the command line and the sensitivity functions accept for the totals.
SHORT_NAMES = {"net": NET, "revenue": REVENUE, "spending": EXPENDITURE}
PARENT_LABELS = {REVENUE: "Total revenue", EXPENDITURE: "Total spending"}
#: Order of groups in a frame after the fixed six.
GROUPS = ("money", "fuel", "level", "share")


@dataclass(frozen=True)
class Catalogue:
    """Every variable of a set of areas in output order, and how the balance completes them."""

    variables: Mapping[str, Variable]
    #: The order tables show them in: money as a tree (each parent before its children), shares, fuel, levels.
    display: tuple[str, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...]
    differences: tuple[tuple[str, str, str], ...]
    shares: tuple[tuple[str, str, str], ...]

    def units(self) -> dict[str, str]:
        return {name: variable.unit for name, variable in self.variables.items()}

    def variable(self, name: object) -> Variable:
        """The variable ``name``: a full name, a short one such as ``net``, or the label tables print ("Net hard
        currency", in any case); else InputError with the closest names and the full list."""
        if not isinstance(name, str):
            raise InputError(f"variable: expected a variable name, got {name!r}")
        labels = {variable.label.lower(): variable for variable in self.variables.values()}
        known = self.variables.get(full_name(name)) or labels.get(name.strip().lower())
        if known is None:
            spellings = list(self.variables) + [variable.label for variable in self.variables.values()]
            close = difflib.get_close_matches(name, spellings, n=3, cutoff=0.6)
            hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
            raise InputError(f"variable: {name!r} is not known{hint}; accepted: {', '.join(self.variables)}")
        return known


@cache
def catalogue(areas: tuple[Area, ...]) -> Catalogue:
    """The variables of ``areas`` with their parents, the net balance and the shares (built once per set)."""
    own = [variable for area in areas for variable in area.variables]
    labels = PARENT_LABELS | {name: label for area in areas for name, label in area.kind.parents.items()}
    parents: dict[str, list[str]] = {REVENUE: [], EXPENDITURE: []}
    for variable in own:
        if variable.sign:
            parts = variable.name.split("|")
            for depth in range(1, len(parts)):
                parents.setdefault("|".join(parts[:depth]), [])
    names = [variable.name for variable in own] + list(parents)
    for parent, children in parents.items():
        children.extend(name for name in names if name.rpartition("|")[0] == parent)
    sums = tuple(
        (parent, tuple(children)) for parent, children in sorted(parents.items(), key=lambda item: -item[0].count("|"))
    )
    totals = [
        Variable(parent, "USD/yr", labels.get(parent, parent.rpartition("|")[2]), "money", _sign(parent))
        for parent in parents
    ]
    net = Variable(NET, "USD/yr", "Net hard currency", "money")
    revenues = [variable for variable in [*totals, *own] if variable.sign > 0]
    shares = [
        Variable(GDP_SHARE, "%", "Net hard currency, share of GDP", "share", format=",.2f"),
        *(
            Variable(
                EXPORTS_SHARE + variable.name,
                "%",
                f"{variable.label}, share of 2016 exports",
                "share",
                in_table=variable.name == REVENUE,
                area=variable.area,
            )
            for variable in revenues
        ),
    ]
    everything = {variable.name: variable for variable in [*own, *totals, net, *shares]}
    money = [name for name, variable in everything.items() if variable.sign]
    tree = [*_depth_first(money, (REVENUE, EXPENDITURE)), NET]
    rest = [name for group in GROUPS[1:] for name, variable in everything.items() if variable.group == group]
    order = [name for name in FIXED if name in everything] + tree + rest
    return Catalogue(
        variables=MappingProxyType({name: everything[name] for name in dict.fromkeys(order)}),
        display=tuple(tree + [name for name in rest if everything[name].group == "share"])
        + tuple(name for name in rest if everything[name].group != "share"),
        sums=sums,
        differences=((NET, REVENUE, EXPENDITURE),),
        shares=(
            (GDP_SHARE, NET, "context.gdp"),
            *((EXPORTS_SHARE + variable.name, variable.name, "context.total_exports") for variable in revenues),
        ),
    )


def full_name(variable: str) -> str:
    """``variable``; the total a short name stands for (``net``: ``Hard Currency|Net``); or the shipped variable
    whose label, as tables print it, ``variable`` is ("Net hard currency", in any case)."""
    if not isinstance(variable, str):
        return variable
    key = variable.strip().lower()
    labels = {known.label.lower(): name for name, known in catalogue(shipped_areas()).variables.items()}
    return SHORT_NAMES.get(key) or labels.get(key, variable)


def _depth_first(names: list[str], roots: tuple[str, ...]) -> list[str]:
    """``names`` with every parent just before its children, from ``roots`` down, in declaration order."""
    ordered: list[str] = []

    def visit(name: str) -> None:
        ordered.append(name)
        for child in names:
            if child.rpartition("|")[0] == name:
                visit(child)

    for root in roots:
        visit(root)
    return ordered


def _sign(name: str) -> int:
    return 1 if name.split("|")[0] == REVENUE else -1


#: The variables of the shipped areas with their units (strings that parse in ``calc.ureg``), in frame order.
VARIABLES: Mapping[str, str] = MappingProxyType(catalogue(shipped_areas()).units())
