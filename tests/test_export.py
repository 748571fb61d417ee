import json
import math
import os
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
import xxhash

import calc
from calc import export, files
from calc.cli import main

from conftest import frictionless_validate


@pytest.fixture
def frame():
    return calc.run(["article-demands", "hanoi-2019"])


def test_round_trip_is_exact(frame, tmp_path):
    path = calc.export_csv(frame, tmp_path / "results.csv")
    back = calc.read_csv(path)
    pd.testing.assert_frame_equal(back, frame)
    assert back.attrs["sanctions_relief"] == json.loads(json.dumps(frame.attrs["sanctions_relief"]))


def test_layout_and_header(frame, tmp_path):
    path = calc.export_csv(frame, tmp_path / "results.csv")
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == '"model","scenario","region","variable","unit","year","value"'
    assert (
        lines[1] == '"sanctions-relief","article-demands","North Korea","Revenue|Metal Exports","USD/yr",2027,220000000'
    )
    assert len(lines) == len(frame) + 1


def test_repeat_exports_are_byte_identical(frame, tmp_path):
    first = calc.export_csv(frame, tmp_path / "a.csv").read_bytes()
    second = calc.export_csv(calc.run(["article-demands", "hanoi-2019"]), tmp_path / "a.csv").read_bytes()
    assert first == second
    meta = (tmp_path / "a.datapackage.json").read_bytes()
    calc.export_csv(frame, tmp_path / "a.csv")
    assert (tmp_path / "a.datapackage.json").read_bytes() == meta


def test_datapackage_records_the_size_and_hash_of_the_csv(frame, tmp_path):
    path = calc.export_csv(frame, tmp_path / "results.csv", spreadsheet=True)
    resource = json.loads((tmp_path / "results.datapackage.json").read_text())["resources"][0]
    data = path.read_bytes()
    assert data.startswith(export.BOM)  # the byte-order mark is part of what the hash covers
    assert resource["bytes"] == len(data)
    assert resource["hash"] == f"xxh3_128:{xxhash.xxh3_128(data).hexdigest()}"


def test_datapackage_beside_each_csv(frame, tmp_path):
    calc.export_csv(frame, tmp_path / "one.csv")
    calc.export_csv(calc.run("status-quo"), tmp_path / "two.csv")
    one = json.loads((tmp_path / "one.datapackage.json").read_text())
    two = json.loads((tmp_path / "two.datapackage.json").read_text())
    assert one["resources"][0]["path"] == "one.csv" and two["resources"][0]["path"] == "two.csv"
    assert [s["name"] for s in one["sanctions_relief"]["scenarios"]] == ["article-demands", "hanoi-2019"]
    assert "42 US gallons" in json.dumps(one)


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-cmd", "@SUM(A1)", "'quoted", 'say "hi", then', "tab\there"])
def test_names_a_spreadsheet_could_misread_stay_inert_and_come_back(tmp_path, name):
    if "\t" in name:
        with pytest.raises(calc.InputError, match="control character"):
            calc.Scenario(name=name)
        return
    frame = calc.run(calc.Scenario(name=name, metals_share=1.0, horizon=1))
    path = calc.export_csv(frame, tmp_path / "x.csv")
    text = path.read_text("utf-8")
    for line in text.splitlines()[1:]:
        scenario_cell = line.split('","')[1]
        assert scenario_cell[0] not in "=+-@"
    assert calc.read_csv(path)["scenario"].tolist() == [name] * len(frame)


@pytest.mark.parametrize("start", ["\t", "\r", "=", "+", "-", "@", "'"])
def test_every_formula_start_is_neutralised_and_restored(tmp_path, start):
    frame = calc.run("status-quo")
    name = f"{start}cmd|' /C calc'!A0"
    frame["scenario"] = pd.array([name] * len(frame), dtype="str")
    path = calc.export_csv(frame, tmp_path / "r.csv")
    raw = path.read_bytes().decode("utf-8").split("\n")[1]
    assert raw.split(",")[1].startswith(f"\"'{start}")
    assert calc.read_csv(path)["scenario"].iloc[0] == name


def test_neutralise_and_restore_are_inverse():
    texts = ["=1", "'=1", "''", "plain", "-", "", "'"]
    assert export.neutralise(texts) == ["'=1", "''=1", "'''", "plain", "'-", "", "''"]
    assert export.restore(export.neutralise(texts)) == texts


class Boom(Exception):
    pass


def failing_after_first_chunk(frame, error):
    """Tables for write_tables: one real chunk is written, then the source fails."""
    yield from export._chunks(frame.iloc[:5])
    raise error


def test_failure_midway_keeps_the_previous_file_and_leaves_no_temporaries(frame, tmp_path):
    path = calc.export_csv(frame, tmp_path / "results.csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(Boom):
        export.write_tables(path, failing_after_first_chunk(frame, Boom("disk full")), {})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_interrupt_midway_leaves_nothing_new(frame, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        export.write_tables(tmp_path / "new.csv", failing_after_first_chunk(frame, KeyboardInterrupt()), {})
    assert list(tmp_path.iterdir()) == []


def test_full_disk_while_writing_leaves_the_previous_file(frame, tmp_path, monkeypatch):
    path = calc.export_csv(frame, tmp_path / "results.csv")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    class FullDisk:
        def __init__(self, sink, schema, write_options=None):
            self.sink = sink

        def write_table(self, table):
            self.sink.write(b"partial,row")
            raise OSError(28, "No space left on device")

        def close(self):
            self.sink.close()

    monkeypatch.setattr(export.pacsv, "CSVWriter", FullDisk)
    with pytest.raises(OSError, match="No space left"):
        calc.export_csv(calc.run("status-quo"), path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_exported_file_has_ordinary_permissions(frame, tmp_path):
    old = os.umask(0o022)
    try:
        path = calc.export_csv(frame, tmp_path / "results.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "results.datapackage.json").stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("target", "message"),
    [("results.txt", "must end in .csv"), ("missing/results.csv", "does not exist"), ("", "expected a file path")],
)
def test_bad_output_paths(frame, tmp_path, target, message):
    with pytest.raises(calc.InputError, match=message):
        calc.export_csv(frame, tmp_path / target if target else target)


def test_other_frames_are_written_as_they_are_and_neutralised(tmp_path):
    table = pd.DataFrame({"parameter": ["=cmd()", "plain"], "swing": [1.5, 2.0]})
    path = calc.export_csv(table, tmp_path / "t.csv")
    assert path.read_text("utf-8").splitlines() == ['"parameter","swing"', '"\'=cmd()",1.5', '"plain",2']
    with pytest.raises(calc.InputError, match="format: 'csv-wide' needs the long columns"):
        calc.export_csv(table, tmp_path / "t.csv", format="csv-wide")
    with pytest.raises(calc.InputError, match="export: expected a pandas DataFrame, got dict"):
        calc.export_csv({"a": [1]}, tmp_path / "x.csv")
    with pytest.raises(calc.InputError, match="format: 'xlsx' is not known; accepted: csv, csv-wide"):
        calc.export_csv(table, tmp_path / "x.csv", format="xlsx")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a,b\n1,2\n", "not a long sanctions-relief export; the header must be"),
        (b"", "not a long sanctions-relief export"),
        (b"\xff\xfe\x00\x01", "cannot be read as UTF-8"),
        (
            b'"model","scenario","region","variable","unit","year","value"\n"m","s","r","v","u",notayear,1\n',
            "damaged CSV",
        ),
        (b'"model","scenario","region","variable","unit","year","value"\n"m","s","r"\n', "damaged CSV"),
    ],
)
def test_read_csv_refuses_damaged_or_foreign_files(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(calc.InputError) as caught:
        calc.read_csv(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_read_csv_missing_file_and_folder(tmp_path):
    with pytest.raises(calc.InputError, match="no such file"):
        calc.read_csv(tmp_path / "nope.csv")
    with pytest.raises(calc.InputError, match="is not a file"):
        calc.read_csv(tmp_path)


IAMC_INDEX = ["model", "scenario", "region", "variable", "unit"]


@pytest.mark.parametrize("kind", ["run", "montecarlo"])
def test_layout_is_the_iamc_long_format_pyam_reads(tmp_path, kind):
    """pyam's IamDataFrame(file) reads a long CSV whose lower-case columns hold model, scenario, region,
    variable, unit, an integer year and a numeric value, with any extra column (here: quantile) as part of the
    index, and no duplicate index rows. Checked with plain pandas, as pyam itself reads the file."""
    frame = calc.run(calc.presets()) if kind == "run" else calc.montecarlo(calc.presets()[:2], n=50, seed=1)
    path = calc.export_csv(frame, tmp_path / "iamc.csv")
    data = pd.read_csv(path)
    assert list(data.columns[:5]) == IAMC_INDEX and data.columns[-1] == "value"
    assert data["year"].dtype == "int64" and data["value"].dtype == "float64"
    assert data["value"].notna().all()
    index = [column for column in data.columns if column != "value"]
    assert not data.duplicated(index).any()
    for column in IAMC_INDEX:
        assert (data[column].astype(str).str.len() > 0).all()


@pytest.mark.parametrize("kind", ["long", "wide", "quantiles", "draws", "tornado"])
def test_frictionless_validate_passes(tmp_path, kind):
    target = tmp_path / f"{kind}.csv"
    if kind == "draws":
        calc.montecarlo("article-demands", n=20, seed=1, draws_out=target)
    elif kind == "quantiles":
        calc.export_csv(calc.montecarlo("article-demands", n=20, seed=1), target)
    elif kind == "tornado":
        calc.export_csv(calc.tornado("article-demands"), target)
    else:
        calc.export_csv(
            calc.run(["article-demands", "hanoi-2019"]), target, format="csv-wide" if kind == "wide" else "csv"
        )
    frictionless_validate(export.datapackage_path(target))


def test_datapackage_records_montecarlo_settings_and_units(tmp_path):
    frame = calc.montecarlo("article-demands", n=30, seed=5, sampler="lhs")
    calc.export_csv(frame, tmp_path / "q.csv")
    package = json.loads((tmp_path / "q.datapackage.json").read_text())
    record = package["sanctions_relief"]
    assert record["montecarlo"] | {"sampled": None} == {
        "n": 30,
        "seed": 5,
        "sampler": "lhs",
        "quantiles": [0.05, 0.5, 0.95],
        "sampled": None,
    }
    prices = next(row for row in record["assumptions"] if row["name"] == "petroleum.price")
    shipped = calc.load_assumptions()["petroleum.price"]
    assert (prices["low"], prices["value"], prices["high"], prices["unit"]) == (
        shipped.low,
        shipped.value,
        shipped.high,
        "USD/bbl",
    )
    assert prices["source"] == shipped.source
    fields = {field["name"]: field["type"] for field in package["resources"][0]["schema"]["fields"]}
    assert fields == {
        "model": "string",
        "scenario": "string",
        "region": "string",
        "variable": "string",
        "unit": "string",
        "year": "integer",
        "quantile": "number",
        "value": "number",
    }


def test_wide_layout(tmp_path):
    frame = calc.run(calc.Scenario(name="r", metals_share=1.0, ramp_years=2, horizon=3))
    path = calc.export_csv(frame, tmp_path / "wide.csv", format="csv-wide")
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == '"model","scenario","region","variable","unit","2027","2028","2029"'
    assert (
        lines[1]
        == '"sanctions-relief","r","North Korea","Revenue|Metal Exports","USD/yr",110000000,220000000,220000000'
    )
    assert len(lines) == 1 + len(calc.VARIABLES)
    with pytest.raises(calc.InputError, match="not a long sanctions-relief export"):
        calc.read_csv(path)


def test_chunk_boundaries_do_not_change_the_bytes(tmp_path, frame, monkeypatch):
    whole = calc.export_csv(frame, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(export, "CHUNK_ROWS", 7)
    named = frame.copy()
    named.loc[named.index % 5 == 0, "scenario"] = "=x"  # risky text in some chunks only
    assert calc.export_csv(frame, tmp_path / "chunked.csv").read_bytes() == whole
    pd.testing.assert_frame_equal(calc.read_csv(calc.export_csv(named, tmp_path / "named.csv")), named)


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


def test_an_interrupt_after_the_data_package_is_written_keeps_the_previous_export(tmp_path, monkeypatch):
    path = calc.export_csv(calc.run("status-quo"), tmp_path / "r.csv")
    before = path.read_bytes()
    original = export._datapackage

    def interrupted(*args):
        original(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "_datapackage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        calc.export_csv(calc.run("article-demands"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.datapackage.json"]


# --- reads while an export replaces the files ------------------------------------------------------------------


def same_size_runs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two runs whose exports differ only in the scenario's name, of as many letters: the same number of bytes."""
    return tuple(calc.run(calc.Scenario(name=name, metals_share=1.0, horizon=3)) for name in ("aaaa", "bbbb"))


def assert_data_matches_its_record(frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    recorded = [scenario["name"] for scenario in frame.attrs["sanctions_relief"]["scenarios"]]
    assert list(dict.fromkeys(frame["scenario"])) == recorded  # the data and its record belong together
    pd.testing.assert_frame_equal(frame, expected)


def test_a_read_between_the_two_renames_of_an_export_waits_for_its_csv(tmp_path, monkeypatch):
    """An export replaces the Data Package, then the CSV. A read in between finds the new package beside the old
    CSV, of the same size: it must wait for the new CSV, not pair the old data with the new record. Driven
    exactly: the read runs inside the export's rename of the CSV, and that rename happens once the read has seen
    the export under way."""
    old, new = same_size_runs()
    path = calc.export_csv(old, tmp_path / "results.csv")
    size = path.stat().st_size
    rename, being_replaced = os.replace, export._being_replaced
    reads = []

    def replace(source, target):
        if Path(target) != path:
            return rename(source, target)  # the Data Package, replaced first
        assert path.stat().st_size == size  # the old CSV, still there: its size alone cannot tell
        pending = [(source, target)]

        def export_goes_on_once_seen(*args):
            replacing = being_replaced(*args)
            if replacing and pending:
                rename(*pending.pop())
            return replacing

        monkeypatch.setattr(export, "_being_replaced", export_goes_on_once_seen)
        reads.append(calc.read_csv(path))
        if pending:  # the read never waited
            rename(*pending.pop())

    monkeypatch.setattr(os, "replace", replace)
    calc.export_csv(new, path)
    assert len(reads) == 1 and path.stat().st_size == size
    assert_data_matches_its_record(reads[0], new)


def test_a_read_overtaken_by_a_whole_export_reads_again(tmp_path, monkeypatch):
    """The CSV is open when an export replaces both files, before the Data Package is read: the package read is
    the new one, the CSV open the old one, of the same size. The read starts again and gets the new pair."""
    old, new = same_size_runs()
    path = calc.export_csv(old, tmp_path / "results.csv")
    read_package = export._read_package

    def export_first(package_path):
        monkeypatch.setattr(export, "_read_package", read_package)
        calc.export_csv(new, path)
        return read_package(package_path)

    monkeypatch.setattr(export, "_read_package", export_first)
    assert_data_matches_its_record(calc.read_csv(path), new)


def test_a_pair_left_mismatched_by_a_killed_export_is_refused_in_time(tmp_path, monkeypatch):
    """An export killed between its two renames leaves the new package, the old CSV and its temporary file: the
    read waits for at most REPLACEMENT_PATIENCE seconds, then refuses the pair."""
    old, new = same_size_runs()
    path = calc.export_csv(old, tmp_path / "results.csv")
    calc.export_csv(new, tmp_path / "new.csv")
    os.replace(tmp_path / "new.datapackage.json", export.datapackage_path(path))
    os.replace(tmp_path / "new.csv", tmp_path / f".results.csv.killed{files.TEMPORARY_SUFFIX}")
    monkeypatch.setattr(export, "REPLACEMENT_PATIENCE", 0.05)
    with pytest.raises(calc.InputError, match=r"does not match results\.datapackage\.json \(the same [\d,]+ bytes"):
        calc.read_csv(path)


def test_reads_during_replacement_see_the_old_or_the_new_export(tmp_path, monkeypatch):
    """A writer replaces the pair 100 times, alternating two exports of the same size, while reads run: each read
    gives one export's data with that export's record. Pass or fail does not depend on speed: the writer stops
    after its replacements, the reader reads until then (and once more), and waits for as long as it takes."""
    monkeypatch.setattr(export, "REPLACEMENT_PATIENCE", math.inf)
    runs = same_size_runs()
    path = calc.export_csv(runs[0], tmp_path / "results.csv")
    failures = []

    def replace_again_and_again():
        try:
            for index in range(100):
                calc.export_csv(runs[1 - index % 2], path)
        except Exception as error:
            failures.append(error)

    writer = threading.Thread(target=replace_again_and_again)
    writer.start()
    try:
        while True:
            done = not writer.is_alive()
            frame = calc.read_csv(path)
            assert_data_matches_its_record(frame, runs[frame["scenario"].iloc[0] == "bbbb"])
            if done:
                break
    finally:
        writer.join()
    assert not failures
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(files.TEMPORARY_SUFFIX)]


@pytest.mark.parametrize("name", ["OUT.CSV", "Out.Csv", "OUT.XLSX"])
def test_upper_case_suffixes_are_output_paths_too(tmp_path, name):
    frame = calc.run("article-demands")
    path = tmp_path / name
    (calc.export_xlsx if name.lower().endswith(".xlsx") else calc.export_csv)(frame, path)
    assert path.is_file() and path.stat().st_size > 0
