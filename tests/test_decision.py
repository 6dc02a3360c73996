"""The recommendation rules of DESIGN §9, each against figures computed here from the trials themselves."""

import math

import numpy as np
import pytest
from conftest import make

from riskmodel import appraise, simulate
from riskmodel.analysis.decision import BORDERLINE_SE, Verdict, conditions, decide
from riskmodel.present import decision as decision_text
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.present.narrative import sentences

TRIALS = 2_000
LANGS = ("en", "ko")


def dr(opex: float, name: str = "dr", capex: float = 0.0) -> dict:
    """A DR architecture for site threats that fails over in half an hour, priced in full [USD, USD/yr]."""
    return {"name": name, "covers": ["site"], "capex": capex, "opex_per_year": opex, "failover_success": 0.95,
            "rto_hours": 0.5}


def scenario(architectures, options, **changes):
    return make(architectures=architectures, options=[{"name": "none", "baseline": True}, *options], **changes)


def per_trial_se(x: np.ndarray) -> float:
    """The standard error of the mean of per-trial values, computed directly [their unit]."""
    return float(np.std(x) / math.sqrt(x.size))


@pytest.fixture(scope="module")
def invest():
    """Cheap DR against $1,000/h of revenue: worth buying; the dearer DR is the runner-up."""
    s = scenario([dr(500.0), dr(2_000.0, "dear")], [{"name": "dr", "architecture": "dr"},
                                                     {"name": "dear", "architecture": "dear"}])
    return simulate(s, TRIALS, seed=3, keep_detail=True, engine="numpy")


def test_the_npv_and_the_lead_carry_the_standard_errors_of_their_trials(invest):
    d = decide(invest, "cash")
    assert (d.status, d.option, d.runner_up) == ("invest", "dr", "dear")
    npv = invest.detail.cash_npv
    i, j = invest.options.index("dr"), invest.options.index("dear")
    # sums in a different order than the engine's: equal to rounding of TRIALS terms of size |npv|
    rounding = 4 * TRIALS * np.finfo(float).eps * np.abs(npv).max()
    assert d.npv == pytest.approx(npv[i].mean(), abs=rounding)
    assert d.npv_se == pytest.approx(per_trial_se(npv[i]), rel=1e-6)
    # paired: the SE of the difference trial by trial, far below what unpaired SEs would add up to
    diff = npv[i] - npv[j]
    assert d.lead.value == pytest.approx(diff.mean(), abs=rounding)
    assert d.lead.se == pytest.approx(per_trial_se(diff), rel=1e-6)
    assert d.lead.se < 0.5 * math.hypot(per_trial_se(npv[i]), per_trial_se(npv[j]))
    assert d.lead.state == "pass"


def test_a_tolerance_verdict_takes_the_trial_as_one_observation():
    s = scenario([dr(500.0)], [{"name": "dr", "architecture": "dr"}], risk_tolerance=[[5_000.0, 0.5]])
    sim = simulate(s, TRIALS, seed=3, keep_detail=True, engine="numpy")
    verdict = decide(sim, "cash").tolerance[0]
    base = sim.options.index(verdict.option)
    share = (sim.detail.loss[base] > 5_000.0).mean(axis=1)  # per trial: the share of its years above
    assert verdict.value == pytest.approx(share.mean(), rel=1e-12)
    assert verdict.se == pytest.approx(per_trial_se(share), rel=1e-6)


def test_no_option_within_the_tolerance_recommends_none_and_names_the_closest():
    # $100 in a year at most 1 in 1,000: every option has more fires than that
    s = scenario([dr(500.0), dr(800.0, "other")], [{"name": "dr", "architecture": "dr"},
                                                    {"name": "other", "architecture": "other"}],
                 risk_tolerance=[[100.0, 0.001]])
    sim = simulate(s, TRIALS, seed=5, keep_detail=True, engine="numpy")
    result = appraise(sim, "cash")
    d = result.decision
    above = (sim.detail.loss > 100.0).mean(axis=(1, 2)) / 0.001  # each option's breach, as a multiple
    assert d.status == "none_within" and result.recommended is None
    assert d.option == sim.options[int(np.argmin(above))]
    assert d.shortfall.option == d.option and d.shortfall.loss_at_acceptable > 100.0
    for lang in LANGS:
        head = decision_text.headline(result, lang)
        closest = Names(result.simulation.scenario, lang).option(d.option)
        assert head == t("decision_none_within", lang, option=closest)
        assert t("recommended", lang, option="").strip(" :") not in head  # never titled recommended
        first = sentences(result, lang)[0]
        assert closest in first  # said first, naming the closest


def test_the_baseline_is_kept_never_recommended_and_the_study_is_the_best_alternative():
    # DR dearer than the loss it can avoid ($1,000/h × a few fires of ~15 h a year)
    s = scenario([dr(50_000.0), dr(90_000.0, "dearer")], [{"name": "dr", "architecture": "dr"},
                                                          {"name": "dearer", "architecture": "dearer"}])
    result = appraise(simulate(s, TRIALS, seed=3, engine="numpy"), "cash")
    d = result.decision
    assert (d.status, d.option, result.recommended) == ("keep", "none", None)
    assert d.studied == result.argued_for == "dr"  # the alternative with the best (least bad) NPV
    assert result.investment.loc["dr", "npv_mean"] > result.investment.loc["dearer", "npv_mean"]
    for lang in LANGS:
        head = decision_text.headline(result, lang)
        assert head == t("decision_keep", lang, option="None")  # the option "none", unlabelled: its name in words
        assert t("recommended", lang, option="").strip(" :") not in head


def test_a_verdict_within_two_standard_errors_is_borderline_in_both_languages():
    # A first run finds the DR option's P(year > $2,000); the tolerance is then set 1 SE above it.
    options = [{"name": "dr", "architecture": "dr"}]
    first = decide(simulate(scenario([dr(500.0)], options, risk_tolerance=[[2_000.0, 0.5]]), TRIALS, seed=3),
                   "cash")
    seen = next(v for v in first.tolerance if v.option == first.option)
    s = scenario([dr(500.0)], options, risk_tolerance=[[2_000.0, seen.value + seen.se]])
    result = appraise(simulate(s, TRIALS, seed=3), "cash")
    verdict = next(v for v in result.decision.tolerance if v.option == result.decision.option)
    assert verdict.value == seen.value  # the tolerance changes no trial
    assert verdict.state == "borderline" and not verdict.clear()
    assert not conditions(result.decision, 0.5)["tolerance_clear"]
    for lang in LANGS:
        text = decision_text.verdict_text(verdict, Names(result.simulation.scenario, lang))
        assert text.endswith(t("verdict_borderline", lang))
        assert any(line == text for line in decision_text.reasons(result, lang))


@pytest.mark.parametrize("value, state", [(0.0100, "borderline"), (0.0119, "borderline"), (0.0121, "fail"),
                                          (0.0079, "pass"), (0.0081, "borderline")])
def test_borderline_is_two_standard_errors_either_side(value, state):
    assert BORDERLINE_SE == 2.0
    assert Verdict("tolerance", "x", value, 0.01, 0.001).state == state


def test_both_bases_are_computed_and_the_chosen_one_decides():
    """A skills programme that frees more engineer time than it costs, but avoids little loss:
    an investment on the capacity basis, today's posture on the cash basis."""
    programme = {"name": "sre", "engineers": 10, "loaded_cost_per_engineer": 100_000, "toil_share_now": 0.7,
                 "toil_share_target": 0.4, "ramp_years": 2, "cost_per_engineer_per_year": 20_000}
    s = make(skills_programmes=[programme],
             options=[{"name": "none", "baseline": True}, {"name": "sre", "skills": "sre"}])
    sim = simulate(s, TRIALS, seed=3, keep_detail=True, engine="numpy")
    capacity, cash = appraise(sim, "capacity"), appraise(sim, "cash")
    assert (capacity.decision.status, capacity.recommended) == ("invest", "sre")
    assert (cash.decision.status, cash.recommended) == ("keep", None)
    # the two NPVs differ by the freed capacity's present value, the same in every trial
    rate, years = s.finance.discount_rate, s.finance.horizon_years
    disc = (1 + rate) ** -np.arange(1, years + 1)
    gap = sim.detail.npv[1] - sim.detail.cash_npv[1]
    assert np.ptp(gap) < 1e-6 * np.abs(gap).max()
    assert capacity.decision.npv - cash.investment.loc["sre", "npv_mean"] == pytest.approx(gap.mean(), rel=1e-9)
    assert (sim.detail.benefit_run[1] @ disc).mean() == pytest.approx(gap.mean(), rel=1e-9)
    for result in (capacity, cash):
        for lang in LANGS:
            shown = decision_text.figures(result, lang)
            npvs = [f for f in shown if f.key.startswith("npv_")]
            other = ({"cash", "capacity"} - {result.basis}).pop()
            assert [f.key for f in npvs] == [f"npv_{result.basis}", f"npv_{other}"]  # the chosen basis first
            assert decision_text.basis_name(result.basis, lang) in decision_text.reasons(result, lang)[0]
            assert decision_text.basis_name(result.basis, lang) in " ".join(sentences(result, lang))
