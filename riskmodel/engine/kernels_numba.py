"""The engine's compiled core, in numba: from each trial's parameters to every option's losses.

Imported only through :mod:`riskmodel.engine.kernels`, which loads it on first use. The
model's formulas are not written here: the keyed draws (:func:`riskmodel.engine.rng.splitmix64`),
the quantile functions (:func:`riskmodel.distributions.spec_ppf`), the Poisson inversion
(:mod:`riskmodel.models.threats`), recovery (:mod:`riskmodel.models.architectures`), the
programme's learning curve (:mod:`riskmodel.models.skills`) and the cost model
(:func:`riskmodel.models.impact.pair_costs`) are the functions the numpy path calls on
arrays, compiled here for scalars. What is here is the walk: one event, one pair at a
time, with no intermediate arrays. ``tests/test_kernels.py`` holds both paths to the same
numbers.
"""

from __future__ import annotations

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import extending, types
from numba.extending import get_cython_function_address
from numba.np.unsafe.ndarray import to_fixed_tuple

from riskmodel import distributions
from riskmodel.distributions import SPEC_COLUMNS, needs_normal, spec_ppf
from riskmodel.engine import rng
from riskmodel.engine.cache import track_sources
from riskmodel.models import architectures, impact, skills, threats
from riskmodel.models.threats import NORMAL_ABOVE

# scipy's ndtri itself, linked by name so the compiled code can be cached: the normal
# quantiles are then the numpy path's to the bit.
llvm.add_symbol("riskmodel_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
_ndtri = types.ExternalFunction("riskmodel_ndtri", types.float64(types.float64))


@extending.overload(distributions.if_else, inline="always")
def _if_else(condition, if_true, if_false):
    """The scalar form of :func:`riskmodel.distributions.if_else` (numba's ``np.where`` makes an array)."""
    return lambda condition, if_true, if_false: if_true if condition else if_false


# Wherever compiled code calls one of the shared functions, numba compiles the function itself,
# inlined. ``pair_costs`` is called with its parameters unpacked from an array, which numba
# cannot inline in its own IR; LLVM inlines it instead.
for _shared in (rng.splitmix64, rng.to_uniform, needs_normal, distributions.tabulated_ppf, spec_ppf,
                threats.poisson_step, threats.normal_count, architectures.failover_works,
                architectures.chain_downtime, architectures.data_loss, skills.ramp, skills.ramped):
    extending.overload(_shared, inline="always", strict=False)(lambda *args, fn=_shared: fn)
extending.overload(impact.pair_costs, strict=False)(lambda *args: impact.pair_costs)

# Cached compiled code is stale when any of those functions changes, not only this file.
track_sources(__file__, distributions.__file__, rng.__file__, impact.__file__, architectures.__file__,
              skills.__file__, threats.__file__)
_jit = numba.njit(cache=True, nogil=True)
# Helpers are inlined. One rule keeps the core fast: never read an array inside a
# conditional expression (``a[i] if c else x``). numba then takes an atomic reference
# count on the array each time, which it cannot prune; such counts were over half the time.
_inline = numba.njit(cache=True, nogil=True, inline="always")

_TABLE = len(SPEC_COLUMNS)  # where a row's table starts
N_COMPONENTS = len(impact.COMPONENTS)
N_PARAMETERS = len(impact.PARAMETERS)


@_inline
def _uniform(word, index):
    """Uniform on [0, 1) keyed by (word, index), as ``rng.keyed_uniforms``."""
    return rng.to_uniform(rng.splitmix64(word, index))


@_inline
def _quantile(spec, q, u, z):
    """``Quantity.ppf(u, z)`` of quantity ``q``, encoded in row ``q`` of ``spec``.

    A row is :data:`riskmodel.distributions.SPEC_COLUMNS`, then the quantity's table, if any.
    """
    return spec_ppf(spec[q, 0], spec[q, 1], spec[q, 2], spec[q, 3], spec[q, _TABLE:], u, z)


@_inline
def _chain_time(spec, q, u):
    """A fallback step's time [h]: quantity ``q`` at the chain's uniform ``u`` (its normal quantile if it reads one)."""
    z = 0.0
    if needs_normal(spec[q, 0]):
        z = _ndtri(u)
    return _quantile(spec, q, u, z)


@_inline
def _draw(spec, q, word, index):
    """A draw of quantity ``q`` at the uniform keyed by (word, index); fixed values draw nothing."""
    kind = spec[q, 0]
    u, z = 0.0, 0.0
    if kind != distributions.VALUE:
        u = _uniform(word, index)
        if needs_normal(kind):
            z = _ndtri(u)
    return _quantile(spec, q, u, z)


@_jit
def event_counts(trial_words, count_keys, rates, pmf0):
    """Events per trial, year and threat: ``threats.poisson_counts``, one draw at a time.

    ``pmf0`` is ``exp(-min(rates, NORMAL_ABOVE))``, both (trials, threats); above
    ``NORMAL_ABOVE`` the normal approximation, never below the exact count at ``NORMAL_ABOVE``.
    """
    n_trials, n_threats = rates.shape
    n_years = count_keys.shape[0]
    counts = np.zeros((n_trials, n_years, n_threats), dtype=np.int64)
    for t in range(n_trials):
        for y in range(n_years):
            for k in range(n_threats):
                u = _uniform(trial_words[t], count_keys[y, k])
                p = pmf0[t, k]
                if u < p:
                    continue
                lam, cdf, n, done = min(rates[t, k], NORMAL_ABOVE), p, 0, False
                while not done:
                    n += 1
                    p, cdf, done = threats.poisson_step(n, lam, p, cdf, u)
                counts[t, y, k] = n
                if rates[t, k] > NORMAL_ABOVE:
                    counts[t, y, k] = max(n, np.int64(threats.normal_count(rates[t, k], _ndtri(u))))
    return counts


@_jit
def chunk_losses(plan, chunk, sums, detail, keep_detail):
    """Every option's losses in a chunk of trials, and their block sums.

    Parameters
    ----------
    plan : riskmodel.engine.plan.CoreTables
        The scenario's tables.
    chunk : riskmodel.engine.kernels.ChunkInputs
        The chunk's trials: their words, seed blocks, event counts and parameters.
    sums : riskmodel.engine.kernels.CoreSums
        Zeros, filled here: each option's loss per trial-year slot [currency]; and block
        sums, row 0 the reference (no DR, no programme) and row ``o + 1`` option ``o``'s
        differences from it in the events it touches: cost components, loss and downtime by
        service [currency], [h], multi-service loss, loss by threat; events, hit pairs and
        pairs by threat.
    detail : riskmodel.engine.kernels.CoreDetail
        Filled with ``keep_detail``: each event's trial, year, threat, duration [h] and hit
        services, each pair's event, service, cost [currency] and downtime [h] per option,
        and its cost and downtime with no DR and no programme.
    keep_detail : bool
        Fill ``detail``.

    Returns
    -------
    int
        The pairs in the chunk (the length of ``detail``'s pair arrays that was filled).
    """
    counts, trial_words, trial_block, params = chunk.counts, chunk.trial_words, chunk.trial_block, chunk.params
    spec, fp_services, fp_hit, arch_fs, prog_par = plan.spec, plan.fp_services, plan.fp_hit, chunk.arch_fs, chunk.prog_par
    n_trials, n_years, n_threats = counts.shape
    n_options, n_services = plan.option_arch.shape
    loss, components, service_loss, downtime = sums.loss, sums.components, sums.service_loss, sums.downtime
    multi, threat_loss, n_events, n_hit, n_pairs = sums.multi, sums.threat_loss, sums.events, sums.hit_pairs, sums.pairs

    # Row 0: the event with no DR and no programme; row 1: the option being priced.
    own, lost = np.zeros((2, n_services)), np.zeros((2, n_services))  # by service
    cost, down = np.zeros((2, n_services)), np.zeros((2, n_services))  # by pair
    comp = np.zeros((2, n_services, N_COMPONENTS))
    incident = np.zeros(n_services)  # by pair
    u_rto, z_rto = np.zeros(n_services), np.zeros(n_services)  # by service, drawn when first needed
    u_rpo, z_rpo = np.zeros(n_services), np.zeros(n_services)
    u_fail = np.zeros(n_services)
    chain = np.zeros((n_services, 4))  # the chain's draws (plan.CHAIN_COLUMNS), by service
    drawn = np.zeros((n_services, 4), dtype=np.bool_)
    e = 0
    p0 = 0
    for t in range(n_trials):
        b = trial_block[t]
        for y, k in np.ndindex(n_years, n_threats):
            if counts[t, y, k] == 0:
                continue
            slot = t * n_years + y
            word = rng.splitmix64(trial_words[t], plan.slot_keys[y, k])
            scope, category, only, scale = plan.th_scope[k], plan.th_category[k], plan.th_only[k], plan.th_scale[k]
            for nth in range(counts[t, y, k]):
                base = np.uint64(nth * plan.stride)
                # 1. What the event is: duration, data destroyed, where it strikes (its
                #    footprint: the services it hits, those that depend on them, and the
                #    options whose architectures or programme can change it).
                duration = _draw(spec, plan.th_duration[k], word, base)
                destroyed = _draw(spec, plan.th_data_loss[k], word, base + np.uint64(1))
                site = plan.th_site[k]
                if site < 0:  # drawn from the threat's probabilities
                    u = _uniform(word, base + np.uint64(2))
                    site = 0
                    while site < plan.th_site_cum.shape[1] - 1 and plan.th_site_cum[k, site] <= u:
                        site += 1
                n = plan.fp_n[k, site]
                # 2. Each pair's own draws, and the event with no DR and no programme.
                for s in range(n_services):
                    own[0, s], lost[0, s] = 0.0, 0.0
                for i in range(n):
                    s = fp_services[k, site, i]
                    incident[i] = 0.0
                    if fp_hit[k, site, s]:
                        col = base + np.uint64(plan.event_columns + s * plan.service_columns)
                        if plan.incident_q[s] >= 0:
                            incident[i] = _draw(spec, plan.incident_q[s], word, col + np.uint64(3))
                        drawn[s, 0], drawn[s, 1], drawn[s, 2], drawn[s, 3] = False, False, False, False
                        if only < 0:
                            own[0, s], lost[0, s] = duration, destroyed
                n_events[k] += 1
                n_pairs[k] += n
                for s in range(n_services):
                    n_hit[k] += fp_hit[k, site, s]
                ref_priced = 0
                for w in range(2):  # the reference first, then each option
                    for o in range(n_options if w else 1):
                        if w and not plan.fp_touched[k, site, o]:
                            for i in range(n):  # the reference's loss, added pair by pair as for any option
                                loss[o, slot] += cost[0, i]
                                if keep_detail:
                                    detail.pair_cost[o, p0 + i], detail.pair_downtime[o, p0 + i] = cost[0, i], down[0, i]
                            continue
                        # 3. The option's own downtime and data loss on each service the event hits.
                        prog = plan.option_prog[o]
                        learnt = 1.0
                        if prog >= 0:
                            learnt = plan.prog_ramp[prog]
                        for s in range(n_services if w else 0):
                            own[1, s], lost[1, s] = 0.0, 0.0
                        for i in range(n if w else 0):
                            s = fp_services[k, site, i]
                            a = plan.option_arch[o, s]
                            d, uplift, kept = duration, 0.0, True
                            if prog >= 0:
                                if plan.prog_improves[prog, category]:
                                    d = d * skills.ramped(prog_par[t, prog, 0], y + 1, learnt)
                                if category == plan.human:
                                    kept = _uniform(word, base + np.uint64(3)) < skills.ramped(
                                        prog_par[t, prog, 1], y + 1, learnt)
                                uplift = prog_par[t, prog, 2] * skills.ramp(y + 1, learnt)
                            if not fp_hit[k, site, s] or not kept or (only >= 0 and only != a):
                                continue
                            covered, works, rto, rpo = plan.arch_covers[a, scope], False, 0.0, 0.0
                            first, second, third, ok2, ok3, t2, t3 = False, False, False, False, False, 0.0, 0.0
                            if covered:
                                # The chain (architectures.chain_downtime): the first failover with
                                # the pair's own draws, the fallbacks with the chain's, made only
                                # where the first step failed.
                                col = base + np.uint64(plan.event_columns + s * plan.service_columns)
                                site_like = scope == plan.site_scope or scope == plan.region_scope
                                manual = plan.arch_manual[a] and site_like
                                rq = plan.arch_rto[a]
                                if manual:
                                    rq = plan.arch_manual_rto[a]
                                if not drawn[s, 2]:
                                    u_fail[s], drawn[s, 2] = _uniform(word, col + np.uint64(2)), True
                                success = arch_fs[t, a, np.int64(manual)]
                                works = architectures.failover_works(u_fail[s], success, uplift)
                                # A step whose success is 0 is not tried, so its time holds up no later step.
                                first = success + uplift > 0
                                # Uniforms and their normal quantiles, each made once, when first needed (NaN: not yet).
                                if not drawn[s, 0]:
                                    u_rto[s], z_rto[s], drawn[s, 0] = _uniform(word, col), np.nan, True
                                if needs_normal(spec[rq, 0]) and np.isnan(z_rto[s]):
                                    z_rto[s] = _ndtri(u_rto[s])
                                rto = _quantile(spec, rq, u_rto[s], z_rto[s])
                                p_manual, p_restore = arch_fs[t, a, 1], arch_fs[t, a, 2]
                                second = scope != plan.logical_scope and not manual and p_manual + uplift > 0
                                third = site_like and plan.arch_restore[a] >= 0 and p_restore > 0
                                if not works and (second or third):
                                    if not drawn[s, 3]:
                                        chain_word = rng.splitmix64(word, plan.chain_key)
                                        for c in range(4):
                                            chain[s, c] = _uniform(chain_word, col + np.uint64(c))
                                        drawn[s, 3] = True
                                    if second:
                                        ok2 = architectures.failover_works(chain[s, 2], p_manual, uplift)
                                        t2 = _chain_time(spec, plan.arch_manual_rto[a], chain[s, 0])
                                    if third:
                                        ok3 = chain[s, 3] < p_restore
                                        t3 = _chain_time(spec, plan.arch_restore[a], chain[s, 1])
                            if works or (second and ok2):
                                if not drawn[s, 1]:
                                    u_rpo[s], z_rpo[s], drawn[s, 1] = _uniform(word, col + np.uint64(1)), np.nan, True
                                if needs_normal(spec[plan.arch_rpo[a], 0]) and np.isnan(z_rpo[s]):
                                    z_rpo[s] = _ndtri(u_rpo[s])
                                rpo = _quantile(spec, plan.arch_rpo[a], u_rpo[s], z_rpo[s])
                            own[1, s] = architectures.chain_downtime(d, first, works, rto, second, ok2, t2, third, ok3, t3)
                            lost[1, s] = architectures.data_loss(destroyed, covered, works or (second and ok2), rpo)
                        # 4. Price each pair: a service is down while anything it depends on is.
                        priced = 0  # pairs that cost anything
                        for i in range(n):
                            s = fp_services[k, site, i]
                            d = own[w, s]
                            for j in range(plan.up_ptr[s], plan.up_ptr[s + 1]):
                                d = max(d, own[w, plan.up_idx[j]])
                            down[w, i] = d
                            total = 0.0
                            if d == 0.0 and lost[w, s] == 0.0:  # nothing down or lost: pair_costs would give zeros
                                comp[w, i, :] = 0.0
                            else:
                                parts = impact.pair_costs(d, lost[w, s], incident[i], plan.growth[s, y],
                                                          *to_fixed_tuple(params[t, s], N_PARAMETERS))
                                for j in range(N_COMPONENTS):
                                    comp[w, i, j] = parts[j] * scale
                                    total += comp[w, i, j]
                            cost[w, i] = total
                            priced += total > 0.0
                        if not w:
                            ref_priced = priced
                        # 5. Add it up: the reference's block sums in row 0, an option's
                        #    differences from it (less 1 × the reference) in row o + 1.
                        row, less = 0, 0.0
                        if w:
                            row, less = o + 1, 1.0
                        in_multi = 1.0 if priced > 1 else 0.0  # the event costs on more than one service
                        ref_in_multi = less if ref_priced > 1 else 0.0
                        for i in range(n):
                            s, c, c_ref = fp_services[k, site, i], cost[w, i], cost[0, i]
                            if w:
                                loss[o, slot] += c
                                if keep_detail:
                                    detail.pair_cost[o, p0 + i], detail.pair_downtime[o, p0 + i] = c, down[w, i]
                            elif keep_detail:
                                detail.pair_ref_cost[p0 + i], detail.pair_ref_downtime[p0 + i] = c, down[w, i]
                            for j in range(N_COMPONENTS):
                                components[row, j, b] += comp[w, i, j] - less * comp[0, i, j]
                            service_loss[row, b, s] += c - less * c_ref
                            downtime[row, b, s] += down[w, i] - less * down[0, i]
                            threat_loss[row, b, k] += c - less * c_ref
                            multi[row, b] += in_multi * c - ref_in_multi * c_ref
                if keep_detail:
                    detail.event_trial[e], detail.event_year[e], detail.event_threat[e] = t, y, k
                    detail.event_duration[e] = duration
                    for i in range(n):
                        detail.pair_event[p0 + i], detail.pair_service[p0 + i] = e, fp_services[k, site, i]
                    for s in range(n_services):
                        detail.event_hit[e, s] = fp_hit[k, site, s]
                e += 1
                p0 += n
    return p0
