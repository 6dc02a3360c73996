"""What the market and the regulator charge, beside the cash figures (DESIGN §9): never in cash unless asked.

A whole-site loss costs a listed company more than its operating losses: its market value
falls (event studies of IT failures: about 2 % over two days; Kakao in October 2022:
some 5.6 %), and a regulator may fine it or order spending. Per option, these charges
are counted in *baseline-equivalent events*: the option's loss from the whole-site-loss
threat (:func:`riskmodel.analysis.recovery.whole_site_loss`) over what one such event costs
the baseline now — an option that rides out a site loss faces the market's verdict on
the part it does not ride out. So charge [currency/yr] = that count × (market value ×
reaction share + regulatory cost), at the inputs' means, and the option's NPV with the
charges adds the present value of what it saves of the baseline's charge.
"""

from __future__ import annotations

import pandas as pd

from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.charging import cost_per_event
from riskmodel.analysis.decision import tolerance_verdicts
from riskmodel.analysis.recovery import whole_site_loss
from riskmodel.models.finance import discount_factors

COLUMNS = ("market", "regulatory", "avoided_pv", "npv", "npv_with")


def charges(result: Appraisal) -> pd.DataFrame | None:
    """Per option: the market's and the regulator's charge a year [currency/yr], the present value of
    what it avoids of the baseline's [currency], its NPV on the decision's basis and with the charges
    [currency]; None when the scenario gives no ``beyond_pnl`` or has no site threat.

    Examples
    --------
    >>> from riskmodel import load, simulate, appraise  # doctest: +SKIP
    >>> charges(appraise(simulate(load("kakao-2022"), 5_000)))["market"]["status_quo_2022"]  # doctest: +SKIP
    """
    sim = result.simulation
    scenario = sim.scenario
    given = scenario.beyond_pnl
    threat = whole_site_loss(scenario)
    per_event = cost_per_event(sim, threat) if threat else None
    if given is None or threat is None or not per_event:
        return None
    events = result.threats[threat] / per_event  # baseline-equivalent site losses a year, per option
    market = events * given.market_value.mean() * given.market_reaction.mean()
    regulatory = events * given.regulatory_cost.mean()
    base = scenario.baseline.name
    pv = float(discount_factors(scenario.finance.discount_rate, sim.horizon_years).sum())
    avoided = ((market[base] + regulatory[base]) - (market + regulatory)) * pv
    # Where the appraisal counts them, its NPVs already hold the charges (analysis.charging).
    shown = result.investment["npv_mean"]
    npv, with_them = (shown - avoided, shown) if result.charges_counted else (shown, shown + avoided)
    table = pd.DataFrame({"market": market, "regulatory": regulatory, "avoided_pv": avoided, "npv": npv,
                          "npv_with": with_them}, columns=list(COLUMNS))
    table.attrs.update(currency=scenario.currency, threat=threat, included=result.charges_counted)
    return table


def best_with(result: Appraisal, table: pd.DataFrame) -> tuple[str, float] | None:
    """Among the options within the risk tolerance, the one with the highest NPV once the charges
    count, if it beats keeping today's posture; None otherwise (DESIGN §9's rule, on these NPVs)."""
    tol = tolerance_verdicts(result.simulation)
    within = [o for o in table.index if o != result.simulation.scenario.baseline.name
              and all(v.passes for v in tol[o])]
    if not within:
        return None
    best = max(within, key=lambda o: table.loc[o, "npv_with"])
    return (best, float(table.loc[best, "npv_with"])) if table.loc[best, "npv_with"] > 0 else None
