"""Monte Carlo speed: ``calc.montecarlo`` of the full-relief scenario (every area) for 1,000,000 draws x 10 years
with the default quantiles, against a straightforward numpy implementation of the same formulas and quantiles
written here, in the same run.

Each repetition runs both in fresh processes, alternating, and reports the time of the call itself (imports and
loading excluded) and the process's peak memory. Run: ``python bench/montecarlo.py [--draws N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "full-relief"  # every area eased: metals, coal, ... in full, both fuel caps lifted; 10 years, no ramp
EXPORTS = ("metals", "coal", "seafood", "fishing_rights", "textiles", "other_exports", "workers")


def run_calc(draws: int) -> float:
    import calc

    calc.montecarlo(SCENARIO, n=1000, seed=1)  # warm up: registry, assumptions, first numpy calls
    start = time.perf_counter()
    calc.montecarlo(SCENARIO, n=draws, seed=1)
    return time.perf_counter() - start


def run_numpy(draws: int) -> float:
    """The same model written plainly for the full-relief scenario: triangular draws per parameter (a draw at the
    central value with its central weight), every variable as years x draws (draws contiguous, the faster layout
    for quantiles over draws), the budget rule included."""
    import numpy as np

    import calc

    assumptions = calc.load_assumptions()
    ranges = assumptions.ranges()
    start = time.perf_counter()
    rng = np.random.default_rng(1)
    p = {}
    for name, (low, mode, high) in ranges.items():
        if low == high:
            p[name] = mode
            continue
        values = rng.triangular(low, mode, high, size=(1, draws))
        weight = assumptions[name].central_weight
        p[name] = np.where(rng.random((1, draws)) < weight, mode, values) if weight else values
    years = np.arange(2027, 2037)
    ramp = np.ones((len(years), 1))

    def get(name, default):
        return p.get(name, default)

    variables = []
    revenues = []
    for area in EXPORTS:
        pre = p[f"{area}.pre_sanction_exports"]
        index = get(f"{area}.price_index", 1.0)
        legal = pre * get(f"{area}.capacity_share", 1.0) * index * ramp
        evading = (get(f"{area}.smuggled_exports", 0.0) + get(f"{area}.already_smuggled_share", 0.0) * pre) * index
        revenues.append(np.maximum(0, legal - evading) * get(f"{area}.net_foreign_exchange_share", 1.0))
    revenue = sum(revenues)
    fuel = {}
    for area in ("petroleum", "crude_oil"):
        demand = p[f"{area}.pre_sanction_imports"]
        illicit = get(f"{area}.illicit_imports", 0.0)
        cap = np.minimum(p[f"{area}.legal_cap"], demand)
        today = np.minimum(demand, np.minimum(get(f"{area}.legal_imports", cap), cap) + illicit)
        added = (demand - cap) * ramp  # cap lifted
        net = np.minimum(added - np.minimum(illicit, get(f"{area}.displacement_share", 0.0) * added), demand - today)
        replaced = added - net
        price = p[f"{area}.price"]
        premium = 1 + get(f"{area}.smuggling_premium", 0.0)
        spending = (added * price - replaced * price * premium) * get(f"{area}.hard_currency_share", 1.0)
        fuel[area] = (added, added * price, net, replaced, spending, today, demand, p[f"{area}.bbl_per_tonne"])
    blocked = p["luxury.blocked_share"]
    luxury = p["luxury.observed_imports"] * blocked / (1 - blocked) * ramp
    machines = p["capital_goods.pre_sanction_imports"] * p["capital_goods.blocked_share"] * ramp
    wanted = luxury + machines + sum(values[4] for values in fuel.values())
    available = revenue + p["context.other_hard_currency"]
    bought = np.where(wanted > available, available / np.where(wanted > 0, wanted, 1), 1.0)
    spending = [luxury * bought, machines * bought]
    for added, unlocked, net, replaced, cost, today, demand, per_tonne in fuel.values():
        net, replaced, cost = net * bought, replaced * bought, cost * bought
        share = 100 * (today + net) / demand
        variables += [added, added / per_tonne, unlocked, net, replaced, net / per_tonne, share]
        spending.append(cost)
    unlocked = luxury + machines + fuel["petroleum"][1] + fuel["crude_oil"][1]
    expenditure = sum(spending)
    fuel_total = spending[2] + spending[3]
    net = revenue - expenditure
    exports = p["context.total_exports"]
    gdp = p["context.gdp"]
    variables += [*revenues, *spending, revenue, unlocked, fuel_total, expenditure, net, wanted, 100 * bought]
    variables += [100 * revenue / gdp, 100 * unlocked / gdp, 100 * revenue / exports]
    variables += [100 * r / exports for r in revenues]
    for values in variables:
        np.quantile(np.broadcast_to(values, (len(years), draws)), [0.05, 0.5, 0.95], axis=1)
    return time.perf_counter() - start


def child(kind: str, draws: int) -> None:
    seconds = run_calc(draws) if kind == "calc" else run_numpy(draws)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mib": peak}))


def measure(kind: str, draws: int) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--draws", str(draws)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the calc of this checkout
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=["calc", "numpy"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.draws)
        return
    samples: dict[str, list[dict]] = {"numpy": [], "calc": []}
    for _ in range(args.repeat):
        for kind in samples:
            samples[kind].append(measure(kind, args.draws))
    medians = {kind: statistics.median(s["seconds"] for s in runs) for kind, runs in samples.items()}
    for kind, runs in samples.items():
        peak = max(s["peak_mib"] for s in runs)
        times = ", ".join(f"{s['seconds']:.2f}" for s in runs)
        print(f"{kind:6s} median {medians[kind]:.3f} s  (runs: {times})  peak memory {peak:.0f} MiB")
    print(
        f"{args.draws:,} draws x 10 years; ratio calc / numpy: {medians['calc'] / medians['numpy']:.2f} (goal <= 1.0)"
    )


if __name__ == "__main__":
    main()
