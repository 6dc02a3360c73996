"""Investment case: the recommended option and every option against the status quo."""

from __future__ import annotations

import streamlit as st

from riskmodel.present import charts, tables
from riskmodel.present.format import money
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.narrative import sentences
from riskmodel.ui import state


def _cards(result, lang: str) -> None:
    """The recommendation's figures at a glance: what it costs, what it returns, what it does to the tail."""
    sim = result.simulation
    cur, base, best = sim.scenario.currency, sim.scenario.baseline.name, result.recommended
    inv, risk = result.investment, result.risk
    m = lambda v: money(v, cur, lang)  # noqa: E731
    extra = inv.loc[best, "annual_cost"] - inv.loc[base, "annual_cost"]
    var99 = risk["var_99"]
    tail_change = var99[best] - var99[base]
    status = ("tolerance_none" if result.tolerance is None else
              "tolerance_met" if result.within_tolerance[best] else "tolerance_breached")
    today = ("tolerance_none" if result.tolerance is None else
             "tolerance_met" if result.within_tolerance[base] else "tolerance_breached")
    cost_col, npv_col, tail_col, tol_col = st.columns([1, 1.3, 1, 0.8])
    cost_col.metric(t("card_extra_cost", lang), ("+" if extra > 0 else "") + m(extra), border=True)
    npv_col.metric(t("card_npv", lang, years=sim.horizon_years), m(inv.loc[best, "npv_mean"]),
                   t("card_npv_range", lang, p5=m(inv.loc[best, "npv_p5"]),
                     p95=m(inv.loc[best, "npv_p95"])), delta_color="off", delta_arrow="off", border=True)
    tail_col.metric(t("card_loss_100", lang), m(var99[best]),
                    ("+" if tail_change > 0 else "") + m(tail_change) if best != base else None,
                    delta_color="inverse", border=True)
    tol_col.metric(t("card_tolerance", lang), t(status, lang),
                   t("card_today", lang, value=t(today, lang)), delta_color="off", delta_arrow="off",
                   border=True)


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    sim = result.simulation
    st.title(t("app_title", lang))
    st.caption(t("caption", lang, name=markdown_text(sim.scenario.name), trials=sim.trials, years=sim.horizon_years,
                 currency=sim.scenario.currency))
    st.subheader(t("recommended", lang, option=markdown_text(result.recommended)))
    _cards(result, lang)
    st.markdown(markdown_text(" ".join(sentences(result, lang))))
    table = tables.comparison_table(result, lang)
    st.dataframe(table, width="stretch", height=36 * (len(table) + 1) + 2,  # every row, no inner scroll
                 column_config={"_index": st.column_config.Column(width="medium")})
    st.plotly_chart(charts.expense_investment_figure(result, lang), width="stretch")
    _business_case(settings)


def _business_case(settings: state.Settings) -> None:
    """The report and workbook of the scenario on screen, made on request (a few seconds) and then kept."""
    lang = settings.lang
    st.subheader(t("business_case", lang))
    key = (state.scenario_text(settings.scenario), settings.trials, settings.seed, settings.horizon,
           settings.discount_rate, lang)
    prepared = st.session_state.setdefault("reports", set())
    if key not in prepared:
        if not st.button(t("prepare_report", lang), key="prepare_report"):
            st.caption(t("prepare_report_help", lang))
            return
        prepared.add(key)
    with st.spinner(t("preparing_report", lang)):
        html, xlsx = state.shown(lambda: state.report_files(*key))
    name = settings.scenario.removeprefix(state.UPLOADED).removesuffix(".yaml")
    left, right = st.columns(2)
    left.download_button(t("download_report", lang), html, file_name=f"{name}-{lang}.html", mime="text/html",
                         key="download_report")
    right.download_button(t("download_workbook", lang), xlsx, file_name=f"{name}.xlsx", key="download_workbook",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
