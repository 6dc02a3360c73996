"""The Monte Carlo engine's entry point: :func:`simulate` and its :class:`Simulation` (DESIGN §8).

``simulate(scenario, trials, horizon_years, seed)`` runs every option of a scenario on
the same random futures and returns a :class:`Simulation` of streamed sums and
histograms, from which :mod:`riskmodel.analysis.appraisal` builds the tables users see.
The run is compiled once (:mod:`riskmodel.engine.plan`), cut into chunks of whole seed
blocks (:mod:`riskmodel.engine.chunk`), handed to this process, local worker processes
or any executor, and added up in block order (:mod:`riskmodel.engine.accumulate`).

How randomness is laid out, so that results never depend on how the work is split, nor
on what else is in the run, is told in :mod:`riskmodel.engine.rng` (keyed draws),
:mod:`riskmodel.engine.plan` (inputs' and threats' keys) and
:mod:`riskmodel.engine.events` (each event's own draws, common random numbers).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import dataclasses
import math
import os
import threading
import typing
from collections.abc import Callable

import numpy as np

from riskmodel.distributions import Quantity
from riskmodel.engine import kernels
from riskmodel.engine.accumulate import Accumulator
from riskmodel.engine.chunk import run_chunk
from riskmodel.engine.plan import Plan, compile_plan, expected_events
from riskmodel.engine.rng import SEED_BLOCK
from riskmodel.models import impact
from riskmodel.scenario import MAX_HORIZON_YEARS, Scenario

EVENTS_PER_CHUNK = 150_000  # keeps the numpy path's per-event arrays to some 100 MB


#: The most trials a chunk takes: each chunk costs about 1 ms besides its trials, under 1 % of
#: this many light ones (the FAIR-style single threat), and past it a chunk's (trials,) arrays
#: outgrow a core's cache, so that more trials per chunk are slower, not faster.
MAX_CHUNK = 200_000


#: Chunks each local worker takes at least, when the run is split over workers: the run ends
#: when its last chunk does, so equal shares of a few chunks each keep the workers equally busy.
CHUNKS_PER_WORKER = 4


#: Memory a chunk's per-trial arrays may take (:func:`trial_bytes`) [bytes]: kakao-2022's
#: 10,000 trials, so a scenario with fewer inputs, services, options or years takes more trials.
CHUNK_BYTES = 64e6


#: Pair evaluations per chunk of the compiled core, about 0.4 s of one core: a run checks for
#: Stop and its time budget between chunks (kakao-2022 takes fewer trials for CHUNK_BYTES).
COMPILED_WORK_PER_CHUNK = 8e6


#: Event-service pairs the numpy path (or ``keep_detail``) may hold for one seed block, the
#: smallest chunk: some 300 bytes each, about 1 GB.
MAX_PAIRS_PER_BLOCK = 3e6


#: The most trials a run takes: a standard error 30 times below 10,000 trials' is precision
#: no input of this model has, and the run's block bookkeeping stays a few MB.
MAX_TRIALS = 10_000_000


#: The most pair evaluations (event-service pairs × options) a run takes: some ten minutes
#: of one core on the compiled core (0.05 µs each). kakao-2022 at 20,000 trials takes 1.6e7.
MAX_WORK = 1e10


def trial_bytes(plan: Plan) -> float:
    """Memory a chunk holds per trial besides its events, at most [bytes].

    Float64 values: each random input's uniform and value, every service's impact
    parameters, each architecture's and programme's three success rates or multipliers,
    the event counts of each year and threat, and some eight (options × years) arrays of
    losses, costs, benefits and cash flows (kakao-2022: 6.6 kB; measured peak 5.1 kB).
    """
    values = (2 * plan.random_cols.size + plan.n_services * len(impact.PARAMETERS) + 3 * len(plan.archs)
              + 3 * len(plan.prog_cols) + plan.horizon * len(plan.threats) + 8 * plan.n_options * plan.horizon)
    return 8.0 * values


def engine_for(plan: Plan, trials: int, engine: str = "auto") -> str:
    """The engine a run of ``trials`` uses: ``engine`` itself, or for "auto" the compiled
    core when numba is installed and the run repays loading it (:func:`riskmodel.engine.kernels.worth_compiling`)."""
    if engine != "auto":
        return engine
    return "numba" if kernels.worth_compiling(expected_events(plan) * trials * plan.n_options) else "numpy"


@dataclasses.dataclass(frozen=True)
class Detail:
    """Per-trial, per-event and per-pair records of a run (``simulate(..., keep_detail=True)``; small runs only).

    O options, T trials, H years, S services, E events, N (event, service) pairs. Events
    and pairs are in the order the engine drew them; pairs are sorted by event, then service.
    """

    loss: np.ndarray  #: (O, T, H) each option's loss in each trial-year [currency]
    npv: np.ndarray  #: (O, T) each option's NPV against the baseline, cash and freed capacity [currency]
    cash_npv: np.ndarray  #: (O, T) the same on the cash basis: avoided loss less costs [currency]
    capex: np.ndarray  #: (O, T) up-front cost [currency]
    cost_run: np.ndarray  #: (O, T, H) running cost [currency/yr]
    benefit_run: np.ndarray  #: (O, T, H) a programme's benefits other than avoided loss [currency/yr]
    params: np.ndarray  #: (T, inputs) the drawn value of each of ``Plan.random_cols`` [its unit]
    impact: np.ndarray  #: (T, S, fields) impact parameters, fields as ``impact.PARAMETERS`` [their units]
    event_trial: np.ndarray  #: (E,) trial of each event
    event_year: np.ndarray  #: (E,) year of each event, 0 first
    event_threat: np.ndarray  #: (E,) index into ``Plan.threats``
    event_duration: np.ndarray  #: (E,) how long the event lasts with no DR [h]
    event_hit: np.ndarray  #: (E, S) the services each event strikes itself (bool)
    pair_event: np.ndarray  #: (N,) the event of each pair
    pair_service: np.ndarray  #: (N,) the service of each pair
    pair_cost: np.ndarray  #: (O, N) each option's cost of the pair [currency]
    pair_downtime: np.ndarray  #: (O, N) each option's downtime of the pair [h]
    pair_ref_cost: np.ndarray  #: (N,) the pair's cost with no DR and no programme [currency]
    pair_ref_downtime: np.ndarray  #: (N,) its downtime with no DR and no programme [h]

    def arrays(self) -> dict[str, np.ndarray]:
        """Every record by field name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


class PerTrial(typing.NamedTuple):
    """Each trial's figures of a run (``simulate(..., keep_trials=True)``), O options, T trials.

    What a paired comparison of two runs on the same futures needs: the standard error of
    a difference from the trials' own differences (:func:`riskmodel.analysis.tornado.tornado`).
    """

    npv: np.ndarray  #: (O, T) NPV against the baseline, cash and freed capacity [currency]
    cash_npv: np.ndarray  #: (O, T) NPV on the cash basis [currency]
    loss: np.ndarray  #: (O, T) mean annual loss over the trial's years [currency/yr]


class NpvTotals(typing.NamedTuple):
    """The streamed NPV totals of one basis of benefit (:meth:`Simulation.npv_totals`), O options."""

    npv_sum: np.ndarray  #: (O,) sum over trials of NPV against the baseline [currency]
    npv_sq: np.ndarray  #: (O,) sum over trials of squared NPV [currency²]
    best_npv_sum: np.ndarray  #: () sum over trials of the best option's NPV [currency]
    npv_positive: np.ndarray  #: (O,) trials with NPV above 0 [trials]
    npv_diff_sq: np.ndarray  #: (O, O) sum over trials of squared paired differences [currency²]
    npv_hist: np.ndarray  #: (O, bins) NPVs counted in the fixed bins [trials]


@dataclasses.dataclass(frozen=True)
class Simulation:
    """Streamed results of :func:`simulate` for every option of a scenario.

    O options, H years, S services, K threats as the engine compiles them
    (``plan.threats``: a site threat with no site list counts once per site, an
    architecture's added incidents once per service), C cost components
    (``impact.COMPONENTS``). Sums are over all trial-years, or over all trials where the
    name says so; histograms are counts in the bins of :mod:`riskmodel.engine.histogram`.
    :mod:`riskmodel.analysis` reads means, standard errors and quantiles from them.
    """

    scenario: Scenario
    plan: Plan
    trials: int  #: simulated futures [trials]
    horizon_years: int  #: years per trial [yr]
    seed: int
    loss_sum: np.ndarray  #: (O,) sum of annual losses over trial-years [currency]
    loss_sq: np.ndarray  #: (O,) sum of squared annual losses [currency²]
    trial_loss_sq: np.ndarray  #: (O,) sum over trials of the square of each trial's mean annual loss [currency²]
    loss_year_sum: np.ndarray  #: (O, H) sum over trials of each year's loss [currency]
    service_loss_sum: np.ndarray  #: (O, S) sum of each service's losses [currency]
    downtime_sum: np.ndarray  #: (O, S) sum of each service's downtime [h]
    multi_loss_sum: np.ndarray  #: (O,) sum of losses in events that cost more than one service [currency]
    component_sum: np.ndarray  #: (O, C) sum of each cost component [currency]
    threat_loss_sum: np.ndarray  #: (O, K) sum of each threat's losses [currency]
    capex_sum: np.ndarray  #: (O,) sum over trials of up-front cost [currency]
    cost_year_sum: np.ndarray  #: (O, H) sum over trials of each year's running cost [currency]
    benefit_year_sum: np.ndarray  #: (O, H) sum over trials of each year's programme benefits [currency]
    npv_sum: np.ndarray  #: (O,) sum over trials of NPV against the baseline, cash and freed capacity [currency]
    npv_sq: np.ndarray  #: (O,) sum over trials of squared NPV [currency²]
    best_npv_sum: np.ndarray  #: () sum over trials of the best option's NPV in that trial [currency]
    npv_positive: np.ndarray  #: (O,) trials whose NPV is above 0 [trials]
    npv_diff_sq: np.ndarray  #: (O, O) sum over trials of (NPV of option i − NPV of option j)² [currency²]
    cash_npv_sum: np.ndarray  #: (O,) as ``npv_sum`` on the cash basis (avoided loss less costs) [currency]
    cash_npv_sq: np.ndarray  #: (O,) as ``npv_sq`` on the cash basis [currency²]
    cash_best_npv_sum: np.ndarray  #: () as ``best_npv_sum`` on the cash basis [currency]
    cash_npv_positive: np.ndarray  #: (O,) as ``npv_positive`` on the cash basis [trials]
    cash_npv_diff_sq: np.ndarray  #: (O, O) as ``npv_diff_sq`` on the cash basis [currency²]
    loss_hist: np.ndarray  #: (O, bins) annual losses counted in the fixed bins [trial-years]
    npv_hist: np.ndarray  #: (O, bins) NPVs counted in the fixed bins [trials]
    cash_npv_hist: np.ndarray  #: (O, bins) cash-basis NPVs counted in the fixed bins [trials]
    events: np.ndarray  #: (K,) events drawn [events]
    hit_pairs: np.ndarray  #: (K,) (event, service) pairs the events strike themselves [pairs]
    pairs: np.ndarray  #: (K,) pairs with the services that depend on those [pairs]
    tolerance_exceed: np.ndarray | None = None  #: (O, points) trial-years above each risk-tolerance loss
    #: (O, points) sum over trials of the square of the share of the trial's years above each point [1]
    tolerance_trial_sq: np.ndarray | None = None
    detail: Detail | None = None  #: per-trial records, with ``keep_detail=True``
    per_trial: PerTrial | None = None  #: each trial's NPVs and loss, with ``keep_trials=True``
    #: An adaptive run's target, SE / |NPV| of the recommended option (:mod:`riskmodel.analysis.precision`)
    precision: float | None = None
    max_trials: int | None = None  #: an adaptive run's cap [trials]
    basis: str | None = None  #: the basis of benefit an adaptive run settled the recommendation on
    #: The core that ran it, "numba" or "numpy": the two round differently in the last bits, so
    #: a run is reproduced bit for bit by running it again on the same one.
    engine: str | None = None
    first_trial: int = 0  #: the first of the seed's futures the run took (``simulate(..., first_trial=…)``)

    @property
    def options(self) -> list[str]:
        """The options' names, in the scenario's order."""
        return [o.name for o in self.scenario.options]

    @property
    def trial_years(self) -> int:
        """Simulated trial-years [trial-years]."""
        return self.trials * self.horizon_years

    def npv_totals(self, basis: str) -> NpvTotals:
        """The NPV totals on a basis of benefit: "cash" or "capacity" (cash and freed capacity, DESIGN §9)."""
        prefix = {"cash": "cash_", "capacity": ""}[basis]
        return NpvTotals(*(getattr(self, prefix + name) for name in NpvTotals._fields))

    def totals(self) -> dict[str, np.ndarray]:
        """Every streamed total by field name (what two runs are compared on)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if isinstance(getattr(self, f.name), np.ndarray)}


def simulate(scenario: Scenario, trials: int = 10_000, horizon_years: int | None = None, seed: int = 20221015,
             *, chunk_size: int | None = None, workers: int | concurrent.futures.Executor = 1,
             keep_detail: bool = False, overrides: dict[str, Quantity] | None = None,
             progress: Callable[[int, int], None] | None = None, engine: str = "auto",
             more: Callable[[Simulation], int] | None = None, max_trials: int | None = None,
             threat_scale: dict[str, float] | None = None, keep_trials: bool = False,
             first_trial: int = 0) -> Simulation:
    """Run every option of ``scenario`` on the same simulated futures.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (:func:`riskmodel.load`).
    trials : int
        Number of simulated futures [trials]; each spans ``horizon_years``.
    horizon_years : int, optional
        Years per trial [yr]; default the scenario's ``finance.horizon_years``.
    seed : int
        Fixes every random draw; the same seed gives bit-identical results.
    chunk_size : int, optional
        Trials processed at once; rounded up to whole seed blocks of ``SEED_BLOCK``.
        Bounds memory; does not change results. Default: as many trials as hold
        ``CHUNK_BYTES`` (:func:`trial_bytes`), at most ``MAX_CHUNK``, and no more than
        are expected to make ``COMPILED_WORK_PER_CHUNK`` pair evaluations on the
        compiled core, or to hold ``EVENTS_PER_CHUNK`` events on numpy.
    workers : int or concurrent.futures.Executor
        Local worker processes (1 = in this process), or an executor to submit chunks
        to (e.g. a ``dask.distributed`` client's ``get_executor()``).
    keep_detail : bool
        Keep per-trial arrays (losses, NPVs, costs, impact parameters) and per-event and
        per-pair records (each pair's cost [currency] and downtime [h] by option, and
        with no DR and no programme) in ``Simulation.detail``.
    overrides : dict, optional
        Replacement quantities by input path (see :func:`compile_plan`).
    progress : callable, optional
        Called as ``progress(trials_done, trials)`` after each chunk.
    engine : {"auto", "numba", "numpy"}
        What simulates the events of each chunk and adds up every option's losses: the
        compiled core of :mod:`riskmodel.engine.kernels` (needs numba, the ``fast`` extra) or
        numpy. "auto" takes numba when it is installed and the run is big enough to repay
        loading it (:func:`riskmodel.engine.kernels.worth_compiling`). Both make the same draws
        and the same operations in the same order. Event counts, events and the services
        they reach are always the same. Where numpy's ``exp`` and ``expm1`` are the C
        library's (x86-64 without AVX-512, or numpy's dispatch narrowed by
        ``NPY_DISABLE_CPU_FEATURES``), every result is the same to the last bit. Where
        numpy uses its own AVX-512 code, a value drawn through ``exp`` (lognormal
        durations, RTO, RPO, incident costs) may differ by 2 ulp, and so each loss, NPV
        and sum by its rounding: some 30–110 eps of the size of what was summed, not of
        the result (``tests/parity.py`` derives and tests the bounds).
        On one machine, results are bit-identical for any ``chunk_size`` and ``workers``.
    more : callable, optional
        Grows the run: after each stage, ``more(simulation_so_far)`` returns how many more
        trials to add (0 or less to stop), until ``max_trials``. Stages take whole seed
        blocks (``trials``, each increment and ``max_trials`` are rounded up to a multiple of
        ``SEED_BLOCK``, the cap down), so the result is bit-identical to one run of the
        trials it ended with (:func:`riskmodel.analysis.precision.simulate` stops at a precision).
    max_trials : int, optional
        The most trials ``more`` may reach [trials]; default ``trials`` (no growth).
    threat_scale : dict, optional
        Threat name → factor [×] on the cost of each of its events, every draw unchanged
        (how :mod:`riskmodel.analysis.charging` counts what the market and the regulator add).
    keep_trials : bool
        Keep each trial's NPVs and mean annual loss in ``Simulation.per_trial`` (24 bytes per
        trial and option), without the per-event records of ``keep_detail``.
    first_trial : int
        Simulate the seed's futures from this one on [trial index, a multiple of
        ``SEED_BLOCK``]: a run of trials 0 … n − 1 is continued by ``first_trial=n``, every
        trial as it is in one run of them all (its sums are the later trials' alone).

    Returns
    -------
    Simulation

    Examples
    --------
    >>> from riskmodel import load, simulate
    >>> sim = simulate(load("data/scenarios/kakao-2022.yaml"), trials=2_000, seed=1)  # doctest: +SKIP
    """
    if not isinstance(trials, (int, np.integer)) or not 1 <= trials <= MAX_TRIALS:
        raise ValueError(f"trials: {trials!r} — must be a whole number from 1 to {MAX_TRIALS:,}")
    if more is not None:
        cap = max_trials if max_trials is not None else trials
        if not isinstance(cap, (int, np.integer)) or not trials <= cap <= MAX_TRIALS:
            raise ValueError(f"max_trials: {max_trials!r} — must be a whole number from trials ({trials:,}) "
                             f"to {MAX_TRIALS:,}")
        cap = max(SEED_BLOCK, cap // SEED_BLOCK * SEED_BLOCK)
        trials = min(cap, math.ceil(trials / SEED_BLOCK) * SEED_BLOCK)
    else:
        cap = trials
    if not isinstance(first_trial, (int, np.integer)) or first_trial < 0 or first_trial % SEED_BLOCK \
            or first_trial + cap > MAX_TRIALS:
        raise ValueError(f"first_trial: {first_trial!r} — must be a whole multiple of {SEED_BLOCK:,} from 0, with "
                         f"first_trial + trials at most {MAX_TRIALS:,}")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: {seed!r} — must be a whole number ≥ 0")
    horizon = int(horizon_years or scenario.finance.horizon_years)
    if not 1 <= horizon <= MAX_HORIZON_YEARS:
        raise ValueError(f"horizon_years: {horizon_years!r} — must be from 1 to {MAX_HORIZON_YEARS} years")
    if engine not in ("auto", "numba", "numpy"):
        raise ValueError(f"engine: {engine!r} — must be 'auto', 'numba' or 'numpy'")
    if engine == "numba" and not kernels.available():
        raise ValueError("engine: 'numba' — numba is not installed (pip install 'riskmodel[fast]')")
    plan = compile_plan(scenario, horizon, overrides, threat_scale)
    pairs = expected_events(plan)  # per trial, at the mean rates [pairs/trial]
    work = pairs * cap * plan.n_options
    if work > MAX_WORK:
        raise ValueError(f"trials: {cap:,} — at the scenario's mean rates this run would price some {work:.2g} "
                         f"event-service pairs across its options, more than the {MAX_WORK:.0e} a run may take "
                         f"(about ten minutes of one core on the compiled core); use at most "
                         f"{int(MAX_WORK / (work / cap)):,} trials")
    engine = engine_for(plan, cap, engine)
    held = pairs * min(trials, SEED_BLOCK)
    if (engine == "numpy" or keep_detail) and held > MAX_PAIRS_PER_BLOCK:
        remedy = "run it without keep_detail" if engine == "numba" else "install the compiled core (pip install " \
            "'riskmodel[fast]'), which holds no per-event arrays"
        raise ValueError(f"at the scenario's mean rates one block of {min(trials, SEED_BLOCK):,} trials holds some "
                         f"{held:.2g} event-service pairs, more than the {MAX_PAIRS_PER_BLOCK:.0e} (about 1 GB) that "
                         f"{'keep_detail' if engine == 'numba' else 'the numpy path'} may hold; {remedy}")
    if engine == "numba":
        _ = plan.core_tables  # computed once here, and sent with the plan to any workers
    if chunk_size is None:
        # The compiled core holds no per-event arrays (but keep_detail's records, as numpy does).
        per_trial = pairs * plan.n_options / COMPILED_WORK_PER_CHUNK if engine == "numba" and not keep_detail \
            else pairs / EVENTS_PER_CHUNK
        chunk_size = int(min(MAX_CHUNK, CHUNK_BYTES / trial_bytes(plan), 1 / max(per_trial, 1e-12)))
        if isinstance(workers, int) and workers > 1:
            # A few chunks per worker, so that none waits long for the last one to finish.
            chunk_size = min(chunk_size, math.ceil(cap / (CHUNKS_PER_WORKER * workers)))
    per_chunk = max(1, math.ceil(chunk_size / SEED_BLOCK))
    total = Accumulator()
    with _pool(workers, math.ceil(math.ceil(cap / SEED_BLOCK) / per_chunk)) as executor:
        done_blocks = first_trial // SEED_BLOCK
        while True:
            n_blocks = math.ceil((first_trial + trials) / SEED_BLOCK)
            tasks = [(plan, int(seed), b, int(first_trial + trials), min(per_chunk, n_blocks - b), keep_detail, engine,
                      keep_trials) for b in range(done_blocks, n_blocks, per_chunk)]
            _run_tasks(tasks, executor, total, progress, first_trial, trials)
            totals = total.result()
            detail, per_trial = totals.pop("detail", None), totals.pop("per_trial", None)
            sim = Simulation(scenario=scenario, plan=plan, trials=int(trials), horizon_years=horizon, seed=int(seed),
                             **totals, detail=None if detail is None else Detail(**detail),
                             per_trial=None if per_trial is None else PerTrial(**per_trial), engine=engine,
                             first_trial=int(first_trial))
            extra = 0 if more is None or trials >= cap else int(more(sim))
            if extra <= 0:
                return sim
            done_blocks = n_blocks
            trials = min(cap, trials + math.ceil(extra / SEED_BLOCK) * SEED_BLOCK)


def _pool(workers: int | concurrent.futures.Executor, n_tasks: int):
    """The executor a run submits its chunks to (None: this process), as a context that closes only what it opened."""
    if isinstance(workers, concurrent.futures.Executor):
        return contextlib.nullcontext(workers)
    if workers > 1 and n_tasks > 1:
        return contextlib.nullcontext(_local_workers(min(workers, os.cpu_count() or 1)))
    return contextlib.nullcontext(None)


_WORKERS: dict[int, concurrent.futures.ProcessPoolExecutor] = {}
_WORKERS_LOCK = threading.Lock()


def _local_workers(n: int) -> concurrent.futures.ProcessPoolExecutor:
    """``n`` local worker processes, kept from run to run.

    A worker's first chunk loads the engine (and the compiled core, some 0.7 s of CPU); kept,
    the workers pay it once, not on every run. A pool that lost a worker is replaced.
    """
    with _WORKERS_LOCK:
        pool = _WORKERS.get(n)
        if pool is None or getattr(pool, "_broken", False):
            pool = _WORKERS[n] = concurrent.futures.ProcessPoolExecutor(max_workers=n)
        return pool


@atexit.register
def _close_workers() -> None:
    # Closed before the interpreter takes its modules apart, which a pool's own clean-up needs.
    with _WORKERS_LOCK:
        for pool in _WORKERS.values():
            pool.shutdown(wait=True, cancel_futures=True)
        _WORKERS.clear()


def _run_tasks(tasks: list[tuple], executor: concurrent.futures.Executor | None, total: Accumulator,
               progress: Callable[[int, int], None] | None, first_trial: int, trials: int) -> None:
    """Run chunks (in this process one at a time, so memory holds one), adding each one's sums to
    ``total`` in block order."""
    futures = [] if executor is None else [executor.submit(run_chunk, *t) for t in tasks]
    parts = (run_chunk(*t) for t in tasks) if executor is None else (f.result() for f in futures)
    try:
        for part, t in zip(parts, tasks):
            total.add(part)
            if progress is not None:
                progress(min((t[2] + t[4]) * SEED_BLOCK - first_trial, trials), trials)
    finally:  # a run stopped (or failed) leaves no chunks queued for the workers it shares
        for f in futures:
            f.cancel()
