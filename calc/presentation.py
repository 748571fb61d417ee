"""How numbers are shown, in one place: for each unit a result or a parameter can have, the unit tables print it
in, the divisor from the frame's unit, the number format, how the registry reads the shown unit back, and the
axis charts draw it on. Tables (``calc.display``), charts, the report, the explorer and the command line all read
this; nothing else decides how a number looks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """How numbers of one unit are shown: in tables as ``unit`` (the frame's value divided by ``divisor``, with the
    format ``number``), and on a chart's axis ``axis`` (divided by ``axis_divisor``)."""

    unit: str
    divisor: float
    number: str
    axis: str
    axis_divisor: float

    @property
    def scale(self) -> tuple[float, str]:
        """The divisor and label of a chart's axis."""
        return self.axis_divisor, self.axis

    def text(self, value: float, number: str = "") -> str:
        """``value`` (in the frame's unit) as tables show it, never as "-0.0"."""
        text = format(value / self.divisor, number or self.number)
        return text[1:] if text.startswith("-") and text.strip("-0.,") == "" else text


SHOWN = {
    "USD/yr": Shown("USD M/yr", 1e6, ",.1f", "USD million per year", 1e6),
    "bbl/yr": Shown("bbl/yr", 1.0, ",.0f", "thousand barrels per year (42-gallon oil barrels)", 1e3),
    "t/yr": Shown("t/yr", 1.0, ",.0f", "thousand tonnes per year", 1e3),
    "%": Shown("%", 1.0, ",.1f", "per cent", 1.0),
}
#: How the registry spells a shown unit that it would misread as written ("USD M/yr" reads as USD x molar / yr):
#: the unit sent with numbers typed in the shown unit.
REGISTRY_SPELLING = {"USD M/yr": "MUSD/yr"}


def shown_as(unit: str) -> Shown:
    """How numbers in ``unit`` are shown: as ``SHOWN`` says, or in the unit itself with up to four digits."""
    return SHOWN.get(unit, Shown(unit, 1.0, ",.4g", unit, 1.0))


def entry_unit(unit: str) -> str:
    """The shown ``unit`` as the registry reads it (what a number typed in it is sent back with)."""
    return REGISTRY_SPELLING.get(unit, unit)


def plain(value: float) -> str:
    """A parameter's value as a reader writes it: whole numbers in full with separators (31,000,000,000, not
    3.1e+10, so that a figure in USD is read at a glance), others to ten significant digits (0.68; 1.5e-05)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:,.10g}"
