"""One chunk of a run: whole seed blocks from their trials' words to per-block sums.

1. each trial's epistemic inputs and each threat's rate; 2–5. the events and what every
option loses in them (the numpy path, :mod:`riskmodel.engine.events`, or the compiled core,
:func:`riskmodel.engine.kernels.compiled_events`); 6. every option's costs and benefits,
its cash flows against the baseline and its NPV per trial; then every sum taken per seed
block and every distribution as histogram counts, so that the run's totals never depend
on how it was split into chunks (:mod:`riskmodel.engine.accumulate`).
"""

from __future__ import annotations

import numpy as np

from riskmodel.engine import kernels, rng
from riskmodel.engine.events import numpy_events
from riskmodel.engine.histogram import histogram
from riskmodel.engine.parameters import Parameters, impact_params
from riskmodel.engine.plan import Plan
from riskmodel.engine.rng import SEED_BLOCK
from riskmodel.models import finance, skills, threats
from riskmodel.scenario import BOUNDS


def run_chunk(plan: Plan, seed: int, first_block: int, n_trials_total: int, n_blocks: int,
              keep_detail: bool, engine: str = "numpy", keep_trials: bool = False) -> dict:
    """Simulate blocks ``first_block …`` of a run; return per-block sums and histograms (and, with
    ``keep_trials``, each trial's NPVs and mean annual loss; with ``keep_detail``, every record)."""
    H, S, O, K = plan.horizon, plan.n_services, plan.n_options, len(plan.threats)
    start = first_block * SEED_BLOCK
    stop = min(start + n_blocks * SEED_BLOCK, n_trials_total)
    T = stop - start
    sizes = [min(SEED_BLOCK, stop - b0) for b0 in range(start, stop, SEED_BLOCK)]

    # 1. Parameters per trial, and each threat's rate.
    trial_words = rng.chunk_words(seed, first_block, sizes)
    P = Parameters(plan, np.stack([rng.keyed_uniforms(trial_words, plan.keys[j]) for j in plan.random_cols], axis=1)
                    if plan.random_cols.size else np.zeros((T, 0)))
    # A draw past the schema's bound (the far tail of a wide range) is taken at the bound: past
    # one an hour it is no outage rate, and one trial's events would be unbounded work.
    rates = np.stack([np.broadcast_to(np.minimum(threats.annual_rate(t.form, P[:, t.rate_col]), BOUNDS["rate"][1]),
                                      (T,)) for t in plan.threats], axis=-1) if K else np.zeros((T, 0))
    trial_block = np.repeat(np.arange(len(sizes)), sizes)

    # 2–5. The events and what each option loses in them.
    ev = (kernels.compiled_events if engine == "numba" else numpy_events)(plan, P, trial_words, trial_block, rates,
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
    loss3 = loss.reshape(O, T, H)
    running = cost_run - benefit_run
    flows = (loss3[b] - loss3) + (running[b] - running)
    rate = plan.scenario.finance.discount_rate
    npv = -(capex - capex[b]) + finance.present_value(rate, flows)
    # The cash basis leaves out what a programme frees (engineer time, fewer leavers): it is
    # money only if the hours are redeployed, so a CFO may count it or not (DESIGN §9).
    cash_npv = -(capex - capex[b]) + finance.present_value(rate, (loss3[b] - loss3) + (cost_run[b] - cost_run))

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
        "cash_npv_sum": per_block(cash_npv, trial_starts),
        "cash_npv_sq": per_block(cash_npv * cash_npv, trial_starts),
        "cash_best_npv_sum": per_block(cash_npv.max(axis=0), trial_starts),
        "cash_npv_positive": (cash_npv > 0).sum(axis=1),
        # Paired differences between options on the same futures (common random numbers), summed
        # as squares of the differences themselves, not from cross products that would cancel.
        "npv_diff_sq": per_block((npv[:, None] - npv[None]) ** 2, trial_starts),
        "cash_npv_diff_sq": per_block((cash_npv[:, None] - cash_npv[None]) ** 2, trial_starts),
        "loss_hist": histogram(loss),
        "npv_hist": histogram(npv),
        "cash_npv_hist": histogram(cash_npv),
        "events": ev["events"],
        "hit_pairs": ev["hit_pairs"],
        "pairs": ev["pairs"],
    }
    if plan.scenario.risk_tolerance:
        # Each trial's years above each point, (O, points, T): one pass over the losses per point,
        # not a (O, trial-years, points) array of booleans.
        above = np.stack([(loss3 > x).sum(axis=2) for x, _ in plan.scenario.risk_tolerance], axis=1)
        out["tolerance_exceed"] = above.sum(axis=2)
        # A trial's years share its inputs, so the standard error of an exceedance probability
        # takes the trial, not the trial-year, as one observation (as the ALE's does).
        share = above / H
        out["tolerance_trial_sq"] = per_block(share * share, trial_starts)
    if keep_trials:
        out["per_trial"] = dict(npv=npv, cash_npv=cash_npv, loss=loss3.mean(axis=2))
    if keep_detail:
        out["detail"] = dict(
            loss=loss3, npv=npv, cash_npv=cash_npv, capex=capex, cost_run=cost_run, benefit_run=benefit_run,
            params=np.stack([P.random[int(j)] for j in plan.random_cols], axis=1) if plan.random_cols.size
            else np.zeros((T, 0)),
            impact=impact_params(plan, P, T),
            **ev["detail"])
        out["detail"]["event_trial"] = out["detail"]["event_trial"] + start
    return out
