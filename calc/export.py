"""CSV out and back in, with a Frictionless Data Package beside it.

``results.csv`` gets ``results.datapackage.json`` beside it. Both are written to temporary files in the target
folder and moved into place only when complete, so a failure leaves neither a partial file nor a damaged
previous one. Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
is written with a leading apostrophe, as is text that starts with an apostrophe, so ``read_csv`` removes
exactly one leading apostrophe and gives every name back as it went in.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from calc.engine import COLUMNS
from calc.errors import InputError

TEXT_COLUMNS = ("model", "scenario", "region", "variable", "unit")
FORMULA_START = re.compile(r"^[=+\-@\t\r']")
FIELD_TYPES = {"year": "integer", "value": "number"}
UNIT_NOTE = (
    "Units parse in the pint registry of sanctions-relief (calc.ureg): USD is US dollars (a currency dimension, "
    "no exchange rate implied), bbl is the oil barrel of 42 US gallons = 158.987 litres, t is the metric tonne, "
    "yr is the Julian year, % is per cent. Each value is the difference from the status quo."
)


def datapackage_path(csv_path: str | Path) -> Path:
    """``results.datapackage.json`` for ``results.csv``: exports sharing a folder never share metadata."""
    path = Path(csv_path)
    return path.with_name(f"{path.stem}.datapackage.json")


def neutralise(text: pd.Series) -> pd.Series:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula (and to text starting with one)."""
    risky = text.str.contains(FORMULA_START)
    return text.where(~risky, "'" + text)


def restore(text: pd.Series) -> pd.Series:
    """Undo ``neutralise``: drop the one leading apostrophe it added."""
    return text.where(~text.str.startswith("'"), text.str[1:])


def export_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` (from ``calc.run``) to ``path`` as UTF-8 CSV, and its Data Package beside it.

    Byte-identical for identical input. Returns the path written.
    """
    path = _target(path)
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"export_csv: the frame lacks column(s) {', '.join(missing)}; pass a frame from calc.run")
    table = _arrow_table(frame[list(COLUMNS)])
    package = _datapackage(path, frame.attrs.get("sanctions_relief", {}))
    with _atomic(path) as csv_tmp, _atomic(datapackage_path(path)) as json_tmp:
        pacsv.write_csv(table, csv_tmp)
        json_tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    return path


def _target(path: str | Path) -> Path:
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InputError(f"output path: expected a file path ending in .csv, got {path!r}")
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InputError(f"output path: {str(path)!r} must end in .csv")
    if path.is_dir():
        raise InputError(f"output path: {str(path)!r} is a folder; give a file name ending in .csv")
    if not path.parent.is_dir():
        raise InputError(f"output path: the folder {str(path.parent)!r} does not exist")
    return path


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    columns = {}
    for name in COLUMNS:
        column = frame[name]
        if name in TEXT_COLUMNS:
            columns[name] = pa.array(neutralise(column.astype("str")), type=pa.string())
        elif name == "year":
            columns[name] = pa.array(column.to_numpy(dtype=np.int64))
        else:
            columns[name] = pa.array(column.to_numpy(dtype=np.float64))
    return pa.table(columns)


def _datapackage(path: Path, provenance: dict) -> dict:
    fields = [{"name": name, "type": FIELD_TYPES.get(name, "string")} for name in COLUMNS]
    fields[COLUMNS.index("unit")]["description"] = UNIT_NOTE
    resource_name = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "results"
    return {
        "name": resource_name,
        "title": "sanctions-relief results",
        "resources": [
            {
                "name": resource_name,
                "path": path.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        ],
        "sanctions_relief": provenance,
    }


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved over it once the block succeeds, removed if it fails."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV written by ``export_csv`` back into the same frame (metadata, if beside it, in ``attrs``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    try:
        with open(path, "rb") as handle:
            header = handle.readline().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read as UTF-8 CSV ({error})") from None
    expected = ",".join(f'"{name}"' for name in COLUMNS)
    if header.replace('"', "") != expected.replace('"', ""):
        raise InputError(
            f"{path}: not a sanctions-relief export; the header must be {','.join(COLUMNS)}, found {header[:200]!r}"
        )
    types = {name: pa.string() for name in TEXT_COLUMNS} | {"year": pa.int64(), "value": pa.float64()}
    try:
        options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False)
        table = pacsv.read_csv(path, convert_options=options)
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"{path}: damaged CSV ({str(error).splitlines()[0]})") from None
    frame = pd.DataFrame({name: _column(table, name) for name in COLUMNS})
    package = datapackage_path(path)
    if package.is_file():
        try:
            frame.attrs["sanctions_relief"] = json.loads(package.read_text("utf-8")).get("sanctions_relief", {})
        except (ValueError, AttributeError) as error:
            raise InputError(f"{package}: damaged metadata ({error})") from None
    return frame


def _column(table: pa.Table, name: str) -> pd.Series | np.ndarray:
    column = table.column(name)
    if name in TEXT_COLUMNS:
        return restore(pd.Series(column.to_pylist(), dtype="str"))
    return column.to_numpy()
