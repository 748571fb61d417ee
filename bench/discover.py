"""Scenario discovery: ``calc.discover`` on 100,000 draws against ``calc.montecarlo`` on the same draws (same
scenario, seed and sampler), in the same process, repetitions alternating so that load on this shared machine
hits both alike; medians compared. PRIM's one-off import (scipy.stats, matplotlib) is timed apart.

Run: ``python bench/discover.py [--draws N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

SCENARIO = "hanoi-2019"
CONDITION = "> 1500e6 USD/yr"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import calc

    calc.run(SCENARIO)  # registry and assumptions loaded before anything is timed
    start = time.perf_counter()
    import prim  # noqa: F401

    imported = time.perf_counter() - start
    runs = {
        "montecarlo": lambda: calc.montecarlo(SCENARIO, n=args.draws, seed=0),
        "discover": lambda: calc.discover(SCENARIO, "net", CONDITION, n=args.draws, seed=0),
    }
    samples: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, call in runs.items():
            start = time.perf_counter()
            result = call()
            samples[label].append(time.perf_counter() - start)
    medians = {label: statistics.median(values) for label, values in samples.items()}
    record = result.attrs["sanctions_relief"]["discover"]
    print(f"{args.draws:,} draws of {SCENARIO}; discover: net {CONDITION}, {record['holds']:,} draws hold it,")
    print(f"{len(record['searched'])} assumptions searched, {result['box'].nunique()} box(es)")
    print(f"import prim (once per process):    {imported * 1000:7.0f} ms")
    for label, median in medians.items():
        print(f"{label:34s} median {median * 1000:7.0f} ms  (min {min(samples[label]) * 1000:.0f})")
    print(f"ratio discover / montecarlo: {medians['discover'] / medians['montecarlo']:.2f}")


if __name__ == "__main__":
    main()
