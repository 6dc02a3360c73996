"""Command line: ``riskmodel run``, ``report``, ``sensitivity`` and ``validate``.

Each takes a scenario file or the name of a shipped scenario (``riskmodel run kakao-2022``).

Bad input (an invalid scenario file, a bad option) prints one line per problem naming
the field, the value and the rule, and exits with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import pathlib
import sys
import time

import numpy as np
import pandas as pd

from . import __version__
from .appraisal import Appraisal, appraise
from .format import money, percent
from .resources import shipped_scenarios
from .scenario import ScenarioError, load
from .simulate import simulate


class _Progress:
    """A one-line progress indicator on stderr, shown only once a run passes one second."""

    def __init__(self, stream=sys.stderr, after: float = 1.0):
        self.stream, self.after, self.start, self.shown = stream, after, time.perf_counter(), False

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.start
        if elapsed < self.after and not self.shown:
            return
        self.shown = True
        rate = done / elapsed if elapsed > 0 else 0
        self.stream.write(f"\r  simulating: {done / total:6.1%}  {done:,}/{total:,} trials  "
                          f"({rate:,.0f} trials/s)")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be ≥ 1")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be ≥ 0")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="riskmodel", description="IT resilience as an investment.")
    parser.add_argument("--version", action="version", version=f"riskmodel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    # A name, not a path type: "kakao-2022" is a shipped scenario unless a file of that name exists.
    scenario_help = f"a scenario file, or a shipped scenario's name ({', '.join(shipped_scenarios())})"

    run = sub.add_parser("run", help="simulate a scenario and print the option comparison")
    run.add_argument("scenario", help=scenario_help)
    run.add_argument("--trials", type=_positive_int, default=20_000, help="simulated futures (default 20,000)")
    run.add_argument("--horizon", type=_positive_int, default=None, help="years per trial (default: the scenario's)")
    run.add_argument("--seed", type=_seed, default=20221015, help="random seed (default 20221015)")
    run.add_argument("--workers", type=_positive_int, default=1, help="local worker processes (default 1)")
    run.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (e.g. tcp://host:8786)")
    run.add_argument("--lang", choices=("en", "ko"), default="en", help="language of money figures")
    out = run.add_mutually_exclusive_group()
    out.add_argument("--csv", type=pathlib.Path, metavar="DIR", help="also write every table as CSV into DIR")
    out.add_argument("--json", type=pathlib.Path, metavar="FILE", help="also write every table as JSON")

    report = sub.add_parser("report", help="write the business case as one HTML file (and an Excel workbook)")
    report.add_argument("scenario", help=scenario_help)
    report.add_argument("--out", type=pathlib.Path, required=True, metavar="FILE.html", help="the HTML report")
    report.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the report")
    report.add_argument("--xlsx", type=pathlib.Path, metavar="FILE", help="also write an Excel workbook")
    report.add_argument("--trials", type=_positive_int, default=20_000, help="simulated futures (default 20,000)")
    report.add_argument("--seed", type=_seed, default=20221015, help="random seed (default 20221015)")
    report.add_argument("--workers", type=_positive_int, default=1, help="local worker processes (default 1)")

    sens = sub.add_parser("sensitivity", help="which inputs decide the answer: tornado, EVPI, break-even")
    sens.add_argument("scenario", help=scenario_help)
    sens.add_argument("--metric", choices=("npv", "ale"), default="npv", help="NPV of an option, or its ALE")
    sens.add_argument("--option", help="the option (default: the recommended one for NPV, the baseline for ALE)")
    sens.add_argument("--trials", type=_positive_int, default=5_000, help="simulated futures per run (default 5,000)")
    sens.add_argument("--seed", type=_seed, default=20221015, help="random seed (default 20221015)")
    sens.add_argument("--top", type=_positive_int, default=10,
                      help="one-at-a-time runs for the N inputs a first screening run ranks highest (default 10)")
    sens.add_argument("--break-even", metavar="INPUT", action="append", default=[],
                      help="also find where the option's NPV crosses zero along INPUT (a path; repeatable)")
    sens.add_argument("--lang", choices=("en", "ko"), default="en", help="language of money figures")
    sens.add_argument("--sobol", type=_positive_int, metavar="N", default=None,
                      help="also Sobol indices (SALib) of the top 5 inputs, N base points (a power of 2, e.g. 64)")
    sens.add_argument("--workers", type=_positive_int, default=1, help="local worker processes (default 1)")
    sens.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the tornado's model runs on a Dask cluster (e.g. tcp://host:8786)")

    validate = sub.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", help=scenario_help)
    return parser


def _tables(result: Appraisal) -> dict[str, pd.DataFrame]:
    tables = {
        "comparison": result.comparison(),
        "risk": result.risk,
        "investment": result.investment,
        "cash_flows": result.cash_flows,
        "components": result.components,
        "threats": result.threats,
        "services": result.services,
        "concentration": result.concentration.to_frame(),
        "single_building_loss": result.buildings,
        "loss_exceedance": result.exceedance,
    }
    if result.tolerance is not None:
        tables["risk_tolerance"] = result.tolerance
    return tables


def _print_comparison(result: Appraisal, lang: str) -> None:
    sim = result.simulation
    cur = sim.scenario.currency
    table = result.comparison()
    shown = pd.DataFrame(index=table.index)
    for column in table.columns:
        values = table[column]
        if f"[{cur}" in column:
            label = column.replace(f" [{cur}/yr]", " /yr").replace(f" [{cur}]", "")
            shown[label] = [money(v, cur, lang) for v in values]
        elif column in ("P(NPV > 0)", "ROI"):
            shown[column] = [percent(v, lang) for v in values]
        elif column == "payback [yr]":
            shown[column] = ["–" if np.isnan(v) else f"{v:.0f} yr" for v in values]
        else:
            shown[column] = [f"{v:.3f}" for v in values]
    print(f"{sim.scenario.name}: {sim.trials:,} trials × {sim.horizon_years} years, seed {sim.seed}, "
          f"money in {cur}")
    print(shown.T.to_string())
    ale_se = result.risk[f"ALE standard error [{cur}/yr]"]
    print(f"\nStandard error of ALE: {', '.join(f'{k} {money(v, cur, lang)}' for k, v in ale_se.items())}")
    if len(sim.scenario.services) > 1:
        services = result.services[[f"ALE [{cur}/yr]", "expected downtime [h/yr]"]].unstack("option")
        services = services.reindex(columns=pd.MultiIndex.from_product([services.columns.levels[0], sim.options]))
        services = services.reindex(index=[s.name for s in sim.scenario.services])
        print("\nPer service (expected annual loss, downtime h/yr):")
        print(services.map(lambda v: f"{v:,.1f}" if abs(v) < 1e4 else money(v, cur, lang)).to_string())
        print("\nConcentration of risk (share of expected loss from events hitting > 1 service):")
        print("  " + ", ".join(f"{k} {percent(v, lang)}" for k, v in result.concentration.items()))
        if not result.buildings.empty:
            print("\nWhat one building costs (site lost for its 95th-percentile outage, no DR):")
            for site, row in result.buildings.iterrows():
                print(f"  {site}: {money(row[f'loss [{cur}]'], cur, lang)} — {row['threat']}, "
                      f"{row['outage [h]']:,.0f} h; down: {row['services down']}")
    _print_tiered(result, lang)
    if result.tolerance is not None:
        print("\nRisk tolerance (P(annual loss > x) against the acceptable probability):")
        for option, rows in result.tolerance.groupby(level=0, sort=False):
            breaches = rows[rows["breached"]]
            where = "; ".join(f"{money(r[f'loss [{cur}]'], cur, lang)}: {percent(r['simulated P [0-1]'], lang)} "
                              f"> {percent(r['acceptable P [0-1]'], lang)}" for _, r in breaches.iterrows())
            print(f"  {option}: " + (f"breached at {where}" if len(breaches) else "within tolerance"))
    within = result.tolerance is not None and result.within_tolerance.any()
    why = "among the options within the risk tolerance" if within else f"against {sim.scenario.baseline.name}"
    print(f"\nRecommended: {result.recommended} (highest mean NPV {why})")


def _print_tiered(result: Appraisal, lang: str) -> None:
    """Where each mixed (tiered) option lands between the uniform options it mixes."""
    scenario = result.simulation.scenario
    cur = scenario.currency
    uniform = {o.architecture: o.name for o in scenario.options if not o.tiers and not o.services and not o.skills}
    ale = result.risk[f"ALE [{cur}/yr]"]
    cost = result.investment[f"annual cost [{cur}/yr]"]
    for option in scenario.options:
        if not (option.tiers or option.services):
            continue
        mixed = sorted({option.architecture_for(s) for s in scenario.services} & set(uniform),
                       key=lambda a: cost[uniform[a]])
        if len(mixed) < 2:
            continue
        print(f"\n{option.name} mixes " + " and ".join(mixed) + ":")
        for label, table in (("annual cost", cost), ("expected annual loss", ale)):
            others = ", ".join(f"{uniform[a]} {money(table[uniform[a]], cur, lang)}" for a in mixed)
            print(f"  {label}: {money(table[option.name], cur, lang)} (uniform: {others})")


def _write_outputs(result: Appraisal, args) -> None:
    tables = _tables(result)
    if args.csv:
        args.csv.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            table.to_csv(args.csv / f"{name}.csv")
        print(f"wrote {len(tables)} CSV tables to {args.csv}/")
    if args.json:
        payload = {name: json.loads(table.to_json(orient="split")) for name, table in tables.items()}
        payload["settings"] = {"trials": result.simulation.trials, "horizon_years": result.simulation.horizon_years,
                               "seed": result.simulation.seed, "version": __version__}
        args.json.write_text(json.dumps(payload, indent=1))
        print(f"wrote {args.json}")


def _executor(address: str):
    """A Dask cluster's executor: chunks and model runs go to its workers."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ValueError(f"--scheduler needs the 'cluster' extra (pip install 'riskmodel[cluster]'): {exc}") from None
    try:
        return Client(address, timeout=10).get_executor()
    except OSError as exc:
        raise ValueError(f"--scheduler {address}: cannot reach the Dask scheduler ({exc})") from None


def _sensitivity(scenario, args) -> int:
    from . import sensitivity
    from .ui.inputs import describe

    cur = scenario.currency
    sim = simulate(scenario, args.trials, seed=args.seed, keep_detail=args.trials <= 50_000, progress=_Progress())
    result = appraise(sim)
    option = args.option or (result.recommended if args.metric == "npv" else scenario.baseline.name)
    if args.metric == "npv" and option == scenario.baseline.name:
        option = result.best_npv
    unit = f"{cur}" if args.metric == "npv" else f"{cur}/yr"
    print(f"{scenario.name}: {args.metric.upper()} of {option} [{unit}], {args.trials:,} trials, seed {args.seed}")
    if args.scheduler:
        executor = _executor(args.scheduler)
    elif args.workers > 1:
        executor = concurrent.futures.ProcessPoolExecutor(args.workers)
    else:
        executor = None
    table = sensitivity.tornado(scenario, args.metric, option, args.trials, args.seed, top=args.top,
                                executor=executor)
    m = lambda v: money(v, cur, args.lang)  # noqa: E731
    print(f"\nTornado: each input at its 10th and 90th percentile, the others as drawn "
          f"(base {m(table['base'].iloc[0])})")
    for path, row in table.iterrows():
        print(f"  {m(row['swing']):>10}  {describe(scenario, path)}: {row['input value at low']:.4g} → "
              f"{m(row['metric at low'])}, {row['input value at high']:.4g} → {m(row['metric at high'])}")
    value = sensitivity.evpi(sim)
    print(f"\nExpected value of perfect information: {m(value)} — the most it is worth paying to learn which "
          f"future is coming before choosing among the {len(sim.options)} options.")
    if sim.detail is not None:
        partial = sensitivity.partial_evpi(sim)
        partial = partial[partial > 0.01 * value].head(5)
        print("  per input (binned estimate): " + (", ".join(f"{describe(scenario, p)} {m(v)}" for p, v in
                                                             partial.items()) if len(partial) else
                                                   "no single input would change the choice on its own; the value "
                                                   "lies in which events come"))
    if args.sobol:
        indices = sensitivity.sobol(scenario, args.metric, option, n=args.sobol, trials=min(args.trials, 1_000),
                                    seed=args.seed, executor=executor)
        print(f"\nSobol indices (SALib, {args.sobol} base points; ± 95% half-width):")
        for path, row in indices.iterrows():
            print(f"  first order {row['S1']:.2f} ± {row['S1 conf']:.2f}, total {row['ST']:.2f} ± "
                  f"{row['ST conf']:.2f}  {describe(scenario, path)}")
    for path in args.break_even:
        found = sensitivity.break_even(scenario, path, option, args.trials, args.seed)
        lo, hi = found["range"]
        where = (f"NPV crosses zero at {found['value']:.4g}" if found["crosses"] else
                 f"NPV does not cross zero between {lo:.4g} and {hi:.4g} (P1–P99): "
                 f"{m(found['npv at range'][0])} to {m(found['npv at range'][1])}")
        print(f"\nBreak-even of {option} along {describe(scenario, path)}: {where}")
    return 0


def _report(result: Appraisal, args) -> int:
    try:
        from .report import write_html, write_workbook
    except ImportError as exc:
        print(f"error: the report needs the 'report' extra (pip install 'riskmodel[report]'): {exc}", file=sys.stderr)
        return 2
    command = (f"riskmodel report {args.scenario} --out {args.out} --lang {args.lang} --trials {args.trials} "
               f"--seed {args.seed}" + (f" --xlsx {args.xlsx}" if args.xlsx else ""))
    print(f"wrote {write_html(result, args.out, args.lang, command)}")
    if args.xlsx:
        print(f"wrote {write_workbook(result, args.xlsx, args.lang)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        scenario = load(args.scenario)
        if args.command == "validate":
            print(f"{args.scenario}: valid — {len(scenario.services)} service(s), {len(scenario.threats)} threat(s), "
                  f"{len(scenario.options)} option(s), baseline {scenario.baseline.name!r}")
            return 0
        if args.command == "sensitivity":
            return _sensitivity(scenario, args)
        horizon = getattr(args, "horizon", None)
        workers = _executor(args.scheduler) if getattr(args, "scheduler", None) else args.workers
        sim = simulate(scenario, args.trials, horizon, args.seed, workers=workers, progress=_Progress())
        result = appraise(sim)
        if args.command == "report":
            return _report(result, args)
        _print_comparison(result, args.lang)
        _write_outputs(result, args)
        return 0
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
