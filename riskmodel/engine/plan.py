"""A scenario compiled for the engine: parameter columns, threats, architectures, options (DESIGN §8).

:func:`compile_plan` lays a validated scenario out as arrays and column indices. Every
uncertain input gets a column of the parameter matrix and a key (:func:`rng.identity_key`
of its owner's name and field, see :attr:`Plan.keys`), so changing one input (an edit, a
tornado step, a break-even search), even making it fixed or uncertain, leaves every
other input's draws as they were. Each threat-year gets a key for its event count and
one for the word its events draw from, keyed by the threat's identity (its name and what
it strikes): adding or removing an option (and with it the incidents its architecture
adds) moves no other draw.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import numpy as np

from riskmodel import dependencies
from riskmodel.distributions import PPF_GRID_NODES, SPEC_COLUMNS, Quantity
from riskmodel.engine import rng
from riskmodel.inputs import all_inputs
from riskmodel.models import architectures, impact, threats
from riskmodel.scenario import CATEGORIES, SCOPES, Architecture, Scenario

#: An event's own draws, keyed by its slot: duration, data loss, which site, kept (thinning by a
#: programme); then, for each service it hits, ``SERVICE_COLUMNS`` draws: RTO, RPO, failover,
#: incident cost.
EVENT_COLUMNS = 4
SERVICE_COLUMNS = 4
#: The fallbacks of a recovery chain (manual failover after a failed automatic one, restore
#: from backup) draw from a second word, derived from the event's with this key, at the
#: same columns: time of the manual step, time of the restore, success of each. Their own
#: stream leaves every earlier draw as it was.
CHAIN_KEY = rng.identity_key("recovery chain fallbacks")
CHAIN_COLUMNS = {"manual_time": 0, "restore_time": 1, "manual_ok": 2, "restore_ok": 3}


class CoreTables(NamedTuple):
    """The plan as the compiled core (:mod:`riskmodel.engine.kernels_numba`) reads it: flat arrays.

    Indexed by compiled threat (``th_``), by threat, site and service or option (``fp_``,
    a threat's footprint where it strikes), by architecture (``arch_``), by option or by
    programme (``prog_``).
    """

    count_keys: np.ndarray  #: (years, threats) uint64: keys each threat-year's event count
    slot_keys: np.ndarray  #: (years, threats) uint64: keys the word its events draw from
    stride: int  #: an event's draws: event ``nth`` of a threat-year draws at ``nth · stride + …``
    event_columns: int  #: its own columns first (:data:`EVENT_COLUMNS`) …
    service_columns: int  #: … then these per service (:data:`SERVICE_COLUMNS`)
    th_scope: np.ndarray  #: scope index
    th_category: np.ndarray  #: category index
    th_only: np.ndarray  #: the architecture whose incidents it is, or -1
    th_scale: np.ndarray  #: factor on the cost of each of its events [×]
    th_site: np.ndarray  #: the site it strikes, or -1: drawn from ``th_site_cum``
    th_site_cum: np.ndarray  #: (threats, sites) cumulative probability of each site
    th_duration: np.ndarray  #: row of ``spec`` of its duration [h]
    th_data_loss: np.ndarray  #: row of ``spec`` of the data it destroys [h]
    fp_n: np.ndarray  #: (threats, sites) pairs it makes
    fp_services: np.ndarray  #: (threats, sites, services) their services, sorted
    fp_hit: np.ndarray  #: (threats, sites, services) the services it hits (the others depend on them)
    fp_touched: np.ndarray  #: (threats, sites, options) options whose architectures or programme can change it
    spec: np.ndarray  #: (quantities, 4 + nodes) quantile functions (:data:`riskmodel.distributions.SPEC_COLUMNS`)
    up_ptr: np.ndarray  #: what each service depends on, directly or not, as CSR pointers …
    up_idx: np.ndarray  #: … and indices
    incident_q: np.ndarray  #: (services,) row of ``spec`` of the incident cost [currency], -1 for none
    growth: np.ndarray  #: (services, years) growth factor (1 + g)^year [–]
    arch_covers: np.ndarray  #: (architectures, scopes) scopes covered (``architectures.covers_event``)
    arch_manual: np.ndarray  #: failover controlled from the primary site
    arch_rto: np.ndarray  #: row of ``spec`` of the RTO [h] …
    arch_manual_rto: np.ndarray  #: … of the manual RTO [h] …
    arch_rpo: np.ndarray  #: … of the RPO [h] …
    arch_restore: np.ndarray  #: … and of the restore time [h], or -1: no restore step
    option_arch: np.ndarray  #: (options, services) architecture index
    option_prog: np.ndarray  #: (options,) programme index or -1
    prog_improves: np.ndarray  #: (programmes, categories) categories whose MTTR it improves
    prog_ramp: np.ndarray  #: (programmes,) years to learn [yr]
    human: int  #: index of the human-error category
    site_scope: int  #: index of the site scope
    region_scope: int  #: index of the region scope
    logical_scope: int  #: index of the logical scope
    chain_key: np.uint64  #: :data:`CHAIN_KEY`


@dataclasses.dataclass(frozen=True)
class PlannedThreat:
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
    scale: float = 1.0  # factor on the cost of each of its events [×]


@dataclasses.dataclass(frozen=True)
class PlannedArchitecture:
    arch: Architecture
    covers: np.ndarray  # bool over SCOPES
    cols: dict[str, int]

    @property
    def restores(self) -> bool:
        """Whether its chain has a restore step (a restore success that can be above 0)."""
        q = self.arch.restore_success
        return not (q.is_fixed and q.value == 0)


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
    threats: tuple[PlannedThreat, ...]
    archs: tuple[PlannedArchitecture, ...]
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
    def core_tables(self) -> CoreTables:
        """The plan as the compiled core (:mod:`riskmodel.engine.kernels_numba`) reads it.

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
            count_keys=self.count_keys, slot_keys=self.slot_keys, stride=EVENT_COLUMNS + SERVICE_COLUMNS * S,
            event_columns=EVENT_COLUMNS, service_columns=SERVICE_COLUMNS, option_arch=self.option_arch,
            option_prog=self.option_prog, human=CATEGORIES.index("human_error"),
            site_scope=SCOPES.index("site"), region_scope=SCOPES.index("region"),
            logical_scope=SCOPES.index("logical"), chain_key=np.uint64(CHAIN_KEY),
            th_scope=np.array([t.scope for t in self.threats], dtype=np.int64),
            th_category=np.array([t.category for t in self.threats], dtype=np.int64),
            th_only=np.array([t.only_architecture for t in self.threats], dtype=np.int64),
            th_scale=np.array([t.scale for t in self.threats], dtype=np.float64),
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
            arch_restore=np.array([number(a.arch.restore_hours) if a.restores else -1 for a in self.archs],
                                  dtype=np.int64),
            prog_improves=np.array([[c in p.improves_categories for c in CATEGORIES]
                                    for p in self.scenario.skills_programmes], dtype=bool).reshape(-1, len(CATEGORIES)),
            prog_ramp=np.array([float(p.ramp_years) for p in self.scenario.skills_programmes]),
        )
        rows = [[kind, *par, *(np.zeros(PPF_GRID_NODES) if table is None else table)]
                for kind, par, table in (q.ppf_spec() for q in quantities)]
        out["spec"] = np.array(rows).reshape(-1, len(SPEC_COLUMNS) + PPF_GRID_NODES)
        return CoreTables(**out)

    @property
    def n_options(self) -> int:
        return self.option_arch.shape[0]

    @property
    def n_services(self) -> int:
        return self.option_arch.shape[1]


def compile_plan(scenario: Scenario, horizon: int, overrides: dict[str, Quantity] | None = None,
                 threat_scale: dict[str, float] | None = None) -> Plan:
    """Lay out a scenario for the engine: one parameter column per epistemic input.

    ``overrides`` maps input paths (as in :attr:`Plan.paths`) to replacement quantities,
    e.g. a fixed value for a tornado step; the column layout is unchanged. ``threat_scale``
    maps threat names to a factor [×] on the cost of each of their events (what the market
    and the regulator add to a whole-site loss, :mod:`riskmodel.analysis.charging`); draws are unchanged.
    """
    overrides = overrides or {}
    threat_scale = threat_scale or {}
    names = {t.name for t in scenario.threats}
    for name, factor in threat_scale.items():
        if name not in names or not (isinstance(factor, (int, float)) and 0 <= factor < 1e6):
            raise ValueError(f"threat_scale: {name!r}: {factor!r} — must be a threat of the scenario and a factor "
                             "from 0 to 1e6")
    unknown = set(overrides) - {p for p, _, aleatory in all_inputs(scenario) if not aleatory}
    if unknown:
        raise ValueError(f"overrides: {sorted(unknown)} — not epistemic inputs of this scenario")
    paths: list[str] = []
    qs: list[Quantity] = []
    random: list[bool] = []
    keys: list[int] = []

    def column(path: str, q: Quantity, identity: str) -> int:
        keys.append(rng.identity_key(identity))
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

    compiled_threats: list[PlannedThreat] = []
    for k, t in enumerate(scenario.threats):
        form, q = t.frequency
        col = column(f"threats[{k}].{form}", q, f"threat {t.name}.{form}")
        base = dict(name=t.name, scope=SCOPES.index(t.scope), category=CATEGORIES.index(t.category),
                    form=form, rate_col=col, duration=t.duration_hours, data_loss=t.data_loss_hours,
                    scale=float(threat_scale.get(t.name, 1.0)))
        if t.scope == "site" and t.sites is not None:
            probs = np.zeros(n_sites)
            for name, p in t.sites.items():
                probs[site_index[name]] = p
            compiled_threats.append(PlannedThreat(**base, site_probs=probs, identity=f"threat {t.name}"))
        elif t.scope == "site":
            compiled_threats.extend(PlannedThreat(**base, site_probs=np.eye(n_sites)[i],
                                            identity=f"threat {t.name} at {site.name}")
                                    for i, site in enumerate(scenario.sites))
        elif t.scope == "region":
            region = t.region if t.region is not None else scenario.sites[0].region
            compiled_threats.append(PlannedThreat(**base, region=region_index[region], identity=f"threat {t.name}"))
        else:
            for name in t.services or [s.name for s in scenario.services]:
                compiled_threats.append(PlannedThreat(**base, service=service_index[name],
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
                for f in ("failover_success", "manual_failover_success", "restore_success", "capex_multiple",
                          "opex_multiple", "added_incident_rate")}
        for f in ("capex", "opex_per_year"):
            if getattr(arch, f) is not None:
                cols[f] = column(f"{prefix}.{f}", getattr(arch, f), f"architecture {name}.{f}")
        compiled_archs.append(PlannedArchitecture(arch, np.array([scope in arch.covers for scope in SCOPES]), cols))
        added = arch.added_incident_rate
        if not (added.is_fixed and added.value == 0):
            for s in range(n_services):
                compiled_threats.append(PlannedThreat(
                    name=f"{name}: added incidents", scope=SCOPES.index("component"),
                    category=CATEGORIES.index("software"), form="rate", rate_col=cols["added_incident_rate"],
                    duration=arch.added_incident_duration_hours, data_loss=Quantity(value=0.0),
                    service=s, only_architecture=a_idx,
                    identity=f"architecture {name}: added incidents on {scenario.services[s].name}"))

    prog_names = [p.name for p in scenario.skills_programmes]
    prog_cols = tuple({f: column(f"skills_programmes[{i}].{f}", getattr(p, f), f"programme {p.name}.{f}")
                       for f in PROGRAMME_FIELDS} for i, p in enumerate(scenario.skills_programmes))

    deps = tuple(tuple(service_index[d] for d in svc.depends_on) for svc in scenario.services)
    topo = dependencies.order(dict(enumerate(deps)))
    dependents = np.eye(n_services, dtype=bool)
    for s in topo:  # dependencies come first, so their closure is complete
        for d in deps[s]:
            dependents[:, s] |= dependents[:, d]
    return Plan(
        scenario=scenario, horizon=horizon, paths=tuple(paths), quantities=tuple(qs),
        keys=np.array(keys, dtype=np.uint64), random_cols=np.flatnonzero(random),
        count_keys=np.array([[rng.identity_key(f"{t.identity}: count in year {y}") for t in compiled_threats]
                             for y in range(1, horizon + 1)], dtype=np.uint64).reshape(horizon, -1),
        slot_keys=np.array([[rng.identity_key(f"{t.identity}: events in year {y}") for t in compiled_threats]
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


def _architecture_prefix(scenario: Scenario, name: str) -> str:
    for i, a in enumerate(scenario.architectures):
        if a.name == name:
            return f"architectures[{i}]"
    return f"presets.{name}"


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
