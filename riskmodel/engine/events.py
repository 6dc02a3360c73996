"""The numpy path of a chunk: events, (event, service) pairs, each option's recovery and price.

Steps 2–5 of a chunk (:func:`riskmodel.engine.chunk.run_chunk`), vectorised over every
event of the chunk. An event's own draws (duration, data loss, site, and for each
service it hits the RTO, RPO, failover and incident-cost draws) are keyed by its
threat-year word and its index among that threat-year's events
(:func:`riskmodel.engine.rng.keyed_uniforms`): adding an event never moves another's, so
a higher threat rate never lowers a trial's loss, and the comparison of options is exact
event by event. Every option sees the same events, durations, RTO quantiles and failover
draws (common random numbers): a failover that works for an architecture with success
probability p works for every architecture with a higher p in that event.

The compiled core (:mod:`riskmodel.engine.kernels_numba`) does the same in one pass;
``tests/test_kernels.py`` holds the two to the same numbers.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from riskmodel.engine import rng
from riskmodel.engine.parameters import Parameters, impact_absent
from riskmodel.engine.plan import CHAIN_COLUMNS, CHAIN_KEY, EVENT_COLUMNS, SERVICE_COLUMNS, Plan
from riskmodel.models import architectures, impact, skills, threats
from riskmodel.scenario import CATEGORIES, SCOPES

LOGICAL = SCOPES.index("logical")


def propagate(plan: Plan, event: np.ndarray, service: np.ndarray, own: np.ndarray, n_events: int) -> np.ndarray:
    """Downtime of (event, service) pairs: a service is down while anything it depends on is.

    ``event`` must be sorted. Only events that reach more than one service can pass
    downtime along, so only those are laid out on an (events × services) grid.
    """
    if not any(plan.deps) or own.size == 0:
        return own
    shared = np.flatnonzero(np.bincount(event, minlength=n_events)[event] > 1)
    if shared.size == 0:
        return own
    e = event[shared]
    local = np.cumsum(np.concatenate([[True], e[1:] != e[:-1]])) - 1
    grid = np.zeros((local[-1] + 1, plan.n_services))
    grid[local, service[shared]] = own[shared]
    for s in plan.topo:
        if plan.deps[s]:
            grid[:, s] = np.maximum(grid[:, s], grid[:, list(plan.deps[s])].max(axis=1))
    out = own.copy()
    out[shared] = grid[local, service[shared]]
    return out


def _total(parts: dict, n: int) -> np.ndarray:
    total = np.zeros(n)
    for values in parts.values():
        if values is not None:
            total += values
    return total


def _option_losses(plan: Plan, ref_own: np.ndarray, ref_lost: np.ndarray, own: np.ndarray, lost: np.ndarray,
                         changed: np.ndarray, pair_start: np.ndarray, pe: np.ndarray, ps: np.ndarray,
                         p_block: np.ndarray, slot: np.ndarray, pair_threat: np.ndarray, imp: dict,
                         incident: np.ndarray, growth, n_slots: int, NB: int) -> tuple:
    """Every option's losses per trial-year slot and their block sums (step 5 of :func:`numpy_events`).

    The reference (no DR, no programme) is priced once; each option reprices only the
    events it changes and adds the differences.
    """
    S, K, O = plan.n_services, len(plan.threats), own.shape[1]
    E, n_pairs = pair_start.size - 1, pe.size
    ref_down = propagate(plan, pe, ps, ref_own, E)
    # A threat's cost factor (compile_plan's threat_scale) multiplies each component, as the compiled core does.
    th_scale = np.array([t.scale for t in plan.threats] or [1.0])
    scaled = bool((th_scale != 1.0).any())
    pair_scale = th_scale[pair_threat] if scaled else None

    def scale(parts: dict, rows=slice(None)) -> dict:
        return parts if not scaled else {k: None if v is None else v * pair_scale[rows] for k, v in parts.items()}

    ref_parts = scale(impact.event_cost(ref_down, ref_lost, imp, incident, growth))
    ref_cost = _total(ref_parts, n_pairs)
    ref_flag = np.bincount(pe, weights=ref_cost > 0, minlength=E)[pe] > 1 if n_pairs else np.zeros(0, dtype=bool)

    def sums(weights: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(keys, weights=weights, minlength=size)

    ref_sums = {
        "component": np.stack([np.zeros(NB) if v is None else sums(v, p_block, NB) for v in ref_parts.values()]),
        "service": sums(ref_cost, p_block * S + ps, NB * S),
        "downtime": sums(ref_down, p_block * S + ps, NB * S),
        "multi": sums(np.where(ref_flag, ref_cost, 0.0), p_block, NB),
        "threat": sums(ref_cost, p_block * K + pair_threat, NB * K),
    }
    loss = np.zeros((O, n_slots))
    comp_sums = np.zeros((O, len(impact.COMPONENTS), NB))
    svc_loss_sums = np.zeros((O, NB, S))
    down_sums = np.zeros((O, NB, S))
    multi_sums = np.zeros((O, NB))
    threat_sums = np.zeros((O, NB, K))
    pair_cost = np.zeros((O, n_pairs))
    pair_down = np.zeros((O, n_pairs))
    for o in range(O):
        events = np.flatnonzero(changed[o])
        counts = pair_start[events + 1] - pair_start[events]
        X = np.repeat(pair_start[events] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        local = np.repeat(np.arange(events.size), counts)
        down_x = propagate(plan, local, ps[X], own[X, o], events.size)
        imp_x = {f: v[X] for f, v in imp.items()}
        parts = scale(impact.event_cost(down_x, lost[X, o], imp_x, incident[X], growth[X] if np.ndim(growth) else growth),
                      X)
        cost_x = _total(parts, X.size)
        cost = ref_cost.copy()
        cost[X] = cost_x
        pair_cost[o] = cost
        pair_down[o] = ref_down
        pair_down[o, X] = down_x
        loss[o] = np.bincount(slot, weights=cost, minlength=n_slots)
        delta = cost_x - ref_cost[X]
        block_x = p_block[X]
        comp_sums[o] = ref_sums["component"] + np.stack(
            [np.zeros(NB) if new is None else sums(new - (0.0 if old is None else old[X]), block_x, NB)
             for new, old in zip(parts.values(), ref_parts.values())])
        svc_loss_sums[o] = (ref_sums["service"] + sums(delta, block_x * S + ps[X], NB * S)).reshape(NB, S)
        down_sums[o] = (ref_sums["downtime"] + sums(down_x - ref_down[X], block_x * S + ps[X], NB * S)).reshape(NB, S)
        flag_x = np.bincount(local, weights=cost_x > 0, minlength=events.size)[local] > 1
        multi_x = np.where(flag_x, cost_x, 0.0) - np.where(ref_flag[X], ref_cost[X], 0.0)
        multi_sums[o] = ref_sums["multi"] + sums(multi_x, block_x, NB)
        threat_sums[o] = (ref_sums["threat"] + sums(delta, block_x * K + pair_threat[X], NB * K)).reshape(NB, K)
    return (loss, comp_sums, svc_loss_sums, down_sums, multi_sums, threat_sums,
            dict(pair_cost=pair_cost, pair_downtime=pair_down, pair_ref_cost=ref_cost, pair_ref_downtime=ref_down))


def numpy_events(plan: Plan, P: Parameters, trial_words: np.ndarray, trial_block: np.ndarray, rates: np.ndarray,
                  keep_detail: bool) -> dict:
    """Steps 2–5 of a chunk with numpy: events, pairs, each option's recovery, prices and sums.

    Returns every option's loss per trial-year slot [currency] and its per-block sums
    (cost components, loss and downtime by service, multi-service loss, loss by threat),
    the counts of events, hit pairs and pairs by threat, and, with ``keep_detail``, the
    events and pairs themselves. :func:`compiled_events` returns the same from the compiled core.
    """
    H, S, O, K = plan.horizon, plan.n_services, plan.n_options, len(plan.threats)
    T, NB = trial_words.size, int(trial_block[-1]) + 1
    u_cnt = rng.keyed_uniforms(trial_words[:, None, None], plan.count_keys)
    words = rng.keyed_bits(trial_words[:, None, None], plan.slot_keys).ravel()
    counts = threats.poisson_counts(rates[:, None, :], u_cnt).ravel()
    flat = np.repeat(np.arange(T * H * K), counts)
    nth = np.arange(flat.size) - np.repeat(np.cumsum(counts) - counts, counts)  # index within its slot
    ev_trial, rem = np.divmod(flat, H * K)
    ev_year, ev_threat = np.divmod(rem, K)
    E = flat.size
    ev_block = trial_block[ev_trial]
    ev_word = words[flat]
    ev_stride = EVENT_COLUMNS + SERVICE_COLUMNS * S

    def event_uniforms(rows: np.ndarray, column: int | np.ndarray) -> np.ndarray:
        return rng.keyed_uniforms(ev_word[rows], nth[rows] * ev_stride + column)

    # 2. What each event is: duration, data destroyed, which services it hits.
    #    Each draw is made only where a distribution needs it (keyed draws need no placeholder).
    duration, destroyed = np.zeros(E), np.zeros(E)
    hit = np.zeros((E, S), dtype=bool)
    th_scope = np.array([t.scope for t in plan.threats] or [0])
    th_category = np.array([t.category for t in plan.threats] or [0])
    th_only = np.array([t.only_architecture for t in plan.threats] or [-1])
    order = np.argsort(ev_threat, kind="stable")
    splits = np.searchsorted(ev_threat[order], np.arange(K + 1))
    for k, t in enumerate(plan.threats):
        m = order[splits[k]:splits[k + 1]]
        if m.size == 0:
            continue
        duration[m] = t.duration.value if t.duration.is_fixed else t.duration.ppf(event_uniforms(m, 0))
        destroyed[m] = t.data_loss.value if t.data_loss.is_fixed else t.data_loss.ppf(event_uniforms(m, 1))
        if t.site_probs is not None and np.count_nonzero(t.site_probs) == 1:
            hit[m] = plan.service_site == np.flatnonzero(t.site_probs)[0]
        elif t.site_probs is not None:
            site = np.minimum(np.searchsorted(np.cumsum(t.site_probs), event_uniforms(m, 2), side="right"),
                              len(t.site_probs) - 1)
            hit[m] = plan.service_site[None, :] == site[:, None]
        elif t.region >= 0:
            hit[m] = plan.service_region[None, :] == t.region
        else:
            hit[m, t.service] = True
    scope, category, only_arch = th_scope[ev_threat], th_category[ev_threat], th_only[ev_threat]

    # 3. (event, service) pairs: services hit draw their own recovery; dependents follow.
    affected = (hit.astype(np.uint8) @ plan.dependents.astype(np.uint8)) > 0
    pe, ps = np.nonzero(affected)  # sorted by event, then service
    n_pairs = pe.size
    is_hit = hit[pe, ps]
    hp = np.flatnonzero(is_hit)
    he, hs = pe[hp], ps[hp]
    columns: dict[int, np.ndarray] = {}
    normals: dict[int, np.ndarray] = {}

    def service_uniforms(c: int) -> np.ndarray:
        """Column ``c`` of the hit pairs' own draws (rto, rpo, failover, incident), drawn once when first needed."""
        if c not in columns:
            columns[c] = event_uniforms(he, EVENT_COLUMNS + hs * SERVICE_COLUMNS + c)
        return columns[c]

    def service_normals(c: int) -> np.ndarray:
        """Normal quantiles of a column, computed once and shared by every architecture."""
        if c not in normals:
            normals[c] = special.ndtri(service_uniforms(c))
        return normals[c]

    chain_words: list[np.ndarray] = []

    def chain_uniforms(rows: np.ndarray):
        """The chain's draws (plan.CHAIN_COLUMNS) of hit pairs ``rows``, from each event's second word."""
        if not chain_words:
            chain_words.append(rng.keyed_bits(ev_word, CHAIN_KEY))
        e, s = he[rows], hs[rows]
        index = nth[e] * ev_stride + EVENT_COLUMNS + s * SERVICE_COLUMNS
        return lambda name: rng.keyed_uniforms(chain_words[0][e], index + CHAIN_COLUMNS[name])

    h_trial = ev_trial[he]
    h_scope = scope[he]
    h_region = h_scope == SCOPES.index("region")
    h_site_or_region = (h_scope == SCOPES.index("site")) | h_region

    p_trial, p_block = ev_trial[pe], ev_block[pe]

    def imp() -> dict[str, np.ndarray]:
        """Impact parameters per pair, by field; fields the scenario leaves at zero are absent."""
        out = {}
        for j, f in enumerate(impact.PARAMETERS):
            qs = [plan.quantities[c] for c in plan.impact_cols[:, j]]
            if impact_absent(plan, j):
                continue
            if all(q.is_fixed for q in qs):
                out[f] = np.array([q.value for q in qs])[ps]
            else:
                by_service = np.stack([np.broadcast_to(P[:, c], (T,)) for c in plan.impact_cols[:, j]], axis=1)
                out[f] = by_service[p_trial, ps]
        return out

    incident = np.zeros(n_pairs)
    for s, q in enumerate(plan.incident_q):
        if not (q.is_fixed and q.value == 0):
            m = hs == s
            incident[hp[m]] = q.ppf(service_uniforms(3)[m])
    growth = (1 + plan.growth[ps]) ** ev_year[pe] if plan.growth.any() else 1.0

    # 4. Each option's own downtime and data loss per pair: the reference (no DR, no
    #    programme) except in the events its architectures cover or its programme touches.
    ref_applies = only_arch[he] < 0
    ref_own = np.zeros(n_pairs)
    ref_own[hp] = np.where(ref_applies, duration[he], 0.0)
    ref_lost = np.zeros(n_pairs)
    ref_lost[hp] = np.where(ref_applies, destroyed[he], 0.0)

    recovery: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def recover(a_idx: int, prog: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Hit pairs an architecture (with a programme) may change, and their downtime and data loss."""
        key = (a_idx, prog)
        if key in recovery:
            return recovery[key]
        a = plan.archs[a_idx]
        arch = a.arch
        covered = architectures.covers_event(a.covers, h_scope, arch.geo_separated, arch.point_in_time_recovery)
        own_incident = only_arch[he] == a_idx
        touched = covered | own_incident
        if prog >= 0:
            improves = [CATEGORIES.index(c) for c in plan.scenario.skills_programmes[prog].improves_categories]
            improved = np.isin(category[he], improves)
            human = category[he] == CATEGORIES.index("human_error")
            touched = touched | improved | human
        i = np.flatnonzero(touched)
        if i.size == 0:
            recovery[key] = (i, np.zeros(0), np.zeros(0))
            return recovery[key]
        trial, d = h_trial[i], duration[he[i]]
        kept = np.ones(i.size, dtype=bool)
        uplift = 0.0
        if prog >= 0:
            pc = plan.prog_cols[prog]
            year = ev_year[he[i]] + 1
            learnt = plan.scenario.skills_programmes[prog].ramp_years
            d = np.where(improved[i], d * skills.ramped(P[trial, pc["mttr_multiplier"]], year, learnt), d)
            fewer_errors = skills.ramped(P[trial, pc["human_error_rate_multiplier"]], year, learnt)
            kept = ~human[i] | (event_uniforms(he[i], 3) < fewer_errors)
            uplift = P[trial, pc["failover_success_uplift"]] * skills.ramp(year, learnt)
        applies = kept & ((only_arch[he[i]] < 0) | own_incident[i])
        # The chain (architectures.chain_downtime): the first failover with the pair's own
        # draws (manual where the automation ran in the site that was hit), then the
        # fallbacks with the chain's draws, made only where the first step failed.
        manual = h_site_or_region[i] & (arch.failover_control == "in_primary_site")
        fs = np.where(manual, P[trial, a.cols["manual_failover_success"]], P[trial, a.cols["failover_success"]])
        ok = architectures.failover_works(service_uniforms(2)[i], fs, uplift)
        u_rto, z_rto = service_uniforms(0), service_normals(0)
        rto = arch.rto_hours.ppf(u_rto[i], z_rto[i])
        if manual.any():
            m = np.flatnonzero(manual)
            rto[m] = arch.manual_rto_hours.ppf(u_rto[i[m]], z_rto[i[m]])
        cov = covered[i]
        # A step whose success is 0 is not tried, so its time holds up no later step.
        first = cov & (fs + uplift > 0)
        p_manual, p_restore = (np.broadcast_to(P[trial, a.cols[f]], i.shape)
                               for f in ("manual_failover_success", "restore_success"))
        second = cov & (h_scope[i] != LOGICAL) & ~manual & (p_manual + uplift > 0)
        third = cov & h_site_or_region[i] & a.restores & (p_restore > 0)
        ok2, ok3 = np.zeros(i.size, dtype=bool), np.zeros(i.size, dtype=bool)
        t2, t3 = np.zeros(i.size), np.zeros(i.size)
        f = np.flatnonzero((second | third) & ~ok & applies)
        if f.size:
            draw = chain_uniforms(i[f])
            ok2[f] = architectures.failover_works(draw("manual_ok"), p_manual[f], np.broadcast_to(uplift, i.shape)[f])
            t2[f] = arch.manual_rto_hours.ppf(draw("manual_time"), special.ndtri(draw("manual_time")))
            ok3[f] = draw("restore_ok") < p_restore[f]
            t3[f] = arch.restore_hours.ppf(draw("restore_time"), special.ndtri(draw("restore_time")))
        down = np.where(applies, architectures.chain_downtime(d, first, ok, rto, second, ok2, t2, third, ok3, t3), 0.0)
        rpo = arch.rpo_hours.ppf(service_uniforms(1)[i], service_normals(1)[i])
        failed_over = ok | (second & ok2)
        lost = np.where(applies, architectures.data_loss(destroyed[he[i]], cov, failed_over, rpo), 0.0)
        recovery[key] = (i, down, lost)
        return recovery[key]

    own = np.repeat(ref_own[:, None], O, axis=1)  # (pairs, options)
    lost = np.repeat(ref_lost[:, None], O, axis=1)
    changed = np.zeros((O, E), dtype=bool)
    for o in range(O):
        for a_idx in sorted(set(plan.option_arch[o].tolist())):
            i, d_a, l_a = recover(a_idx, int(plan.option_prog[o]))
            mine = plan.option_arch[o][hs[i]] == a_idx
            i, d_a, l_a = i[mine], d_a[mine], l_a[mine]
            own[hp[i], o], lost[hp[i], o] = d_a, l_a
            changed[o, he[i]] = True

    # 5. What it costs: downtime passes along dependencies, then each pair is priced.
    pair_start = np.searchsorted(pe, np.arange(E + 1))
    tr_idx = ev_trial * H + ev_year
    (loss, comp_sums, svc_loss_sums, down_sums, multi_sums, threat_sums, pairs) = _option_losses(
        plan, ref_own, ref_lost, own, lost, changed, pair_start, pe, ps, p_block, tr_idx[pe], ev_threat[pe],
        imp(), incident, growth, T * H, NB)
    return dict(
        loss=loss, components=comp_sums, service_loss=svc_loss_sums, downtime=down_sums, multi=multi_sums,
        threat_loss=threat_sums, events=np.bincount(ev_threat, minlength=K),
        hit_pairs=np.bincount(ev_threat[he], minlength=K), pairs=np.bincount(ev_threat[pe], minlength=K),
        detail=dict(event_trial=ev_trial, event_year=ev_year, event_threat=ev_threat, event_duration=duration,
                    event_hit=hit, pair_event=pe, pair_service=ps, **pairs) if keep_detail else None)
