"""Tables for people: each column in one unit, money by locale, headers in the reader's language."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from riskmodel import Appraisal
from riskmodel.present import labels
from riskmodel.present.format import duration, money, percent
from riskmodel.present.i18n import t
from riskmodel.present.names import KINDS, Names


def money_column(values, currency: str, lang: str) -> list[str]:
    """Money figures in the unit of the column's largest, so they line up (억 원 throughout)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    like = max(finite) if finite else None
    return [money(v, currency, lang, like=like) for v in values]


def values_shown(values: list, kind: str, currency: str, lang: str) -> list[str]:
    """Values of one column as text, by the registry's kind (:class:`riskmodel.present.labels.Field`).

    Kinds: ``money`` [currency] in the unit of the column's largest, ``share`` [0–1] as a
    percentage, ``hours`` [h], ``int`` a whole number, ``years`` [yr], ``percent`` already
    in %, ``number`` plain, ``flag`` a yes/no; anything else as it is.
    """
    if kind == "money":
        return money_column(values, currency, lang)
    if kind == "share":
        return [percent(v, lang) for v in values]
    if kind == "hours":
        return [f"{v:,.2f}" if np.isfinite(v) else "–" for v in values]
    if kind == "percent":
        return [f"{v:.3f}%" for v in values]
    if kind == "int":
        return [f"{v:,.0f}" if np.isfinite(v) else "–" for v in values]
    if kind == "years":
        return [t("years_unit", lang, n=v) if np.isfinite(v) else "–" for v in values]
    if kind == "flag":
        return [t("yes" if v else "no", lang) for v in values]
    return [f"{v:.2f}" if isinstance(v, float) else v for v in values]


def formatted(df: pd.DataFrame, keys: list[str], names: Names) -> pd.DataFrame:
    """Columns ``keys`` of ``df`` formatted and labelled in ``names.lang``, as the labels registry says (its index too).

    Options, services, sites, threats and architectures, in the index or in a column of that
    name, are shown by :class:`riskmodel.present.names.Names`.
    """
    lang, currency = names.lang, names.scenario.currency
    headers = [labels.label(n, lang) if n in labels.FIELDS else n for n in df.index.names]
    index = names.index(df.index).set_names(headers if df.index.nlevels > 1 else headers[0])

    def shown(key):
        if key in KINDS:
            return [names.of(key, v) for v in df[key]]
        return values_shown(df[key].tolist(), labels.kind(key), currency, lang)
    return pd.DataFrame({labels.label(key, lang): shown(key) for key in keys}, index=index)


#: Figures of the executive table measured against the baseline: they mean nothing for the baseline itself.
AGAINST_BASELINE = ("loss_avoided", "capacity_benefit", "npv_mean", "npv_p5", "npv_p95", "p_npv_positive", "roi",
                    "payback")


def shown_order(result: Appraisal) -> list[str]:
    """The options in the order a comparison shows them: today, the option the case argues for, then the rest.

    So the two a reader compares first sit side by side, at the left of a table too wide for the screen.
    """
    first = [result.simulation.scenario.baseline.name, result.argued_for]
    return list(dict.fromkeys(first + list(result.simulation.options)))


def options_described(result: Appraisal, lang: str) -> list[tuple[str, str | None]]:
    """Each option's name and what it is (its ``description``), in :func:`shown_order`."""
    names = Names(result.simulation.scenario, lang)
    return [(names.option(o), names.description(o)) for o in shown_order(result)]


def comparison_table(result, lang: str) -> pd.DataFrame:
    """The executive table (rows: figures; columns: options, in :func:`shown_order`), labelled and formatted in ``lang``."""
    table = result.comparison().loc[shown_order(result)]
    names = Names(result.simulation.scenario, lang)
    shown = formatted(table, list(table.columns), names)
    shown.loc[names.option(result.simulation.scenario.baseline.name),
              [labels.label(key, lang) for key in AGAINST_BASELINE]] = "–"
    return shown.T


def risk_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """The risk table (:attr:`Appraisal.risk`), every column labelled and formatted in ``lang``."""
    return formatted(result.risk, list(result.risk.columns), Names(result.simulation.scenario, lang))


def tolerance_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """Options × tolerance points: the simulated annual probability, ✗ where it is above the accepted one."""
    cur = result.simulation.scenario.currency
    tol = result.tolerance
    names = Names(result.simulation.scenario, lang)
    columns = {}
    for loss, ok in result.simulation.scenario.risk_tolerance:
        rows = tol[tol["loss"] == loss]
        label = t("tolerance_cell", lang, loss=money(loss, cur, lang), ok=percent(ok, lang))
        columns[label] = [f"{percent(p, lang)} {'✗' if bad else '✓'}"
                          for p, bad in zip(rows["simulated_p"], rows["breached"])]
    return pd.DataFrame(columns, index=pd.Index(names.options(tol.index.unique()), name=t("option", lang)))


def buildings_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """What losing each site costs (:attr:`Appraisal.buildings`), labelled and formatted in ``lang``."""
    names = Names(result.simulation.scenario, lang)
    shown = formatted(result.buildings, ["threat", "outage_hours", "services_down", "loss"], names)
    shown[labels.label("services_down", lang)] = [", ".join(names.service(s) for s in down.split(", "))
                                                  for down in result.buildings["services_down"]]
    return shown


def _span(low: float, high: float, fmt) -> str:
    return fmt(low) if math.isclose(low, high) else f"{fmt(low)} – {fmt(high)}"


def architectures_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """The appraisal's architectures table in words: scopes, ranges and costs by locale."""
    cur = result.simulation.scenario.currency
    arch = result.architectures
    names = Names(result.simulation.scenario, lang)

    def cost(column: str, multiple: str) -> list[str]:  # absolute, or a multiple of the infrastructure cost
        absolute = money_column(arch[column].tolist(), cur, lang)
        return [a if math.isfinite(v) else t("times_infra", lang, x=m)
                for a, v, m in zip(absolute, arch[column], arch[multiple])]

    def span(hours: float) -> str:
        return duration(hours, lang)

    return pd.DataFrame({
        t("preset", lang): [names.architecture(p) if p else "–" for p in arch["preset"]],
        t("covers", lang): [", ".join(t(f"scope_{s}", lang) for s in c.split(", ")) if c else t("nothing", lang)
                            for c in arch["covers"]],
        t("failover_control", lang): [t(f"control_{c}", lang) for c in arch["failover_control"]],
        t("rto", lang): [_span(lo, hi, span) for lo, hi in zip(arch["rto_p5"], arch["rto_p95"])],
        t("rpo", lang): [_span(lo, hi, span) for lo, hi in zip(arch["rpo_p5"], arch["rpo_p95"])],
        t("failover_success", lang): [_span(lo, hi, lambda v: percent(v, lang, 0)) for lo, hi in
                                      zip(arch["failover_success_p5"], arch["failover_success_p95"])],
        t("capex", lang): cost("capex", "capex_multiple"),
        t("opex", lang): cost("opex", "opex_multiple"),
        t("source", lang): [s or t("no_source", lang) for s in arch["source"]],
    }, index=pd.Index([names.architecture(a) for a in arch.index], name=t("architecture", lang)))


def tiers_table(result: Appraisal, lang: str) -> pd.DataFrame:
    """Option × service: the architecture protecting that service under that option."""
    names = Names(result.simulation.scenario, lang)
    tiers = result.services["architecture"].unstack("service").reindex(result.simulation.options)
    tiers = tiers[[s.name for s in result.simulation.scenario.services]].map(names.architecture)
    tiers.columns = pd.Index([names.service(s) for s in tiers.columns], name=t("service", lang))
    tiers.index = pd.Index(names.options(tiers.index), name=t("option", lang))
    return tiers


def programme_shown(pairs: pd.DataFrame, names: Names) -> pd.DataFrame:
    """:func:`riskmodel.analysis.appraisal.programme_table` labelled and formatted in ``names.lang``."""
    shown = formatted(pairs, list(pairs.columns), names)
    shown.index = pd.Index(names.options(pairs.index), name=t("option", names.lang))
    shown[labels.label("with_programme", names.lang)] = names.options(pairs["with_programme"])
    return shown
