"""The project's single pint registry, and parsing of quantities at the edges.

The registry is pint's defaults plus ``units.txt`` (currency, and ``bbl`` as the 42-gallon oil barrel).
Building it from scratch costs a few tenths of a second, so pint's definition cache is used, in a folder of
our own keyed by this environment and the pint version. pint's shared ``:auto:`` folder is avoided on purpose:
it is shared by every environment with the same pint version and breaks once one of them is deleted
(pint issue #1572). Whatever goes wrong with the cache, the registry is rebuilt without it.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import shutil
import sys
import tempfile
from numbers import Real
from pathlib import Path
from typing import Any, cast

import pint

from calc.errors import InputError

DEFINITIONS = Path(__file__).with_name("units.txt")
#: Unit names that readers take in different senses; pint picks one silently, so they are refused with a hint.
TON = "is ambiguous: short ton (907 kg), long ton (1016 kg) or metric tonne (1000 kg): write 't' for the metric tonne"
OIL_M = "is ambiguous: in the oil trade M is a thousand (mille) and MM a million, in SI M is a million"
AMBIGUOUS = {
    "ton": TON,
    "tons": TON,
    "billion": "is ambiguous: 10**9 or, in older British usage, 10**12: write the number out, e.g. 2.5e9",
    "Mbbl": f"{OIL_M}: write 'kbbl' for a thousand barrels or '1e6 bbl' for a million",
    "MMbbl": f"{OIL_M}: write '1e6 bbl' for a million barrels",
    "Mb": f"{OIL_M}: write 'kbbl' for a thousand barrels or '1e6 bbl' for a million",
    "MMb": f"{OIL_M}: write '1e6 bbl' for a million barrels",
}
#: Units the oil and commodity trades write in a sense other than the registry's.
AMBIGUOUS |= {
    "kt": "is ambiguous: the registry reads kt as knots (a speed), the trade as kilotonnes: write thousands of "
    "tonnes with an exponent, e.g. '60e3 t/yr'",
    "mt": "is ambiguous: the registry reads mt as millitonnes, the trade as metric tonnes: write 't' for the metric "
    "tonne",
    "mb": "is ambiguous: in the oil trade mb is a thousand or a million barrels (mb/d, million barrels a day), the "
    "registry reads it as millibarns: write 'kbbl' for a thousand barrels or '1e6 bbl' for a million",
    "mbbl": "is ambiguous: in US oil statistics mbbl is a thousand barrels (M, mille), the registry reads it as "
    "millibarrels: write 'kbbl' for a thousand barrels or '1e6 bbl' for a million",
}
#: A prefix below one on money: 'mUSD' is a thousandth of a dollar to the registry and a million to a reader.
SMALL_MONEY = re.compile(r"\b(m|milli|u|µ|micro|n|nano|c|centi|d|deci)(USD|usd|US_dollar)\b")
PREFIXES = dict.fromkeys(("m", "milli"), "milli-dollars") | dict.fromkeys(("u", "µ", "micro"), "micro-dollars")
PREFIXES |= dict.fromkeys(("n", "nano"), "nano-dollars") | dict.fromkeys(("c", "centi"), "cents")
PREFIXES |= dict.fromkeys(("d", "deci"), "deci-dollars")
#: The tables' own spelling of money in millions, read back as the registry's mega-dollars.
TABLE_MILLIONS = re.compile(r"\bUSD\s+M\b")
#: Shorthands for thousands, millions and billions, which the registry would read as units (M is molar, k the
#: Boltzmann constant, B a byte, G a gauss) or not at all.
MULTIPLIER = "is not read as a multiplier: write the number out with an exponent, e.g. '220e6 USD/yr' for 220 million"
AMBIGUOUS |= dict.fromkeys(("M", "MM", "mn", "mln", "bn", "B", "G", "k", "K"), MULTIPLIER)
#: How oil statistics write volumes, as the registry writes them: b/d is barrels a day, not barns (pint's b).
OIL_SPELLINGS = {"b": "bbl", "kb": "kbbl", "bpd": "(bbl/day)", "kbpd": "(kbbl/day)", "kbd": "(kbbl/day)"}
CUBIC = re.compile(r"\b(m|cm|km|dm|ft|in)3\b")
CACHE_ENV = "SANCTIONS_RELIEF_CACHE_DIR"
NUMBER_AND_UNIT = re.compile(
    r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf))\s*([^\d,].*?)?\s*", re.I
)


def cache_folder() -> Path:
    """Where this environment keeps its registry cache (``$SANCTIONS_RELIEF_CACHE_DIR`` overrides the root)."""
    root = os.environ.get(CACHE_ENV)
    if root:
        base = Path(root)
    else:
        import platformdirs  # a dependency of pint

        base = platformdirs.user_cache_path("sanctions-relief", appauthor=False)
    key = f"{sys.prefix}|{pint.__version__}|{DEFINITIONS.read_text()}"
    return base / f"pint-{pint.__version__}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(tmp, path)


def _registry(folder: Path | None) -> pint.UnitRegistry:
    """Build the registry from one definitions file that imports pint's defaults, then adds ours.

    Loading everything from one file lets pint build its unit cache once, with ``bbl`` already redefined
    (``UnitRegistry.define`` after construction leaves stale conversion factors behind). pint refuses
    absolute paths in ``@import``, so pint's own files are copied beside ours.
    """
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="sanctions-relief-units-") as scratch:
            return pint.UnitRegistry(_write_definitions(Path(scratch)), on_redefinition="ignore")
    folder.mkdir(parents=True, exist_ok=True)
    return pint.UnitRegistry(_write_definitions(folder), on_redefinition="ignore", cache_folder=folder)


def _write_definitions(folder: Path) -> Path:
    pint_folder = Path(pint.__file__).parent
    for name in ("default_en.txt", "constants_en.txt"):
        _write_if_changed(folder / name, (pint_folder / name).read_text())
    definitions = folder / "definitions.txt"
    _write_if_changed(definitions, f"@import default_en.txt\n{DEFINITIONS.read_text()}")
    return definitions


def build_registry() -> pint.UnitRegistry:
    """The registry, from the cache when it is usable; a broken or unwritable cache is dropped and bypassed."""
    folder = cache_folder()
    try:
        return _registry(folder)
    except Exception:  # any fault of the cache: rebuild without it
        shutil.rmtree(folder, ignore_errors=True)
        return _registry(None)


@functools.cache
def registry() -> pint.UnitRegistry:
    """The project's one registry, built (and its cache written) on first use rather than at import."""
    return build_registry()


class _Registry:
    """``calc.ureg``: stands for the registry and builds it when first asked for anything (``ureg.Quantity``,
    ``ureg.Unit``, ...), so that importing a module does no I/O."""

    def __getattr__(self, name: str) -> Any:
        return getattr(registry(), name)

    def __repr__(self) -> str:
        return repr(registry())


ureg = cast(pint.UnitRegistry, _Registry())  # every attribute is the registry's


def parse_quantity(value: object, unit: str, field: str) -> float:
    """Return ``value`` as a plain number in ``unit``.

    Accepts a pint Quantity, a string with units (``"120 USD/bbl"``), or a number or numeric string meaning
    ``unit`` itself. Raises InputError naming ``field`` for anything else, for the wrong dimension and for
    NaN or infinities.
    """
    if isinstance(value, bool) or value is None:
        raise InputError(f"{field}: expected a number or {_describe(unit)}, got {value!r}")
    if isinstance(value, Real):
        magnitude = float(value)
    elif isinstance(value, str):
        magnitude = _parse_string(value, unit, field)
    elif isinstance(value, pint.Quantity):
        magnitude = _convert(value, unit, field, shown=str(value))
    else:
        raise InputError(f"{field}: expected a number or {_describe(unit)}, got {type(value).__name__}")
    if not math.isfinite(magnitude):
        raise InputError(f"{field}: must be a finite number, got {magnitude}")
    return magnitude


def _refuse_ambiguous(text: str, field: str) -> None:
    for word in re.findall(r"[A-Za-z_]+", text):
        if word in AMBIGUOUS:
            raise InputError(f"{field}: {word!r} in {text!r} {AMBIGUOUS[word]}")


def _parse_string(text: str, unit: str, field: str) -> float:
    """A number, optionally followed by a unit expression: ``"120 USD/bbl"``, ``"1.5e6"``, ``"50 %"``."""
    match = NUMBER_AND_UNIT.fullmatch(text)
    if match is None and any(symbol in text for symbol in "$€£"):
        raise InputError(
            f"{field}: cannot read {text!r}: write money as a number and the unit USD, with no currency sign or "
            "M/bn suffix, e.g. '400e6 USD/yr'"
        )
    if match is None:
        separators = " (no thousands separators or decimal commas)" if "," in text else ""
        raise InputError(
            f"{field}: cannot read {text!r}; expected a number{separators} and a unit, {_describe(unit)}, "
            f"such as '{_example(unit)}'"
        )
    number, unit_text = match.groups()
    if not unit_text:
        return float(number)  # a bare number means the expected unit
    return _convert(ureg.Quantity(float(number), parse_unit(unit_text, field)), unit, field, shown=repr(text))


def quantity_unit(value: object, field: str) -> pint.Unit | None:
    """The unit of a Quantity or of a string such as ``"400.9e6 USD/yr"``; None for a plain number (or a text
    that is not a number with a unit, which ``parse_quantity`` then refuses with its own message)."""
    if isinstance(value, pint.Quantity):
        return value.units  # type: ignore[return-value]  # pint types it as the base PlainUnit; it is a pint.Unit
    match = NUMBER_AND_UNIT.fullmatch(value) if isinstance(value, str) else None
    if match is None or not match.group(2):
        return None
    return parse_unit(match.group(2), field)


def is_bare_number(value: object) -> bool:
    """A number, or text that is only a number (``"220"``), with no unit."""
    if isinstance(value, bool):
        return False
    if isinstance(value, Real):
        return True
    match = NUMBER_AND_UNIT.fullmatch(value) if isinstance(value, str) else None
    return match is not None and not match.group(2)


def refuse_bare_number(value: object, unit: str, field: str) -> None:
    """Refuse a number with no unit where ``unit`` has a dimension: tables print USD millions, so a bare 220 for a
    parameter in USD/yr is a slip that costs a factor of a million. The message shows the spellings that work. Zero
    needs no unit."""
    if not is_bare_number(value) or ureg.Unit(unit).dimensionless or float(str(value)) == 0:
        return  # nothing is nothing in every unit
    number = str(value).strip()
    spellings = f"'{number} {unit}'"
    if ureg.Unit(unit).is_compatible_with("USD/yr") and abs(float(number)) < 1e5:
        spellings = f"'{number}e6 {unit}' for {number} million, or '{number} {unit}' for {number} dollars"
    raise InputError(f"{field}: {value!r} has no unit; write it with one, e.g. {spellings}")


def parse_with_unit(value: object, unit: str, field: str) -> float:
    """``parse_quantity``, but a bare number is refused where ``unit`` has a dimension (see
    ``refuse_bare_number``). A share (``unit`` dimensionless or %) may stay bare."""
    magnitude = parse_quantity(value, unit, field)  # first, so that NaN is refused as NaN
    refuse_bare_number(value, unit, field)
    return magnitude


def parse_unit(text: str, field: str) -> pint.Unit:
    """A unit expression (no number) of the registry, or InputError naming ``field``. Oil-trade spellings are
    read as the trade means them (``b/d``, ``bpd``, ``kb/d``: barrels a day; ``m3``: cubic metres); ``Mbbl`` and
    ``MMbbl``, which the trade and SI read differently, are refused."""
    text = TABLE_MILLIONS.sub("MUSD", text.strip())  # "USD M/yr", as tables print it
    small = SMALL_MONEY.search(text)
    if small:
        raise InputError(
            f"{field}: {small[0]!r} in {text!r} is ambiguous: the registry reads it as {PREFIXES[small[1]]} (a "
            "fraction of a dollar), a reader as millions: write "
            "millions as 'USD M/yr', 'million USD/yr' or with an exponent, e.g. '220e6 USD/yr'"
        )
    _refuse_ambiguous(text, field)
    spelled = CUBIC.sub(r"\1**3", re.sub(r"[A-Za-z_]+", lambda word: OIL_SPELLINGS.get(word[0], word[0]), text))
    try:
        return ureg.parse_units(spelled)
    except Exception as error:
        raise InputError(
            f"{field}: unknown unit {text!r} ({type(error).__name__}); use units such as USD, bbl, t, yr, day, %"
        ) from None


def _convert(quantity: pint.Quantity, unit: str, field: str, shown: str) -> float:
    if not quantity.is_compatible_with(unit):
        raise InputError(
            f"{field}: {shown} has the wrong dimension ({quantity.dimensionality}); expected {_describe(unit)}"
        )
    magnitude = quantity.to(unit).magnitude
    try:
        return float(magnitude)
    except TypeError:
        raise InputError(f"{field}: expected a single value, got {quantity!r}") from None


def check_unit(unit: object, expected_unit: str, field: str) -> str:
    """Return ``unit`` if it parses and has the dimension of ``expected_unit``; InputError otherwise."""
    if not isinstance(unit, str):
        raise InputError(f"{field}: the unit must be a string such as '{expected_unit}', got {unit!r}")
    parsed = parse_unit(unit, field)
    if not parsed.is_compatible_with(expected_unit):
        raise InputError(
            f"{field}: unit {unit!r} has the wrong dimension ({parsed.dimensionality}); "
            f"expected {_describe(expected_unit)}"
        )
    return unit


def to_unit(magnitude: float, from_unit: str, to_unit: str) -> float:
    """Convert a plain number between two units of the registry."""
    return float(ureg.Quantity(magnitude, from_unit).to(to_unit).magnitude)


def _example(unit: str) -> str:
    return "0.5" if ureg.Unit(unit).dimensionless else f"1000 {unit}"


def _describe(unit: str) -> str:
    if ureg.Unit(unit).dimensionless:
        return "a plain number (dimensionless)"
    return f"a quantity convertible to {unit!r} ({ureg.Unit(unit).dimensionality})"
