"""Workbook export: ``calc.export_xlsx`` on a 100,000-row long frame, against the ways it could have been written.

Compared in the same run on the same frame (some of its scenarios named ``=1+1``, ``-5`` and ``_x0041_``):
XlsxWriter alone (``write_row`` with ``strings_to_formulas`` off: the floor under calc's writer), openpyxl's
write-only mode (every text cell forced to text), ``DataFrame.to_excel`` with either engine, and
``calc.export_csv``. XlsxWriter and calc alternate over ``--repeat`` runs and their medians are compared; the rest
run once. Each workbook is read back with openpyxl and the hostile names' cells checked: text or formula, and
whether the name came back. Also prints each library's installed size.
Run: ``python bench/xlsx.py [--rows N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import xlsxwriter
from openpyxl.cell import WriteOnlyCell

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/export.py's frame
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the calc of this checkout

from export import long_frame

import calc

HOSTILE = ["=1+1", "-5", "_x0041_"]


def hostile_frame(rows: int) -> pd.DataFrame:
    frame = long_frame(rows)
    every = np.arange(rows) % 1000
    for index, name in enumerate(HOSTILE):
        frame.loc[every == index, "scenario"] = name
    return frame


def with_xlsxwriter(frame: pd.DataFrame, path: Path) -> None:
    with xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False}) as book:
        sheet = book.add_worksheet("data")
        sheet.write_row(0, 0, list(frame.columns))
        for row, values in enumerate(zip(*(frame[column].tolist() for column in frame.columns), strict=True), start=1):
            sheet.write_row(row, 0, values)


def with_openpyxl(frame: pd.DataFrame, path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(frame.columns))
    for values in zip(*(frame[column].tolist() for column in frame.columns), strict=True):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # else openpyxl writes "=1+1" as a formula
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


WRITERS = {
    "calc.export_xlsx": lambda frame, path: calc.export_xlsx(frame, path),
    "XlsxWriter write_row": with_xlsxwriter,
    "openpyxl write-only": with_openpyxl,
    "to_excel(engine='xlsxwriter')": lambda frame, path: frame.to_excel(
        path, sheet_name="data", index=False, engine="xlsxwriter"
    ),
    "to_excel(engine='openpyxl')": lambda frame, path: frame.to_excel(
        path, sheet_name="data", index=False, engine="openpyxl"
    ),
    "calc.export_csv": lambda frame, path: calc.export_csv(frame, path.with_suffix(".csv")),
}


def timed(write, frame: pd.DataFrame, path: Path) -> float:
    start = time.perf_counter()
    write(frame, path)
    return time.perf_counter() - start


def hostile_cells(path: Path) -> str:
    """How the hostile names came back: each name's cell type (s text, f formula, n number), and '!' where the
    text read back differs from the name."""
    sheet = openpyxl.load_workbook(path, read_only=True)["data"]
    seen: dict[str, str] = {}
    for index, row in enumerate(sheet.iter_rows(min_row=2, max_row=len(HOSTILE) + 1, values_only=False)):
        cell = row[1]
        seen[HOSTILE[index]] = cell.data_type + ("" if cell.value == HOSTILE[index] else "!")
    sheet.parent.close()
    return " ".join(f"{name} {kind}" for name, kind in seen.items())


def installed_size(distribution: str) -> float:
    """MB of a distribution's installed files, compiled bytecode left out."""
    files = importlib.metadata.distribution(distribution).files or []
    return sum(f.locate().stat().st_size for f in files if "__pycache__" not in str(f) and f.locate().exists()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = hostile_frame(args.rows)
    print(f"{len(frame):,} rows x {len(frame.columns)} columns")
    for name in ("XlsxWriter", "openpyxl", "et_xmlfile"):
        version = importlib.metadata.version(name)
        print(f"{name} {version}: {installed_size(name):.2f} MB installed")
    with tempfile.TemporaryDirectory(dir=".") as folder:
        samples: dict[str, list[float]] = {"calc.export_xlsx": [], "XlsxWriter write_row": []}
        for repetition in range(args.repeat):  # alternate which goes first
            for label in sorted(samples, reverse=repetition % 2 == 1):
                samples[label].append(timed(WRITERS[label], frame, Path(folder) / "bench.xlsx"))
        medians = {label: statistics.median(values) for label, values in samples.items()}
        for index, label in enumerate(WRITERS):
            path = Path(folder) / f"{index}.xlsx"
            if label in medians:
                WRITERS[label](frame, path)  # timed above; written again here for the checks
            else:
                medians[label] = timed(WRITERS[label], frame, path)
            written = path.with_suffix(".csv") if label.endswith("csv") else path
            cells = "" if label.endswith("csv") else hostile_cells(path)
            ratio = medians[label] / medians["XlsxWriter write_row"]
            size = written.stat().st_size / 1e6
            print(f"{label:30} {medians[label]:6.2f} s {ratio:5.2f} x XlsxWriter {size:5.1f} MB  {cells}")


if __name__ == "__main__":
    main()
