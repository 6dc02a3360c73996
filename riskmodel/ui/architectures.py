"""DR architectures: the cost–risk frontier, what each architecture is, and each service's tier."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from riskmodel import Appraisal
from riskmodel.format import duration, percent

from . import charts, state
from .i18n import t
from .tables import money_column


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


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    st.title(t("page_architectures", lang))
    st.plotly_chart(charts.frontier_figure(result, lang), width="stretch")
    st.subheader(t("arch_table_title", lang))
    st.dataframe(architectures_table(result, lang), width="stretch")
    st.subheader(t("tiers_title", lang))
    st.dataframe(tiers_table(result, lang), width="stretch")
