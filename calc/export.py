"""CSV out and back in, with a Frictionless Data Package beside it.

``results.csv`` gets ``results.datapackage.json`` beside it. Both are written to temporary files in the target
folder and moved into place only when complete, so a failure leaves neither a partial file nor a damaged
previous one. Rows stream through pyarrow's CSV writer in chunks, so memory stays bounded at any size.

Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written with a
leading apostrophe, as is text that starts with an apostrophe; ``read_csv`` removes exactly one leading
apostrophe, so every name comes back as it went in.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from calc.engine import COLUMNS
from calc.errors import InputError

TEXT_COLUMNS = ("model", "scenario", "region", "variable", "unit")
#: Columns a Monte Carlo export adds before ``value``: a quantile level, or the index of a raw draw.
EXTRA_COLUMNS = {"quantile": pa.float64(), "draw": pa.int64()}
FORMATS = ("csv", "csv-wide")
CHUNK_ROWS = 1 << 20
FORMULA_START = re.compile(r"^[=+\-@\t\r']")
UNIT_NOTE = (
    "Units parse in the pint registry of sanctions-relief (calc.ureg): USD is US dollars (a currency dimension, "
    "no exchange rate implied), bbl is the oil barrel of 42 US gallons = 158.987 litres, t is the metric tonne, "
    "yr is the Julian year, % is per cent. Each value is the difference from the status quo, except supply levels."
)
TEXT_TYPE = pa.dictionary(pa.int32(), pa.string())


def datapackage_path(csv_path: str | Path) -> Path:
    """``results.datapackage.json`` for ``results.csv``: exports sharing a folder never share metadata."""
    path = Path(csv_path)
    return path.with_name(f"{path.stem}.datapackage.json")


def neutralise(texts: Sequence[str]) -> list[str]:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula (and to text starting with one)."""
    return [f"'{text}" if FORMULA_START.match(text) else text for text in texts]


def restore(texts: Sequence[str]) -> list[str]:
    """Undo ``neutralise``: drop the one leading apostrophe it added."""
    return [text[1:] if text.startswith("'") else text for text in texts]


def coded_text(texts: Sequence[str], codes: np.ndarray | pa.Array) -> pa.DictionaryArray:
    """Text given as codes into ``texts``, each entry neutralised once (not once per row)."""
    codes = codes if isinstance(codes, pa.Array) else pa.array(codes, type=pa.int32())
    return pa.DictionaryArray.from_arrays(codes, pa.array(neutralise(texts), type=pa.string()))


def text_array(values: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """Text as a neutralised dictionary array."""
    encoded = pc.dictionary_encode(pa.chunked_array([values]).combine_chunks().cast(pa.string()))
    return coded_text(encoded.dictionary.to_pylist(), encoded.indices)


def export_csv(frame: pd.DataFrame, path: str | Path, format: str = "csv") -> Path:
    """Write ``frame`` (from ``calc.run`` or ``calc.montecarlo``) to ``path`` as UTF-8 CSV, with its Data Package.

    ``format="csv"`` is the long layout, byte-identical for identical input and read back by ``read_csv``;
    ``"csv-wide"`` has one column per year, as many spreadsheets want. Returns the path written.
    """
    path = target_path(path)
    columns = frame_columns(frame)
    provenance = frame.attrs.get("sanctions_relief", {})
    if format == "csv":
        return write_tables(path, _chunks(frame[columns]), provenance)
    if format == "csv-wide":
        return write_tables(path, [_wide(frame[columns])], provenance)
    raise InputError(f"format: {format!r} is not known; accepted: {', '.join(FORMATS)}")


def frame_columns(frame: pd.DataFrame) -> list[str]:
    """The long layout's columns of ``frame``, with ``quantile`` or ``draw`` before ``value`` where present."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"export: expected a frame from calc.run, got {type(frame).__name__}")
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"export: the frame lacks column(s) {', '.join(missing)}; pass a frame from calc.run")
    extra = [column for column in EXTRA_COLUMNS if column in frame.columns]
    return [*COLUMNS[:-1], *extra, COLUMNS[-1]]


def target_path(path: str | Path) -> Path:
    """``path`` as a CSV file path in an existing folder, or InputError."""
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


def _chunks(frame: pd.DataFrame) -> Iterator[pa.Table]:
    for start in range(0, max(len(frame), 1), CHUNK_ROWS):
        part = frame.iloc[start : start + CHUNK_ROWS]
        yield pa.table({name: _arrow(part[name], name) for name in frame.columns})


def _arrow(column: pd.Series, name: str) -> pa.Array:
    if name in TEXT_COLUMNS:
        return text_array(pa.array(column, type=pa.string(), from_pandas=True))
    if name in ("year", "draw"):
        return pa.array(column.to_numpy(dtype=np.int64))
    return pa.array(column.to_numpy(dtype=np.float64))


def _wide(frame: pd.DataFrame) -> pa.Table:
    keys = [column for column in frame.columns if column not in ("year", "value")]
    wide = frame.pivot_table(index=keys, columns="year", values="value", sort=False, aggfunc="first")
    wide = wide.reset_index()
    table = {name: text_array(pa.array(wide[name], type=pa.string())) for name in keys if name in TEXT_COLUMNS}
    table |= {str(name): pa.array(wide[name].to_numpy(dtype=np.float64)) for name in wide.columns if name not in table}
    return pa.table(table)


def write_tables(path: Path, tables: Iterable[pa.Table], provenance: dict) -> Path:
    """Stream ``tables`` (all with the columns of the first) into ``path`` atomically, with the Data Package."""
    with _atomic(path) as csv_tmp, _atomic(datapackage_path(path)) as json_tmp:
        writer = None
        try:
            for table in tables:
                if writer is None:
                    writer = pacsv.CSVWriter(csv_tmp, table.schema)
                    schema = table.schema
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
        package = _datapackage(path, schema, provenance)
        json_tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    return path


def _datapackage(path: Path, schema: pa.Schema, provenance: dict) -> dict:
    fields = []
    for field in schema:
        kind = "integer" if pa.types.is_integer(field.type) else "number" if pa.types.is_floating(field.type) else ""
        entry = {"name": field.name, "type": kind or "string"}
        if field.name == "unit":
            entry["description"] = UNIT_NOTE
        fields.append(entry)
    name = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-") or "results"
    return {
        "name": name,
        "title": "sanctions-relief results",
        "resources": [
            {
                "name": name,
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
    """Read a long CSV written by ``export_csv`` back into the same frame (its metadata, if beside it, in
    ``frame.attrs["sanctions_relief"]``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    try:
        with open(path, "rb") as handle:
            header = handle.readline().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read as UTF-8 CSV ({error})") from None
    columns = header.replace('"', "").split(",")
    accepted = [list(COLUMNS)] + [[*COLUMNS[:-1], extra, COLUMNS[-1]] for extra in EXTRA_COLUMNS]
    if columns not in accepted:
        raise InputError(
            f"{path}: not a long sanctions-relief export; the header must be {','.join(COLUMNS)} (with quantile "
            f"or draw before value), found {header[:200]!r}"
        )
    types = {name: TEXT_TYPE for name in TEXT_COLUMNS} | {"year": pa.int64(), "value": pa.float64()} | EXTRA_COLUMNS
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False)
    try:
        table = pacsv.read_csv(path, convert_options=options)
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"{path}: damaged CSV ({str(error).splitlines()[0]})") from None
    frame = pd.DataFrame({name: _column(table.column(name), name) for name in columns})
    package = datapackage_path(path)
    if package.is_file():
        try:
            frame.attrs["sanctions_relief"] = json.loads(package.read_text("utf-8")).get("sanctions_relief", {})
        except (ValueError, AttributeError, OSError) as error:
            raise InputError(f"{package}: damaged metadata ({error})") from None
    return frame


def _column(column: pa.ChunkedArray, name: str) -> pd.Series | np.ndarray:
    if name not in TEXT_COLUMNS:
        return column.to_numpy()
    encoded = column.combine_chunks() if column.num_chunks else pa.array([], type=TEXT_TYPE)
    dictionary = pa.array(restore(encoded.dictionary.to_pylist()), type=pa.string())
    return pd.Series(pc.take(dictionary, encoded.indices), dtype="str")
