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
from typing import NamedTuple

import numpy as np

from riskmodel.engine.parameters import Parameters, impact_params
from riskmodel.engine.plan import Plan
from riskmodel.models import impact, threats

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


class ChunkInputs(NamedTuple):
    """A chunk's trials as the compiled core reads them."""

    trial_words: np.ndarray  #: (trials,) uint64: each trial's word (all its draws derive from it)
    trial_block: np.ndarray  #: (trials,) its seed block in the chunk
    counts: np.ndarray  #: (trials, years, threats) events [events] (``event_counts``)
    params: np.ndarray  #: (trials, services, len(impact.PARAMETERS)) impact parameters
    arch_fs: np.ndarray  #: (trials, architectures, 3) success of the automatic and manual failover and the restore [0–1]
    prog_par: np.ndarray  #: (trials, programmes, 3) MTTR and human-error multipliers [×], failover uplift [0–1]


class CoreSums(NamedTuple):
    """What the compiled core adds up: by option (``o``), or by reference-then-option row and seed block."""

    loss: np.ndarray  #: (O, trials · years) loss per trial-year slot [currency]
    components: np.ndarray  #: (O + 1, len(impact.COMPONENTS), blocks) [currency]
    service_loss: np.ndarray  #: (O + 1, blocks, services) [currency]
    downtime: np.ndarray  #: (O + 1, blocks, services) [h]
    multi: np.ndarray  #: (O + 1, blocks) loss in events that cost on more than one service [currency]
    threat_loss: np.ndarray  #: (O + 1, blocks, threats) [currency]
    events: np.ndarray  #: (threats,) events
    hit_pairs: np.ndarray  #: (threats,) pairs the events hit
    pairs: np.ndarray  #: (threats,) pairs they make, with the services that depend on those


class CoreDetail(NamedTuple):
    """Every event and pair, as :func:`riskmodel.engine.events.numpy_events` lists them (room for all)."""

    event_trial: np.ndarray
    event_year: np.ndarray
    event_threat: np.ndarray
    event_duration: np.ndarray  #: [h]
    event_hit: np.ndarray  #: (events, services) bool
    pair_event: np.ndarray
    pair_service: np.ndarray
    pair_cost: np.ndarray  #: (O, pairs) [currency]
    pair_downtime: np.ndarray  #: (O, pairs) [h]
    pair_ref_cost: np.ndarray  #: with no DR and no programme [currency]
    pair_ref_downtime: np.ndarray  #: [h]


_FROM_REFERENCE = ("components", "service_loss", "downtime", "multi", "threat_loss")


def compiled_events(plan: Plan, P: Parameters, trial_words: np.ndarray, trial_block: np.ndarray, rates: np.ndarray,
                    keep_detail: bool) -> dict:
    """Steps 2–5 of a chunk in the compiled core (:mod:`riskmodel.engine.kernels_numba`).

    Returns what :func:`riskmodel.engine.events.numpy_events` returns, computed in one pass with no per-event arrays.
    """
    core, tables = compiled(), plan.core_tables
    T, NB = trial_words.size, int(trial_block[-1]) + 1
    O, S, K = plan.n_options, plan.n_services, len(plan.threats)
    counts = core.event_counts(trial_words, plan.count_keys, rates, np.exp(-np.minimum(rates, threats.NORMAL_ABOVE)))
    arch_fs = np.empty((T, len(plan.archs), 3))
    for a_idx, a in enumerate(plan.archs):
        for j, field in enumerate(("failover_success", "manual_failover_success", "restore_success")):
            arch_fs[:, a_idx, j] = P[:, a.cols[field]]
    prog_par = np.empty((T, len(plan.prog_cols), 3))
    for g, pc in enumerate(plan.prog_cols):
        for j, field in enumerate(("mttr_multiplier", "human_error_rate_multiplier", "failover_success_uplift")):
            prog_par[:, g, j] = P[:, pc[field]]
    chunk = ChunkInputs(trial_words, trial_block, counts, impact_params(plan, P, T), arch_fs, prog_par)
    sums = CoreSums(np.zeros((O, T * plan.horizon)), np.zeros((O + 1, len(impact.COMPONENTS), NB)),
                    np.zeros((O + 1, NB, S)), np.zeros((O + 1, NB, S)), np.zeros((O + 1, NB)),
                    np.zeros((O + 1, NB, K)), *(np.zeros(K, dtype=np.int64) for _ in range(3)))
    E = int(counts.sum()) if keep_detail else 0
    index = [np.zeros(n, dtype=np.int64) for n in (E, E, E, E * S, E * S)]
    room = CoreDetail(*index[:3], np.zeros(E), np.zeros((E, S), dtype=bool), *index[3:], np.zeros((O, E * S)),
                      np.zeros((O, E * S)), np.zeros(E * S), np.zeros(E * S))
    n_pairs = core.chunk_losses(tables, chunk, sums, room, keep_detail)
    # Row 0 of the block sums is the reference, the others each option's differences from it.
    out = {f: v[1:] + v[0] if f in _FROM_REFERENCE else v for f, v in sums._asdict().items()}
    detail = {f: v[..., :n_pairs] if f.startswith("pair_") else v for f, v in room._asdict().items()}
    return dict(out, detail=detail if keep_detail else None)
