"""The Monte Carlo engine: blocks, seeds, common random numbers, workers (DESIGN §8).

``simulate(scenario, trials, horizon_years, seed)`` runs every option of a scenario on
the same random futures and returns a :class:`Simulation` of streamed sums and
histograms, from which :mod:`riskmodel.appraisal` builds the tables users see.

How randomness is laid out, so that results never depend on how the work is split, nor
on what else is in the run:

* Every draw is a pure function of the seed and of what it is for (counter-based
  generation, :func:`_keyed_bits`). Trials come in seed blocks of ``SEED_BLOCK``; block
  ``b`` is seeded by the b-th child of ``SeedSequence(seed).spawn``, and its trials take
  the outputs of the SplitMix64 stream that child seeds. Everything a trial draws is
  keyed by its word and by the identity of what is drawn, never by a position in a
  stream.
* Every uncertain input is sampled by inverse transform from a uniform keyed by the
  trial's word and the input's identity (its owner's name and its field, see
  :attr:`Plan.keys`). So changing one input (an edit, a tornado step, a break-even
  search), even making it fixed or uncertain, leaves every other input's draws as they
  were.
* Each threat's event count in each year inverts the Poisson CDF at a uniform keyed by
  the threat's identity (its name and what it strikes) and the year, so a higher rate
  only ever adds events; the events draw from a word keyed the same way. Adding or
  removing an option (and with it the incidents its architecture adds) moves no other
  draw: an option's results are the same in a run of two options or of ten.
* An event's own draws (duration, data loss, site, and for each service it hits the
  RTO, RPO, failover and incident-cost draws) are keyed by its threat-year word and its
  index among that threat-year's events (:func:`_keyed_uniforms`): adding an event
  never moves another's. So a higher threat rate never lowers a trial's loss, and the
  comparison of options is exact event by event.
* Chunks of whole seed blocks are processed vectorised; every sum is taken per block
  and the block sums are added in block order at the end, and distributions are kept as
  integer histogram counts: the result is bit-identical for any chunk size and any
  number of worker processes.

Every option sees the same events, durations, RTO quantiles and failover draws (common
random numbers): a failover that works for an architecture with success probability p
works for every architecture with a higher p in that event.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import math
import os
from collections.abc import Callable

import numpy as np
from scipy import special

from . import _kernels, architectures, impact, metrics, skills, threats
from .distributions import PPF_GRID_NODES, Quantity
from .scenario import BOUNDS, CATEGORIES, MAX_HORIZON_YEARS, SCOPES, Architecture, Scenario

SEED_BLOCK = 1_000
EVENTS_PER_CHUNK = 150_000  # keeps the numpy path's per-event arrays to some 100 MB
MAX_CHUNK = 50_000
COMPILED_CHUNK = 10_000  # the compiled core keeps no per-event arrays: some 60 MB per chunk
#: Pair evaluations per chunk of the compiled core, about 0.4 s of one core: a run checks for
#: Stop and its time budget between chunks (kakao-2022 still takes COMPILED_CHUNK trials).
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
EVENT_COLUMNS = 4  # duration, data loss, which site, kept (thinning by a programme)
SERVICE_COLUMNS = 4  # rto, rpo, failover, incident cost


# -- the compiled plan -------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _Threat:
    name: str
    scope: int
    category: int
    form: str
    rate_col: int
    duration: Quantity
    data_loss: Quantity
    identity: str  # names what it strikes: keys its event counts and draws
    site_probs: np.ndarray | None = None  # over sites, for site threats
    region: int = -1  # region index for region threats
    service: int = -1  # target service for component/logical threats
    only_architecture: int = -1  # added incidents: only under this architecture


@dataclasses.dataclass(frozen=True)
class _Arch:
    arch: Architecture
    covers: np.ndarray  # bool over SCOPES
    cols: dict[str, int]


@dataclasses.dataclass(frozen=True)
class Plan:
    """A scenario compiled to arrays and column indices for the engine.

    Column j of the parameter matrix holds input ``paths[j]``; ``random_cols`` are the
    columns drawn from uniforms (the inputs the scenario gives as distributions), the
    others hold fixed values. The layout depends on the scenario only, not on
    ``overrides``, so a tornado step that fixes an input keeps every other draw.
    """

    scenario: Scenario
    horizon: int
    paths: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    keys: np.ndarray  # (columns,) uint64: a stable identity per input, keying its draws
    count_keys: np.ndarray  # (years, threats) uint64: keys each threat-year's event count
    slot_keys: np.ndarray  # (years, threats) uint64: keys the word its events draw from
    random_cols: np.ndarray
    threats: tuple[_Threat, ...]
    archs: tuple[_Arch, ...]
    option_arch: np.ndarray  # (O, S) architecture index
    option_prog: np.ndarray  # (O,) programme index or -1
    service_site: np.ndarray
    service_region: np.ndarray
    topo: tuple[int, ...]
    deps: tuple[tuple[int, ...], ...]
    dependents: np.ndarray  # (S, S) bool: [s, t] when t is down whenever s is
    impact_cols: np.ndarray  # (S, len(impact.PARAMETERS))
    incident_q: tuple[Quantity, ...]
    infra_cols: np.ndarray
    growth: np.ndarray  # (S,)
    prog_cols: tuple[dict[str, int], ...]
    baseline: int

    @functools.cached_property
    def core_tables(self) -> dict[str, np.ndarray]:
        """The plan as the compiled core (:mod:`riskmodel._kernels_numba`) reads it: flat arrays.

        Every quantity an event or a pair draws (durations, data loss, incident costs,
        RTO and RPO) is numbered and encoded by :meth:`Quantity.ppf_spec`.
        """
        quantities: list[Quantity] = []

        def number(q: Quantity) -> int:
            if q not in quantities:
                quantities.append(q)
            return quantities.index(q)

        S, n_sites, O = self.n_services, len(self.scenario.sites), self.n_options
        K = len(self.threats)
        # A threat's footprint at each site it may strike: what it hits, the pairs that
        # follow (sorted by service), and which options can change the event.
        site, site_cum = np.zeros(K, dtype=np.int64), np.zeros((K, n_sites))
        fp_hit = np.zeros((K, n_sites, S), dtype=bool)
        fp_touched = np.zeros((K, n_sites, O), dtype=bool)
        fp_services = np.zeros((K, n_sites, S), dtype=np.int64)
        fp_n = np.zeros((K, n_sites), dtype=np.int64)
        arch_covers = np.array([architectures.covers_event(a.covers, np.arange(len(SCOPES)), a.arch.geo_separated,
                                                           a.arch.point_in_time_recovery) for a in self.archs])
        for k, t in enumerate(self.threats):
            if t.site_probs is not None and np.count_nonzero(t.site_probs) == 1:
                site[k] = np.flatnonzero(t.site_probs)[0]
            elif t.site_probs is not None:
                site[k], site_cum[k] = -1, np.cumsum(t.site_probs)
            for j in range(n_sites):
                if t.site_probs is not None:
                    fp_hit[k, j] = self.service_site == j
                elif t.region >= 0:
                    fp_hit[k, j] = self.service_region == t.region
                else:
                    fp_hit[k, j, t.service] = True
                affected = np.flatnonzero(fp_hit[k, j] @ self.dependents)
                fp_n[k, j] = affected.size
                fp_services[k, j, :affected.size] = affected
                for o in range(O):
                    prog = int(self.option_prog[o])
                    programme = prog >= 0 and (
                        CATEGORIES[t.category] in self.scenario.skills_programmes[prog].improves_categories
                        or CATEGORIES[t.category] == "human_error")
                    fp_touched[k, j, o] = any(
                        arch_covers[a, t.scope] or t.only_architecture == a or programme
                        for a in self.option_arch[o][fp_hit[k, j]])
        upstream = [np.flatnonzero(self.dependents[:, s] & (np.arange(S) != s)) for s in range(S)]
        out = dict(
            th_scope=np.array([t.scope for t in self.threats], dtype=np.int64),
            th_category=np.array([t.category for t in self.threats], dtype=np.int64),
            th_only=np.array([t.only_architecture for t in self.threats], dtype=np.int64),
            th_site=site, th_site_cum=site_cum, fp_n=fp_n, fp_services=fp_services, fp_hit=fp_hit,
            fp_touched=fp_touched,
            th_duration=np.array([number(t.duration) for t in self.threats], dtype=np.int64),
            th_data_loss=np.array([number(t.data_loss) for t in self.threats], dtype=np.int64),
            incident_q=np.array([-1 if q.is_fixed and q.value == 0 else number(q) for q in self.incident_q],
                                dtype=np.int64),
            growth=(1 + self.growth)[:, None] ** np.arange(self.horizon) if self.growth.any()
            else np.ones((S, self.horizon)),
            up_ptr=np.cumsum([0] + [u.size for u in upstream]).astype(np.int64),
            up_idx=np.concatenate(upstream).astype(np.int64),
            arch_covers=arch_covers,
            arch_manual=np.array([a.arch.failover_control == "in_primary_site" for a in self.archs]),
            arch_rto=np.array([number(a.arch.rto_hours) for a in self.archs], dtype=np.int64),
            arch_manual_rto=np.array([number(a.arch.manual_rto_hours) for a in self.archs], dtype=np.int64),
            arch_rpo=np.array([number(a.arch.rpo_hours) for a in self.archs], dtype=np.int64),
            prog_improves=np.array([[c in p.improves_categories for c in CATEGORIES]
                                    for p in self.scenario.skills_programmes], dtype=bool).reshape(-1, len(CATEGORIES)),
            prog_ramp=np.array([float(p.ramp_years) for p in self.scenario.skills_programmes]),
        )
        rows = [[kind, *par, *(np.zeros(PPF_GRID_NODES) if table is None else table)]
                for kind, par, table in (q.ppf_spec() for q in quantities)]
        out["spec"] = np.array(rows).reshape(-1, len(_kernels.SPEC_COLUMNS) + PPF_GRID_NODES)
        return out

    @property
    def n_options(self) -> int:
        return self.option_arch.shape[0]

    @property
    def n_services(self) -> int:
        return self.option_arch.shape[1]


def compile_plan(scenario: Scenario, horizon: int, overrides: dict[str, Quantity] | None = None) -> Plan:
    """Lay out a scenario for the engine: one parameter column per epistemic input.

    ``overrides`` maps input paths (as in :attr:`Plan.paths`) to replacement quantities,
    e.g. a fixed value for a tornado step; the column layout is unchanged.
    """
    overrides = overrides or {}
    unknown = set(overrides) - {p for p, _, aleatory in all_inputs(scenario) if not aleatory}
    if unknown:
        raise ValueError(f"overrides: {sorted(unknown)} — not epistemic inputs of this scenario")
    paths: list[str] = []
    qs: list[Quantity] = []
    random: list[bool] = []
    keys: list[int] = []

    def column(path: str, q: Quantity, identity: str) -> int:
        keys.append(_identity_key(identity))
        paths.append(path)
        qs.append(overrides.get(path, q))
        random.append(not q.is_fixed)
        return len(paths) - 1

    site_index = {s.name: i for i, s in enumerate(scenario.sites)}
    regions = sorted({s.region for s in scenario.sites})
    region_index = {r: i for i, r in enumerate(regions)}
    service_index = {s.name: i for i, s in enumerate(scenario.services)}
    n_sites, n_services = len(scenario.sites), len(scenario.services)

    impact_cols = np.zeros((n_services, len(impact.PARAMETERS)), dtype=np.int64)
    infra_cols = np.zeros(n_services, dtype=np.int64)
    for s, svc in enumerate(scenario.services):
        infra_cols[s] = column(f"services[{s}].infra_annual_cost", svc.infra_annual_cost,
                               f"service {svc.name}.infra_annual_cost")
        for j, field in enumerate(impact.PARAMETERS):
            impact_cols[s, j] = column(f"services[{s}].impact.{field}", getattr(svc.impact, field),
                                       f"service {svc.name}.impact.{field}")

    compiled_threats: list[_Threat] = []
    for k, t in enumerate(scenario.threats):
        form, q = t.frequency
        col = column(f"threats[{k}].{form}", q, f"threat {t.name}.{form}")
        base = dict(name=t.name, scope=SCOPES.index(t.scope), category=CATEGORIES.index(t.category),
                    form=form, rate_col=col, duration=t.duration_hours, data_loss=t.data_loss_hours)
        if t.scope == "site" and t.sites is not None:
            probs = np.zeros(n_sites)
            for name, p in t.sites.items():
                probs[site_index[name]] = p
            compiled_threats.append(_Threat(**base, site_probs=probs, identity=f"threat {t.name}"))
        elif t.scope == "site":
            compiled_threats.extend(_Threat(**base, site_probs=np.eye(n_sites)[i],
                                            identity=f"threat {t.name} at {site.name}")
                                    for i, site in enumerate(scenario.sites))
        elif t.scope == "region":
            region = t.region if t.region is not None else scenario.sites[0].region
            compiled_threats.append(_Threat(**base, region=region_index[region], identity=f"threat {t.name}"))
        else:
            for name in t.services or [s.name for s in scenario.services]:
                compiled_threats.append(_Threat(**base, service=service_index[name],
                                                identity=f"threat {t.name} on {name}"))

    arch_names: list[str] = []
    for o in scenario.options:
        for svc in scenario.services:
            if (name := o.architecture_for(svc)) not in arch_names:
                arch_names.append(name)
    compiled_archs = []
    for a_idx, name in enumerate(arch_names):
        arch = scenario.architecture(name)
        prefix = _architecture_prefix(scenario, name)
        cols = {f: column(f"{prefix}.{f}", getattr(arch, f), f"architecture {name}.{f}")
                for f in ("failover_success", "manual_failover_success", "capex_multiple", "opex_multiple",
                          "added_incident_rate")}
        for f in ("capex", "opex_per_year"):
            if getattr(arch, f) is not None:
                cols[f] = column(f"{prefix}.{f}", getattr(arch, f), f"architecture {name}.{f}")
        compiled_archs.append(_Arch(arch, np.array([scope in arch.covers for scope in SCOPES]), cols))
        added = arch.added_incident_rate
        if not (added.is_fixed and added.value == 0):
            for s in range(n_services):
                compiled_threats.append(_Threat(
                    name=f"{name}: added incidents", scope=SCOPES.index("component"),
                    category=CATEGORIES.index("software"), form="rate", rate_col=cols["added_incident_rate"],
                    duration=arch.added_incident_duration_hours, data_loss=Quantity(value=0.0),
                    service=s, only_architecture=a_idx,
                    identity=f"architecture {name}: added incidents on {scenario.services[s].name}"))

    prog_names = [p.name for p in scenario.skills_programmes]
    prog_cols = tuple({f: column(f"skills_programmes[{i}].{f}", getattr(p, f), f"programme {p.name}.{f}")
                       for f in PROGRAMME_FIELDS} for i, p in enumerate(scenario.skills_programmes))

    deps = tuple(tuple(service_index[d] for d in svc.depends_on) for svc in scenario.services)
    topo = _topological_order(deps)
    dependents = np.eye(n_services, dtype=bool)
    for s in topo:  # dependencies come first, so their closure is complete
        for d in deps[s]:
            dependents[:, s] |= dependents[:, d]
    return Plan(
        scenario=scenario, horizon=horizon, paths=tuple(paths), quantities=tuple(qs),
        keys=np.array(keys, dtype=np.uint64), random_cols=np.flatnonzero(random),
        count_keys=np.array([[_identity_key(f"{t.identity}: count in year {y}") for t in compiled_threats]
                             for y in range(1, horizon + 1)], dtype=np.uint64).reshape(horizon, -1),
        slot_keys=np.array([[_identity_key(f"{t.identity}: events in year {y}") for t in compiled_threats]
                            for y in range(1, horizon + 1)], dtype=np.uint64).reshape(horizon, -1),
        threats=tuple(compiled_threats), archs=tuple(compiled_archs),
        option_arch=np.array([[arch_names.index(o.architecture_for(svc)) for svc in scenario.services]
                              for o in scenario.options], dtype=np.int64),
        option_prog=np.array([prog_names.index(o.skills) if o.skills else -1 for o in scenario.options]),
        service_site=np.array([site_index[s.site] for s in scenario.services]),
        service_region=np.array([region_index[scenario.sites[site_index[s.site]].region]
                                 for s in scenario.services]),
        topo=topo, deps=deps, dependents=dependents, impact_cols=impact_cols,
        incident_q=tuple(svc.impact.incident_fixed_cost for svc in scenario.services),
        infra_cols=infra_cols, growth=np.array([svc.impact.growth_rate for svc in scenario.services]),
        prog_cols=prog_cols, baseline=[o.baseline for o in scenario.options].index(True),
    )


PROGRAMME_FIELDS = ("loaded_cost_per_engineer", "toil_share_now", "toil_share_target", "cost_per_engineer_per_year",
                    "mttr_multiplier", "human_error_rate_multiplier", "failover_success_uplift",
                    "attrition_reduction", "replacement_cost", "value_of_freed_hour_multiplier")


def _identity_key(identity: str) -> int:
    """A 64-bit key for an input's identity: the same whatever the input's position or path."""
    return int.from_bytes(hashlib.blake2b(identity.encode("utf-8"), digest_size=8).digest(), "little")


def _architecture_prefix(scenario: Scenario, name: str) -> str:
    for i, a in enumerate(scenario.architectures):
        if a.name == name:
            return f"architectures[{i}]"
    return f"presets.{name}"


def all_inputs(scenario: Scenario):
    """Every input path of a scenario with its quantity, presets used by options included."""
    yield from scenario.quantities("")
    defined = {a.name for a in scenario.architectures}
    used = {o.architecture_for(s) for o in scenario.options for s in scenario.services}
    for name in sorted(used - defined):
        yield from scenario.architecture(name).quantities(f"presets.{name}")


def epistemic_inputs(scenario: Scenario) -> dict[str, Quantity]:
    """The inputs sampled once per trial, by path: what sensitivity analysis varies."""
    return {path: q for path, q, aleatory in all_inputs(scenario) if not aleatory}


def _topological_order(deps: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    order: list[int] = []
    seen: set[int] = set()

    def visit(s: int) -> None:
        if s not in seen:
            seen.add(s)
            for d in deps[s]:
                visit(d)
            order.append(s)

    for s in range(len(deps)):
        visit(s)
    return tuple(order)


# -- one chunk ---------------------------------------------------------------------------
_GAMMA, _MIX1, _MIX2 = _kernels.SPLITMIX


def _keyed_bits(words: np.ndarray, index) -> np.ndarray:
    """64 random bits: output ``index`` of the SplitMix64 stream seeded by ``words`` (broadcast).

    SplitMix64 (Steele, Lea & Flood, OOPSLA 2014; Java's SplittableRandom) is used as a
    counter-based generator: every draw is a pure function of (word, index), so a draw
    never depends on how many others came before it or were made at all.
    """
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        z = words + (np.asarray(index).astype(np.uint64) + np.uint64(1)) * _GAMMA
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def _keyed_uniforms(words: np.ndarray, index) -> np.ndarray:
    """Uniforms on [0, 1) from :func:`_keyed_bits` (its top 53 bits)."""
    return (_keyed_bits(words, index) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def _trial_words(seed: int, first_block: int, sizes: list[int]) -> np.ndarray:
    """The 64-bit words of a chunk's trials, block by block: all their draws derive from them.

    Block ``b`` is seeded by the b-th child of ``SeedSequence(seed).spawn``; its trials
    take the first outputs of the SplitMix64 stream seeded by the child's first word.
    """
    block_words = [np.random.SeedSequence(seed, spawn_key=(first_block + b,)).generate_state(1, np.uint64)[0]
                   for b in range(len(sizes))]
    starts = np.repeat(np.cumsum([0] + sizes[:-1]), sizes)
    return _keyed_bits(np.repeat(np.array(block_words, dtype=np.uint64), sizes), np.arange(sum(sizes)) - starts)


class _Parameters:
    """Epistemic parameter values of a chunk's trials, indexed as ``P[rows, column]``.

    Only inputs given as distributions get a (trials,) array; fixed inputs stay
    scalars, so a scenario's many fixed numbers cost nothing per trial.
    """

    def __init__(self, plan: Plan, u: np.ndarray):
        self.fixed = [q.value if q.is_fixed else None for q in plan.quantities]
        self.random = {int(j): q.ppf(u[:, k]) if not q.is_fixed else np.full(u.shape[0], q.value)
                       for k, j in enumerate(plan.random_cols) for q in [plan.quantities[j]]}

    def __getitem__(self, key):
        rows, column = key
        values = self.random.get(column)
        return self.fixed[column] if values is None else values[rows]


def expected_events(plan: Plan) -> float:
    """Expected (event, service) pairs per trial, at each rate's mean [pairs/trial]."""
    per_year = 0.0
    for t in plan.threats:
        rate = float(threats.annual_rate(t.form, np.array(plan.quantities[t.rate_col].mean())))
        if t.site_probs is not None:
            hit = float(t.site_probs @ np.bincount(plan.service_site, minlength=t.site_probs.size))
        elif t.region >= 0:
            hit = float((plan.service_region == t.region).sum())
        else:
            hit = 1.0
        per_year += rate * max(hit, 1.0)
    return per_year * plan.horizon


def _propagate(plan: Plan, event: np.ndarray, service: np.ndarray, own: np.ndarray, n_events: int) -> np.ndarray:
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


def _impact_params(plan: Plan, P: _Parameters, T: int) -> np.ndarray:
    """Impact parameters per trial and service, shaped (trials, services, fields) for the compiled core.

    A field the scenario leaves at zero for every service is absent to
    :func:`riskmodel.impact.event_cost`; here it is zero, or its default where absence
    means one (the churn time constant).
    """
    out = np.zeros((T, plan.n_services, len(impact.PARAMETERS)))
    for j, f in enumerate(impact.PARAMETERS):
        if _impact_absent(plan, j):
            out[:, :, j] = impact.DEFAULTS.get(f, 0.0)
        else:
            for s, c in enumerate(plan.impact_cols[:, j]):
                out[:, s, j] = P[:, c]
    return out


def _impact_absent(plan: Plan, j: int) -> bool:
    """Whether impact parameter ``j`` is fixed at zero for every service (absent to the cost model)."""
    return all(plan.quantities[c].is_fixed and not plan.quantities[c].value for c in plan.impact_cols[:, j])


def _option_losses_numpy(plan: Plan, ref_own: np.ndarray, ref_lost: np.ndarray, own: np.ndarray, lost: np.ndarray,
                         changed: np.ndarray, pair_start: np.ndarray, pe: np.ndarray, ps: np.ndarray,
                         p_block: np.ndarray, slot: np.ndarray, pair_threat: np.ndarray, imp: dict,
                         incident: np.ndarray, growth, n_slots: int, NB: int) -> tuple:
    """Every option's losses per trial-year slot and their block sums (step 5 of :func:`_events_numpy`).

    The reference (no DR, no programme) is priced once; each option reprices only the
    events it changes and adds the differences.
    """
    S, K, O = plan.n_services, len(plan.threats), own.shape[1]
    E, n_pairs = pair_start.size - 1, pe.size
    ref_down = _propagate(plan, pe, ps, ref_own, E)
    ref_parts = impact.event_cost(ref_down, ref_lost, imp, incident, growth)
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
        down_x = _propagate(plan, local, ps[X], own[X, o], events.size)
        imp_x = {f: v[X] for f, v in imp.items()}
        parts = impact.event_cost(down_x, lost[X, o], imp_x, incident[X], growth[X] if np.ndim(growth) else growth)
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


def _events_numpy(plan: Plan, P: _Parameters, trial_words: np.ndarray, trial_block: np.ndarray, rates: np.ndarray,
                  keep_detail: bool) -> dict:
    """Steps 2–5 of a chunk with numpy: events, pairs, each option's recovery, prices and sums.

    Returns every option's loss per trial-year slot [currency] and its per-block sums
    (cost components, loss and downtime by service, multi-service loss, loss by threat),
    the counts of events, hit pairs and pairs by threat, and, with ``keep_detail``, the
    events and pairs themselves. :func:`_events_numba` returns the same from the compiled core.
    """
    H, S, O, K = plan.horizon, plan.n_services, plan.n_options, len(plan.threats)
    T, NB = trial_words.size, int(trial_block[-1]) + 1
    u_cnt = _keyed_uniforms(trial_words[:, None, None], plan.count_keys)
    words = _keyed_bits(trial_words[:, None, None], plan.slot_keys).ravel()
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
        return _keyed_uniforms(ev_word[rows], nth[rows] * ev_stride + column)

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
            if _impact_absent(plan, j):
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
        manual = h_site_or_region[i] & (arch.failover_control == "in_primary_site")
        fs = np.where(manual, P[trial, a.cols["manual_failover_success"]], P[trial, a.cols["failover_success"]])
        ok = service_uniforms(2)[i] < np.minimum(1.0, fs + uplift)
        u_rto, z_rto = service_uniforms(0), service_normals(0)
        rto = arch.rto_hours.ppf(u_rto[i], z_rto[i])
        if manual.any():
            m = np.flatnonzero(manual)
            rto[m] = arch.manual_rto_hours.ppf(u_rto[i[m]], z_rto[i[m]])
        cov = covered[i]
        down = np.where(applies, architectures.effective_downtime(d, cov, ok, rto), 0.0)
        rpo = arch.rpo_hours.ppf(service_uniforms(1)[i], service_normals(1)[i])
        lost = np.where(applies, architectures.data_loss(destroyed[he[i]], cov, ok, rpo), 0.0)
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
    (loss, comp_sums, svc_loss_sums, down_sums, multi_sums, threat_sums, pairs) = _option_losses_numpy(
        plan, ref_own, ref_lost, own, lost, changed, pair_start, pe, ps, p_block, tr_idx[pe], ev_threat[pe],
        imp(), incident, growth, T * H, NB)
    return dict(
        loss=loss, components=comp_sums, service_loss=svc_loss_sums, downtime=down_sums, multi=multi_sums,
        threat_loss=threat_sums, events=np.bincount(ev_threat, minlength=K),
        hit_pairs=np.bincount(ev_threat[he], minlength=K), pairs=np.bincount(ev_threat[pe], minlength=K),
        detail=dict(event_trial=ev_trial, event_year=ev_year, event_threat=ev_threat, event_duration=duration,
                    event_hit=hit, pair_event=pe, pair_service=ps, **pairs) if keep_detail else None)


def _events_numba(plan: Plan, P: _Parameters, trial_words: np.ndarray, trial_block: np.ndarray, rates: np.ndarray,
                  keep_detail: bool) -> dict:
    """Steps 2–5 of a chunk in the compiled core (:mod:`riskmodel._kernels_numba`).

    Returns what :func:`_events_numpy` returns, computed in one pass with no per-event arrays.
    """
    core, c = _kernels.compiled(), plan.core_tables
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
        c["growth"], _impact_params(plan, P, T), c["arch_covers"], c["arch_manual"], arch_fs, c["arch_rto"],
        c["arch_manual_rto"], c["arch_rpo"], plan.option_arch, plan.option_prog, c["prog_improves"], c["prog_ramp"],
        prog_par, CATEGORIES.index("human_error"), SCOPES.index("site"), SCOPES.index("region"), NB, keep_detail)
    return dict(
        loss=loss, components=components, service_loss=service_loss, downtime=downtime, multi=multi,
        threat_loss=threat_loss, events=events, hit_pairs=hit_pairs, pairs=pairs,
        detail=dict(event_trial=ev_trial, event_year=ev_year, event_threat=ev_threat, event_duration=ev_duration,
                    event_hit=ev_hit, pair_event=pair_event, pair_service=pair_service, pair_cost=pair_cost,
                    pair_downtime=pair_down, pair_ref_cost=pair_ref_cost, pair_ref_downtime=pair_ref_down)
        if keep_detail else None)


def _run_chunk(plan: Plan, seed: int, first_block: int, n_trials_total: int, n_blocks: int,
               keep_detail: bool, engine: str = "numpy") -> dict:
    """Simulate blocks ``first_block …`` of a run; return per-block sums and histograms."""
    H, S, O, K = plan.horizon, plan.n_services, plan.n_options, len(plan.threats)
    start = first_block * SEED_BLOCK
    stop = min(start + n_blocks * SEED_BLOCK, n_trials_total)
    T = stop - start
    sizes = [min(SEED_BLOCK, stop - b0) for b0 in range(start, stop, SEED_BLOCK)]

    # 1. Parameters per trial, and each threat's rate.
    trial_words = _trial_words(seed, first_block, sizes)
    P = _Parameters(plan, np.stack([_keyed_uniforms(trial_words, plan.keys[j]) for j in plan.random_cols], axis=1)
                    if plan.random_cols.size else np.zeros((T, 0)))
    # A draw past the schema's bound (the far tail of a wide range) is taken at the bound: past
    # one an hour it is no outage rate, and one trial's events would be unbounded work.
    rates = np.stack([np.broadcast_to(np.minimum(threats.annual_rate(t.form, P[:, t.rate_col]), BOUNDS["rate"][1]),
                                      (T,)) for t in plan.threats], axis=-1) if K else np.zeros((T, 0))
    trial_block = np.repeat(np.arange(len(sizes)), sizes)

    # 2–5. The events and what each option loses in them.
    ev = (_events_numba if engine == "numba" else _events_numpy)(plan, P, trial_words, trial_block, rates,
                                                                  keep_detail)
    loss = ev["loss"]

    capex = np.zeros((O, T))
    cost_run = np.zeros((O, T, H))
    benefit_run = np.zeros((O, T, H))
    years = np.arange(1, H + 1)
    for o in range(O):
        prog = int(plan.option_prog[o])
        for s in range(S):
            a = plan.archs[plan.option_arch[o, s]]
            infra = np.broadcast_to(P[:, plan.infra_cols[s]], (T,))
            capex[o] += P[:, a.cols["capex"]] if "capex" in a.cols else P[:, a.cols["capex_multiple"]] * infra
            opex = P[:, a.cols["opex_per_year"]] if "opex_per_year" in a.cols else P[:, a.cols["opex_multiple"]] * infra
            cost_run[o] += np.broadcast_to(opex, (T,))[:, None]
        if prog >= 0:
            p, pc = plan.scenario.skills_programmes[prog], plan.prog_cols[prog]

            def col(name: str, pc: dict = pc) -> np.ndarray:
                return np.broadcast_to(P[:, pc[name]], (T,))

            cost_run[o] += (p.engineers * col("cost_per_engineer_per_year"))[:, None]
            benefit_run[o] += skills.freed_capacity_value(
                p.engineers, col("loaded_cost_per_engineer"), col("toil_share_now"), col("toil_share_target"),
                p.ramp_years, col("value_of_freed_hour_multiplier"), years)
            benefit_run[o] += (col("attrition_reduction") * col("replacement_cost"))[:, None] * skills.ramp(
                years, p.ramp_years)

    # 6. Cash flows against the baseline and NPV per trial.
    b = plan.baseline
    disc = (1 + plan.scenario.finance.discount_rate) ** -years.astype(float)
    loss3 = loss.reshape(O, T, H)
    running = cost_run - benefit_run
    flows = (loss3[b] - loss3) + (running[b] - running)
    npv = -(capex - capex[b]) + flows @ disc

    trial_starts = np.cumsum([0] + sizes[:-1])

    def per_block(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
        return np.moveaxis(np.add.reduceat(x, starts, axis=-1), -1, 0)

    out = {
        "loss_sum": per_block(loss, trial_starts * H),
        "loss_sq": per_block(loss * loss, trial_starts * H),
        "trial_loss_sq": per_block(loss3.mean(axis=2) ** 2, trial_starts),
        "loss_year_sum": per_block(loss3.transpose(0, 2, 1).copy(), trial_starts),
        "service_loss_sum": np.moveaxis(ev["service_loss"], 1, 0),
        "downtime_sum": np.moveaxis(ev["downtime"], 1, 0),
        "multi_loss_sum": np.moveaxis(ev["multi"], 1, 0),
        "component_sum": np.moveaxis(ev["components"], -1, 0),
        "threat_loss_sum": np.moveaxis(ev["threat_loss"], 1, 0),
        "capex_sum": per_block(capex, trial_starts),
        "cost_year_sum": per_block(cost_run.transpose(0, 2, 1).copy(), trial_starts),
        "benefit_year_sum": per_block(benefit_run.transpose(0, 2, 1).copy(), trial_starts),
        "npv_sum": per_block(npv, trial_starts),
        "npv_sq": per_block(npv * npv, trial_starts),
        "best_npv_sum": per_block(npv.max(axis=0), trial_starts),
        "npv_positive": (npv > 0).sum(axis=1),
        "loss_hist": metrics.histogram(loss),
        "npv_hist": metrics.histogram(npv),
        "events": ev["events"],
        "hit_pairs": ev["hit_pairs"],
        "pairs": ev["pairs"],
    }
    if plan.scenario.risk_tolerance:
        tol = np.array([x for x, _ in plan.scenario.risk_tolerance])
        out["tolerance_exceed"] = (loss[:, :, None] > tol).sum(axis=1)
    if keep_detail:
        out["detail"] = dict(
            loss=loss3, npv=npv, capex=capex, cost_run=cost_run, benefit_run=benefit_run,
            params=np.stack([P.random[int(j)] for j in plan.random_cols], axis=1) if plan.random_cols.size
            else np.zeros((T, 0)),
            impact=_impact_params(plan, P, T),
            **ev["detail"])
        out["detail"]["event_trial"] = out["detail"]["event_trial"] + start
    return out


_DETAIL_AXIS = {"loss": 1, "npv": 1, "capex": 1, "cost_run": 1, "benefit_run": 1, "pair_cost": 1, "pair_downtime": 1}


class _Accumulator:
    """Combines chunk results as they arrive, in block order.

    Float sums are kept per seed block (small arrays) and added in block order at the
    end, so the total never depends on the chunking; integer counts (histograms) are
    added at once, so memory does not grow with the number of chunks.
    """

    def __init__(self) -> None:
        self.blocks: dict[str, list[np.ndarray]] = {}
        self.counts: dict[str, np.ndarray] = {}
        self.details: list[dict] = []

    def add(self, part: dict) -> None:
        for key, value in part.items():
            if key == "detail":
                self.details.append(value)
            elif key.endswith(("_sum", "_sq")):
                self.blocks.setdefault(key, []).append(value)
            elif key in self.counts:
                self.counts[key] = self.counts[key] + value
            else:
                self.counts[key] = value

    def result(self) -> dict:
        # A C-ordered (blocks, …) array summed over its first axis adds block after
        # block in order, whatever the chunks were.
        merged = {key: np.ascontiguousarray(np.concatenate(values)).sum(axis=0) for key, values in self.blocks.items()}
        merged.update(self.counts)
        if self.details:
            merged["detail"] = _merge_detail(self.details)
        return merged


def _merge_detail(parts: list[dict]) -> dict:
    offsets = np.cumsum([0] + [p["event_trial"].size for p in parts[:-1]])
    out = {k: np.concatenate([p[k] for p in parts], axis=_DETAIL_AXIS.get(k, 0)) for k in parts[0]}
    out["pair_event"] = np.concatenate([p["pair_event"] + off for p, off in zip(parts, offsets)])
    return out



def engine_for(plan: Plan, trials: int, engine: str = "auto") -> str:
    """The engine a run of ``trials`` uses: ``engine`` itself, or for "auto" the compiled
    core when numba is installed and the run repays loading it (:func:`riskmodel._kernels.worth_compiling`)."""
    if engine != "auto":
        return engine
    return "numba" if _kernels.worth_compiling(expected_events(plan) * trials * plan.n_options) else "numpy"


# -- public entry point ----------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Simulation:
    """Streamed results of :func:`simulate` for every option of a scenario.

    Sums are over all trial-years (losses [currency], downtime [h]) or trials (NPV,
    capex [currency]); ``*_hist`` are counts in :mod:`riskmodel.metrics` bins. ``detail``
    holds per-trial arrays when ``keep_detail=True`` was asked for (small runs only).
    """

    scenario: Scenario
    plan: Plan
    trials: int
    horizon_years: int
    seed: int
    data: dict

    @property
    def options(self) -> list[str]:
        return [o.name for o in self.scenario.options]

    @property
    def trial_years(self) -> int:
        return self.trials * self.horizon_years

    @property
    def detail(self) -> dict | None:
        return self.data.get("detail")


def simulate(scenario: Scenario, trials: int = 10_000, horizon_years: int | None = None, seed: int = 20221015,
             *, chunk_size: int | None = None, workers: int | concurrent.futures.Executor = 1,
             keep_detail: bool = False, overrides: dict[str, Quantity] | None = None,
             progress: Callable[[int, int], None] | None = None, engine: str = "auto") -> Simulation:
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
        Bounds memory; does not change results. Default: ``COMPILED_CHUNK`` on the
        compiled core; on numpy, as many trials as are expected to hold
        ``EVENTS_PER_CHUNK`` events, at most ``MAX_CHUNK``.
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
        compiled core of :mod:`riskmodel._kernels` (needs numba, the ``fast`` extra) or
        numpy. "auto" takes numba when it is installed and the run is big enough to repay
        loading it (:func:`riskmodel._kernels.worth_compiling`). Both make the same draws
        and the same operations in the same order. Event counts, events and the services
        they reach are always the same. Where numpy's ``exp`` and ``expm1`` are the C
        library's (x86-64 without AVX-512, or numpy's dispatch narrowed by
        ``NPY_DISABLE_CPU_FEATURES``), every result is the same to the last bit. Where
        numpy uses its own AVX-512 code, a value drawn through ``exp`` (lognormal
        durations, RTO, RPO, incident costs) may differ by 2 ulp, and so each loss, NPV
        and sum by its rounding: some 30–110 eps of the size of what was summed, not of
        the result (``tests/parity.py`` derives and tests the bounds).
        On one machine, results are bit-identical for any ``chunk_size`` and ``workers``.

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
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: {seed!r} — must be a whole number ≥ 0")
    horizon = int(horizon_years or scenario.finance.horizon_years)
    if not 1 <= horizon <= MAX_HORIZON_YEARS:
        raise ValueError(f"horizon_years: {horizon_years!r} — must be from 1 to {MAX_HORIZON_YEARS} years")
    if engine not in ("auto", "numba", "numpy"):
        raise ValueError(f"engine: {engine!r} — must be 'auto', 'numba' or 'numpy'")
    if engine == "numba" and not _kernels.available():
        raise ValueError("engine: 'numba' — numba is not installed (pip install 'riskmodel[fast]')")
    plan = compile_plan(scenario, horizon, overrides)
    pairs = expected_events(plan)  # per trial, at the mean rates [pairs/trial]
    work = pairs * trials * plan.n_options
    if work > MAX_WORK:
        raise ValueError(f"trials: {trials:,} — at the scenario's mean rates this run would price some {work:.2g} "
                         f"event-service pairs across its options, more than the {MAX_WORK:.0e} a run may take "
                         f"(about ten minutes of one core on the compiled core); use at most "
                         f"{int(MAX_WORK / (work / trials)):,} trials")
    engine = engine_for(plan, trials, engine)
    held = pairs * min(trials, SEED_BLOCK)
    if (engine == "numpy" or keep_detail) and held > MAX_PAIRS_PER_BLOCK:
        remedy = "run it without keep_detail" if engine == "numba" else "install the compiled core (pip install " \
            "'riskmodel[fast]'), which holds no per-event arrays"
        raise ValueError(f"at the scenario's mean rates one block of {min(trials, SEED_BLOCK):,} trials holds some "
                         f"{held:.2g} event-service pairs, more than the {MAX_PAIRS_PER_BLOCK:.0e} (about 1 GB) that "
                         f"{'keep_detail' if engine == 'numba' else 'the numpy path'} may hold; {remedy}")
    if engine == "numba":
        _ = plan.core_tables  # computed once here, and sent with the plan to any workers
    if chunk_size is None and engine == "numba" and not keep_detail:
        chunk_size = min(COMPILED_CHUNK, int(COMPILED_WORK_PER_CHUNK / max(pairs * plan.n_options, 1e-9)))
    elif chunk_size is None:
        chunk_size = min(MAX_CHUNK, int(EVENTS_PER_CHUNK / max(pairs, 1e-9)))
    n_blocks = math.ceil(trials / SEED_BLOCK)
    per_chunk = max(1, math.ceil(chunk_size / SEED_BLOCK))
    starts = list(range(0, n_blocks, per_chunk))
    tasks = [(plan, int(seed), b, int(trials), min(per_chunk, n_blocks - b), keep_detail, engine) for b in starts]

    total = _Accumulator()
    done = 0

    def collect(part: dict, part_trials: int) -> None:
        nonlocal done
        total.add(part)
        done += part_trials
        if progress is not None:
            progress(min(done, trials), trials)

    sizes = [min(t[4] * SEED_BLOCK, trials - t[2] * SEED_BLOCK) for t in tasks]
    if isinstance(workers, concurrent.futures.Executor):
        futures = [workers.submit(_run_chunk, *t) for t in tasks]
        for f, n in zip(futures, sizes):
            collect(f.result(), n)
    elif workers > 1 and len(tasks) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1, len(tasks))) as ex:
            for part, n in zip(ex.map(_run_chunk, *zip(*tasks)), sizes):
                collect(part, n)
    else:
        for t, n in zip(tasks, sizes):
            collect(_run_chunk(*t), n)
    return Simulation(scenario=scenario, plan=plan, trials=int(trials), horizon_years=horizon, seed=int(seed),
                      data=total.result())
