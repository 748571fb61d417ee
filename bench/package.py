"""Packages: ``calc.montecarlo`` of a three-step package over 30 years with a snapback hazard, against the plain
Monte Carlo of the same levers (a scenario with all three steps' levers from the first year, no snapback) over the
same 30 years, with the same draws, in the same process, alternating. Goal: the package within 2x the plain run.

Run: ``python bench/package.py [--draws N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import calc
from calc import Package, Step

START, HORIZON = 2027, 30
STEPS = [
    Step(2027, petroleum_cap="2000000 bbl/yr", relief={"capital_goods": 1}),
    Step(2030, relief={"textiles": 1, "seafood": 1}),
    Step(2034, metals_share=1, relief={"coal": 1}),
]
PACKAGE = Package("three-steps", STEPS, start_year=START, horizon=HORIZON, snapback_hazard=0.1)
PLAIN = calc.Scenario(
    name="same-levers",
    metals_share=1,
    petroleum_cap="2000000 bbl/yr",
    relief={"capital_goods": 1, "textiles": 1, "seafood": 1, "coal": 1},
    start_year=START,
    horizon=HORIZON,
)


def timed(plan, draws: int) -> float:
    start = time.perf_counter()
    calc.montecarlo(plan, n=draws, seed=1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    timed(PLAIN, 1000), timed(PACKAGE, 1000)  # warm up: registry, assumptions, first numpy calls
    runs: dict[str, list[float]] = {"plain": [], "package": []}
    for _ in range(args.repeat):
        runs["plain"].append(timed(PLAIN, args.draws))
        runs["package"].append(timed(PACKAGE, args.draws))
    medians = {kind: statistics.median(times) for kind, times in runs.items()}
    for kind, times in runs.items():
        print(f"{kind:8s} median {medians[kind]:.3f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})")
    ratio = medians["package"] / medians["plain"]
    print(f"{args.draws:,} draws x {HORIZON} years; ratio package / plain: {ratio:.2f} (goal <= 2.0)")


if __name__ == "__main__":
    main()
