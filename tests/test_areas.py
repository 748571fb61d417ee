"""Every measure of 2016-2017: the new areas worked out by hand, the hierarchy of variables, adding an area
from files, the comparison with the Hanoi request, the prices overlay and the check against history."""

import re

import numpy as np
import pandas as pd
import pytest
from test_engine import CORE

import calc
from calc.cli import main
from calc.history import BOUNDS
from calc.variables import catalogue

from conftest import FIGURES, check_aggregates


def last(frame, variable, scenario=None):
    rows = frame[frame["variable"] == variable]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return rows["value"].iloc[-1]


@pytest.mark.parametrize(
    ("relief", "variable", "expected"),
    [
        # 1,190 M less the 294 M smuggled today (5.55 Mt a year at 53 USD/t), which legal exports displace once the
        # two together pass what the mines can sell
        ({"coal": 1}, "Revenue|Coal Exports", 1190e6 - 294e6),
        # the 2321 cap in dollars: 400.9 M legal + 294 M smuggled = 694.9 M, within 1,190 M: all 400.9 M is new
        ({"coal": "400.9e6 USD/yr"}, "Revenue|Coal Exports", 400.9e6),
        # 7.5 Mt at 53 USD/t = 397.5 M; the cap as the resolution wrote it, whichever is lower: 397.5 M
        ({"coal": "7.5 Mt/yr"}, "Revenue|Coal Exports", 7.5e6 * 53),
        ({"coal": "400870018 USD/yr or 7.5e6 t/yr"}, "Revenue|Coal Exports", 7.5e6 * 53),
        # half the ban lifted: 595 M + 294 M = 889 M, within 1,190 M: 595 M
        ({"coal": 0.5}, "Revenue|Coal Exports", 595e6),
        ({"seafood": 1}, "Revenue|Seafood Exports", 295e6),
        # 75 M of rights, less the 17 M sold today in spite of the ban
        ({"fishing_rights": 1}, "Revenue|Fishing Rights", 75e6 - 17e6),
        # gross 752 M x 0.5 net foreign exchange
        ({"textiles": 1}, "Revenue|Textile Exports", 376e6),
        ({"other_exports": 1}, "Revenue|Other 2397 Exports", 250e6),
        # 500 M sent home less 0.8 x 500 M still sent home in spite of the ban
        ({"workers": 1}, "Revenue|Overseas Workers", 100e6),
        # 1,200 M x 0.9 blocked: unlocked (the budget buys 540 M of it: nothing earned, 540 M from other sources)
        ({"capital_goods": 1}, "Imports Unlocked|Capital Goods Imports", 1080e6),
        ({"capital_goods": 1}, "Expenditure|Capital Goods Imports", 540e6),
        # the pipeline (3.8 M bbl) is below the cap (4 M): lifting it adds nothing
        ({"crude_oil": None}, "Fuel|Crude Oil|Additional Legal Imports", 0.0),
    ],
)
def test_each_new_area_by_hand(figures, relief, variable, expected):
    frame = calc.run(calc.Scenario(name="x", relief=relief), assumptions=figures)
    assert last(frame, variable) == pytest.approx(expected)
    assert last(frame, "Revenue") - last(frame, "Expenditure") == pytest.approx(last(frame, "Hard Currency|Net"))


def test_crude_oil_with_a_larger_ceiling_and_hard_currency(figures):
    wider = figures.override({"crude_oil.pre_sanction_imports": "5e6 bbl/yr", "crude_oil.hard_currency_share": 0.5})
    frame = calc.run(calc.Scenario(name="x", relief={"crude_oil": "lifted"}), assumptions=wider)
    # dL = min(5e6, 5e6) - min(4e6, 5e6) = 1e6 bbl/yr; nothing smuggled to replace; 1e6 / 7.32 t
    assert last(frame, "Fuel|Crude Oil|Net Additional Supply") == 1e6
    assert last(frame, "Fuel|Crude Oil|Net Additional Supply (Mass)") == pytest.approx(1e6 / 7.32)
    # half of 1e6 x 80.70 USD/bbl paid in hard currency
    assert last(frame, "Expenditure|Fuel Imports|Crude Oil") == pytest.approx(40.35e6)
    assert last(frame, "Expenditure|Fuel Imports") == pytest.approx(40.35e6)  # refined petroleum unchanged


def test_presets_hanoi_and_full_relief(figures):
    frame = calc.run(["hanoi-2019", "full-relief", "coal-2321-cap"], assumptions=figures)
    # full relief = hanoi + the luxury ban: 69.6 x 0.68 / 0.32 = 147.9 M more spending, all of it bought
    difference = last(frame, "Hard Currency|Net", "hanoi-2019") - last(frame, "Hard Currency|Net", "full-relief")
    assert difference == pytest.approx(69.6e6 * 0.68 / 0.32)
    assert last(frame, "Expenditure|Luxury Imports", "hanoi-2019") == 0
    # the 2321 cap, whichever is lower: 7.5 Mt x 53 USD/t = 397.5 M, beside the 294 M smuggled (within 1,190 M)
    assert last(frame, "Revenue|Coal Exports", "coal-2321-cap") == pytest.approx(397.5e6)
    for name in ("coal-only", "seafood-only", "fishing-rights-only", "textiles-only", "other-exports-only"):
        assert name in calc.presets()
    assert {"crude-oil-lifted", "capital-goods-only", "coal-2321-cap", "full-relief"} <= set(calc.presets())


@pytest.mark.parametrize(
    "area", [area.name for area in calc.load_assumptions().areas if area.kind.name == "export earnings"]
)
@pytest.mark.parametrize("share", [0.1, 0.25, 0.5, 0.9])
def test_partial_relief_earns_at_least_its_share_of_full_relief_in_every_export_area(shipped, area, share):
    frame = calc.run(
        [calc.Scenario(name="part", relief={area: share}), calc.Scenario(name="whole", relief={area: 1})],
        assumptions=shipped,
    )
    revenue = frame[frame["variable"] == "Revenue"].groupby("scenario")["value"].last()
    assert revenue["part"] >= share * revenue["whole"] - 1e-6
    assert revenue["part"] <= revenue["whole"] + 1e-6


def test_article_figures_unchanged(figures):
    frame = calc.run("article-demands", assumptions=figures)
    assert last(frame, "Revenue|Metal Exports") == 220e6
    assert last(frame, "Hard Currency|Net") == pytest.approx(220e6 - 60e6 - 69.6e6 * 0.68 / 0.32)  # 12.1 M
    # crude unchanged: the fuel parent equals refined petroleum alone
    assert last(frame, "Expenditure|Fuel Imports") == last(frame, "Expenditure|Fuel Imports|Refined Petroleum")


def test_every_parent_is_the_sum_of_its_children_in_an_export(tmp_path):
    path = calc.export_csv(
        calc.run(["hanoi-2019", "full-relief", "article-demands", "coal-2321-cap"]), tmp_path / "r.csv"
    )
    frame = calc.read_csv(path)
    assert check_aggregates(frame) == []
    parents = {name for name in frame["variable"] if any(other.startswith(name + "|") for other in frame["variable"])}
    assert {"Revenue", "Expenditure", "Expenditure|Fuel Imports", "Share of 2016 Exports|Revenue"} <= parents
    # no parent mixes units
    units = frame.groupby("variable")["unit"].first()
    for parent in parents:
        children = [name for name in units.index if name.rpartition("|")[0] == parent]
        assert {units[parent]} == set(units[children]), parent


def test_a_broken_hierarchy_is_caught():
    frame = calc.run("hanoi-2019")
    frame.loc[frame["variable"] == "Revenue|Coal Exports", "value"] += 1e3  # a thousand dollars out of 2 bn
    assert check_aggregates(frame) == ["Revenue"]


def test_variables_describe_themselves():
    known = catalogue(calc.load_assumptions().areas)
    for name, variable in known.variables.items():
        assert calc.ureg.Unit(variable.unit) is not None and variable.label and variable.group, name
    assert known.variables["Revenue|Coal Exports"].sign == 1
    assert known.variables["Expenditure|Capital Goods Imports"].sign == -1
    assert known.variables["Fuel|Crude Oil|Net Additional Supply"].sign == 0
    assert known.variables["Revenue|Metal Exports"].heading == "Metal export revenue (USD M/yr)"
    assert list(known.variables)[:6] == CORE  # the article's six first


def test_areas_lists_every_measure():
    table = calc.areas()
    assert list(table.columns[:5]) == ["name", "title", "kind", "lever", "accepted"]
    assert list(table["name"]) == [
        "metals",
        "petroleum",
        "luxury",
        "coal",
        "seafood",
        "fishing_rights",
        "textiles",
        "other_exports",
        "workers",
        "crude_oil",
        "capital_goods",
    ]
    lever = table.set_index("name")["lever"]
    assert (lever["metals"], lever["petroleum"], lever["coal"]) == ("metals_share", "petroleum_cap", "relief: coal")
    kinds = table.set_index("name")["kind"]
    assert kinds["crude_oil"] == "capped imports" and kinds["capital_goods"] == "import bans"
    assert "2321" in table.set_index("name").loc["coal", "resolutions"]


AREA_DECLARATION = """
[iron_ore]
kind = "export earnings"
title = "Iron Ore Exports"
label = "iron ore export revenue"
resolutions = ["2270", "2371"]
note = "A test area: iron ore apart from the metals basket."
"""
AREA_PARAMETERS = """
[iron_ore.pre_sanction_exports]
value = 100e6
unit = "USD/yr"
low = 50e6
high = 150e6
year = 2016
source = "A test source"

[iron_ore.price_index]
value = 1.5
unit = "dimensionless"
low = 1.0
high = 2.0
year = 2024
source = "A test source"

[iron_ore.smuggled_exports]
value = 0.0
unit = "USD/yr"
low = 0.0
high = 0.0
year = 2024
source = "Judgement: none found"
"""


def test_an_area_is_added_with_one_declaration_and_one_file(write, tmp_path, figures):
    write("mine/areas.toml", AREA_DECLARATION)
    write("mine/iron_ore.toml", AREA_PARAMETERS)
    mine = calc.load_assumptions(tmp_path / "mine")
    assert "iron_ore" in list(calc.areas(mine)["name"])
    scenario = calc.Scenario(name="ore", metals_share=1, relief={"iron_ore": 0.5})
    frame = calc.run(scenario, assumptions=mine)
    # 100 M x 0.5 x 1.5 = 75 M, inside the total, the net and the share of exports
    assert last(frame, "Revenue|Iron Ore Exports") == pytest.approx(75e6)
    metals = last(frame, "Revenue|Metal Exports")
    assert last(frame, "Revenue") == pytest.approx(metals + 75e6)
    assert last(frame, "Share of 2016 Exports|Revenue|Iron Ore Exports") == pytest.approx(100 * 75e6 / 2.82e9)
    assert check_aggregates(frame) == []
    uncertain = calc.montecarlo(scenario, n=500, seed=1, assumptions=mine)
    band = uncertain[uncertain["variable"] == "Revenue|Iron Ore Exports"].groupby("quantile")["value"].last()
    assert band[0.05] < 75e6 < band[0.95]
    # the record carries the declaration, so the run can be made again elsewhere
    pd.testing.assert_frame_equal(calc.rerun(frame), frame)
    # the shipped set does not know the area: a scenario that names it says so when it runs
    with pytest.raises(
        calc.InputError, match=r"relief: unknown area 'iron_ore'; areas: metals, petroleum, luxury, coal"
    ):
        calc.run(scenario, assumptions=figures)


def test_an_added_area_runs_from_the_command_line(write, tmp_path, capsys):
    """100 M x 0.5 x 1.5 = 75 M a year in the table (the table's notes read the scenario against the folder's own
    areas, not only the shipped ones)."""
    write("mine/areas.toml", AREA_DECLARATION)
    write("mine/iron_ore.toml", AREA_PARAMETERS)
    code = main(["run", "--relief", "iron_ore=0.5", "--name", "ore", "--assumptions", str(tmp_path / "mine")])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"Iron ore export revenue \(USD M/yr\) +75\.0\n", out)


@pytest.mark.parametrize(
    ("declaration", "parameters", "message"),
    [
        (AREA_DECLARATION.replace("export earnings", "exports"), AREA_PARAMETERS, "kind 'exports' is not known"),
        (AREA_DECLARATION.replace("title", "titel"), AREA_PARAMETERS, "unknown key(s) 'titel'"),
        (AREA_DECLARATION.replace("[iron_ore]", "[Iron-Ore]"), "", "a name is lower-case letters"),
        (
            AREA_DECLARATION,
            "[iron_ore.price_index]" + AREA_PARAMETERS.split("[iron_ore.price_index]")[1],
            "missing parameter(s) iron_ore.pre_sa",
        ),
        (AREA_DECLARATION.replace("Iron Ore Exports", "Iron|Ore"), AREA_PARAMETERS, "title: give the variable name"),
        (AREA_DECLARATION.replace('kind = "export earnings"', 'kind = "import bans"'), "", "missing parameter(s)"),
        (
            AREA_DECLARATION.replace('kind = "export earnings"', 'kind = "import bans"\ngoods_exports = true'),
            "",
            "goods_exports: true only for a kind with the roles pre_sanction_exports, price_index (the check against "
            "history re-prices those exports); kind 'import bans' has ",
        ),
        (
            AREA_DECLARATION + 'keyword = "iron_share"\n',
            AREA_PARAMETERS,
            "keyword: 'iron_share' is not a Scenario keyword; only the article's three areas have one (metals_share, "
            "petroleum_cap, luxury_share). Leave it out and ease the area with relief={'iron_ore': ...}",
        ),
        (
            AREA_DECLARATION + 'keyword = "metals_share"\n',
            AREA_PARAMETERS,
            "keyword: 'metals_share' is the keyword of the area 'metals' already; give each keyword once",
        ),
    ],
)
def test_bad_area_declarations_are_refused(write, tmp_path, declaration, parameters, message):
    write("mine/areas.toml", declaration)
    write("mine/iron_ore.toml", parameters)
    with pytest.raises(calc.InputError) as caught:
        calc.load_assumptions(tmp_path / "mine")
    assert message in str(caught.value)


def test_an_import_ban_takes_one_measure_of_demand(write, tmp_path):
    write(
        "both.toml",
        """
        [luxury.pre_sanction_imports]
        value = 700e6
        unit = "USD/yr"
        low = 700e6
        high = 700e6
        year = 2016
        source = "A test source"
        """,
    )
    with pytest.raises(calc.InputError, match=r"give exactly one of luxury\.observed_imports"):
        calc.load_assumptions(tmp_path / "both.toml")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: calc.Scenario(relief={"coal": 1.5}), "relief: coal: 1.5 is out of range; accepted: a share from 0"),
        (lambda: calc.Scenario(relief={"coal": "5 bbl/yr"}), "relief: coal: '5 bbl/yr' has the wrong dimension"),
        (lambda: calc.Scenario(relief={"coal": "lifted"}), "relief: coal: expected a number, got 'lifted'"),
        (lambda: calc.Scenario(relief={"coal": None}), "relief: coal: expected a number or a quantity"),
        (lambda: calc.Scenario(relief={"crude_oil": "3 USD/yr"}), "relief: crude_oil: '3 USD/yr' has the wrong"),
        (lambda: calc.Scenario(relief={"crude_oil": -1}), "relief: crude_oil: -1 bbl/yr is negative"),
        (
            lambda: calc.Scenario(metals_share=0.5, relief={"metals": 1}),
            "metals_share and relief: metals set one area differently (0.5 and 1.0); give it once",
        ),
        (lambda: calc.Scenario(relief=[("coal", 1)]), "relief: expected a mapping of area name to lever"),
        (lambda: calc.Scenario(relief={"": 1}), "relief: unknown area ''"),
        (lambda: calc.Scenario(relief={"coal": float("nan")}), "relief: coal: must be a finite number"),
        (lambda: calc.run(calc.Scenario(relief={"cole": 1})), "scenario 'custom': relief: unknown area 'cole'; areas"),
        (lambda: calc.run(calc.Scenario(relief={"seafood": "1e6 t/yr"})), "a cap in tonnes needs the parameter"),
        (lambda: calc.load_assumptions("prices-2099"), "'prices-2099' is neither a file or folder nor a shipped"),
        (
            lambda: calc.compare(calc.run("status-quo"), "hanoi-2019"),
            "relative_to: 'hanoi-2019' is not among the scenarios; name it too",
        ),
        (lambda: calc.montecarlo("status-quo", n=10, relative_to="x"), "relative_to: 'x' is not among the scen"),
    ],
)
def test_bad_relief_is_refused_naming_the_area(make, message):
    with pytest.raises(calc.InputError) as caught:
        make()
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_relief_in_scenario_files_and_on_the_command_line(write, capsys, tmp_path):
    path = write(
        "mine.toml",
        """
        [coal-cap]
        metals_share = 1
        relief = { coal = "400.9e6 USD/yr", crude_oil = "lifted", textiles = 0.5 }
        """,
    )
    (scenario,) = calc.load_scenarios(path)
    assert scenario.relief["crude_oil"] is None and scenario.relief["textiles"] == 0.5
    assert scenario.to_dict()["relief"] == {"coal": "400900000 USD/yr", "crude_oil": "lifted", "textiles": 0.5}
    assert calc.Scenario(**scenario.to_dict()) == scenario
    target = tmp_path / "out.csv"
    argv = ["run", "--relief", "coal=400.9e6 USD/yr", "--relief", "textiles=0.5", "--relief", "crude_oil=lifted"]
    assert main([*argv, "--metals-share", "1", "--name", "coal-cap", "--out", str(target)]) == 0
    from_file = calc.run(scenario)
    assert calc.read_csv(target)["value"].tolist() == from_file["value"].tolist()
    assert main(["run", "--relief", "coal"]) == 2
    assert "--relief 'coal': expected AREA=LEVER" in capsys.readouterr().err
    assert main(["run", "--relief", "coal=2"]) == 2
    assert "relief: coal: 2 is out of range" in capsys.readouterr().err


def test_compare_gives_each_scenario_as_a_share_of_the_reference(figures):
    frame = calc.run(["article-demands", "hanoi-2019"], assumptions=figures)
    shares = calc.compare(frame, reference="hanoi-2019")
    assert set(shares["unit"]) == {"%"} and "Share of GDP|Revenue" not in set(shares["variable"])
    # revenue 220 / 2,195 M; unlocked (150 + 147.9) / 1,480 M; net (220 - 60 - 147.9) / 955 M
    assert last(shares, "Revenue", "article-demands") == pytest.approx(100 * 220 / 2195)
    luxury = 69.6e6 * 0.68 / 0.32
    assert last(shares, "Imports Unlocked", "article-demands") == pytest.approx(100 * (150e6 + luxury) / 1480e6)
    assert last(shares, "Hard Currency|Net", "article-demands") == pytest.approx(100 * (160e6 - luxury) / 955e6)
    assert last(shares, "Revenue", "hanoi-2019") == 100
    assert np.isnan(last(shares, "Expenditure|Luxury Imports", "article-demands"))  # hanoi keeps the luxury ban
    with pytest.raises(calc.InputError, match="a ratio of quantiles is not a quantile of the ratio"):
        calc.compare(calc.montecarlo(["article-demands", "hanoi-2019"], n=50, seed=1), "hanoi-2019")


def test_montecarlo_relative_to_divides_draw_by_draw(figures):
    fixed = calc.montecarlo(
        ["article-demands", "hanoi-2019"], n=200, seed=1, assumptions=figures, relative_to="hanoi-2019"
    )
    # with every range collapsed, each quantile is the central share
    revenue = fixed[(fixed["variable"] == "Revenue") & (fixed["scenario"] == "article-demands")]
    assert revenue["value"].to_numpy() == pytest.approx(100 * 220 / 2195)
    frame = calc.montecarlo(["article-demands", "hanoi-2019"], n=4000, seed=2, relative_to="hanoi-2019")
    band = frame[(frame["variable"] == "Revenue") & (frame["scenario"] == "article-demands") & (frame["year"] == 2036)]
    low, median, high = band["value"]
    assert 0 < low < median < high < 100
    assert frame.attrs["sanctions_relief"]["montecarlo"]["relative_to"] == "hanoi-2019"
    pd.testing.assert_frame_equal(calc.rerun(frame), frame)


def test_relative_to_on_the_command_line(capsys):
    assert main(["run", "article-demands", "hanoi-2019", "--relative-to", "hanoi-2019"]) == 0
    out = capsys.readouterr().out
    assert "As a share of hanoi-2019, per cent" in out
    row = next(line for line in out.splitlines() if line.startswith("Hard currency earned (%)"))
    frame = calc.compare(calc.run(["article-demands", "hanoi-2019"]), "hanoi-2019")
    assert row.split()[-2:] == [f"{last(frame, 'Revenue', 'article-demands'):,.1f}", "100.0"]
    # Hanoi eases no luxury ban, and crude's cap lies above the pipeline's flow: no share of them exists, which the
    # table says rather than dropping the rows unremarked
    assert "Luxury imports unlocked (%)" not in out
    assert (
        "Left out, as hanoi-2019 has none of them to divide by: luxury imports unlocked, crude oil unlocked, luxury "
        "import spending, crude-oil import spending." in out
    )


def test_prices_overlay_reprices_the_baskets_from_the_pink_sheet(figures):
    prices = calc.load_assumptions("prices-2024")
    # World Bank Pink Sheet 2024 / 2016, weighted by the official estimates: iron 251, lead 113, and copper, nickel,
    # silver and zinc 100 together, 25 each
    ratios = {"iron": 109.40 / 58.42, "lead": 2069 / 1867, "copper": 9142 / 4868, "nickel": 16814 / 9595}
    ratios |= {"silver": 28.27 / 17.15, "zinc": 2776 / 2090}
    basket = (
        251 * ratios["iron"]
        + 113 * ratios["lead"]
        + 25 * sum(ratios[m] for m in ("copper", "nickel", "silver", "zinc"))
    )
    assert prices["metals.price_index"].value == pytest.approx(basket / 464, abs=5e-4)
    assert prices["metals.price_index"].low == pytest.approx(min(ratios.values()), abs=5e-4)
    # Australian thermal coal, the middle of 2024's monthly range (124.2 to 135.1 USD/t) over 66 USD/t in 2016
    coal = prices["coal.price_index"]
    assert (coal.low, coal.value, coal.high) == pytest.approx((124.2 / 66, 129.65 / 66, 135.1 / 66), abs=5e-3)
    for name, parameter in prices.items():  # every re-priced figure keeps a range
        if parameter.year == 2024 and name.endswith("price_index"):
            assert parameter.low < parameter.high, name
    assert prices["seafood.pre_sanction_exports"] == calc.load_assumptions()["seafood.pre_sanction_exports"]
    frame = calc.run("metals-only", assumptions="prices-2024")
    assert last(frame, "Revenue|Metal Exports") == pytest.approx(220e6 * prices["metals.price_index"].value)


def test_history_check_holds_the_shipped_baselines():
    table = calc.history_check()
    rows = table.set_index("item")
    goods = ["Metal Exports", "Coal Exports", "Seafood Exports", "Textile Exports", "Other 2397 Exports"]
    assert list(table["item"][:5]) == goods  # workers' earnings, a service, are outside goods exports
    total = rows.loc["Export areas together", "value"]
    assert total == pytest.approx(sum(rows.loc[goods, "value"]))
    exports = rows.loc["Total exports, 2016", "value"]
    # the shipped central sum must stay within BOUNDS of 2016 exports (see calc.history for why)
    assert BOUNDS[0] * exports <= total <= BOUNDS[1] * exports
    assert table.attrs["within_bounds"]
    assert rows.loc["Fall in exports, 2016-2018", "value"] == pytest.approx(exports - 0.243e9)


def test_history_check_by_hand(figures):
    rows = calc.history_check(figures).set_index("item")
    # 220 + 1,190 + 295 + 752 + 250 = 2,707 M against 2,820 M (96.0 %) and a fall of 2,577 M (105.0 %)
    assert rows.loc["Export areas together", "value"] == pytest.approx(2707e6)
    assert rows.loc["Export areas as a share of 2016 exports", "value"] == pytest.approx(100 * 2707 / 2820)
    assert rows.loc["Export areas as a share of the fall 2016-2018", "value"] == pytest.approx(100 * 2707 / 2577)
    inflated = figures.override(
        {"coal.pre_sanction_exports": "1430e6 USD/yr", "workers.pre_sanction_exports": "2300e6 USD/yr"}
    )
    assert not calc.history_check(inflated).attrs["within_bounds"]  # 2,947 M is more than was exported


def test_areas_and_history_commands(capsys):
    assert main(["areas"]) == 0
    out = capsys.readouterr().out
    assert "coal: Coal Exports (export earnings; resolutions 2270, 2321, 2371)" in out
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Export areas together" in out and "The central sum is within 90-100 % of 2016 exports" in out


def test_shipped_figures_cover_facts():
    shipped = calc.load_assumptions()
    for name, parameter in shipped.items():
        assert parameter.source and parameter.low <= parameter.value <= parameter.high, name
    judgements = {name for name, parameter in shipped.items() if parameter.judgement}
    assert {
        "textiles.net_foreign_exchange_share",
        "workers.already_smuggled_share",
        "capital_goods.blocked_share",
    } <= judgements
    assert {"crude_oil.hard_currency_share", "coal.capacity_share"} <= judgements
    assert set(FIGURES) == set(shipped)
