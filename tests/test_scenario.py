import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calc
from calc.kinds import Cap
from calc.scenario import STATUS_QUO


def test_defaults():
    scenario = calc.Scenario(name="x")
    assert (scenario.metals_share, scenario.luxury_share, scenario.petroleum_cap) == (0.0, 0.0, STATUS_QUO)
    assert list(scenario.years) == list(range(2027, 2037))
    assert scenario.ramp_years == 0


@pytest.mark.parametrize(
    ("cap", "stored"),
    [
        ("1000000 bbl/yr", 1e6),
        (1_000_000, 1e6),
        ("1000000", 1e6),
        ("2737.8507871321013 bbl/day", pytest.approx(1e6, rel=1e-12)),  # 1e6 bbl/yr / 365.25 days
        (calc.ureg.Quantity(158987.294928, "m**3/yr"), pytest.approx(1e6)),  # 158.987294928 L a barrel
        ("0 bbl/yr", 0.0),  # no imports at all: a cap of 0 is written with its unit
        ("1 bbl/yr", 1.0),
    ],
)
def test_petroleum_cap_forms(cap, stored):
    scenario = calc.Scenario(name="x", petroleum_cap=cap)
    assert scenario.petroleum_cap.unit == "bbl/yr"
    assert scenario.petroleum_cap.amount == stored
    # a stored cap survives being checked again (dataclasses.replace, records, rerun)
    assert calc.Scenario(**scenario.to_dict()) == scenario


@pytest.mark.parametrize(("cap", "stored"), [(None, None), ("lifted", None), ("status-quo", STATUS_QUO)])
def test_petroleum_cap_words(cap, stored):
    assert calc.Scenario(name="x", petroleum_cap=cap).petroleum_cap == stored


@pytest.mark.parametrize("cap", [0, 1, 0.5, "1", "0", 1.0])
def test_a_bare_number_from_0_to_1_is_refused_for_every_cap(cap):
    # for a share lever 1 lifts the ban; read as a cap it would be one barrel a year, a cut
    with pytest.raises(calc.InputError, match=r"petroleum_cap: .* reads as a share, but this lever is a cap"):
        calc.Scenario(name="x", petroleum_cap=cap)
    with pytest.raises(calc.InputError, match=r"relief: crude_oil: .* reads as a share.*'lifted' to lift the cap"):
        calc.Scenario(name="x", relief={"crude_oil": cap})


def test_none_as_text_is_refused_as_ambiguous():
    with pytest.raises(calc.InputError, match="'none' could mean no cap or no imports; write 'lifted' for no cap"):
        calc.Scenario(name="x", relief={"crude_oil": "none"})


def test_presets_include_the_named_ones():
    assert calc.presets()[:2] == ["status-quo", "article-demands"]
    assert {
        "metals-only",
        "petroleum-2375",
        "petroleum-cap-lifted",
        "luxury-only",
        "hanoi-2019",
    } <= set(calc.presets())


def test_article_demands_preset():
    scenario = calc.preset("article-demands")
    assert (scenario.metals_share, scenario.petroleum_cap, scenario.luxury_share) == (1.0, Cap(2e6, "bbl/yr"), 1.0)
    assert scenario.note


def test_hanoi_keeps_the_luxury_ban_and_lifts_the_cap():
    scenario = calc.preset("hanoi-2019")
    assert (scenario.metals_share, scenario.petroleum_cap, scenario.luxury_share) == (1.0, None, 0.0)


def test_every_preset_has_a_note():
    assert all(calc.preset(name).note for name in calc.presets())


def test_scenario_file_with_two_scenarios(write):
    path = write(
        "mine.toml",
        """
        [half-metals]
        metals_share = 0.5
        ramp_years = 4

        [tight]
        petroleum_cap = "250000 bbl/yr"
        note = "a tighter cap"
        """,
    )
    half, tight = calc.load_scenarios(path)
    assert (half.name, half.metals_share, half.ramp_years) == ("half-metals", 0.5, 4)
    assert (tight.name, tight.petroleum_cap, tight.note) == ("tight", Cap(250_000.0, "bbl/yr"), "a tighter cap")


def test_the_article_keywords_are_aliases_of_relief_entries():
    aliased = calc.Scenario(name="a", relief={"metals": 1, "petroleum": "2000000 bbl/yr", "coal": 0.5})
    keywords = calc.Scenario(name="a", metals_share=1, petroleum_cap="2000000 bbl/yr", relief={"coal": 0.5})
    assert aliased == keywords
    assert aliased.metals_share == 1.0 and aliased.petroleum_cap == Cap(2_000_000.0, "bbl/yr")
    assert dict(aliased.relief) == {"coal": 0.5}
    assert calc.Scenario(name="same", metals_share=1, relief={"metals": "1"}).metals_share == 1.0  # once, alike
    step = calc.Step(2027, relief={"luxury": 1})
    assert step.luxury_share == 1.0 and dict(step.relief) == {}


def test_to_dict_round_trips():
    scenario = calc.Scenario(name="x", metals_share=0.3, petroleum_cap="1234567.5 bbl/yr", ramp_years=3)
    assert calc.Scenario(**scenario.to_dict()) == scenario
    assert calc.Scenario(**calc.preset("hanoi-2019").to_dict()) == calc.preset("hanoi-2019")


@pytest.mark.parametrize(
    ("levers", "message"),
    [
        ({"metals_share": 1.5}, "metals_share: 1.5 is out of range; accepted: a share from 0 to 1"),
        ({"metals_share": -0.1}, "metals_share: -0.1 is out of range"),
        ({"luxury_share": float("nan")}, "luxury_share: must be a finite number"),
        ({"luxury_share": "half"}, "luxury_share: expected a number, got 'half'; accepted: a share from 0 to 1"),
        ({"metals_share": True}, "metals_share: expected a number"),
        ({"metals_share": None}, "metals_share: expected a number"),
        ({"petroleum_cap": "-5 bbl/yr"}, "petroleum_cap: -5 bbl/yr is negative"),
        ({"petroleum_cap": "5 USD/yr"}, "petroleum_cap: '5 USD/yr' has the wrong dimension ([currency] / [time])"),
        ({"petroleum_cap": "5 bbl"}, "petroleum_cap: '5 bbl' has the wrong dimension"),
        ({"petroleum_cap": float("inf")}, "petroleum_cap: must be a finite number"),
        ({"horizon": 0}, "horizon: 0 is out of range; accepted: a whole number from 1 to 200"),
        ({"horizon": 10_000_000}, "horizon: 10000000 is out of range"),
        ({"horizon": 2.5}, "horizon: expected a whole number, got 2.5"),
        ({"start_year": "soon"}, "start_year: expected a number, got 'soon'"),
        ({"ramp_years": -1}, "ramp_years: -1 is out of range"),
        ({"name": ""}, "name: must not be empty"),
        ({"name": "a\nb"}, "name: contains control character '\\n'"),
        ({"name": "../etc"}, "name: '../etc' contains a path separator"),
        ({"name": "x" * 81}, "name: is 81 characters long; at most 80"),
        ({"name": 3}, "name: expected text, got int"),
    ],
)
def test_bad_levers_name_the_field(levers, message):
    with pytest.raises(calc.InputError) as caught:
        calc.Scenario(**{"name": "x", **levers})
    assert message in str(caught.value)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(
        calc.InputError, match="unknown scenario 'article-demand'; presets: status-quo, article-demands"
    ):
        calc.preset("article-demand")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nmetal_share = 0.5", "scenario 'a': unknown key(s) 'metal_share'"),
        ("[a]\nmetals_share = 2", "scenario 'a': metals_share: 2 is out of range"),
        ("a = 1", "'a' must be a table of levers"),
        ("", "holds no scenario"),
        ("[a\n", "not valid TOML"),
    ],
)
def test_bad_scenario_files_name_file_and_key(write, text, message):
    path = write("s.toml", text)
    with pytest.raises(calc.InputError) as caught:
        calc.load_scenarios(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_duplicate_names_in_one_run_are_refused():
    with pytest.raises(calc.InputError, match="'status-quo' appear more than once"):
        calc.run(["status-quo", "status-quo"])


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    metals=ANYTHING,
    cap=ANYTHING,
    luxury=ANYTHING,
    start=ANYTHING,
    horizon=ANYTHING,
    ramp=ANYTHING,
    name=ANYTHING,
)
def test_any_lever_values_give_a_scenario_or_input_error(metals, cap, luxury, start, horizon, ramp, name):
    try:
        scenario = calc.Scenario(
            name=name,
            metals_share=metals,
            petroleum_cap=cap,
            luxury_share=luxury,
            start_year=start,
            horizon=horizon,
            ramp_years=ramp,
        )
    except calc.InputError:
        return
    assert 0 <= scenario.metals_share <= 1 and 1 <= scenario.horizon <= 200


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(
        st.characters(blacklist_categories=("C",), blacklist_characters="/\\"), min_size=1, max_size=40
    ).filter(lambda text: text.strip()),
    share=st.floats(0, 1),
    coal=st.one_of(st.floats(0, 1), st.floats(0, 2e9).map(lambda cap: f"{cap!r} USD/yr")),
)
def test_any_valid_scenario_comes_back_unchanged_from_an_export_and_a_scenario_file(
    tmp_path_factory, name, share, coal
):
    """The readers may refuse noise (tests/test_input_errors.py fuzzes them); they must accept every valid
    scenario, whatever its name."""
    scenario = calc.Scenario(name=name, metals_share=share, relief={"coal": coal})
    folder = tmp_path_factory.mktemp("valid")
    frame = calc.run(scenario)
    back = calc.read_csv(calc.export_csv(frame, folder / "r.csv"))
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    assert calc.load_scenarios(_scenario_file(folder, scenario))[0] == scenario


def _scenario_file(folder, scenario):
    levers = scenario.to_dict()
    lines = [f"[{json.dumps(levers.pop('name'), ensure_ascii=False)}]"]
    relief = levers.pop("relief")
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in levers.items()]
    lines.append(
        "relief = { "
        + ", ".join(f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in relief.items())
        + " }"
    )
    path = folder / "s.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
