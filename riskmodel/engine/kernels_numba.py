"""The engine's compiled core, in numba: from each trial's parameters to every option's losses.

Imported only through :mod:`riskmodel.engine.kernels`, which loads it on first use. Every
step mirrors the numpy path of :mod:`riskmodel.engine.run` operation by operation (the same
keyed draws, the same quantile formulas, scipy's own ``ndtri``), so both give the same
events and the same losses; ``tests/test_kernels.py`` holds them to it.
"""

from __future__ import annotations

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import types
from numba.extending import get_cython_function_address

from riskmodel.distributions import PPF_GRID, PPF_GRID_NODES, PPF_KINDS, SPEC_COLUMNS
from riskmodel.engine.rng import SPLITMIX
from riskmodel.models.threats import NORMAL_ABOVE

# scipy's ndtri itself, linked by name so the compiled code can be cached: the normal
# quantiles are then the numpy path's to the bit.
llvm.add_symbol("riskmodel_ndtri", get_cython_function_address("scipy.special.cython_special", "ndtri"))
_ndtri = types.ExternalFunction("riskmodel_ndtri", types.float64(types.float64))

_jit = numba.njit(cache=True, nogil=True)
# Helpers are inlined. One rule keeps the core fast: never read an array inside a
# conditional expression (``a[i] if c else x``). numba then takes an atomic reference
# count on the array each time, which it cannot prune; such counts were over half the time.
_inline = numba.njit(cache=True, nogil=True, inline="always")

_GAMMA, _MIX1, _MIX2 = SPLITMIX
_ONE = np.uint64(1)

#: Kinds of quantile function, as :meth:`riskmodel.distributions.Quantity.ppf_spec` numbers them.
VALUE, LOGNORMAL, BETA, GAMMA, UNIFORM, TRIANGULAR = (
    PPF_KINDS.index(k) for k in ("value", "lognormal", "beta", "gamma", "uniform", "triangular"))
_TABLE = len(SPEC_COLUMNS)  # where a row's table starts
_GRID_LO, _GRID_HI, _GRID_STEP = (float(x) for x in PPF_GRID)
_NODES = PPF_GRID_NODES


@_inline
def _bits(word, index):
    """SplitMix64 output ``index`` of the stream seeded by ``word`` (as ``simulate._keyed_bits``)."""
    z = word + (index + _ONE) * _GAMMA
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@_inline
def _uniform(word, index):
    """Uniform on [0, 1) from the top 53 bits (as ``simulate._keyed_uniforms``)."""
    # Through int64, which x86 converts in one instruction; exact, as 53 bits fit.
    return np.float64(np.int64(_bits(word, index) >> np.uint64(11))) * 2.0 ** -53


@_inline
def _quantile(spec, q, u, z):
    """``Quantity.ppf(u, z)`` of quantity ``q``, encoded in row ``q`` of ``spec``.

    A row is :data:`riskmodel.distributions.SPEC_COLUMNS`, then the quantity's table, if any.
    """
    kind = spec[q, 0]
    p0, p1, p2 = spec[q, 1], spec[q, 2], spec[q, 3]
    if kind == VALUE:
        out = p0
    elif kind == LOGNORMAL:
        out = np.exp(p0 + p1 * z)
    elif kind == BETA or kind == GAMMA:
        x = (min(max(z, _GRID_LO), _GRID_HI) - _GRID_LO) / _GRID_STEP
        cell = min(np.int64(x), _NODES - 2)
        frac = x - cell
        v = spec[q, _TABLE + cell] + frac * (spec[q, _TABLE + cell + 1] - spec[q, _TABLE + cell])
        out = p0 + p1 * v if kind == BETA else v / p0
    elif kind == UNIFORM:
        out = p0 + (p1 - p0) * u
    else:
        width = p2 - p0
        if u < (p1 - p0) / width:
            out = p0 + np.sqrt(u * width * (p1 - p0))
        else:
            out = p2 - np.sqrt((1 - u) * width * (p2 - p1))
    return out


@_inline
def _normal_based(kind):
    """Whether a kind's quantile is computed from the normal quantile z = ndtri(u)."""
    return kind == LOGNORMAL or kind == BETA or kind == GAMMA


@_inline
def _draw(spec, q, word, index):
    """A draw of quantity ``q`` at the uniform keyed by (word, index); fixed values draw nothing."""
    kind = spec[q, 0]
    u, z = 0.0, 0.0
    if kind != VALUE:
        u = _uniform(word, index)
        if _normal_based(kind):
            z = _ndtri(u)
    return _quantile(spec, q, u, z)


@_jit
def event_counts(trial_words, count_keys, rates, pmf0):
    """Events per trial, year and threat: the Poisson CDF inverted at keyed uniforms.

    As ``threats.poisson_counts``: ``pmf0`` is ``exp(-min(rates, NORMAL_ABOVE))``, both
    (trials, threats); above ``NORMAL_ABOVE`` the normal approximation, never below the
    exact count at ``NORMAL_ABOVE``.
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
                lam, cdf, n = min(rates[t, k], NORMAL_ABOVE), p, 0
                while True:
                    n += 1
                    p = p * lam / n
                    cdf = cdf + p
                    if u < cdf or (p < 1e-300 and n > lam):
                        break
                counts[t, y, k] = n
                if rates[t, k] > NORMAL_ABOVE:
                    lam = rates[t, k]
                    normal = np.floor(lam + np.sqrt(lam) * _ndtri(u) + 0.5)
                    counts[t, y, k] = max(n, np.int64(normal))
    return counts


@_inline
def _costs(params, t, s, d, r, incident, g):
    """The eight cost components [currency] of one pair: service ``s`` down ``d`` [h] with
    ``r`` [h] of data lost, in trial ``t``; in the operations of ``impact.event_cost``, so
    the costs match the numpy path to the bit.

    Nothing is owed when nothing is down or lost.
    """
    q = params[t, s]
    (revenue, recovered, staff, staff_cost, sla, grace, compensation, compensation_after, fine, fine_after,
     customers, churn_max, tau, lifetime_value, responder, data_value) = (
        q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13], q[14], q[15])
    if d == 0.0 and r == 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    churn = customers * churn_max * lifetime_value
    return ((revenue * d * (1.0 - recovered) * g),
            (staff * staff_cost * d * g),
            (sla * max(0.0, d - grace) * g),
            ((compensation * d if d > compensation_after else 0.0) * g),
            ((fine if d > fine_after else 0.0) * g),
            ((churn * -np.expm1(-d / tau) if churn != 0.0 else 0.0) * g),
            (((incident if (d > 0.0 or r > 0.0) else 0.0) + responder * d) * g),
            (data_value * r * g))


@_jit
def chunk_losses(trial_words, trial_block, counts, slot_keys, stride, event_columns, service_columns,
                 th_scope, th_category, th_only, th_site, th_site_cum, th_duration, th_data_loss,
                 fp_n, fp_services, fp_hit, fp_touched, spec, up_ptr, up_idx, incident_q, growth, params,
                 arch_covers, arch_manual, arch_fs, arch_rto, arch_manual_rto, arch_rpo,
                 option_arch, option_prog, prog_improves, prog_ramp, prog_par, human, site_scope, region_scope,
                 n_blocks, detail):
    """Every option's losses in a chunk of trials, and their block sums.

    Parameters
    ----------
    trial_words, trial_block : numpy.ndarray, shape (trials,)
        Each trial's 64-bit word (all its draws derive from it) and seed block in the chunk.
    counts : numpy.ndarray of int, shape (trials, years, threats)
        Events per trial-year and compiled threat (:func:`event_counts`) [events].
    slot_keys : numpy.ndarray of uint64, shape (years, threats)
        Key of the word each threat-year's events draw from.
    stride, event_columns, service_columns : int
        Layout of an event's draws: event ``nth`` of a threat-year draws at indices
        ``nth · stride + …``; its own columns first, then ``service_columns`` per service.
    th_scope, th_category, th_only, th_site, th_site_cum, th_duration, th_data_loss : numpy.ndarray
        Per compiled threat: scope and category indices, the architecture whose incidents
        it is (or -1), its site (-1: drawn from the cumulative ``th_site_cum``), and the
        rows of ``spec`` of its duration [h] and data loss [h].
    fp_n, fp_services, fp_hit, fp_touched : numpy.ndarray, indexed (threat, site, …)
        The threat's footprint at a site: number of pairs, their services (sorted), which
        services it hits, and which options' architectures or programme can change it.
    spec : numpy.ndarray, shape (quantities, 4 + nodes)
        Quantile functions, one row per quantity (:data:`riskmodel.distributions.SPEC_COLUMNS`).
    up_ptr, up_idx : numpy.ndarray of int
        What each service depends on, directly or not, as CSR arrays.
    incident_q : numpy.ndarray of int, shape (services,)
        Row of ``spec`` of each service's incident cost [currency], -1 for none.
    growth : numpy.ndarray, shape (services, years)
        Growth factor (1 + g)^year [–].
    params : numpy.ndarray, shape (trials, services, len(impact.PARAMETERS))
        Impact parameters ([currency/h], [h], [0–1], [people], [currency]).
    arch_covers, arch_manual, arch_rto, arch_manual_rto, arch_rpo : numpy.ndarray
        Per architecture: scopes it covers (as ``architectures.covers_event``), whether
        its failover is controlled from the primary site, and the ``spec`` rows of its
        RTO, manual RTO [h] and RPO [h].
    arch_fs : numpy.ndarray, shape (trials, architectures, 2)
        Failover success probability, automatic and manual [0–1].
    option_arch, option_prog : numpy.ndarray of int
        Each option's architecture by service, and its programme (or -1).
    prog_improves, prog_ramp, prog_par : numpy.ndarray
        Per programme: categories whose MTTR it improves, years to learn [yr], and per
        trial its MTTR multiplier, human-error rate multiplier [×] and failover uplift [0–1].
    human, site_scope, region_scope : int
        Indices of the human-error category and of the site and region scopes.
    n_blocks : int
        Seed blocks in the chunk.
    detail : bool
        Also return every event and pair.

    Returns
    -------
    tuple of numpy.ndarray
        Loss per option and trial-year slot [currency]; per option and block: cost
        components, loss and downtime by service [currency], [h], multi-service loss,
        loss by threat; events, hit pairs and pairs by threat; with ``detail``, each
        event's trial, year, threat, duration [h] and hit services, each pair's event,
        service, cost [currency] and downtime [h] per option, and cost and downtime with
        no DR and no programme (else empty).
    """
    n_trials, n_years, n_threats = counts.shape
    n_options, n_services = option_arch.shape
    n_components = 8
    loss = np.zeros((n_options, n_trials * n_years))
    # Block sums: the reference (no DR, no programme) once, and per option its differences
    # from the reference in the events it touches.
    components = np.zeros((n_options + 1, n_components, n_blocks))
    service_loss = np.zeros((n_options + 1, n_blocks, n_services))
    downtime = np.zeros((n_options + 1, n_blocks, n_services))
    multi = np.zeros((n_options + 1, n_blocks))
    threat_loss = np.zeros((n_options + 1, n_blocks, n_threats))
    n_events = np.zeros(n_threats, dtype=np.int64)
    n_hit = np.zeros(n_threats, dtype=np.int64)
    n_pairs = np.zeros(n_threats, dtype=np.int64)

    total = counts.sum() if detail else 0
    ev_trial = np.zeros(total, dtype=np.int64)
    ev_year = np.zeros(total, dtype=np.int64)
    ev_threat = np.zeros(total, dtype=np.int64)
    ev_duration = np.zeros(total)
    ev_hit = np.zeros((total, n_services), dtype=np.bool_)
    pair_event = np.zeros(total * n_services, dtype=np.int64)
    pair_service = np.zeros(total * n_services, dtype=np.int64)
    pair_cost = np.zeros((n_options, total * n_services))
    pair_down = np.zeros((n_options, total * n_services))
    pair_ref_cost = np.zeros(total * n_services)
    pair_ref_down = np.zeros(total * n_services)

    # Row 0: the event with no DR and no programme; row 1: the option being priced.
    own, lost = np.zeros((2, n_services)), np.zeros((2, n_services))  # by service
    cost, down = np.zeros((2, n_services)), np.zeros((2, n_services))  # by pair
    comp = np.zeros((2, n_services, n_components))
    incident = np.zeros(n_services)  # by pair
    u_rto, z_rto = np.zeros(n_services), np.zeros(n_services)  # by service, drawn when first needed
    u_rpo, z_rpo = np.zeros(n_services), np.zeros(n_services)
    u_fail = np.zeros(n_services)
    drawn = np.zeros((n_services, 3), dtype=np.bool_)
    e = 0
    p0 = 0
    for t in range(n_trials):
        b = trial_block[t]
        for y, k in np.ndindex(n_years, n_threats):
            if counts[t, y, k] == 0:
                continue
            slot = t * n_years + y
            word = _bits(trial_words[t], slot_keys[y, k])
            scope, category, only = th_scope[k], th_category[k], th_only[k]
            for nth in range(counts[t, y, k]):
                base = np.uint64(nth * stride)
                # 1. What the event is: duration, data destroyed, where it strikes (its
                #    footprint: the services it hits, those that depend on them, and the
                #    options whose architectures or programme can change it).
                duration = _draw(spec, th_duration[k], word, base)
                destroyed = _draw(spec, th_data_loss[k], word, base + np.uint64(1))
                site = th_site[k]
                if site < 0:  # drawn from the threat's probabilities
                    u = _uniform(word, base + np.uint64(2))
                    site = 0
                    while site < th_site_cum.shape[1] - 1 and th_site_cum[k, site] <= u:
                        site += 1
                n = fp_n[k, site]
                # 2. Each pair's own draws, and the event with no DR and no programme.
                for s in range(n_services):
                    own[0, s], lost[0, s] = 0.0, 0.0
                for i in range(n):
                    s = fp_services[k, site, i]
                    incident[i] = 0.0
                    if fp_hit[k, site, s]:
                        col = base + np.uint64(event_columns + s * service_columns)
                        if incident_q[s] >= 0:
                            incident[i] = _draw(spec, incident_q[s], word, col + np.uint64(3))
                        drawn[s, 0], drawn[s, 1], drawn[s, 2] = False, False, False
                        if only < 0:
                            own[0, s], lost[0, s] = duration, destroyed
                n_events[k] += 1
                n_pairs[k] += n
                for s in range(n_services):
                    n_hit[k] += fp_hit[k, site, s]
                ref_priced = 0
                for w in range(2):  # the reference first, then each option
                    for o in range(n_options if w else 1):
                        if w and not fp_touched[k, site, o]:
                            for i in range(n):  # the reference's loss, added pair by pair as for any option
                                loss[o, slot] += cost[0, i]
                                if detail:
                                    pair_cost[o, p0 + i], pair_down[o, p0 + i] = cost[0, i], down[0, i]
                            continue
                        # 3. The option's own downtime and data loss on each service the event hits.
                        prog = option_prog[o]
                        ramp = 0.0
                        if prog >= 0:
                            ramp = min(1.0, (y + 1) / prog_ramp[prog])
                        for s in range(n_services if w else 0):
                            own[1, s], lost[1, s] = 0.0, 0.0
                        for i in range(n if w else 0):
                            s = fp_services[k, site, i]
                            a = option_arch[o, s]
                            d, uplift, kept = duration, 0.0, True
                            if prog >= 0:
                                if prog_improves[prog, category]:
                                    d = d * (1.0 - (1.0 - prog_par[t, prog, 0]) * ramp)
                                if category == human:
                                    kept = _uniform(word, base + np.uint64(3)) < 1.0 - (
                                        1.0 - prog_par[t, prog, 1]) * ramp
                                uplift = prog_par[t, prog, 2] * ramp
                            if not fp_hit[k, site, s] or not kept or (only >= 0 and only != a):
                                continue
                            own[1, s], lost[1, s] = d, destroyed
                            if not arch_covers[a, scope]:
                                continue
                            col = base + np.uint64(event_columns + s * service_columns)
                            manual = arch_manual[a] and (scope == site_scope or scope == region_scope)
                            rq = arch_rto[a]
                            if manual:
                                rq = arch_manual_rto[a]
                            if not drawn[s, 2]:
                                u_fail[s], drawn[s, 2] = _uniform(word, col + np.uint64(2)), True
                            if not u_fail[s] < min(1.0, arch_fs[t, a, np.int64(manual)] + uplift):
                                continue
                            # Uniforms and their normal quantiles, each made once, when first needed (NaN: not yet).
                            if not drawn[s, 0]:
                                u_rto[s], z_rto[s], drawn[s, 0] = _uniform(word, col), np.nan, True
                            if not drawn[s, 1]:
                                u_rpo[s], z_rpo[s], drawn[s, 1] = _uniform(word, col + np.uint64(1)), np.nan, True
                            if _normal_based(spec[rq, 0]) and np.isnan(z_rto[s]):
                                z_rto[s] = _ndtri(u_rto[s])
                            if _normal_based(spec[arch_rpo[a], 0]) and np.isnan(z_rpo[s]):
                                z_rpo[s] = _ndtri(u_rpo[s])
                            rto = _quantile(spec, rq, u_rto[s], z_rto[s])
                            rpo = _quantile(spec, arch_rpo[a], u_rpo[s], z_rpo[s])
                            own[1, s], lost[1, s] = min(d, rto), min(destroyed, rpo)
                        # 4. Price each pair: a service is down while anything it depends on is.
                        priced = 0  # pairs that cost anything
                        for i in range(n):
                            s = fp_services[k, site, i]
                            d = own[w, s]
                            for j in range(up_ptr[s], up_ptr[s + 1]):
                                d = max(d, own[w, up_idx[j]])
                            r = lost[w, s]
                            down[w, i] = d
                            c0, c1, c2, c3, c4, c5, c6, c7 = _costs(params, t, s, d, r, incident[i], growth[s, y])
                            comp[w, i, 0], comp[w, i, 1], comp[w, i, 2], comp[w, i, 3] = c0, c1, c2, c3
                            comp[w, i, 4], comp[w, i, 5], comp[w, i, 6], comp[w, i, 7] = c4, c5, c6, c7
                            cost[w, i] = 0.0 + c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7
                            priced += cost[w, i] > 0.0
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
                                if detail:
                                    pair_cost[o, p0 + i], pair_down[o, p0 + i] = c, down[w, i]
                            elif detail:
                                pair_ref_cost[p0 + i], pair_ref_down[p0 + i] = c, down[w, i]
                            for j in range(n_components):
                                components[row, j, b] += comp[w, i, j] - less * comp[0, i, j]
                            service_loss[row, b, s] += c - less * c_ref
                            downtime[row, b, s] += down[w, i] - less * down[0, i]
                            threat_loss[row, b, k] += c - less * c_ref
                            multi[row, b] += in_multi * c - ref_in_multi * c_ref
                if detail:
                    ev_trial[e], ev_year[e], ev_threat[e], ev_duration[e] = t, y, k, duration
                    for i in range(n):
                        pair_event[p0 + i], pair_service[p0 + i] = e, fp_services[k, site, i]
                    for s in range(n_services):
                        ev_hit[e, s] = fp_hit[k, site, s]
                e += 1
                p0 += n
    return (loss, components[1:] + components[0], service_loss[1:] + service_loss[0], downtime[1:] + downtime[0],
            multi[1:] + multi[0], threat_loss[1:] + threat_loss[0], n_events, n_hit, n_pairs,
            ev_trial, ev_year, ev_threat, ev_duration, ev_hit, pair_event[:p0], pair_service[:p0],
            pair_cost[:, :p0], pair_down[:, :p0], pair_ref_cost[:p0], pair_ref_down[:p0])
