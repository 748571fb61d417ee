"""Goal seeking (calc.solve): lever values worked out by hand, round trips through calc.run, unreachable targets."""

import json
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calc
from calc.scenario import with_levers

from conftest import require, uninstall


def test_refined_petroleum_cap_for_a_million_barrels_more_fuel(figures):
    # net supply = dL - min(I0, d x dL) with dL = C1 - C0 while C1 <= D; below the point where d x dL reaches I0
    # it is (1 - d) x dL, so dL = 1,000,000 / (1 - d) and C1 = C0 + dL
    c0, d, i0 = figures.central()["petroleum.legal_cap"], 0.5, 2e6
    assert figures.central()["petroleum.displacement_share"] == d
    added = 1_000_000 / (1 - d)
    assert d * added <= i0  # the branch taken above
    cap = calc.solve(
        "article-demands",
        lever="petroleum_cap",
        variable="Fuel|Refined Petroleum|Net Additional Supply",
        target="1000000 bbl/yr",
        assumptions=figures,
    )
    assert str(cap.units) == "barrel / year"
    assert cap.magnitude == pytest.approx(c0 + added, rel=1e-9)  # 2,500,000 bbl/yr


def test_metals_share_for_half_the_pre_sanction_revenue(figures):
    # revenue = exports x share x capacity x price index x (1 - already smuggled) = 220e6 x share
    share = calc.solve(
        "article-demands",
        lever="metals_share",
        variable="Revenue|Metal Exports",
        target="110e6 USD/yr",
        assumptions=figures,
    )
    assert share == pytest.approx(110e6 / (220e6 * 1.0 * 1.0 * (1 - 0.0)), rel=1e-9)


def test_target_in_other_units_is_converted(figures):
    # 6.9 million litres a year = 6.9e6 / 158.987 barrels: with the cap lever, net supply = (C1 - C0) / 2
    cap = calc.solve(
        "article-demands",
        "petroleum_cap",
        "Fuel|Refined Petroleum|Net Additional Supply",
        "6.9e6 L/yr",
        assumptions=figures,
    )
    barrels = 6.9e6 / 158.987294928
    assert cap.to("bbl/yr").magnitude == pytest.approx(500_000 + 2 * barrels, rel=1e-9)


@pytest.mark.parametrize("area", [area.name for area in calc.load_assumptions().areas])
def test_every_lever_round_trips_through_run(area, shipped):
    """Solve for the value each area's own first variable takes at a third of its lever's range, in hanoi-2019,
    then run the scenario with the lever solved: the variable reaches the target to 1e-6."""
    declared = next(entry for entry in shipped.areas if entry.name == area)
    variable = declared.variables[0].name
    scenario = calc.preset("hanoi-2019")
    central = shipped.central()
    third = 1 / 3 if declared.kind.lever == "share" else central[f"{area}.pre_sanction_imports"] / 3

    def with_lever(value):
        if declared.keyword:
            return replace(scenario, name="trial", **{declared.keyword: value})
        return replace(scenario, name="trial", relief={**scenario.relief, area: value})

    frame = calc.run(with_lever(third))
    target = frame[(frame["variable"] == variable)]["value"].iloc[-1]
    solved = calc.solve(scenario, declared.keyword or area, variable, f"{float(target)!r} {declared.variables[0].unit}")
    reached = calc.run(with_lever(solved))
    value = reached[(reached["variable"] == variable)]["value"].iloc[-1]
    assert value == pytest.approx(target, rel=1e-6, abs=1e-6)


PLANS = ["article-demands", "hanoi-2019", "us-idea-2019", "us-idea-2019-renewed", "imports-first-sequence"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=st.sampled_from(PLANS),
    area=st.sampled_from([area.name for area in calc.load_assumptions().areas]),
    where=st.floats(0.05, 0.95),
    ramp_years=st.sampled_from([0, 3]),
)
def test_running_at_the_solution_reproduces_the_target_for_scenarios_and_packages(
    figures, plan, area, where, ramp_years
):
    """For a scenario or a package, an area it eases and a lever value inside its range: run at that lever (set where
    the plan eases the area, ``with_levers``), take the area's first variable in the last year as the target, solve
    for it, and run at the solution: the same value, snapback and ramps included."""
    chosen = replace(calc.preset(plan), name="trial", ramp_years=ramp_years)
    declared = next(entry for entry in figures.areas if entry.name == area)
    if all(area not in segment.eased for segment in chosen.segments(figures.areas)):
        with pytest.raises(calc.InputError, match=f"none of its steps eases {area}"):
            with_levers(chosen, {area: 0.5})
        return
    low, high = declared.kind.lever_range(calc.engine.roles(declared, figures.central()))
    lever = declared.kind.quantity(low + where * (high - low))
    variable = declared.variables[0]

    def reached(value):
        frame = calc.run(with_levers(chosen, {area: value}), assumptions=figures)
        return frame[frame["variable"] == variable.name]["value"].iloc[-1]

    target = reached(lever)
    try:
        solved = calc.solve(
            chosen, declared.keyword or area, variable.name, f"{float(target)!r} {variable.unit}", assumptions=figures
        )
    except calc.InputError as error:  # a lever that moves nothing here (a cap the demand ceiling makes idle)
        assert "does not depend on" in str(error)
        return
    assert reached(solved) == pytest.approx(target, rel=1e-6, abs=1e-3)


def test_solve_on_a_package_keeps_its_snapback(figures):
    # us-idea-2019-renewed: coal and textiles from 2027, a hazard of 0.1 a year; in 2036 (k = 9) the expected revenue is
    # 0.9^9 of what it is in force: at most (896 + 376) x 0.9^9 = 492.8 M, so 800 M is out of reach
    with pytest.raises(
        calc.InputError,
        match=r"moving coal from 0 to 1 in 'us-idea-2019-renewed' gives Revenue between 145\.7 "
        r"and 492\.8 USD M/yr in 2036",
    ):
        calc.solve("us-idea-2019-renewed", "coal", "Revenue", "800e6 USD/yr", assumptions=figures)
    # 400 M expected is 400 / 0.9^9 = 1,032.4 M in force, of which textiles 376 M: coal 656.4 M, below the 896 M it
    # earns once it displaces the 294 M smuggled, so 1,190 s beside them: s = 656.4 / 1,190
    share = calc.solve("us-idea-2019-renewed", "coal", "Revenue", "400e6 USD/yr", assumptions=figures)
    assert share == pytest.approx((400e6 / 0.9**9 - 376e6) / 1190e6, rel=1e-9)


@pytest.mark.parametrize(
    ("plan", "lever", "variable", "message"),
    [
        (
            "article-demands",
            "petroleum_cap",
            "Revenue",
            "Revenue does not depend on petroleum_cap in 'article-demands'",
        ),
        ("us-idea-2019-renewed", "seafood", "Revenue", "in 'us-idea-2019-renewed', which none of its steps eases"),
    ],
)
def test_a_lever_that_never_moves_the_variable_is_refused(figures, plan, lever, variable, message):
    with pytest.raises(calc.InputError, match=re.escape(message)):
        calc.solve(plan, lever, variable, "400e6 USD/yr", assumptions=figures)


def test_unreachable_target_gives_the_reachable_range(figures):
    with pytest.raises(calc.InputError) as error:
        calc.solve("article-demands", "metals_share", "Revenue|Metal Exports", "500e6 USD/yr", assumptions=figures)
    message = str(error.value)
    assert "500.0 USD M/yr is out of reach" in message
    assert "between 0.0 and 220.0 USD M/yr in 2036" in message  # 220e6 x share from 0 to 1


def test_the_net_balance_falls_as_luxury_imports_rise(figures):
    # article-demands lifts the luxury ban whole: luxury spending = 69.6e6 x 0.68 / 0.32 = 147.9 M of its net
    # 12.1 M (the budget buys all of it). Half of that spending back leaves net at 12.1 + 74.0 M, reached with half
    # the ban lifted.
    central = calc.run("article-demands", assumptions=figures)
    net = central[central["variable"] == "Hard Currency|Net"]["value"].iloc[-1]
    luxury = 69.6e6 * 0.68 / 0.32
    share = calc.solve("article-demands", "luxury_share", "net", f"{net + luxury / 2} USD/yr", assumptions=figures)
    assert share == pytest.approx(0.5, rel=1e-9)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("metals_share", "Revenue|Metal Exports", "110e6"),
            "target: '110e6' has no unit; write it with one, e.g. '110e6 USD/yr'",
        ),
        (("metals_share", "Revenue|Metal Exports", "110e6 bbl/yr"), "wrong dimension"),
        (("metals_share", "Revenue|Metal Exports", "nan USD/yr"), "target"),
        (
            ("gold_share", "Revenue|Metal Exports", "1 USD/yr"),
            "lever: 'gold_share' is not known; accepted: metals_share",
        ),
        (("metals_share", "Revenue|Gold", "1 USD/yr"), "variable: 'Revenue|Gold' is not known"),
    ],
)
def test_bad_input_is_refused_by_name(arguments, message, figures):
    with pytest.raises(calc.InputError, match=None) as error:
        calc.solve("article-demands", *arguments, assumptions=figures)
    assert message in str(error.value)


def test_year_outside_the_horizon_is_refused(figures):
    with pytest.raises(
        calc.InputError, match="year: 2050 is outside scenario 'article-demands'; accepted: 2027 to 2036"
    ):
        calc.solve(
            "article-demands", "metals_share", "Revenue|Metal Exports", "1 USD/yr", year=2050, assumptions=figures
        )


def test_ramped_year_needs_a_larger_lever(figures):
    # with ramp_years = 4 the first year gets a quarter of the effect: 55e6 = 220e6 x share x 0.25 -> share 1
    ramped = calc.Scenario(name="ramped", metals_share=0.2, ramp_years=4)
    share = calc.solve(ramped, "metals_share", "Revenue|Metal Exports", "55e6 USD/yr", year=2027, assumptions=figures)
    assert share == pytest.approx(1.0, rel=1e-9)


def test_cli_solve_prints_the_lever(capsys):
    from calc.cli import main

    code = main(
        [
            "solve",
            "article-demands",
            "--lever",
            "petroleum_cap",
            "--variable",
            "Fuel|Refined Petroleum|Net Additional Supply",
            "--target",
            "1000000 bbl/yr",
            "--set",
            "petroleum.displacement_share=0.5",
            "--set",
            "petroleum.illicit_imports=2e6 bbl/yr",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "petroleum_cap = 2,500,000 bbl/yr"


def test_the_answer_as_a_table_exports_with_its_data_package(figures, tmp_path):
    require("frictionless")
    from frictionless import validate

    from calc.goal import solution

    table = solution("article-demands", "metals_share", "Revenue|Metal Exports", "110e6 USD/yr", assumptions=figures)
    assert table.to_dict("records") == [
        {
            "scenario": "article-demands",
            "lever": "metals_share",
            "value": pytest.approx(0.5, rel=1e-9),
            "unit": "dimensionless",
            "variable": "Revenue|Metal Exports",
            "target": 110e6,
            "target_unit": "USD/yr",
            "year": 2036,
        }
    ]
    written = calc.export_csv(table, tmp_path / "goal.csv")
    assert validate(tmp_path / "goal.datapackage.json").valid
    package = json.loads((tmp_path / "goal.datapackage.json").read_text())
    assert package["sanctions_relief"]["solve"]["lever"] == "metals_share"
    assert (
        written.read_text().splitlines()[0]
        == '"scenario","lever","value","unit","variable","target","target_unit","year"'
    )


def test_solve_needs_no_extra(figures, monkeypatch):
    uninstall(monkeypatch, "scipy")
    # half the metals ban lifted earns half the 220 M a year (the lever enters the revenue linearly)
    share = calc.solve("metals-only", "metals_share", "Revenue|Metal Exports", "110e6 USD/yr", assumptions=figures)
    assert share == pytest.approx(0.5, rel=1e-9)
    # 220 M a year x (1 + q + q^2 + q^3 + q^4) = 660 M over five years, q = 1 - hazard: a curve, with its root
    # between 0.74 (sum 1.9927) and 0.75 (sum 2.0508); q to 1e-12 puts the sum within 6e-12 (slope below 6)
    package = calc.Package("risky", [calc.Step(2027, metals_share=1)], horizon=5)
    q = 1 - calc.solve(package, "snapback_hazard", "revenue", "660e6 USD", assumptions=figures)
    assert 0.74 < q < 0.75 and q + q**2 + q**3 + q**4 == pytest.approx(2.0, abs=1e-11)
