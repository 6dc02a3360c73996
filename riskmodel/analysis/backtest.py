"""Back-tests beyond Kakao: public outages priced by a minimal scenario built from their published figures alone.

Each case of ``data/reference/outage_cases.csv`` (one row per figure) becomes a scenario
with one site, one service, no DR and one event of the recorded duration
(:func:`scenario_for`), built from the case's revenue, the share of it affected, its
business model and any published compensation rule, never from its published cost; the
model's cost of that event (mean and 90 % interval over the inputs' uncertainty) is then
set beside the published cost (:func:`backtest`).

How a case's figures become the scenario, and why:

* ``revenue_per_hour`` [currency/h] = ``annual_revenue`` × the share affected
  (``revenue_share_affected``, else ``service_share_interrupted``, else all of it) / 8,760 h;
* ``recovered_fraction`` [0–1] by ``business_model``: ``per_use`` (tickets, ads: sales stop
  while down) takes the online retailer's recovered sales, ``subscription`` (billed whatever
  the uptime) the SaaS row, both from ``archetypes.csv``;
* a published fee credit (``compensation_fee_hours`` [h of fees]) is a fixed cost per event
  of that many hours of the affected revenue.

A case without revenue or duration cannot be built, and says which figure it lacks.
"""

from __future__ import annotations

import csv
import dataclasses
import functools

import numpy as np
import pandas as pd

from riskmodel.analysis import recovery
from riskmodel.archetypes import HOURS_PER_YEAR
from riskmodel.engine.run import simulate
from riskmodel.resources import reference
from riskmodel.scenario import Scenario, load

CASES = "outage_cases.csv"
#: Off by more than this factor either way, a case's row says what the minimal model leaves out.
WITHIN = 3.0
#: The archetypes.csv row each business model takes its recovered sales from.
RECOVERED_FROM = {"per_use": "online_retailer", "subscription": "b2b_saas"}


@dataclasses.dataclass(frozen=True)
class Case:
    """One public outage: its figures [their units], by name, with the source of each."""

    name: str
    figures: dict[str, str]
    units: dict[str, str]
    sources: dict[str, str]
    notes: dict[str, str]

    def number(self, figure: str) -> float | None:
        value = self.figures.get(figure, "").strip()
        return float(value) if value else None

    @property
    def currency(self) -> str:
        """The currency its published cost is in (the first word of its unit, ``USD``, ``KRW`` …)."""
        return self.units.get("published_cost", "").split(" ")[0]


def cases() -> list[Case]:
    """Every case of ``outage_cases.csv``, in the file's order."""
    grouped: dict[str, list[dict[str, str]]] = {}
    with reference(CASES).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            grouped.setdefault(row["case"], []).append(row)
    return [Case(name, *({r["figure"]: r[column] for r in rows} for column in ("value", "unit", "source", "note")))
            for name, rows in grouped.items()]


@functools.cache
def _recovered(archetype: str) -> dict:
    with reference("archetypes.csv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["archetype"] == archetype and r["figure"] == "recovered_fraction")
    return {"pert": [float(row[k]) for k in ("low", "likely", "high")],
            "source": f"archetypes.csv {archetype} recovered_fraction ({row['confidence']}): {row['source']}"}


def missing(case: Case) -> list[str]:
    """The figures a minimal scenario needs that the case does not give."""
    return [f for f in ("annual_revenue", "duration_hours", "published_cost", "business_model")
            if not case.figures.get(f, "").strip()]


def scenario_for(case: Case) -> Scenario:
    """The minimal scenario of ``case`` (module notes); its published cost is never read.

    Examples
    --------
    >>> meta = next(c for c in cases() if c.name == "meta_2021")
    >>> round(scenario_for(meta).services[0].impact.revenue_per_hour.value / 1e6, 2)
    13.46
    """
    lacking = missing(case)
    if lacking:
        raise ValueError(f"case {case.name}: no {', '.join(lacking)} in {CASES}, so no scenario can be built")
    if case.units["annual_revenue"].split(" ")[0] != case.currency:
        raise ValueError(f"case {case.name}: annual_revenue is in {case.units['annual_revenue']!r} but published_cost "
                         f"in {case.units['published_cost']!r}; give both in one currency")
    share_figure = next((f for f in ("revenue_share_affected", "service_share_interrupted")
                         if case.number(f) is not None), None)
    share = case.number(share_figure) if share_figure else 1.0
    revenue = case.number("annual_revenue")
    per_hour = revenue * share / HOURS_PER_YEAR
    cite = (f"{CASES} {case.name}: annual_revenue ({case.sources['annual_revenue']})"
            + (f" × {share_figure} {share:g} ({case.sources[share_figure]})" if share_figure else " × 1 (all of it)")
            + f" / {HOURS_PER_YEAR:,} h")
    impact: dict = {"revenue_per_hour": {"value": per_hour, "source": cite},
                    "recovered_fraction": _recovered(RECOVERED_FROM[case.figures["business_model"]])}
    fee_hours = case.number("compensation_fee_hours")
    if fee_hours:
        impact["incident_fixed_cost"] = {"value": fee_hours * per_hour,
                                         "source": f"{CASES} {case.name}: compensation_fee_hours {fee_hours:g} "
                                                   f"({case.sources['compensation_fee_hours']}) × revenue per hour"}
    hours = case.number("duration_hours")
    return Scenario.from_dict({
        "name": f"back-test {case.name}", "currency": case.currency, "sites": [{"name": "site"}],
        "services": [{"name": "service", "site": "site", "impact": impact}],
        "threats": [{"name": "outage", "scope": "site", "category": "facility", "sites": {"site": 1.0},
                     "rate": {"value": 1.0}, "duration_hours": {"value": hours, "source": case.sources["duration_hours"]}}],
        "options": [{"name": "as_it_was", "baseline": True}]})


def backtest(trials: int = 4_000, seed: int = 20221015) -> pd.DataFrame:
    """Each case's model cost of its one event beside its published cost.

    Returns
    -------
    pandas.DataFrame
        Indexed by case: ``currency``, ``hours`` [h], ``published`` [currency], the model's
        ``mean``, ``se``, ``p05`` and ``p95`` [currency] of the event's cost, ``ratio`` (model
        mean / published), ``within`` (inside a factor :data:`WITHIN`), ``why`` (the case's
        ``model_caveat`` where it is not within; what the case lacks where it cannot be built).

    Examples
    --------
    >>> backtest().loc["kt_2021", "within"]  # doctest: +SKIP
    True
    """
    rows = {}
    for case in cases():
        published = case.number("published_cost")
        row = dict(currency=case.currency, hours=case.number("duration_hours"),
                   published=published, mean=np.nan, se=np.nan, p05=np.nan, p95=np.nan, ratio=np.nan,
                   within=False, why=case.notes.get("model_caveat", ""))
        if missing(case):
            row["why"] = f"not built: no {', '.join(missing(case))} published. " + row["why"]
            rows[case.name] = row
            continue
        sim = simulate(scenario_for(case), trials, horizon_years=1, seed=seed, keep_detail=True)
        cost = sim.detail.pair_cost[0]  # one service: one pair per event
        mean = float(cost.mean())
        row.update(mean=mean, se=float(cost.std(ddof=1) / np.sqrt(cost.size)),
                   p05=float(np.quantile(cost, 0.05)), p95=float(np.quantile(cost, 0.95)), ratio=mean / published)
        row["within"] = bool(1 / WITHIN <= row["ratio"] <= WITHIN)
        if row["within"]:
            row["why"] = ""
        rows[case.name] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def kakao_in_sample(trials: int = 4_000, seed: int = 20221015) -> tuple[float, float, float]:
    """kakao-2022's cost of one 127.5 h Pangyo fire under its baseline [KRW], its SE, and Kakao's own estimate.

    In-sample: the scenario's compensation rates are calibrated on this very event, so it
    checks the calibration, not the model.
    """
    scenario = load("kakao-2022")
    sim = recovery.one_site_loss(scenario.with_only_options([]), "pangyo_site_loss", recovery.KAKAO_HOURS, trials,
                                 seed)
    cost = recovery.per_event(sim.detail.pair_cost[:1], sim.detail.pair_event, "sum")[0]
    with reference("kakao_2022.csv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["figure"] == "short_term_financial_impact")
    assert row["unit"] == "KRW 억", row["unit"]  # the file gives it in 억 (1e8 KRW)
    return float(cost.mean()), float(cost.std(ddof=1) / np.sqrt(cost.size)), float(row["value"]) * 1e8
