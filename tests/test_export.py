import json
import os
import stat

import pandas as pd
import pytest
import xxhash

import calc
from calc import export

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
def test_hostile_names_stay_inert_and_come_back(tmp_path, name):
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


def test_rerun_from_the_export_reproduces_it_exactly(tmp_path, shipped):
    changed = shipped.override(
        {"petroleum.price": "158.987294928 USD/m**3", "metals.price_index": {"value": 1.2, "low": 1, "high": 1.5}}
    )
    scenarios = [
        "article-demands",
        calc.Scenario(name="mine", metals_share=0.37, petroleum_cap="1234567.8 bbl/yr", ramp_years=3),
    ]
    for frame in (
        calc.run(scenarios, assumptions=changed),
        calc.montecarlo(scenarios, n=500, seed=3, assumptions=changed),
    ):
        path = calc.export_csv(frame, tmp_path / "out.csv")
        again = calc.rerun(path)
        pd.testing.assert_frame_equal(again, calc.read_csv(path))
        pd.testing.assert_frame_equal(again, frame)


def test_rerun_needs_the_record(tmp_path, frame):
    path = calc.export_csv(frame, tmp_path / "out.csv")
    (tmp_path / "out.datapackage.json").unlink()
    with pytest.raises(calc.InputError, match="rerun: no record of assumptions and scenarios found"):
        calc.rerun(path)
    record = frame.attrs["sanctions_relief"] | {"assumptions": [{"name": "petroleum.price", "value": 1}]}
    with pytest.raises(calc.InputError, match=r"recorded assumptions: petroleum\.price: missing 'unit'"):
        calc.rerun(record)


def test_chunk_boundaries_do_not_change_the_bytes(tmp_path, frame, monkeypatch):
    whole = calc.export_csv(frame, tmp_path / "whole.csv").read_bytes()
    monkeypatch.setattr(export, "CHUNK_ROWS", 7)
    named = frame.copy()
    named.loc[named.index % 5 == 0, "scenario"] = "=x"  # risky text in some chunks only
    assert calc.export_csv(frame, tmp_path / "chunked.csv").read_bytes() == whole
    pd.testing.assert_frame_equal(calc.read_csv(calc.export_csv(named, tmp_path / "named.csv")), named)
