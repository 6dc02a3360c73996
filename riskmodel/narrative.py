"""Sentences a CFO can read aloud, generated from an appraisal, in Korean or English.

Presentation layer (used by the app and the reports): every figure comes from the
:class:`~riskmodel.appraisal.Appraisal`, formatted by :mod:`riskmodel.format`.
"""

from __future__ import annotations

from .appraisal import Appraisal
from .format import money, percent

SENTENCES = {
    "recommend": {
        "en": "Recommended: {option}.",
        "ko": "권고안은 {option}입니다.",
    },
    "no_option_pays": {
        "en": "At these assumptions no option pays for itself on expected loss alone, so the status quo "
              "({option}) stays the recommendation; the case for more rests on the tail below.",
        "ko": "현재 가정에서는 기대손실만으로 비용을 회수하는 대안이 없어 현행 유지({option})가 권고안입니다. "
              "추가 투자의 근거는 아래의 극단 손실에 있습니다.",
    },
    "economics_more": {
        "en": "Moving to {option} costs {cost} a year more than today and avoids {avoided} of expected loss a "
              "year; over {years} years its NPV is {npv} (P5 {p5}, P95 {p95}), positive in {p} of simulated "
              "futures.",
        "ko": "{option}(으)로 전환하면 현행보다 연 {cost}이 더 들고 연간 기대손실 {avoided}을 줄입니다. {years}년 "
              "순현재가치는 {npv}(하위 5% {p5}, 상위 5% {p95})이며, 모의실험한 미래의 {p}에서 이익입니다.",
    },
    "economics_less": {
        "en": "Moving to {option} costs {cost} a year less than today and avoids {avoided} of expected loss a "
              "year; over {years} years its NPV is {npv} (P5 {p5}, P95 {p95}), positive in {p} of simulated "
              "futures.",
        "ko": "{option}(으)로 전환하면 현행보다 연 {cost}이 덜 들고 연간 기대손실 {avoided}을 줄입니다. {years}년 "
              "순현재가치는 {npv}(하위 5% {p5}, 상위 5% {p95})이며, 모의실험한 미래의 {p}에서 이익입니다.",
    },
    "status_quo": {
        "en": "Today ({option}) the expected annual loss is {ale}, and a 1-in-100-year loss reaches {var99}.",
        "ko": "현행({option})의 연간 기대손실은 {ale}이며, 100년에 한 번 수준의 손실은 {var99}에 이릅니다.",
    },
    "tail": {
        "en": "{option} cuts the 1-in-100-year loss from {before} to {after} at an annual cost of {cost}.",
        "ko": "{option}은(는) 연 {cost}의 비용으로 100년에 한 번 수준의 손실을 {before}에서 {after}(으)로 줄입니다.",
    },
}


def sentences(result: Appraisal, lang: str = "en") -> list[str]:
    """Three or four sentences on the recommendation, its economics and the tail risk."""
    sim = result.simulation
    cur, base = sim.scenario.currency, sim.scenario.baseline.name
    inv, risk = result.investment, result.risk
    m = lambda v: money(v, cur, lang)  # noqa: E731
    say = lambda key, **v: SENTENCES[key][lang].format(**v)  # noqa: E731
    var99 = risk[f"VaR 99% (1-in-100-year loss) [{cur}]"]
    out = [say("status_quo", option=base, ale=m(risk[f"ALE [{cur}/yr]"][base]), var99=m(var99[base]))]
    best = result.recommended
    if best == base:
        out.append(say("no_option_pays", option=base))
    else:
        row = inv.loc[best]
        extra = row[f"annual cost [{cur}/yr]"] - inv.loc[base, f"annual cost [{cur}/yr]"]
        out.append(say("recommend", option=best))
        out.append(say("economics_more" if extra >= 0 else "economics_less", option=best, cost=m(abs(extra)),
                       avoided=m(row[f"expected loss avoided [{cur}/yr]"]), years=sim.horizon_years,
                       npv=m(row[f"NPV mean [{cur}]"]), p5=m(row[f"NPV P5 [{cur}]"]), p95=m(row[f"NPV P95 [{cur}]"]),
                       p=percent(row["P(NPV > 0) [0-1]"], lang, digits=0)))
    safest = var99.drop(base).idxmin() if len(var99) > 1 else None
    if safest is not None and var99[safest] < var99[base]:
        out.append(say("tail", option=safest, before=m(var99[base]), after=m(var99[safest]),
                       cost=m(inv.loc[safest, f"annual cost [{cur}/yr]"])))
    return out
