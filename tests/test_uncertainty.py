import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calc
from calc import uncertainty

from conftest import in_units, require


def level(frame, variable, q, scenario=None):
    rows = frame[(frame["variable"] == variable) & (frame["quantile"] == q)]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    return rows["value"].to_numpy()


def test_layout_and_record():
    frame = calc.montecarlo("article-demands", n=2000, seed=7)
    assert list(frame.columns) == ["model", "scenario", "region", "variable", "unit", "year", "quantile", "value"]
    assert sorted(set(frame["quantile"])) == [0.05, 0.5, 0.95]
    # every variable in every year, and the present value of the three headline measures at the first year
    assert len(frame) == (len(calc.VARIABLES) * 10 + 3) * 3
    present = frame[frame["variable"].str.startswith("Present Value|")]
    assert set(present["variable"]) == {
        "Present Value|Revenue",
        "Present Value|Imports Unlocked",
        "Present Value|Hard Currency|Net",
    }
    assert set(present["year"]) == {2027} and set(present["unit"]) == {"USD"}
    record = frame.attrs["sanctions_relief"]["montecarlo"]
    assert (record["n"], record["seed"], record["sampler"]) == (2000, 7, "random")
    assert "metals.pre_sanction_exports" in record["sampled"] and "petroleum.legal_cap" not in record["sampled"]


def test_same_seed_same_numbers_and_other_seeds_differ():
    first = calc.montecarlo("article-demands", n=5000, seed=3)
    pd.testing.assert_frame_equal(first, calc.montecarlo("article-demands", n=5000, seed=3))
    other = calc.montecarlo("article-demands", n=5000, seed=4)
    assert not np.array_equal(first["value"], other["value"])


def test_quantiles_are_those_of_the_distribution_worked_by_hand(shipped):
    """Only the metals baseline varies (triangular on 185 / 220 / 464 M), so metal revenue is that baseline and
    its quantiles are the triangular distribution's: with a = 185, c = 220, b = 464 and F(c) = 35 / 279 = 0.125,
    q < F(c): a + sqrt(q (b - a)(c - a)); q > F(c): b - sqrt((1 - q)(b - a)(b - c))."""
    fixed = {f"metals.{name}": shipped[f"metals.{name}"].value for name in ("price_index", "capacity_share")}
    only_baseline = shipped.override(fixed | {"metals.already_smuggled_share": 0.0})
    frame = calc.montecarlo("metals-only", n=200_000, seed=5, assumptions=only_baseline)
    expected = {
        0.05: 185 + (0.05 * 279 * 35) ** 0.5,  # 207.1 M
        0.5: 464 - (0.5 * 279 * 244) ** 0.5,  # 279.5 M
        0.95: 464 - (0.05 * 279 * 244) ** 0.5,  # 405.7 M
    }
    for q, millions in expected.items():
        # the standard error of a sample quantile is below 0.1 % here (n = 200,000); 0.5 % is five of them
        assert level(frame, "Revenue|Metal Exports", q) == pytest.approx(millions * 1e6, rel=5e-3), q


def test_fixed_parameter_has_no_spread(shipped):
    fixed = shipped.override(
        {
            name: 2.0 if name == "metals.price_index" else calc.ureg.Quantity(shipped[name].value, shipped[name].unit)
            for name in shipped
            if name.startswith("metals.")
        }
    )
    frame = calc.montecarlo("article-demands", n=3000, seed=1, assumptions=fixed)
    revenue = frame[frame["variable"] == "Revenue|Metal Exports"]["value"]
    # exports x 1 (share) x capacity x 2.0 x (1 - smuggled), each fixed at its value
    central = fixed.central()
    assert (
        revenue
        == central["metals.pre_sanction_exports"]
        * central["metals.capacity_share"]
        * 2.0
        * (1 - central["metals.already_smuggled_share"])
    ).all()
    assert level(frame, "Expenditure|Luxury Imports", 0.05)[0] < level(frame, "Expenditure|Luxury Imports", 0.95)[0]


def test_collapsed_ranges_give_the_deterministic_result(shipped):
    collapsed = shipped.override(in_units(shipped, {name: shipped[name].value for name in shipped}))
    names = ["article-demands", "hanoi-2019", calc.Scenario(name="ramp", metals_share=0.5, ramp_years=3)]
    deterministic = calc.run(names, assumptions=collapsed)
    frame = calc.montecarlo(names, n=100, seed=1, assumptions=collapsed)
    yearly = frame[~frame["variable"].str.startswith("Present Value|")]
    summary = calc.summary(deterministic).set_index(["scenario", "variable"])
    for q in (0.05, 0.5, 0.95):
        at_level = yearly[yearly["quantile"] == q].drop(columns="quantile").reset_index(drop=True)
        np.testing.assert_array_equal(at_level["value"].to_numpy(), deterministic["value"].to_numpy())
        assert at_level["variable"].tolist() == deterministic["variable"].tolist()
        # every draw's present value is the run's
        present = frame[(frame["quantile"] == q) & frame["variable"].str.startswith("Present Value|")]
        for row in present.itertuples():
            measure = row.variable.removeprefix("Present Value|")
            assert row.value == pytest.approx(summary.loc[(row.scenario, measure), "present_value"], rel=1e-12)


def test_ramp_years_follow_the_ramp(shipped):
    scenario = calc.Scenario(name="ramp", metals_share=1.0, ramp_years=4, horizon=6)
    none_smuggled = shipped.override({"metals.already_smuggled_share": 0.0})
    median = level(calc.montecarlo(scenario, n=20_000, seed=2, assumptions=none_smuggled), "Revenue|Metal Exports", 0.5)
    # with nothing smuggled to displace, metals revenue is linear in the ramp: the median scales with 1/4, 2/4, 3/4,
    # 1, 1, 1
    np.testing.assert_allclose(median, median[-1] * np.array([0.25, 0.5, 0.75, 1, 1, 1]), rtol=1e-12)


def test_inverse_cdf_of_the_triangle():
    # F(mode) = (mode - low) / (high - low): 185..220..464 puts 35/279 of the mass left of the mode
    u = np.array([0.0, 35 / 279, 0.5, 1.0])
    values = uncertainty.inverse_cdf(u, 185.0, 220.0, 464.0, "triangular")
    assert values[0] == 185.0 and values[1] == pytest.approx(220.0) and values[3] == 464.0
    # median of the right branch: 464 - sqrt(0.5 x 279 x 244)
    assert values[2] == pytest.approx(464 - np.sqrt(0.5 * 279 * 244))
    assert uncertainty.inverse_cdf(np.array([0.25]), 0.0, 0.5, 2.0, "uniform")[0] == 0.5


def test_a_central_weight_puts_that_much_probability_on_the_central_value():
    # low 0, mode 1, high 2, weight 0.5: a = 0.5 x F(1) = 0.25 below the mode, the mode from u = 0.25 to 0.75;
    # u = 0.1 -> F^-1(0.2) = sqrt(0.2 x 2 x 1); u = 0.9 -> F^-1(0.8) = 2 - sqrt(0.2 x 2 x 1)
    u = np.array([0.1, 0.25, 0.5, 0.7499, 0.9])
    values = uncertainty.inverse_cdf(u, 0.0, 1.0, 2.0, "triangular", central_weight=0.5)
    np.testing.assert_allclose(values, [0.4**0.5, 1.0, 1.0, 1.0, 2 - 0.4**0.5])


def test_lifting_the_crude_cap_adds_nothing_in_the_median_draw():
    # the pipeline stays at 3.8 M bbl in 60 % of draws (crude_oil.pre_sanction_imports, central_weight 0.6), below
    # the 4 M bbl cap; beyond it only if the refinery restarts
    frame = calc.montecarlo("crude-oil-lifted", n=20_000, seed=3)
    added = level(frame, "Fuel|Crude Oil|Additional Legal Imports", 0.5)
    assert (added == 0).all() and (level(frame, "Fuel|Crude Oil|Additional Legal Imports", 0.95) > 0).all()


def test_sample_means_match_the_distributions(shipped):
    p = uncertainty.sample(shipped, 400_000, seed=5, sampler="random")
    # triangular mean (low + mode + high) / 3 = (185e6 + 220e6 + 464e6) / 3
    assert p["metals.pre_sanction_exports"].mean() == pytest.approx((185e6 + 220e6 + 464e6) / 3, rel=2e-3)
    assert p["metals.pre_sanction_exports"].shape == (400_000, 1)
    assert p["petroleum.legal_cap"] == 500_000  # low == high: fixed, not sampled


def test_uniform_distribution_from_a_file(write):
    path = write(
        "u.toml",
        """
        [petroleum.price]
        value = 100
        unit = "USD/bbl"
        low = 80
        high = 140
        year = 2024
        source = "test"
        distribution = "uniform"
        """,
    )
    draws = uncertainty.sample(calc.load_assumptions(path), 200_000, 1)["petroleum.price"]
    assert draws.min() >= 80 and draws.max() < 140
    assert draws.mean() == pytest.approx(110, rel=2e-3)  # the midpoint, not (80 + 100 + 140) / 3


def test_latin_hypercube_fills_every_stratum_and_reproduces(shipped):
    n = 1000
    p = uncertainty.sample(shipped, n, seed=9, sampler="lhs")
    low, mode, high = shipped.ranges()["metals.price_index"]
    u = np.sort(np.linspace(0, 1, n, endpoint=False))
    edges = uncertainty.inverse_cdf(u, low, mode, high, "triangular")
    counts = np.histogram(p["metals.price_index"][:, 0], bins=[*edges, high])[0]
    assert (counts == 1).all()
    frame = calc.montecarlo("article-demands", n=n, seed=9, sampler="lhs")
    pd.testing.assert_frame_equal(frame, calc.montecarlo("article-demands", n=n, seed=9, sampler="lhs"))


def test_raw_draws_match_the_quantiles(tmp_path):
    path = tmp_path / "draws.csv"
    frame = calc.montecarlo("article-demands", n=1001, seed=11, draws_out=path)
    draws = calc.read_csv(path)
    assert list(draws.columns) == ["model", "scenario", "region", "variable", "unit", "year", "draw", "value"]
    sampled = frame.attrs["sanctions_relief"]["montecarlo"]["sampled"]
    assert len(draws) == 1001 * (len(sampled) + len(calc.VARIABLES) * 10)
    net = draws[(draws["variable"] == "Hard Currency|Net") & (draws["year"] == 2030)]["value"]
    assert np.median(net) == pytest.approx(level(frame, "Hard Currency|Net", 0.5)[3], rel=1e-12)
    exports = draws[draws["variable"] == "Assumption|metals.pre_sanction_exports"]
    revenue = draws[(draws["variable"] == "Revenue|Metal Exports") & (draws["year"] == 2027)]
    # draw by draw: revenue = exports x price index x (capacity - smuggled share), what exceeds the trade
    # smuggled today; all four written for each draw
    factors = [
        draws[draws["variable"] == f"Assumption|metals.{name}"]["value"].to_numpy()
        for name in ("capacity_share", "price_index", "already_smuggled_share")
    ]
    expected = exports["value"].to_numpy() * factors[1] * np.maximum(0.0, factors[0] - factors[2])
    np.testing.assert_allclose(revenue["value"].to_numpy(), expected, rtol=1e-12)


def test_tornado_for_metals_revenue_by_hand():
    table = calc.tornado("metals-only", "Revenue|Metal Exports")
    # swings: exports (464 - 185) x 1 = 279 M; price index (1.9 - 0.9) x 220 = 220 M;
    # capacity (1 - 0.5) x 220 = 110 M; already smuggled 0.3 x 220 = 66 M; every other parameter 0
    assert table["parameter"].tolist()[:4] == [
        "metals.pre_sanction_exports",
        "metals.price_index",
        "metals.capacity_share",
        "metals.already_smuggled_share",
    ]
    assert table["swing"].tolist()[:4] == pytest.approx([279e6, 220e6, 110e6, 66e6])
    assert (table["swing"].iloc[4:] == 0).all()
    assert table["result_central"].iloc[0] == 220e6
    first = table.iloc[0]
    assert (first["result_at_low"], first["result_at_high"]) == (185e6, 464e6)


def test_tornado_year_and_errors():
    ramped = calc.Scenario(name="r", metals_share=1.0, ramp_years=2)
    first_year = calc.tornado(ramped, "Revenue|Metal Exports", year=2027)
    assert first_year["result_central"].iloc[0] == 110e6  # half the effect in the first ramp year
    with pytest.raises(calc.InputError, match="year: 2050 is outside scenario 'r'; accepted: 2027 to 2036"):
        calc.tornado(ramped, year=2050)
    with pytest.raises(calc.InputError, match=r"variable: 'Revenue\|Iron' is not known"):
        calc.tornado(ramped, "Revenue|Iron")
    with pytest.raises(calc.InputError, match="one scenario at a time"):
        calc.tornado(["status-quo", "article-demands"])


def test_sobol_ranks_the_export_baseline_first_for_metals():
    require("SALib")
    table = calc.sobol("metals-only", "Revenue|Metal Exports", n=512, seed=1)
    assert table["parameter"].iloc[0] == "metals.pre_sanction_exports"
    assert table.set_index("parameter").loc["luxury.blocked_share", "ST"] == 0
    assert table["ST"].iloc[0] > 0.2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n: 0 draws is out of range; accepted: 1 to"),
        ({"n": 2.5}, "n: expected a whole number of draws, got 2.5"),
        ({"n": "many"}, "n: expected a whole number of draws"),
        ({"n": 10**12}, "n: 1000000000000 draws is out of range"),
        ({"n": 10**400}, "n: a 401-digit number of draws is out of range; accepted: 1 to 50,000,000"),
        ({"n": 1e9}, "n: 1000000000 draws is out of range"),
        ({"quantiles": [0.5, 1.5]}, "quantiles: 1.5 is not a level between 0 and 1"),
        ({"quantiles": []}, "quantiles: expected a list of levels"),
        ({"quantiles": "0.5"}, "quantiles: expected a list of levels"),
        ({"quantiles": [0.5, 0.5]}, "repeats a level"),
        ({"quantiles": [float("nan")]}, "quantiles: nan is not a level"),
        ({"sampler": "sobol"}, "sampler: 'sobol' is not known; accepted: random, lhs"),
        ({"seed": -1}, "seed: expected a whole number from 0"),
        ({"seed": "x"}, "seed: expected a whole number"),
        ({"draws_out": "draws.txt"}, "must end in .csv"),
    ],
)
def test_bad_montecarlo_input(kwargs, message):
    with pytest.raises(calc.InputError) as caught:
        calc.montecarlo("article-demands", **{"n": 10, "seed": 1, **kwargs})
    assert message in str(caught.value)


def test_draw_count_too_large_for_memory_is_refused_up_front(monkeypatch):
    pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 1 << 18}  # a 1 GiB machine
    monkeypatch.setattr(uncertainty.os, "sysconf", pages.__getitem__)
    with pytest.raises(calc.InputError, match=r"n: 5,000,000 draws need about .* GiB, more than half"):
        calc.montecarlo("article-demands", n=5_000_000, seed=1)


def test_no_seed_draws_one_and_records_it():
    frame = calc.montecarlo("article-demands", n=100)
    seed = frame.attrs["sanctions_relief"]["montecarlo"]["seed"]
    pd.testing.assert_frame_equal(frame, calc.montecarlo("article-demands", n=100, seed=seed))


def test_unseeded_runs_draw_different_seeds_and_record_them():
    first = calc.montecarlo("metals-only", n=200)
    second = calc.montecarlo("metals-only", n=200)
    seeds = [frame.attrs["sanctions_relief"]["montecarlo"]["seed"] for frame in (first, second)]
    assert seeds[0] != seeds[1] and all(isinstance(seed, int) for seed in seeds)
    assert not np.array_equal(first["value"].to_numpy(), second["value"].to_numpy())
    pd.testing.assert_frame_equal(calc.rerun(first), first)  # the recorded seed reproduces it


NONE_SMUGGLED = calc.load_assumptions().override({"metals.already_smuggled_share": 0.0})


@settings(deadline=None, max_examples=40)
@given(
    metals=st.floats(0, 1, allow_subnormal=False),
    luxury=st.floats(0, 1, allow_subnormal=False),
    ramp_years=st.integers(0, 5),
    horizon=st.integers(1, 6),
    seed=st.integers(0, 2**32),
)
def test_quantiles_scale_with_the_lever_and_the_ramp(metals, luxury, ramp_years, horizon, seed):
    """With nothing smuggled to displace, metal revenue is linear in share x ramp, and so are the luxury imports
    unlocked; a positive factor keeps the order of the draws, so every quantile of a scenario is share x ramp(k)
    times the quantile of the fully eased scenario on the same draws (same seed)."""
    scenario = calc.Scenario(name="h", metals_share=metals, luxury_share=luxury, ramp_years=ramp_years, horizon=horizon)
    full = calc.Scenario(name="full", metals_share=1, luxury_share=1, horizon=horizon)
    frame = calc.montecarlo([scenario, full], n=200, seed=seed, assumptions=NONE_SMUGGLED)
    ramp = np.minimum(1.0, (np.arange(horizon) + 1.0) / ramp_years) if ramp_years else np.ones(horizon)
    for variable, share in (("Revenue|Metal Exports", metals), ("Imports Unlocked|Luxury Imports", luxury)):
        for q in (0.05, 0.5, 0.95):
            mine = level(frame[frame["scenario"] == "h"], variable, q)
            reference = level(frame[frame["scenario"] == "full"], variable, q)
            np.testing.assert_allclose(mine, share * ramp * reference, rtol=1e-9, atol=1e-3)


def test_progress_is_reported_per_scenario_and_per_chunk_of_draws(tmp_path, monkeypatch):
    monkeypatch.setattr(uncertainty, "DRAW_CHUNK", 40)
    calls = []
    calc.montecarlo(
        ["article-demands", "hanoi-2019"],
        n=100,
        seed=1,
        draws_out=tmp_path / "d.csv",
        progress=lambda done, total: calls.append((done, total)),
    )
    # two scenarios, then 2 x ceil(100 / 40) = 6 chunks of draws
    assert calls == [(1, 2), (2, 2), (1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]


def test_a_draws_export_that_fails_midway_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        yield from ()
        raise MemoryError("simulated")

    monkeypatch.setattr(uncertainty, "_draw_tables", broken)
    with pytest.raises(MemoryError):
        calc.montecarlo("article-demands", n=10, seed=1, draws_out=tmp_path / "draws.csv")
    assert list(tmp_path.iterdir()) == []


def test_the_budget_is_checked_draw_by_draw(figures):
    """Two draws of the 2397 capital-goods relief (1.2 bn x 0.9 = 1,080 M of imports unlocked, nothing earned): one
    with no other hard currency buys none of it, one with 10 bn buys all of it."""
    p = figures.central() | {"context.other_hard_currency": np.array([[0.0], [10e9]])}
    drawn = calc.engine.yearly(calc.preset("capital-goods-only"), p, figures.areas)
    np.testing.assert_allclose(drawn["Expenditure|Capital Goods Imports"][:, -1], [0.0, 1080e6])
    np.testing.assert_allclose(drawn["Budget|Share Bought"][:, -1], [0.0, 100.0])
    np.testing.assert_allclose(drawn["Imports Unlocked|Capital Goods Imports"][:, -1], [1080e6, 1080e6])
