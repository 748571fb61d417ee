import json
import os
import stat

import pandas as pd
import pytest

import calc
from calc import export


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
        def __init__(self, sink, schema):
            self.sink = open(sink, "wb")  # noqa: SIM115

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


def test_export_refuses_a_frame_that_is_not_ours(tmp_path):
    with pytest.raises(calc.InputError, match="export: the frame lacks column"):
        calc.export_csv(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")


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
