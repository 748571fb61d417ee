"""Packages: relief in steps from their own years, sunsets and snapback, worked by hand."""

import numpy as np
import pandas as pd
import pytest

import calc
from calc import Package, Step
from calc.cli import main
from calc.uncertainty import mixed_quantiles


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
    # the 2321 cap in dollars, beside the 294 M smuggled today (together within the 1,190 M the mines can sell), then
    # the ban lifted whole, displacing the 294 M
    np.testing.assert_allclose(
        series(calc.run(package, assumptions=figures), "Revenue|Coal Exports"), [400.9e6] * 2 + [1190e6 - 294e6] * 2
    )


def test_a_step_may_lift_resolutions(figures):
    package = Package("by-law", [Step(2027, lift=["2371"]), Step(2029, lift=["2321"])], horizon=4)
    coal = series(calc.run(package, assumptions=figures), "Revenue|Coal Exports")
    # 2371 lifted: coal back to 2321's cap, whichever is lower, 7.5 Mt x 53 = 397.5 M; 2321 lifted too from 2029:
    # coal open
    np.testing.assert_allclose(coal, [397.5e6] * 2 + [1190e6 - 294e6] * 2)


def test_the_montecarlo_mean_matches_the_expected_value(figures):
    """Metals are fixed here, so each draw is 220 M while in force and 0 after: the share of draws in force in
    year k is binomial with mean (1 - h)^k; over 40,000 draws its standard error is below 0.25 %, and 1 % is four
    of them. The draws are those montecarlo draws (its snapback stream for the seed), taken from the engine rather
    than from a written file of 24 million rows (the export of draws has tests of its own)."""
    package = Package("risky", [Step(2027, metals_share=1)], snapback_hazard=0.2)
    u = calc.engine.snapback_draws(2, 40_000)
    revenue = calc.engine.drawn(package, figures.central(), figures.areas, u)["Revenue|Metal Exports"]
    expected = series(calc.run(package, assumptions=figures), "Revenue|Metal Exports")
    np.testing.assert_allclose(revenue.mean(axis=0), expected, rtol=0.01, atol=220e6 * 0.01)
    # once snapped back, a draw stays back
    assert (np.diff((revenue > 0).astype(int), axis=1) <= 0).all()


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
            "two steps of 2027 set coal differently (1.0 against 0.5, lifts included)",
        ),
        (  # lifting 2371 puts coal under 2321's cap: a step beside it lifting coal whole conflicts
            lambda: Package("p", [Step(2027, lift=["2371"]), Step(2027, relief={"coal": 1})]),
            "two steps of 2027 set coal differently (400870018 USD/yr or 7500000 t/yr against 1.0, lifts included)",
        ),
        (lambda: Package("p", [Step(2027, metals_share=1)], snapback_hazard="ten"), "snapback_hazard: cannot read"),
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


def test_packages_in_scenario_files_and_on_the_command_line(write, capsys, tmp_path):
    path = write(
        "deal.toml",
        """
        [deal]
        snapback_hazard = 0.2
        note = "coal and textiles for two years, metals after"

        [[deal.steps]]
        year = 2027
        until = 2028
        relief = { coal = 1, textiles = 1 }

        [[deal.steps]]
        year = 2029
        metals_share = 1
        """,
    )
    (deal,) = calc.load_scenarios(path)
    assert isinstance(deal, Package) and [step.year for step in deal.steps] == [2027, 2029]
    assert calc.Package(**deal.to_dict()) == deal
    out = tmp_path / "deal.csv"
    assert main(["run", str(path), "--out", str(out)]) == 0
    pd.testing.assert_frame_equal(calc.rerun(out), calc.run(deal))
    package = calc.read_csv(out).attrs["sanctions_relief"]["scenarios"][0]
    assert package["steps"][0] == {"year": 2027, "until": 2028, "relief": {"coal": 1.0, "textiles": 1.0}}
    # a lever for an area the package eases sets it in the steps that ease it; one for an area it never eases, or a
    # resolution lifted, is refused
    capsys.readouterr()
    assert main(["run", str(path), "--relief", "coal=0.5"]) == 0
    assert "deal (changed: relief coal)" in capsys.readouterr().out
    assert main(["run", str(path), "--relief", "seafood=0.5"]) == 2
    assert "package 'deal': none of its steps eases seafood" in capsys.readouterr().err
    assert main(["run", str(path), "--lift", "2371"]) == 2
    assert "--lift: package 'deal' eases in steps" in capsys.readouterr().err
    with pytest.raises(calc.InputError, match=r"bad\.toml: package .deal.: unknown key\(s\) .snapback."):
        calc.load_scenarios(
            write("bad.toml", "[deal]\nsnapback = 0.2\n[[deal.steps]]\nyear = 2027\nmetals_share = 1\n")
        )


def test_the_table_gives_the_present_value_lost_to_snapback(figures):
    """Metals alone (220 M), hazard 0.2, five years at 5 %: expected present value sum of 220 x (0.8 / 1.05)^k,
    against 220 x sum of 1 / 1.05^k had it held."""
    package = Package("risky", [Step(2027, metals_share=1)], horizon=5, snapback_hazard=0.2)
    cells = calc.table(calc.run(package, assumptions=figures))
    k = np.arange(5)
    held, kept = (220 / 1.05**k).sum(), (220 * (0.8 / 1.05) ** k).sum()
    assert cells.loc["Hard currency earned, present value (USD M)", "risky"] == f"{kept:,.1f}"
    assert (
        cells.loc["Hard currency earned, present value lost to snapback, expected (%)", "risky"]
        == f"{100 * (1 - kept / held):.1f}"
    )
    assert cells.loc["Chance the relief is still in force (snapback) (%)", "risky"] == f"{100 * 0.8**4:.1f}"
    plain = calc.Scenario("plain", metals_share=1, horizon=5)
    table = calc.summary(calc.run([package, plain], assumptions=figures)).set_index(["scenario", "variable"])
    assert table.loc[("risky", "Revenue"), "present_value"] == pytest.approx(kept * 1e6)
    assert table.loc[("risky", "Revenue"), "expected_loss"] == pytest.approx(100 * (1 - kept / held))
    assert table.loc[("plain", "Revenue"), "expected_loss"] == 0.0  # a scenario never snaps back
    assert np.isnan(
        table.loc[("risky", "Fuel|Refined Petroleum|Additional Legal Imports"), "expected_loss"]
    )  # not money


def test_solve_finds_the_hazard_that_makes_a_package_worth_a_target(figures):
    package = Package("risky", [Step(2027, metals_share=1)], horizon=5)
    # 220 M a year x (1 + q + q^2 + q^3 + q^4) = 660 M over five years: q = 1 - h solves q + q^2 + q^3 + q^4 = 2
    hazard = calc.solve(package, "snapback_hazard", "revenue", "660e6 USD", assumptions=figures)
    q = 1 - hazard
    assert q + q**2 + q**3 + q**4 == pytest.approx(2.0, abs=1e-9)
    with pytest.raises(calc.InputError, match="snapback_hazard is a package's"):
        calc.solve("metals-only", "snapback_hazard", "revenue", "660e6 USD")
    # a share lever against a total over the horizon too: half the metals ban lifted earns 110 M x 10 years
    assert calc.solve("metals-only", "metals_share", "revenue", "1.1e9 USD", assumptions=figures) == pytest.approx(0.5)


def test_the_presets_include_packages():
    # the July 2019 idea as reported (a suspension of 12-18 months, two whole years here) and renewed (a judgement)
    literal, renewed = calc.preset("us-idea-2019"), calc.preset("us-idea-2019-renewed")
    assert [(step.year, step.until) for step in literal.steps] == [(2027, 2028)]
    assert [(step.year, step.until) for step in renewed.steps] == [(2027, 2028), (2029, None)]
    assert "judgement" in renewed.note
    assert literal.snapback_hazard == renewed.snapback_hazard == "assumed"
    assert calc.preset("imports-first-sequence").horizon == 15 and "jcpoa-sequence" not in calc.presets()
    coal = calc.run("us-idea-2019")
    assert (coal[coal["variable"] == "Revenue|Coal Exports"]["value"].to_numpy()[2:] == 0).all()  # it ends
    frame = calc.run("imports-first-sequence")
    earned = frame[frame["variable"] == "Revenue|Coal Exports"]["value"].to_numpy()
    assert (earned[:5] == 0).all() and (earned[5:] > 0).all()  # coal last, from 2032


def test_a_step_lifts_a_cap(figures):
    package = Package(
        "fuel", [Step(2027, petroleum_cap="2000000 bbl/yr"), Step(2029, petroleum_cap="lifted")], horizon=3
    )
    added = series(calc.run(package, assumptions=figures), "Fuel|Refined Petroleum|Additional Legal Imports")
    # 2,000,000 - 500,000; then up to the 4,500,000 imported in 2016
    np.testing.assert_allclose(added, [1.5e6, 1.5e6, 4e6])
    assert package.steps[1].to_dict() == {"year": 2029, "petroleum_cap": "lifted"}


@pytest.mark.parametrize("base", [1.0, "per draw"])
def test_mixed_quantiles_are_those_of_the_drawn_mixture(base):
    """The quantiles of a value x kept with probability k, else the base, against a mixture drawn explicitly: on
    50,000 draws, each quantile of the drawn sample lies within the mixture's quantiles one per cent either side
    (the sampling error of a quantile is a fraction of that)."""
    rng = np.random.default_rng(7)
    x = rng.lognormal(size=50_000)
    b = 1.0 if base == 1.0 else rng.normal(1.0, 0.3, size=50_000)  # 1: the median of x, mixed into its middle
    kept, levels = np.array([1.0, 0.8, 0.5, 0.3, 0.0]), np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    mixed = mixed_quantiles(x, b, kept, levels)
    for column, share in enumerate(kept):
        drawn_mixture = np.where(rng.random(50_000) < share, x, b)
        lower = mixed_quantiles(x, b, np.array([share]), np.clip(levels - 0.01, 0, 1))[:, 0]
        upper = mixed_quantiles(x, b, np.array([share]), np.clip(levels + 0.01, 0, 1))[:, 0]
        sample = np.quantile(drawn_mixture, levels)
        assert ((lower <= sample) & (sample <= upper)).all(), (share, lower, sample, upper)
        assert (lower <= mixed[:, column]).all() and (mixed[:, column] <= upper).all()
    if base == 1.0:  # at k = 1 the quantiles are numpy's; at k = 0 the base
        np.testing.assert_allclose(mixed[:, 0], np.quantile(x, levels))
        assert (mixed[:, -1] == 1.0).all()


def test_a_share_that_snapback_leaves_whole_stays_exactly_whole(figures):
    """imports-first-sequence unlocks imports in 2027 with nothing earned: the budget is the 540 M of other hard
    currency and the 15 M saved by the legal fuel that replaces smuggled fuel (0.75 M bbl x 100 USD x 0.2, bought
    first), against 1,080 M of capital goods (1,200 M x 0.9) and 75 M of fuel that adds supply (0.75 M bbl x 100
    USD), so it buys 555 / 1,155 of them; in 2028 the expected share is 100 - 0.9 x (100 - that), the relief in
    force with probability 0.9. From 2029 exports pay for all of it, in force or snapped back: the share is 100
    exactly, not 99.99999 (which the report printed as "the budget buys 100.0 % of them")."""
    frame = calc.run("imports-first-sequence", assumptions=figures)
    bought = series(frame, "Budget|Share Bought")
    assert bought[:2] == pytest.approx([100 * 555 / 1155, 100 - 0.9 * (100 - 100 * 555 / 1155)])
    assert (bought[2:] == 100.0).all()


def test_a_renewed_step_continues_its_ramp_and_a_wider_one_ramps_what_it_adds(figures):
    textiles = "Revenue|Textile Exports"  # 752 M x 0.5 net foreign exchange = 376 M a year lifted in full

    def path(*steps, ramp_years):
        return series(
            calc.run(Package("p", list(steps), horizon=4, ramp_years=ramp_years), assumptions=figures), textiles
        )

    # the suspension renewed in 2029 at the same lever goes on ramping from 2027: thirds, then whole
    renewed = path(Step(2027, until=2028, relief={"textiles": 1}), Step(2029, relief={"textiles": 1}), ramp_years=3)
    np.testing.assert_allclose(renewed, [376e6 / 3, 376e6 * 2 / 3, 376e6, 376e6])
    # half lifted from 2027 over two years (94, 188), the other half added in 2029 ramps from 2029 (188 + 94)
    widened = path(Step(2027, relief={"textiles": 0.5}), Step(2029, relief={"textiles": 1}), ramp_years=2)
    np.testing.assert_allclose(widened, [94e6, 188e6, 282e6, 376e6])
    # lifted in full over four years (a quarter, a half), then cut back to half in 2029: the half kept goes on
    # ramping from 2027 (3/4 of 188 in 2029), the half taken back goes at once
    narrowed = path(Step(2027, relief={"textiles": 1}), Step(2029, relief={"textiles": 0.5}), ramp_years=4)
    np.testing.assert_allclose(narrowed, [94e6, 188e6, 141e6, 188e6])


def test_a_cap_raised_again_ramps_the_barrels_it_adds_in_every_draw(figures):
    package = Package(
        "fuel",
        [Step(2027, petroleum_cap="2000000 bbl/yr"), Step(2029, petroleum_cap="lifted")],
        horizon=4,
        ramp_years=2,
    )
    added = "Fuel|Refined Petroleum|Additional Legal Imports"
    # 1.5 M bbl (2 M - 0.5 M) from 2027 over two years; lifted in 2029, the cap adds 4.5 M - 2 M = 2.5 M more, over
    # two years from 2029: 0.75, 1.5, 1.5 + 1.25, 4 M bbl
    np.testing.assert_allclose(series(calc.run(package, assumptions=figures), added), [0.75e6, 1.5e6, 2.75e6, 4e6])
    # with the demand ceiling drawn at 4 M and 5 M, what lifting adds is 2 M and 3 M: half of it in 2029
    p = figures.central() | {"petroleum.pre_sanction_imports": np.array([[4e6], [5e6]])}
    drawn = calc.engine.yearly(package, p, figures.areas)[added]
    np.testing.assert_allclose(drawn, [[0.75e6, 1.5e6, 2.5e6, 3.5e6], [0.75e6, 1.5e6, 3.0e6, 4.5e6]])


def test_steps_listed_out_of_year_order_apply_by_year(figures):
    # the later step (2029, coal lifted whole) is listed first: from 2029 it is still the most recent
    package = Package("backwards", [Step(2029, relief={"coal": 1}), Step(2027, relief={"coal": 0.5})], horizon=4)
    # half of coal: 595 M legal, the 294 M smuggled kept apart (legal and evading together stay below 1,190 M)
    coal = series(calc.run(package, assumptions=figures), "Revenue|Coal Exports")
    np.testing.assert_allclose(coal, [coal[0]] * 2 + [1190e6 - 294e6] * 2)
    assert coal[0] < coal[2]


def test_snapback_is_drawn_apart_from_every_parameter(shipped):
    """The snapback draws come from a stream of their own: independent of the parameters' draws (which come from
    the seed's own stream), so a package's quantiles do not shift with the parameters."""
    n = 100_000
    u = calc.engine.snapback_draws(1, n).ravel()
    parameters = calc.uncertainty._uniforms(n, len(calc.uncertainty.sampled_names(shipped)), 1, "random")
    # correlation of independent uniforms over 100,000 draws: standard error 1 / sqrt(n) = 0.003
    assert max(abs(np.corrcoef(u, row)[0, 1]) for row in parameters) < 0.02
    assert 0.49 < u.mean() < 0.51


def test_steps_of_one_year_that_lift_resolutions_together_combine(figures):
    # 2371 and 2321 lifted by two steps of one year: coal is open (neither is left to cap or ban it)
    package = Package("two-lifts", [Step(2027, lift=["2371"]), Step(2027, lift=["2321"])], horizon=2)
    np.testing.assert_allclose(series(calc.run(package, assumptions=figures), "Revenue|Coal Exports"), [896e6] * 2)
    # a hazard is a share like any other: "10 %" is 0.1
    assert Package("p", [Step(2027, metals_share=1)], snapback_hazard="10 %").snapback_hazard == pytest.approx(0.1)
