import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calc
from calc.presentation import REGISTRY_SPELLING, SHOWN
from calc.units import parse_quantity

LITRES_PER_US_GALLON = 3.785411784  # exact by definition (231 cubic inches)


def test_barrel_is_the_42_gallon_oil_barrel():
    assert calc.ureg.Quantity(1, "bbl").to("L").magnitude == pytest.approx(42 * LITRES_PER_US_GALLON, rel=1e-12)
    assert calc.ureg.Quantity(1, "bbl").to("L").magnitude == pytest.approx(158.987, abs=5e-4)
    assert calc.ureg.Quantity(1, "barrel").to("gallon").magnitude == pytest.approx(42)


def test_cubic_metres_per_year_convert_to_barrels_per_year():
    # 158,987 m3 / 0.158987294928 m3 per bbl = 999,998.145 bbl
    assert parse_quantity("158987 m**3/yr", "bbl/yr", "cap") == pytest.approx(158987 / 0.158987294928, rel=1e-12)


def test_barrels_per_day_to_per_year():
    # a Julian year of 365.25 days
    assert parse_quantity("6000 bbl/day", "bbl/yr", "x") == pytest.approx(6000 * 365.25)


def test_each_display_unit_the_page_sends_back_reads_as_it_is_shown():
    # tables show money in USD M/yr (a divisor of 1e6), which reads back as millions (the registry alone would read M
    # as molar); an M on its own is still no multiplier
    for unit, way in SHOWN.items():
        spelled = REGISTRY_SPELLING.get(way.unit, way.unit)
        assert parse_quantity(f"1 {spelled}", unit, "x") == way.divisor
        assert parse_quantity(f"1 {way.unit}", unit, "x") == way.divisor
    assert REGISTRY_SPELLING["USD M/yr"] == "MUSD/yr"
    assert parse_quantity("220 million USD/yr", "USD/yr", "x") == 220e6
    with pytest.raises(calc.InputError, match="is not read as a multiplier"):
        parse_quantity("1 M USD/yr", "USD/yr", "x")


@pytest.mark.parametrize(
    ("text", "unit", "readings"),
    [
        # a milli prefix on money: a thousandth of a dollar to the registry, a million to a reader
        ("220 mUSD/yr", "USD/yr", ["milli-dollars", "millions", "USD M/yr", "220e6 USD/yr"]),
        ("5 cUSD/yr", "USD/yr", ["cents"]),
        # knots or kilotonnes; millitonnes or metric tonnes; millibarns or (million) barrels; millibarrels or thousands
        ("60 kt/yr", "t/yr", ["knots", "kilotonnes", "60e3 t/yr"]),
        ("60000 mt/yr", "t/yr", ["millitonnes", "metric tonnes", "'t'"]),
        ("1 mb/d", "bbl/yr", ["millibarns", "million barrels a day", "1e6 bbl"]),
        ("300 mbbl/d", "bbl/yr", ["millibarrels", "a thousand barrels", "kbbl"]),
    ],
)
def test_units_read_two_ways_are_refused_naming_both_readings(text, unit, readings):
    with pytest.raises(calc.InputError) as refused:
        parse_quantity(text, unit, "field")
    assert str(refused.value).startswith("field: ") and "ambiguous" in str(refused.value)
    for reading in readings:
        assert reading in str(refused.value), reading


def test_currency_is_its_own_dimension_with_prefixes():
    assert parse_quantity("220 MUSD/yr", "USD/yr", "x") == pytest.approx(220e6)
    with pytest.raises(calc.InputError, match=r"x: .*wrong dimension"):
        parse_quantity("220 kg/yr", "USD/yr", "x")


def test_percent_is_a_share():
    assert parse_quantity("50 %", "dimensionless", "share") == pytest.approx(0.5)


def test_bare_number_means_the_declared_unit():
    assert parse_quantity("1000000", "bbl/yr", "cap") == 1e6
    assert parse_quantity(2.5, "USD/bbl", "price") == 2.5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12 kg", "petroleum_cap: '12 kg' has the wrong dimension ([mass]); expected a quantity convertible to"),
        ("abc", "petroleum_cap: cannot read 'abc'; expected a number and a unit"),
        ("1,5 bbl/yr", "petroleum_cap: cannot read '1,5 bbl/yr'; expected a number (no thousands separators"),
        ("2 3 bbl/yr", "petroleum_cap: unknown unit '3 bbl/yr'"),
        ("7.5 bbl/ton", "petroleum_cap: 'ton' in 'bbl/ton' is ambiguous"),
        ("nan", "petroleum_cap: must be a finite number"),
        (float("inf"), "petroleum_cap: must be a finite number"),
        ([1], "petroleum_cap: expected a number or a quantity convertible to 'bbl/yr'"),
        (None, "petroleum_cap: expected a number"),
        (True, "petroleum_cap: expected a number"),
    ],
)
def test_bad_quantities_name_the_field(value, message):
    with pytest.raises(calc.InputError) as caught:
        parse_quantity(value, "bbl/yr", "petroleum_cap")
    assert str(caught.value).startswith(message)


def _bbl_in_litres(env):
    code = "import calc; print(calc.ureg.Quantity(1, 'bbl').to('L').magnitude)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return float(done.stdout)


def test_registry_recovers_from_a_damaged_cache(tmp_path):
    env = {**os.environ, "SANCTIONS_RELIEF_CACHE_DIR": str(tmp_path)}
    assert _bbl_in_litres(env) == pytest.approx(158.987294928)
    cached = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.suffix == ".pickle" for path in cached)
    for path in cached:  # every cache file truncated to garbage, as after a crash or a deleted environment
        path.write_bytes(b"\x80garbage")
    assert _bbl_in_litres(env) == pytest.approx(158.987294928)


def test_registry_recovers_when_cached_definition_files_vanish(tmp_path):
    env = {**os.environ, "SANCTIONS_RELIEF_CACHE_DIR": str(tmp_path)}
    _bbl_in_litres(env)
    for path in tmp_path.rglob("*.txt"):  # pint issue #1572: the files a cache refers to are gone
        path.unlink()
    assert _bbl_in_litres(env) == pytest.approx(158.987294928)


def test_registry_works_when_the_cache_folder_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "SANCTIONS_RELIEF_CACHE_DIR": str(blocker)}
    assert _bbl_in_litres(env) == pytest.approx(158.987294928)


@pytest.mark.parametrize(
    "text",
    ["220M USD/yr", "220 M", "2.2B USD/yr", "400 mn USD/yr", "2 bn USD/yr", "220 k USD/yr", "3 MM USD/yr"],
)
def test_multiplier_shorthands_are_refused_with_a_hint(text):
    # pint reads M as molar, B as a byte (2.2B USD/yr would be 2.2 dollars), k as Boltzmann's constant
    with pytest.raises(calc.InputError, match="is not read as a multiplier: write the number out with an exponent"):
        parse_quantity(text, "USD/yr", "coal")


def test_a_currency_sign_is_refused_with_a_hint():
    with pytest.raises(calc.InputError, match=r"coal: cannot read '\$400M': write money as a number and the unit USD"):
        calc.Scenario(relief={"coal": "$400M"})


@pytest.mark.parametrize(
    ("text", "barrels_a_year"),
    [
        ("1370 b/d", 1370 * 365.25),  # b is the barrel in oil statistics, not the barn
        ("2740 bpd", 2740 * 365.25),
        ("2740 bbl/d", 2740 * 365.25),
        ("5 kb/d", 5000 * 365.25),
        ("5 kbd", 5000 * 365.25),  # thousand barrels a day, not barrels
        ("5 kbpd", 5000 * 365.25),
        ("158987.294928 m3/yr", 1e6),  # 1 bbl = 0.158987294928 m3
    ],
)
def test_oil_trade_spellings_are_read_as_the_trade_means_them(text, barrels_a_year):
    assert calc.Scenario(petroleum_cap=text).petroleum_cap.amount == pytest.approx(barrels_a_year)


@pytest.mark.parametrize("text", ["500 Mbbl/yr", "3 MMbbl/yr", "500 Mb/d"])
def test_mega_barrels_are_refused_not_read_as_si(text):
    with pytest.raises(calc.InputError, match="is ambiguous: in the oil trade M is a thousand"):
        calc.Scenario(petroleum_cap=text)


@pytest.mark.parametrize("text", ["2 billion bbl/yr", "2e6 ton/yr"])
def test_billion_and_ton_are_refused_as_ambiguous(text):
    with pytest.raises(calc.InputError, match="is ambiguous"):
        calc.Scenario(petroleum_cap=text)


OTHER_UNITS = {"USD/yr": "MUSD/day", "bbl/yr": "m**3/s", "t/yr": "kg/day", "%": "dimensionless"}


@settings(max_examples=100, deadline=None)
@given(value=st.floats(-1e15, 1e15), unit=st.sampled_from(sorted(OTHER_UNITS)))
def test_unit_conversion_round_trips(value, unit):
    there = calc.ureg.Quantity(value, unit).to(OTHER_UNITS[unit])
    back = there.to(unit).magnitude
    assert back == pytest.approx(value, rel=1e-12, abs=1e-300)
