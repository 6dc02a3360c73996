"""From a Simulation to the tables users see (DESIGN §9), as pandas DataFrames.

Columns have stable snake_case names (``npv_mean``); each table's ``attrs["currency"]``
is the scenario's currency, and the unit of every column is in the labels registry
(:mod:`riskmodel.present.labels`: money in the currency, time in hours, probabilities in
0–1), which is also where labels in each language come from. ``appraise(sim)`` returns an
:class:`Appraisal` holding every table; each table can also be built on its own.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from riskmodel.analysis import charging, decision, metrics
from riskmodel.analysis.decision import Decision
from riskmodel.engine.run import Simulation
from riskmodel.models import architectures, finance
from riskmodel.models.impact import COMPONENTS
from riskmodel.models.portfolio import single_building_loss
from riskmodel.models.threats import HOURS_PER_YEAR
from riskmodel.scenario import BENEFIT_BASES, SCOPES, Scenario


def _table(rows_or_frame, sim: Simulation, index: str | list[str] = "option", names: bool = False,
           unit: str | None = None) -> pd.DataFrame:
    """A table of ``sim``, its currency in ``attrs``.

    ``names``: its columns are names of things (threats, options), not registry keys;
    ``unit`` is then the unit of all of them (``{c}`` for the currency), if they share one.
    """
    table = pd.DataFrame(rows_or_frame).set_index(index) if isinstance(rows_or_frame, list) else rows_or_frame
    table.attrs.update(currency=sim.scenario.currency, names=names)
    if unit is not None:
        table.attrs["unit"] = unit
    return table


def risk_table(sim: Simulation) -> pd.DataFrame:
    """Per option: expected annual loss (ALE) with its standard error, median, VaR and TVaR
    at 95 % and 99 % (the 1-in-20 and 1-in-100-year losses), a 90 % interval of the 99 %
    VaR, downtime and availability.

    The standard error treats each trial (its years share the same parameters) as one
    observation: SE = sd(trial mean loss) / √trials. The VaR interval counts the
    trial-years as the independent values they are worth (their number over the design
    effect of the ALE, :func:`riskmodel.analysis.metrics.design_effect`).
    """
    n = sim.trial_years
    rows = []
    for o, name in enumerate(sim.options):
        hist = sim.loss_hist[o]
        ale = sim.loss_sum[o] / n
        down = sim.downtime_sum[o] / n  # per service [h/yr]
        mean_down = float(down.mean())
        ale_se = metrics.standard_error(ale, sim.trial_loss_sq[o], sim.trials)
        n_eff = n / metrics.design_effect(ale, sim.loss_sq[o], n, ale_se)
        low, high = metrics.quantile_interval(hist, 0.99, n_eff)
        rows.append({
            "option": name,
            "ale": ale,
            "ale_se": ale_se,
            "median_loss": metrics.quantile(hist, 0.5),
            "var_95": metrics.quantile(hist, 0.95),
            "tvar_95": metrics.tail_mean(hist, 0.95),
            "var_99": metrics.quantile(hist, 0.99),
            "var_99_low": low,
            "var_99_high": high,
            "tvar_99": metrics.tail_mean(hist, 0.99),
            "p_loss": 1 - hist[metrics.ZERO_BIN] / hist.sum(),
            "downtime": mean_down,
            "availability": 100 * (1 - mean_down / HOURS_PER_YEAR),
            "nines": _nines(mean_down),
        })
    return _table(rows, sim)


def _nines(downtime_hours: float) -> float:
    unavailability = downtime_hours / HOURS_PER_YEAR
    return float(-math.log10(unavailability)) if unavailability > 0 else float("inf")


def _benefit_year(sim: Simulation, basis: str) -> np.ndarray:
    """(O, H) mean yearly programme benefit counted on ``basis`` [currency/yr]: none on the cash basis."""
    benefit = sim.benefit_year_sum / sim.trials
    return benefit if basis == "capacity" else np.zeros_like(benefit)


def cash_flows(sim: Simulation, basis: str = "capacity") -> pd.DataFrame:
    """Expected yearly cash flows of each option against the baseline [currency].

    Year 0 is the difference in capital cost; years 1…H add avoided loss (and on the
    "capacity" basis freed capacity and attrition savings) and subtract the extra running
    cost (DESIGN §9). Columns are the years, 0…H.
    """
    T, H = sim.trials, sim.horizon_years
    b = sim.plan.baseline
    capex = sim.capex_sum / T
    loss = sim.loss_year_sum / T
    cost = sim.cost_year_sum / T
    benefit = _benefit_year(sim, basis)
    rows = []
    for o, name in enumerate(sim.options):
        avoided = loss[b] - loss[o]
        row = {"option": name, 0: -(capex[o] - capex[b])}
        flows = avoided + (benefit[o] - benefit[b]) - (cost[o] - cost[b])
        row.update({y + 1: flows[y] for y in range(H)})
        rows.append(row)
    table = _table(rows, sim)
    table.attrs["basis"] = basis
    return table


def investment_table(sim: Simulation, flows: pd.DataFrame | None = None, basis: str = "capacity") -> pd.DataFrame:
    """Per option against the baseline: cost, avoided loss, NPV distribution, ROI, payback, IRR.

    NPV, ROI, payback and IRR count benefit on ``basis`` ("cash": avoided loss less
    costs; "capacity": also what a programme frees), named in ``attrs["basis"]``;
    ``capacity_benefit`` is shown on both. ``annual cost`` is the option's own capex
    spread over the horizon (capital recovery at the discount rate) plus its yearly
    running cost. The Gordon–Loeb reference is 1/e of the baseline's expected annual
    loss, a rule of thumb for the most worth spending on protection.
    """
    T, H = sim.trials, sim.horizon_years
    rate = sim.scenario.finance.discount_rate
    b = sim.plan.baseline
    disc = finance.discount_factors(rate, H)
    crf = finance.annuity_factor(rate, H)
    capex = sim.capex_sum / T
    loss_year = sim.loss_year_sum / T
    cost_year = sim.cost_year_sum / T
    benefit_year = _benefit_year(sim, basis)
    freed_year = sim.benefit_year_sum / T
    flows = (cash_flows(sim, basis) if flows is None else flows).to_numpy()
    ale = sim.loss_sum / sim.trial_years
    totals = sim.npv_totals(basis)
    rows = []
    for o, name in enumerate(sim.options):
        npv_mean = totals.npv_sum[o] / T
        pv_benefit = float(((loss_year[b] - loss_year[o]) + (benefit_year[o] - benefit_year[b])) @ disc)
        pv_cost = float(capex[o] - capex[b] + (cost_year[o] - cost_year[b]) @ disc)
        annual_cost = capex[o] * crf + cost_year[o].mean()
        is_base = o == b
        rows.append({
            "option": name,
            "baseline": is_base,
            "capex": capex[o],
            "annual_cost": annual_cost,
            "loss_avoided": ale[b] - ale[o],
            "capacity_benefit": float((freed_year[o] - freed_year[b]).mean()),
            "npv_mean": npv_mean,
            "npv_se": metrics.standard_error(npv_mean, totals.npv_sq[o], T),
            "npv_p5": metrics.quantile(totals.npv_hist[o], 0.05),
            "npv_p95": metrics.quantile(totals.npv_hist[o], 0.95),
            "p_npv_positive": totals.npv_positive[o] / T,
            "p_npv_positive_se": math.sqrt(totals.npv_positive[o] / T * (1 - totals.npv_positive[o] / T) / T),
            "roi": float("nan") if is_base else finance.roi(pv_benefit, pv_cost),
            "payback": float("nan") if is_base else finance.payback_year(rate, flows[o]),
            "irr": float("nan") if is_base else finance.irr(flows[o]),
            "total_cost_of_risk": annual_cost + ale[o],
            "gordon_loeb": finance.GORDON_LOEB * ale[b],
        })
    table = _table(rows, sim)
    table.attrs["basis"] = basis
    return table


def components_table(sim: Simulation) -> pd.DataFrame:
    """Expected annual loss by cost component (DESIGN §6) per option [currency/yr]."""
    values = sim.component_sum / sim.trial_years
    return _table(pd.DataFrame(values, index=pd.Index(sim.options, name="option"), columns=list(COMPONENTS)), sim)


def threats_table(sim: Simulation) -> pd.DataFrame:
    """Expected annual loss by threat per option [currency/yr]: a column per threat, by its name."""
    plan = sim.plan
    values = sim.threat_loss_sum / sim.trial_years
    names = [t.name for t in plan.threats]
    df = pd.DataFrame(values, index=pd.Index(sim.options, name="option"), columns=names)
    return _table(df.T.groupby(level=0, sort=False).sum().T, sim, names=True, unit="{c}/yr")


def services_table(sim: Simulation) -> pd.DataFrame:
    """Per option and service: expected annual loss [currency/yr] and downtime [h/yr]."""
    n = sim.trial_years
    rows = []
    for o, name in enumerate(sim.options):
        for s, svc in enumerate(sim.scenario.services):
            rows.append({
                "option": name,
                "service": svc.name,
                "architecture": sim.scenario.options[o].architecture_for(svc),
                "ale": sim.service_loss_sum[o, s] / n,
                "downtime": sim.downtime_sum[o, s] / n,
            })
    return _table(rows, sim, index=["option", "service"])


def concentration(sim: Simulation) -> pd.Series:
    """Share of expected loss from events that hit more than one service [0–1], per option."""
    share = np.divide(sim.multi_loss_sum, sim.loss_sum, out=np.zeros_like(sim.loss_sum),
                      where=sim.loss_sum > 0)
    series = pd.Series(share, index=pd.Index(sim.options, name="option"), name="concentration")
    series.attrs["currency"] = sim.scenario.currency
    return series


def _buildings(sim: Simulation) -> pd.DataFrame:
    """:func:`riskmodel.models.portfolio.single_building_loss`: one event's losses [currency], not a year's."""
    table = _table(single_building_loss(sim.scenario), sim)
    table.attrs["units"] = dict.fromkeys(COMPONENTS, "{c}")
    return table


def exceedance_curve(sim: Simulation, points: int = 200) -> pd.DataFrame:
    """Loss exceedance curves: P(annual loss > x) for every option on one grid of x.

    The grid is log-spaced from the smallest positive 0.1 % quantile to the largest
    99.99 % quantile across options.
    """
    hists = sim.loss_hist
    lows = [metrics.quantile(h, 0.001) for h in hists] + [metrics.quantile(h, 0.5) for h in hists]
    positive = [x for x in lows if x > 0] or [1.0]
    high = max(metrics.quantile(h, 0.9999) for h in hists)
    x = np.geomspace(min(positive), max(high, min(positive) * 10), points)
    data = {name: metrics.exceedance(h, x) for name, h in zip(sim.options, hists)}
    return _table(pd.DataFrame(data, index=pd.Index(x, name="annual_loss")), sim, names=True)


def tolerance_table(sim: Simulation) -> pd.DataFrame | None:
    """Against the scenario's risk tolerance: P(annual loss > x) with its standard error vs the
    acceptable probability, and the verdict: "pass", "fail" or "borderline" (within 2 SE,
    :class:`riskmodel.analysis.decision.Verdict`). ``breached`` is the point estimate's verdict."""
    if not sim.scenario.risk_tolerance:
        return None
    rows = [{"option": name, "loss": v.loss, "acceptable_p": v.threshold, "simulated_p": v.value,
             "simulated_p_se": v.se, "breached": not v.passes, "verdict": v.state}
            for name, verdicts in decision.tolerance_verdicts(sim).items() for v in verdicts]
    return _table(rows, sim)


def architectures_table(sim: Simulation) -> pd.DataFrame:
    """Every architecture an option uses: what it covers, how fast it recovers, what it costs.

    Ranges are (5th percentile, 95th percentile) of the input; costs are as written in the
    scenario, absolute [currency] or as a multiple of each service's infrastructure cost [×].
    """
    scenario = sim.scenario
    names = dict.fromkeys(o.architecture_for(s) for o in scenario.options for s in scenario.services)
    rows = []
    for name in names:
        a = scenario.architecture(name)
        covered = architectures.covers_event(np.array([scope in a.covers for scope in SCOPES]),
                                             np.arange(len(SCOPES)), a.geo_separated, a.point_in_time_recovery)
        covers = [scope for scope, yes in zip(SCOPES, covered) if yes]
        rows.append({
            "architecture": name,
            "preset": a.preset or "",
            "covers": ", ".join(covers),
            "failover_control": a.failover_control,
            "rto_p5": a.rto_hours.quantile(0.05), "rto_p95": a.rto_hours.quantile(0.95),
            "rpo_p5": a.rpo_hours.quantile(0.05), "rpo_p95": a.rpo_hours.quantile(0.95),
            "failover_success_p5": a.failover_success.quantile(0.05),
            "failover_success_p95": a.failover_success.quantile(0.95),
            "capex": a.capex.mean() if a.capex else float("nan"),
            "opex": a.opex_per_year.mean() if a.opex_per_year else float("nan"),
            "capex_multiple": a.capex_multiple.mean(),
            "opex_multiple": a.opex_multiple.mean(),
            "source": a.source or "",
        })
    return _table(rows, sim, index="architecture")


def programme_pairs(scenario: Scenario, programme: str) -> list[tuple[str, str]]:
    """(option without, the same architectures with ``programme``) for every option the scenario has both of.

    Options are paired by what they run (architecture, tiers, per-service choices), not by
    name, so a shipped ``skills_programme`` option pairs with the baseline it extends.
    """
    with_it = {o.runs: o.name for o in scenario.options if o.skills == programme}
    return [(o.name, with_it[o.runs]) for o in scenario.options if o.skills is None and o.runs in with_it]


def programme_table(result: Appraisal, programme: str) -> pd.DataFrame:
    """Each architecture without and with a skills programme, against the baseline [currency].

    Rows are the options without the programme; columns their NPV, the NPV with it, the
    programme's increment (paired, same trials), and ROI, payback and P(NPV > 0) with it.
    """
    sim, inv = result.simulation, result.investment
    rows = []
    for without, with_it in programme_pairs(sim.scenario, programme):
        rows.append({
            "option": without, "with_programme": with_it,
            "npv_without": inv.loc[without, "npv_mean"],
            "npv_with": inv.loc[with_it, "npv_mean"],
            "programme_adds": inv.loc[with_it, "npv_mean"] - inv.loc[without, "npv_mean"],
            "roi_with": inv.loc[with_it, "roi"],
            "payback_with": inv.loc[with_it, "payback"],
            "p_npv_with": inv.loc[with_it, "p_npv_positive"],
        })
    columns = ["option", "with_programme", "npv_without", "npv_with", "programme_adds", "roi_with", "payback_with",
               "p_npv_with"]  # given, so that a scenario with no pairs gets an empty table, not an error
    return _table(pd.DataFrame(rows, columns=columns).set_index("option"), sim)


#: The executive table's columns (:meth:`Appraisal.comparison`), in reading order.
COMPARISON = ("annual_cost", "ale", "loss_avoided", "capacity_benefit", "npv_mean", "npv_p5", "npv_p95",
              "p_npv_positive", "roi", "payback", "var_95", "var_99", "availability")


@dataclasses.dataclass(frozen=True)
class Appraisal:
    """Every table of one simulation, and the decision they support on one basis of benefit.

    The decision (:func:`riskmodel.analysis.decision.decide`) takes the option with the
    highest mean NPV among those within the scenario's risk tolerance: the board's
    appetite is a limit, and NPV chooses how to stay within it, so the answer may be an
    option that costs money. When no option is within, none is recommended; when the
    best is the baseline, the answer is to keep today's posture. ``investment`` and
    ``cash_flows`` count benefit on ``basis``; ``investment_by_basis`` holds both bases.
    """

    simulation: Simulation
    basis: str  #: the basis of benefit the decision uses: "cash" or "capacity"
    decision: Decision
    risk: pd.DataFrame
    investment: pd.DataFrame
    investment_by_basis: dict[str, pd.DataFrame]
    cash_flows: pd.DataFrame
    components: pd.DataFrame
    threats: pd.DataFrame
    services: pd.DataFrame
    concentration: pd.Series
    buildings: pd.DataFrame
    exceedance: pd.DataFrame
    tolerance: pd.DataFrame | None
    architectures: pd.DataFrame
    #: The NPVs, cash flows and decision count the market's and the regulator's charges
    #: (``beyond_pnl: include: true``, :mod:`riskmodel.analysis.charging`); the risk tables never do.
    charges_counted: bool = False

    @property
    def within_tolerance(self) -> pd.Series:
        """Per option, whether its simulated exceedance stays within every point of the risk tolerance."""
        options = self.simulation.options
        if self.tolerance is None:
            return pd.Series(True, index=pd.Index(options, name="option"))
        return ~self.tolerance["breached"].groupby(level="option", sort=False).any().reindex(options)

    @property
    def best_npv(self) -> str:
        """The option with the highest mean NPV, whatever its risk."""
        return self.investment["npv_mean"].idxmax()

    @property
    def recommended(self) -> str | None:
        """The recommended investment, or None when today's posture is kept or no option is within tolerance."""
        return self.decision.option if self.decision.status == "invest" else None

    @property
    def argued_for(self) -> str:
        """The option a business case studies: the recommended one, the best alternative when today's
        posture is kept (the baseline against itself says nothing), or the closest when none is within."""
        return self.decision.studied

    def comparison(self) -> pd.DataFrame:
        """The one table an executive reads: cost, avoided loss, NPV, ROI, payback, tail losses."""
        table = pd.concat([self.investment, self.risk], axis=1)[list(COMPARISON)]
        table.attrs["currency"] = self.simulation.scenario.currency
        return table


def appraise(sim: Simulation, basis: str | None = None) -> Appraisal:
    """Build every table from a simulation, and decide on ``basis`` ("cash" or "capacity").

    ``basis`` defaults to the one an adaptive run settled on, else the scenario's
    ``finance.benefit_basis``.

    Examples
    --------
    >>> from riskmodel import load, simulate, appraise
    >>> result = appraise(simulate(load("data/scenarios/kakao-2022.yaml"), 2_000), basis="cash")  # doctest: +SKIP
    >>> result.decision.status, result.decision.option  # doctest: +SKIP
    """
    basis = basis or sim.basis or sim.scenario.finance.benefit_basis
    if basis not in BENEFIT_BASES:
        raise ValueError(f"basis: {basis!r} — must be one of {', '.join(BENEFIT_BASES)}")
    # With beyond_pnl included, the NPVs (and what they rest on) count the market's and the
    # regulator's charges, from a second run of the same futures; the risk tables stay operating losses.
    charged = charging.counted(sim)
    priced = charged or sim
    flows = cash_flows(priced, basis)
    by_basis = {b: investment_table(priced, flows if b == basis else None, b) for b in BENEFIT_BASES}
    return Appraisal(
        simulation=sim, basis=basis, decision=decision.decide(priced, basis, losses=sim), risk=risk_table(sim),
        investment=by_basis[basis], investment_by_basis=by_basis, cash_flows=flows,
        components=components_table(sim), threats=threats_table(sim), services=services_table(sim),
        concentration=concentration(sim), buildings=_buildings(sim),
        exceedance=exceedance_curve(sim), tolerance=tolerance_table(sim), architectures=architectures_table(sim),
        charges_counted=charged is not None,
    )
