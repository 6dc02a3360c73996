"""Command line: ``riskmodel run``, ``report``, ``sensitivity`` and ``validate``; and, from
:mod:`riskmodel.authoring`, the commands that write scenario files (``schema``).

Each takes a scenario file or the name of a shipped scenario (``riskmodel run kakao-2022``).

Bad input (an invalid scenario file, a bad option) prints one line per problem naming
the field, the value and the rule, and exits with status 2; never a traceback. Numbers
are read strictly, each within a stated range (:mod:`riskmodel.arguments`). Every output
path is checked before the run, and every output is written whole or not at all
(:mod:`riskmodel.outputs`); an existing output is replaced, and stderr says so first.
"""

from __future__ import annotations

import concurrent.futures
import json
import pathlib
import sys
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from riskmodel import authoring, checks, evidence, workspace_commands
from riskmodel.analysis import precision as adaptive
from riskmodel.analysis.appraisal import Appraisal, appraise
from riskmodel.analysis.business_case import business_case
from riskmodel.analysis.precision import DEFAULT_MAX_TRIALS, FIRST_TRIALS
from riskmodel.arguments import (
    MAX_HORIZON,
    MAX_SEED,
    MAX_SOBOL,
    MAX_TOP,
    MAX_WORKERS,
    MIN_HORIZON,
    Parser,
    one_line,
    precision,
    whole,
)
from riskmodel.documents import quote
from riskmodel.engine.run import MAX_TRIALS, simulate
from riskmodel.inputs import epistemic_inputs
from riskmodel.outputs import OutputError, check_directory, check_file, neutral_frame, quote_path, write_file, write_set
from riskmodel.present import decision as decision_text
from riskmodel.present import labels
from riskmodel.present.format import money, percent
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.resources import shipped_scenarios
from riskmodel.scenario import BENEFIT_BASES, ScenarioError, load
from riskmodel.version import __version__


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


#: The trials of a run or report without --precision [trials].
FIXED_TRIALS = 20_000


def _parser() -> Parser:
    parser = Parser(prog="riskmodel", description="IT resilience as an investment.",
                    epilog="Outputs are checked before the run, never replace the scenario, and are written whole "
                           "or not at all; an existing output is replaced, and stderr says so first.")
    parser.add_argument("--version", action="version", version=f"riskmodel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    # A name, not a path type: "kakao-2022" is a shipped scenario unless a file of that name exists.
    scenario_help = f"a scenario file, or a shipped scenario's name ({', '.join(shipped_scenarios())})"
    trials = whole(1, MAX_TRIALS)
    seed = whole(0, MAX_SEED)
    workers = whole(1, MAX_WORKERS)
    seed_help = "random seed, 0 to 2^63 − 1 (default 20221015)"
    workers_help = f"local worker processes, 1 to the number of CPUs ({MAX_WORKERS} here; default 1)"

    def trials_help(default: int) -> str:
        return f"simulated futures, 1 to {MAX_TRIALS:,} (default {default:,})"

    def add_decision(command) -> None:
        """How many trials and which benefit the decision rests on: --precision, --max-trials, --basis."""
        command.add_argument("--precision", type=precision, metavar="P",
                             help="run until the answer's NPV has SE ≤ P of its value, it leads the runner-up "
                                  "by 3 SE and every tolerance verdict is 2 SE clear (e.g. 1%%); --trials is "
                                  f"then the first stage (default {FIRST_TRIALS:,})")
        command.add_argument("--max-trials", type=trials, metavar="N", default=None,
                             help=f"the cap of a --precision run (default {DEFAULT_MAX_TRIALS:,})")
        command.add_argument("--basis", choices=BENEFIT_BASES, default=None,
                             help="benefit the decision counts: cash (avoided loss − cost) or capacity (also "
                                  "the engineer time a programme frees); default the scenario's")

    run = sub.add_parser("run", help="simulate a scenario and print the option comparison")
    run.add_argument("scenario", help=scenario_help)
    run.add_argument("--trials", type=trials, default=None, help=trials_help(FIXED_TRIALS))
    add_decision(run)
    run.add_argument("--horizon", type=whole(MIN_HORIZON, MAX_HORIZON), default=None,
                     help=f"years per trial, {MIN_HORIZON} to {MAX_HORIZON} (default: the scenario's)")
    run.add_argument("--seed", type=seed, default=20221015, help=seed_help)
    run.add_argument("--workers", type=workers, default=1, help=workers_help)
    run.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (e.g. tcp://host:8786)")
    run.add_argument("--lang", choices=("en", "ko"), default="en", help="language of money figures")
    out = run.add_mutually_exclusive_group()
    out.add_argument("--csv", type=pathlib.Path, metavar="DIR",
                     help="also write every table as CSV into DIR, a new directory or one riskmodel wrote "
                          "(replaced as a whole; MANIFEST.json names the tables)")
    out.add_argument("--json", type=pathlib.Path, metavar="FILE", help="also write every table as JSON")

    report = sub.add_parser("report", help="write the business case as one HTML file (and an Excel workbook)")
    report.add_argument("scenario", help=scenario_help)
    report.add_argument("--out", type=pathlib.Path, required=True, metavar="FILE.html", help="the HTML report")
    report.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the report")
    report.add_argument("--xlsx", type=pathlib.Path, metavar="FILE", help="also write an Excel workbook")
    report.add_argument("--trials", type=trials, default=None, help=trials_help(FIXED_TRIALS))
    add_decision(report)
    report.add_argument("--seed", type=seed, default=20221015, help=seed_help)
    report.add_argument("--workers", type=workers, default=1, help=workers_help)

    sens = sub.add_parser("sensitivity", help="which inputs decide the answer: tornado, EVPI, break-even")
    sens.add_argument("scenario", help=scenario_help)
    sens.add_argument("--metric", choices=("npv", "ale"), default="npv", help="NPV of an option, or its ALE")
    sens.add_argument("--option", help="the option (default: the recommended one for NPV, the baseline for ALE)")
    sens.add_argument("--trials", type=trials, default=5_000, help=trials_help(5_000) + " per run")
    sens.add_argument("--seed", type=seed, default=20221015, help=seed_help)
    sens.add_argument("--top", type=whole(1, MAX_TOP), default=10,
                      help=f"one-at-a-time runs for the N inputs a first screening run ranks highest, "
                           f"1 to {MAX_TOP} (default 10)")
    sens.add_argument("--tornado-precision", type=precision, metavar="P",
                      help="trials where they are needed: after a first pass at --trials, rerun each input until "
                           "its swing's standard error is at most P of the largest swing (e.g. 0.5%%), "
                           "at most --max-trials per run")
    sens.add_argument("--max-trials", type=trials, default=100_000,
                      help=trials_help(100_000) + " per run, the cap of --tornado-precision")
    sens.add_argument("--break-even", metavar="INPUT", action="append", default=[],
                      help="also find where the option's NPV crosses zero along INPUT (a path; repeatable)")
    sens.add_argument("--lang", choices=("en", "ko"), default="en", help="language of money figures")
    sens.add_argument("--sobol", type=whole(2, MAX_SOBOL, power_of_two=True), metavar="N", default=None,
                      help=f"also Sobol indices (SALib) of the top 5 inputs, N base points (a power of 2 from 2 "
                           f"to {MAX_SOBOL:,}, e.g. 64)")
    sens.add_argument("--workers", type=workers, default=1, help=workers_help)
    sens.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the tornado's model runs on a Dask cluster (e.g. tcp://host:8786)")

    validate = sub.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", help=scenario_help)
    validate.add_argument("--strict", action="store_true",
                          help="exit 1 when the scenario has warnings (inputs that would make a figure meaningless)")
    authoring.add_commands(sub)
    evidence.add_commands(sub)
    workspace_commands.add_commands(sub)
    return parser


def _tables(result: Appraisal) -> dict[str, pd.DataFrame]:
    """Every table under its file name, with the English headers of the labels registry."""
    tables = {
        "comparison": labels.headed(result.comparison(), compact=True),
        "risk": result.risk,
        "investment": result.investment,
        "cash_flows": result.cash_flows,
        "components": result.components,
        "threats": result.threats,
        "services": result.services,
        "concentration": result.concentration,
        "single_building_loss": result.buildings,
        "loss_exceedance": result.exceedance,
    }
    if result.tolerance is not None:
        tables["risk_tolerance"] = result.tolerance
    return {name: table if name == "comparison" else labels.headed(table) for name, table in tables.items()}


def _print_comparison(result: Appraisal, lang: str) -> None:
    sim = result.simulation
    cur = sim.scenario.currency
    table = result.comparison()
    names = Names(sim.scenario, lang)
    shown = pd.DataFrame(index=pd.Index(names.options(table.index),
                                        name=t("option", lang) if lang != "en" else table.index.name))
    for key in table.columns:
        values = table[key]
        # English keeps the CSV's compact headers (units in brackets); Korean reads the registry's labels.
        header = labels.header(key, cur, compact=True) if lang == "en" else labels.label(key, lang)
        if labels.kind(key) == "money":
            shown[header.replace(f" [{cur}/yr]", " /yr").replace(f" [{cur}]", "")] = [money(v, cur, lang) for v in values]
        elif labels.kind(key) == "share":
            shown[header] = [percent(v, lang) for v in values]
        elif labels.kind(key) == "years":
            shown[header] = ["–" if np.isnan(v) else t("years_unit", lang, n=v) for v in values]
        else:
            shown[header] = [f"{v:.3f}" for v in values]
    print(t("cli_heading", lang, scenario=sim.scenario.name, trials=f"{sim.trials:,}", years=sim.horizon_years,
              seed=sim.seed, currency=cur))
    print(shown.T.to_string())
    ale_se = result.risk["ale_se"]
    print("\n" + t("cli_ale_se", lang, values=", ".join(f"{names.option(k)} {money(v, cur, lang)}"
                                                       for k, v in ale_se.items())))
    if len(sim.scenario.services) > 1:
        services = result.services[["ale", "downtime"]]
        if lang != "en":  # English keeps the CSV's headers; other languages read the registry's labels
            services = services.rename(columns=lambda key: labels.label(key, lang)).rename_axis(
                [labels.label(n, lang) for n in services.index.names])
            option_level = labels.label("option", lang)
        else:
            services, option_level = labels.headed(services), "option"
        services = services.unstack(option_level)
        services = services.reindex(columns=pd.MultiIndex.from_product([services.columns.levels[0], sim.options]))
        services = services.reindex(index=[s.name for s in sim.scenario.services])
        services.index = [names.service(s) for s in services.index]
        services.columns = services.columns.set_levels(names.options(services.columns.levels[1]), level=1)
        print("\n" + t("cli_per_service", lang))
        print(services.map(lambda v: f"{v:,.1f}" if abs(v) < 1e4 else money(v, cur, lang)).to_string())
        print("\n" + t("cli_concentration", lang))
        print("  " + ", ".join(f"{names.option(k)} {percent(v, lang)}" for k, v in result.concentration.items()))
        if not result.buildings.empty:
            print("\n" + t("cli_buildings", lang))
            for site, row in result.buildings.iterrows():
                down = ", ".join(names.service(s) for s in row["services_down"].split(", "))
                print("  " + t("cli_building", lang, site=names.site(site), loss=money(row["loss"], cur, lang),
                                 threat=names.threat(row["threat"]), hours=f"{row['outage_hours']:,.0f}", down=down))
    _print_tiered(result, lang)
    if result.tolerance is not None:
        print("\n" + t("cli_tolerance", lang))
        for option, rows in result.tolerance.groupby(level=0, sort=False):
            breaches = rows[rows["breached"]]
            where = "; ".join(f"{money(r['loss'], cur, lang)}: {percent(r['simulated_p'], lang)} "
                              f"> {percent(r['acceptable_p'], lang)}" for _, r in breaches.iterrows())
            print(f"  {names.option(option)}: " + (t("cli_breached", lang, where=where) if len(breaches) else t("cli_within", lang)))
    print("\n" + decision_text.headline(result, lang))
    for line in decision_text.reasons(result, lang):
        print("  " + line)
    print("  " + decision_text.precision_text(result, lang))

def _print_tiered(result: Appraisal, lang: str) -> None:
    """Where each mixed (tiered) option lands between the uniform options it mixes."""
    scenario = result.simulation.scenario
    cur = scenario.currency
    uniform = {o.architecture: o.name for o in scenario.options if not o.tiers and not o.services and not o.skills}
    ale = result.risk["ale"]
    cost = result.investment["annual_cost"]
    names = Names(scenario, lang)
    for option in scenario.options:
        if not (option.tiers or option.services):
            continue
        mixed = sorted({option.architecture_for(s) for s in scenario.services} & set(uniform),
                       key=lambda a: cost[uniform[a]])
        if len(mixed) < 2:
            continue
        print("\n" + t("cli_mixes", lang, option=names.option(option.name),
                        architectures=", ".join(names.architecture(a) for a in mixed)))
        for key, table in (("annual_cost", cost), ("ale", ale)):
            others = ", ".join(f"{names.option(uniform[a])} {money(table[uniform[a]], cur, lang)}" for a in mixed)
            print("  " + t("cli_mixed_figure", lang, label=labels.label(key, lang),
                           value=money(table[option.name], cur, lang), uniform=others))


def _settings(result: Appraisal) -> dict:
    sim = result.simulation
    return {"scenario": sim.scenario.name, "trials": sim.trials, "horizon_years": sim.horizon_years,
            "seed": sim.seed, "version": __version__}


def _write_outputs(result: Appraisal, args) -> None:
    tables = _tables(result)
    if args.csv:
        # Neutralised: executives open these in a spreadsheet, where a name such as "=cmd|…" would run.
        # RFC 4180's CRLF line ends also make the csv writer quote a field that holds a CR.
        files = {f"{name}.csv": neutral_frame(table).to_csv(lineterminator="\r\n").encode("utf-8")
                 for name, table in tables.items()}
        _writing("--csv", args.csv, lambda: write_set(args.csv, files, _settings(result)))
        print(f"wrote {len(tables)} CSV tables to {args.csv}/")
    if args.json:
        payload = {name: json.loads(table.to_json(orient="split")) for name, table in tables.items()}
        payload["settings"] = _settings(result)
        _writing("--json", args.json, lambda: write_file(args.json, json.dumps(payload, indent=1).encode("utf-8")))
        print(f"wrote {args.json}")


def _writing(option: str, path: pathlib.Path, write: Callable[[], object]) -> None:
    """Run ``write``; a failure (a full disk, say) becomes one line naming the option and path."""
    try:
        write()
    except OSError as exc:
        raise OutputError(f"{option} {quote_path(path)}: cannot write ({exc.strerror or exc}); "
                          f"any previous output there is unchanged") from None


def _inputs(scenario: str) -> dict[str, pathlib.Path]:
    """The files the scenario argument can name, which no output may replace."""
    inputs = {"the scenario file": pathlib.Path(scenario)}
    if scenario in shipped_scenarios():
        inputs["the shipped scenario"] = pathlib.Path(str(shipped_scenarios()[scenario]))
    return inputs


def _check_outputs(args) -> None:
    """Check every output path before any work; say on stderr which existing outputs the run will replace."""
    taken = _inputs(args.scenario)
    for option in ("--out", "--xlsx", "--json", "--csv"):
        path = getattr(args, option[2:], None)
        if path is None:
            continue
        check = check_directory if option == "--csv" else check_file
        if check(option, path, taken):
            print(f"note: {option} {quote_path(path)} exists; it is replaced once the run succeeds", file=sys.stderr)
        taken[f"the {option} output"] = path


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
    from riskmodel.analysis import sensitivity, tornado
    from riskmodel.present.assumptions import value_shown

    cur, shown = scenario.currency, Names(scenario, args.lang)
    describe = shown.input
    names = [o.name for o in scenario.options]
    if args.option is not None and args.option not in names:
        raise ValueError(f"--option {quote(args.option)}: not an option of this scenario ({', '.join(names)})")
    unknown = [path for path in args.break_even if path not in epistemic_inputs(scenario)]
    if unknown:
        raise ValueError(f"--break-even {quote(unknown[0])}: not an uncertain input of this scenario "
                         f"(paths such as {next(iter(epistemic_inputs(scenario)))!r})")
    sim = simulate(scenario, args.trials, seed=args.seed, keep_detail=args.trials <= 50_000, progress=_Progress())
    result = appraise(sim)
    option = args.option or (result.argued_for if args.metric == "npv" else scenario.baseline.name)
    unit = f"{cur}" if args.metric == "npv" else f"{cur}/yr"
    print(f"{scenario.name}: {args.metric.upper()} of {shown.option(option)} [{unit}], {args.trials:,} trials, seed {args.seed}")
    if args.scheduler:
        executor = _executor(args.scheduler)
    elif args.workers > 1:
        executor = concurrent.futures.ProcessPoolExecutor(args.workers)
    else:
        executor = None
    table = tornado.tornado(scenario, args.metric, option, args.trials, args.seed, top=args.top,
                            executor=executor, precision=args.tornado_precision, max_trials=args.max_trials)
    m = lambda v: money(v, cur, args.lang)  # noqa: E731
    print(f"\nTornado: each input at its 10th and 90th percentile, the others as drawn "
          f"(base {m(table['base'].iloc[0])})")
    for path, row in table.iterrows():
        field = path.rsplit(".", 1)[-1]
        print(f"  {m(row['swing']):>10} ± {m(row['swing_se'])}  {describe(path)}: "
              f"{value_shown(row['input_low'], field, cur, args.lang)} → {m(row['metric_low'])}, "
              f"{value_shown(row['input_high'], field, cur, args.lang)} → {m(row['metric_high'])}"
              + (f" ({int(row['trials']):,} trials)" if args.tornado_precision else ""))
    value = sensitivity.evpi(sim)
    print(f"\nExpected value of perfect information: {m(value)} — the most it is worth paying to learn which "
          f"future is coming before choosing among the {len(sim.options)} options.")
    if sim.detail is not None:
        partial = sensitivity.partial_evpi(sim)
        partial = partial[partial > 0.01 * value].head(5)
        print("  per input (binned estimate): " + (", ".join(f"{describe(p)} {m(v)}" for p, v in
                                                             partial.items()) if len(partial) else
                                                   "no single input would change the choice on its own; the value "
                                                   "lies in which events come"))
    if args.sobol:
        indices = sensitivity.sobol(scenario, args.metric, option, n=args.sobol, trials=min(args.trials, 1_000),
                                    seed=args.seed, executor=executor)
        print(f"\nSobol indices (SALib, {args.sobol} base points; ± 95% half-width):")
        for path, row in indices.iterrows():
            print(f"  first order {row['S1']:.2f} ± {row['S1 conf']:.2f}, total {row['ST']:.2f} ± "
                  f"{row['ST conf']:.2f}  {describe(path)}")
    for path in args.break_even:
        found = sensitivity.break_even(scenario, path, option, args.trials, args.seed)
        lo, hi = found["range"]
        where = (f"NPV crosses zero at {found['value']:.4g}" if found["crosses"] else
                 f"NPV does not cross zero between {lo:.4g} and {hi:.4g} (P1–P99): "
                 f"{m(found['npv at range'][0])} to {m(found['npv at range'][1])}")
        print(f"\nBreak-even of {shown.option(option)} along {describe(path)}: {where}")
    return 0


def _report(result: Appraisal, args) -> int:
    from riskmodel.report import write_html, write_workbook

    sim = result.simulation
    runs_as = (f"--trials {sim.trials}" if sim.precision is None else
               f"--precision {sim.precision:.2%} --max-trials {sim.max_trials}"
               + (f" --trials {args.trials}" if args.trials is not None else ""))
    command = (f"riskmodel report {args.scenario} --out {args.out} --lang {args.lang} {runs_as} "
               f"--seed {args.seed} --basis {result.basis}" + (f" --xlsx {args.xlsx}" if args.xlsx else ""))
    case = business_case(result)
    _writing("--out", args.out, lambda: write_html(case, args.out, args.lang, command))
    print(f"wrote {args.out}")
    if args.xlsx:
        _writing("--xlsx", args.xlsx, lambda: write_workbook(result, args.xlsx, args.lang))
        print(f"wrote {args.xlsx}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command in authoring.COMMANDS:
            return authoring.run(args)
        if args.command in evidence.COMMANDS:
            return evidence.run(args)
        if args.command in workspace_commands.COMMANDS:
            return workspace_commands.run(args)
        if args.command == "report":
            try:
                from riskmodel import report  # noqa: F401 - a missing extra is said before the run, not after
            except ImportError as exc:
                raise ValueError(f"the report needs the 'report' extra (pip install 'riskmodel[report]'): "
                                 f"{exc}") from None
        _check_outputs(args)
        scenario = load(args.scenario)
        if args.command == "validate":
            print(f"{args.scenario}: valid — {len(scenario.services)} service(s), {len(scenario.threats)} threat(s), "
                  f"{len(scenario.options)} option(s), baseline {scenario.baseline.name!r}")
            found = checks.warnings(scenario)
            for warning in found:
                print(f"warning: {warning}")
            missing, given = checks.unsourced(scenario)
            print(f"{len(missing)} of {given} inputs have no source" + (": " + ", ".join(missing) if missing else ""))
            return 1 if found and args.strict else 0
        if args.command == "sensitivity":
            return _sensitivity(scenario, args)
        horizon = getattr(args, "horizon", None)
        workers = _executor(args.scheduler) if getattr(args, "scheduler", None) else args.workers
        if args.max_trials is not None and args.precision is None:
            raise ValueError("--max-trials: the cap of an adaptive run, so it needs --precision (e.g. --precision 1%)")
        trials = FIXED_TRIALS if args.trials is None and args.precision is None else args.trials
        sim = adaptive.simulate(scenario, trials, horizon, args.seed, precision=args.precision, basis=args.basis,
                                 max_trials=args.max_trials, workers=workers, progress=_Progress())
        result = appraise(sim, args.basis)
        if args.command == "report":
            return _report(result, args)
        _print_comparison(result, args.lang)
        _write_outputs(result, args)
        return 0
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; every output is its previous file or the complete new one", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
