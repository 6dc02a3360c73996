"""Compiled inner loop of the engine: every option's loss on every (event, service) pair.

The engine (:mod:`riskmodel.simulate`) prepares, per option, each pair's own downtime
[h] and data lost [h of data]; this kernel passes downtime along service dependencies,
prices each pair with the components of :func:`riskmodel.impact.event_cost` and adds
the results into per-trial-year losses and per-block sums, in one pass per option.

It is an optional accelerator: with numba installed (the ``fast`` extra) the engine
calls it; without, the engine's numpy path computes the same numbers. Both are kept
equal by ``tests/test_kernels.py``. The per-block sums add pairs in their order within
a block, so results stay bit-identical whatever the chunking.

numba is imported on first use, not with riskmodel: importing it and loading the cached
kernel takes about 0.7 s (2 s or more from a cold disk), more than a small run costs,
so :func:`worth_compiling` decides when to pay it.
"""

from __future__ import annotations

import functools
import importlib.util
import sys

import numpy as np

from .impact import COMPONENTS

N_COMPONENTS = len(COMPONENTS)


def _option_losses(pair_start, pair_service, pair_trial, pair_slot, pair_block, pair_threat, own, lost, params,
                   incident, growth, up_ptr, up_idx, n_services, n_slots, n_blocks, n_threats):
    """Losses of every option; see :func:`option_losses` for the arguments."""
    n_pairs, n_options = own.shape
    n_events = pair_start.size - 1
    loss = np.zeros((n_options, n_slots))
    components = np.zeros((n_options, N_COMPONENTS, n_blocks))
    service_loss = np.zeros((n_options, n_blocks, n_services))
    downtime = np.zeros((n_options, n_blocks, n_services))
    multi = np.zeros((n_options, n_blocks))
    threat_loss = np.zeros((n_options, n_blocks, n_threats))
    pair_cost = np.zeros((n_pairs, n_options))
    grid = np.zeros((n_services, n_options))
    priced = np.zeros(n_options, dtype=np.int64)
    # Options inside pairs: a pair's parameters are read once for every option.
    for e in range(n_events):
        first, last = pair_start[e], pair_start[e + 1]
        for p in range(first, last):
            for o in range(n_options):
                grid[pair_service[p], o] = own[p, o]
        priced[:] = 0
        for p in range(first, last):
            s, t, b, g = pair_service[p], pair_trial[p], pair_block[p], growth[p]
            q = params[t, s]
            churn = q[10] * q[11] * q[13]
            for o in range(n_options):
                d = grid[s, o]
                for j in range(up_ptr[s], up_ptr[s + 1]):  # down while anything it depends on is
                    if grid[up_idx[j], o] > d:
                        d = grid[up_idx[j], o]
                r = lost[p, o]
                if d == 0.0 and r == 0.0:  # nothing is down or lost, so nothing is owed
                    continue
                # The same operations in the same order as impact.event_cost, so the costs match to the bit.
                c0 = q[0] * d * (1.0 - q[1]) * g
                c1 = q[2] * q[3] * d * g
                c2 = q[4] * max(0.0, d - q[5]) * g
                c3 = (q[6] * d if d > q[7] else 0.0) * g
                c4 = (q[8] if d > q[9] else 0.0) * g
                c5 = (churn * -np.expm1(-d / q[12]) if churn != 0.0 else 0.0) * g
                c6 = ((incident[p] if (d > 0.0 or r > 0.0) else 0.0) + q[14] * d) * g
                c7 = q[15] * r * g
                part = components[o]
                part[0, b] += c0
                part[1, b] += c1
                part[2, b] += c2
                part[3, b] += c3
                part[4, b] += c4
                part[5, b] += c5
                part[6, b] += c6
                part[7, b] += c7
                cost = 0.0 + c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7
                pair_cost[p, o] = cost
                loss[o, pair_slot[p]] += cost
                service_loss[o, b, s] += cost
                downtime[o, b, s] += d
                threat_loss[o, b, pair_threat[p]] += cost
                if cost > 0.0:
                    priced[o] += 1
        for p in range(first, last):
            for o in range(n_options):
                grid[pair_service[p], o] = 0.0
                if priced[o] > 1:
                    multi[o, pair_block[p]] += pair_cost[p, o]
    return loss, components, service_loss, downtime, multi, threat_loss, pair_cost


#: Pair evaluations (pairs × options) from which loading numba pays for itself: the
#: kernel saves about 0.1 µs per evaluation against numpy, loading costs about 1 s.
WORTH_COMPILING = 1e7


def available() -> bool:
    """Whether the compiled kernel can run (numba is installed)."""
    return importlib.util.find_spec("numba") is not None


def worth_compiling(pair_evaluations: float) -> bool:
    """Whether a run of ``pair_evaluations`` [pairs × options] should use the compiled kernel.

    Yes when numba is already loaded, or when the run is big enough to repay loading it.
    """
    return available() and ("numba" in sys.modules or pair_evaluations >= WORTH_COMPILING)


@functools.cache
def _compiled():
    import numba

    return numba.njit(cache=True, nogil=True)(_option_losses)


def option_losses(pair_start, pair_service, pair_trial, pair_slot, pair_block, pair_threat, own, lost, params,
                  incident, growth, up_ptr, up_idx, n_services, n_slots, n_blocks, n_threats):
    """Every option's loss on every (event, service) pair, summed as the engine reports it.

    Parameters
    ----------
    pair_start : numpy.ndarray of int, shape (events + 1,)
        Pairs of event ``e`` are ``pair_start[e]:pair_start[e + 1]`` (sorted by service).
    pair_service, pair_trial, pair_slot, pair_block, pair_threat : numpy.ndarray of int, shape (pairs,)
        Each pair's service, trial in the chunk, trial-year slot (trial · years + year),
        seed block in the chunk and compiled threat.
    own, lost : numpy.ndarray, shape (pairs, options)
        Downtime of the pair's service on its own [h] and data lost [h of data], per option.
    params : numpy.ndarray, shape (trials, services, len(PARAMETERS))
        Impact parameters per trial and service (:data:`riskmodel.impact.PARAMETERS`), zero
        where absent except :data:`riskmodel.impact.DEFAULTS`
        ([currency/h], [h], [0–1], [people], [currency]).
    incident : numpy.ndarray, shape (pairs,)
        Fixed cost of the incident [currency].
    growth : numpy.ndarray, shape (pairs,)
        Growth factor (1 + g)^year [–].
    up_ptr, up_idx : numpy.ndarray of int
        What each service depends on, directly or not, as CSR arrays: service ``s`` is
        down while any of ``up_idx[up_ptr[s]:up_ptr[s + 1]]`` is (a service's downtime in
        an event is the longest own downtime among itself and those).
    n_services, n_slots, n_blocks, n_threats : int
        Sizes of the outputs.

    Returns
    -------
    tuple of numpy.ndarray
        Loss per option and trial-year slot [currency]; per option, component and block;
        per option, block and service (loss [currency], downtime [h]); multi-service loss
        per option and block; per option, block and threat; cost per option and pair.

    Examples
    --------
    One event hitting one service for 2 h at 100 per hour of lost revenue:

    >>> from riskmodel.impact import PARAMETERS
    >>> q = np.zeros((1, 1, len(PARAMETERS))); q[0, 0, 0] = 100.0; q[0, 0, 12] = 24.0
    >>> i0, i1 = np.zeros(1, dtype=np.int64), np.array([0, 1])
    >>> out = option_losses(i1, i0, i0, i0, i0, i0, np.array([[2.0]]), np.zeros((1, 1)), q,
    ...                     np.zeros(1), np.ones(1), np.zeros(2, dtype=np.int64), i0[:0], 1, 1, 1, 1)
    >>> float(out[0][0, 0])
    200.0
    """
    return _compiled()(pair_start, pair_service, pair_trial, pair_slot, pair_block, pair_threat, own, lost, params,
                  incident, growth, up_ptr, up_idx, n_services, n_slots, n_blocks, n_threats)
