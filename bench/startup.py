"""Start-up: ``calc.run('article-demands')`` in a fresh process, against importing pandas and pint and building
a default pint registry in the same run (start-up is where users wait). Also ``--help`` against a bare interpreter.

Repetitions alternate between the commands so that load on this shared machine hits both alike; medians are
compared. Run: ``python bench/startup.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "baseline: import pandas, pint; pint.UnitRegistry()": "import pandas, pint; pint.UnitRegistry()",
    "calc.run('article-demands')": "import calc; calc.run('article-demands')",
    "bare interpreter": "pass",
    "sanctions-relief --help": "from calc.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
}


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)  # this checkout
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    for code in COMMANDS.values():  # warm the file cache and the unit-registry cache
        timed(code)
    samples: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for _ in range(args.repeat):
        for label, code in COMMANDS.items():
            samples[label].append(timed(code))
    medians = {label: statistics.median(values) for label, values in samples.items()}
    for label, median in medians.items():
        print(f"{label:55s} median {median * 1000:7.0f} ms  (min {min(samples[label]) * 1000:.0f})")
    labels = list(COMMANDS)
    print(f"ratio run / baseline:      {medians[labels[1]] / medians[labels[0]]:.2f}  (goal <= 1.3)")
    print(f"ratio --help / bare python: {medians[labels[3]] / medians[labels[2]]:.2f}")


if __name__ == "__main__":
    main()
