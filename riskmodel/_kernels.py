"""The engine's optional compiled core: whether to use it, and loading it.

The compiled core (:mod:`riskmodel._kernels_numba`, needs numba: the ``fast`` extra)
does what :mod:`riskmodel.simulate`'s numpy path does between each trial's parameters
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

#: SplitMix64's increment and mixing multipliers (Steele, Lea & Flood, OOPSLA 2014), shared
#: by the numpy path's keyed draws and the compiled core's.
SPLITMIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
#: A quantity's row in the compiled core's ``spec`` array: these columns, then its table
#: of quantiles on the probit grid (:data:`riskmodel.distributions.PPF_GRID`; zeros if none).
SPEC_COLUMNS = ("kind", "p0", "p1", "p2")

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
    """The compiled core's module (:mod:`riskmodel._kernels_numba`), imported on first call."""
    return importlib.import_module("riskmodel._kernels_numba")
