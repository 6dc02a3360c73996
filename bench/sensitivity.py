"""Benchmark the sensitivity analyses on kakao-2022: tornado, break-even, one process vs a Dask cluster.

usage: python bench/sensitivity.py [--trials N] [--top N] [--ways one,cluster,local]

Prints a markdown table of wall times:

* the tornado over every epistemic input (two runs per input plus the base run) at
  ``--trials`` trials per run, each of the ``--ways``: in this process (``one``), on a
  ``LocalCluster`` of two Dask workers (``cluster``), in two local worker processes
  (``local``); results are checked bit-identical between the ways that ran;
* the app's tornado (the top ``--top`` inputs after one screening run, at the app's
  default 1,000 trials);
* a break-even search (Brent's method) along the Pangyo site-fire rate, at ``--trials``;
* Sobol indices (SALib) of the top five inputs after screening.

The issue's benchmark is ``--trials 100000 --ways one,cluster`` (about an hour here).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import pathlib
import sys
import time

import dask
from distributed import Client, LocalCluster

from riskmodel import load
from riskmodel.analysis.sensitivity import break_even, sobol
from riskmodel.analysis.tornado import tornado
from riskmodel.inputs import epistemic_inputs

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed(f):
    start = time.perf_counter()
    out = f()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=1_000)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--ways", default="one,cluster,local", help="comma-separated: one, cluster, local")
    parser.add_argument("--sobol-n", type=int, default=64, help="Sobol base points (a power of 2)")
    parser.add_argument("--sobol-trials", type=int, default=300, help="simulated futures per Sobol run")
    args = parser.parse_args()
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    if not ways or set(ways) - {"one", "cluster", "local"}:
        raise SystemExit(f"--ways: {args.ways!r} — give one or more of one, cluster, local")
    scenario = load(ROOT / "data" / "scenarios" / "kakao-2022.yaml")
    option = "skills_programme"
    inputs = [p for p, q in epistemic_inputs(scenario).items() if not q.is_fixed]
    moving = [p for p, q in epistemic_inputs(scenario.with_only_options([option])).items() if not q.is_fixed]
    runs = 2 * len(moving) + 1

    def run_tornado(executor=None):
        return tornado(scenario, "npv", option, args.trials, seed=1, executor=executor)

    times, tables = {}, {}
    for way in ways:
        if way == "one":
            times[way], tables[way] = timed(run_tornado)
        elif way == "cluster":
            # Dask's default MALLOC_TRIM_THRESHOLD_ of 64 KiB makes glibc return every freed array to the
            # OS; the engine allocates large arrays per chunk and runs ~1.6x slower on such workers.
            untrimmed = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
            with dask.config.set(untrimmed), LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                          dashboard_address=None) as cluster, Client(cluster) as client:
                times[way], tables[way] = timed(lambda: run_tornado(client.get_executor()))
        else:
            with concurrent.futures.ProcessPoolExecutor(2) as pool:
                times[way], tables[way] = timed(lambda: run_tornado(pool))
    app, _ = timed(lambda: tornado(scenario, "npv", option, 1_000, seed=1, top=args.top))
    i = next(i for i, t in enumerate(scenario.threats) if t.name == "pangyo_site_loss")
    search, found = timed(lambda: break_even(scenario, f"threats[{i}].rate", "hot_standby", args.trials, seed=1))
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        sobol_s, indices = timed(lambda: sobol(scenario, "npv", option, n=args.sobol_n, trials=args.sobol_trials,
                                               seed=1, executor=pool, top=5))
    engine = "numba kernel" if "numba" in sys.modules else "numpy"
    print(f"kakao-2022, NPV of {option}; {len(inputs)} uncertain inputs, {len(moving)} of them used by {option} "
          f"or the baseline (the others need no run); {args.trials:,} trials per run; engine: {engine}\n")
    labels = {"one": "1 process", "cluster": "LocalCluster, 2 workers", "local": "2 local processes"}
    print("| analysis | runs | s |\n|---|---:|---:|")
    for way in ways:
        print(f"| tornado, every input, {labels[way]}, {args.trials:,} trials | {runs} | {times[way]:,.1f} |")
    print(f"| app tornado: top {args.top} after screening, 1,000 trials, 1 process | {2 * args.top + 2} | {app:.1f} |")
    print(f"| break-even, Pangyo fire rate, hot_standby, {args.trials:,} trials | Brent | {search:,.1f} |")
    print(f"| Sobol, top 5 inputs, {args.sobol_n} base points, {args.sobol_trials} trials per run, 2 local processes | "
          f"{args.sobol_n * 7} | {sobol_s:.1f} |")
    print("\nTornado, largest five swings [KRW]:")
    first = tables[ways[0]]
    for path, row in first.head(5).iterrows():
        print(f"  {path}: {row['swing']:,.0f}")
    print("\nSobol indices (first order, total; ± 95 % half-widths):")
    for path, row in indices.iterrows():
        print(f"  {path}: {row['S1']:.2f} ± {row['S1 conf']:.2f}, {row['ST']:.2f} ± {row['ST conf']:.2f}")
    same = {way: tables[way].equals(first) for way in ways[1:]}
    print(f"\nbit-identical to the first way ({ways[0]}): {same or 'only one way ran'}; break-even: "
          f"{found['value'] if found['crosses'] else 'no crossing in ' + str(found['range'])}")


if __name__ == "__main__":
    main()
