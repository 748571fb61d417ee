"""Hostile input: a catalogue of bad inputs for every entry point, property tests, fuzzing of the readers, and
faults while writing and reading. Every bad input must give calc.InputError (at the command line: one line on
standard error and exit status 2) with a message naming the field or file."""

import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_areas import check_aggregates

import calc
from calc import export, uncertainty
from calc.assumptions import PARAMETERS
from calc.cli import main


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
def test_bad_input_is_refused_with_a_clear_message(case, tmp_path):
    with pytest.raises(calc.InputError) as caught:
        case.call(tmp_path)
    assert case.message in str(caught.value)
    assert "\n" not in str(caught.value)


CLI = [
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


@pytest.mark.parametrize(("argv", "message"), CLI, ids=[" ".join(argv) for argv, _ in CLI])
def test_command_line_errors_are_one_line_exit_2(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exit:  # usage errors leave through argparse
        code = exit.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


# --- property tests -------------------------------------------------------------------------------------------

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    metals=ANYTHING,
    cap=ANYTHING,
    luxury=ANYTHING,
    start=ANYTHING,
    horizon=ANYTHING,
    ramp=ANYTHING,
    name=ANYTHING,
)
def test_any_lever_values_give_a_scenario_or_input_error(metals, cap, luxury, start, horizon, ramp, name):
    try:
        scenario = calc.Scenario(
            name=name,
            metals_share=metals,
            petroleum_cap=cap,
            luxury_share=luxury,
            start_year=start,
            horizon=horizon,
            ramp_years=ramp,
        )
    except calc.InputError:
        return
    assert 0 <= scenario.metals_share <= 1 and 1 <= scenario.horizon <= 200


#: Every parameter an override can set: those of the shipped set, and those an area leaves at its kind's default.
SETTABLE = set(calc.load_assumptions()) | {
    f"{area.name}.{role}"
    for area in calc.load_assumptions().areas
    for role, spec in area.kind.roles.items()
    if spec.default is not None
}


def valid_assumptions():
    """Overrides anywhere inside the accepted (physical and plausible) bounds, not only inside the published
    ranges, as quantities in the unit the model computes in."""

    def accepted(spec):
        low = max(spec.minimum, spec.plausible[0])
        high = min(spec.maximum, spec.plausible[1])
        floats = st.floats(
            low,
            high,
            exclude_min=low == spec.minimum and not spec.allow_minimum,
            exclude_max=high == spec.maximum and not spec.allow_maximum,
        )
        return floats.map(lambda value: calc.ureg.Quantity(value, spec.unit))

    values = {name: accepted(spec) for name, spec in PARAMETERS.items() if name in SETTABLE}
    return st.fixed_dictionaries({}, optional=values)


@pytest.fixture(scope="module")
def shipped_set():
    return calc.load_assumptions()


#: Every variable that is a difference from the status quo: all but the levels (supply shares, the share bought).
EFFECTS = [
    name
    for name, variable in calc.variables.catalogue(calc.load_assumptions().areas).variables.items()
    if variable.group != "level"
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=valid_assumptions())
def test_status_quo_has_no_effect_under_any_assumptions(shipped_set, changes):
    frame = calc.run("status-quo", assumptions=shipped_set.override(changes))
    effects = frame[frame["variable"].isin(EFFECTS)]
    assert (effects["value"] == 0).all()


SHARE_AREAS = [
    name
    for name, lever in zip(calc.areas()["name"], calc.areas()["lever"], strict=True)
    if "relief" in lever and name != "crude_oil"
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=valid_assumptions(),
    shares=st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2 + len(SHARE_AREAS), max_size=2 + len(SHARE_AREAS)
    ),
    caps=st.lists(st.tuples(st.floats(0, 1e8), st.floats(0, 1e8)), min_size=2, max_size=2),
    ramp=st.integers(0, 4),
    horizon=st.integers(1, 6),
)
def test_no_relief_lowers_what_is_earned_or_unlocked_and_the_hierarchy_holds(
    shipped_set, changes, shares, caps, ramp, horizon
):
    """Every lever of every area, moved up together, never lowers the hard currency earned (each area's and the
    total) nor the imports unlocked (their value, and the fuel volume); parents are sums. What is bought may fall
    (more unlocked with the same money buys a smaller share of each), and so may fuel spending (legal fuel
    replacing dearer smuggled fuel)."""
    assumptions = shipped_set.override(changes)
    ordered = [sorted(pair) for pair in shares]
    fuel = [sorted(pair) for pair in caps]
    scenarios = [
        calc.Scenario(
            name=name,
            metals_share=ordered[0][end],
            luxury_share=ordered[1][end],
            petroleum_cap=f"{fuel[0][end]} bbl/yr",
            relief={area: ordered[2 + index][end] for index, area in enumerate(SHARE_AREAS)}
            | {"crude_oil": f"{fuel[1][end]} bbl/yr"},
            ramp_years=ramp,
            horizon=horizon,
        )
        for end, name in enumerate("ab")
    ]
    frame = calc.run(scenarios, assumptions=assumptions)
    a, b = (frame[frame["scenario"] == name].set_index(["variable", "year"])["value"] for name in "ab")
    catalogue = calc.variables.catalogue(assumptions.areas)
    never_lower = [
        variable.name
        for variable in catalogue.variables.values()
        if variable.sign > 0 or variable.unlocked or variable.name.endswith("|Additional Legal Imports")
    ]
    assert {"Revenue", "Imports Unlocked", "Revenue|Coal Exports", "Imports Unlocked|Refined Petroleum"} <= set(
        never_lower
    )
    for name in never_lower:
        assert (a[name] <= b[name] + 1e-9 * (1 + abs(b[name]))).all(), name
    # parents found from the names alone (pyam's check_aggregate), not from the code's own list of sums
    assert check_aggregates(frame) == []
    for values in (a, b):
        assert (values["Hard Currency|Net"] == values["Revenue"] - values["Expenditure"]).all()


OTHER_UNITS = {"USD/yr": "MUSD/day", "bbl/yr": "m**3/s", "t/yr": "kg/day", "%": "dimensionless"}


@settings(max_examples=100, deadline=None)
@given(value=st.floats(-1e15, 1e15), unit=st.sampled_from(sorted(OTHER_UNITS)))
def test_unit_conversion_round_trips(value, unit):
    there = calc.ureg.Quantity(value, unit).to(OTHER_UNITS[unit])
    back = there.to(unit).magnitude
    assert back == pytest.approx(value, rel=1e-12, abs=1e-300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=valid_assumptions())
def test_override_never_changes_the_set_it_was_called_on(shipped_set, changes):
    before = shipped_set.to_frame()
    shipped_set.override(changes)
    pd.testing.assert_frame_equal(shipped_set.to_frame(), before)


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
def test_fuzz_assumption_and_scenario_readers(tmp_path, structured, noise, mix):
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
def test_fuzz_csv_reader(tmp_path, body, with_header, rows):
    path = tmp_path / "fuzz.csv"
    text = "\n".join(rows).encode("utf-8", "surrogatepass")
    path.write_bytes((HEADER if with_header else b"") + text + body)
    try:
        frame = calc.read_csv(path)
    except calc.InputError:
        return
    assert list(frame.columns)[:5] == ["model", "scenario", "region", "variable", "unit"]


# --- faults ---------------------------------------------------------------------------------------------------


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
    os.replace(tmp_path / "new.csv", tmp_path / f".results.csv.killed{export.TEMPORARY_SUFFIX}")
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
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(export.TEMPORARY_SUFFIX)]


def test_failed_draws_export_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        yield from ()
        raise MemoryError("simulated")

    monkeypatch.setattr(uncertainty, "_draw_tables", broken)
    with pytest.raises(MemoryError):
        calc.montecarlo("article-demands", n=10, seed=1, draws_out=tmp_path / "draws.csv")
    assert list(tmp_path.iterdir()) == []


def test_export_does_not_follow_into_a_half_written_state_on_keyboard_interrupt(tmp_path, monkeypatch):
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


def test_unreadable_files_are_named(tmp_path, monkeypatch):
    """Permission bits do not stop root, so the refusal of the operating system is simulated."""
    toml = tmp_path / "mine.toml"
    toml.write_text("[petroleum.price]\nvalue = 90\n")
    csv = calc.export_csv(calc.run("status-quo"), tmp_path / "results.csv")

    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    from calc import files

    monkeypatch.setattr(files, "open", refused, raising=False)
    monkeypatch.setattr(export, "open", refused, raising=False)
    with pytest.raises(calc.InputError, match=r"mine\.toml: cannot be read \(Permission denied\)"):
        calc.load_assumptions(toml)
    with pytest.raises(calc.InputError, match=r"results\.csv: cannot be read \(Permission denied\)"):
        calc.read_csv(csv)
