"""CSV out and back in, with a Frictionless Data Package beside it.

``results.csv`` gets ``results.datapackage.json`` beside it. Both are written to temporary files in the target
folder and moved into place only when complete, so a failure leaves neither a partial file nor a damaged
previous one. Rows stream through pyarrow's CSV writer in chunks, so memory stays bounded at any size. The Data
Package records the CSV's size and hash, so ``read_csv`` recognises a CSV changed after export, and a pair caught
while an export replaces it (the Data Package first, then the CSV), which it reads again once the export is done.

Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is written with a
leading apostrophe, as is text that starts with an apostrophe; ``read_csv`` removes exactly one leading
apostrophe, so every name comes back as it went in.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xxhash

from calc.errors import InputError
from calc.files import atomic, being_written, target_path
from calc.frame import COLUMNS, Record, ResultFrame

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

TEXT_COLUMNS = ("model", "scenario", "region", "variable", "unit")
#: Columns a Monte Carlo export adds before ``value``: a quantile level, or the index of a raw draw.
EXTRA_COLUMNS = {"quantile": pa.float64(), "draw": pa.int64()}
FORMATS = ("csv", "csv-wide")
#: Rows per table on their way to the CSV writer: a table of 65,536 rows stays in the processor's cache from its copy
#: (see ``_chunks``) through its neutralising to its writing, which made exports 15-30% faster than a million rows.
CHUNK_ROWS = 1 << 16
#: Rows pyarrow's CSV writer turns into text at a time: 8,192 rather than its 1,024 make fewer, larger writes (each
#: goes through Python, to be hashed), and the export a tenth faster.
WRITER_BATCH_ROWS = 1 << 13
BOM = "\ufeff".encode()
Progress = Callable[[int, int], None]
FORMULA_START = "=+-@\t\r'"
#: The algorithm of the CSV's hash in its Data Package (``"hash": "xxh3_128:<hex digest>"``, the form the standard
#: gives for a hash other than MD5).
HASH = "xxh3_128"
#: Seconds ``read_csv`` waits for an export that is replacing the pair it reads before it gives up.
REPLACEMENT_PATIENCE = 10.0
UNIT_NOTE = (
    "Units parse in the pint registry of sanctions-relief (calc.ureg): USD is US dollars (a currency dimension, "
    "no exchange rate implied), bbl is the oil barrel of 42 US gallons = 158.987 litres, t is the metric tonne, "
    "yr is the Julian year, % is per cent. Each value is the difference from the status quo, except supply levels."
)


def datapackage_path(csv_path: str | Path) -> Path:
    """``results.datapackage.json`` for ``results.csv``: exports sharing a folder never share metadata."""
    path = Path(csv_path)
    return path.with_name(f"{path.stem}.datapackage.json")


def neutralise(texts: Sequence[str]) -> list[str]:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula (and to text starting with one)."""
    return [f"'{text}" if text[:1] and text[0] in FORMULA_START else text for text in texts]


def restore(texts: Sequence[str]) -> list[str]:
    """Undo ``neutralise``: drop the one leading apostrophe it added."""
    return [text[1:] if text.startswith("'") else text for text in texts]


def _first_byte_in(array: pa.Array, characters: str) -> np.ndarray:
    """Which strings of ``array`` start with one of ``characters`` (ASCII), read straight from arrow's buffers:
    one pass over 10 million rows costs milliseconds, where a regex costs most of a second."""
    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    _, offsets_buffer, data_buffer = array.buffers()
    if offsets_buffer is None or data_buffer is None or not data_buffer.size:
        return np.zeros(len(array), dtype=bool)
    offsets: np.ndarray = np.frombuffer(offsets_buffer, dtype=offset_type)[array.offset : array.offset + len(array) + 1]
    starts = offsets[:-1]
    first = np.take(np.frombuffer(data_buffer, dtype=np.uint8), starts, mode="clip")  # "" reads a neighbour
    marked = np.zeros(len(array), dtype=bool)
    codes = [ord(character) for character in characters]
    if len(first) and first.min() <= max(codes):  # else all start after them, as text starting with a letter does
        for code in codes:  # a comparison per character: a lookup table would cost a copy of ``first``
            marked |= first == code
        marked &= offsets[1:] > starts
    return marked


def safe_text(array: pa.Array) -> pa.Array:
    """``neutralise`` for a whole arrow string array."""
    risky = _first_byte_in(array, FORMULA_START)
    if not risky.any():
        return array
    prefix, empty = pa.scalar("'", type=array.type), pa.scalar("", type=array.type)
    return pc.if_else(pa.array(risky), pc.binary_join_element_wise(prefix, array, empty), array)


def restored_text(array: pa.Array) -> pa.Array:
    """``restore`` for a whole arrow string array."""
    quoted = _first_byte_in(array, "'")
    if not quoted.any():
        return array
    return pc.if_else(pa.array(quoted), pc.utf8_slice_codeunits(array, 1), array)


def coded_text(texts: Sequence[str], codes: np.ndarray) -> pa.Array:
    """Text given as codes into ``texts``, each entry neutralised once (not once per row)."""
    return pc.take(pa.array(neutralise(texts), type=pa.string()), pa.array(codes, type=pa.int32()))


def export_csv(frame: pd.DataFrame, path: str | Path, format: str = "csv", spreadsheet: bool = False) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 CSV, with its Data Package beside it. Returns the path written.

    A frame from ``calc.run`` or ``calc.montecarlo`` is written in the long IAMC layout (``format="csv"``,
    byte-identical for identical input, read back by ``read_csv``) or with one column per year
    (``format="csv-wide"``, as many spreadsheets want). Any other frame (a tornado, say) is written as it is.
    ``spreadsheet=True`` starts the file with a UTF-8 byte-order mark, without which Excel and LibreOffice guess a
    Windows code page and garble names outside ASCII (Korean, say); ``read_csv`` reads such a file too.
    """
    path = target_path(path)
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"export: expected a pandas DataFrame, got {type(frame).__name__}")
    if format not in FORMATS:
        raise InputError(f"format: {format!r} is not known; accepted: {', '.join(FORMATS)}")
    provenance = frame.attrs.get("sanctions_relief", {})
    long = all(column in frame.columns for column in COLUMNS)
    if format == "csv-wide":
        if not long:
            raise InputError(f"format: 'csv-wide' needs the long columns {', '.join(COLUMNS)}")
        frame = _wide(frame[frame_columns(frame)])
    elif long:
        frame = frame[frame_columns(frame)]
    return write_tables(path, _chunks(frame), provenance, bom=bool(spreadsheet))


def frame_columns(frame: pd.DataFrame) -> list[str]:
    """The long layout's columns, with ``quantile`` or ``draw`` before ``value`` where the frame has them."""
    extra = [column for column in EXTRA_COLUMNS if column in frame.columns]
    return [*COLUMNS[:-1], *extra, COLUMNS[-1]]


def _chunks(frame: pd.DataFrame) -> Iterator[pa.Table]:
    """The frame as arrow tables of at most ``CHUNK_ROWS`` rows, text neutralised.

    A frame concatenated from many runs reaches arrow in as many chunks per column: each table is copied into one
    chunk per column (which costs less than neutralising its text chunk by chunk, and lets the CSV writer write
    batches of ``WRITER_BATCH_ROWS`` rather than a batch per run), one table at a time, so that memory stays
    bounded (a copy of the whole frame at once made an export of 10,000,000 rows 40% slower)."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise InputError(f"export: a column cannot be written as CSV ({str(error).splitlines()[0]})") from None
    for start in range(0, max(table.num_rows, 1), CHUNK_ROWS):
        part = table.slice(start, CHUNK_ROWS).combine_chunks()  # no copy of a column already in one chunk
        for index, field in enumerate(part.schema):
            if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                safe = [safe_text(chunk) for chunk in part.column(index).chunks]  # no copy of unchanged text
                part = part.set_column(index, field, pa.chunked_array(safe, type=field.type))
        yield part


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [column for column in frame.columns if column not in ("year", "value")]
    wide = frame.pivot_table(index=keys, columns="year", values="value", sort=False, aggfunc="first")
    wide.columns = [str(year) for year in wide.columns]
    return wide.reset_index()


def write_tables(path: Path, tables: Iterable[pa.Table], provenance: dict, bom: bool = False) -> Path:
    """Stream ``tables`` (all with the columns of the first) into ``path`` atomically, with the Data Package,
    which records the CSV's size and hash so that a changed file, or one read while an export replaces it, is
    recognised on reading. The hash is XXH3 (128 bits), taken from the bytes on their way to the file: it made an
    export of 2,000,000 rows 1-3% slower, where CRC-32 made it 16% slower, SHA-256 42% and BLAKE2b 70%.
    ``bom`` starts the file with a UTF-8 byte-order mark, for spreadsheets."""
    with atomic(path) as csv_tmp, atomic(datapackage_path(path)) as json_tmp:
        with _HashingFile(csv_tmp) as sink:
            sink.write(BOM if bom else b"")
            writer = None
            try:
                for table in tables:
                    if writer is None:
                        options = pacsv.WriteOptions(batch_size=WRITER_BATCH_ROWS)
                        writer = pacsv.CSVWriter(sink, table.schema, write_options=options)
                        schema = table.schema
                    writer.write_table(table)
            finally:
                if writer is not None:
                    writer.close()
        package = _datapackage(path, schema, provenance, bom)
        package["resources"][0] |= {"bytes": csv_tmp.stat().st_size, "hash": f"{HASH}:{sink.hash.hexdigest()}"}
        json_tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False, allow_nan=False) + "\n", "utf-8")
    return path


class _HashingFile(io.BufferedWriter):
    """A new, empty file written through, hashing every byte on its way (so the hash costs no second read).

    It is opened without truncation: truncating a file, even an empty one, makes ext4 start writing all of it to
    disk when it is closed (``auto_da_alloc``), and the export waited for that and for the Data Package's rename
    behind it: a fifth of its time, or more."""

    def __init__(self, path: Path):
        super().__init__(io.FileIO(path, "r+"))
        self.hash = xxhash.xxh3_128()

    def write(self, data: Buffer) -> int:
        self.hash.update(memoryview(data))  # a view: xxhash before 3.6 types update as taking bytes-likes only
        return super().write(data)


def _datapackage(path: Path, schema: pa.Schema, provenance: dict, bom: bool = False) -> dict:
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
                "encoding": "utf-8-sig" if bom else "utf-8",
                "schema": {"fields": fields},
            }
        ],
        "sanctions_relief": provenance,
    }


def read_csv(path: str | Path) -> pd.DataFrame:
    """Read a long CSV written by ``export_csv`` back into the same frame, with the record of the run from the
    Data Package beside it (if there) in ``frame.attrs["sanctions_relief"]``.

    The CSV is read through one open handle, so a file being replaced is read whole, old or new. A CSV whose size
    or hash is not what its Data Package records is refused, unless an export is replacing the pair: then it is
    read again once the export is done (for at most ``REPLACEMENT_PATIENCE`` seconds).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    package_path = datapackage_path(path)
    deadline = time.monotonic() + REPLACEMENT_PATIENCE
    pause = 0.001
    while True:
        frame, package, mismatch, replacing = _read_pair(path, package_path)
        if not mismatch:
            if package:
                frame.attrs["sanctions_relief"] = Record(package.get("sanctions_relief", {}))
            return frame
        if not replacing or time.monotonic() > deadline:
            raise InputError(
                f"{path}: does not match {package_path.name} ({mismatch}): the CSV was changed or damaged after "
                f"export; move {package_path.name} away to read it anyway"
            )
        time.sleep(pause)
        pause = min(2 * pause, 0.1)


def _read_pair(path: Path, package_path: Path) -> tuple[pd.DataFrame, dict | None, str, bool]:
    """The frame and the Data Package (or None); how the CSV differs from what the package records ("" if not),
    and whether an export is replacing them. The package is read as soon as the CSV is open: an export replaces
    the package first, so it is then that of the CSV read or of a later export."""
    try:
        with open(path, "rb") as handle:
            package = _read_package(package_path)
            frame = _read_long_csv(path, handle)
            mismatch = _mismatch(handle, package["resources"][0] if package and package["resources"] else {})
            return frame, package, mismatch, bool(mismatch) and _being_replaced(path, handle)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


def _mismatch(handle: io.BufferedReader, recorded: dict) -> str:
    """How the CSV read through ``handle`` differs from the size and hash its Data Package records ("" if not)."""
    size = os.fstat(handle.fileno()).st_size
    if recorded.get("bytes", size) != size:
        return f"{size:,} bytes now, {recorded['bytes']:,} when exported"
    expected = recorded.get("hash", "")
    if expected.startswith(f"{HASH}:") and expected != f"{HASH}:{_file_hash(handle)}":
        return f"the same {size:,} bytes as when exported, but not the same content"
    return ""


def _file_hash(handle: io.BufferedReader) -> str:
    digest = xxhash.xxh3_128()
    handle.seek(0)
    while block := handle.read(1 << 22):
        digest.update(block)
    return digest.hexdigest()


def _being_replaced(path: Path, handle: io.BufferedReader) -> bool:
    """Whether an export is replacing ``path``, or has replaced it since ``handle`` was opened: its temporary CSV
    is there (it exists from before the package is replaced until it becomes the CSV, so look for it first), or
    the path now names another file than the one open (which cannot share its number while it is open)."""
    if being_written(path):
        return True
    try:
        return not os.path.samestat(os.stat(path), os.fstat(handle.fileno()))
    except OSError:  # gone: replaced by something that is not a file
        return True


def _read_package(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        package = json.loads(path.read_text("utf-8"))
        resources = package.get("resources", []) if isinstance(package, dict) else None
        if not isinstance(resources, list) or not all(isinstance(resource, dict) for resource in resources):
            raise ValueError("not a data package")
        if resources and not (
            isinstance(resources[0].get("bytes", 0), int) and isinstance(resources[0].get("hash", ""), str)
        ):
            raise ValueError("the CSV's recorded bytes or hash is not a number or text")
        return package | {"resources": resources}
    except (ValueError, OSError) as error:
        raise InputError(f"{path}: damaged metadata ({error})") from None


def _read_long_csv(path: Path, handle: io.BufferedReader) -> pd.DataFrame:
    try:
        header = handle.readline().decode("utf-8").removeprefix("\ufeff").strip()
        columns = header.replace('"', "").split(",")
        accepted = [list(COLUMNS)] + [[*COLUMNS[:-1], extra, COLUMNS[-1]] for extra in EXTRA_COLUMNS]
        if columns not in accepted:
            raise InputError(
                f"{path}: not a long sanctions-relief export; the header must be {','.join(COLUMNS)} (with "
                f"quantile or draw before value), found {header[:200]!r} (a csv-wide export does not read "
                "back: read the long one)"
            )
        handle.seek(0)
        types = {name: pa.string() for name in TEXT_COLUMNS} | {"year": pa.int64(), "value": pa.float64()}
        options = pacsv.ConvertOptions(
            column_types=types | EXTRA_COLUMNS, strings_can_be_null=False, quoted_strings_can_be_null=False
        )
        table = pacsv.read_csv(handle, convert_options=options)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: cannot be read as UTF-8 CSV ({error})") from None
    except pa.ArrowInvalid as error:
        raise InputError(f"{path}: damaged CSV ({str(error).splitlines()[0]})") from None
    for name in TEXT_COLUMNS:
        index = table.schema.get_field_index(name)
        column = table.column(index)
        table = table.set_column(index, name, pa.chunked_array([restored_text(c) for c in column.chunks], column.type))
    return ResultFrame(table.to_pandas())
