"""Sentences a CFO can read aloud, generated from an appraisal, in Korean or English.

Presentation layer (used by the app and the reports): every figure comes from the
:class:`~riskmodel.analysis.appraisal.Appraisal`, formatted by :mod:`riskmodel.present.format`;
the sentences are the ``narrative_*`` entries of the catalogs (:mod:`riskmodel.present.i18n`).
"""

from __future__ import annotations

from babel.numbers import format_decimal

from riskmodel.analysis.appraisal import Appraisal, programme_pairs
from riskmodel.present.decision import basis_name, verdict_text
from riskmodel.present.format import LOCALES, money, percent
from riskmodel.present.i18n import t
from riskmodel.present.names import Names


def _worst_breach(result: Appraisal, option: str) -> tuple[float, float, float] | None:
    """(loss, simulated P, accepted P) of the tolerance point an option overshoots most, or None."""
    if result.tolerance is None:
        return None
    rows = result.tolerance.loc[[option]]
    rows = rows[rows["breached"]]
    if rows.empty:
        return None
    worst = (rows["simulated_p"] / rows["acceptable_p"]).to_numpy().argmax()
    row = rows.iloc[worst]
    return float(row["loss"]), float(row["simulated_p"]), float(row["acceptable_p"])


def sentences(result: Appraisal, lang: str = "en") -> list[str]:
    """Three to six sentences: the answer (when no option is within tolerance, that first),
    today, why, its economics on both bases of benefit, what is borderline, the tail risk."""
    sim = result.simulation
    cur, base = sim.scenario.currency, sim.scenario.baseline.name
    inv, risk, d = result.investment, result.risk, result.decision
    m = lambda v: money(v, cur, lang)  # noqa: E731
    pct = lambda v: percent(v, lang)  # noqa: E731
    var99 = risk["var_99"]
    npv = inv["npv_mean"]
    names = Names(sim.scenario, lang)
    n = names.option
    out = []
    if d.status == "none_within":
        gap = d.shortfall
        out.append(t("narrative_none_within", lang, option=n(d.option), loss=m(gap.loss), p=pct(gap.simulated_p),
                     ok=pct(gap.acceptable_p), now=m(gap.loss_at_acceptable)))
    out.append(t("narrative_status_quo", lang, option=n(base), ale=m(risk["ale"][base]), var99=m(var99[base])))
    breach = _worst_breach(result, base)
    if breach and d.status != "none_within":
        out.append(t("narrative_breach", lang, option=n(base), loss=m(breach[0]), p=pct(breach[1]), ok=pct(breach[2])))
    if d.status == "keep":
        out.append(t("narrative_keep", lang, option=n(base), alternative=n(d.studied), npv=m(npv[d.studied]),
                     basis=basis_name(d.basis, lang)))
    elif d.status == "invest":
        best = d.option
        out.append(t("narrative_recommend_best" if result.tolerance is None else "narrative_recommend_within",
                     lang, option=n(best), basis=basis_name(d.basis, lang)))
        out += _economics(result, best, lang)
    rival = result.best_npv
    rival_breach = _worst_breach(result, rival)
    if d.status == "invest" and rival not in (d.option, base) and rival_breach and npv[rival] > npv[d.option]:
        cheaper = inv.loc[rival, "annual_cost"] < inv.loc[base, "annual_cost"]
        out.append(t("narrative_cheaper_but_breaches" if cheaper else "narrative_higher_but_breaches", lang,
                     option=n(rival), npv=m(npv[rival]), loss=m(rival_breach[0]), p=pct(rival_breach[1]),
                     ok=pct(rival_breach[2])))
    if d.borderline:
        out.append(t("narrative_borderline", lang, verdicts="; ".join(verdict_text(v, names)
                                                                       for v in d.borderline)))
    safest = var99.drop(base).idxmin() if len(var99) > 1 else None
    if len(out) < 5 and safest is not None and var99[safest] < var99[base]:
        out.append(t("narrative_tail", lang, option=n(safest), before=m(var99[base]), after=m(var99[safest]),
                     cost=m(inv.loc[safest, "annual_cost"])))
    return out


def _economics(result: Appraisal, option: str, lang: str) -> list[str]:
    """What the option costs and returns on the chosen basis, and its NPV on the other basis."""
    sim = result.simulation
    cur, base = sim.scenario.currency, sim.scenario.baseline.name
    inv = result.investment
    m = lambda v: money(v, cur, lang)  # noqa: E731
    row = inv.loc[option]
    extra = row["annual_cost"] - inv.loc[base, "annual_cost"]
    freed = row["capacity_benefit"]
    counted = result.basis == "capacity" and abs(freed) > 0
    gains = t("narrative_gains_loss_and_capacity" if counted else "narrative_gains_loss", lang,
              avoided=m(row["loss_avoided"]), freed=m(freed))
    figures = dict(cost=m(abs(extra)), gains=gains, years=sim.horizon_years, p=percent(row["p_npv_positive"], lang))
    if row["npv_mean"] < 0 and result.tolerance is not None:
        # A negative NPV bought to meet the appetite reads as a price, in positive amounts.
        out = [t("narrative_economics_price", lang, cost_pv=m(-row["npv_mean"]),
                 p5=m(-row["npv_p5"]), p95=m(-row["npv_p95"]), **figures)]
    else:
        out = [t("narrative_economics_more" if extra >= 0 else "narrative_economics_less", lang,
                 npv=m(row["npv_mean"]), p5=m(row["npv_p5"]), p95=m(row["npv_p95"]), **figures)]
    other = next(b for b in result.investment_by_basis if b != result.basis)
    alt = result.investment_by_basis[other].loc[option]
    if abs(alt["npv_mean"] - row["npv_mean"]) > 0:
        out.append(t("narrative_other_basis", lang, basis=basis_name(other, lang), npv=m(alt["npv_mean"]),
                     se=m(alt["npv_se"]), p=percent(alt["p_npv_positive"], lang)))
    return out


def programme_sentences(result: Appraisal, programme: str, freed_hours: float, freed_value: float,
                        active_active: str | None, lang: str = "en") -> list[str]:
    """Two to four sentences on a skills programme: alone, what it frees, with Active-Active.

    ``result`` is the appraisal of a scenario whose options come with and without the
    programme (:meth:`riskmodel.Scenario.with_programme_options`); ``freed_hours`` [h/yr]
    and ``freed_value`` [currency/yr] are the programme's once learnt.
    """
    sim = result.simulation
    cur, base = sim.scenario.currency, sim.scenario.baseline.name
    inv = result.investment
    m = lambda v: money(v, cur, lang)  # noqa: E731
    pairs = dict(programme_pairs(sim.scenario, programme))
    npv, cost = inv["npv_mean"], inv["annual_cost"]
    names = Names(sim.scenario, lang)
    out = []
    if base in pairs:
        alone = pairs[base]
        out.append(t("narrative_programme_alone", lang, programme=names.programme(programme), cost=m(cost[alone] - cost[base]),
                     npv=m(npv[alone]), years=sim.horizon_years, p=percent(inv.loc[alone, "p_npv_positive"], lang)))
    out.append(t("narrative_programme_freed", lang, hours=format_decimal(round(freed_hours), locale=LOCALES[lang]),
                 value=m(freed_value)))
    if active_active in pairs:
        with_it = pairs[active_active]
        out.append(t("narrative_programme_active_active", lang, aa=names.option(active_active), npv=m(npv[active_active]),
                     npv_with=m(npv[with_it]), delta=m(npv[with_it] - npv[active_active])))
        cheaper = [with_p for without, with_p in pairs.items()
                   if cost[without] < cost[active_active] and npv[with_p] > npv[active_active]]
        if cheaper:
            best = max(cheaper, key=lambda o: cost[o])  # the strongest architecture that still wins
            out.append(t("narrative_programme_beats", lang, cheaper=names.option(best), aa=names.option(active_active), npv=m(npv[best]),
                         npv_aa=m(npv[active_active])))
    return out
