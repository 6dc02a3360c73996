"""The engine's optional compiled core: whether to use it, and loading it.

The compiled core (:mod:`riskmodel.engine.kernels_numba`, needs numba: the ``fast`` extra)
does what the numpy path (:mod:`riskmodel.engine.events`) does between each trial's parameters
and every option's summed losses: event counts, each event's draws, the services it
reaches, each architecture's recovery, the price of every (event, service) pair and
the per-block sums, in one pass with no intermediate arrays. Without numba the engine
runs the numpy path; ``tests/test_kernels.py`` holds the two to the same numbers.

numba is imported on first use, not with riskmodel: importing it and loading the cached
core takes about 0.7 s (more from a cold disk; the first run after installing compiles
it, some 20 s), more than a small run costs, so :func:`worth_compiling` decides when to
pay it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys

import numpy as np

from riskmodel.engine.parameters import Parameters, impact_params
from riskmodel.engine.plan import EVENT_COLUMNS, SERVICE_COLUMNS, Plan
from riskmodel.models import threats
from riskmodel.scenario import CATEGORIES, SCOPES

#: Pair evaluations (pairs × options) from which loading numba pays for itself: the
#: compiled core saves about 0.3 µs per evaluation against numpy, and importing numba
#: and loading the cached core costs about 0.7 s (kakao-2022 breaks even near 2,000
#: trials; the app's 1,000-trial runs stay on numpy).
WORTH_COMPILING = 2.5e6


def available() -> bool:
    """Whether the compiled core can run (numba is installed)."""
    return importlib.util.find_spec("numba") is not None


def worth_compiling(pair_evaluations: float) -> bool:
    """Whether a run of ``pair_evaluations`` [pairs × options] should use the compiled core.

    Yes when numba is already loaded, or when the run is big enough to repay loading it.
    """
    return available() and ("numba" in sys.modules or pair_evaluations >= WORTH_COMPILING)


@functools.cache
def compiled():
    """The compiled core's module (:mod:`riskmodel.engine.kernels_numba`), imported on first call."""
    return importlib.import_module("riskmodel.engine.kernels_numba")


def compiled_events(plan: Plan, P: Parameters, trial_words: np.ndarray, trial_block: np.ndarray, rates: np.ndarray,
                  keep_detail: bool) -> dict:
    """Steps 2–5 of a chunk in the compiled core (:mod:`riskmodel.engine.kernels_numba`).

    Returns what :func:`riskmodel.engine.events.numpy_events` returns, computed in one pass with no per-event arrays.
    """
    core, c = compiled(), plan.core_tables
    T, NB = trial_words.size, int(trial_block[-1]) + 1
    counts = core.event_counts(trial_words, plan.count_keys, rates, np.exp(-np.minimum(rates, threats.NORMAL_ABOVE)))
    arch_fs = np.empty((T, len(plan.archs), 2))
    for a_idx, a in enumerate(plan.archs):
        arch_fs[:, a_idx, 0] = P[:, a.cols["failover_success"]]
        arch_fs[:, a_idx, 1] = P[:, a.cols["manual_failover_success"]]
    prog_par = np.empty((T, len(plan.prog_cols), 3))
    for g, pc in enumerate(plan.prog_cols):
        for j, field in enumerate(("mttr_multiplier", "human_error_rate_multiplier", "failover_success_uplift")):
            prog_par[:, g, j] = P[:, pc[field]]
    (loss, components, service_loss, downtime, multi, threat_loss, events, hit_pairs, pairs, ev_trial, ev_year,
     ev_threat, ev_duration, ev_hit, pair_event, pair_service, pair_cost, pair_down, pair_ref_cost,
     pair_ref_down) = core.chunk_losses(
        trial_words, trial_block, counts, plan.slot_keys, EVENT_COLUMNS + SERVICE_COLUMNS * plan.n_services,
        EVENT_COLUMNS, SERVICE_COLUMNS, c["th_scope"], c["th_category"], c["th_only"], c["th_site"],
        c["th_site_cum"], c["th_duration"], c["th_data_loss"], c["fp_n"], c["fp_services"], c["fp_hit"],
        c["fp_touched"], c["spec"], c["up_ptr"], c["up_idx"], c["incident_q"],
        c["growth"], impact_params(plan, P, T), c["arch_covers"], c["arch_manual"], arch_fs, c["arch_rto"],
        c["arch_manual_rto"], c["arch_rpo"], plan.option_arch, plan.option_prog, c["prog_improves"], c["prog_ramp"],
        prog_par, CATEGORIES.index("human_error"), SCOPES.index("site"), SCOPES.index("region"), NB, keep_detail)
    return dict(
        loss=loss, components=components, service_loss=service_loss, downtime=downtime, multi=multi,
        threat_loss=threat_loss, events=events, hit_pairs=hit_pairs, pairs=pairs,
        detail=dict(event_trial=ev_trial, event_year=ev_year, event_threat=ev_threat, event_duration=ev_duration,
                    event_hit=ev_hit, pair_event=pair_event, pair_service=pair_service, pair_cost=pair_cost,
                    pair_downtime=pair_down, pair_ref_cost=pair_ref_cost, pair_ref_downtime=pair_ref_down)
        if keep_detail else None)
