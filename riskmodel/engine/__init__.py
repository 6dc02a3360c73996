"""The Monte Carlo engine (DESIGN §8): a scenario compiled once, run in chunks of seed blocks.

plan (the scenario as arrays) → rng (keyed draws, shared by both paths) → parameters
(each trial's inputs) → events (the numpy path) or kernels (the adapter of the compiled core,
kernels_numba, whose disk cache cache.py keys) → chunk (cash
flows, NPV, per-block sums) → accumulate (totals in block order) → run (:func:`simulate`).
"""
