import csv
import math
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import xlsxwriter.workbook
import xlsxwriter.worksheet

import calc
from calc import workbook
from calc.cli import main

from conftest import FIGURES, missing, require

#: Texts a spreadsheet program would take for a formula, a number, a link or an escape if written carelessly.
MISREADABLE_NAMES = ["=1+1", "@x", "-5", "+1", "1e3", "'quoted", '=HYPERLINK("x")', "_x0041_", "한국어 시나리오"]
#: XlsxWriter writes a number to 16 significant digits (Excel keeps 15), so it reads back within this share.
DIGITS = 1e-15
METALS = FIGURES["metals.pre_sanction_exports"]  # USD/yr: 220 M (Stangarone 2021)


@pytest.fixture(scope="module", autouse=True)
def openpyxl():
    require("openpyxl")
    import openpyxl

    return openpyxl


def sheet(path, name="data"):
    """The sheet's rows as lists of openpyxl cells (header first)."""
    import openpyxl

    return [list(row) for row in openpyxl.load_workbook(path)[name].iter_rows()]


def sheet_names(path):
    with pd.ExcelFile(path) as book:
        return book.sheet_names


def values(rows):
    return [[cell.value for cell in row] for row in rows]


def test_data_sheet_holds_the_frame_with_numbers_as_numbers(figures, tmp_path):
    half = calc.Scenario(name="half-metals", metals_share=0.5, ramp_years=2, horizon=3)
    frame = calc.run(["article-demands", half], assumptions=figures)
    path = calc.export_xlsx(frame, tmp_path / "results.xlsx")
    rows = sheet(path)
    assert values(rows[:1]) == [["model", "scenario", "region", "variable", "unit", "year", "value"]]
    assert len(rows) == len(frame) + 1
    for row, expected in zip(rows[1:], frame.itertuples(index=False), strict=True):
        assert [cell.data_type for cell in row] == ["s"] * 5 + ["n", "n"]
        assert tuple(cell.value for cell in row[:6]) == tuple(expected[:6])
        assert row[6].value == pytest.approx(expected[6], rel=DIGITS, abs=0)
    metals = [row[5:] for row in values(rows) if row[1] == "half-metals" and row[3] == "Revenue|Metal Exports"]
    assert metals == [[2027, METALS * 0.5 / 2], [2028, METALS * 0.5], [2029, METALS * 0.5]]  # ramp: half, then full
    back = pd.read_excel(path, sheet_name="data")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False, check_frame_type=False, rtol=DIGITS)
    assert sheet_names(path) == ["data", "run", "scenarios", "assumptions"]


@pytest.mark.parametrize("name", MISREADABLE_NAMES)
def test_names_a_spreadsheet_could_misread_come_back_exactly_as_text_cells(tmp_path, name):
    frame = calc.run(calc.Scenario(name=name, metals_share=1.0, horizon=1))
    path = calc.export_xlsx(frame, tmp_path / "x.xlsx")
    cells = [row[1] for row in sheet(path)[1:]] + [row[0] for row in sheet(path, "scenarios")[1:]]
    assert len(cells) == len(frame) + 1
    assert {(cell.value, cell.data_type) for cell in cells} == {(name, "s")}
    assert set(pd.read_excel(path, dtype={"scenario": str})["scenario"]) == {name}  # pandas parses "-5" unless told


def test_assumptions_sheet_is_the_assumption_set(tmp_path, shipped):
    path = calc.export_xlsx(calc.run("status-quo"), tmp_path / "a.xlsx")
    back = pd.read_excel(path, sheet_name="assumptions", keep_default_na=False, na_values=[])
    expected = shipped.to_frame()
    assert list(back.columns) == list(expected.columns)
    assert back.to_dict(orient="records") == expected.to_dict(orient="records")
    judgement = next(row for row in sheet(path, "assumptions") if row[0].value == "textiles.net_foreign_exchange_share")
    assert judgement[8].value is True and judgement[8].data_type == "b"
    assert judgement[1].value == 0.5 and judgement[1].data_type == "n"


def test_run_and_scenario_sheets_record_monte_carlo_and_levers(tmp_path):
    mine = calc.Scenario(name="mine", metals_share=0.25, relief={"coal": "400.9e6 USD/yr", "textiles": 0.5})
    frame = calc.montecarlo(["article-demands", mine], n=30, seed=5, sampler="lhs", quantiles=(0.1, 0.9))
    path = calc.export_xlsx(frame, tmp_path / "q.xlsx")
    assert values(sheet(path)[:1]) == [["model", "scenario", "region", "variable", "unit", "year", "quantile", "value"]]
    run = {row[0]: [value for value in row[1:] if value is not None] for row in values(sheet(path, "run"))}
    assert run["version"] == [calc.__version__] and run["calculator"] == ["sanctions-relief"]
    assert run["montecarlo.n"] == [30] and run["montecarlo.seed"] == [5] and run["montecarlo.sampler"] == ["lhs"]
    assert run["montecarlo.quantiles"] == [0.1, 0.9]
    assert run["montecarlo.sampled"] == frame.attrs["sanctions_relief"]["montecarlo"]["sampled"]
    scenarios = pd.read_excel(path, sheet_name="scenarios")
    assert list(scenarios.columns) == [
        "name",
        "metals_share",
        "petroleum_cap",
        "luxury_share",
        "relief.coal",
        "relief.textiles",
        "lift",
        "start_year",
        "horizon",
        "ramp_years",
        "note",
    ]
    row = scenarios.set_index("name").loc["mine"]
    assert (row["metals_share"], row["relief.coal"], row["relief.textiles"]) == (0.25, "400900000 USD/yr", 0.5)
    assert math.isnan(row["petroleum_cap"])  # left out, as a scenario file leaves it: the status quo
    assert math.isnan(scenarios.set_index("name").loc["article-demands", "relief.coal"])  # coal left as it is


def test_other_frames_go_on_the_data_sheet_as_they_are(tmp_path):
    table = pd.DataFrame(
        {
            "parameter": ["=cmd()", "http://example.org/a", None],
            "swing": [1.5, np.nan, -np.inf],
            "count": [1, 2, 3],
            "restricted": [True, False, True],
            "mixed": ["text", 2.5, None],
        }
    )
    path = calc.export_xlsx(table, tmp_path / "t.xlsx")
    rows = sheet(path)
    assert values(rows) == [
        ["parameter", "swing", "count", "restricted", "mixed"],
        ["=cmd()", 1.5, 1, True, "text"],
        ["http://example.org/a", None, 2, False, 2.5],
        [None, "-inf", 3, True, None],
    ]
    assert [cell.data_type for cell in rows[1]] == ["s", "n", "n", "b", "s"]
    assert rows[2][0].hyperlink is None and rows[2][4].data_type == "n"
    assert sheet_names(path) == ["data"]  # no record, no record sheets
    tornado = calc.tornado("article-demands")
    back = pd.read_excel(calc.export_xlsx(tornado, tmp_path / "tornado.xlsx"))
    pd.testing.assert_frame_equal(back, tornado, check_dtype=False, rtol=DIGITS)


def test_a_share_of_nothing_is_an_empty_cell(tmp_path):
    shares = calc.compare(calc.run(["article-demands", "status-quo"]), reference="status-quo")
    path = calc.export_xlsx(shares, tmp_path / "shares.xlsx")
    back = pd.read_excel(path)
    assert back["value"].isna().sum() == shares["value"].isna().sum() > 0
    pd.testing.assert_frame_equal(back, shares, check_dtype=False, rtol=DIGITS)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("results.csv", "must end in .xlsx"),
        ("missing/results.xlsx", "does not exist"),
        ("", "expected a file path"),
        ("folder.xlsx", "is a folder"),
    ],
)
def test_bad_output_paths(tmp_path, target, message):
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(calc.InputError, match=message):
        calc.export_xlsx(calc.run("status-quo"), tmp_path / target if target else target)
    with pytest.raises(calc.InputError, match="export: expected a pandas DataFrame, got dict"):
        calc.export_xlsx({"a": [1]}, tmp_path / "x.xlsx")


def test_a_frame_longer_than_a_worksheet_is_refused(tmp_path):
    rows = workbook.MAX_ROWS  # 1,048,576: with the header, one more than a worksheet holds
    frame = pd.DataFrame({"year": np.zeros(rows, dtype=np.int64), "value": np.zeros(rows)})
    with pytest.raises(calc.InputError, match=r"1,048,576 rows x 2 columns do not fit .* write CSV"):
        calc.export_xlsx(frame, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_text_longer_than_a_cell_is_refused(tmp_path):
    with pytest.raises(calc.InputError, match=r"sheet 'data', row 3, column 'note': text longer than the 32,767"):
        calc.export_xlsx(pd.DataFrame({"note": ["short", "x" * 32_768]}), tmp_path / "long.xlsx")
    assert list(tmp_path.iterdir()) == []


class Boom(Exception):
    pass


def failing_after(count, error, monkeypatch):
    """Make the worksheet fail (with ``error``) from its ``count``-th number on."""
    real = xlsxwriter.worksheet.Worksheet.write_number
    calls = []

    def write_number(self, *args):
        calls.append(1)
        if len(calls) >= count:
            raise error
        return real(self, *args)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_number", write_number)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), Boom("failed midway")])
def test_an_interrupted_write_leaves_no_file_and_the_previous_one_as_it_was(tmp_path, monkeypatch, error):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "scratch"))  # where XlsxWriter puts its own temporaries
    (tmp_path / "scratch").mkdir()
    frame = calc.run(["article-demands", "hanoi-2019"])
    previous = calc.export_xlsx(calc.run("status-quo"), tmp_path / "old.xlsx").read_bytes()
    failing_after(100, error, monkeypatch)
    for name in ("new.xlsx", "old.xlsx"):
        with pytest.raises(type(error)):
            calc.export_xlsx(frame, tmp_path / name)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.xlsx", "scratch"]
    assert (tmp_path / "old.xlsx").read_bytes() == previous
    assert list((tmp_path / "scratch").iterdir()) == []


def test_a_full_disk_while_saving_is_an_os_error_and_keeps_the_previous_file(tmp_path, monkeypatch):
    path = calc.export_xlsx(calc.run("status-quo"), tmp_path / "results.xlsx")
    previous = path.read_bytes()

    class FullDisk:
        def __init__(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", FullDisk)
    with pytest.raises(OSError, match="No space left on device"):
        calc.export_xlsx(calc.run("article-demands"), path)
    assert [p.name for p in tmp_path.iterdir()] == ["results.xlsx"] and path.read_bytes() == previous


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_run_and_montecarlo_write_xlsx(capsys, tmp_path):
    target = tmp_path / "results.xlsx"
    code, out, err = run_cli(capsys, "run", "--metals-share", "0.5", "--name", "한국어 시나리오", "--out", str(target))
    rows = len(calc.VARIABLES) * 10
    assert code == 0 and err == ""
    assert out == f"wrote {rows} rows to {target} (sheet 'data'; the run, scenarios and assumptions after it)\n"
    data = pd.read_excel(target)
    assert len(data) == rows and set(data["scenario"]) == {"한국어 시나리오"}
    metals = data[data["variable"] == "Revenue|Metal Exports"]["value"]
    assert (metals == METALS * 0.5).all()  # 220 M x 0.5, shipped capacity 1 and nothing already smuggled
    code, out, _ = run_cli(capsys, "montecarlo", "metals-only", "-n", "20", "--out", str(tmp_path / "q.xlsx"))
    assert code == 0 and f"to {tmp_path / 'q.xlsx'}" in out
    assert sorted(set(pd.read_excel(tmp_path / "q.xlsx")["quantile"])) == [0.05, 0.5, 0.95]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--out", "results.txt"], "output path: 'results.txt' must end in .csv or .xlsx"),
        (["--out", "r.xlsx", "--format", "csv-wide"], "--format csv-wide: applies to CSV only"),
    ],
)
def test_cli_bad_outputs_are_one_line_errors(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "run", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


def test_libreoffice_reads_the_korean_name_and_the_numbers(tmp_path):
    """LibreOffice's CSV import garbles Korean names; its reading of the workbook, converted back to UTF-8 CSV by
    LibreOffice itself (headless), has every name and number as written."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        missing("LibreOffice", "Debian package 'libreoffice-calc'; .ci/run installs it")
    names = ["한국어 시나리오", "=1+1", "-5", "_x0041_"]
    frame = calc.run([calc.Scenario(name=name, metals_share=0.5, horizon=2) for name in names])
    path = calc.export_xlsx(frame, tmp_path / "results.xlsx")
    command = [
        soffice,
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",  # a profile of its own: parallel runs do not clash
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
        "--outdir",
        str(tmp_path / "out"),
        str(path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    converted = tmp_path / "out" / "results.csv"
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    with open(converted, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert [row[1] for row in rows[1:]] == frame["scenario"].tolist()
    metals = [row for row in rows if row[1] == "한국어 시나리오" and row[3] == "Revenue|Metal Exports"]
    assert metals == [
        ["sanctions-relief", "한국어 시나리오", "North Korea", "Revenue|Metal Exports", "USD/yr", year, "110000000"]
        for year in ("2027", "2028")
    ]  # 220 M x 0.5
    shown = [float(row[6]) for row in rows[1:]]  # LibreOffice writes 15 significant digits, the precision of Excel
    assert shown == pytest.approx(frame["value"].tolist(), rel=1e-14, abs=0)
