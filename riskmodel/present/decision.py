"""The decision in words and figures: its headline, the verdicts it rests on with their
standard errors, both bases of benefit, and how precise the run was (DESIGN §9).

The app's first page and the report's first page show the same :func:`figures`, so a
figure has one definition wherever it is read. Texts are the ``decision_*``, ``verdict_*``,
``precision_*`` and ``figure_*`` entries of the catalogs.
"""

from __future__ import annotations

import dataclasses

from riskmodel.analysis import precision
from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.decision import Verdict, npv_estimates
from riskmodel.present.format import money, money_se, percent
from riskmodel.present.i18n import N_, t
from riskmodel.present.names import Names

#: The heading of each decision status: only an investment is ever called recommended.
HEADLINES = {"invest": N_("recommended"), "keep": N_("decision_keep"), "none_within": N_("decision_none_within")}
BASES = {"cash": N_("basis_cash"), "capacity": N_("basis_capacity")}
STATES = {"pass": N_("verdict_pass"), "fail": N_("verdict_fail"), "borderline": N_("verdict_borderline")}
CONDITIONS = {"npv_precision": N_("condition_npv_precision"), "lead_clear": N_("condition_lead_clear"),
              "tolerance_clear": N_("condition_tolerance_clear")}


@dataclasses.dataclass(frozen=True)
class Figure:
    """One headline figure as a reader sees it: a label, the value, and its uncertainty or context."""

    key: str  #: a stable name: "extra_cost", "npv_cash", "npv_capacity", "var_99" or "ale"
    label: str
    value: str
    detail: str
    number: float  #: the value itself [its unit], for tests and the workbook


def headline(result: Appraisal, lang: str = "en") -> str:
    """The answer in one line: a recommended investment, keeping today's posture, or no option within tolerance."""
    d = result.decision
    return t(HEADLINES[d.status], lang, option=Names(result.simulation.scenario, lang).option(d.option))


def finding(result: Appraisal, lang: str = "en") -> str:
    """The page's title: what the numbers say for this scenario, not a slogan.

    Which option pays on the decision's basis (or that none does, or that none keeps the
    losses within the tolerance), and what full duplication (active-active on every service,
    where the scenario has that option) comes to beside it.
    """
    d = result.decision
    sim = result.simulation
    cur = sim.scenario.currency
    npv, _ = npv_estimates(sim, d.basis)
    names = list(sim.options)
    n = Names(sim.scenario, lang).option
    basis = basis_name(d.basis, lang)
    if d.status == "invest":
        head = t("finding_invest", lang, option=n(d.option), npv=money(d.npv, cur, lang), basis=basis)
    elif d.status == "keep":
        head = t("finding_keep", lang, basis=basis)
    else:
        head = t("finding_none_within", lang, option=n(d.option))
    full = sim.scenario.uniform_option("active_active")
    if full is None or full == d.option:
        return head
    return head + t("finding_full", lang, option=n(full), npv=money(float(npv[names.index(full)]), cur, lang))


def basis_name(basis: str, lang: str = "en") -> str:
    """A basis of benefit by name: "cash" or "cash + freed capacity"."""
    return t(BASES[basis], lang)


def verdict_text(v: Verdict, names: Names) -> str:
    """A verdict with its standard error and its state: pass, fail or borderline, in ``names.lang``."""
    lang, currency = names.lang, names.scenario.currency
    state = t(STATES[v.state], lang)
    if v.kind == "tolerance":
        return t("verdict_tolerance", lang, option=names.option(v.option), loss=money(v.loss, currency, lang),
                 p=percent(v.value, lang, 2), se=percent(v.se, lang, 2), ok=percent(v.threshold, lang, 2), state=state)
    return t("verdict_lead", lang, option=names.option(v.option), against=names.option(v.against), diff=money(v.value, currency, lang),
             se=money(v.se, currency, lang), state=state)


def precision_text(result: Appraisal, lang: str = "en") -> str:
    """How many trials the figures rest on, and whether an adaptive run reached its precision."""
    sim = result.simulation
    status = precision.status(sim, result.basis)
    trials = f"{sim.trials:,}"
    if status is None:
        return t("precision_fixed", lang, trials=trials)
    if status.settled:
        return t("precision_settled", lang, trials=trials, achieved=percent(status.achieved, lang, 2),
                 target=percent(status.target, lang, 2))
    unmet = ", ".join(t(CONDITIONS[c], lang) for c in status.unmet)
    return t("precision_capped", lang, trials=trials, achieved=percent(status.achieved, lang, 2),
             target=percent(status.target, lang, 2), unmet=unmet)


def figures(result: Appraisal, lang: str = "en") -> list[Figure]:
    """Page one's figures for the option the case is about, each with its ± SE or 90 % interval.

    The option is the recommended one, or the best alternative when today's posture is
    kept, or the closest when none is within tolerance (``Appraisal.argued_for``). NPV is
    shown on both bases of benefit, the chosen one first.
    """
    sim = result.simulation
    cur, base, option = sim.scenario.currency, sim.scenario.baseline.name, result.argued_for
    m = lambda v: money(v, cur, lang)  # noqa: E731

    def alike(v, like):  # an interval's ends in one unit and precision: "45.6억 원 ~ 198.0억 원"
        return money(v, cur, lang, like=like)
    inv, risk = result.investment, result.risk
    extra = float(inv.loc[option, "annual_cost"] - inv.loc[base, "annual_cost"])
    out = [Figure("extra_cost", t("card_extra_cost", lang), ("+" if extra > 0 else "") + m(extra),
                  t("card_cost_today", lang, value=m(inv.loc[base, "annual_cost"])), extra)]
    for basis in (result.basis, *(b for b in result.investment_by_basis if b != result.basis)):
        row = result.investment_by_basis[basis].loc[option]
        wide = max(abs(row["npv_p5"]), abs(row["npv_p95"]))
        label = t("card_npv_basis", lang, years=sim.horizon_years, basis=basis_name(basis, lang))
        out.append(Figure(f"npv_{basis}", label,
                          t("plus_minus", lang, value=m(row["npv_mean"]),
                            se=money_se(row["npv_se"], row["npv_mean"], cur, lang)),
                          t("card_npv_range", lang, p5=alike(row["npv_p5"], wide), p95=alike(row["npv_p95"], wide))
                          + " · " + t("card_p_npv", lang, p=percent(row["p_npv_positive"], lang),
                                      se=percent(row["p_npv_positive_se"], lang)),
                          float(row["npv_mean"])))
    r = risk.loc[option]
    out.append(Figure("var_99", t("card_loss_100", lang), m(r["var_99"]),
                      t("card_interval", lang, low=alike(r["var_99_low"], r["var_99_high"]),
                        high=alike(r["var_99_high"], r["var_99_high"]))
                      + " · " + t("card_today", lang, value=m(risk.loc[base, "var_99"])), float(r["var_99"])))
    out.append(Figure("ale", t("ale", lang), t("plus_minus", lang, value=m(r["ale"]),
                                                     se=money_se(r["ale_se"], r["ale"], cur, lang)),
                      t("card_today", lang, value=m(risk.loc[base, "ale"])), float(r["ale"])))
    return out


def reasons(result: Appraisal, lang: str = "en") -> list[str]:
    """The verdicts the answer rests on, each in a line, and the basis it was decided on."""
    names = Names(result.simulation.scenario, lang)
    d = result.decision
    lines = [t("decision_basis", lang, basis=basis_name(d.basis, lang))]
    if result.charges_counted:
        lines.append(t("decision_charges", lang))
    lines += [verdict_text(v, names) for v in d.verdicts]
    return lines
