"""Scenario discovery (calc.discover): a condition on one parameter alone, worked out by hand; inputs refused."""

import json

import numpy as np
import pytest

import calc
from calc import uncertainty
from calc.cli import main
from calc.discovery import trajectory

from conftest import require

METALS_ONLY = {"metals.price_index": 1.0, "metals.capacity_share": 1.0, "metals.already_smuggled_share": 0.0}


def triangular_above(x, low, mode, high):
    """P(X > x) for a triangular distribution on low, mode, high (the sampler's default)."""
    x = np.clip(x, low, high)
    if x >= mode:
        return (high - x) ** 2 / ((high - low) * (high - mode))
    return 1 - (x - low) ** 2 / ((high - low) * (mode - low))


@pytest.fixture(scope="module")
def metals_only(shipped):
    """The shipped ranges, with metal revenue depending on the pre-sanction exports alone (the other metals
    parameters fixed at their values); every other area's parameters keep their ranges."""
    return shipped.override(METALS_ONLY)


@pytest.fixture(scope="module")
def boxes(metals_only):
    require("prim")
    return calc.discover(
        "article-demands", "Revenue|Metal Exports", "> 300e6 USD/yr", n=20_000, seed=3, assumptions=metals_only
    )


def test_a_condition_on_one_parameter_finds_a_box_on_that_parameter_alone(boxes, metals_only):
    n = 20_000
    first = boxes[boxes["box"] == 1]
    kept = first[first["restricted"]]
    assert list(kept["parameter"]) == ["metals.pre_sanction_exports"]
    assert not first[first["parameter"] != "metals.pre_sanction_exports"]["restricted"].any()
    # article-demands lifts the metals ban whole: revenue = exports x 1 x 1 x 1 x (1 - 0), so the condition is
    # exports > 300e6. With the triangular distribution of the exports, the box [a, b] has
    #   mass = P(a <= X <= b); coverage = P(max(a, 300e6) < X <= b) / P(X > 300e6); density = that / mass.
    parameter = metals_only["metals.pre_sanction_exports"]
    low, mode, high = parameter.low, parameter.value, parameter.high
    row = kept.iloc[0]
    assert row["unit"] == "USD/yr"
    assert low <= row["low"] <= 300e6 and row["high"] == row["sampled_high"]

    def above(x):
        return triangular_above(x, low, mode, high)

    mass = above(row["low"]) - above(row["high"])
    inside = above(max(row["low"], 300e6)) - above(row["high"])
    coverage, density = inside / above(300e6), inside / mass
    holds = above(300e6) * n
    assert row["mass"] == pytest.approx(mass, abs=4 * np.sqrt(mass * (1 - mass) / n))
    assert row["density"] == pytest.approx(density, abs=4 * np.sqrt(density * (1 - density) / (mass * n)))
    assert row["coverage"] == pytest.approx(coverage, abs=4 * np.sqrt(max(coverage * (1 - coverage), 1e-4) / holds))
    assert row["density"] >= 0.8  # the step reported is dense enough
    record = boxes.attrs["sanctions_relief"]["discover"]
    assert record["holds"] == pytest.approx(holds, abs=4 * np.sqrt(holds * (1 - above(300e6))))


def test_the_trajectory_starts_from_every_draw(boxes):
    steps = trajectory(boxes)
    record = boxes.attrs["sanctions_relief"]["discover"]
    start = steps[(steps["box"] == 1) & (steps["step"] == 0)].iloc[0]
    # before any peeling the box is the whole sample: it holds every draw where the condition holds
    assert start["mass"] == 1.0 and start["coverage"] == 1.0
    assert start["density"] == pytest.approx(record["holds"] / record["n"], rel=1e-12)
    assert steps["chosen"].sum() == boxes["box"].nunique()


def test_a_total_over_the_horizon_is_ten_years_of_the_steady_state(metals_only):
    require("prim")
    # no ramp: each of the ten years earns the same, so total > 3,000 M USD holds exactly where a year > 300 M does
    yearly = calc.discover(
        "article-demands", "Revenue|Metal Exports", "> 300e6 USD/yr", n=2_000, assumptions=metals_only
    )
    total = calc.discover(
        "article-demands", "Revenue|Metal Exports", "> 3e9 USD", n=2_000, year="total", assumptions=metals_only
    )
    assert total.attrs["sanctions_relief"]["discover"]["holds"] == yearly.attrs["sanctions_relief"]["discover"]["holds"]
    assert total.attrs["sanctions_relief"]["discover"]["unit"] == "USD"


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("500e6 USD/yr", "condition: expected a comparison and a quantity, e.g. '> 500e6 USD/yr'"),
        ("=> 500e6 USD/yr", "condition: expected a comparison"),
        ("> 500e6", "condition: '500e6' has no unit; write it with one, e.g. '500e6 USD/yr'"),
        ("> 500e6 bbl/yr", "wrong dimension"),
        ("> nan USD/yr", "condition"),
        (None, "condition: expected a comparison"),
    ],
)
def test_bad_conditions_are_refused(condition, message):
    with pytest.raises(calc.InputError) as error:
        calc.discover("article-demands", "net", condition, n=100)
    assert message in str(error.value)


def test_a_condition_that_holds_everywhere_or_nowhere_is_refused(metals_only):
    # metals revenue runs over the exports' range, 185-464 M: above 500 M never holds, above 100 M always does
    for condition, count in (("> 500e6 USD/yr", "0 of 1,000"), ("> 100e6 USD/yr", "1,000 of 1,000")):
        with pytest.raises(calc.InputError, match=f"holds in {count} draws"):
            calc.discover("article-demands", "Revenue|Metal Exports", condition, n=1_000, assumptions=metals_only)


def test_a_total_of_a_level_is_refused():
    with pytest.raises(calc.InputError, match="not a yearly flow"):
        calc.discover(
            "article-demands",
            "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports",
            "> 50 %",
            year="total",
            n=100,
        )


def test_boxes_export_with_their_data_package(boxes, tmp_path):
    require("frictionless")
    from frictionless import validate

    written = calc.export_csv(boxes, tmp_path / "boxes.csv")
    package = json.loads((tmp_path / "boxes.datapackage.json").read_text())
    assert validate(tmp_path / "boxes.datapackage.json").valid
    fields = [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    assert fields[:5] == ["box", "parameter", "unit", "low", "high"]
    text = written.read_text().splitlines()
    assert len(text) == len(boxes) + 1
    recorded = package["sanctions_relief"]["discover"]
    assert recorded["comparison"] == ">" and recorded["threshold"] == 300e6 and recorded["unit"] == "USD/yr"
    assert len(recorded["trajectory"]) == len(trajectory(boxes))


def test_chart_and_cli_show_the_box(boxes, tmp_path, capsys):
    require("matplotlib")
    figure = calc.plot_discovery(boxes)
    assert figure._suptitle.get_text() == "Where metal export revenue > 300.0 USD M/yr in 2036: box 1"

    code = main(
        [
            "discover",
            "article-demands",
            "--variable",
            "Revenue|Metal Exports",
            "--condition",
            "> 300e6 USD/yr",
            "-n",
            "2000",
            *[f"--set={name}={value}" for name, value in METALS_ONLY.items()],
            "--chart",
            str(tmp_path / "boxes.svg"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "metal export revenue > 300.0 USD M/yr in 2036 holds in" in out
    assert "metals.pre_sanction_exports" in out and "petroleum." not in out
    assert (tmp_path / "boxes.svg").stat().st_size > 10_000


def test_report_adds_a_discovery_section_when_asked(tmp_path, metals_only):
    require("matplotlib")
    require("prim")
    written = calc.report(
        ["article-demands"],
        tmp_path / "report.html",
        assumptions=metals_only,
        n=2_000,
        variable="Revenue|Metal Exports",
        discover="> 300e6 USD/yr",
    )
    html = written.read_text()
    assert "<h2>When is metal export revenue &gt; 300.0 USD M/yr in 2036?</h2>" in html
    assert "<h3>Box 1: coverage" in html and "<th>metals.pre_sanction_exports</th>" in html
    plain = calc.report(["article-demands"], tmp_path / "plain.html", assumptions=metals_only, n=2_000)
    assert "<h2>When is" not in plain.read_text()


def test_further_boxes_are_dense_or_not_reported():
    require("prim")
    boxes = calc.discover("hanoi-2019", "net", "> 1500e6 USD/yr", n=5_000, seed=2, max_boxes=3)
    numbers = sorted(set(boxes["box"]))
    assert numbers == list(range(1, len(numbers) + 1))
    later = boxes[boxes["box"] > 1].drop_duplicates("box")
    assert (later["density"] >= 0.8).all()
    steps = trajectory(boxes)
    assert sorted(set(steps["box"])) == numbers and steps["chosen"].sum() == len(numbers)
    with pytest.raises(calc.InputError, match="max_boxes: expected a whole number of boxes, 1 or more, got 0"):
        calc.discover("hanoi-2019", "net", "> 1500e6 USD/yr", n=100, max_boxes=0)
    with pytest.raises(calc.InputError, match=r"min_density: 1\.5 is out of range"):
        calc.discover("hanoi-2019", "net", "> 1500e6 USD/yr", n=100, min_density=1.5)


def test_box_tables_show_money_in_millions(boxes):
    from calc.display import box_table

    row = box_table(boxes, 1).iloc[0]
    kept = boxes[(boxes["box"] == 1) & boxes["restricted"]].iloc[0]
    assert row["parameter"] == "metals.pre_sanction_exports" and row["unit"] == "USD M/yr"
    assert row["box low"] == f"{kept['low'] / 1e6:,.1f}" and row["sampled high"] == f"{kept['sampled_high'] / 1e6:,.1f}"


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("Total", "year: 'Total' is not known; accepted: a year of the horizon, or 'total' for its sum"),
        (2050, "year: 2050 is outside"),
    ],
)
def test_a_year_outside_the_horizon_or_misspelt_is_refused(year, message):
    with pytest.raises(calc.InputError) as error:
        calc.discover("article-demands", "net", "> 150e6 USD/yr", n=100, year=year)
    assert message in str(error.value)


def test_discover_draws_with_the_seed_it_is_given(metals_only):
    require("prim")
    for seed in (3, 4):
        boxes = calc.discover(
            "article-demands", "Revenue|Metal Exports", "> 300e6 USD/yr", n=4_000, seed=seed, assumptions=metals_only
        )
        # revenue = exports here, so the condition holds exactly where the drawn exports pass 300e6
        drawn = uncertainty.sample(metals_only, 4_000, seed)["metals.pre_sanction_exports"]
        record = boxes.attrs["sanctions_relief"]["discover"]
        assert (record["seed"], record["holds"]) == (seed, int((drawn > 300e6).sum()))


def test_the_command_line_and_python_share_the_default_seed(capsys):
    require("prim")
    boxes = calc.discover("article-demands", "revenue", "> 250e6 USD/yr", n=2_000)
    record = boxes.attrs["sanctions_relief"]["discover"]
    # the command's default variable is the hard currency earned
    assert main(["discover", "article-demands", "--condition", "> 250e6 USD/yr", "-n", "2000"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("article-demands: hard currency earned > 250.0 USD M/yr in 2036 holds in ")
    assert f"holds in {record['holds']:,} of 2,000 draws" in out
