"""Investment case: the decision, the figures it rests on, and every option against the status quo."""

from __future__ import annotations

import streamlit as st

from riskmodel.analysis.beyond_pnl import charges
from riskmodel.analysis.business_case import CONDITION_TRIALS
from riskmodel.present import beyond_pnl as beyond
from riskmodel.present import charts, conditions, tables
from riskmodel.present import decision as decision_text
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.names import Names
from riskmodel.present.narrative import sentences
from riskmodel.ui import break_even, state

CARDS_PER_ROW = 3


def _cards(result, lang: str) -> None:
    """The decision's figures at a glance, each with its standard error or interval, and the verdicts behind it."""
    figures = decision_text.figures(result, lang)
    # Three a row: five side by side cut "115억 원 ± 4,543만 원" short at 1440 px.
    for row in range(0, len(figures), CARDS_PER_ROW):
        shown = figures[row:row + CARDS_PER_ROW]
        for column, figure in zip(st.columns(CARDS_PER_ROW), shown):
            column.metric(figure.label, figure.value, figure.detail, delta_color="off", delta_arrow="off",
                          border=True)
    with st.expander(t("decision_reasons", lang)):
        st.markdown("\n".join("- " + markdown_text(line) for line in decision_text.reasons(result, lang)))
    st.caption(decision_text.precision_text(result, lang))


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    result = state.current(settings)
    sim = result.simulation
    st.title(markdown_text(decision_text.finding(result, lang)))
    st.caption(t("caption", lang, name=markdown_text(sim.scenario.name), trials=sim.trials, years=sim.horizon_years,
                 currency=sim.scenario.currency))
    st.subheader(markdown_text(decision_text.headline(result, lang)))
    _cards(result, lang)
    st.markdown(markdown_text(" ".join(sentences(result, lang))))
    st.markdown("\n".join(f"- **{markdown_text(name)}**" + (f" — {markdown_text(what)}" if what else "")
                           for name, what in tables.options_described(result, lang)))
    table = tables.comparison_table(result, lang)
    st.dataframe(table, width="stretch", height=36 * (len(table) + 1) + 2,  # every row, no inner scroll
                 column_config={"_index": st.column_config.Column(width="medium")})
    st.plotly_chart(charts.expense_investment_figure(result, lang), width="stretch")
    _conditions(settings, result)
    _beyond_pnl(settings, result)
    _business_case(settings)


def _beyond_pnl(settings: state.Settings, result) -> None:
    """What the market and the regulator charged, beside the cash figures, where the scenario gives them."""
    found = charges(result)
    if found is None:
        return
    lang, given = settings.lang, result.simulation.scenario.beyond_pnl
    st.subheader(t("bp_title", lang))
    names = Names(result.simulation.scenario, lang)
    st.caption(t("bp_caption", lang, threat=markdown_text(names.threat(found.attrs["threat"])),
                 source=markdown_text(given.source or t("no_source", lang))))
    st.dataframe(beyond.table(found, names), width="stretch")
    st.markdown(markdown_text(beyond.sentence(result, found, lang)))


def _conditions(settings: state.Settings, result) -> None:
    """What would have to be true for each option to pay: made on request (some seconds), then kept."""
    lang = settings.lang
    st.subheader(t("be_title", lang))
    trials = min(result.simulation.trials, CONDITION_TRIALS)  # as the report's
    st.caption(conditions.caption(result, trials, lang))
    cards = break_even.cards(settings, result, "conditions_button")
    if cards is not None:
        st.table(conditions.table(cards, Names(result.simulation.scenario, lang)))  # sentences wrap here


def _business_case(settings: state.Settings) -> None:
    """The report and workbook of the scenario on screen, made on request (a few seconds) and then kept."""
    lang = settings.lang
    st.subheader(t("business_case", lang))
    key = (state.scenario_text(settings.scenario), *settings.run, lang)
    prepared = st.session_state.setdefault("reports", set())
    if key not in prepared:
        if not st.button(t("prepare_report", lang), key="prepare_report"):
            st.caption(t("prepare_report_help", lang))
            return
        prepared.add(key)
    with st.spinner(t("preparing_report", lang)):
        html, xlsx = state.shown(lambda: state.report_files(*key))
    name = state.file_stem(settings.scenario)
    left, right = st.columns(2)
    left.download_button(t("download_report", lang), html, file_name=f"{name}-{lang}.html", mime="text/html",
                         key="download_report")
    right.download_button(t("download_workbook", lang), xlsx, file_name=f"{name}.xlsx", key="download_workbook",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
