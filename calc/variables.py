"""The result variables of a set of areas: each area's own (declared with its kind), and the IAMC hierarchy over
them, in which every parent is exactly the sum of its children.

Three headline measures (docs/reference/results.md): ``Revenue``, the hard currency earned, sums every
``Revenue|<area>``; ``Imports Unlocked``, the value of what relief lets the North buy, every
``Imports Unlocked|<area>``; and ``Hard Currency|Net`` = ``Revenue`` - ``Expenditure``, the hard currency left after
buying the unlocked imports its budget allows, where ``Expenditure`` sums what is bought, through
``Expenditure|Fuel Imports`` for the fuel areas.
``Budget|...`` records what was wanted and what could be paid for. Shares (per cent) sit under ``Share of ...|``
so that no parent mixes units; supply levels under ``Fuel|<area>|Total Supply|``.
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
UNLOCKED = "Imports Unlocked"
EXPENDITURE = "Expenditure"
#: The trees whose parents are sums of their children, in the order tables show them.
ROOTS = (REVENUE, UNLOCKED, EXPENDITURE)
#: The article's six variables: first in every frame, names and meanings fixed.
FIXED = (
    "Revenue|Metal Exports",
    "Fuel|Refined Petroleum|Additional Legal Imports",
    "Fuel|Refined Petroleum|Net Additional Supply",
    "Expenditure|Fuel Imports",
    "Expenditure|Luxury Imports",
    NET,
)
GDP_SHARE = "Share of GDP|"
EXPORTS_SHARE = "Share of 2016 Exports|"
#: What the budget rule records: the spending the unlocked imports would take (a difference from the status quo,
#: like every money variable), and the share of them bought (a level: 100 % where the budget does not bind).
WANTED = "Budget|Spending Wanted"
BOUGHT = "Budget|Share Bought"
#: The chance that a package's relief is still in force (a level: 100 % for a scenario, which never snaps back;
#: 0 or 100 in each Monte Carlo draw).
IN_FORCE = "Snapback|Share In Force"
BUDGET = (
    Variable(WANTED, "USD/yr", "Spending the unlocked imports would take", "budget", in_table=False),
    Variable(BOUGHT, "%", "Share of the unlocked imports the budget buys", "level", format=",.1f"),
    Variable(IN_FORCE, "%", "Chance the relief is still in force (snapback)", "level", format=",.1f"),
)
#: The measures whose present value a Monte Carlo frame gives draw by draw, as ``Present Value|<measure>`` (USD, at
#: the first year): a quantile of the present values is not the present value of the yearly quantiles.
PRESENT_VALUES = (REVENUE, UNLOCKED, NET)
PRESENT_VALUE = "Present Value|"
#: Short names the command line and the sensitivity functions accept for the totals.
SHORT_NAMES = {"net": NET, "revenue": REVENUE, "earned": REVENUE, "unlocked": UNLOCKED, "spending": EXPENDITURE}
PARENT_LABELS = {
    REVENUE: "Hard currency earned",
    UNLOCKED: "Imports unlocked (value)",
    EXPENDITURE: "Spent on the imports bought",
}
NET_LABEL = "Hard currency left after buying the unlocked imports"
#: The share of 2016's goods exports: of the goods areas' earnings only.
GOODS_SHARE_LABEL = "Goods exports earned, share of 2016 exports"
#: Order of groups in a frame after the fixed six.
GROUPS = ("money", "budget", "fuel", "level", "share")


@dataclass(frozen=True)
class Catalogue:
    """Every variable of a set of areas in output order, and how the balance completes them."""

    variables: Mapping[str, Variable]
    #: The order tables show them in: money as a tree (each parent before its children), shares, fuel, levels.
    display: tuple[str, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...]
    differences: tuple[tuple[str, str, str], ...]
    shares: tuple[tuple[str, tuple[str, ...], str], ...]

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
    """The variables of ``areas`` with their parents, the net balance, the budget and the shares (built once per
    set)."""
    own = [variable for area in areas for variable in area.variables]
    labels = PARENT_LABELS | {name: label for area in areas for name, label in area.kind.parents.items()}
    parents: dict[str, list[str]] = {root: [] for root in ROOTS}
    for variable in own:
        parts = variable.name.split("|")
        if parts[0] in ROOTS:
            for depth in range(1, len(parts)):
                parents.setdefault("|".join(parts[:depth]), [])
    names = [variable.name for variable in own] + list(parents)
    for parent, children in parents.items():
        children.extend(name for name in names if name.rpartition("|")[0] == parent)
    sums = tuple(
        (parent, tuple(children)) for parent, children in sorted(parents.items(), key=lambda item: -item[0].count("|"))
    )
    totals = [
        Variable(
            parent,
            "USD/yr",
            labels.get(parent, parent.rpartition("|")[2]),
            "money",
            _sign(parent),
            unlocked=parent.split("|")[0] == UNLOCKED,
        )
        for parent in parents
    ]
    net = Variable(NET, "USD/yr", NET_LABEL, "money")
    # 2016's exports are goods (KOTRA's 2.82 bn): workers' earnings and fishing rights, services, are not set against
    # them, and the total's share counts the goods only (the sum of the goods areas' shares)
    goods = {area.name for area in areas if area.goods_exports}
    earned = [variable for variable in own if variable.sign > 0 and variable.area in goods]
    shares = [
        Variable(GDP_SHARE + REVENUE, "%", "Hard currency earned, share of GDP", "share", format=",.2f"),
        Variable(GDP_SHARE + UNLOCKED, "%", "Imports unlocked, share of GDP", "share", format=",.2f"),
        Variable(EXPORTS_SHARE + REVENUE, "%", GOODS_SHARE_LABEL, "share"),
        *(
            Variable(
                EXPORTS_SHARE + variable.name,
                "%",
                f"{variable.label}, share of 2016 exports",
                "share",
                in_table=False,
                area=variable.area,
            )
            for variable in earned
        ),
    ]
    everything = {variable.name: variable for variable in [*own, *totals, net, *BUDGET, *shares]}
    money = [name for name in everything if name.split("|")[0] in ROOTS]
    tree = [*_depth_first(money, ROOTS), NET, BOUGHT, IN_FORCE]
    rest = [
        name
        for group in GROUPS[1:]
        for name, variable in everything.items()
        if variable.group == group and name not in tree
    ]
    order = [name for name in FIXED if name in everything] + tree + rest
    shown = ("budget", "share")
    return Catalogue(
        variables=MappingProxyType({name: everything[name] for name in dict.fromkeys(order)}),
        display=tuple(tree + [name for name in rest if everything[name].group in shown])
        + tuple(name for name in rest if everything[name].group not in shown),
        sums=sums,
        differences=((NET, REVENUE, EXPENDITURE),),
        shares=(
            (GDP_SHARE + REVENUE, (REVENUE,), "context.gdp"),
            (GDP_SHARE + UNLOCKED, (UNLOCKED,), "context.gdp"),
            (EXPORTS_SHARE + REVENUE, tuple(variable.name for variable in earned), "context.total_exports"),
            *((EXPORTS_SHARE + variable.name, (variable.name,), "context.total_exports") for variable in earned),
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
    """A parent's sign in the net balance: revenue counts up, what is bought down, what is unlocked not at all."""
    return {REVENUE: 1, EXPENDITURE: -1}.get(name.split("|")[0], 0)


@cache
def _shipped_variables() -> Mapping[str, str]:
    return MappingProxyType(catalogue(shipped_areas()).units())


#: Served by ``__getattr__`` below; declared here so that type checkers know it.
VARIABLES: Mapping[str, str]


def __getattr__(name: str) -> Mapping[str, str]:
    """``VARIABLES``: the variables of the shipped areas with their units (strings that parse in ``calc.ureg``), in
    frame order; read from the shipped declarations on first use, not at import."""
    if name == "VARIABLES":
        return _shipped_variables()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
