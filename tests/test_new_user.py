"""What a new user tripped over (oil units, CLI traps, spreadsheets), each with a test that failed before."""

import sys

import pytest

import calc
from calc.cli import main

from conftest import FIGURES, require


@pytest.mark.parametrize(
    ("text", "barrels_a_year"),
    [
        ("1370 b/d", 1370 * 365.25),  # b is the barrel in oil statistics, not the barn
        ("2740 bpd", 2740 * 365.25),
        ("2740 bbl/d", 2740 * 365.25),
        ("5 kb/d", 5000 * 365.25),
        ("5 kbd", 5000 * 365.25),  # thousand barrels a day, not barrels
        ("5 kbpd", 5000 * 365.25),
        ("158987.294928 m3/yr", 1e6),  # 1 bbl = 0.158987294928 m3
    ],
)
def test_oil_trade_spellings_are_read_as_the_trade_means_them(text, barrels_a_year):
    assert calc.Scenario(petroleum_cap=text).petroleum_cap.amount == pytest.approx(barrels_a_year)


@pytest.mark.parametrize("text", ["500 Mbbl/yr", "3 MMbbl/yr", "500 Mb/d"])
def test_mega_barrels_are_refused_not_read_as_si(text):
    with pytest.raises(calc.InputError, match="is ambiguous: in the oil trade M is a thousand"):
        calc.Scenario(petroleum_cap=text)


def test_a_cap_in_tonnes_converts_with_barrels_per_tonne(figures):
    scenario = calc.Scenario(name="t", petroleum_cap="300000 t/yr")
    frame = calc.run(scenario, assumptions=figures)
    added = frame[frame["variable"] == "Fuel|Refined Petroleum|Additional Legal Imports"]["value"].iloc[0]
    # 300,000 t x 7.5 bbl/t = 2,250,000 bbl/yr, less the 500,000 of the status quo
    assert added == pytest.approx(300_000 * FIGURES["petroleum.bbl_per_tonne"] - 500_000)
    assert scenario.to_dict()["petroleum_cap"] == "300000 t/yr"


def test_the_command_line_says_how_tonnes_became_barrels(capsys):
    assert main(["run", "--petroleum-cap", "60000 t/yr", "--name", "tonnes"]) == 0
    factor = FIGURES["petroleum.bbl_per_tonne"]
    assert (
        f"Note: tonnes: the refined petroleum cap of 60000 t/yr is read as {60000 * factor:,.0f} bbl/yr "
        f"(petroleum.bbl_per_tonne = {factor:g} bbl/t)." in capsys.readouterr().out
    )


def test_path_chart_lines_are_dark_enough_to_see():
    require("matplotlib")
    from matplotlib.colors import to_rgb

    frame = calc.run([calc.Scenario(name=f"s{index}", metals_share=index / 8) for index in range(8)])
    (axes,) = calc.plot_path(frame).axes
    for line in axes.get_lines()[:8]:
        red, green, blue = to_rgb(line.get_color())
        assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.85, line.get_label()  # no near-white line


def test_short_variable_names_work_where_help_advertises_them(capsys):
    assert main(["sensitivity", "metals-only", "--variable", "net"]) == 0
    assert capsys.readouterr().out.startswith(
        "Hard currency left after buying the unlocked imports (USD M/yr), metals-only"
    )
    assert calc.tornado("metals-only", "revenue").equals(calc.tornado("metals-only", "Revenue"))


def test_a_changed_preset_carries_a_changed_name(capsys):
    assert main(["run", "hanoi-2019", "--petroleum-cap", "1000000", "--ramp-years", "2"]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines() if "hanoi-2019" in line)
    assert header.strip() == "hanoi-2019 (changed: petroleum_cap, ramp_years)"
    assert main(["run", "hanoi-2019", "--relief", "coal=0.5", "--name", "half-coal"]) == 0
    assert "half-coal" in capsys.readouterr().out
    assert main(["run", "--name", "a", "--metals-share", "1", "--name", "b"]) == 2
    assert "--name: given 2 times" in capsys.readouterr().err


def test_a_wide_export_says_it_does_not_read_back(tmp_path):
    path = calc.export_csv(calc.run("status-quo"), tmp_path / "w.csv", format="csv-wide")
    with pytest.raises(calc.InputError, match="a csv-wide export does not read back"):
        calc.read_csv(path)


def test_a_spreadsheet_export_has_a_byte_order_mark_and_reads_back(tmp_path, capsys):
    frame = calc.run(calc.Scenario(name="하노이-2019", metals_share=1))
    path = calc.export_csv(frame, tmp_path / "k.csv", spreadsheet=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf" + b'"model"')
    assert calc.read_csv(path)["scenario"].iloc[0] == "하노이-2019"
    plain = calc.export_csv(frame, tmp_path / "plain.csv")
    assert plain.read_bytes().startswith(b'"model"')
    assert main(["run", "metals-only", "--out", str(tmp_path / "s.csv"), "--for-spreadsheet"]) == 0
    assert (tmp_path / "s.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


def test_the_table_heading_claims_only_what_it_shows(capsys):
    assert main(["run", "metals-only", "--ramp-years", "40", "--horizon", "10"]) == 0
    out = capsys.readouterr().out
    assert "once in full effect" not in out and "in the last year shown" in out


def test_command_line_details(capsys, monkeypatch):
    assert main(["montecarlo", "metals-only", "-n", "1e3"]) == 0
    assert "1,000 draws" in capsys.readouterr().out
    assert main(["montecarlo", "metals-only", "-n", "1_000"]) == 0
    capsys.readouterr()
    assert main(["montecarlo", "metals-only", "-n", "1.5e3x"]) == 2
    assert "expected a whole number (such as 10000, 1e6 or 1_000_000)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "--name", "-x"])
    assert "goes after '=': --name=-x" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "SALib", None)
    assert main(["sensitivity", "metals-only", "--sobol", "64"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--sobol needs SALib" in err  # checked before any work is printed
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    assert main(["montecarlo", "metals-only", "-n", "10", "--sampler", "lhs"]) == 2
    assert "command line: --sampler random" in capsys.readouterr().err
