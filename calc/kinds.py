"""Kinds of area: the parameters each needs, the lever that eases it (its type, range, status-quo and lifted
values, text), the variables it yields, its time profile, and the formula (in ``calc.models``) that turns one into
the other. Written once, applied to every area of a kind; no other module asks what kind of lever an area has.

Adding an area of an existing kind is data only: a table in ``assumptions/areas.toml`` and a TOML file of its
parameters (docs/how-to/add-an-area.md). A kind of one's own is a formula and a ``Kind`` passed to ``register``
(docs/how-to/add-a-kind.md).
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Real
from types import MappingProxyType
from typing import Any, cast

import numpy as np
import pint

from calc.errors import InputError
from calc.models import Values, capped_imports, exports, import_bans, ramp_at
from calc.presentation import shown_as
from calc.units import parse_quantity, quantity_unit, ureg

#: The types of lever a kind may have: a share of the measure lifted (0 to 1; an export ban's may also be capped),
#: or a cap on a flow (a quantity, lifted, or left at the status quo).
LEVER_TYPES = ("share", "cap")
#: A cap left at the status quo (a capped-imports lever; also what ``petroleum_cap`` left out means).
STATUS_QUO = "status-quo"
#: How a file or the command line says "no cap" (``None`` in Python).
LIFTED = "lifted"


@dataclass(frozen=True)
class Spec:
    """What the model expects of a parameter: the unit it computes in, the values that make physical sense
    (``minimum`` .. ``maximum``), and the narrower range of values that are plausible for the DPRK (``plausible``,
    argued in ``basis``). A value outside the plausible range is almost always a slip of units (a percentage typed
    for a share, USD for USD millions), so it is refused too, naming the range."""

    unit: str
    meaning: str
    minimum: float = 0.0
    maximum: float = math.inf
    allow_minimum: bool = True
    allow_maximum: bool = True
    plausible: tuple[float, float] = (-math.inf, math.inf)
    basis: str = ""
    #: Whether exactly 0 is plausible besides the plausible range (nothing smuggled; no other hard currency).
    zero: bool = False

    def check(self, magnitude: float, field: str) -> None:
        low_ok = magnitude > self.minimum or (self.allow_minimum and magnitude == self.minimum)
        high_ok = magnitude < self.maximum or (self.allow_maximum and magnitude == self.maximum)
        if not (low_ok and high_ok):
            raise InputError(f"{field}: {exactly(magnitude)} is out of range; accepted: {self.meaning}")
        low, high = self.plausible
        if not low <= magnitude <= high and not (self.zero and magnitude == 0):
            unit = "" if self.unit == "dimensionless" else f" {self.unit}"
            raise InputError(
                f"{field}: {exactly(magnitude)}{unit} is outside the plausible range {self.plausible_text}"
                f" ({self.basis}); check the unit (a percentage for a share? USD for USD millions?)"
            )

    @property
    def plausible_text(self) -> str:
        """The plausible range in words: "0, or 1,000,000 to 10,000,000,000 USD/yr"."""
        low, high = self.plausible
        unit = "" if self.unit == "dimensionless" else f" {self.unit}"
        return f"{'0, or ' if self.zero else ''}{low:,.15g} to {high:,.15g}{unit}"


def exactly(number: float) -> str:
    """A number in a message, to as many digits as it takes (1.0000001 is not "1"): 15 significant digits."""
    return f"{number:.15g}"


#: DPRK GDP was about USD 31 bn (Bank of Korea, 2020) and all its goods trade before the sanctions about USD 6.5 bn
#: (KOTRA, 2016): no single flow of an area comes near USD 10 bn a year.
#: The smallest published yearly flow is about USD 17 M (fishing rights sold in 2019, Panel of Experts): below USD 1 M
#: a year, a figure is a slip of units (dollars typed for millions), unless it is exactly nothing.
MONEY_BASIS = (
    "no published yearly flow is below USD 1 M (the smallest, fishing rights in 2019, is about 17 M) or near 10 bn "
    "(GDP is about 31 bn, all goods trade in 2016 about 6.5 bn)"
)
MONEY = Spec("USD/yr", "money per year, 0 or more", plausible=(1e6, 10e9), basis=MONEY_BASIS, zero=True)
#: EIA put all DPRK oil use at about 15,000 b/d (5.5 M bbl/yr); 2016 refined imports were 4.5 M bbl (US fact sheet).
VOLUME_BASIS = "all DPRK oil use was about 15,000 b/d, 5.5 M bbl a year (US EIA); 100 M bbl is eighteen times that"
VOLUME = Spec("bbl/yr", "an oil volume per year, 0 or more", plausible=(0.0, 100e6), basis=VOLUME_BASIS)
SHARE = Spec("dimensionless", "a share from 0 to 1", maximum=1.0)
#: World Bank Pink Sheet 2024/2016 price ratios run from 1.11 (lead) to 1.88 (copper), coal about 2; a tenfold move
#: either way has no precedent over such spans.
PRICE_INDEX = Spec(
    "dimensionless",
    "a ratio, 0 or more",
    plausible=(0.1, 5.0),
    basis="World Bank 2024/2016 price ratios run from 1.11 (lead) to about 2 (coal); 150 would be a percentage",
)


@dataclass(frozen=True)
class Role:
    """A parameter of a kind: its spec, and the neutral value used where an area leaves it out (None: the area
    must give it; ``optional``: the formula works without it)."""

    spec: Spec
    default: float | None = None
    optional: bool = False


@dataclass(frozen=True)
class Variable:
    """A result variable and how to show it: unit, label, group ("money", "fuel", "share"), sign in the net
    balance (+1 revenue, -1 spending, 0 outside it), whether the printed table shows it, and its area.
    ``unlocked``: the variable measures what relief lets the North buy, before the budget decides how much of it
    is bought (the value and volume of imports unlocked); every other import variable is what is bought."""

    name: str
    unit: str
    label: str
    group: str
    sign: int = 0
    in_table: bool = True
    area: str = ""
    format: str = ""
    charted: bool = False
    unlocked: bool = False

    @property
    def display_unit(self) -> str:
        return shown_as(self.unit).unit

    @property
    def divisor(self) -> float:
        return shown_as(self.unit).divisor

    def shown(self, value: float) -> str:
        """``value`` in the display unit, formatted (the variable's own format, if it has one), never as "-0.0"."""
        return shown_as(self.unit).text(value, self.format)

    @property
    def heading(self) -> str:
        """The label with its display unit, as tables show it: "Metal export revenue (USD M/yr)"."""
        return f"{self.label} ({self.display_unit})"


@dataclass(frozen=True)
class Template:
    """A variable of every area of a kind, under ``key`` in the kind's formula; ``{title}``, ``{label}`` and
    ``{noun}`` in its name and label are the area's."""

    key: str
    variable: Variable

    def make(self, area: str, words: Mapping[str, str]) -> Variable:
        label = self.variable.label.format(**words)
        name = self.variable.name.format(**words)
        return replace(self.variable, name=name, label=label[:1].upper() + label[1:], area=area)


def template(key: str, *declaration: Any, **details: Any) -> Template:
    """A Template from the key and the arguments of its Variable."""
    return Template(key, Variable(*declaration, **details))


@dataclass(frozen=True)
class Cap:
    """A cap and the unit it was given in: bbl/yr or t/yr for fuel; USD/yr or t/yr for exports (as UNSCR 2321
    capped coal). Converted where the formula has the parameters to do it (tonnes with bbl_per_tonne or
    unit_value)."""

    amount: float
    unit: str
    #: Other limits of the same cap, in other units, whichever is lower applying (UNSCR 2321: USD 400,870,018 or
    #: 7,500,000 t a year): "400870018 USD/yr or 7500000 t/yr".
    also: tuple[Cap, ...] = ()

    def __str__(self) -> str:
        return " or ".join(f"{repr(limit.amount).removesuffix('.0')} {limit.unit}" for limit in self.limits)

    @property
    def limits(self) -> tuple[Cap, ...]:
        """Each limit on its own, this one first."""
        return (Cap(self.amount, self.unit), *self.also)


Lever = float | Cap | str | None
#: A lever as a kind's formula takes it: a Lever, or a column of trial values (shares, or caps in the flow's unit)
#: when seeking a goal.
FormulaLever = Lever | np.ndarray


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind of area: its parameters (roles), its lever, its variables and its formula."""

    name: str
    roles: Mapping[str, Role]
    lever: str
    accepted: str
    templates: tuple[Template, ...]
    formula: Callable[[Mapping[str, Values], FormulaLever, np.ndarray, str, Values], dict[str, np.ndarray]]
    #: Labels of the parents the kind's variables sum into, other than Revenue and Expenditure.
    parents: Mapping[str, str] = field(default_factory=dict)
    #: Cap units the lever takes besides a share, each with the parameters that convert it to the flow's unit (none
    #: for the flow's own unit, which comes first).
    cap_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Roles of which an area gives exactly one (two ways of stating the same quantity).
    one_of: tuple[str, ...] = ()
    #: Roles of which an area states at least one, zero included: a figure no kind may assume for it (how much of
    #: the trade evades the ban today).
    stated: tuple[str, ...] = ()
    #: Roles that another role of the same area bounds, as (role, bounded by, why): checked whenever a set is made.
    bounds: tuple[tuple[str, str, str], ...] = ()
    #: For a kind whose lever takes caps: a cap in the unit of the flow it caps, and the flow with no cap at all.
    cap_in_flow: Callable[[Mapping[str, Values], Cap, str], np.ndarray] | None = None
    ceiling: Callable[[Mapping[str, Values]], np.ndarray] | None = None
    #: For a kind whose lever is a cap: the cap of the day, and the flow it lets through today (at most the cap), in
    #: the unit of the flow it caps.
    current: Callable[[Mapping[str, Values]], np.ndarray] | None = None
    flowing: Callable[[Mapping[str, Values]], np.ndarray] | None = None
    #: The time profile: the share of the full effect k years after the relief began (k = 0 in its first year),
    #: given the scenario's ramp years (docs/explanation/model.md). A one-off effect has its own
    #: (docs/how-to/add-a-kind.md).
    profile: Callable[[np.ndarray, int], np.ndarray] = ramp_at
    #: How far a lever opens an area at full effect, in the unit its formula ramps (legal exports in USD/yr, added
    #: legal imports in bbl/yr, the share of a ban lifted): a package step that opens an area further ramps the part
    #: it adds (``calc.engine.profiles``). None: every change of lever ramps as one with the first.
    level: Callable[[Mapping[str, Values], Lever, str], Values] | None = None
    #: The function whose docstring writes the kind's formulas (the model in calc.models that ``formula`` calls);
    #: ``formula`` itself when None. The report and the documentation show that docstring: each formula is written
    #: once.
    explained_by: Callable[..., object] | None = None

    @property
    def explanation(self) -> str:
        """The docstring that writes the kind's formulas (see ``explained_by``)."""
        return inspect.getdoc(self.explained_by or self.formula) or ""

    def __post_init__(self) -> None:
        if self.lever not in LEVER_TYPES:
            raise InputError(
                f"kind {self.name!r}: lever: {self.lever!r} is not known; accepted: {', '.join(LEVER_TYPES)}"
            )
        if self.lever == "cap" and (self.current is None or self.ceiling is None or not self.cap_units):
            raise InputError(f"kind {self.name!r}: a cap lever needs current, ceiling and cap_units")

    @property
    def status_quo(self) -> Lever:
        """The lever of an area a scenario leaves alone: the cap of the day, or none of the ban lifted."""
        return STATUS_QUO if self.lever == "cap" else 0.0

    @property
    def blends(self) -> bool:
        """Whether levers of this kind can be mixed by weight (a basket of parts under different resolutions)."""
        return self.lever == "share"

    def lever_range(self, q: Mapping[str, Values]) -> tuple[float, float]:
        """The range over which a lever moves the results, as numbers the formula takes: a share from 0 to 1; a cap
        from 0 to the larger of the cap of the day and the flow with no cap (above both, a higher cap changes
        nothing)."""
        if self.lever == "share":
            return 0.0, 1.0
        assert self.current is not None and self.ceiling is not None  # a cap lever has both (``__post_init__``)
        return 0.0, float(np.max(np.maximum(self.current(q), self.ceiling(q))))

    def quantity(self, number: float) -> float | pint.Quantity:
        """A number as ``lever_range`` gives it, as users read it: a share, or a cap with its unit."""
        return float(number) if self.lever == "share" else ureg.Quantity(float(number), self.flow_unit)

    def shown(self, number: float) -> str:
        """A number as ``lever_range`` gives it, as text: "0.5", "2,000,000 bbl/yr"."""
        if self.lever == "share":
            return f"{number:g}"
        shown = shown_as(self.flow_unit)
        return f"{shown.text(number)} {shown.unit}"

    @property
    def flow_unit(self) -> str:
        """The unit of the flow a cap of this kind caps (the first of its cap units)."""
        return next(iter(self.cap_units), "")

    def control(self, q: Mapping[str, Values]) -> dict[str, Any]:
        """What a page needs to draw the lever's control: its type ("share" or "cap"), whether a share may also be
        given as a cap, and the cap of the day (central values ``q``)."""
        is_cap = self.lever == "cap"
        return {
            "lever": self.lever,
            "caps": bool(self.cap_units) and not is_cap,
            "status_quo_cap": float(np.max(self.current(q))) if is_cap and self.current is not None else None,
        }

    def lever_value(self, value: object, field: str) -> Lever:
        """The lever ``value`` as the formula takes it, or InputError naming ``field`` and what is accepted."""
        if isinstance(value, Cap):
            value = str(value)
        if isinstance(value, str) and " or " in value and self.cap_units:  # limits of one cap, the lower applying
            limits = [self.lever_value(part, field) for part in value.split(" or ")]
            caps = [limit for limit in limits if isinstance(limit, Cap)]
            if len(caps) < len(limits) or len({limit.unit for limit in caps}) < len(limits):
                raise InputError(
                    f"{field}: {value!r}: a cap of several limits, the lower applying, gives one limit per unit, "
                    "e.g. '400870018 USD/yr or 7.5e6 t/yr'"
                )
            first, *others = caps
            return Cap(first.amount, first.unit, tuple(others))
        text = value.strip().lower() if isinstance(value, str) else None
        if self.lever == "cap" and (value is None or text == LIFTED):
            return None
        if self.lever == "cap" and text == STATUS_QUO:
            return STATUS_QUO
        if self.lever == "cap" and text == "none":
            raise InputError(
                f"{field}: 'none' could mean no cap or no imports; write 'lifted' for no cap (None in Python) or "
                "'0 bbl/yr' for no imports at all"
            )
        if isinstance(value, bool) or not isinstance(value, (Real, str, pint.Quantity)):
            raise InputError(f"{field}: expected a number or a quantity ({self.accepted}), got {value!r}")
        if isinstance(value, str) and not any(character.isdigit() for character in value):
            raise InputError(f"{field}: expected a number, got {value!r}; accepted: {self.accepted}")
        unit = quantity_unit(value, field)
        if unit is None or unit.dimensionless:
            if self.lever == "cap":
                return Cap(_not_negative(self._bare_cap(value, unit, field), "bbl/yr", field, self.accepted), "bbl/yr")
            share = parse_quantity(value, "dimensionless", field)
            if not 0.0 <= share <= 1.0:
                raise InputError(f"{field}: {exactly(share)} is out of range; accepted: {self.accepted}")
            return share
        for cap_unit in self.cap_units:
            if unit.is_compatible_with(cap_unit):
                amount = _not_negative(parse_quantity(value, cap_unit, field), cap_unit, field, self.accepted)
                return Cap(amount, cap_unit)
        raise InputError(
            f"{field}: {value!r} has the wrong dimension ({unit.dimensionality}); accepted: {self.accepted}"
        )

    def _bare_cap(self, value: object, unit: pint.Unit | None, field: str) -> float:
        """A cap given as a plain number, in bbl/yr. From 0 to 1 it is refused: for every share lever 0 keeps the
        ban and 1 lifts it, so here it would silently mean the opposite (a cap of 0 or 1 barrel a year)."""
        amount = parse_quantity(value, "bbl/yr", field)
        if unit is None and 0.0 <= amount <= 1.0:
            raise InputError(
                f"{field}: {value!r} reads as a share, but this lever is a cap (a plain number is barrels a year); "
                "write 'lifted' to lift the cap, 'status-quo' to keep it, or a volume with its unit, "
                f"e.g. '{value} bbl/yr'"
            )
        return amount

    def conversion(self, lever: Lever, q: Mapping[str, Values], area: str) -> tuple[float, tuple[str, ...]] | None:
        """For a cap given in another unit than the flow it caps (tonnes of fuel, tonnes of coal): the cap in the
        flow's unit (central values ``q``) and the parameters that converted it; else None."""
        if not isinstance(lever, Cap) or (lever.unit == self.flow_unit and not lever.also) or self.cap_in_flow is None:
            return None
        parameters = tuple(dict.fromkeys(name for limit in lever.limits for name in self.cap_units.get(limit.unit, ())))
        if not all(parameter in q for parameter in parameters):
            return None
        return float(np.max(self.cap_in_flow(q, lever, area))), parameters

    def slack(self, lever: Lever, q: Mapping[str, Values], area: str) -> bool:
        """Whether ``lever`` is a cap at or above what the area traded with no measure at all (central values): it
        then does not bind, and gives exactly the result of lifting the measure."""
        if not isinstance(lever, Cap) or self.cap_in_flow is None or self.ceiling is None:
            return False
        return bool(np.all(self.cap_in_flow(q, lever, area) >= self.ceiling(q)))

    def tightens(self, lever: Lever, q: Mapping[str, Values], area: str) -> bool:
        """Whether ``lever`` is a cap below what flows today (central values): it tightens the measure, so the
        area's results fall below the status quo (a plain 1.5 is 1.5 barrels a year, not 1.5 million)."""
        if not isinstance(lever, Cap) or self.cap_in_flow is None or self.flowing is None:
            return False
        return bool(np.all(self.cap_in_flow(q, lever, area) < self.flowing(q)))

    def idle(self, lever: Lever, q: Mapping[str, Values], area: str) -> bool:
        """Whether ``lever`` is a cap at or above what flows today but below the cap of the day (central values):
        today's flow does not reach the cap of the day, so a lower cap that it does not reach changes nothing."""
        if not isinstance(lever, Cap) or self.cap_in_flow is None or self.flowing is None or self.current is None:
            return False
        cap = self.cap_in_flow(q, lever, area)
        return bool(np.all((cap >= self.flowing(q)) & (cap < self.current(q))))

    def at_status_quo(self, lever: object) -> bool:
        """Whether ``lever`` leaves the area as it is (a column of trial levers never does)."""
        return isinstance(lever, (float, str)) and lever == self.status_quo

    def more_open(self, lever: Lever, than: Lever) -> bool:
        """Whether ``lever`` certainly lets more trade through than ``than``: a larger share, a higher cap in the
        same unit, no cap at all against any, any cap against a closed ban, a whole ban lifted against any cap.
        False where the two cannot be compared without an area's parameters (a cap against the status quo)."""
        if lever == than or than is None:
            return False
        if lever is None:
            return True
        if isinstance(lever, float) and isinstance(than, float):
            return lever > than
        if isinstance(lever, Cap) and isinstance(than, Cap):
            return lever.unit == than.unit and lever.amount > than.amount and not lever.also and not than.also
        if isinstance(lever, Cap) and isinstance(than, float):
            return than == 0.0 and lever.amount > 0
        return isinstance(lever, float) and isinstance(than, Cap) and lever == 1.0

    def described(self, lever: Lever) -> str:
        """``lever`` in words, after the area's name: "lifted", "kept", "50 % lifted", "capped at 2,000,000
        bbl/yr", "capped at 400.9 USD M/yr", "cap lifted", "cap kept"."""
        if lever is None:
            return "cap lifted"
        if lever == STATUS_QUO or (self.lever == "share" and lever == 0.0):
            return "cap kept" if self.lever == "cap" else "kept"
        if isinstance(lever, Cap):
            limits = [
                f"{shown_as(limit.unit).text(limit.amount)} {shown_as(limit.unit).unit}" for limit in lever.limits
            ]
            return "capped at " + " or ".join(limits) + (", the lower" if lever.also else "")
        return "lifted" if lever == 1.0 else f"{100 * lever:g} % lifted"

    @property
    def buys(self) -> bool:
        """Whether areas of this kind spend hard currency (on imports relief unlocks), within the budget."""
        return any(template.variable.sign < 0 for template in self.templates)

    def opening(self, q: Mapping[str, Values], lever: Lever, area: str) -> Values | None:
        """How far ``lever`` opens the area at full effect (see ``level``); None for a kind that does not say."""
        return None if self.level is None else self.level(q, lever, area)

    def evaluate(
        self, q: Mapping[str, Values], lever: FormulaLever, ramp: np.ndarray, area: str, bought: Values = 1.0
    ) -> dict[str, np.ndarray]:
        """The kind's formula for one area whose parameters by role are ``q``; ``bought`` is the share of the
        imports it unlocks that the budget lets the North buy (for a kind that buys)."""
        return self.formula(q, lever, ramp, area, bought)


def _not_negative(amount: float, unit: str, field: str, accepted: str) -> float:
    if amount < 0:
        raise InputError(f"{field}: {exactly(amount)} {unit} is negative; accepted: {accepted}")
    return amount


def _missing(role: str, area: str, why: str) -> InputError:
    return InputError(f"{area}: {why} needs the parameter {area}.{role}; add it to the area's assumption file")


def _export_cap(q: Mapping[str, Values], cap: Cap, area: str) -> np.ndarray:
    """An export cap in USD/yr: as given, or tonnes at the unit value of 2016 re-priced by the price index; of several
    limits, the lower."""
    if cap.also:
        return functools.reduce(np.minimum, [_export_cap(q, limit, area) for limit in cap.limits])
    if cap.unit == "USD/yr":
        return np.asarray(cap.amount)
    if "unit_value" not in q:
        raise _missing("unit_value", area, "a cap in tonnes")
    return cap.amount * np.asarray(q["unit_value"]) * q["price_index"]


def _export_ceiling(q: Mapping[str, Values]) -> np.ndarray:
    """What the area could export with no ban (USD/yr): a cap at or above it does not bind."""
    return np.asarray(q["pre_sanction_exports"]) * q["capacity_share"] * q["price_index"]


def _export_formula(
    q: Mapping[str, Values], lever: FormulaLever, ramp: np.ndarray, area: str, bought: Values
) -> dict[str, np.ndarray]:
    if not isinstance(lever, Cap):  # a share: a number, or a column of trial shares (text and None are caps')
        return exports.revenue(q, cast(Values, lever), ramp)
    return exports.revenue(q, 1.0, ramp, cap=_export_cap(q, lever, area))


def _export_level(q: Mapping[str, Values], lever: Lever, area: str) -> Values:
    """Legal exports at full effect (USD/yr): the share lifted of the potential, or the cap where it binds."""
    potential = _export_ceiling(q)
    if isinstance(lever, Cap):
        return np.minimum(potential, _export_cap(q, lever, area))
    return cast(float, lever) * potential


def _fuel_cap(q: Mapping[str, Values], cap: Cap, area: str) -> np.ndarray:
    """A fuel cap in bbl/yr: as given, or tonnes converted with the area's barrels per tonne; of several limits, the
    lower (2397 capped crude at 4 M bbl or 525,000 t)."""
    if cap.also:
        return functools.reduce(np.minimum, [_fuel_cap(q, limit, area) for limit in cap.limits])
    return cap.amount * np.asarray(q["bbl_per_tonne"] if cap.unit == "t/yr" else 1.0)


def _fuel_ceiling(q: Mapping[str, Values]) -> np.ndarray:
    """Imports before the sanctions (bbl/yr; for crude, the pipeline): no cap lets in more, so one at or above them
    does not bind."""
    return np.asarray(q["pre_sanction_imports"])


def _fuel_cap_today(q: Mapping[str, Values]) -> np.ndarray:
    """The legal cap of the day (bbl/yr)."""
    return np.asarray(q["legal_cap"])


def _fuel_legal_today(q: Mapping[str, Values]) -> np.ndarray:
    """Legal imports today (bbl/yr): as stated, at most the cap of the day and the demand ceiling; the cap itself where
    none is stated."""
    return np.minimum(np.minimum(q.get("legal_imports", q["legal_cap"]), q["legal_cap"]), q["pre_sanction_imports"])


def _new_fuel_cap(q: Mapping[str, Values], lever: FormulaLever, area: str) -> Values:
    """The cap a lever sets, in bbl/yr."""
    if lever is None:
        return q["pre_sanction_imports"]
    if isinstance(lever, str):  # STATUS_QUO, the only text a lever keeps
        return q["legal_cap"]
    if isinstance(lever, Cap):
        return _fuel_cap(q, lever, area)
    return lever  # trial caps in bbl/yr (a column of them when seeking a goal)


def _capped_formula(
    q: Mapping[str, Values], lever: FormulaLever, ramp: np.ndarray, area: str, bought: Values
) -> dict[str, np.ndarray]:
    return capped_imports.effects({"legal_imports": q["legal_cap"], **q}, _new_fuel_cap(q, lever, area), ramp, bought)


def _fuel_level(q: Mapping[str, Values], lever: Lever, area: str) -> Values:
    """The legal imports a cap adds at full effect (bbl/yr)."""
    return _capped_formula(q, lever, np.ones(1), area, 1.0)["added"]


def _share_level(q: Mapping[str, Values], lever: Lever, area: str) -> Values:
    """The share of a ban lifted."""
    return cast(float, lever)


def _ban_formula(
    q: Mapping[str, Values], lever: FormulaLever, ramp: np.ndarray, area: str, bought: Values
) -> dict[str, np.ndarray]:
    share = cast(Values, lever)  # a number, or a column of trial shares: the kind's lever is a share, never capped
    return import_bans.spending(q, share, ramp, bought)


#: The value of the imports an area's relief unlocks, before the budget: access, never a loss.
UNLOCKED = template(
    "unlocked", "Imports Unlocked|{title}", "USD/yr", "{title} unlocked", "money", charted=True, unlocked=True
)

EXPORT_EARNINGS = Kind(
    name="export earnings",
    roles=MappingProxyType(
        {
            "pre_sanction_exports": Role(MONEY),
            "price_index": Role(PRICE_INDEX, 1.0),
            "capacity_share": Role(SHARE, 1.0),
            "net_foreign_exchange_share": Role(SHARE, 1.0),
            "already_smuggled_share": Role(SHARE, 0.0),
            "smuggled_exports": Role(MONEY, 0.0),
            "unit_value": Role(
                Spec(
                    "USD/t",
                    "a price per tonne, 0 or more",
                    plausible=(0.0, 1e6),
                    basis="coal sold at 53-100 USD/t, copper at about 9,000 and silver about 900,000 (World Bank)",
                ),
                optional=True,
            ),
        }
    ),
    lever="share",
    accepted="a share from 0 to 1 of the ban lifted, or a cap such as '400.9e6 USD/yr' or '7.5e6 t/yr' (both, the "
    "lower applying: '400870018 USD/yr or 7.5e6 t/yr')",
    templates=(template("revenue", "Revenue|{title}", "USD/yr", "{label}", "money", sign=1, charted=True),),
    formula=_export_formula,
    explained_by=exports.revenue,
    stated=("smuggled_exports", "already_smuggled_share"),
    bounds=(
        (
            "smuggled_exports",
            "pre_sanction_exports",
            "evasion is stated on the basis of the pre-sanction exports (their volume at the pre-sanction unit value), "
            "so it cannot pass them",
        ),
    ),
    cap_units=MappingProxyType({"USD/yr": (), "t/yr": ("unit_value", "price_index")}),
    cap_in_flow=_export_cap,
    ceiling=_export_ceiling,
    level=_export_level,
)

CAPPED_IMPORTS = Kind(
    name="capped imports",
    roles=MappingProxyType(
        {
            "legal_cap": Role(VOLUME),
            "legal_imports": Role(VOLUME, optional=True),
            "pre_sanction_imports": Role(
                replace(VOLUME, meaning="an oil volume per year above 0", allow_minimum=False, plausible=(1.0, 100e6))
            ),
            "illicit_imports": Role(VOLUME, 0.0),
            "displacement_share": Role(SHARE, 0.0),
            "price": Role(
                Spec(
                    "USD/bbl",
                    "a price per barrel, 0 or more",
                    plausible=(10.0, 300.0),
                    basis="Brent averaged 12 USD/bbl at its lowest year (1998) and 112 at its highest (2012), "
                    "with a monthly peak of 133 (2008; World Bank)",
                )
            ),
            "smuggling_premium": Role(
                Spec(
                    "dimensionless",
                    "a mark-up, 0 or more",
                    plausible=(0.0, 1.0),
                    basis="a mark-up of 1 doubles the price, and the published range, a judgement, stops at 0.5; "
                    "20 would be a percentage",
                ),
                0.0,
            ),
            "bbl_per_tonne": Role(
                Spec(
                    "bbl/t",
                    "barrels per tonne above 0",
                    allow_minimum=False,
                    plausible=(6.0, 12.0),
                    basis="oil products weigh 0.55 (LPG) to 1.0 t/m3 (heavy fuel oil), i.e. 11.4 to 6.3 bbl/t; UN "
                    "Statistics Division factors run from 6.62 to 8.50",
                )
            ),
            "hard_currency_share": Role(SHARE, 1.0),
        }
    ),
    lever="cap",
    accepted="a cap such as '1000000 bbl/yr' or '60000 t/yr' (a bare number above 1 is bbl/yr), 'lifted' (None) or "
    "'status-quo'",
    templates=(
        template(
            "added",
            "Fuel|{title}|Additional Legal Imports",
            "bbl/yr",
            "added legal {noun} imports",
            "fuel",
            charted=True,
            unlocked=True,
        ),
        template(
            "net_supply",
            "Fuel|{title}|Net Additional Supply",
            "bbl/yr",
            "net added {noun} supply",
            "fuel",
            charted=True,
        ),
        template(
            "added_tonnes",
            "Fuel|{title}|Additional Legal Imports (Mass)",
            "t/yr",
            "added legal {noun} imports",
            "fuel",
            unlocked=True,
        ),
        UNLOCKED,
        template("spending", "Expenditure|Fuel Imports|{title}", "USD/yr", "{label}", "money", sign=-1),
        template("replaced", "Fuel|{title}|Smuggled Imports Replaced", "bbl/yr", "smuggled {noun} replaced", "fuel"),
        template("tonnes", "Fuel|{title}|Net Additional Supply (Mass)", "t/yr", "net added {noun} supply", "fuel"),
        template(
            "supply_share",
            "Fuel|{title}|Total Supply|Share of Pre-Sanction Imports",
            "%",
            "{noun} supply, share of pre-sanction imports",
            "level",
        ),
    ),
    formula=_capped_formula,
    explained_by=capped_imports.effects,
    parents=MappingProxyType({"Expenditure|Fuel Imports": "Fuel import spending"}),
    cap_units=MappingProxyType({"bbl/yr": (), "t/yr": ("bbl_per_tonne",)}),
    cap_in_flow=_fuel_cap,
    ceiling=_fuel_ceiling,
    current=_fuel_cap_today,
    flowing=_fuel_legal_today,
    bounds=(("legal_imports", "legal_cap", "legal imports cannot pass the cap of the day"),),
    level=_fuel_level,
)

IMPORT_BANS = Kind(
    name="import bans",
    roles=MappingProxyType(
        {
            "observed_imports": Role(MONEY, optional=True),
            "pre_sanction_imports": Role(MONEY, optional=True),
            "blocked_share": Role(
                Spec(
                    "dimensionless",
                    "a share from 0 up to but not including 1",
                    maximum=1.0,
                    allow_maximum=False,
                    plausible=(0.0, 0.95),
                    basis="the highest published judgement is 0.95 (2397 capital goods); at 0.95 demand is twenty "
                    "times the imports still observed",
                )
            ),
        }
    ),
    lever="share",
    accepted="a share from 0 to 1 of the ban lifted",
    templates=(
        UNLOCKED,
        template("spending", "Expenditure|{title}", "USD/yr", "{label}", "money", sign=-1),
    ),
    formula=_ban_formula,
    explained_by=import_bans.spending,
    one_of=("observed_imports", "pre_sanction_imports"),
    level=_share_level,
)

#: The kinds areas may declare, by name: the three shipped, and any registered (``register``).
KINDS: dict[str, Kind] = {kind.name: kind for kind in (EXPORT_EARNINGS, CAPPED_IMPORTS, IMPORT_BANS)}


#: The Python file that registered each kind from outside the package, by kind name: another process (the
#: explorer's, which draws) runs it again to know the kind.
SOURCES: dict[str, str] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` available to areas declared afterwards (``kind = "<its name>"`` in an ``areas.toml``): the one
    step that adds a kind from outside the package (docs/how-to/add-a-kind.md). Registering the same kind again is
    harmless; another kind under a name already taken is refused."""
    if not isinstance(kind, Kind):
        raise InputError(f"register: expected a calc.kinds.Kind, got {type(kind).__name__}")
    known = KINDS.get(kind.name)
    if known is not None and known is not kind and SOURCES.get(kind.name) != inspect.getsourcefile(kind.formula):
        raise InputError(f"register: a kind named {kind.name!r} exists already; give yours another name")
    KINDS[kind.name] = kind
    SOURCES[kind.name] = inspect.getsourcefile(kind.formula) or ""
    return kind


def register_from(sources: Mapping[str, str]) -> None:
    """Run again the files that registered kinds in another process (``SOURCES`` there), so that this one knows
    the same kinds."""
    for name, path in sources.items():
        if name not in KINDS and path:
            spec = importlib.util.spec_from_file_location(f"calc_registered_{len(KINDS)}", path)
            if spec is None or spec.loader is None:
                raise InputError(f"kind {name!r}: its file {path} cannot be loaded again")
            spec.loader.exec_module(importlib.util.module_from_spec(spec))


def check_roles(kind: Kind, area: str, present: set[str]) -> None:
    """Refuse an area whose parameters leave out a required role, give other than one of ``kind.one_of``, or state
    none of ``kind.stated``."""
    missing = [
        role for role, spec in kind.roles.items() if spec.default is None and not spec.optional and role not in present
    ]
    if missing:
        raise InputError(
            f"area {area!r} ({kind.name}): missing parameter(s) {', '.join(f'{area}.{role}' for role in missing)}"
        )
    if kind.one_of and len(present & set(kind.one_of)) != 1:
        choices = " and ".join(f"{area}.{role}" for role in kind.one_of)
        raise InputError(f"area {area!r} ({kind.name}): give exactly one of {choices}")
    if kind.stated and not present & set(kind.stated):
        choices = " or ".join(f"{area}.{role}" for role in kind.stated)
        raise InputError(
            f"area {area!r} ({kind.name}): state {choices}: how much evades the ban today (0, with its source or "
            "as a judgement, where none is known)"
        )
