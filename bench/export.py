"""Export speed: ``calc.export_csv`` on a 10,000,000-row long frame, against ``pyarrow.csv.write_csv`` on the
same frame (converted with ``pa.Table.from_pandas``) and ``DataFrame.to_csv``, in the same run; then the same for
a frame of the same size built as users build one, by ``pd.concat`` of thousands of runs (``--pieces``), which
reaches the writer in thousands of arrow chunks per column.

pyarrow and calc alternate over several repetitions (each into a fresh file, after ``os.sync()``, so neither pays
for flushing the other's gigabyte) and their medians are compared; ``to_csv`` (about ten times slower) runs once.
Run: ``python bench/export.py [--rows N] [--repeat R] [--skip-to-csv]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the calc of this checkout

import calc


def long_frame(rows: int) -> pd.DataFrame:
    """Every preset's results, repeated under new scenario names, with values varied: ``rows`` rows."""
    base = calc.run(calc.presets())
    frame = base.iloc[np.arange(rows) % len(base)].reset_index(drop=True)
    frame["scenario"] = pd.array((np.arange(rows) // len(base)).astype(str), dtype="str")
    frame["value"] = frame["value"] * np.random.default_rng(0).random(rows)
    frame.attrs = base.attrs
    return frame


def fragmented(frame: pd.DataFrame, pieces: int) -> pd.DataFrame:
    """The same rows, concatenated from ``pieces`` separate frames."""
    size = -(-len(frame) // pieces)
    parts = [frame.iloc[start : start + size].copy() for start in range(0, len(frame), size)]
    joined = pd.concat(parts, ignore_index=True)
    joined.attrs = frame.attrs
    return joined


def with_pyarrow(frame: pd.DataFrame, path: Path) -> None:
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def with_calc(frame: pd.DataFrame, path: Path) -> None:
    calc.export_csv(frame, path)


def timed(write, frame: pd.DataFrame, path: Path) -> float:
    """Seconds for one write into a fresh path, after flushing what earlier writes left in the page cache."""
    path.unlink(missing_ok=True)
    os.sync()
    start = time.perf_counter()
    write(frame, path)
    return time.perf_counter() - start


def compare(frame: pd.DataFrame, repeat: int, to_csv: bool) -> tuple[dict[str, float], dict[str, list], float]:
    """Median seconds per writer (alternating pyarrow and calc), their runs, and the CSV's size in MB."""
    with tempfile.TemporaryDirectory(dir=".") as folder:
        path = Path(folder) / "bench.csv"
        samples: dict[str, list[float]] = {"pyarrow.csv.write_csv": [], "calc.export_csv": []}
        writers = {"pyarrow.csv.write_csv": with_pyarrow, "calc.export_csv": with_calc}
        for repetition in range(repeat):  # alternate which goes first
            for label in sorted(writers, reverse=repetition % 2 == 1):
                samples[label].append(timed(writers[label], frame, path))
        size = path.stat().st_size / 1e6
        medians = {label: statistics.median(values) for label, values in samples.items()}
        if to_csv:
            medians["DataFrame.to_csv"] = timed(lambda f, p: f.to_csv(p, index=False), frame, path)
    return medians, samples, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pieces", type=int, default=5000, help="runs the fragmented frame is concatenated from")
    parser.add_argument("--skip-to-csv", action="store_true")
    args = parser.parse_args()
    contiguous = long_frame(args.rows)
    frames = {"contiguous": contiguous, f"concatenated from {args.pieces:,} runs": fragmented(contiguous, args.pieces)}
    for name, frame in frames.items():
        to_csv = not args.skip_to_csv and name == "contiguous"
        medians, samples, size = compare(frame, args.repeat, to_csv)
        print(f"{name}: {args.rows:,} rows, {size:,.0f} MB of CSV")
        for label, seconds in medians.items():
            runs = ", ".join(f"{value:.2f}" for value in samples.get(label, [seconds]))
            print(f"  {label:24s} median {seconds:6.2f} s  {size / seconds:6.0f} MB/s  (runs: {runs})")
        ratio = medians["calc.export_csv"] / medians["pyarrow.csv.write_csv"]
        print(f"  ratio calc / pyarrow: {ratio:.2f} (goal <= 1.2)")
        if "DataFrame.to_csv" in medians:
            print(f"  ratio calc / to_csv:  {medians['calc.export_csv'] / medians['DataFrame.to_csv']:.2f}")


if __name__ == "__main__":
    main()
