"""Relief by resolution: the legal states each area can be in, lifting resolutions by hand, each resolution's bite
beside the estimate published at adoption, and lift scenarios everywhere a scenario goes."""

import copy
import tomllib

import pandas as pd
import pytest

import calc
from calc.cli import main
from calc.files import shipped_folder
from calc.kinds import Cap
from calc.resolution import RESOLUTIONS, declare, shipped_law

from conftest import FIGURES

#: The metals basket by resolution: iron 251, lead 113 and copper, nickel, silver and zinc 100 of the officials' 464 M.
IRON, LEAD = 0.541, 0.2435


def last(frame, variable, scenario=None):
    rows = frame[frame["variable"] == variable]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return rows["value"].iloc[-1]


def test_lifting_2371_alone_sends_coal_back_to_the_2321_cap(figures):
    scenario = calc.Scenario(name="2371", lift=["2371"])
    assert scenario.relief["coal"] == Cap(400_870_018, "USD/yr", (Cap(7.5e6, "t/yr"),))
    assert scenario.relief["seafood"] == 1.0
    assert scenario.metals_share == pytest.approx(IRON + LEAD)  # copper, nickel, silver, zinc: still 2321's
    frame = calc.run(scenario, assumptions=figures)
    # the cap, whichever is lower (7.5 Mt x 53 = 397.5 M), beside the 294 M smuggled today (together within the
    # 1,190 M the mines can sell); seafood in full; iron (2270's livelihood exemption) and lead of the 220 M
    assert last(frame, "Revenue|Coal Exports") == pytest.approx(397.5e6)
    assert last(frame, "Revenue|Seafood Exports") == pytest.approx(295e6)
    assert last(frame, "Revenue|Metal Exports") == pytest.approx(220e6 * (IRON + LEAD))
    assert last(frame, "Revenue|Overseas Workers") == 0  # 2375 and 2397 still keep them home


def test_lifting_2375_alone_gives_textiles_and_no_fuel(figures):
    frame = calc.run(calc.Scenario(name="2375", lift=["2375"]), assumptions=figures)
    assert last(frame, "Revenue|Textile Exports") == pytest.approx(752e6 * 0.5)
    # 2397's cap of 500,000 bbl is the tighter, and stays
    assert last(frame, "Fuel|Refined Petroleum|Additional Legal Imports") == 0
    assert last(frame, "Revenue") == pytest.approx(376e6)


def test_lifting_2397_gives_the_cap_of_2375_and_with_2375_lifts_it(figures):
    frame = calc.run(
        [calc.Scenario(name="2397", lift=["2397"]), calc.Scenario(name="both", lift=["2375", "2397"])],
        assumptions=figures,
    )
    # 2,000,000 - 500,000; then the cap lifted, up to the 4,500,000 imported in 2016
    assert last(frame, "Fuel|Refined Petroleum|Additional Legal Imports", "2397") == 1.5e6
    assert last(frame, "Fuel|Refined Petroleum|Additional Legal Imports", "both") == 4e6
    # 2397's export bans: other exports 250 M, fishing rights 75 - 17 M, workers 500 - 400 M
    assert last(frame, "Revenue", "2397") == pytest.approx(250e6 + 58e6 + 100e6)


def test_the_five_are_the_hanoi_request():
    five = calc.Scenario(name="five", lift=["2270", "2321", "2371", "2375", "2397"])
    explicit = calc.Scenario(
        name="explicit",
        metals_share=1,
        petroleum_cap=None,
        relief={area: 1 for area in ("coal", "seafood", "fishing_rights", "textiles", "other_exports", "workers")}
        | {"crude_oil": None, "capital_goods": 1},
    )
    areas = calc.load_assumptions().areas
    assert five.levers(areas) == explicit.levers(areas) == calc.preset("hanoi-2019").levers(areas)
    assert five.luxury_share == 0.0  # 1718 and 2094 are not among the five


def test_an_explicit_lever_wins_over_lift_and_the_table_says_so(capsys):
    scenario = calc.Scenario(name="no-coal", lift=["2371"], relief={"coal": 0})
    assert scenario.relief["coal"] == 0.0 and scenario.overridden(calc.load_assumptions().areas) == ["coal"]
    assert main(["run", "--lift", "2371", "--relief", "coal=0", "--name", "no-coal"]) == 0
    out = capsys.readouterr().out
    assert (
        "no-coal: coal takes the lever the scenario sets (0.0), not what lifting 2371 gives it (400870018 USD/yr or "
        "7500000 t/yr)" in out
    )


def test_lift_on_the_command_line_and_in_files(capsys, write):
    from calc.cli import build_parser
    from calc.commands import scenarios_from

    (both,) = scenarios_from(build_parser().parse_args(["run", "--lift", "2375,2397"]))
    (again,) = scenarios_from(build_parser().parse_args(["run", "--lift", "2375", "--lift", "2397"]))
    assert both.lift == again.lift == ("2375", "2397")
    # lifting from a preset reaches the areas it leaves alone, and renames it
    (changed,) = scenarios_from(build_parser().parse_args(["run", "status-quo", "--lift", "2397"]))
    assert changed.name == "status-quo (changed: lift)" and changed.relief["capital_goods"] == 1.0
    (scenario,) = calc.load_scenarios(write("mine.toml", '[mine]\nlift = ["2371"]\nmetals_share = 0.5\n'))
    assert scenario.lift == ("2371",) and scenario.metals_share == 0.5
    assert calc.Scenario(**scenario.to_dict()) == scenario
    assert scenario.to_dict()["relief"] == {} and scenario.to_dict()["lift"] == ["2371"]


@pytest.mark.parametrize(
    ("lift", "message"),
    [
        (["9999"], "lift: resolution '9999' is not known; accepted: 1718, 2094, 2270, 2321, 2371, 2375, 2397"),
        (["2356"], "lift: resolution '2356' has no trade measure; accepted: 1718"),
        ("2371", 'lift: expected a list of resolutions, such as ["2371", "2397"], got \'2371\''),
        ([None], "lift: resolution None is not known"),
        (42, "lift: expected a list of resolutions"),
    ],
)
def test_bad_lifts_are_refused_naming_the_field(lift, message):
    with pytest.raises(calc.InputError) as caught:
        calc.Scenario(name="x", lift=lift)
    assert message in str(caught.value)


def test_a_bad_lift_on_the_command_line_writes_nothing(capsys, tmp_path):
    target = tmp_path / "out.csv"
    assert main(["run", "--lift", "2356", "--out", str(target)]) == 2
    assert "has no trade measure" in capsys.readouterr().err and not target.exists()


def shipped_tables():
    with open(shipped_folder() / RESOLUTIONS, "rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # capped before livelihood only (which let exports go on): out of order
        (
            lambda t: t["states"]["coal"]["states"].insert(1, t["states"]["coal"]["states"].pop(2)),
            "states.coal: state 'livelihood only' is more open than 'capped' before it; list the states from open to",
        ),
        # the last state must be the status quo
        (lambda t: t["states"]["textiles"]["states"].pop(), "states.textiles: states: expected a list of at least two"),
        (
            lambda t: t["states"]["seafood"]["states"].reverse(),
            "states.seafood: the last state ('open') must be the status quo",
        ),
        (lambda t: t["resolutions"]["2371"]["measures"][0].update(state="gone"), "state 'gone' is not one of coal's"),
        (lambda t: t["resolutions"]["2371"]["measures"][0].update(area="iron"), "'iron' has no legal states"),
        (lambda t: t["states"]["metals"]["parts"]["lead"].update(weight=0.5), "the weights add up to 1.2565"),
        (lambda t: t["resolutions"]["2371"].update(adopted="Aug 2017"), "adopted: expected a date such as"),
        (lambda t: t["resolutions"]["2371"].update(colour="red"), "unknown key(s) 'colour'"),
    ],
)
def test_a_bad_resolutions_file_is_refused_naming_the_field(change, message):
    tables = copy.deepcopy(shipped_tables())
    change(tables)
    with pytest.raises(calc.InputError) as caught:
        declare(tables, calc.load_assumptions().areas, "resolutions.toml")
    assert message in str(caught.value)


def test_the_shipped_states_end_at_the_status_quo():
    law = shipped_law()
    areas = {area.name: area for area in calc.load_assumptions().areas}
    assert law.levers(()) == {name: areas[name].kind.status_quo for name in law.parts}


def test_each_resolutions_bite_by_hand(figures):
    table = calc.resolutions(figures).set_index("resolution")
    assert list(table.index) == ["1718", "2094", "2270", "2321", "2371", "2375", "2397"]
    # 2321 as adopted (after 2371, 2375 and 2397 are lifted): coal from its cap (the lower, 7.5 Mt x 53 = 397.5 M,
    # beside the 294 M smuggled) to open (1,190 - 294 M, the smuggled coal displaced), and the copper, nickel, silver
    # and zinc of the metals, 0.2155 x 220 M; gross, nothing is smuggled: 1,190 - 397.5 M
    assert table.loc["2321", "revenue_peeled"] == pytest.approx(1190e6 - 294e6 - 397.5e6 + 0.2155 * 220e6)
    assert table.loc["2321", "revenue_peeled_gross"] == pytest.approx(1190e6 - 397.5e6 + 0.2155 * 220e6)
    # lifted alone, 2321 frees the four metals only: coal stays banned by 2371
    assert table.loc["2321", "revenue_alone"] == pytest.approx(0.2155 * 220e6)
    # 2371 gross: coal to the 2321 cap, 397.5 M; iron and lead, 0.7845 x 220 M; seafood 295 M
    assert table.loc["2371", "revenue_peeled_gross"] == pytest.approx(397.5e6 + (IRON + LEAD) * 220e6 + 295e6)
    # 2375 gross: textiles 752 M, all of it (no net foreign-exchange share); legal fuel from 2,000,000 bbl to lifted
    assert table.loc["2375", "revenue_peeled_gross"] == pytest.approx(752e6)
    assert (table.loc["2375", "fuel_alone"], table.loc["2375", "fuel_peeled"]) == (0.0, 4.5e6 - 2e6)
    assert table.loc["2397", "fuel_alone"] == 1.5e6
    assert pd.isna(table.loc["2270", "official_revenue"]) and table.loc["2321", "official_revenue"] == 800e6
    assert FIGURES["coal.pre_sanction_exports"] == 1190e6


@pytest.mark.parametrize("name", ["2321", "2371", "2375"])
def test_the_bites_reproduce_the_estimates_published_at_adoption(name):
    """Gross, as adopted, the shipped figures give 2321 105 %, 2371 82 % and 2375 99 % of the officials' estimates.
    A quarter either way is the tolerance: the calculator's baselines are the article's and the published central
    figures, not the officials' own worksheets (the metals basket is 220 M against the officials' 464 M, which is
    why 2371 comes out low; coal is 2016's 1,190 M against 2015's 1.1 bn), and the officials rounded ("at least
    800 M", "over 1 bn", "about 760 M")."""
    row = calc.resolutions().set_index("resolution").loc[name]
    assert 0.75 <= row["revenue_peeled_gross"] / row["official_revenue"] <= 1.25


def test_lift_scenarios_go_everywhere_a_scenario_goes(tmp_path):
    scenario = calc.Scenario(name="lift-2371", lift=["2371"])
    frame = calc.run(scenario)
    path = calc.export_csv(frame, tmp_path / "r.csv")
    pd.testing.assert_frame_equal(calc.rerun(path), frame)
    assert calc.read_csv(path).attrs["sanctions_relief"]["scenarios"][0]["lift"] == ["2371"]
    drawn = calc.montecarlo(scenario, n=200, seed=1)
    pd.testing.assert_frame_equal(calc.rerun(drawn), drawn)
    share = calc.solve(scenario, "seafood", "Revenue|Seafood Exports", "147.5e6 USD/yr")
    assert share == pytest.approx(0.5)  # seafood has nothing smuggled: half of 295 M


def test_the_resolutions_command_prints_each_bite_beside_the_official_estimate(capsys):
    assert main(["resolutions"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.strip().startswith("2375"))
    # alone 752 x 0.5 = 376 net; gross 752 against the officials' 760: 0.99; 2,500,000 bbl more fuel as adopted
    assert row.split() == ["2375", "2017-09-11", "376.0", "376.0", "752.0", "752.0", "760.0", "0.99", "0", "2,500,000"]
    assert "2321 (2016-11-30): coal: capped (OP26(b)); metals, copper, nickel, silver and zinc: banned" in out
