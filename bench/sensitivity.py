"""Benchmark the sensitivity analyses on kakao-2022: tornado, break-even, one process vs a Dask cluster.

usage: python bench/sensitivity.py [--trials N] [--top N]

Prints a markdown table of wall times:

* the tornado over every epistemic input (two runs per input plus the base run), in
  this process, in two local worker processes and on a ``LocalCluster`` of two Dask
  workers (results checked bit-identical);
* the app's tornado (the top ``--top`` inputs after one screening run, at the app's
  default 1,000 trials);
* a break-even search (Brent's method) along the Pangyo site-fire rate;
* Sobol indices (SALib) of the top five inputs after screening.

Run times grow linearly with trials: the issue's 1e5-trial tornado is the time at
``--trials`` × 1e5 / trials.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import pathlib
import time

from distributed import Client, LocalCluster

from riskmodel import load
from riskmodel.sensitivity import break_even, sobol, tornado
from riskmodel.simulate import epistemic_inputs

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(f):
    start = time.perf_counter()
    out = f()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=1_000)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--sobol-n", type=int, default=64, help="Sobol base points (a power of 2)")
    parser.add_argument("--sobol-trials", type=int, default=300, help="simulated futures per Sobol run")
    args = parser.parse_args()
    scenario = load(ROOT / "data" / "scenarios" / "kakao-2022.yaml")
    inputs = [p for p, q in epistemic_inputs(scenario).items() if not q.is_fixed]
    runs = 2 * len(inputs) + 1
    option = "skills_programme"
    one, table = timed(lambda: tornado(scenario, "npv", option, args.trials, seed=1))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        two, remote = timed(lambda: tornado(scenario, "npv", option, args.trials, seed=1,
                                            executor=client.get_executor()))
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        local, pooled = timed(lambda: tornado(scenario, "npv", option, args.trials, seed=1, executor=pool))
    app, _ = timed(lambda: tornado(scenario, "npv", option, 1_000, seed=1, top=args.top))
    i = next(i for i, t in enumerate(scenario.threats) if t.name == "pangyo_site_loss")
    search, found = timed(lambda: break_even(scenario, f"threats[{i}].rate", "hot_standby", args.trials, seed=1))
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        sobol_s, indices = timed(lambda: sobol(scenario, "npv", option, n=args.sobol_n, trials=args.sobol_trials,
                                               seed=1, executor=pool, top=5))
    print(f"kakao-2022, NPV of {option}; {len(inputs)} epistemic inputs; {args.trials:,} trials per run\n")
    print("| analysis | runs | s | s at 1e5 trials (linear) |\n|---|---:|---:|---:|")
    print(f"| tornado, every input, 1 process | {runs} | {one:.1f} | {one * 1e5 / args.trials:,.0f} |")
    print(f"| tornado, every input, LocalCluster 2 workers | {runs} | {two:.1f} | {two * 1e5 / args.trials:,.0f} |")
    print(f"| tornado, every input, 2 local processes | {runs} | {local:.1f} | {local * 1e5 / args.trials:,.0f} |")
    print(f"| app tornado: top {args.top} after screening, 1,000 trials | {2 * args.top + 2} | {app:.1f} | |")
    print(f"| break-even, Pangyo fire rate, hot_standby | Brent | {search:.1f} | {search * 1e5 / args.trials:,.0f} |")
    print(f"| Sobol, top 5 inputs, {args.sobol_n} base points, {args.sobol_trials} trials per run, 2 local processes | "
          f"{args.sobol_n * 7} | {sobol_s:.1f} | |")
    print("\nSobol indices (first order, total; ± 95 % half-widths):")
    for path, row in indices.iterrows():
        print(f"  {path}: {row['S1']:.2f} ± {row['S1 conf']:.2f}, {row['ST']:.2f} ± {row['ST conf']:.2f}")
    print(f"\nbit-identical on the cluster: {remote.equals(table)}, in local processes: {pooled.equals(table)}; "
          f"break-even: "
          f"{found['value'] if found['crosses'] else 'no crossing in ' + str(found['range'])}")


if __name__ == "__main__":
    main()
