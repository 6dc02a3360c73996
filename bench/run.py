"""Benchmark riskmodel: speed, peak memory, the numpy floor, and pyfair.

Run as ``.venv/bin/python bench/run.py [--quick]`` (or ``make bench``). Prints markdown
tables and writes them to ``bench/results/latest.md``.

What is measured, in one run:

1. ``simulate`` on ``data/scenarios/kakao-2022.yaml`` at 1e5, 1e6 and 1e7 trial-years
   (trials = trial-years / the scenario's ``finance.horizon_years``) with 1 worker, and
   with 2 workers from 1e6 on. Each configuration runs in a fresh subprocess (this file
   with ``--child``) that warms up on 1,000 trials, times the runs (median of 3; 1 run at
   1e7) and reports its peak resident memory: the larger of its own high-water mark and
   of its reaped worker processes.
2. The floor (:func:`floor_seconds`): numpy alone drawing the random numbers the engine
   drew at that size.
3. pyfair against riskmodel on one FAIR-style threat (:func:`compare_pyfair`). pyfair runs
   in ``bench/.peers``, a venv of its own made on first use from ``bench/peers.txt``
   (:func:`peer_python`): nothing is ever installed into the interpreter running this file.
4. Targets, as pass/fail columns.

``--quick`` runs 1e5 trial-years and a 1e5-trial pyfair comparison only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import pathlib
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

import riskmodel
from riskmodel import Quantity, Scenario, load, simulate
from riskmodel.engine.plan import compile_plan
from riskmodel.engine.run import engine_for
from riskmodel.models.threats import annual_rate

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "data" / "scenarios"
KAKAO = SCENARIO_DIR / "kakao-2022.yaml"
RESULTS = ROOT / "bench" / "results" / "latest.md"
PEERS = ROOT / "bench" / ".peers"  # the venv of the packages compared against (gitignored)
PEER_REQUIREMENTS = ROOT / "bench" / "peers.txt"
PYFAIR_SIDE = ROOT / "bench" / "pyfair_side.py"
LOCK = ROOT / "requirements" / "lock.txt"
SEED = 20221015
PIECE = 1 << 20  # variates per numpy call in the floor, to bound its memory
FLOOR_TARGET = 2.0  # riskmodel time / floor
SPEED_TARGET = 1e6  # trial-years per second
MEMORY_TARGET_MB = 1024.0  # peak at 1e7 trial-years
FAIR_RATE = (0.05, 0.2, 1.0)  # PERT, events/yr
FAIR_LOSS = (1e5, 1e6, 2e7)  # PERT, USD per event


# -- the scenarios ---------------------------------------------------------------------
def pick_scenario() -> tuple[pathlib.Path, str]:
    """The scenario file to benchmark and a note saying whether it is the intended one.

    Returns
    -------
    path : pathlib.Path
        ``data/scenarios/kakao-2022.yaml``, else the first YAML in ``data/scenarios``.
    note : str
        Empty for kakao-2022, otherwise says what was used instead.

    Raises
    ------
    SystemExit
        When ``data/scenarios`` holds no YAML file at all.
    """
    if KAKAO.exists():
        return KAKAO, ""
    others = sorted(SCENARIO_DIR.glob("*.yaml"))
    if not others:
        raise SystemExit(f"no scenario to benchmark: {KAKAO} is missing and {SCENARIO_DIR} holds no YAML")
    return others[0], f"**{KAKAO.name} is missing; benchmarked {others[0].name} instead.**"


def fair_scenario() -> Scenario:
    """One threat at rate PERT(0.05, 0.2, 1) /yr, each event costing PERT(1e5, 1e6, 2e7) USD."""
    return Scenario.from_dict({
        "name": "FAIR-style single threat",
        "currency": "USD",
        "impact": {"incident_fixed_cost": {"pert": list(FAIR_LOSS)}},
        "threats": [{"name": "loss_event", "scope": "component", "category": "software",
                     "rate": {"pert": list(FAIR_RATE)}, "duration_hours": 1}],
        "options": [{"name": "none", "baseline": True}],
    })


def scaled(q, k: float):
    """A scenario-file quantity (number or distribution form) multiplied by ``k``."""
    if isinstance(q, (int, float)):
        return q * k
    out = dict(q)
    for form in ("value", "ci90", "pert", "uniform", "triangular"):
        if form in out:
            out[form] = out[form] * k if form == "value" else [x * k for x in out[form]]
    if "lognormal" in out:
        out["lognormal"] = {key: x * k for key, x in out["lognormal"].items()}
    if "gamma" in out:
        out["gamma"] = [out["gamma"][0], out["gamma"][1] / k]
    return out


def single_service_variant(scenario: Scenario) -> Scenario:
    """The same scenario as one business on one site, with the same events.

    Per-service threats strike the one service at their summed rate, site and region
    threats strike its site, and it keeps the first service's impact: the number of
    events and options is unchanged, so the ratio of the two runs measures what the
    service axis costs.
    """
    data = scenario.to_dict()
    first = data["services"][0]
    n = len(scenario.services)
    for threat in data["threats"]:
        if threat["scope"] in ("component", "logical") and "rate" in threat:
            threat["rate"] = scaled(threat["rate"], len(threat.pop("services", None) or range(n)))
        threat.pop("sites", None)
        threat.pop("region", None)
    for option in data["options"]:
        option.pop("services", None)
    for key in ("sites", "services"):
        data.pop(key, None)
    data["impact"] = first["impact"]
    data["infra_annual_cost"] = first.get("infra_annual_cost", 0)
    data["name"] = f"{scenario.name} (as one service)"
    return Scenario.from_dict(data)


# -- child processes: one configuration each -------------------------------------------
def peak_mb() -> tuple[float, float]:
    """Peak resident memory [MB] of this process and of its reaped children.

    This process's is its own high-water mark (Linux's VmHWM): ``ru_maxrss`` keeps the peak
    from before ``exec``, which for a child of this benchmark is the parent's whole size (a
    400 MB parent gave an idle child 407 MB, VmHWM 11 MB). Children's are ``ru_maxrss``
    (Linux: KiB); forked workers count the pages they share with this process.
    """
    status = pathlib.Path("/proc/self/status")
    hwm = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")] \
        if status.exists() else []
    own = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def child(scenario_path: str | None, trials: int, workers: int, repeats: int) -> dict:
    """Time ``simulate`` in this process; with no scenario, only report the idle memory.

    Parameters
    ----------
    scenario_path : str or None
        Scenario file; None measures an interpreter that has only imported riskmodel.
    trials : int
        Trials per run [trials].
    workers : int
        Worker processes passed to ``simulate``.
    repeats : int
        Timed runs, after a 1,000-trial warm-up.

    Returns
    -------
    dict
        ``seconds`` per run, ``events`` and ``hit_pairs`` per compiled threat (last run),
        ``engine`` ("numba" or "numpy", as ``simulate``'s "auto" picks for this size),
        ``self_mb`` and ``children_mb`` peak memory.
    """
    out: dict = {"seconds": [], "events": [], "hit_pairs": [], "engine": ""}
    if scenario_path is not None:
        scenario = load(scenario_path)
        plan = compile_plan(scenario, scenario.finance.horizon_years)
        # The engine simulate's "auto" picks for this size, named so the warm-up loads it too.
        out["engine"] = engine_for(plan, trials)
        simulate(scenario, trials=1_000, seed=SEED, workers=1, engine=out["engine"])
        for _ in range(repeats):
            start = time.perf_counter()
            sim = simulate(scenario, trials=trials, seed=SEED, workers=workers, engine=out["engine"])
            out["seconds"].append(time.perf_counter() - start)
        out["events"] = sim.events.tolist()
        out["hit_pairs"] = sim.hit_pairs.tolist()
    out["self_mb"], out["children_mb"] = peak_mb()
    return out


def run_child(scenario_path: pathlib.Path | None, trials: int = 0, workers: int = 1, repeats: int = 0) -> dict:
    """Run :func:`child` in a fresh interpreter and return what it reported."""
    cmd = [sys.executable, __file__, "--child", "--trials", str(trials), "--workers", str(workers),
           "--repeats", str(repeats)]
    if scenario_path is not None:
        cmd += ["--scenario", str(scenario_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the floor -------------------------------------------------------------------------
def family_sampler(q: Quantity) -> Callable[[np.random.Generator, int], np.ndarray]:
    """A numpy sampler of the distribution family of ``q``, with its parameters.

    ci90 and lognormal → ``lognormal``; pert and beta → ``beta`` scaled to the range;
    uniform → ``uniform``; triangular → ``triangular``; a fixed value → one uniform (the
    engine still draws a uniform for it).
    """
    form = q.form
    if form == "value":
        return lambda rng, n: rng.random(n)
    if form in ("ci90", "lognormal"):
        dist = q.frozen()
        mu, sigma = math.log(dist.kwds["scale"]), dist.kwds["s"]
        return lambda rng, n: rng.lognormal(mu, sigma, n)
    if form in ("pert", "beta"):
        dist = q.frozen()
        (a, b), loc, scale = dist.args, dist.kwds["loc"], dist.kwds["scale"]
        return lambda rng, n: loc + scale * rng.beta(a, b, n)
    if form == "uniform":
        lo, hi = q.uniform
        return lambda rng, n: rng.uniform(lo, hi, n)
    lo, mode, hi = q.triangular
    return lambda rng, n: rng.triangular(lo, mode, hi, n)


def draw(rng: np.random.Generator, sampler: Callable[[np.random.Generator, int], np.ndarray], n: int) -> None:
    """Draw ``n`` variates in pieces of at most ``PIECE`` and discard them."""
    for start in range(0, n, PIECE):
        sampler(rng, min(PIECE, n - start))


def floor_seconds(scenario: Scenario, trials: int, events: list[int], hit_pairs: list[int],
                  repeats: int) -> float:
    """Median time numpy alone needs to draw the random numbers of one engine run.

    With one ``numpy.random.Generator`` (PCG64), in pieces of at most ``PIECE``
    variates, the floor draws:

    * for every random epistemic column (``plan.random_cols``), ``trials`` variates of
      its family (:func:`family_sampler`);
    * event counts: ``rng.poisson`` for trials × years × compiled threats, each threat
      at the mean of its rate quantity converted to events/yr by
      :func:`riskmodel.models.threats.annual_rate`;
    * per event (``events``, the engine's count per compiled threat): one variate of
      the threat's duration family plus 3 uniforms (data loss, site, thinning);
    * per hit pair (``hit_pairs`` summed): one RTO and one RPO variate of the families
      of the first architecture of the plan with a random RTO (uniforms if none has)
      plus 2 uniforms (failover, incident cost).

    It does not include turning uniforms into quantiles, building events and pairs,
    computing losses, NPV, sums or histograms: it is what any Monte Carlo of this
    scenario must at least spend, not a competing implementation.

    Returns
    -------
    float
        Median over ``repeats`` [s].
    """
    plan = compile_plan(scenario, scenario.finance.horizon_years)
    column_samplers = [family_sampler(plan.quantities[j]) for j in plan.random_cols]
    rates = np.array([float(annual_rate(t.form, plan.quantities[t.rate_col].mean())) for t in plan.threats])
    per_piece = max(1, PIECE // (plan.horizon * len(rates)))
    durations = [(family_sampler(t.duration), n) for t, n in zip(plan.threats, events)]
    dr = next((a.arch for a in plan.archs if not a.arch.rto_hours.is_fixed), None)
    recovery = [family_sampler(dr.rto_hours), family_sampler(dr.rpo_hours)] if dr else [family_sampler(
        Quantity(value=0.0))] * 2
    uniform = family_sampler(Quantity(value=0.0))
    n_pairs = sum(hit_pairs)

    def once() -> float:
        rng = np.random.Generator(np.random.PCG64(SEED))
        start = time.perf_counter()
        for sampler in column_samplers:
            draw(rng, sampler, trials)
        for first in range(0, trials, per_piece):
            rng.poisson(rates, size=(min(per_piece, trials - first), plan.horizon, len(rates)))
        for sampler, n in durations:
            draw(rng, sampler, n)
        draw(rng, uniform, 3 * sum(events))
        for sampler in recovery:
            draw(rng, sampler, n_pairs)
        draw(rng, uniform, 2 * n_pairs)
        return time.perf_counter() - start

    return statistics.median(once() for _ in range(repeats))


# -- pyfair ----------------------------------------------------------------------------
def pert_mean(a: float, m: float, b: float) -> float:
    """Mean of PERT(a, m, b): (a + 4m + b) / 6."""
    return (a + 4 * m + b) / 6


def _last_line(text: str) -> str:
    return (text.strip().splitlines() or ["?"])[-1]


def peer_python() -> tuple[pathlib.Path | None, str]:
    """The python of ``bench/.peers``, with ``bench/peers.txt`` installed in it.

    The venv is made on first use and reinstalled when ``bench/peers.txt`` or the lock
    changes: the lock is passed as constraints, so the packages pyfair shares with
    riskmodel (numpy, pandas, scipy) are the versions riskmodel is benchmarked on. The
    venv is made by this interpreter's ``venv`` module, but nothing is installed into
    this interpreter itself.

    Returns
    -------
    python : pathlib.Path or None
        The venv's interpreter; None when it could not be made.
    why : str
        Empty, or why the venv could not be made.
    """
    python = PEERS / "bin" / "python"
    stamp = PEERS / "installed.txt"  # what the last successful install was made from
    wanted = PEER_REQUIREMENTS.read_text(encoding="utf-8") + LOCK.read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python, ""
    steps = [] if python.exists() else [("python -m venv bench/.peers", [sys.executable, "-m", "venv", str(PEERS)])]
    steps.append(("pip install -r bench/peers.txt into bench/.peers",
                  [str(python), "-m", "pip", "install", "-q", "-c", str(LOCK), "-r", str(PEER_REQUIREMENTS)]))
    for label, cmd in steps:
        print(f"… {label}", file=sys.stderr, flush=True)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            return None, f"{label} failed: {_last_line(done.stderr)}"
    stamp.write_text(wanted, encoding="utf-8")
    return python, ""


def run_pyfair(python: pathlib.Path, trials: int, repeats: int) -> dict:
    """``repeats`` pyfair runs in ``python`` (bench/pyfair_side.py); what it reported.

    Returns
    -------
    dict
        ``version`` of pyfair, ``seconds`` per run, ``mean`` and ``se`` of the last run.
    """
    params = {"trials": trials, "repeats": repeats, "seed": SEED, "rate": FAIR_RATE, "loss": FAIR_LOSS}
    done = subprocess.run([str(python), str(PYFAIR_SIDE), json.dumps(params)],
                          capture_output=True, text=True, check=True)
    return json.loads(_last_line(done.stdout))


def time_riskmodel(scenario: Scenario, trials: int) -> tuple[float, float, float]:
    """One riskmodel run of the FAIR scenario, 1 year, 1 worker: (seconds, ALE, its standard error)."""
    start = time.perf_counter()
    sim = simulate(scenario, trials=trials, horizon_years=1, seed=SEED, workers=1)
    seconds = time.perf_counter() - start
    mean = sim.loss_sum[0] / trials
    se = math.sqrt(max(sim.loss_sq[0] / trials - mean * mean, 0.0) / trials)
    return seconds, mean, se


def compare_pyfair(trials: int, repeats: int = 3) -> tuple[list[str], str]:
    """Compare pyfair and riskmodel on the FAIR-style threat.

    Both are timed as the median of ``repeats`` runs; means and standard errors are from
    the last run. The closed form is E[rate] · E[loss] with PERT means.

    Returns
    -------
    lines : list of str
        The markdown section.
    speed : str
        "pass" or "FAIL" for riskmodel trials/s ≥ pyfair's, or "not measured".
    """
    exact = pert_mean(*FAIR_RATE) * pert_mean(*FAIR_LOSS)
    scenario = fair_scenario()
    simulate(scenario, trials=1_000, horizon_years=1, seed=SEED)  # warm-up
    rm = [time_riskmodel(scenario, trials) for _ in range(repeats)]
    rm_s = statistics.median(r[0] for r in rm)
    rm_mean, rm_se = rm[-1][1], rm[-1][2]
    engine = engine_for(compile_plan(scenario, 1), trials)
    rows = [f"| riskmodel (workers=1, {engine} engine) | {trials:,} | {rm_s:.3f} | {trials / rm_s:,.0f} | "
            f"{rm_mean:,.0f} | "
            f"{rm_se:,.0f} | {(rm_mean - exact) / rm_se:+.2f} |"]
    verdict, speed = [], "not measured"
    python, why = peer_python()
    if python is not None:
        try:
            pf = run_pyfair(python, trials, repeats)
        except subprocess.CalledProcessError as exc:  # any pyfair failure is reported, not raised
            why = f"pyfair failed: {_last_line(exc.stderr)}"
    if why:
        rows.append(f"| pyfair | {trials:,} | {why} | | | | |")
        verdict.append(f"- riskmodel trials/s ≥ pyfair's: **not measured** ({why})")
    else:
        pf_s = statistics.median(pf["seconds"])
        pf_mean, pf_se = pf["mean"], pf["se"]
        rows.append(f"| pyfair {pf['version']} | {trials:,} | {pf_s:.3f} | {trials / pf_s:,.0f} | "
                    f"{pf_mean:,.0f} | {pf_se:,.0f} | {(pf_mean - exact) / pf_se:+.2f} |")
        speed = _mark(pf_s >= rm_s)
        combined = math.hypot(rm_se, pf_se)
        z = (rm_mean - pf_mean) / combined
        verdict += [
            f"- Means agree within 3 combined standard errors: **{_mark(abs(z) <= 3)}** "
            f"(difference {rm_mean - pf_mean:+,.0f} USD = {z:+.2f} σ, σ = {combined:,.0f})",
            f"- riskmodel trials/s ≥ pyfair's: **{speed}** "
            f"({trials / rm_s:,.0f} vs {trials / pf_s:,.0f}; ratio {pf_s / rm_s:.2f})",
        ]
    return [
        f"### FAIR-style single threat: rate PERT({', '.join(f'{x:g}' for x in FAIR_RATE)}) /yr × "
        f"loss PERT({', '.join(f'{x:g}' for x in FAIR_LOSS)}) USD per event",
        "",
        "| engine | trials | s (median of 3) | trials/s | mean annual loss | std. error | (mean − exact)/SE |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Closed form E[rate]·E[loss] = {pert_mean(*FAIR_RATE):.4f} × {pert_mean(*FAIR_LOSS):,.0f} = "
        f"**{exact:,.0f} USD/yr**.",
        "",
        *verdict,
        "- Not the same model: pyfair draws one Loss Event Frequency value per trial and multiplies it by one "
        "Loss Magnitude draw (no Poisson count, one magnitude for all of a year's events); riskmodel draws a "
        "rate per trial, a Poisson count of events, and an independent loss per event. The means are the same; "
        "riskmodel's annual loss has more variance (hence the larger standard error).",
        "- pyfair's PERT is a beta with mean (a+4m+b)/6 and standard deviation (b−a)/6 (so its shape differs "
        "from the classic PERT α = 1 + 4(m−a)/(b−a) that riskmodel uses unless m is mid-range); means agree.",
    ], speed


# -- the report ------------------------------------------------------------------------
def _mark(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def compare_single_service(scenario: Scenario, path: pathlib.Path, size: int) -> tuple[list[str], str]:
    """Time the portfolio and its single-service variant at ``size`` trial-years, 1 worker.

    Returns
    -------
    lines : list of str
        A markdown section with both rows and their ratio.
    ok : str
        "pass" when the portfolio runs at ≥ ½ the single-service trial-years per second.
    """
    import tempfile

    single = single_service_variant(scenario)
    trials = size // scenario.finance.horizon_years
    rows = []
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        single_path = pathlib.Path(tmp) / "single.yaml"
        single.save(single_path)
        for label, file in (("portfolio", path), ("one service", single_path)):
            print(f"… {label}: {size:.0e} trial-years, workers=1", file=sys.stderr, flush=True)
            res = run_child(file, trials, 1, 3)
            seconds = statistics.median(res["seconds"])
            rates[label] = size / seconds
            events = sum(res["events"]) / size
            rows.append(f"| {label} ({res['engine']}) | {len(load(file).services)} | {events:.2f} | "
                        f"{sum(res['hit_pairs']) / size:.2f} | "
                        f"{seconds:,.2f} | {rates[label]:,.0f} | {max(res['self_mb'], res['children_mb']):,.0f} |")
    ratio = rates["portfolio"] / rates["one service"]
    lines = [
        f"### Portfolio against one business ({size:.0e} trial-years, workers=1, median of 3)",
        "",
        "| run | services | events / trial-year | hit pairs / trial-year | s | trial-years/s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Portfolio speed / single-service speed: **{ratio:.2f}** (target ≥ 0.5). The single-service run is "
        "`single_service_variant` in bench/run.py: the same events and options, one service.",
    ]
    return lines, _mark(ratio >= 0.5)


def measure(quick: bool) -> str:
    """Run every measurement and return the report as markdown."""
    path, note = pick_scenario()
    scenario = load(path)
    horizon = scenario.finance.horizon_years
    sizes = [10**5] if quick else [10**5, 10**6, 10**7]
    idle = run_child(None)
    idle_mb = max(idle["self_mb"], idle["children_mb"])
    rows = [f"| idle interpreter, riskmodel imported | | | | | | | {idle_mb:,.0f} | | | | | |"]
    targets = []
    for size in sizes:
        trials = size // horizon
        repeats = 1 if size >= 10**7 else 3
        for workers in ([1] if size < 10**6 else [1, 2]):
            print(f"… {size:.0e} trial-years, workers={workers}", file=sys.stderr, flush=True)
            try:
                res = run_child(path, trials, workers, repeats)
            except subprocess.CalledProcessError as exc:
                why = (exc.stderr.strip().splitlines() or [f"exit status {exc.returncode}"])[-1]
                rows.append(f"| {size:.0e} | {trials:,} | {workers} | | {repeats} | failed: {why} | | | | | | | |")
                targets.append((f"{size:.0e} trial-years, workers={workers}", "not measured (run failed)"))
                continue
            seconds = statistics.median(res["seconds"])
            rate = size / seconds
            mem = max(res["self_mb"], res["children_mb"])
            floor_cell = ratio_cell = ok_floor = ""
            if workers == 1:
                floor = floor_seconds(scenario, trials, res["events"], res["hit_pairs"], repeats)
                ratio = seconds / floor
                floor_cell, ratio_cell, ok_floor = f"{floor:.3f}", f"{ratio:.1f}", _mark(ratio <= FLOOR_TARGET)
                targets.append((f"{size:.0e} trial-years within {FLOOR_TARGET:g}× the floor", ok_floor))
            ok_speed = _mark(rate >= SPEED_TARGET)
            targets.append((f"≥ 1e6 trial-years/s at {size:.0e}, workers={workers}", ok_speed))
            ok_mem = ""
            if size >= 10**7:
                ok_mem = _mark(mem < MEMORY_TARGET_MB)
                targets.append((f"1e7 trial-years under 1 GB peak, workers={workers}", ok_mem))
            rows.append(f"| {size:.0e} | {trials:,} | {workers} | {res['engine']} | {repeats} | {seconds:,.2f} | "
                        f"{rate:,.0f} | "
                        f"{mem:,.0f} | {floor_cell} | {ratio_cell} | {ok_floor} | {ok_speed} | {ok_mem} |")
            print(rows[-1], file=sys.stderr, flush=True)
    portfolio, portfolio_ok = compare_single_service(scenario, path, 10**5 if quick else 10**6)
    targets.append(("portfolio ≥ ½ the single-service trial-years/s", portfolio_ok))
    fair_trials = 10**5 if quick else 10**6
    fair, fair_speed = compare_pyfair(fair_trials)
    plan = compile_plan(scenario, horizon)
    lines = [
        f"# riskmodel benchmark{' (--quick)' if quick else ''}",
        "",
        f"{datetime.datetime.now().isoformat(timespec='seconds')} · riskmodel {riskmodel.__version__} · "
        f"Python {platform.python_version()} · numpy {np.__version__} · {os.cpu_count()} CPUs · "
        f"{platform.machine()}",
        "",
        f"### {path.relative_to(ROOT)}: {len(scenario.services)} services, {len(scenario.options)} options, "
        f"{len(plan.threats)} compiled threats, {len(plan.random_cols)} random inputs, horizon {horizon} yr",
        "",
        *([note, ""] if note else []),
        "| trial-years | trials | workers | engine | runs | s (median) | trial-years/s | peak MB | floor s | × floor | "
        f"≤ {FLOOR_TARGET:g}× floor | ≥ 1e6 ty/s | < 1 GB |",
        "|---:|---:|---:|:-:|---:|---:|---:|---:|---:|---:|:-:|:-:|:-:|",
        *rows,
        "",
        "Peak MB: max of the benchmark child's high-water mark (VmHWM) and its reaped workers' ru_maxrss (with 2 workers "
        "the parent and workers are alive together, so the machine-wide peak is up to their sum). The floor is "
        "numpy drawing the same random numbers with one Generator (see `floor_seconds` in bench/run.py); "
        "× floor uses workers=1.",
        "",
        *portfolio,
        "",
        *fair,
        "",
        "### Targets",
        "",
        "| target | result |",
        "|---|:-:|",
        *[f"| {name} | {ok} |" for name, ok in targets],
        f"| riskmodel trials/s ≥ pyfair's ({fair_trials:.0e} trials, workers=1) | "
        f"{fair_speed} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e5 trial-years and a 1e5-trial pyfair comparison")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)
    parser.add_argument("--trials", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.scenario, args.trials, args.workers, args.repeats)))
        return
    report = measure(args.quick)
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
