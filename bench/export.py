"""Export speed: ``calc.export_csv`` against ``pyarrow.csv.write_csv`` of the same frame (converted with
``pa.Table.from_pandas``), in the same run, on three frames:

- contiguous: a 10,000,000-row long frame (``--rows``), also against ``DataFrame.to_csv``;
- concatenated: the same rows cut into ``--pieces`` parts and joined again with ``pd.concat``;
- runs: 2,000,000 rows (``--runs-rows``) built as users build a frame, by ``pd.concat`` of 6,000 ``calc.run``
  frames (``--runs``) whose scenarios they renamed, each with a name of its own. Each text column reaches arrow in
  6,000 chunks, and the scenario column holds 6,000 distinct names.

pyarrow and calc alternate over several repetitions (each into a fresh file, after ``os.sync()``, so neither pays
for flushing the other's data) and their medians are compared; ``to_csv`` (about ten times slower) runs once. CPU
time (of every thread of the process) is printed beside the elapsed time: on a machine shared with other work it
says what each writer cost, where elapsed time also says how long it waited for a processor.
Run: ``python bench/export.py [--frame all|contiguous|concatenated|runs] [--rows N] [--repeat R] [--skip-to-csv]``.
"""

from __future__ import annotations

import argparse
import dataclasses
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


def runs_frame(runs: int, rows: int) -> pd.DataFrame:
    """``rows`` rows from ``pd.concat`` of ``runs`` runs of the presets in turn, each renamed (``"<preset> #<n>"``).
    The horizons are chosen so that the runs hold exactly ``rows`` rows: some a year longer than others."""
    presets = calc.presets()
    years = -(-rows // len(calc.VARIABLES))  # a run has a row per variable and year
    horizon = years // runs
    longer = years - horizon * runs
    computed: dict[tuple[str, int], pd.DataFrame] = {}
    parts = []
    for index in range(runs):
        key = (presets[index % len(presets)], horizon + (index < longer))
        if key not in computed:
            computed[key] = calc.run(dataclasses.replace(calc.preset(key[0]), horizon=key[1]))
        part = computed[key].copy()
        part["scenario"] = f"{key[0]} #{index}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:rows]


def with_pyarrow(frame: pd.DataFrame, path: Path) -> None:
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)


def with_calc(frame: pd.DataFrame, path: Path) -> None:
    calc.export_csv(frame, path)


def timed(write, frame: pd.DataFrame, path: Path) -> tuple[float, float]:
    """Seconds elapsed and of CPU for one write into a fresh path, after flushing what earlier writes left in the
    page cache."""
    path.unlink(missing_ok=True)
    os.sync()
    start, cpu = time.perf_counter(), time.process_time()
    write(frame, path)
    return time.perf_counter() - start, time.process_time() - cpu


def compare(frame: pd.DataFrame, repeat: int, to_csv: bool) -> tuple[dict[str, list], dict[str, list], float]:
    """Seconds elapsed and of CPU per writer (alternating pyarrow and calc), and the CSV's size in MB."""
    with tempfile.TemporaryDirectory(dir=".") as folder:
        path = Path(folder) / "bench.csv"
        writers = {"pyarrow.csv.write_csv": with_pyarrow, "calc.export_csv": with_calc}
        elapsed: dict[str, list[float]] = {label: [] for label in writers}
        cpu: dict[str, list[float]] = {label: [] for label in writers}
        for repetition in range(repeat):  # alternate which goes first
            for label in sorted(writers, reverse=repetition % 2 == 1):
                seconds, cpu_seconds = timed(writers[label], frame, path)
                elapsed[label].append(seconds)
                cpu[label].append(cpu_seconds)
        size = path.stat().st_size / 1e6
        if to_csv:
            seconds, cpu_seconds = timed(lambda f, p: f.to_csv(p, index=False), frame, path)
            elapsed["DataFrame.to_csv"], cpu["DataFrame.to_csv"] = [seconds], [cpu_seconds]
    return elapsed, cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frame", choices=["all", "contiguous", "concatenated", "runs"], default="all")
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the contiguous and concatenated frames")
    parser.add_argument("--pieces", type=int, default=5000, help="parts the concatenated frame is joined from")
    parser.add_argument("--runs", type=int, default=6000, help="runs the runs frame is concatenated from")
    parser.add_argument("--runs-rows", type=int, default=2_000_000, help="rows of the runs frame")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-to-csv", action="store_true")
    args = parser.parse_args()
    builders = {}  # each frame is built when it is measured and let go after, so none weighs on another's timing
    if args.frame in ("all", "contiguous"):
        builders[f"contiguous: {args.rows:,} rows"] = lambda: long_frame(args.rows)
    if args.frame in ("all", "concatenated"):
        builders[f"concatenated from {args.pieces:,} parts: {args.rows:,} rows"] = lambda: fragmented(
            long_frame(args.rows), args.pieces
        )
    if args.frame in ("all", "runs"):
        builders[f"{args.runs:,} renamed runs: {args.runs_rows:,} rows"] = lambda: runs_frame(args.runs, args.runs_rows)
    for name, build in builders.items():
        to_csv = not args.skip_to_csv and name.startswith("contiguous")
        elapsed, cpu, size = compare(build(), args.repeat, to_csv)
        print(f"{name}, {size:,.0f} MB of CSV")
        medians = {label: statistics.median(values) for label, values in elapsed.items()}
        cpu_medians = {label: statistics.median(values) for label, values in cpu.items()}
        for label, seconds in medians.items():
            runs = ", ".join(f"{value:.2f}" for value in elapsed[label])
            print(
                f"  {label:24s} median {seconds:6.2f} s  {size / seconds:6.0f} MB/s  CPU {cpu_medians[label]:6.2f} s"
                f"  (runs: {runs})"
            )
        ratio = medians["calc.export_csv"] / medians["pyarrow.csv.write_csv"]
        cpu_ratio = cpu_medians["calc.export_csv"] / cpu_medians["pyarrow.csv.write_csv"]
        print(f"  ratio calc / pyarrow: {ratio:.2f} elapsed, {cpu_ratio:.2f} CPU (goal <= 1.2)")
        if "DataFrame.to_csv" in medians:
            print(f"  ratio calc / to_csv:  {medians['calc.export_csv'] / medians['DataFrame.to_csv']:.2f}")


if __name__ == "__main__":
    main()
