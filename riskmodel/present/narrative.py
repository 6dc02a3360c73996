"""Sentences a CFO can read aloud, generated from an appraisal, in Korean or English.

Presentation layer (used by the app and the reports): every figure comes from the
:class:`~riskmodel.analysis.appraisal.Appraisal`, formatted by :mod:`riskmodel.present.format`.
"""

from __future__ import annotations

from babel.numbers import format_decimal

from riskmodel.analysis.appraisal import Appraisal, programme_pairs
from riskmodel.present.format import LOCALES, money, percent

GAINS = {  # what an option buys back a year: always avoided loss, sometimes freed capacity too
    "loss": {"en": "avoids {avoided} of expected loss a year", "ko": "연간 기대손실을 {avoided} 줄입니다"},
    "loss_and_capacity": {
        "en": "avoids {avoided} of expected loss and frees engineering time worth {freed} a year (cash only if "
              "the hours go to other work)",
        "ko": "연간 기대손실을 {avoided} 줄이고 연 {freed} 상당의 엔지니어 업무 역량을 확보합니다(확보한 시간을 다른 "
              "일에 쓸 때만 현금 가치)",
    },
}

SENTENCES = {
    "status_quo": {
        "en": "Today ({option}) the expected annual loss is {ale}, and a 1-in-100-year loss reaches {var99}.",
        "ko": "현행({option})의 연간 기대손실은 {ale} 수준이며, 100년에 한 번 수준의 손실은 {var99}에 이릅니다.",
    },
    "breach": {
        "en": "{option} breaches the risk tolerance: a year's loss exceeds {loss} with probability {p}, against "
              "{ok} accepted.",
        "ko": "{option} 안은 위험 허용 한도를 넘습니다. 연간 {loss} 넘는 손실이 날 확률이 {p}로, 허용치 {ok}보다 "
              "높습니다.",
    },
    "recommend_within": {
        "en": "Recommended: {option}, the highest NPV among the options within the risk tolerance.",
        "ko": "권고안은 위험 허용 한도 안에 드는 대안 가운데 순현재가치가 가장 높은 {option} 안입니다.",
    },
    "recommend_best": {
        "en": "Recommended: {option}, the highest expected NPV.",
        "ko": "권고안은 기대 순현재가치가 가장 높은 {option} 안입니다.",
    },
    "recommend_none_within": {
        "en": "No option keeps losses within the risk tolerance; of all of them, {option} has the highest "
              "expected NPV.",
        "ko": "위험 허용 한도를 지키는 대안이 없습니다. 전체 대안 가운데 기대 순현재가치가 가장 높은 안은 {option} "
              "안입니다.",
    },
    "no_option_pays": {
        "en": "At these assumptions no option pays for itself on expected loss alone, so the status quo "
              "({option}) stays the recommendation; the case for more rests on the tail below.",
        "ko": "현재 가정에서는 기대손실만으로 비용을 회수하는 대안이 없어 현행 유지({option})가 권고안입니다. "
              "추가 투자의 근거는 아래의 극단 손실에 있습니다.",
    },
    "economics_more": {
        "en": "It costs {cost} a year more than today and {gains}; over {years} "
              "years its NPV is {npv} (P5 {p5}, P95 {p95}), positive in {p} of simulated futures.",
        "ko": "현행보다 연 {cost}의 비용이 더 들고, {gains}. {years}년 순현재가치는 "
              "{npv}(하위 5% {p5}, 상위 5% {p95})이며, 모의실험한 미래의 {p}에서 이익입니다.",
    },
    "economics_less": {
        "en": "It costs {cost} a year less than today and {gains}; over {years} "
              "years its NPV is {npv} (P5 {p5}, P95 {p95}), positive in {p} of simulated futures.",
        "ko": "현행보다 연 {cost}의 비용이 덜 들고, {gains}. {years}년 순현재가치는 "
              "{npv}(하위 5% {p5}, 상위 5% {p95})이며, 모의실험한 미래의 {p}에서 이익입니다.",
    },
    "economics_price": {
        "en": "It costs {cost} a year more than today and {gains}; over {years} "
              "years its net present cost is {cost_pv} (90% range {p95} to {p5}): the price of staying within "
              "the risk tolerance.",
        "ko": "현행보다 연 {cost}의 비용이 더 들고, {gains}. {years}년 순현재비용은 "
              "{cost_pv}(90% 범위 {p95}~{p5})이며, 위험 허용 한도를 지키는 데 드는 값입니다.",
    },
    "higher_but_breaches": {
        "en": "{option} has a higher NPV ({npv}) but breaches the tolerance: a loss over {loss} with probability "
              "{p} a year, against {ok} accepted.",
        "ko": "{option} 안은 순현재가치({npv})가 더 높지만 위험 허용 한도를 넘습니다. 연간 {loss} 넘는 손실이 날 "
              "확률이 {p}로, 허용치 {ok}보다 높습니다.",
    },
    "cheaper_but_breaches": {
        "en": "{option} has a higher NPV ({npv}) because it spends less than today, but it breaches the tolerance: "
              "a loss over {loss} with probability {p} a year, against {ok} accepted.",
        "ko": "{option} 안은 현행보다 비용을 줄여 순현재가치({npv})가 더 높지만 위험 허용 한도를 넘습니다. 연간 "
              "{loss} 넘는 손실이 날 확률이 {p}로, 허용치 {ok}보다 높습니다.",
    },
    "tail": {
        "en": "{option} cuts the 1-in-100-year loss from {before} to {after} at an annual cost of {cost}.",
        "ko": "{option} 안은 연 {cost}의 비용으로 100년에 한 번 수준의 손실을 {before}에서 {after} 수준으로 "
              "줄입니다.",
    },
}


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
    return float(row.iloc[0]), float(row["simulated_p"]), float(row["acceptable_p"])


def sentences(result: Appraisal, lang: str = "en") -> list[str]:
    """Three to five sentences: today, the recommendation and why, its economics, the tail risk."""
    sim = result.simulation
    cur, base = sim.scenario.currency, sim.scenario.baseline.name
    inv, risk = result.investment, result.risk
    m = lambda v: money(v, cur, lang)  # noqa: E731
    pct = lambda v: percent(v, lang)  # noqa: E731
    say = lambda key, **v: SENTENCES[key][lang].format(**v)  # noqa: E731
    var99 = risk["var_99"]
    npv = inv["npv_mean"]
    out = [say("status_quo", option=base, ale=m(risk["ale"][base]), var99=m(var99[base]))]
    breach = _worst_breach(result, base)
    if breach:
        out.append(say("breach", option=base, loss=m(breach[0]), p=pct(breach[1]), ok=pct(breach[2])))
    best, within = result.recommended, result.within_tolerance
    if best == base:
        out.append(say("no_option_pays", option=base))
    else:
        reason = ("recommend_best" if result.tolerance is None else
                  "recommend_within" if within[best] else "recommend_none_within")
        out.append(say(reason, option=best))
        row = inv.loc[best]
        extra = row["annual_cost"] - inv.loc[base, "annual_cost"]
        freed = row["capacity_benefit"]
        gains = GAINS["loss_and_capacity" if abs(freed) > 0 else "loss"][lang].format(
            avoided=m(row["loss_avoided"]), freed=m(freed))
        figures = dict(cost=m(abs(extra)), gains=gains, years=sim.horizon_years, p=pct(row["p_npv_positive"]))
        if row["npv_mean"] < 0 and within[best] and result.tolerance is not None:
            # A negative NPV bought to meet the appetite reads as a price, in positive amounts.
            out.append(say("economics_price", cost_pv=m(-row["npv_mean"]), p5=m(-row["npv_p5"]),
                           p95=m(-row["npv_p95"]), **figures))
        else:
            out.append(say("economics_more" if extra >= 0 else "economics_less", npv=m(row["npv_mean"]),
                           p5=m(row["npv_p5"]), p95=m(row["npv_p95"]), **figures))
    rival = result.best_npv
    rival_breach = _worst_breach(result, rival)
    if rival not in (best, base) and rival_breach and npv[rival] > npv[best]:
        cheaper = inv.loc[rival, "annual_cost"] < inv.loc[base, "annual_cost"]
        out.append(say("cheaper_but_breaches" if cheaper else "higher_but_breaches", option=rival,
                       npv=m(npv[rival]), loss=m(rival_breach[0]), p=pct(rival_breach[1]), ok=pct(rival_breach[2])))
    safest = var99.drop(base).idxmin() if len(var99) > 1 else None
    if len(out) < 5 and safest is not None and var99[safest] < var99[base]:
        out.append(say("tail", option=safest, before=m(var99[base]), after=m(var99[safest]),
                       cost=m(inv.loc[safest, "annual_cost"])))
    return out


PROGRAMME_SENTENCES = {
    "alone": {
        "en": "Run on today's architectures, {programme} costs {cost} a year and is worth {npv} over {years} "
              "years, positive in {p} of simulated futures.",
        "ko": "현행 아키텍처에 {programme} 프로그램을 더하면 연 {cost}의 비용이 들고, {years}년 순현재가치는 {npv}이며 "
              "모의실험한 미래의 {p}에서 이익입니다.",
    },
    "freed": {
        "en": "Once learnt, it frees {hours} engineer-hours a year from routine work, worth {value} a year at "
              "loaded cost.",
        "ko": "학습이 끝나면 반복 운영 업무에서 연 {hours}시간의 엔지니어 업무 역량을 확보하며, "
              "총인건비 기준 연 {value}의 가치입니다.",
    },
    "active_active": {
        "en": "{aa} alone is worth {npv}; run by a team in the programme, {npv_with} ({delta} more).",
        "ko": "{aa} 안 단독의 순현재가치는 {npv} 수준이며, 프로그램을 거친 팀이 운영하면 "
              "{delta} 늘어 {npv_with} 수준입니다.",
    },
    "beats": {
        "en": "{cheaper}, cheaper than {aa}, run by a skilled team ({npv}) is worth more than {aa} without the "
              "skills to run it ({npv_aa}).",
        "ko": "역량 있는 팀이 운영하는 더 저렴한 {cheaper} 안({npv})이 운영 역량 없는 "
              "{aa} 안({npv_aa})보다 가치가 큽니다.",
    },
}


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
    say = lambda key, **v: PROGRAMME_SENTENCES[key][lang].format(**v)  # noqa: E731
    pairs = dict(programme_pairs(sim.scenario, programme))
    npv, cost = inv["npv_mean"], inv["annual_cost"]
    out = []
    if base in pairs:
        alone = pairs[base]
        out.append(say("alone", programme=programme, cost=m(cost[alone] - cost[base]), npv=m(npv[alone]),
                       years=sim.horizon_years, p=percent(inv.loc[alone, "p_npv_positive"], lang)))
    out.append(say("freed", hours=format_decimal(round(freed_hours), locale=LOCALES[lang]), value=m(freed_value)))
    if active_active in pairs:
        with_it = pairs[active_active]
        out.append(say("active_active", aa=active_active, npv=m(npv[active_active]), npv_with=m(npv[with_it]),
                       delta=m(npv[with_it] - npv[active_active])))
        cheaper = [with_p for without, with_p in pairs.items()
                   if cost[without] < cost[active_active] and npv[with_p] > npv[active_active]]
        if cheaper:
            best = max(cheaper, key=lambda o: cost[o])  # the strongest architecture that still wins
            out.append(say("beats", cheaper=best, aa=active_active, npv=m(npv[best]), npv_aa=m(npv[active_active])))
    return out
