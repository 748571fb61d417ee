"""Packages: relief in steps from their own years, sunsets and snapback, worked by hand."""

import numpy as np
import pandas as pd
import pytest

import calc
from calc import Package, Step


def series(frame, variable, scenario=None):
    rows = frame[frame["variable"] == variable]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return rows["value"].to_numpy()


def test_a_one_step_package_with_no_hazard_is_the_plain_scenario(figures):
    plain = calc.Scenario(name="x", metals_share=1, petroleum_cap="2000000 bbl/yr", relief={"coal": 0.5}, ramp_years=3)
    package = Package(
        "x", [Step(2027, metals_share=1, petroleum_cap="2000000 bbl/yr", relief={"coal": 0.5})], ramp_years=3
    )
    pd.testing.assert_frame_equal(
        calc.run(package, assumptions=figures).drop(columns="value"),
        calc.run(plain, assumptions=figures).drop(columns="value"),
    )
    np.testing.assert_allclose(
        calc.run(package, assumptions=figures)["value"], calc.run(plain, assumptions=figures)["value"]
    )


def test_with_hazard_h_the_expected_value_in_year_k_is_the_plain_value_times_1_minus_h_to_the_k(figures):
    package = Package("risky", [Step(2027, metals_share=1, luxury_share=1)], snapback_hazard=0.2)
    frame = calc.run(package, assumptions=figures)
    k = np.arange(10)
    np.testing.assert_allclose(series(frame, "Revenue|Metal Exports"), 220e6 * 0.8**k)
    luxury = 69.6e6 * 0.68 / 0.32
    np.testing.assert_allclose(series(frame, "Expenditure|Luxury Imports"), luxury * 0.8**k)
    # a level returns to the status quo's once snapped back: 100 % bought either way
    np.testing.assert_allclose(series(frame, "Budget|Share Bought"), 100.0)


def test_a_sunset_ends_a_step_and_a_later_step_adds_its_area_from_its_year(figures):
    package = Package(
        "steps",
        [Step(2027, until=2029, relief={"textiles": 1}), Step(2030, relief={"seafood": 1}, metals_share=1)],
        ramp_years=2,
    )
    frame = calc.run(package, assumptions=figures)
    # textiles 752 x 0.5 = 376 M, ramped over two years from 2027, ended after 2029
    np.testing.assert_allclose(series(frame, "Revenue|Textile Exports"), [188e6, 376e6, 376e6] + [0.0] * 7)
    # seafood (295 M) and metals (220 M) from 2030, ramped from their own year
    np.testing.assert_allclose(series(frame, "Revenue|Seafood Exports"), [0.0] * 3 + [147.5e6] + [295e6] * 6)
    np.testing.assert_allclose(series(frame, "Revenue|Metal Exports"), [0.0] * 3 + [110e6] + [220e6] * 6)


def test_the_most_recent_step_naming_an_area_sets_its_lever(figures):
    package = Package(
        "caps", [Step(2027, relief={"coal": "400.9e6 USD/yr"}), Step(2029, relief={"coal": 1})], horizon=4
    )
    # the 2321 cap, then the ban lifted whole: less the 294 M smuggled today either way
    np.testing.assert_allclose(
        series(calc.run(package, assumptions=figures), "Revenue|Coal Exports"),
        [400.9e6 - 294e6] * 2 + [1190e6 - 294e6] * 2,
    )


def test_a_step_may_lift_resolutions(figures):
    package = Package("by-law", [Step(2027, lift=["2371"]), Step(2029, lift=["2321"])], horizon=4)
    coal = series(calc.run(package, assumptions=figures), "Revenue|Coal Exports")
    # 2371 lifted: coal back to 2321's cap; 2321 lifted too from 2029: coal open
    np.testing.assert_allclose(coal, [400.9e6 - 294e6] * 2 + [1190e6 - 294e6] * 2)


def test_the_montecarlo_mean_matches_the_expected_value(tmp_path, figures):
    """Metals are fixed here, so each draw is 220 M while in force and 0 after: the share of draws in force in
    year k is binomial with mean (1 - h)^k; over 40,000 draws its standard error is below 0.25 %, and 1 % is four
    of them."""
    package = Package("risky", [Step(2027, metals_share=1)], snapback_hazard=0.2)
    path = tmp_path / "draws.csv"
    calc.montecarlo(package, n=40_000, seed=2, assumptions=figures, draws_out=path)
    draws = calc.read_csv(path)
    revenue = draws[draws["variable"] == "Revenue|Metal Exports"].pivot(index="draw", columns="year", values="value")
    expected = series(calc.run(package, assumptions=figures), "Revenue|Metal Exports")
    np.testing.assert_allclose(revenue.mean().to_numpy(), expected, rtol=0.01, atol=220e6 * 0.01)
    # once snapped back, a draw stays back
    assert (np.diff((revenue.to_numpy() > 0).astype(int), axis=1) <= 0).all()


def test_montecarlo_quantiles_show_the_risk(figures):
    package = Package("risky", [Step(2027, metals_share=1)], snapback_hazard=0.2)
    frame = calc.montecarlo(package, n=20_000, seed=1, assumptions=figures)
    median = frame[(frame["variable"] == "Revenue|Metal Exports") & (frame["quantile"] == 0.5)]["value"].to_numpy()
    # in force with probability 0.8^k: more likely than not until k = 3 (0.512), gone from k = 4 (0.41)
    assert median[:3].tolist() == [220e6] * 3 and median[4:].tolist() == [0.0] * 6


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Package("p", [Step(2040, metals_share=1)]), "step 1: 2040- is outside the package's years"),
        (lambda: Package("p", [Step(2028, until=2027, metals_share=1)]), "until: 2027 is before the step's year 2028"),
        (lambda: Package("p", [Step(2027, metals_share=1)], snapback_hazard=1), "snapback_hazard: 1 is out of range"),
        (lambda: Package("p", [Step(2027, metals_share=1)], snapback_hazard=-0.1), "snapback_hazard: -0.1 is out"),
        (lambda: Package("p", [{"year": 2027, "colour": 1}]), "step 1: unknown key(s) 'colour'"),
        (lambda: Package("p", [{"relief": {"coal": 1}}]), "step 1: year: missing"),
        (
            lambda: Package("p", [Step(2027, relief={"coal": 1}), Step(2027, relief={"coal": 0.5})]),
            "two steps of 2027 set coal differently (1.0 and 0.5)",
        ),
        (lambda: Package("p", []), "steps: expected a list of steps"),
        (lambda: Package("p", [Step(2027)]), "step 2027: eases nothing"),
        (lambda: Package("p", [Step(2027, relief={"coal": 2})]), "step 2027: relief: coal: 2 is out of range"),
        (lambda: calc.run(Package("p", [{"year": 2028, "relief": {"cole": 1}}])), "step 2028: relief: unknown area"),
    ],
)
def test_bad_packages_are_refused_naming_the_step_and_field(make, message):
    with pytest.raises(calc.InputError) as caught:
        make()
    assert message in str(caught.value)
