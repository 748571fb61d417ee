"""Excel workbooks (.xlsx) out: the result frame on sheet ``data``, the record of the run on the sheets after it.

A workbook opens in Excel and LibreOffice with every name intact (LibreOffice's CSV import guesses a character
set and garbles Korean, byte-order mark or not) and every number a number. It is written with XlsxWriter, cell by
cell with ``write_string`` and ``write_number`` (never its guessing ``write``), so a text such as ``=1+1``, ``-5``
or ``http://...`` is stored as that text: not a formula, a number or a link, and with no apostrophe, which only
CSV needs. Sheets:

- ``data``: the frame exactly as it is (the long IAMC layout for ``run`` and ``montecarlo``; pyam reads this
  sheet by default). A missing value is an empty cell, as in the CSV.
- ``run``: calculator, version and the run's settings (Monte Carlo n, seed, quantiles ...), one per row.
- ``scenarios``: one row per scenario with its levers (``relief.<area>`` for the other areas).
- ``assumptions``: one row per parameter: name, value, unit, low, high, year, source, url, judgement, ...

The last three come from ``frame.attrs["sanctions_relief"]`` and are left out for a frame without one.

Text goes into the workbook's shared-string table (XlsxWriter's default), not inline as its ``constant_memory``
mode writes it: openpyxl, and so pandas and pyam, read inline text that looks like an Excel escape (a scenario
named ``_x0041_``) wrongly. The price is memory: a full sheet of a million rows takes about 1 GiB and a minute to
write; CSV is the format for frames that large.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from calc.errors import InputError
from calc.export import frame_columns
from calc.files import atomic, target_path
from calc.frame import COLUMNS

#: An Excel worksheet's rows and columns (the header takes one row).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: Excel's longest text in a cell, in UTF-16 code units.
MAX_TEXT = 32_767
#: Rows turned into Python objects at a time.
BLOCK_ROWS = 1 << 16
#: Widest column set, in characters (a note may run to hundreds).
MAX_WIDTH = 60
#: Record entries that are tables, not settings: the assumptions and scenarios have sheets of their own; the areas'
#: declarations are for ``calc.rerun``.
TABLES = ("areas", "assumptions", "scenarios")

Write = Callable[[int, int, Any], int]


def export_xlsx(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` as an Excel workbook, with the record of the run beside it. Returns the path.

    The frame goes on sheet ``data`` as it is (for a frame from ``calc.run`` or ``calc.montecarlo``, the long
    IAMC layout, which ``pyam.IamDataFrame(path)`` reads); sheets ``run``, ``scenarios`` and ``assumptions``
    carry the record in ``frame.attrs["sanctions_relief"]``. Text is always stored as text, never as a formula.
    The file is written to a temporary file beside ``path`` and moved into place only when complete. A frame
    longer than a worksheet holds (1,048,575 rows below the header) is refused: write CSV instead.
    """
    path = target_path(path, (".xlsx",))
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"export: expected a pandas DataFrame, got {type(frame).__name__}")
    if len(frame) >= MAX_ROWS or len(frame.columns) > MAX_COLUMNS:
        raise InputError(
            f"export: {len(frame):,} rows x {len(frame.columns):,} columns do not fit an Excel worksheet "
            f"({MAX_ROWS - 1:,} rows below the header, {MAX_COLUMNS:,} columns); write CSV (a path ending in .csv)"
        )
    record = frame.attrs.get("sanctions_relief") or {}
    if all(column in frame.columns for column in COLUMNS):
        frame = frame[frame_columns(frame)]
    try:
        with atomic(path) as temporary, xlsxwriter.Workbook(str(temporary)) as workbook:
            _write_table(workbook, "data", frame)
            if record:
                _write_rows(workbook, "run", ["field", "value"], _settings(record))
                _write_table(workbook, "scenarios", _scenarios(record.get("scenarios", []), record.get("areas") or {}))
                _write_table(workbook, "assumptions", pd.DataFrame(record.get("assumptions", [])))
    except FileCreateError as error:  # XlsxWriter's wrapper of the OSError (a full disk, say) met while saving
        raise error.args[0] from None
    return path


def _settings(record: Mapping, prefix: str = "") -> Iterable[list]:
    """The record's settings as rows: a name and its value (a list's items across the row); nested settings
    are named ``montecarlo.seed`` and the like. Tables (the assumptions, scenarios, areas, a peeling trajectory)
    are left to their own sheets or functions."""
    for key, value in record.items():
        name = f"{prefix}{key}"
        if not prefix and key in TABLES:
            continue
        if isinstance(value, Mapping):
            yield from _settings(value, f"{name}.")
        elif not isinstance(value, list | tuple):
            yield [name, value]
        elif not any(isinstance(item, Mapping | list | tuple) for item in value):
            yield [name, *value]


def _scenarios(scenarios: Sequence[Mapping], areas: Mapping) -> pd.DataFrame:
    """One row per scenario, its levers as columns; each other area eased is a column ``relief.<area>`` (as a
    scenario file may write it; empty where a scenario leaves the area as it is), in the areas' declared order."""
    eased = {name for scenario in scenarios for name in scenario.get("relief", {})}
    order = [name for name in areas if name in eased] + sorted(eased - set(areas))
    rows = []
    for scenario in scenarios:
        row = {}
        for key, value in scenario.items():
            if key == "relief":
                row.update({f"relief.{name}": value.get(name) for name in order})
            else:  # a list (the resolutions lifted) as one text cell
                row[key] = ", ".join(map(str, value)) if isinstance(value, list) else value
        rows.append(row)
    return pd.DataFrame(rows)


def _write_table(workbook: xlsxwriter.Workbook, name: str, table: pd.DataFrame) -> None:
    """``table`` on a new sheet: a header row of its column names, then its rows."""
    sheet = _sheet(workbook, name)
    header = [str(column) for column in table.columns]
    _write_row(sheet, 0, [sheet.write_string] * len(header), header, header)
    for start in range(0, len(table), BLOCK_ROWS):  # Python objects for a block of rows at a time, not all
        block = table.iloc[start : start + BLOCK_ROWS]
        columns = [_column(sheet, block.iloc[:, index]) for index in range(len(header))]
        writers = [write for write, _ in columns]
        for row, values in enumerate(zip(*(values for _, values in columns), strict=True), start=start + 1):
            _write_row(sheet, row, writers, values, header)
    for index, text in enumerate(header):
        _set_width(sheet, index, [text, *_shown(table.iloc[:, index])])


def _write_rows(workbook: xlsxwriter.Workbook, name: str, header: list[str], rows: Iterable[list]) -> None:
    """Rows of mixed values (a setting's name, then its values) on a new sheet."""
    sheet = _sheet(workbook, name)
    _write_row(sheet, 0, [sheet.write_string] * len(header), header, header)
    widths: dict[int, list[str]] = {}
    for row, values in enumerate(rows, start=1):
        _write_row(sheet, row, [_cell_writer(sheet, value) for value in values], values, header)
        for index, value in enumerate(values):
            widths.setdefault(index, []).append(str(value))
    for index, texts in widths.items():
        _set_width(sheet, index, texts)


def _sheet(workbook: xlsxwriter.Workbook, name: str) -> Worksheet:
    sheet = workbook.add_worksheet(name)
    sheet.freeze_panes(1, 0)  # the header stays in view
    return sheet


def _write_row(sheet: Worksheet, row: int, writers: Sequence[Write], values: Sequence, header: list[str]) -> None:
    """One row, each value with its writer. XlsxWriter cuts text longer than a cell holds and says so only in
    what it returns, so a non-zero return stops the export."""
    for column, (write, value) in enumerate(zip(writers, values, strict=True)):
        if write(row, column, value):
            where = header[column] if column < len(header) else f"column {column + 1}"
            raise InputError(
                f"export: sheet {sheet.name!r}, row {row + 1}, column {where!r}: text longer than the {MAX_TEXT:,} "
                "characters an Excel cell holds; write CSV (a path ending in .csv)"
            )


def _column(sheet: Worksheet, column: pd.Series) -> tuple[Write, list]:
    """How to write one column's cells, and its values: numbers as numbers, true/false as booleans, text as
    text. A column with gaps (NaN, None), infinities or values of mixed types is written cell by cell."""
    values = column.tolist()
    if column.isna().any():
        return _writer(sheet), values
    if pd.api.types.is_bool_dtype(column):
        return sheet.write_boolean, values
    if pd.api.types.is_numeric_dtype(column) and column.dtype.kind in "iuf":
        finite = column.dtype.kind != "f" or not np.isinf(column.to_numpy()).any()
        return (sheet.write_number if finite else _writer(sheet)), values
    if pd.api.types.infer_dtype(column, skipna=False) == "string":
        return sheet.write_string, values
    return _writer(sheet), values


def _writer(sheet: Worksheet) -> Write:
    """One cell at a time, by the value's type."""
    return lambda row, column, value: _cell_writer(sheet, value)(row, column, value)


def _cell_writer(sheet: Worksheet, value: Any) -> Write:
    """The writer for one value: a finite number as a number, a bool as a boolean, a gap (None, NaN) as an empty
    cell, an infinity as the text ``inf`` or ``-inf`` (as in the CSV: a worksheet holds no infinite number), and
    anything else as its text."""
    if isinstance(value, bool | np.bool_):
        return sheet.write_boolean
    if _missing(value):
        return lambda row, column, _: sheet.write_blank(row, column, None)
    if isinstance(value, int | float | np.integer | np.floating):
        if math.isinf(value):
            return lambda row, column, number: sheet.write_string(row, column, "inf" if number > 0 else "-inf")
        return sheet.write_number
    return lambda row, column, other: sheet.write_string(row, column, str(other))


def _missing(value: Any) -> bool:
    return not isinstance(value, str) and pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _shown(column: pd.Series) -> list[str]:
    """Texts as wide as a column's cells: a long number, or the column's distinct values (the first thousand)."""
    if pd.api.types.is_numeric_dtype(column):
        return ["-1.23456789E+15"]
    return [str(value) for value in pd.unique(column)[:1000]]


def _set_width(sheet: Worksheet, index: int, texts: Iterable[str]) -> None:
    """A column wide enough for the widest of ``texts``, up to ``MAX_WIDTH`` characters."""
    widest = max((len(text) for text in texts), default=8)
    sheet.set_column(index, index, min(MAX_WIDTH, max(8, widest + 2)))
