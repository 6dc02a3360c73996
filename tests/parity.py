"""How far the compiled core and the numpy path may differ, derived from the arithmetic.

Both paths make the same draws and the same floating-point operations in the same
order, on parameters the numpy code draws once for both. What can differ is the
rounding of ``exp`` and ``expm1``: the compiled core calls the C library's, numpy its
own SIMD code where the CPU has it (AVX-512 on x86-64). Each is faithfully rounded
(within 1 ulp), so the two differ by at most ``RHO`` = 2 eps relative (measured: at most
1 ulp on 3e5 arguments). Where numpy's functions are the C library's
(:func:`same_transcendentals`), everything is bit-identical; elsewhere every value is
held to a bound that follows the first-order propagation of ``RHO`` and of each path's
own rounding (at most eps relative per operation) through the sums, scaled by the size
of what was summed — never by the result, which may be a small difference of large sums.

A pair's downtime is a drawn duration or RTO (exp: ``RHO``) times a multiplier both paths
share (2 eps for the two roundings), or a min/max of such. Its cost is the n_c components
of ``impact.COMPONENTS``, each a product of at most five factors, the downtime or data loss carrying
``RHO + 2 eps``, churn's ``expm1`` another ``RHO`` (its condition number is below 1 for
negative arguments), then summed: ``|Δc| ≤ (2 RHO + 2·5 eps + 2·n_c eps + 2 eps)·c⁺``, where
``c⁺`` is the cost with every subtraction turned into an addition. The only subtraction
is the SLA's ``downtime − grace``; ``c⁺`` adds back ``sla · growth · (d + grace −
max(0, d − grace))``. A sum of n terms adds each path's rounding, ``2 n eps Σ|terms|``.

Not covered: a value within rounding of a threshold (a fine's or compensation's
``downtime > threshold``) can cost a whole fine on one path and not the other. Its
chance is about ``RHO`` per pair priced near a threshold, some 1e-10 per run here.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_array_equal

from riskmodel.analysis import metrics
from riskmodel.models import impact

EPS = np.finfo(float).eps
RHO = 2 * EPS  # two faithfully rounded exp (or expm1) of the same argument differ by at most this, relative
PAIR = 2 * RHO + (2 * 5 + 2 * len(impact.COMPONENTS) + 2) * EPS  # a pair's cost, relative to c⁺ (module docstring)
DOWNTIME = RHO + 2 * EPS  # a pair's downtime, relative
_SLA = impact.PARAMETERS.index("sla_penalty_per_hour")
_GRACE = impact.PARAMETERS.index("sla_grace_hours")
# Money block sums whose every term is a pair's cost or one of its components.
_PAIR_SUMS = ("component_sum", "multi_loss_sum")


def same_transcendentals(n: int = 100_000, seed: int = 0) -> bool:
    """Whether numpy's ``exp`` and ``expm1`` give the C library's results (the compiled core's).

    Probed on ``n`` arguments over the range the engine uses; on x86-64, false where numpy
    dispatches its AVX-512 code.
    """
    x = np.random.default_rng(seed).uniform(-40.0, 40.0, n)
    return (np.array_equal(np.exp(x), [math.exp(v) for v in x])
            and np.array_equal(np.expm1(-np.abs(x)), [math.expm1(-abs(v)) for v in x]))


def _plus(detail: dict, plan, cost: np.ndarray, downtime: np.ndarray) -> np.ndarray:
    """``c⁺`` of each pair (module docstring) [currency], for costs shaped (…, pairs)."""
    pe, ps = detail.pair_event, detail.pair_service
    trial, year = detail.event_trial[pe], detail.event_year[pe]
    sla, grace = detail.impact[trial, ps, _SLA], detail.impact[trial, ps, _GRACE]
    growth = (1 + plan.growth[ps]) ** year
    back = downtime + grace - np.maximum(0.0, downtime - grace)
    return np.abs(cost) + np.where(downtime > 0, sla * growth * back, 0.0)


def bounds(run) -> dict[str, np.ndarray]:
    """How far each result of ``run`` (a ``simulate(..., keep_detail=True)``) may move on the other path.

    Returns a tolerance [the result's unit] per key of ``run.totals()`` (and per key of its
    detail, prefixed ``detail.``), each broadcastable to the result; keys absent are
    held to be bit-identical.
    """
    d, plan, H = run.detail, run.plan, run.horizon_years
    O, T = d.npv.shape
    pe, ps = d.pair_event, d.pair_service
    slot = d.event_trial[pe] * H + d.event_year[pe]
    n_slots = T * H

    c_plus = _plus(d, plan, d.pair_cost, d.pair_downtime)  # (O, pairs)
    ref_plus = _plus(d, plan, d.pair_ref_cost, d.pair_ref_downtime)  # (pairs,)
    tol_pair, tol_ref = PAIR * c_plus, PAIR * ref_plus

    def by(keys: np.ndarray, w: np.ndarray, size: int) -> np.ndarray:
        return np.stack([np.bincount(keys, weights=row, minlength=size) for row in np.atleast_2d(w)])

    per_slot = np.bincount(slot, minlength=n_slots)
    loss_plus = by(slot, c_plus, n_slots)
    tol_loss = by(slot, tol_pair, n_slots) + 2 * per_slot * EPS * loss_plus  # (O, slots)
    out = {"detail.pair_cost": tol_pair, "detail.pair_ref_cost": tol_ref,
           "detail.pair_downtime": DOWNTIME * d.pair_downtime,
           "detail.pair_ref_downtime": DOWNTIME * d.pair_ref_downtime,
           "detail.loss": tol_loss.reshape(O, T, H), "detail.event_duration": RHO * d.event_duration}

    # NPV: the numpy code both paths share, on losses that differ by tol_loss.
    b = plan.baseline
    disc = (1 + plan.scenario.finance.discount_rate) ** -np.arange(1, H + 1, dtype=float)
    loss3, running = d.loss, d.cost_run - d.benefit_run
    t3 = tol_loss.reshape(O, T, H)
    size = (np.abs(d.capex) + np.abs(d.capex[b]) + np.abs(loss3[b]) @ disc + np.abs(loss3) @ disc
            + np.abs(running[b]) @ disc + np.abs(running) @ disc)
    tol_npv = (t3[b] + t3) @ disc + 2 * (2 * H + 3) * EPS * size  # (O, T)
    out["detail.npv"] = tol_npv
    cost = d.cost_run  # the cash basis: the same sum without what a programme frees
    size_cash = (np.abs(d.capex) + np.abs(d.capex[b]) + np.abs(loss3[b]) @ disc + np.abs(loss3) @ disc
                 + np.abs(cost[b]) @ disc + np.abs(cost) @ disc)
    tol_cash = (t3[b] + t3) @ disc + 2 * (2 * H + 3) * EPS * size_cash
    out["detail.cash_npv"] = tol_cash

    def summed(tol: np.ndarray, x: np.ndarray, axis=-1) -> np.ndarray:
        """A sum's bound: its terms' bounds, and each path's rounding of n terms."""
        n = x.shape[axis] + run.trials // 1_000 + 1  # the terms, then the seed blocks' sums
        return tol.sum(axis=axis) + 2 * n * EPS * np.abs(x).sum(axis=axis)

    loss = d.loss.reshape(O, n_slots)
    out["loss_sum"] = summed(tol_loss, loss)
    out["loss_sq"] = summed(tol_loss * (2 * np.abs(loss) + tol_loss), loss * loss)
    mean, tol_mean = loss3.mean(axis=2), t3.mean(axis=2) + H * EPS * loss_plus.reshape(O, T, H).mean(axis=2)
    out["trial_loss_sq"] = summed(tol_mean * (2 * np.abs(mean) + tol_mean), mean * mean)
    out["loss_year_sum"] = summed(t3, loss3, axis=1)
    # Block sums kept as the reference (no DR, no programme) plus each option's differences from it.
    both = tol_pair + tol_ref
    size_pairs = c_plus + 2 * ref_plus
    n_pairs = 2 * pe.size + run.trials // 1_000 + 1
    for key in _PAIR_SUMS:
        out[key] = (both.sum(axis=1) + 2 * n_pairs * EPS * size_pairs.sum(axis=1)).reshape(
            (O,) + (1,) * (run.totals()[key].ndim - 1))
    S, K = plan.n_services, len(plan.threats)
    threat = d.event_threat[pe]
    out["service_loss_sum"] = by(ps, both, S) + 2 * n_pairs * EPS * by(ps, size_pairs, S)
    out["threat_loss_sum"] = by(threat, both, K) + 2 * n_pairs * EPS * by(threat, size_pairs, K)
    down, ref_down = d.pair_downtime, d.pair_ref_downtime
    out["downtime_sum"] = (by(ps, DOWNTIME * (down + ref_down), S)
                           + 2 * n_pairs * EPS * by(ps, down + 2 * ref_down, S))
    npv = d.npv
    out["npv_sum"] = summed(tol_npv, npv)
    out["npv_sq"] = summed(tol_npv * (2 * np.abs(npv) + tol_npv), npv * npv)
    out["best_npv_sum"] = summed(tol_npv.max(axis=0), npv.max(axis=0), axis=0)
    for prefix, x, tol_x in (("", npv, tol_npv), ("cash_", d.cash_npv, tol_cash)):
        if prefix:
            out["cash_npv_sum"] = summed(tol_x, x)
            out["cash_npv_sq"] = summed(tol_x * (2 * np.abs(x) + tol_x), x * x)
            out["cash_best_npv_sum"] = summed(tol_x.max(axis=0), x.max(axis=0), axis=0)
        # paired differences (O, O, T): each side's bound, then the square's
        diff, tol_diff = x[:, None] - x[None], tol_x[:, None] + tol_x[None]
        out[prefix + "npv_diff_sq"] = summed(tol_diff * (2 * np.abs(diff) + tol_diff), diff * diff)
    return out


def _ambiguous(x: np.ndarray, tol: np.ndarray, edges) -> np.ndarray:
    """Per row, how many values lie within ``tol`` of a bin edge or threshold (may count differently)."""
    return (edges(x - tol) != edges(x + tol)).sum(axis=-1)


def assert_same(numpy_run, numba_run) -> None:
    """Hold the two paths to each other: bit for bit where numpy's ``exp`` and ``expm1``
    are the C library's, otherwise within :func:`bounds`; counts always exactly, and
    histogram counts but for values within rounding of a bin edge.
    """
    a = {**numpy_run.totals(), "detail": numpy_run.detail.arrays()}
    b = {**numba_run.totals(), "detail": numba_run.detail.arrays()}
    assert a.keys() == b.keys() and a["detail"].keys() == b["detail"].keys()
    if same_transcendentals():
        for key in a:
            for k, x in (a[key].items() if key == "detail" else [(key, a[key])]):
                y = b[key][k] if key == "detail" else b[key]
                assert_array_equal(np.asarray(y), np.asarray(x), err_msg=f"{key}.{k} is not bit-identical")
        return
    tol = bounds(numpy_run)
    for key, x in a["detail"].items():
        check(f"detail.{key}", np.asarray(x), np.asarray(b["detail"][key]), tol)
    flat = numpy_run.detail.loss.reshape(tol["detail.loss"].shape[0], -1)
    tol_flat = tol["detail.loss"].reshape(flat.shape)
    for key, x in a.items():
        if key == "detail":
            continue
        x, y = np.asarray(x), np.asarray(b[key])
        if key == "loss_hist":
            moved = np.abs(y - x).sum(axis=-1)
            assert (moved <= 2 * _ambiguous(flat, tol_flat, metrics.bin_index)).all(), key
        elif key in ("npv_hist", "cash_npv_hist"):
            npv = getattr(numpy_run.detail, key.removesuffix("_hist"))
            moved = np.abs(y - x).sum(axis=-1)
            assert (moved <= 2 * _ambiguous(npv, tol["detail." + key.removesuffix("_hist")],
                                            metrics.bin_index)).all(), key
        elif key in ("npv_positive", "cash_npv_positive"):
            name = key.removesuffix("_positive")
            npv = getattr(numpy_run.detail, name)
            assert (np.abs(y - x) <= _ambiguous(npv, tol["detail." + name], lambda v: v > 0)).all(), key
        elif key == "tolerance_exceed":
            limits = np.array([v for v, _ in numpy_run.scenario.risk_tolerance])
            near = np.stack([_ambiguous(flat, tol_flat, lambda v, lim=lim: v > lim)
                             for lim in limits], axis=-1)
            assert (np.abs(y - x) <= near).all(), key
        elif key == "tolerance_trial_sq":
            # k of a trial's H years flipping across a limit moves its share² by ≤ (k/H)(2 + k/H) ≤ 3k/H
            limits = np.array([v for v, _ in numpy_run.scenario.risk_tolerance])
            near = np.stack([_ambiguous(flat, tol_flat, lambda v, lim=lim: v > lim)
                             for lim in limits], axis=-1)
            assert (np.abs(y - x) <= 3 * near / numpy_run.horizon_years).all(), key
        else:
            check(key, x, y, tol)


def check(key: str, x: np.ndarray, y: np.ndarray, tol: dict) -> None:
    """``y`` within the bound ``tol[key]`` of ``x`` (bit for bit where ``tol`` has no bound)."""
    if key not in tol:
        assert_array_equal(y, x, err_msg=f"{key} is not bit-identical")
        return
    bound = np.broadcast_to(tol[key], x.shape)
    excess = np.abs(y - x) - bound
    worst = np.unravel_index(np.argmax(excess), x.shape) if x.size else ()
    assert x.size == 0 or excess[worst] <= 0, (
        f"{key}{list(worst)}: {y[worst]!r} against {x[worst]!r}, "
        f"beyond the bound {bound[worst]:.3g} from the size of what was summed")
