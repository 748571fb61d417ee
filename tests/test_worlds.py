"""Two worlds: the sanctions as written and as enforced in 2024-2025, side by side, and relief beside what the
North earns outside the sanctions."""

import subprocess
import sys
import tomllib

import pandas as pd
import pytest

import calc
from calc.cli import main
from calc.display import notes
from calc.files import shipped_folder

ENFORCED = shipped_folder() / "overlays" / "enforced-2025.toml"


def last(frame, variable, scenario=None, model=None):
    rows = frame[frame["variable"] == variable]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    if model is not None:
        rows = rows[rows["model"] == model]
    return rows["value"].iloc[-1]


def test_the_enforced_world_loads_by_name_and_every_change_is_sourced():
    enforced = calc.load_assumptions("enforced-2025")
    assert enforced.name == "enforced-2025" and calc.load_assumptions("as-written").name == "as-written"
    with open(ENFORCED, "rb") as handle:
        changed = {
            f"{group}.{name}": table for group, tables in tomllib.load(handle).items() for name, table in tables.items()
        }
    assert {"petroleum.illicit_imports", "petroleum.legal_imports", "petroleum.hard_currency_share"} <= set(changed)
    for name, table in changed.items():
        # a source, a year of 2022 or later, and a range (a judgement where the sources only bound the figure)
        assert table["source"] and table["year"] >= 2022, name
        assert table["low"] <= table["value"] <= table["high"] and table["low"] < table["high"], name
        assert table.get("judgement", False) or "Judgement" not in table["source"], name
        parameter = enforced[name]
        assert (parameter.value, parameter.year, parameter.source) == (table["value"], table["year"], table["source"])


def test_lifting_the_cap_adds_less_fuel_as_enforced_because_supply_is_near_demand(figures):
    """As written (figures): smuggled 2.0 M, legal 0.5 M, supply today 2.5 M of the 4.5 M imported in 2016; the
    cap lifted adds 4.0 M legal, of which half replaces smuggled fuel: 2.0 M more. As enforced: smuggled 3.9 M,
    legal 168,679 bbl, supply today 4,068,679 bbl; 4.0 M legal, 3.2 M of it (0.8) replacing smuggled fuel, would
    add 0.8 M, but demand leaves room for only 4.5 M - 4,068,679 = 431,321 bbl."""
    enforced = figures.override(
        {
            "petroleum.illicit_imports": "3.9e6 bbl/yr",
            "petroleum.legal_imports": "168679 bbl/yr",
            "petroleum.displacement_share": 0.8,
            "petroleum.hard_currency_share": 0.5,
        }
    )
    lifted = calc.Scenario(name="lifted", petroleum_cap=None)
    written = calc.run(lifted, assumptions=figures)
    frame = calc.run(lifted, assumptions=enforced)
    assert last(written, "Fuel|Refined Petroleum|Net Additional Supply") == pytest.approx(2.0e6)
    assert last(frame, "Fuel|Refined Petroleum|Net Additional Supply") == pytest.approx(4.5e6 - 4_068_679)
    assert last(frame, "Fuel|Refined Petroleum|Total Supply|Share of Pre-Sanction Imports") == pytest.approx(100.0)
    # spending: (4e6 x 100 - (4e6 - 431,321) x 120) x 0.5 paid in hard currency
    assert last(frame, "Expenditure|Fuel Imports") == pytest.approx((4e8 - (4e6 - 431_321) * 120) * 0.5)


def test_both_worlds_side_by_side_in_the_frame_the_csv_and_the_table(tmp_path, capsys):
    frame = calc.run(["article-demands", "hanoi-2019"], assumptions="as-written,enforced-2025")
    models = ["sanctions-relief (as-written)", "sanctions-relief (enforced-2025)"]
    assert list(dict.fromkeys(frame["model"])) == models
    alone = calc.run("hanoi-2019", assumptions="enforced-2025")
    assert last(frame, "Revenue", "hanoi-2019", models[1]) == last(alone, "Revenue")
    # workers: 500 M less 0.9 x 500 M still sent home in 2024-2025, against 0.8 as written
    assert last(frame, "Revenue|Overseas Workers", "hanoi-2019", models[1]) == pytest.approx(50e6)
    path = calc.export_csv(frame, tmp_path / "both.csv")
    back = calc.read_csv(path)
    pd.testing.assert_frame_equal(back, frame)
    pd.testing.assert_frame_equal(calc.rerun(path), frame)
    shares = calc.compare(frame, "hanoi-2019")  # each world against its own reference
    assert last(shares, "Revenue", "hanoi-2019", models[1]) == 100.0
    assert main(["run", "article-demands", "--assumptions", "as-written,enforced-2025"]) == 0
    header = capsys.readouterr().out.splitlines()[3]
    assert header.split() == ["article-demands", "[as-written]", "article-demands", "[enforced-2025]"]


def test_every_analysis_works_in_the_enforced_world():
    drawn = calc.montecarlo("petroleum-cap-lifted", n=300, seed=1, assumptions=["as-written", "enforced-2025"])
    assert set(drawn["model"]) == {"sanctions-relief (as-written)", "sanctions-relief (enforced-2025)"}
    pd.testing.assert_frame_equal(calc.rerun(drawn), drawn)
    share = calc.solve(
        "metals-only", "metals_share", "Revenue|Metal Exports", "110e6 USD/yr", assumptions="enforced-2025"
    )
    assert share == pytest.approx(0.5)
    assert (
        calc.tornado(
            "petroleum-cap-lifted", "Fuel|Refined Petroleum|Net Additional Supply", assumptions="enforced-2025"
        )["parameter"]
        .iloc[0]
        .startswith("petroleum.")
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("enforced-2052", "'enforced-2052' is neither a file or folder nor a shipped world; worlds: as-written, "),
        ("as-written,as-written", "the world(s) 'as-written' appear more than once"),
        ("as-written,", "name each world"),
    ],
)
def test_bad_worlds_are_refused_naming_the_known_ones(spec, message):
    with pytest.raises(calc.InputError) as caught:
        calc.run("article-demands", assumptions=spec)
    assert message in str(caught.value)


def test_two_overlays_that_set_one_parameter_differently_are_refused(write, tmp_path):
    mine = write("mine.toml", '[petroleum.illicit_imports]\nvalue = "1e6 bbl/yr"\n')
    both = calc.load_assumptions("prices-2024+enforced-2025")  # they set different parameters: laid together
    assert both["coal.price_index"].value == 1.96 and both["petroleum.legal_imports"].value == 168679
    with pytest.raises(calc.InputError, match=r"petroleum\.illicit_imports is set by both 'enforced-2025' and"):
        calc.load_assumptions(f"enforced-2025+{mine}")


def test_two_overlays_that_set_one_value_with_different_ranges_are_refused(write):
    # the same central value, 3.9 M bbl, but ranges of 1.5-5.0 and 3.0-4.5 M: neither range is the one meant
    mine = write(
        "mine.toml", '[petroleum.illicit_imports]\nvalue = "3.9e6 bbl/yr"\nlow = "3e6 bbl/yr"\nhigh = "4.5e6 bbl/yr"\n'
    )
    with pytest.raises(calc.InputError, match=r"petroleum\.illicit_imports is set by both 'enforced-2025' and"):
        calc.load_assumptions(f"enforced-2025+{mine}")
    # the very same record twice is no conflict
    again = write(
        "again.toml", '[petroleum.illicit_imports]\nvalue = "3.9e6 bbl/yr"\nlow = "1.5e6 bbl/yr"\nhigh = "5e6 bbl/yr"\n'
    )
    assert calc.load_assumptions(f"enforced-2025+{again}")["petroleum.illicit_imports"].low == 1.5e6


def test_one_world_commands_say_so(capsys):
    assert main(["sensitivity", "hanoi-2019", "--assumptions", "as-written,enforced-2025"]) == 2
    assert "sensitivity takes one world at a time" in capsys.readouterr().err


def test_context_is_sourced_and_never_summed_into_relief(capsys):
    table = calc.context()
    assert list(table.columns) == ["item", "period", "low", "high", "unit", "source"]
    theft = table[(table["item"].str.startswith("Cyber theft")) & (table["period"] == "2025")].iloc[0]
    assert (theft["low"], theft["unit"]) == (2.02e9, "USD/yr") and "Chainalysis" in theft["source"]
    assert (table["low"] <= table["high"]).all() and table["source"].str.len().gt(0).all()
    frame = calc.run("hanoi-2019")
    assert not frame["variable"].str.contains("Cyber|Arms|Context").any()
    assert main(["context"]) == 0
    assert "Context, not relief" in capsys.readouterr().out


def test_calc_context_is_the_function_whatever_was_imported_first():
    """The report imports the table of what the North earns outside the sanctions; importing it first must not
    leave ``calc.context`` naming a module (as a submodule of that name would) instead of the function."""
    code = "import calc.reporting, calc; print(len(calc.context()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(calc.context())


def test_a_note_of_several_worlds_is_said_once():
    # the same cap in both worlds: 60,000 t x 7.5 bbl/t = 450,000 bbl, below the 500,000 of 2397, in each alike
    frame = calc.run([calc.Scenario(name="x", petroleum_cap="60000 t/yr")], assumptions=["as-written", "prices-2024"])
    lines = notes(frame)
    read = "x: the refined petroleum cap of 60000 t/yr is read as 450,000 bbl/yr (petroleum.bbl_per_tonne = 7.5 bbl/t)"
    assert lines.count(read) == 1
    assert sum("tightens the measure" in line for line in lines) == 1
