import math
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calc
from calc.assumptions import PARAMETERS, shipped_folder

from conftest import valid_assumptions


def test_shipped_set_has_every_parameter_with_a_record(shipped):
    frame = shipped.to_frame()
    assert list(frame["name"]) == [name for name in PARAMETERS if name in shipped]
    assert list(frame.columns[:8]) == ["name", "value", "unit", "low", "high", "year", "source", "url"]
    assert (frame["source"].str.len() > 0).all()
    assert ((frame["low"] <= frame["value"]) & (frame["value"] <= frame["high"])).all()
    for unit, name in zip(frame["unit"], frame["name"], strict=True):
        assert calc.ureg.Quantity(1, unit).is_compatible_with(PARAMETERS[name].unit)


def test_central_values_are_the_articles(shipped):
    assert shipped.value("metals.pre_sanction_exports").to("USD/yr").magnitude == 220e6
    assert shipped.value("petroleum.legal_cap").to("bbl/yr").magnitude == 500_000
    assert "Stangarone" in shipped["metals.pre_sanction_exports"].source


def test_judgement_values_say_so(shipped):
    judgements = {name for name, parameter in shipped.items() if parameter.judgement}
    assert {
        "metals.capacity_share",
        "metals.already_smuggled_share",
        "petroleum.illicit_imports",
        "petroleum.displacement_share",
        "petroleum.smuggling_premium",
        "luxury.blocked_share",
    } <= judgements
    for name in judgements:
        assert "judgement" in shipped[name].source.lower()


def test_value_is_a_quantity_in_the_declared_unit(figures):
    price = figures.value("petroleum.price")
    assert price.magnitude == 100
    assert price.to("USD/L").magnitude == pytest.approx(100 / 158.987294928)


def test_override_returns_a_new_set_and_leaves_the_old_one(figures):
    changed = figures.override({"petroleum.price": "120 USD/bbl", "metals.price_index": 1.5})
    assert figures["petroleum.price"].value == 100
    assert changed["petroleum.price"].value == 120
    assert changed["metals.price_index"].value == 1.5
    # a value alone fixes the parameter, also for sampling
    assert (changed["petroleum.price"].low, changed["petroleum.price"].high) == (120, 120)
    assert "Replaces 100 USD/bbl" in changed["petroleum.price"].note


def test_override_converts_units_into_the_declared_unit(shipped):
    changed = shipped.override({"petroleum.legal_cap": "158987.294928 m**3/yr"})
    assert changed["petroleum.legal_cap"].value == pytest.approx(1e6)
    assert changed["petroleum.legal_cap"].unit == "bbl/yr"


def test_override_with_a_range_keeps_it(shipped):
    changed = shipped.override({"petroleum.price": {"value": 110, "low": 90, "high": 150, "unit": "USD/bbl"}})
    parameter = changed["petroleum.price"]
    assert (parameter.low, parameter.value, parameter.high) == (90, 110, 150)


def test_partial_user_file_overrides_only_what_it_names(shipped, write):
    path = write(
        "mine.toml",
        """
        [petroleum.price]
        value = 90
        unit = "USD/bbl"

        [luxury.observed_imports]
        value = 700
        unit = "MUSD/yr"
        low = 300
        high = 800
        year = 2018
        source = "My reading of customs data"
        """,
    )
    mine = calc.load_assumptions(path)
    assert mine["petroleum.price"].value == 90
    assert mine.central()["luxury.observed_imports"] == pytest.approx(700e6)
    assert mine["luxury.observed_imports"].source == "My reading of customs data"
    assert mine["metals.pre_sanction_exports"] == shipped["metals.pre_sanction_exports"]


def test_a_copied_folder_loads_the_same_values(shipped, tmp_path):
    for path in shipped_folder().glob("*.toml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert calc.load_assumptions(tmp_path).central() == shipped.central()


def test_central_magnitudes_are_in_model_units(shipped):
    central = shipped.central()
    assert central["petroleum.bbl_per_tonne"] == 7.5
    assert central["context.gdp"] == 32.5e9  # USD/yr, the unit the model computes in
    assert all(math.isfinite(value) for value in central.values())


FULL = """
[petroleum.price]
value = 100
unit = "USD/bbl"
low = 80
high = 140
year = 2024
source = "A source"
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (FULL.replace('source = "A source"', 'source = "A source"\ncolour = "red"'), "unknown key(s) 'colour'"),
        (FULL.replace('source = "A source"', ""), "petroleum.price: missing 'source'"),
        (FULL.replace('source = "A source"', 'source = "  "'), "petroleum.price.source: is empty"),
        (FULL.replace('"USD/bbl"', '"USD/kg"'), "petroleum.price.unit: unit 'USD/kg' has the wrong dimension"),
        (FULL.replace('"USD/bbl"', '"USD/blarg"'), "petroleum.price.unit: unknown unit 'USD/blarg'"),
        (FULL.replace("low = 80", "low = 120"), "petroleum.price: the range low=120 .. high=140 must contain"),
        (FULL.replace("value = 100", "value = -1").replace("low = 80", "low = -5"), "petroleum.price.value: -1"),
        (FULL.replace("year = 2024", 'year = "2024"'), "petroleum.price.year: expected a whole year"),
        (FULL.replace("value = 100", "value = nan"), "petroleum.price.value: must be a finite number"),
        (FULL.replace("value = 100", 'value = "lots"'), "petroleum.price.value: cannot read 'lots'"),
        (FULL.replace("[petroleum.price]", "[petroleum.prise]"), "unknown parameter 'petroleum.prise'"),
        (FULL + "\n[petroleum", "not valid TOML"),
        ("petroleum = 3", "'petroleum' must be a table of parameters"),
        ("[petroleum]\nprice = 3", "petroleum.price must be a table"),
        ("[luxury.blocked_share]\nvalue = 1.0", "luxury.blocked_share.value: 1 is out of range"),
        ("[metals.capacity_share]\nvalue = 1.5", "metals.capacity_share.value: 1.5 is out of range"),
        ("[metals.capacity_share]\nvalue = 0.5\nlow = 0.4", "give both 'low' and 'high'"),
        ("[petroleum.price]\nvalue = 100\njudgement = true", "petroleum.price: missing 'unit', 'low'"),
        (FULL + 'distribution = "normal"', "petroleum.price.distribution: 'normal' is not known; accepted: triangular"),
    ],
)
def test_bad_assumption_files_name_file_and_key(write, text, message):
    path = write("bad.toml", text)
    with pytest.raises(calc.InputError) as caught:
        calc.load_assumptions(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_file_and_empty_folder(tmp_path):
    with pytest.raises(calc.InputError, match="no such file or folder"):
        calc.load_assumptions(tmp_path / "nope.toml")
    with pytest.raises(calc.InputError, match=r"holds no \.toml assumption files"):
        calc.load_assumptions(tmp_path)


def test_a_parameter_given_twice_in_a_folder(write, tmp_path):
    write("a.toml", '[petroleum.price]\nvalue = "90 USD/bbl"')
    write("b.toml", '[petroleum.price]\nvalue = "95 USD/bbl"')
    with pytest.raises(calc.InputError, match=r"petroleum\.price is also given in"):
        calc.load_assumptions(tmp_path)


def test_binary_file_is_not_toml(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(calc.InputError, match="not valid TOML"):
        calc.load_assumptions(path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"petroleum.prize": 3}, "unknown parameter 'petroleum.prize'"),
        ({"petroleum.price": "-3 USD/bbl"}, "override: petroleum.price.value: -3 is out of range"),
        ({"metals.capacity_share": 1.2}, "metals.capacity_share.value: 1.2 is out of range; accepted: a share"),
        ({"petroleum.price": "3 kg"}, "petroleum.price.value: '3 kg' has the wrong dimension"),
        ({"petroleum.price": float("nan")}, "petroleum.price.value: must be a finite number"),
        ({"petroleum.price": {"value": "100 USD/bbl", "colour": 1}}, "unknown key(s) 'colour'"),
        ({"petroleum.price": {"value": 100, "low": 120, "high": 130, "unit": "USD/bbl"}}, "must contain value=100"),
        ({"petroleum.price": {"value": 100, "low": 80, "high": 90, "unit": "USD/bbl"}}, "must contain value=100"),
        ({"petroleum.price": 120}, "petroleum.price.value: 120 has no unit; write it with one, e.g. '120 USD/bbl'"),
        (["petroleum.price"], "override: expected a mapping"),
    ],
)
def test_bad_overrides_name_the_parameter(shipped, changes, message):
    with pytest.raises(calc.InputError) as caught:
        shipped.override(changes)
    assert message in str(caught.value)


def test_assumptions_cannot_be_changed_in_place(shipped):
    with pytest.raises(TypeError):
        shipped["petroleum.price"] = 3  # type: ignore[index]
    with pytest.raises(AttributeError):
        shipped["petroleum.price"].value = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        # typed as percentages: a 20-fold mark-up, prices 150 times those of 2016
        ("petroleum.smuggling_premium", 20, "outside the plausible range 0 to 1"),
        ("metals.price_index", 150, "outside the plausible range 0.1 to 5"),
        # 1.0000001 is not printed as 1
        ("metals.capacity_share", 1.0000001, "1.0000001 is out of range; accepted: a share from 0 to 1"),
        # 0.99 blocked makes demand a hundred times the imports still observed: luxury alone twice GDP
        ("luxury.blocked_share", 0.99, "outside the plausible range 0 to 0.95"),
        ("petroleum.price", "2000 USD/bbl", "outside the plausible range 10 to 300 USD/bbl"),
        ("petroleum.bbl_per_tonne", "75 bbl/t", "outside the plausible range 6 to 12 bbl/t"),
        ("coal.pre_sanction_exports", "1190e9 USD/yr", "outside the plausible range 0, or 1,000,000 to 10,000,000,000"),
        # dollars typed for millions: below any published yearly flow, though not zero
        ("luxury.observed_imports", "69.6 USD/yr", "outside the plausible range 0, or 1,000,000 to"),
        ("context.other_hard_currency", "540 USD/yr", "outside the plausible range 0, or 1,000,000 to"),
        ("metals.pre_sanction_exports", "220 kUSD/yr", "220000 USD/yr is outside the plausible range 0, or 1,000,000"),
        ("context.discount_rate", 0.5, "outside the plausible range 0 to 0.2"),  # 50 %
    ],
)
def test_implausible_values_are_refused_naming_the_range(shipped, name, value, message):
    with pytest.raises(calc.InputError, match=rf"{re.escape(name)}\.value: .*{re.escape(message)}"):
        shipped.override({name: value})


def test_every_shipped_range_lies_inside_its_plausible_range(shipped):
    for name, parameter in shipped.items():
        spec = shipped.specs[name]
        low, high = spec.plausible
        for magnitude in parameter.magnitudes(spec.unit):
            assert low <= magnitude <= high or (spec.zero and magnitude == 0), name


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        # 4.5 thousand barrels for 2016's 4.5 million: a volume, but a thousand times below the record's 2.2-5.5 M
        (
            "petroleum.pre_sanction_imports",
            "4.5 kbbl/yr",
            "4,500 bbl/yr is more than 100 times below the range the record gives (2,200,000 to 5,500,000 bbl/yr",
        ),
        # 53 USD a kilogram is 53,000 a tonne, a thousand times the record's 53-53.45 USD/t
        ("coal.unit_value", "53 USD/kg", "53,000 USD/t is more than 100 times above the range the record gives (53 to"),
    ],
)
def test_a_value_a_hundred_times_beyond_the_record_is_refused_naming_it(shipped, name, value, message):
    with pytest.raises(calc.InputError, match=rf"^override: {re.escape(name)}\.value: {re.escape(message)}"):
        shipped.override({name: value})
    # zero is a statement, not a slip; a figure of another published basis (luxury at its 2016 level) stays
    assert shipped.override({"coal.smuggled_exports": 0}).value("coal.smuggled_exports").magnitude == 0
    assert shipped.override({"luxury.observed_imports": "666e6 USD/yr"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # more coal smuggled today than was sold before the sanctions
        (
            {"coal.smuggled_exports": "2000e6 USD/yr"},
            "coal.smuggled_exports (2,000,000,000 USD/yr, range 2,000,000,000 to 2,000,000,000) is above "
            "coal.pre_sanction_exports (1,190,000,000 USD/yr",
        ),
        # legal imports above the cap, raised or the cap lowered
        (
            {"petroleum.legal_imports": "600000 bbl/yr"},
            "petroleum.legal_imports (600,000 bbl/yr, range 600,000 to 600,000) is above petroleum.legal_cap",
        ),
        (
            {"petroleum.legal_cap": "300000 bbl/yr"},
            "petroleum.legal_imports (500,000 bbl/yr, range 91,909 to 500,000) is above petroleum.legal_cap "
            "(300,000 bbl/yr",
        ),
    ],
)
def test_a_parameter_above_the_one_that_bounds_it_is_refused_naming_both(shipped, changes, message):
    with pytest.raises(calc.InputError, match=rf"^assumptions: {re.escape(message)}"):
        shipped.override(changes)


@pytest.mark.parametrize(
    ("changes", "hint"),
    [
        # tables print USD millions: a bare 220 would be 220 dollars, and metals would earn nothing
        ({"metals.pre_sanction_exports": 220}, "'220e6 USD/yr' for 220 million, or '220 USD/yr' for 220 dollars"),
        ({"metals.pre_sanction_exports": "220"}, "'220e6 USD/yr' for 220 million"),
        ({"petroleum.illicit_imports": 2e6}, "'2000000.0 bbl/yr'"),
        ({"petroleum.price": {"value": "100 USD/bbl", "low": 80, "high": 140}}, "petroleum.price.low: 80 has no unit"),
    ],
)
def test_a_bare_number_for_a_parameter_with_a_unit_is_refused(shipped, changes, hint):
    with pytest.raises(calc.InputError, match="has no unit; write it with one") as caught:
        shipped.override(changes)
    assert hint in str(caught.value)


def test_a_bare_number_in_a_file_needs_the_unit_beside_it(shipped, write):
    with pytest.raises(calc.InputError, match=r"mine\.toml: petroleum\.price\.value: 120 has no unit"):
        calc.load_assumptions(write("mine.toml", "[petroleum.price]\nvalue = 120\n"))
    stated = calc.load_assumptions(write("ok.toml", '[petroleum.price]\nvalue = 120\nunit = "USD/bbl"\n'))
    assert stated.value("petroleum.price") == calc.ureg.Quantity(120, "USD/bbl")
    shares = calc.load_assumptions(write("share.toml", "[metals.price_index]\nvalue = 1.5\n"))  # dimensionless
    assert shares["metals.price_index"].value == 1.5


def test_a_value_above_its_own_high_is_refused(write):
    text = FULL.replace("value = 100", "value = 150")  # low 80, high 140
    with pytest.raises(
        calc.InputError, match=r"petroleum\.price: the range low=80 \.\. high=140 must contain value=150"
    ):
        calc.load_assumptions(write("high.toml", text))


def test_a_range_end_outside_the_physical_bounds_is_refused(write, shipped):
    path = write(
        "mine.toml",
        """
        [petroleum.price]
        value = 90
        unit = "USD/bbl"
        low = -50
        high = 140
        year = 2024
        source = "A test source"
        """,
    )
    with pytest.raises(calc.InputError, match=r"petroleum\.price\.low: -50 is out of range; accepted: a price"):
        calc.load_assumptions(path)
    with pytest.raises(calc.InputError, match=r"petroleum\.price\.low: -50 is out of range"):
        shipped.override({"petroleum.price": {"value": 90, "low": -50, "high": 140, "unit": "USD/bbl"}})
    with pytest.raises(calc.InputError, match=r"coal\.capacity_share\.high: 1\.5 is out of range"):
        shipped.override({"coal.capacity_share": {"value": 1, "low": 0.5, "high": 1.5}})


SHIPPED = calc.load_assumptions()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(SHIPPED)), position=st.floats(0, 1), keep_range=st.booleans())
def test_valid_assumption_files_are_accepted(tmp_path_factory, name, position, keep_range):
    """The reader may refuse noise (tests/test_input_errors.py fuzzes it); it must accept every valid file: any
    value in the published range that is plausible (money is nothing or at least USD 1 M a year)."""
    parameter = SHIPPED[name]
    value = parameter.low + position * (parameter.high - parameter.low)
    floor = calc.load_assumptions().specs[name]
    if floor.zero and 0 < value < floor.plausible[0]:  # e.g. 7e-262 USD/yr: a slip, not a figure
        value = floor.plausible[0]
    text = f"[{name}]\nvalue = {value!r}\nunit = {parameter.unit!r}\n" + (
        f"low = {parameter.low!r}\nhigh = {parameter.high!r}\n" if keep_range else ""
    )
    path = tmp_path_factory.mktemp("valid") / "mine.toml"
    path.write_text(text)
    loaded = calc.load_assumptions(path)[name]
    assert loaded.value == pytest.approx(value)
    assert (loaded.low, loaded.high) == ((parameter.low, parameter.high) if keep_range else (value, value))


@settings(max_examples=40, deadline=None)
@given(changes=valid_assumptions())
def test_override_never_changes_the_set_it_was_called_on(shipped, changes):
    before = shipped.to_frame()
    shipped.override(changes)
    pd.testing.assert_frame_equal(shipped.to_frame(), before)
