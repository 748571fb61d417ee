import re
import subprocess
import sys

import pytest

import calc
from calc import commands
from calc.cli import build_parser, main
from calc.commands import scenarios_from
from calc.scenario import DEFAULT_SCENARIOS

from conftest import FIGURES

METALS = FIGURES["metals.pre_sanction_exports"] / 1e6  # USD M/yr: 220 (Stangarone 2021)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def line(out: str, start: str) -> list[str]:
    """The cells of the printed table's row that starts with ``start`` (its label dropped)."""
    row = next(row for row in out.splitlines() if row.startswith(start))
    return row[len(start) :].split()


def test_run_without_arguments_prints_the_main_presets_side_by_side(capsys):
    code, out, err = run_cli(capsys, "run")
    assert code == 0 and err == ""
    header = next(row for row in out.splitlines() if "status-quo" in row)
    assert header.split() == list(DEFAULT_SCENARIOS)
    # status-quo 0, article-demands and hanoi-2019 and full-relief all lift the metals ban
    assert line(out, "Metal export revenue (USD M/yr)") == ["0.0", *[f"{METALS:,.1f}"] * 3]
    # article-demands: 2,000,000 - 500,000; cap lifted: pre-sanction imports - 500,000
    lifted = FIGURES["petroleum.pre_sanction_imports"] - FIGURES["petroleum.legal_cap"]
    assert line(out, "Added legal fuel imports (bbl/yr)") == ["0", "1,500,000", f"{lifted:,.0f}", f"{lifted:,.0f}"]
    # net supply: half of the 1.5 M added displaces smuggled fuel, but only as much as demand leaves room for,
    # D - (legal + smuggled today): min(750,000, 4.5 M - 0.5 M - I0), in tonnes at 7.5 bbl/t
    shipped = calc.load_assumptions().central()
    room = shipped["petroleum.pre_sanction_imports"] - 500_000 - shipped["petroleum.illicit_imports"]
    net = min(750_000, room) / shipped["petroleum.bbl_per_tonne"]
    assert line(out, "Net added fuel supply (t/yr)")[1] == f"{net:,.0f}"
    assert "Hard currency earned (USD M/yr)" in out and "Coal export revenue (USD M/yr)" in out
    assert "Crude" not in out  # no effect in any scenario shown (the pipeline stays below the cap): left out
    assert not re.search(r"\d[eE][+-]?\d", out)  # no scientific notation


def test_run_with_levers_and_overrides(capsys):
    code, out, _ = run_cli(
        capsys, "run", "metals-only", "--set", "metals.price_index=1.5", "--ramp-years", "2", "--horizon", "2"
    )
    assert code == 0
    assert line(out, "Metal export revenue (USD M/yr)") == [f"{METALS * 1.5:,.1f}"]  # in the steady-state year
    assert line(out, "Hard currency earned, total (USD M)") == [f"{METALS * 1.5 * 1.5:,.1f}"]  # half, then full


def test_levers_alone_define_a_custom_scenario(capsys):
    code, out, _ = run_cli(capsys, "run", "--metals-share", "0.5", "--petroleum-cap", "lifted", "--name", "mine")
    assert code == 0
    assert next(row for row in out.splitlines() if "mine" in row).split() == ["mine"]
    assert line(out, "Metal export revenue (USD M/yr)") == [f"{METALS / 2:,.1f}"]


def test_run_writes_csv(capsys, tmp_path):
    target = tmp_path / "results.csv"
    code, out, _ = run_cli(capsys, "run", "article-demands", "status-quo", "--out", str(target))
    assert code == 0 and f"wrote {2 * len(calc.VARIABLES) * 10} rows" in out
    frame = calc.read_csv(target)
    assert list(dict.fromkeys(frame["scenario"])) == ["article-demands", "status-quo"]


def test_scenario_file_and_assumptions_file(capsys, write):
    scenarios = write("s.toml", "[quarter]\nmetals_share = 0.25\n")
    assumptions = write("a.toml", '[metals.pre_sanction_exports]\nvalue = "400e6 USD/yr"\n')
    code, out, _ = run_cli(capsys, "run", str(scenarios), "--assumptions", str(assumptions))
    assert code == 0
    metals = next(line for line in out.splitlines() if line.startswith("Metal export revenue"))
    assert metals.split()[-1] == "100.0"  # 400 x 0.25


def test_presets_and_assumptions_commands(capsys):
    code, out, _ = run_cli(capsys, "presets")
    assert code == 0 and "article-demands" in out and "petroleum_cap=2000000 bbl/yr" in out
    code, out, _ = run_cli(capsys, "assumptions")
    assert code == 0
    assert "metals.pre_sanction_exports = 220,000,000 USD/yr" in out
    # eleven digits in full, as every other money line, not 3.1e+10
    assert "context.gdp = 32,500,000,000 USD/yr  (range 28,000,000,000 .. 34,000,000,000; 2024)" in out
    assert "luxury.blocked_share = 0.1 dimensionless  (range 0 .. 0.3; 2024)" in out
    assert "source: Stangarone, Korea Economic Institute of America (2021)" in out
    assert "[judgement]" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nosuch"], "unknown scenario 'nosuch'"),
        (["run", "--metals-share", "2"], "metals_share: 2 is out of range"),
        (["run", "--petroleum-cap", "5 kg"], "petroleum_cap: '5 kg' has the wrong dimension"),
        (["run", "--set", "petroleum.price"], "--set 'petroleum.price': expected NAME=VALUE"),
        (["run", "--set", "petroleum.prize=3"], "unknown parameter 'petroleum.prize'"),
        (["run", "--assumptions", "/no/such/path.toml"], "no such file or folder"),
        (["run", "--out", "results.txt"], "must end in .csv"),
        (["run", "a.toml"], "a.toml: no such file"),
    ],
)
def test_errors_are_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("sanctions-relief: error: ")
    assert message in err


def test_help_does_not_import_pandas():
    code = "import sys; from calc.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
    code += "assert 'pandas' not in sys.modules and 'pint' not in sys.modules, 'heavy import'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "run" in done.stdout and "presets" in done.stdout


def test_python_dash_m_calc_runs():
    done = subprocess.run(
        [sys.executable, "-m", "calc", "run", "article-demands"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "220.0" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "calc", "run", "nosuch"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_montecarlo_prints_quantiles(capsys):
    code, out, err = run_cli(capsys, "montecarlo", "metals-only", "-n", "20000", "--seed", "3")
    assert code == 0 and err == ""
    assert "Monte Carlo: 20,000 draws (random, seed 3)" in out
    header = next(line for line in out.splitlines() if line.strip().startswith("p5"))
    assert header.split() == ["p5", "p50", "p95"]
    assert "fuel" not in out  # metals only: no fuel effect in any draw, so no fuel rows
    frame = calc.montecarlo("metals-only", n=20000, seed=3)
    p95 = frame[(frame["variable"] == "Revenue|Metal Exports") & (frame["quantile"] == 0.95)]["value"].iloc[-1]
    assert line(out, "Metal export revenue (USD M/yr)")[-1] == f"{p95 / 1e6:,.1f}"


def test_montecarlo_writes_quantiles_and_draws(capsys, tmp_path):
    code, out, _ = run_cli(
        capsys,
        "montecarlo",
        "article-demands",
        "-n",
        "50",
        "--quantiles",
        "0.1,0.9",
        "--out",
        str(tmp_path / "q.csv"),
        "--draws-out",
        str(tmp_path / "d.csv"),
    )
    assert code == 0 and f"wrote the raw draws to {tmp_path / 'd.csv'}" in out
    quantiles = calc.read_csv(tmp_path / "q.csv")
    assert sorted(set(quantiles["quantile"])) == [0.1, 0.9]
    assert set(calc.read_csv(tmp_path / "d.csv")["draw"]) == set(range(50))


def test_sensitivity_prints_a_tornado(capsys):
    code, out, _ = run_cli(capsys, "sensitivity", "metals-only", "--variable", "Revenue|Metal Exports")
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line.strip().startswith("metals.")]
    # exports 185 -> 464 M: result 185.0 .. 464.0, swing 279.0; then the price index (swing 220.0)
    assert rows[0][0] == "metals.pre_sanction_exports" and rows[0][-3:] == ["185.0", "464.0", "279.0"]
    assert rows[1][0] == "metals.price_index" and rows[1][-1] == "220.0"


def test_analyses_default_to_the_hard_currency_earned(capsys):
    for command in ("sensitivity", "discover", "chart", "report"):
        extra = {"discover": ["--condition", "> 1 USD/yr"], "chart": ["path", "--out", "x.svg"]}.get(command, [])
        assert build_parser().parse_args([command, *extra]).variable == "Revenue", command
    code, out, _ = run_cli(capsys, "sensitivity", "article-demands")
    # the three demands earn 220 M, all from metals
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Hard currency earned (USD M/yr), article-demands: ")
    assert lines[1] == "central result: 220.0"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["montecarlo", "article-demands", "-n", "lots"],
            "--draws: expected a whole number (such as 10000, 1e6 or 1_000_000), got 'lots'",
        ),
        (["montecarlo", "article-demands", "--quantiles", "0.1,x"], "--quantiles: expected a number"),
        (["montecarlo", "article-demands", "-n", "0"], "n: 0 draws is out of range"),
        (["sensitivity", "article-demands", "hanoi-2019"], "sensitivity takes exactly one scenario"),
        (["sensitivity", "article-demands", "--variable", "Nett"], "variable: 'Nett' is not known"),
        (["sensitivity", "article-demands", "--year", "1999"], "year: 1999 is outside scenario"),
    ],
)
def test_uncertainty_errors_are_one_line(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_wide_format_and_tornado_out(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "run", "status-quo", "--out", str(tmp_path / "w.csv"), "--format", "csv-wide")
    lines = (tmp_path / "w.csv").read_text().splitlines()
    assert code == 0 and lines[0].endswith('"2035","2036"')
    assert f"wrote {len(lines) - 1} rows" in out  # one per variable, not one per variable and year
    code, out, _ = run_cli(capsys, "sensitivity", "metals-only", "--out", str(tmp_path / "t.csv"))
    assert code == 0 and f"wrote {len(calc.tornado('metals-only'))} rows" in out
    assert (tmp_path / "t.csv").read_text().splitlines()[0].startswith('"parameter","unit","low"')


@pytest.mark.parametrize(
    ("argv", "note"),
    [
        # 500 kb/d = 182,625,000 bbl/yr, far above the 4,500,000 imported before the sanctions
        (["--petroleum-cap", "500 kb/d"], "cap of 182625000 bbl/yr is at or above 4,500,000 bbl/yr"),
        (["--relief", "coal=2e9 USD/yr"], "cap of 2000000000 USD/yr is at or above 1,190,000,000 USD/yr"),
        (["--relief", "crude_oil=5e6 bbl/yr"], "cap of 5000000 bbl/yr is at or above 3,800,000 bbl/yr"),
    ],
)
def test_a_cap_that_does_not_bind_is_noted(capsys, argv, note):
    assert main(["run", *argv]) == 0
    out = capsys.readouterr().out
    assert note in out and "does not bind: the result is that of lifting the measure" in out


def test_a_binding_cap_gets_no_note(capsys):
    assert main(["run", "--petroleum-cap", "2000000 bbl/yr"]) == 0
    out = capsys.readouterr().out
    assert "does not bind" not in out and "tightens" not in out


@pytest.mark.parametrize(
    ("argv", "note"),
    [
        # a plain 1.5 is 1.5 bbl/yr, far below the 500,000 of resolution 2397
        (
            ["--petroleum-cap", "1.5"],
            "the refined petroleum cap of 1.5 bbl/yr is below what flows legally today, 500,000 bbl/yr",
        ),
        # 60,000 t at 7.5 bbl/t is 450,000 bbl
        (["--petroleum-cap", "60000 t/yr"], "cap of 60000 t/yr is below what flows legally today, 500,000 bbl/yr"),
        # crude: the cap of 4 M bbl, but the pipeline carries 3.8 M
        (
            ["--relief", "crude_oil=3e6 bbl/yr"],
            "cap of 3000000 bbl/yr is below what flows legally today, 3,800,000 bbl/yr",
        ),
        # in the world as enforced 168,679 bbl flow legally under the cap of 500,000
        (
            ["--petroleum-cap", "1e5 bbl/yr", "--assumptions", "enforced-2025"],
            "cap of 100000 bbl/yr is below what flows legally today, 168,679 bbl/yr",
        ),
    ],
)
def test_a_cap_below_todays_is_noted_as_tightening(capsys, argv, note):
    assert main(["run", *argv]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the note wraps
    assert note in out and "it tightens the measure, so the area's results fall below the status quo" in out


@pytest.mark.parametrize("cap", ["168679 bbl/yr", "300000 bbl/yr"])
def test_a_cap_that_legal_imports_today_do_not_reach_changes_nothing(capsys, cap):
    # as enforced, 168,679 bbl flow legally under the cap of 500,000: a cap between the two binds nothing
    assert main(["run", "--petroleum-cap", cap, "--assumptions", "enforced-2025"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "but not below what flows legally today, 168,679 bbl/yr: it does not bind, and changes nothing" in out
    assert "Added legal fuel imports" not in out  # no effect, so the area is left out of the table


def test_a_large_draws_file_is_announced_with_its_size(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "LARGE_FILE", 1)  # announce every file, to check the estimate against the real size
    path = tmp_path / "draws.csv"
    assert main(["montecarlo", "hanoi-2019", "-n", "300", "--draws-out", str(path)]) == 0
    announced = re.search(r"--draws-out will write about ([\d,.]+) MB", capsys.readouterr().err)
    assert float(announced.group(1).replace(",", "")) * 1e6 == pytest.approx(path.stat().st_size, rel=0.1)


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["hanoi-2019", "--relief", "coal=1"], "hanoi-2019"),  # hanoi-2019 lifts coal already
        (["article-demands", "--petroleum-cap", "2000000 bbl/yr", "--metals-share", "1"], "article-demands"),
        (["hanoi-2019", "--relief", "coal=0.5"], "hanoi-2019 (changed: relief coal)"),
        (["article-demands", "--ramp-years", "2"], "article-demands (changed: ramp_years)"),
    ],
)
def test_a_preset_is_renamed_only_when_a_lever_changes_it(argv, name):
    (scenario,) = scenarios_from(build_parser().parse_args(["run", *argv]))
    assert scenario.name == name


BAD_COMMAND_LINES = [
    (["run", "--metals-share", "abc"], "metals_share: expected a number, got 'abc'"),
    (["run", "--horizon", "1e9"], "horizon: 1000000000 is out of range"),
    (["run", "--petroleum-cap", "lots"], "petroleum_cap: expected a number, got 'lots'"),
    (["run", "--set", "petroleum.price=nan"], "petroleum.price.value: must be a finite number"),
    (["run", "--set", "=5"], "expected NAME=VALUE"),
    (["run", "--name", "a/b", "--metals-share", "1"], "contains a path separator"),
    (["run", "--out", "/no/such/folder/x.csv"], "the folder '/no/such/folder' does not exist"),
    (["montecarlo", "status-quo", "-n", "1000000000000"], "n: 1000000000000 draws is out of range"),
    (["sensitivity", "metals-only", "--year", "soon"], "--year: expected a whole number (such as 10000"),
    (["run", "--bogus"], "unrecognized arguments: --bogus"),
    (["launch"], "invalid choice: 'launch'"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_COMMAND_LINES, ids=[" ".join(argv) for argv, _ in BAD_COMMAND_LINES])
def test_bad_values_and_usage_errors_give_one_line_and_exit_2(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exit:  # usage errors leave through argparse
        code = exit.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_the_command_line_says_how_tonnes_became_barrels(capsys):
    assert main(["run", "--petroleum-cap", "60000 t/yr", "--name", "tonnes"]) == 0
    factor = FIGURES["petroleum.bbl_per_tonne"]
    assert (
        f"Note: tonnes: the refined petroleum cap of 60000 t/yr is read as {60000 * factor:,.0f} bbl/yr "
        f"(petroleum.bbl_per_tonne = {factor:g} bbl/t)." in capsys.readouterr().out
    )


def test_short_variable_names_work_where_help_advertises_them(capsys):
    assert main(["sensitivity", "metals-only", "--variable", "net"]) == 0
    assert capsys.readouterr().out.startswith(
        "Hard currency left after buying the unlocked imports (USD M/yr), metals-only"
    )
    assert calc.tornado("metals-only", "revenue").equals(calc.tornado("metals-only", "Revenue"))


def test_a_changed_preset_is_headed_by_what_changed_and_a_name_is_given_once(capsys):
    assert main(["run", "hanoi-2019", "--petroleum-cap", "1000000", "--ramp-years", "2"]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines() if "hanoi-2019" in line)
    assert header.strip() == "hanoi-2019 (changed: petroleum_cap, ramp_years)"
    assert main(["run", "hanoi-2019", "--relief", "coal=0.5", "--name", "half-coal"]) == 0
    assert "half-coal" in capsys.readouterr().out
    assert main(["run", "--name", "a", "--metals-share", "1", "--name", "b"]) == 2
    assert "--name: given 2 times" in capsys.readouterr().err


def test_the_table_heading_says_last_year_shown_when_the_ramp_outlasts_the_horizon(capsys):
    assert main(["run", "metals-only", "--ramp-years", "40", "--horizon", "10"]) == 0
    out = capsys.readouterr().out
    assert "once in full effect" not in out and "in the last year shown" in out


def test_draw_counts_may_be_written_with_an_exponent_or_underscores(capsys):
    assert main(["montecarlo", "metals-only", "-n", "1e3"]) == 0
    assert "1,000 draws" in capsys.readouterr().out
    assert main(["montecarlo", "metals-only", "-n", "1_000"]) == 0
    capsys.readouterr()
    assert main(["montecarlo", "metals-only", "-n", "1.5e3x"]) == 2
    assert "expected a whole number (such as 10000, 1e6 or 1_000_000)" in capsys.readouterr().err


def test_a_value_starting_with_a_dash_is_told_to_follow_an_equals_sign(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--name", "-x"])
    assert "goes after '=': --name=-x" in capsys.readouterr().err


def test_a_missing_optional_package_is_refused_before_any_work_with_the_way_around_it(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "SALib", None)
    assert main(["sensitivity", "metals-only", "--sobol", "64"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--sobol needs SALib" in err  # checked before any work is printed
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    assert main(["montecarlo", "metals-only", "-n", "10", "--sampler", "lhs"]) == 2
    assert "command line: --sampler random" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        # a preset's name on other numbers
        (["run", "--metals-share", "1", "--name", "hanoi-2019"], "scenario 'hanoi-2019': is the name of a preset"),
        (
            ["run", "hanoi-2019", "--metals-share", "0.5", "--name", "article-demands"],
            "scenario 'article-demands': is the name of a preset, but this scenario eases something else (metals_share "
            "0.5 against 1.0",
        ),
        # an option given twice: the last would win silently
        (["run", "--petroleum-cap", "1e6", "--petroleum-cap", "2e6"], "--petroleum-cap given twice ('1e6' and '2e6')"),
        (["montecarlo", "-n", "10", "--draws", "20"], "--draws given twice ('10' and '20')"),
        (
            ["run", "--set", "petroleum.price=90 USD/bbl", "--set", "petroleum.price=100 USD/bbl"],
            "--set: petroleum.price is given twice ('90 USD/bbl' and '100 USD/bbl')",
        ),
        # a lift of nothing is not "no lift"
        (["run", "--lift", ""], "--lift '': names no resolution"),
        (["run", "--lift", "2371,"], "--lift '2371,': names no resolution"),
        # a file of many GB is asked for, not just announced
        (["montecarlo", "-n", "1e6", "--draws-out", "draws.csv"], "--draws-out: would write about"),
        (
            ["chart", "tornado", "hanoi-2019", "--assumptions", "as-written,enforced-2025", "--out", "t.png"],
            "a tornado",
        ),
    ],
)
def test_inputs_that_could_be_read_two_ways_are_refused(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    try:
        code = main(argv)
    except SystemExit as usage:  # argparse's own errors exit
        code = usage.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_preset_package_moves_its_steps_with_the_start_year(capsys):
    frame = calc.run(calc.preset("us-idea-2019-renewed"))
    (moved,) = scenarios_from(build_parser().parse_args(["run", "us-idea-2019-renewed", "--start-year", "2030"]))
    assert moved.name == "us-idea-2019-renewed (changed: start_year)"
    assert [(step.year, step.until) for step in moved.steps] == [(2030, 2031), (2032, None)]
    shifted = calc.run(moved)
    # the same path, three years later
    for variable in ("Revenue", "Revenue|Coal Exports"):
        assert list(shifted[shifted["variable"] == variable]["value"]) == list(
            frame[frame["variable"] == variable]["value"]
        )


def test_a_scenario_file_with_a_byte_order_mark_reads(tmp_path, capsys):
    path = tmp_path / "notepad.toml"
    path.write_bytes("\ufeff[mine]\nmetals_share = 0.5\n".encode())
    assert main(["run", str(path)]) == 0
    assert "110.0" in capsys.readouterr().out  # 220 M x 0.5
