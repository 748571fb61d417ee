"""Bad input: a catalogue of bad inputs for every reader and entry point of the Python API, fuzzing of the
readers, and files the operating system refuses to read. Every bad input must give calc.InputError in one line
naming the field or file (the command line's own catalogue is in tests/test_cli.py, what a user may type as a lever
in tests/test_scenario.py)."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calc
from calc import export, files
from calc.assumptions import PARAMETERS


@dataclass(frozen=True)
class Case:
    id: str
    call: Callable[[Path], object]
    message: str


def written(reader: Callable[[Path], object], name: str, content: str | bytes, package: str | None = None):
    """A case that writes ``content`` to a file called ``name`` (and a data package beside it) and reads it."""

    def load(tmp: Path):
        path = tmp / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        if package is not None:
            (tmp / f"{path.stem}.datapackage.json").write_text(package)
        return reader(path)

    return load


def toml_file(text: str):
    return written(calc.load_assumptions, "mine.toml", text)


def scenario_file(text: str):
    return written(calc.load_scenarios, "scenarios.toml", text)


def csv_file(content: bytes, package: str | None = None):
    return written(calc.read_csv, "results.csv", content, package)


def truncated_export(cut: str) -> Callable[[Path], object]:
    """A real export cut short: mid-row, or at a row boundary (which only the recorded size reveals)."""

    def load(tmp: Path):
        path = calc.export_csv(calc.run("article-demands"), tmp / "results.csv")
        data = path.read_bytes()
        middle = len(data) // 2
        # mid-row: inside a quoted text, which no parser can close; else just after a line
        end = data.index(b',"', middle) + 3 if cut == "mid-row" else data.rindex(b"\n", 0, middle) + 1
        path.write_bytes(data[:end])
        return calc.read_csv(path)

    return load


def edited_export(tmp: Path):
    """A real export with one value changed in place, digit for digit: the size stays, only the hash tells."""
    path = calc.export_csv(calc.run("article-demands"), tmp / "results.csv")
    data = path.read_bytes()
    assert b",2027,220000000\n" in data
    path.write_bytes(data.replace(b",2027,220000000\n", b",2027,990000000\n", 1))
    return calc.read_csv(path)


def binary_toml(tmp: Path):
    (tmp / "b.toml").write_bytes(b"\x00\xff\xfe")
    return calc.load_assumptions(tmp / "b.toml")


def dangling_link(tmp: Path):
    (tmp / "link.toml").symlink_to(tmp / "gone.toml")
    return calc.load_assumptions(tmp / "link.toml")


def folder(tmp: Path, name: str = "empty") -> Path:
    (tmp / name).mkdir()
    return tmp / name


HEADER = b'"model","scenario","region","variable","unit","year","value"\n'
FULL_PRICE = '[petroleum.price]\nvalue = 100\nunit = "USD/bbl"\nlow = 80\nhigh = 140\nyear = 2024\nsource = "s"\n'

API = [
    Case("share-wrong-type", lambda t: calc.Scenario(metals_share=[0.5]), "metals_share: expected a number"),
    Case("share-nan", lambda t: calc.Scenario(luxury_share=math.nan), "luxury_share: must be a finite number"),
    Case("share-above-1", lambda t: calc.Scenario(luxury_share=1.01), "luxury_share: 1.01 is out of range"),
    Case("share-above-one-percent", lambda t: calc.Scenario(metals_share="150 %"), "metals_share: 1.5 is out of range"),
    Case("cap-minus-inf", lambda t: calc.Scenario(petroleum_cap=-math.inf), "petroleum_cap: must be a finite"),
    Case("cap-negative", lambda t: calc.Scenario(petroleum_cap="-1 bbl/day"), "petroleum_cap: -365.25 bbl/yr is"),
    Case("cap-wrong-dimension", lambda t: calc.Scenario(petroleum_cap="5 USD/yr"), "has the wrong dimension"),
    Case("cap-unknown-unit", lambda t: calc.Scenario(petroleum_cap="5 blorps/yr"), "unknown unit 'blorps/yr'"),
    Case("cap-ambiguous-unit", lambda t: calc.Scenario(petroleum_cap="5 ton/yr"), "'ton' in 'ton/yr' is ambiguous"),
    Case("cap-decimal-comma", lambda t: calc.Scenario(petroleum_cap="1,5e6 bbl/yr"), "no thousands separators"),
    Case("cap-empty-string", lambda t: calc.Scenario(petroleum_cap=""), "petroleum_cap: expected a number, got ''"),
    Case("cap-huge", lambda t: calc.Scenario(petroleum_cap="1e999 bbl/yr"), "petroleum_cap: must be a finite"),
    Case("horizon-huge", lambda t: calc.Scenario(horizon=10**9), "horizon: 1000000000 is out of range"),
    Case("horizon-fraction", lambda t: calc.Scenario(horizon=2.5), "horizon: expected a whole number"),
    Case("start-year-bool", lambda t: calc.Scenario(start_year=True), "start_year: expected a number"),
    Case("name-nul", lambda t: calc.Scenario(name="a\x00b"), "name: contains control character '\\x00'"),
    Case("name-escape", lambda t: calc.Scenario(name="\x1b[31mred"), "name: contains control character '\\x1b'"),
    Case("name-path", lambda t: calc.Scenario(name="..\\evil"), "contains a path separator"),
    Case("name-blank", lambda t: calc.Scenario(name="   "), "name: must not be empty"),
    Case("name-huge", lambda t: calc.Scenario(name="x" * 10_000), "name: is 10000 characters long"),
    Case("note-huge", lambda t: calc.Scenario(note="x" * 5000), "note: is 5000 characters long"),
    Case("preset-unknown", lambda t: calc.run("status quo"), "unknown scenario 'status quo'; presets:"),
    Case("scenario-dict", lambda t: calc.run({"metals_share": 1}), "scenarios: expected a Scenario"),
    Case("override-unknown", lambda t: calc.load_assumptions().override({"oil.price": 1}), "unknown parameter"),
    Case("override-nan", lambda t: calc.load_assumptions().override({"petroleum.price": "nan"}), "must be a finite"),
    Case(
        "override-share-percent",
        lambda t: calc.load_assumptions().override({"metals.capacity_share": "150 %"}),
        "metals.capacity_share.value: 1.5 is out of range",
    ),
    Case(
        "override-negative-price",
        lambda t: calc.load_assumptions().override({"petroleum.price": "-5 USD/bbl"}),
        "petroleum.price.value: -5 is out of range",
    ),
    Case(
        "override-list",
        lambda t: calc.load_assumptions().override({"petroleum.price": [1, 2]}),
        "petroleum.price.value: expected a number",
    ),
    Case(
        "override-ambiguous",
        lambda t: calc.load_assumptions().override({"petroleum.bbl_per_tonne": "8 bbl/ton"}),
        "'ton' in 'bbl/ton' is ambiguous",
    ),
    Case("assumptions-int-path", lambda t: calc.load_assumptions(123), "assumptions path: expected a file"),
    Case("assumptions-empty-path", lambda t: calc.load_assumptions(""), "assumptions path: expected a file"),
    Case("draws-negative", lambda t: calc.montecarlo("status-quo", n=-5, seed=1), "n: -5 draws is out of range"),
    Case("seed-float", lambda t: calc.montecarlo("status-quo", n=5, seed=1.5), "seed: expected a whole number"),
    Case("export-onto-folder", lambda t: calc.export_csv(calc.run("status-quo"), folder(t, "x.csv")), "is a folder"),
    Case("export-not-a-frame", lambda t: calc.export_csv([1, 2], t / "x.csv"), "expected a pandas DataFrame"),
    Case(
        "export-mixed-column",
        lambda t: calc.export_csv(pd.DataFrame({"a": [1, "x"]}), t / "x.csv"),
        "export: a column cannot be written as CSV",
    ),
]

ASSUMPTION_FILES = [
    Case("toml-malformed", toml_file("[petroleum.price\nvalue = 1"), "not valid TOML"),
    Case("toml-truncated", toml_file(FULL_PRICE[: FULL_PRICE.index("USD") + 2]), "not valid TOML"),
    Case("toml-binary", binary_toml, "not valid TOML"),
    Case("toml-empty-folder", lambda t: calc.load_assumptions(folder(t)), "holds no .toml assumption files"),
    Case("toml-missing", lambda t: calc.load_assumptions(t / "nope.toml"), "no such file or folder"),
    Case("toml-dangling-link", dangling_link, "no such file or folder"),
    Case(
        "toml-value-overflow", toml_file("[petroleum.price]\nvalue = 1e400"), "petroleum.price.value: must be a finite"
    ),
    Case("toml-value-inf", toml_file("[petroleum.price]\nvalue = inf"), "petroleum.price.value: must be a finite"),
    Case("toml-empty-table", toml_file("[petroleum.price]"), "'value' is missing"),
    Case("toml-odd-name", toml_file('[petroleum."pri/ce"]\nvalue = 1'), "unknown parameter 'petroleum.pri/ce'"),
    Case("toml-formula", toml_file('[petroleum.price]\nvalue = "=1+1"'), "petroleum.price.value: cannot read '=1+1'"),
    Case(
        "toml-array-value", toml_file("[petroleum.price]\nvalue = [1, 2]"), "petroleum.price.value: expected a number"
    ),
    Case("toml-unit-number", toml_file(FULL_PRICE.replace('"USD/bbl"', '"2 USD/bbl"')), "unknown unit '2 USD/bbl'"),
    Case("toml-unit-not-text", toml_file(FULL_PRICE.replace('"USD/bbl"', "5")), "the unit must be a string"),
    Case("toml-source-not-text", toml_file(FULL_PRICE.replace('"s"', "3")), "petroleum.price.source: must be text"),
]

SCENARIO_FILES = [
    Case("scenario-unknown-lever", scenario_file("[a]\ncap = 5"), "scenario 'a': unknown key(s) 'cap'"),
    Case(
        "scenario-wrong-type",
        scenario_file('[a]\nmetals_share = "lots"'),
        "metals_share: expected a number, got 'lots'",
    ),
    Case("scenario-path-name", scenario_file('["a/b"]\nmetals_share = 1'), "contains a path separator"),
    Case("scenario-truncated", scenario_file('[a]\nnote = "unfinished'), "not valid TOML"),
    Case("scenario-not-table", scenario_file("metals_share = 1"), "'metals_share' must be a table of levers"),
    Case("scenario-folder", lambda t: calc.load_scenarios(folder(t)), "is a folder; expected a .toml file"),
]

CSV_FILES = [
    Case("csv-foreign", csv_file(b"a,b\n1,2\n"), "not a long sanctions-relief export"),
    Case("csv-truncated-mid-row", truncated_export("mid-row"), "damaged CSV"),
    Case("csv-truncated-at-row", truncated_export("row"), "does not match results.datapackage.json"),
    Case("csv-edited-same-size", edited_export, "does not match results.datapackage.json (the same "),
    Case("csv-empty", csv_file(b""), "not a long sanctions-relief export"),
    Case("csv-binary", csv_file(b"\x89PNG\r\n\x1a\n\x00\x00"), "cannot be read as UTF-8 CSV"),
    Case("csv-folder", lambda t: calc.read_csv(folder(t)), "is not a file"),
    Case("csv-text-value", csv_file(HEADER + b'"m","s","r","v","u",2027,"lots"\n'), "damaged CSV"),
    Case("csv-fraction-year", csv_file(HEADER + b'"m","s","r","v","u",2027.5,1\n'), "damaged CSV"),
    Case("csv-extra-field", csv_file(HEADER + b'"m","s","r","v","u",2027,1,9\n'), "damaged CSV"),
    Case("csv-bad-package", csv_file(HEADER, package="{not json"), "results.datapackage.json: damaged metadata"),
    Case("csv-package-not-object", csv_file(HEADER, package="[1, 2]"), "damaged metadata"),
    Case(
        "csv-package-bytes-text",
        csv_file(HEADER, package='{"resources": [{"bytes": "61"}]}'),
        "damaged metadata (the CSV's recorded bytes or hash is not a number or text)",
    ),
]

CATALOGUE = API + ASSUMPTION_FILES + SCENARIO_FILES + CSV_FILES


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.id for case in CATALOGUE])
def test_bad_input_is_refused_in_one_line_naming_the_field_or_file(case, tmp_path):
    with pytest.raises(calc.InputError) as caught:
        case.call(tmp_path)
    assert case.message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- fuzzing the readers --------------------------------------------------------------------------------------

KEYS = ["value", "unit", "low", "high", "year", "source", "url", "note", "judgement", "distribution", "colour"]
TOML_VALUES = st.one_of(
    st.integers(-(10**6), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(['"USD/bbl"', '"bbl/yr"', '"%"', "true", "[1, 2]", '"triangular"', '"80 USD/bbl"']),
)
TOML_TABLES = st.lists(
    st.tuples(
        st.sampled_from([*PARAMETERS, "petroleum.nope", "x.y"]),
        st.lists(st.tuples(st.sampled_from(KEYS), TOML_VALUES), max_size=8, unique_by=lambda kv: kv[0]),
    ),
    max_size=4,
    unique_by=lambda table: table[0],
)


def _toml(tables) -> str:
    return "\n".join(f"[{name}]\n" + "\n".join(f"{k} = {v}" for k, v in pairs) for name, pairs in tables)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(structured=TOML_TABLES, noise=st.text(max_size=40), mix=st.booleans())
def test_any_toml_file_loads_as_a_valid_set_or_is_refused_naming_it(tmp_path, structured, noise, mix):
    text = _toml(structured) + (("\n" + noise) if mix else "")
    path = tmp_path / "fuzz.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        loaded = calc.load_assumptions(path)
    except calc.InputError as error:
        assert str(path) in str(error) or "override" in str(error) or "assumptions" in str(error), str(error)
    else:  # whatever it accepted is a valid set: every value inside its range and its spec's bounds
        for name, parameter in loaded.items():
            low, value, high = parameter.magnitudes(loaded.specs[name].unit)
            assert low <= value <= high, name
            loaded.specs[name].check(value, name)
    try:
        scenarios = calc.load_scenarios(path)
    except calc.InputError as error:
        assert str(path) in str(error), str(error)
    else:
        for scenario in scenarios:
            assert 0 <= scenario.metals_share <= 1 and 0 <= scenario.luxury_share <= 1, scenario


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200), with_header=st.booleans(), rows=st.lists(st.text(max_size=30), max_size=5))
def test_any_csv_file_is_read_as_an_export_or_refused_with_an_input_error(tmp_path, body, with_header, rows):
    path = tmp_path / "fuzz.csv"
    text = "\n".join(rows).encode("utf-8", "surrogatepass")
    path.write_bytes((HEADER if with_header else b"") + text + body)
    try:
        frame = calc.read_csv(path)
    except calc.InputError:
        return
    assert list(frame.columns)[:5] == ["model", "scenario", "region", "variable", "unit"]


# --- files the operating system refuses -----------------------------------------------------------------------


def test_unreadable_files_are_refused_naming_the_file_and_the_reason(tmp_path, monkeypatch):
    """Permission bits do not stop root, so the refusal of the operating system is simulated."""
    toml = tmp_path / "mine.toml"
    toml.write_text("[petroleum.price]\nvalue = 90\n")
    csv = calc.export_csv(calc.run("status-quo"), tmp_path / "results.csv")

    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(files, "open", refused, raising=False)
    monkeypatch.setattr(export, "open", refused, raising=False)
    with pytest.raises(calc.InputError, match=r"mine\.toml: cannot be read \(Permission denied\)"):
        calc.load_assumptions(toml)
    with pytest.raises(calc.InputError, match=r"results\.csv: cannot be read \(Permission denied\)"):
        calc.read_csv(csv)
