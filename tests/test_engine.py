import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calc
from calc.frame import COLUMNS
from calc.variables import catalogue

from conftest import FIGURES, check_aggregates, valid_assumptions

CORE = [
    "Revenue|Metal Exports",
    "Fuel|Refined Petroleum|Additional Legal Imports",
    "Fuel|Refined Petroleum|Net Additional Supply",
    "Expenditure|Fuel Imports",
    "Expenditure|Luxury Imports",
    "Hard Currency|Net",
]


#: Luxury imports the ban blocks: 69.6e6 observed x 0.68 / (1 - 0.68).
LUXURY = 69.6e6 * 0.68 / 0.32


def values(frame, variable, scenario=None):
    rows = frame[frame["variable"] == variable]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return rows["value"].to_numpy()


def test_frame_layout():
    frame = calc.run("article-demands")
    assert tuple(frame.columns) == COLUMNS
    assert list(dict.fromkeys(frame["variable"]))[:6] == CORE
    assert len(frame) == len(calc.VARIABLES) * 10
    assert frame["year"].dtype == np.int64
    assert frame["value"].dtype == np.float64
    assert set(frame["model"]) == {"sanctions-relief"} and set(frame["region"]) == {"North Korea"}
    assert not frame.duplicated(["scenario", "variable", "year"]).any()


def test_every_unit_parses_in_the_registry_with_the_right_dimension():
    frame = calc.run("article-demands")
    dimensions = {"USD/yr": "[currency] / [time]", "bbl/yr": "[length] ** 3 / [time]", "t/yr": "[mass] / [time]"}
    for unit in set(frame["unit"]):
        parsed = calc.ureg.Quantity(1, unit)
        assert str(parsed.dimensionality) == dimensions.get(unit, "dimensionless")


#: The shipped central values where they differ from the explicit ones the hand-worked tests use (``FIGURES``).
SHIPPED = FIGURES | {
    "context.gdp": 32.5e9,  # Bank of Korea, 2024
    "luxury.observed_imports": 75.9e6,  # H1 2024, a year at that rate
    "luxury.blocked_share": 0.1,  # the 2006 ban blocks what it did before 2016
    "petroleum.illicit_imports": 3.3e6,  # within the 2019-2020 counts
}


def test_shipped_central_figures(shipped):
    """The one test that pins the shipped central values."""
    assert {name: shipped[name].value for name in SHIPPED} == SHIPPED
    assert set(SHIPPED) >= {name for name in shipped if name in FIGURES}


def test_article_demands_by_hand(figures):
    frame = calc.run("article-demands", assumptions=figures)
    assert values(frame, "Revenue|Metal Exports").tolist() == [220e6] * 10
    assert values(frame, "Fuel|Refined Petroleum|Additional Legal Imports").tolist() == [1.5e6] * 10
    assert values(frame, "Fuel|Refined Petroleum|Net Additional Supply").tolist() == [7.5e5] * 10
    assert values(frame, "Expenditure|Fuel Imports") == pytest.approx([60e6] * 10)
    # 69.6e6 observed x 0.68 / (1 - 0.68) blocked = 147.9e6
    assert values(frame, "Expenditure|Luxury Imports") == pytest.approx([LUXURY] * 10)
    assert values(frame, "Hard Currency|Net") == pytest.approx([220e6 - 60e6 - LUXURY] * 10)
    # unlocked: 1.5e6 bbl x 100 USD/bbl of fuel and the luxury imports, 150e6 + 147.9e6
    assert values(frame, "Imports Unlocked") == pytest.approx([150e6 + LUXURY] * 10)
    assert values(frame, "Budget|Share Bought").tolist() == [100.0] * 10
    assert values(frame, "Fuel|Refined Petroleum|Net Additional Supply (Mass)") == pytest.approx([1e5] * 10)


def test_status_quo_is_zero_apart_from_supply_level(figures):
    frame = calc.run("status-quo", assumptions=figures)
    effects = frame[frame["unit"] != "%"]
    assert (effects["value"] == 0).all()
    # status-quo supply: (5e5 legal + 2e6 smuggled) / 4.5e6 = 55.6 %
    assert values(frame, "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports") == pytest.approx(
        [100 * 2.5 / 4.5] * 10
    )


@pytest.mark.parametrize("name", calc.presets())
def test_every_preset_runs(name):
    frame = calc.run(name)
    assert set(frame["scenario"]) == {name}
    assert np.isfinite(frame["value"]).all()


def test_presets_side_by_side_keep_their_order(figures):
    frame = calc.run(["hanoi-2019", "status-quo"], assumptions=figures)
    assert list(dict.fromkeys(frame["scenario"])) == ["hanoi-2019", "status-quo"]
    # revenue: metals 220 + coal 1,190 - 294 smuggled = 896 + seafood 295 + fishing rights 75 - 17 = 58 + textiles
    # 752 x 0.5 = 376 + other 250 + workers 500 - 0.8 x 500 = 100: 2,195 M. Spending: refined petroleum, cap
    # lifted, 4e6 x 100 - 2e6 x 120 = 160 M; crude 0 (the pipeline, 3.8 M bbl, is below the 4 M cap); capital goods
    # 1,200 x 0.9 = 1,080 M; luxury kept. All of it bought (1,240 < 2,195 + 540); net 2,195 - 1,240 = 955 M USD/yr
    assert values(frame, "Revenue", "hanoi-2019") == pytest.approx([2195e6] * 10)
    assert values(frame, "Expenditure", "hanoi-2019") == pytest.approx([1240e6] * 10)
    assert values(frame, "Hard Currency|Net", "hanoi-2019") == pytest.approx([955e6] * 10)
    # unlocked: 4e6 bbl x 100 USD of fuel and 1,080 M of capital goods
    assert values(frame, "Imports Unlocked", "hanoi-2019") == pytest.approx([1480e6] * 10)


def test_ramp_and_years(figures):
    scenario = calc.Scenario(name="ramped", metals_share=1.0, start_year=2030, horizon=5, ramp_years=4)
    frame = calc.run(scenario, assumptions=figures)
    revenue = frame[frame["variable"] == "Revenue|Metal Exports"]
    assert revenue["year"].tolist() == [2030, 2031, 2032, 2033, 2034]
    assert revenue["value"].tolist() == [55e6, 110e6, 165e6, 220e6, 220e6]


@pytest.mark.parametrize(
    ("levers", "variable", "full"),
    [
        ({"luxury_share": 1.0}, "Expenditure|Luxury Imports", LUXURY),
        # unlocked, before the budget, which cuts what is bought from the third year: 540 M to pay with
        ({"relief": {"capital_goods": 1.0}}, "Imports Unlocked|Capital Goods Imports", 1200e6 * 0.9),
        # 2,000,000 - 500,000 added, less min(2,000,000 smuggled, 0.5 x 1,500,000) replaced
        ({"petroleum_cap": "2000000 bbl/yr"}, "Fuel|Refined Petroleum|Net Additional Supply", 750_000),
        ({"relief": {"seafood": 1.0}}, "Revenue|Seafood Exports", 295e6),
    ],
)
def test_every_kind_ramps_once(figures, levers, variable, full):
    """A quarter of the full effect in the first year of a four-year ramp, for each kind's formula."""
    frame = calc.run(calc.Scenario(name="ramped", horizon=5, ramp_years=4, **levers), assumptions=figures)
    ramped = frame[frame["variable"] == variable]["value"].to_numpy()
    np.testing.assert_allclose(ramped, [full / 4, full / 2, 3 * full / 4, full, full], rtol=1e-12)


def test_assumptions_are_used(figures):
    frame = calc.run("metals-only", assumptions=figures.override({"metals.price_index": 1.5}))
    # 220e6 x 1.5
    assert values(frame, "Revenue|Metal Exports")[0] == pytest.approx(330e6)


def test_status_quo_cap_follows_the_assumptions(figures):
    tighter = figures.override({"petroleum.legal_cap": "300000 bbl/yr", "petroleum.legal_imports": "300000 bbl/yr"})
    frame = calc.run(calc.Scenario(name="x", metals_share=1.0), assumptions=tighter)
    assert (values(frame, "Fuel|Refined Petroleum|Additional Legal Imports") == 0).all()
    frame = calc.run("petroleum-2375", assumptions=tighter)
    # dL = 2e6 - 3e5
    assert values(frame, "Fuel|Refined Petroleum|Additional Legal Imports")[0] == 1.7e6


def test_summary_totals_and_present_value(figures):
    frame = calc.run(calc.Scenario(name="x", metals_share=1.0, horizon=3, ramp_years=2), assumptions=figures)
    table = calc.summary(frame).set_index("variable")
    revenue = table.loc["Revenue|Metal Exports"]
    # years: 110e6, 220e6, 220e6
    assert (revenue["first_year"], revenue["steady_state"]) == (110e6, 220e6)
    assert revenue["total"] == pytest.approx(550e6) and revenue["total_unit"] == "USD"
    # discount rate 0.05: 110e6 + 220e6 / 1.05 + 220e6 / 1.05**2
    assert revenue["present_value"] == pytest.approx(110e6 + 220e6 / 1.05 + 220e6 / 1.05**2)
    assert np.isnan(table.loc["Share of GDP|Revenue", "total"])
    assert np.isnan(table.loc["Fuel|Refined Petroleum|Net Additional Supply", "present_value"])
    assert table.loc["Fuel|Refined Petroleum|Net Additional Supply", "total_unit"] == "bbl"


def test_summary_uses_the_recorded_discount_rate(figures):
    frame = calc.run(
        calc.Scenario(name="x", metals_share=1.0, horizon=2),
        assumptions=figures.override({"context.discount_rate": "10 %"}),
    )
    revenue = calc.summary(frame).set_index("variable").loc["Revenue|Metal Exports"]
    assert revenue["present_value"] == pytest.approx(220e6 + 220e6 / 1.1)
    assert calc.summary(frame, discount_rate=0.0).set_index("variable").loc[
        "Revenue|Metal Exports", "present_value"
    ] == pytest.approx(440e6)


def test_run_rejects_what_is_not_a_scenario():
    with pytest.raises(calc.InputError, match="scenarios: expected a Scenario"):
        calc.run([3])
    with pytest.raises(calc.InputError, match="give at least one scenario"):
        calc.run([])
    with pytest.raises(calc.InputError, match=r"assumptions: expected the result of calc\.load_assumptions"):
        calc.run("status-quo", assumptions={"petroleum.price": 3})
    with pytest.raises(calc.InputError, match="summary: the frame lacks column"):
        calc.summary(pd.DataFrame({"x": [1]}))


def test_run_records_what_produced_it():
    frame = calc.run("hanoi-2019")
    recorded = frame.attrs["sanctions_relief"]
    assert recorded["version"] == calc.__version__
    # as the preset file has it: the five resolutions lifted, no lever of its own
    assert recorded["scenarios"][0]["lift"] == ["2270", "2321", "2371", "2375", "2397"]
    assert recorded["scenarios"][0]["relief"] == {} and "petroleum_cap" not in recorded["scenarios"][0]
    assert list(recorded["areas"]) == [area for area in calc.areas()["name"]]
    assert {record["name"] for record in recorded["assumptions"]} == set(calc.load_assumptions())


def test_summary_of_a_montecarlo_frame_keeps_quantiles_apart():
    frame = calc.montecarlo("metals-only", n=500, seed=1)
    table = calc.summary(frame)
    revenue = table[table["variable"] == "Revenue|Metal Exports"].set_index("quantile")
    assert list(revenue.index) == [0.05, 0.5, 0.95]
    # no ramp: ten equal years, so each total is ten times its yearly quantile
    assert revenue["total"].to_numpy() == pytest.approx(10 * revenue["first_year"].to_numpy())
    assert revenue.loc[0.05, "total"] < revenue.loc[0.95, "total"]


def test_a_run_frame_shows_its_values_readably(figures):
    frame = calc.run("article-demands", assumptions=figures)
    assert type(frame).__name__ == "ResultFrame" and isinstance(frame, pd.DataFrame)
    for shown in (repr(frame), frame._repr_html_()):
        assert "220,000,000" in shown and "2.2e+08" not in shown
    plain = frame[frame["year"] == 2027]  # anything made from it is a plain DataFrame
    assert type(plain) is pd.DataFrame and "2.200000e+08" in repr(plain)


def test_table_gives_the_command_lines_table_for_each_kind_of_frame(figures):
    frame = calc.run(["article-demands", "hanoi-2019"], assumptions=figures)
    cells = calc.table(frame)
    assert list(cells.columns) == ["article-demands", "hanoi-2019"]
    # 220 - 60 - 69.6 x 0.68 / 0.32
    assert cells.loc["Hard currency left after buying the unlocked imports (USD M/yr)", "article-demands"] == "12.1"
    # 220 + 896 + 295 + 58 + 376 + 250 + 100
    assert cells.loc["Hard currency earned (USD M/yr)", "hanoi-2019"] == "2,195.0"
    shares = calc.table(calc.compare(frame, "hanoi-2019"))
    assert shares.loc["Hard currency earned (%)", "article-demands"] == "10.0"  # 220 / 2,195
    # with every range collapsed to its value, each quantile is the central result
    collapsed = figures.override({name: calc.ureg.Quantity(p.value, p.unit) for name, p in figures.items()})
    drawn = calc.table(calc.montecarlo("article-demands", n=50, seed=1, assumptions=collapsed))
    assert drawn.loc["Metal export revenue (USD M/yr)", "article-demands"] == "220.0 / 220.0 / 220.0"
    assert drawn.index.name == "last year, p5 / p50 / p95"


def test_the_budget_buys_what_earnings_and_other_hard_currency_pay_for(figures):
    """Capital goods alone: 1,200 x 0.9 = 1,080 M unlocked, nothing earned, 540 M from other sources: half is
    bought, and the net is -540 M, the other hard currency spent, never less."""
    frame = calc.run(calc.Scenario(name="machines", relief={"capital_goods": 1}, horizon=1), assumptions=figures)
    assert values(frame, "Imports Unlocked|Capital Goods Imports") == pytest.approx([1080e6])
    assert values(frame, "Budget|Spending Wanted") == pytest.approx([1080e6])
    assert values(frame, "Budget|Share Bought") == pytest.approx([50.0])
    assert values(frame, "Expenditure|Capital Goods Imports") == pytest.approx([540e6])
    assert values(frame, "Hard Currency|Net") == pytest.approx([-540e6])
    # with the textile ban lifted too (376 M earned) and the fuel cap lifted: 4 M bbl more legal fuel, 2 M of it
    # replacing smuggled fuel (bought first: it saves 2 M x 100 x 0.2 = 40 M), 2 M adding supply (200 M). The 916 M
    # there is, and the 40 M saved, pay for 956 / 1,280 of the 1,080 M of machines and the 200 M of added fuel
    both = calc.Scenario(name="both", relief={"capital_goods": 1, "textiles": 1}, petroleum_cap=None, horizon=1)
    frame = calc.run(both, assumptions=figures)
    share = (376e6 + 540e6 + 40e6) / (1080e6 + 200e6)
    assert values(frame, "Budget|Spending Wanted") == pytest.approx([1080e6 + 200e6 - 40e6])
    assert values(frame, "Budget|Share Bought") == pytest.approx([100 * share])
    assert values(frame, "Expenditure|Capital Goods Imports") == pytest.approx([1080e6 * share])
    assert values(frame, "Expenditure|Fuel Imports|Refined Petroleum") == pytest.approx([-40e6 + 200e6 * share])
    assert values(frame, "Fuel|Refined Petroleum|Smuggled Imports Replaced") == pytest.approx([2e6])  # whole
    assert values(frame, "Fuel|Refined Petroleum|Net Additional Supply") == pytest.approx([2e6 * share])
    assert values(frame, "Fuel|Refined Petroleum|Additional Legal Imports") == pytest.approx([4e6])  # unlocked
    # all the money there is goes to imports: the net is minus the other hard currency
    assert values(frame, "Hard Currency|Net") == pytest.approx([376e6 - 916e6])


def test_a_cap_in_tonnes_converts_with_barrels_per_tonne(figures):
    scenario = calc.Scenario(name="t", petroleum_cap="300000 t/yr")
    frame = calc.run(scenario, assumptions=figures)
    added = frame[frame["variable"] == "Fuel|Refined Petroleum|Additional Legal Imports"]["value"].iloc[0]
    # 300,000 t x 7.5 bbl/t = 2,250,000 bbl/yr, less the 500,000 of the status quo
    assert added == pytest.approx(300_000 * FIGURES["petroleum.bbl_per_tonne"] - 500_000)
    assert scenario.to_dict()["petroleum_cap"] == "300000 t/yr"


#: Every variable that is a difference from the status quo: all but the levels (supply shares, the share bought).
EFFECTS = [
    name for name, variable in catalogue(calc.load_assumptions().areas).variables.items() if variable.group != "level"
]


@settings(max_examples=60, deadline=None)
@given(changes=valid_assumptions())
def test_status_quo_has_no_effect_under_any_assumptions(shipped, changes):
    frame = calc.run("status-quo", assumptions=shipped.override(changes))
    effects = frame[frame["variable"].isin(EFFECTS)]
    assert (effects["value"] == 0).all()


SHARE_AREAS = [
    name
    for name, lever in zip(calc.areas()["name"], calc.areas()["lever"], strict=True)
    if "relief" in lever and name != "crude_oil"
]


@settings(max_examples=60, deadline=None)
@given(
    changes=valid_assumptions(),
    shares=st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2 + len(SHARE_AREAS), max_size=2 + len(SHARE_AREAS)
    ),
    caps=st.lists(st.tuples(st.floats(0, 1e8), st.floats(0, 1e8)), min_size=2, max_size=2),
    ramp=st.integers(0, 4),
    horizon=st.integers(1, 6),
)
def test_no_relief_lowers_what_is_earned_or_unlocked_and_the_hierarchy_holds(
    shipped, changes, shares, caps, ramp, horizon
):
    """Every lever of every area, moved up together, never lowers the hard currency earned (each area's and the
    total) nor the imports unlocked (their value, and the fuel volume); parents are sums. What is bought may fall
    (more unlocked with the same money buys a smaller share of each), and so may fuel spending (legal fuel
    replacing dearer smuggled fuel)."""
    assumptions = shipped.override(changes)
    ordered = [sorted(pair) for pair in shares]
    fuel = [sorted(pair) for pair in caps]
    scenarios = [
        calc.Scenario(
            name=name,
            metals_share=ordered[0][end],
            luxury_share=ordered[1][end],
            petroleum_cap=f"{fuel[0][end]} bbl/yr",
            relief={area: ordered[2 + index][end] for index, area in enumerate(SHARE_AREAS)}
            | {"crude_oil": f"{fuel[1][end]} bbl/yr"},
            ramp_years=ramp,
            horizon=horizon,
        )
        for end, name in enumerate("ab")
    ]
    frame = calc.run(scenarios, assumptions=assumptions)
    a, b = (frame[frame["scenario"] == name].set_index(["variable", "year"])["value"] for name in "ab")
    never_lower = [
        variable.name
        for variable in catalogue(assumptions.areas).variables.values()
        if variable.sign > 0 or variable.unlocked or variable.name.endswith("|Additional Legal Imports")
    ]
    assert {"Revenue", "Imports Unlocked", "Revenue|Coal Exports", "Imports Unlocked|Refined Petroleum"} <= set(
        never_lower
    )
    for name in never_lower:
        assert (a[name] <= b[name] + 1e-9 * (1 + abs(b[name]))).all(), name
    # parents found from the names alone (pyam's check_aggregate), not from the code's own list of sums
    assert check_aggregates(frame) == []
    for scenario in (a, b):
        assert (scenario["Hard Currency|Net"] == scenario["Revenue"] - scenario["Expenditure"]).all()


def test_a_balance_the_budget_binds_is_marked_and_said_to_be_money_turned_into_goods(figures):
    from calc.display import comparison, notes

    # capital goods alone: 1,080 M unlocked, nothing earned, 540 M of other hard currency: half bought, -540 M left
    frame = calc.run(calc.Scenario(name="machines", relief={"capital_goods": 1}), assumptions=figures)
    cell = comparison(frame).loc["Hard currency left after buying the unlocked imports (USD M/yr)", "machines"]
    assert cell == "-540.0 (budget-bound)"
    assert (
        "machines: the budget binds: it buys 50.0 % of the imports unlocked, paying with all the hard currency earned "
        "and 540.0 M of other hard currency (context.other_hard_currency): the -540.0 M left is that money turned "
        "into goods, not a loss"
    ) in notes(frame)
    # where the budget does not bind, the balance is a plain figure and no note speaks of it
    plain = calc.run("article-demands", assumptions=figures)
    assert (
        not comparison(plain)
        .loc["Hard currency left after buying the unlocked imports (USD M/yr)"]
        .str.contains("budget")
        .any()
    )
    assert not any("budget binds" in line for line in notes(plain))
