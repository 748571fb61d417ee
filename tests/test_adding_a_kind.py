"""A kind of area added from outside the package: docs/how-to/add-a-kind.md (examples/frozen-funds), a one-off
release of frozen funds, through run, packages, Monte Carlo, solve, the tables and the exports."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import calc
from calc.display import notes
from calc.explorer import PageState, results, setup, start, world_sets
from calc.kinds import KINDS, SOURCES

EXAMPLE = Path(__file__).parent.parent / "examples" / "frozen-funds"
PAGE = Path(__file__).parent.parent / "docs" / "how-to" / "add-a-kind.md"
RELEASED = "Revenue|Frozen Funds Released"


@pytest.fixture
def mine():
    """The example's kind registered (its module imported as a user would), the example folder loaded; the
    registry restored afterwards, so that no other test sees the kind."""
    known, sources = dict(KINDS), dict(SOURCES)
    spec = importlib.util.spec_from_file_location("release", EXAMPLE / "release.py")
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    yield calc.load_assumptions(EXAMPLE)
    for registry, before in ((KINDS, known), (SOURCES, sources)):
        registry.clear()
        registry.update(before)


def series(frame, variable):
    return frame[frame["variable"] == variable]["value"].to_numpy()


def test_the_docs_page_shows_the_example_as_it_is():
    """Every file of the example appears whole on the docs page "Add a kind", so that the text a reader copies is
    the code the tests run."""
    blocks = re.findall(r"```(?:python|toml)\n(.*?)```", PAGE.read_text(), flags=re.DOTALL)
    for name in ("release.py", "areas.toml", "frozen_funds.toml"):
        text = (EXAMPLE / name).read_text()
        assert any(block.strip().endswith(text.strip()) for block in blocks), name


def test_a_one_off_release_is_earned_in_the_year_relief_begins_whatever_the_ramp(mine):
    """25 M frozen, half released: 12.5 M in the first year, none after; the total adds to Revenue."""
    scenario = calc.Scenario(name="release", relief={"frozen_funds": 0.5}, horizon=4, ramp_years=3)
    frame = calc.run(scenario, assumptions=mine)
    assert series(frame, RELEASED).tolist() == [12.5e6, 0.0, 0.0, 0.0]
    assert series(frame, "Revenue").tolist() == [12.5e6, 0.0, 0.0, 0.0]
    assert "fund release" in set(calc.areas(mine)["kind"])


def test_the_table_notes_what_its_last_year_does_not_show(mine):
    frame = calc.run(calc.Scenario(name="release", relief={"frozen_funds": 1}), assumptions=mine)
    assert calc.table(frame).loc["Hard currency earned, total (USD M)", "release"] == "25.0"
    assert notes(frame) == [
        "release: frozen funds released total 25.0 USD M over 2027-2036, none in the last year shown"
    ]


def test_in_a_package_the_release_comes_in_its_step_year(mine):
    package = calc.Package("later", [calc.Step(2029, relief={"frozen_funds": 1})], horizon=4)
    assert series(calc.run(package, assumptions=mine), RELEASED).tolist() == [0.0, 0.0, 25e6, 0.0]


def test_monte_carlo_draws_the_amount_in_the_release_year_only(mine):
    """The amount is triangular on 20..25..30 M: its 5th and 95th percentiles lie inside, its median near 25 M
    (within 0.5 M on 4,000 draws); every later year is zero in every draw."""
    scenario = calc.Scenario(name="release", relief={"frozen_funds": 1}, horizon=3)
    frame = calc.montecarlo(scenario, n=4000, seed=1, assumptions=mine)
    band = frame[frame["variable"] == RELEASED].pivot(index="year", columns="quantile", values="value")
    assert 20e6 < band.loc[2027, 0.05] < band.loc[2027, 0.5] < band.loc[2027, 0.95] < 30e6
    assert band.loc[2027, 0.5] == pytest.approx(25e6, abs=0.5e6)
    assert (band.loc[[2028, 2029]] == 0.0).all().all()


def test_solve_finds_the_share_released_for_a_yearly_or_total_target(mine):
    """10 M of 25 M is 0.4, as a first-year value or as a total over the horizon."""
    scenario = calc.Scenario(name="release", relief={"frozen_funds": 1})
    first = calc.solve(scenario, "frozen_funds", RELEASED, "10e6 USD/yr", year=2027, assumptions=mine)
    total = calc.solve(scenario, "frozen_funds", "Revenue", "10e6 USD", assumptions=mine)
    assert first == pytest.approx(0.4) and total == pytest.approx(0.4)


def test_the_exports_and_rerun_carry_the_new_area(mine, tmp_path):
    frame = calc.run(calc.Scenario(name="release", relief={"frozen_funds": 1}), assumptions=mine)
    calc.export_csv(frame, tmp_path / "out.csv")
    again = calc.read_csv(tmp_path / "out.csv")
    assert series(again, RELEASED)[0] == 25e6
    np.testing.assert_array_equal(series(calc.rerun(frame), RELEASED), series(frame, RELEASED))
    calc.export_xlsx(frame, tmp_path / "out.xlsx")
    sheets = pd.read_excel(tmp_path / "out.xlsx", sheet_name=["data", "assumptions"])
    assert series(sheets["data"], RELEASED).tolist() == [25e6] + [0.0] * 9
    assert "frozen_funds.amount" in set(sheets["assumptions"]["name"])


def test_the_explorer_draws_the_new_area_and_its_charts(mine):
    """The page offers the area a share slider and runs it; its charts and Monte Carlo are drawn in the explorer's
    drawing process, a process of its own, which knows the kind by running its file again."""
    worlds = world_sets(mine)
    area = next(item for item in setup(worlds)["areas"] if item["name"] == "frozen_funds")
    assert (area["lever"], area["caps"], area["status_quo_cap"]) == ("share", False, None)
    body = {"levers": {"frozen_funds": "1"}, "timing": {"horizon": "3"}, "reference": None, "variable": "Revenue"}
    page = PageState(body, worlds)
    assert results(page)["earned"]["value"] == 0.0  # the last year shown: released in the first
    assert series(calc.run(page.scenarios, assumptions=mine), RELEASED).tolist() == [25e6, 0.0, 0.0]
    server = start(0, assumptions=mine)
    try:
        drawn = server.draw("charts", body)
        spread = server.draw("montecarlo", {**body, "n": "500", "seed": "1"})
    finally:
        server.shutdown()
        server.server_close()
    assert drawn["ok"] and drawn["charts"].count("<img") == 2
    assert spread["ok"] and spread["drawn"] == "500 draws (random sampling), seed 1"


def test_a_kind_needs_a_lever_it_knows_and_a_name_of_its_own(mine):
    release = KINDS["fund release"]
    with pytest.raises(calc.InputError, match="kind 'x': lever: 'dial' is not known; accepted: share, cap"):
        calc.kinds.Kind("x", {}, "dial", "", (), release.formula)
    with pytest.raises(calc.InputError, match="a kind named 'fund release' exists already"):
        calc.kinds.register(calc.kinds.Kind("fund release", {}, "share", "", (), lambda *args: {}))
    assert calc.kinds.register(release) is release  # the same kind again is harmless
