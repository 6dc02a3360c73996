"""Tables for people: each column in one unit, money by locale, headers in the reader's language."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from riskmodel import Appraisal
from riskmodel.models import skills
from riskmodel.present.format import duration, money, percent
from riskmodel.present.i18n import t


def money_column(values, currency: str, lang: str) -> list[str]:
    """Money figures in the unit of the column's largest, so they line up (억 원 throughout)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    like = max(finite) if finite else None
    return [money(v, currency, lang, like=like) for v in values]


def formatted(df: pd.DataFrame, columns: dict[str, tuple[str, str]], currency: str, lang: str) -> pd.DataFrame:
    """``df`` with ``columns`` (source column → (text key, kind)) formatted and relabelled.

    Kinds: ``money`` [currency], ``share`` [0–1] as a percentage, ``hours`` [h], ``int``
    a whole number, ``years`` [yr], ``percent`` already in %, ``number`` plain, ``flag`` a yes/no.
    """
    out = {}
    for column, (key, kind) in columns.items():
        values = df[column].tolist()
        if kind == "money":
            out[t(key, lang)] = money_column(values, currency, lang)
        elif kind == "share":
            out[t(key, lang)] = [percent(v, lang) for v in values]
        elif kind == "hours":
            out[t(key, lang)] = [f"{v:,.2f}" if np.isfinite(v) else "–" for v in values]
        elif kind == "percent":
            out[t(key, lang)] = [f"{v:.3f}%" for v in values]
        elif kind == "int":
            out[t(key, lang)] = [f"{v:,.0f}" if np.isfinite(v) else "–" for v in values]
        elif kind == "years":
            out[t(key, lang)] = [t("years_unit", lang, n=v) if np.isfinite(v) else "–" for v in values]
        elif kind == "flag":
            out[t(key, lang)] = [t("yes" if v else "no", lang) for v in values]
        else:
            out[t(key, lang)] = [f"{v:.2f}" if isinstance(v, float) else v for v in values]
    return pd.DataFrame(out, index=df.index)


ROWS = (  # (text key, comparison column without the currency, kind)
    ("annual_cost", "annual cost [{c}/yr]", "money"),
    ("ale", "ALE [{c}/yr]", "money"),
    ("loss_avoided", "loss avoided [{c}/yr]", "money"),
    ("capacity_freed", "capacity freed [{c}/yr]", "money"),
    ("npv", "NPV mean [{c}]", "money"),
    ("npv_p5", "NPV P5 [{c}]", "money"),
    ("npv_p95", "NPV P95 [{c}]", "money"),
    ("p_npv", "P(NPV > 0)", "share"),
    ("roi", "ROI", "share"),
    ("payback", "payback [yr]", "years"),
    ("loss_20", "1-in-20 loss [{c}]", "money"),
    ("loss_100", "1-in-100 loss [{c}]", "money"),
    ("availability", "availability [%]", "percent"),
)


AGAINST_BASELINE = ("loss_avoided", "capacity_freed", "npv", "npv_p5", "npv_p95", "p_npv", "roi", "payback")


def comparison_table(result, lang: str) -> pd.DataFrame:
    """The executive table, labelled and formatted in ``lang``."""
    cur = result.simulation.scenario.currency
    table = result.comparison()
    fmt = {
        "money": lambda values: money_column(values, cur, lang),
        "share": lambda values: [percent(v, lang) for v in values],
        "years": lambda values: ["–" if math.isnan(v) else t("years_unit", lang, n=v) for v in values],
        "percent": lambda values: [f"{v:.3f}%" for v in values],
    }
    rows = {t(key, lang): fmt[kind](table[column.format(c=cur)].tolist()) for key, column, kind in ROWS}
    shown = pd.DataFrame(rows, index=table.index)
    # Figures measured against the baseline mean nothing for the baseline itself.
    shown.loc[result.simulation.scenario.baseline.name, [t(key, lang) for key in AGAINST_BASELINE]] = "–"
    return shown.T


RISK_COLUMNS = {  # column of Appraisal.risk without the currency → (text key, kind)
    "ALE [{c}/yr]": ("ale", "money"),
    "ALE standard error [{c}/yr]": ("ale_se", "money"),
    "median annual loss [{c}]": ("median_loss", "money"),
    "VaR 95% (1-in-20-year loss) [{c}]": ("loss_20", "money"),
    "TVaR 95% [{c}]": ("tvar_95", "money"),
    "VaR 99% (1-in-100-year loss) [{c}]": ("loss_100", "money"),
    "TVaR 99% [{c}]": ("tvar_99", "money"),
    "P(annual loss > 0) [0-1]": ("p_loss", "share"),
    "expected downtime [h/yr]": ("downtime", "hours"),
    "availability [%]": ("availability", "percent"),
    "nines [-]": ("nines", "number"),
}


def risk_table(result: Appraisal, lang: str):
    cur = result.simulation.scenario.currency
    return formatted(result.risk, {k.format(c=cur): v for k, v in RISK_COLUMNS.items()}, cur, lang)


def tolerance_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """Options × tolerance points: the simulated annual probability, ✗ where it is above the accepted one."""
    cur = result.simulation.scenario.currency
    tol = result.tolerance
    columns = {}
    for loss, ok in result.simulation.scenario.risk_tolerance:
        rows = tol[tol[f"loss [{cur}]"] == loss]
        label = t("tolerance_cell", lang, loss=money(loss, cur, lang), ok=percent(ok, lang))
        columns[label] = [f"{percent(p, lang)} {'✗' if bad else '✓'}"
                          for p, bad in zip(rows["simulated P [0-1]"], rows["breached"])]
    return pd.DataFrame(columns, index=pd.Index(tol.index.unique(), name=t("option", lang)))


def buildings_table(result: Appraisal, lang: str):
    cur = result.simulation.scenario.currency
    return formatted(result.buildings, {
        "threat": ("threat", "text"), "outage [h]": ("outage_hours", "hours"),
        "services down": ("services_down", "text"), f"loss [{cur}]": ("loss", "money")}, cur, lang)


def _span(low: float, high: float, fmt) -> str:
    return fmt(low) if math.isclose(low, high) else f"{fmt(low)} – {fmt(high)}"


def architectures_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """The appraisal's architectures table in words: scopes, ranges and costs by locale."""
    cur = result.simulation.scenario.currency
    arch = result.architectures

    def cost(column: str, multiple: str) -> list[str]:
        absolute = money_column(arch[column].tolist(), cur, lang)
        return [a if math.isfinite(v) else t("times_infra", lang, x=m)
                for a, v, m in zip(absolute, arch[column], arch[multiple])]

    def span(hours: float) -> str:
        return duration(hours, lang)

    return pd.DataFrame({
        t("preset", lang): arch["preset"],
        t("covers", lang): [", ".join(t(f"scope_{s}", lang) for s in c.split(", ")) if c else t("nothing", lang)
                            for c in arch["covers"]],
        t("failover_control", lang): [t(f"control_{c}", lang) for c in arch["failover control"]],
        t("rto", lang): [_span(lo, hi, span) for lo, hi in zip(arch["RTO P5 [h]"], arch["RTO P95 [h]"])],
        t("rpo", lang): [_span(lo, hi, span) for lo, hi in zip(arch["RPO P5 [h]"], arch["RPO P95 [h]"])],
        t("failover_success", lang): [_span(lo, hi, lambda v: percent(v, lang, 0)) for lo, hi in
                                      zip(arch["failover success P5 [0-1]"], arch["failover success P95 [0-1]"])],
        t("capex", lang): cost(f"capex [{cur}]", "capex multiple [x infra cost]"),
        t("opex", lang): cost(f"opex [{cur}/yr]", "opex multiple [x infra cost/yr]"),
        t("source", lang): [s or t("no_source", lang) for s in arch["source"]],
    }, index=pd.Index(arch.index, name=t("architecture", lang)))


def tiers_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """Option × service: the architecture protecting that service under that option."""
    tiers = result.services["architecture"].unstack("service").reindex(result.simulation.options)
    tiers.columns.name = t("service", lang)
    tiers.index.name = t("option", lang)
    return tiers[[s.name for s in result.simulation.scenario.services]]


def freed_table(programme, horizon: int) -> pd.DataFrame:
    """Freed capacity year by year at the programme's expected inputs."""
    return skills.freed_capacity_table(
        programme.engineers, programme.loaded_cost_per_engineer.mean(), programme.toil_share_now.mean(),
        programme.toil_share_target.mean(), programme.ramp_years, programme.value_of_freed_hour_multiplier.mean(),
        horizon)


def programme_shown(pairs: pd.DataFrame, currency: str, lang: str) -> pd.DataFrame:
    """:func:`riskmodel.analysis.appraisal.programme_table` labelled and formatted in ``lang``."""
    c = currency
    shown = formatted(pairs, {
        "with programme": ("with_programme", "text"),
        f"NPV without [{c}]": ("npv_without", "money"), f"NPV with [{c}]": ("npv_with", "money"),
        f"programme adds [{c}]": ("programme_adds", "money"), "ROI with [-]": ("roi", "share"),
        "payback with [yr]": ("payback", "years"), "P(NPV > 0) with [0-1]": ("p_npv", "share")}, c, lang)
    shown.index.name = t("option", lang)
    return shown
