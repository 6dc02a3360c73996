"""Engineer skills: what a skills programme frees, what it is worth alone and with each architecture."""

from __future__ import annotations

import math

import streamlit as st

from riskmodel import Quantity, Scenario, ScenarioError, edits
from riskmodel.analysis.appraisal import programme_table
from riskmodel.analysis.business_case import freed_capacity
from riskmodel.present import charts, tables
from riskmodel.present.format import percent
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.messages import localised
from riskmodel.present.names import Names
from riskmodel.present.narrative import programme_sentences
from riskmodel.ui import state
from riskmodel.ui.entry import entered_money, money_field

TEAM = (  # (programme field, text key, kind): what a team lead sets on this page
    ("engineers", "engineers", "count"),
    ("loaded_cost_per_engineer", "loaded_cost", "money"),
    ("toil_share_now", "toil_now", "quantity"),
    ("toil_share_target", "toil_target", "quantity"),
    ("ramp_years", "ramp_years", "number"),
    ("cost_per_engineer_per_year", "programme_cost", "money"),
)


def team_value(programme, field: str) -> float:
    """The figure the team form shows: a plain number, or an uncertain input's mean (to four digits, or whole)."""
    value = getattr(programme, field)
    if not isinstance(value, Quantity):
        return float(value)
    mean = value.mean()
    return float(round(mean)) if abs(mean) >= 1000 else float(f"{mean:.4g}")


def apply_team(text: str, index: int, values: dict[str, float]) -> str:
    """The scenario text with the programme's team fields set; an unchanged figure keeps its range and source.

    The edit is made on the file (:mod:`riskmodel.edits`), so its comments and layout stay.

    Raises
    ------
    ScenarioError
        Naming the field, the value and the rule, when a figure is not allowed.
    """
    programme = state.parsed(text).skills_programmes[index]
    for field, _, kind in TEAM:
        new = values[field]
        if math.isclose(new, team_value(programme, field), rel_tol=1e-9, abs_tol=0.0):
            continue
        path = f"skills_programmes[{index}].{field}"
        if kind in ("quantity", "money"):
            text = edits.set_input(text, path, Quantity(value=new, source="set on the Engineer skills page"))
        else:
            text = edits.set_field(text, path, int(new) if kind == "count" else new)
    return text


def _apply(name: str, index: int, version: int, lang: str) -> None:
    text = state.scenario_text(name)
    scenario = state.parsed(text)
    values = {field: st.session_state[f"team_{field}:{index}:{version}"] for field, _, _ in TEAM}
    try:
        for field, _, kind in TEAM:  # money as typed ("1.5억", "120M") to an amount
            if kind == "money":
                values[field] = entered_money(values[field], team_value(scenario.skills_programmes[index], field),
                                              scenario.currency, lang, f"skills_programmes[{index}].{field}")
        text = apply_team(text, index, values)
    except (ScenarioError, ValueError) as exc:
        st.session_state.setdefault("team_problems", {})[name] = getattr(exc, "messages", [str(exc)])
        return
    st.session_state.setdefault("team_problems", {})[name] = []
    state.store_edit(name, text)
    st.session_state.team_version = version + 1


def _team_form(name: str, scenario: Scenario, index: int, lang: str) -> None:
    programme = scenario.skills_programmes[index]
    version = st.session_state.get("team_version", 0)
    with st.form(f"team:{name}:{index}:{version}"):
        columns = st.columns(3)
        for i, (field, key, kind) in enumerate(TEAM):
            value = team_value(programme, field)
            column = columns[i % 3]
            if kind == "count":
                column.number_input(t(key, lang), min_value=0, value=int(value), step=1,
                                    key=f"team_{field}:{index}:{version}")
            elif kind == "money":
                money_field(column, t(key, lang), value, scenario.currency, lang, f"team_{field}:{index}:{version}")
            else:
                column.number_input(t(key, lang), value=float(value), format="%g",
                                    key=f"team_{field}:{index}:{version}")
        st.caption(t("team_help", lang))
        st.form_submit_button(t("apply", lang), on_click=_apply, args=(name, index, version, lang))
    for problem in st.session_state.get("team_problems", {}).get(name, []):
        st.error(t("edit_rejected", lang) + " " + markdown_text(localised(problem, lang)))


def render() -> None:
    settings = st.session_state.settings
    lang, name = settings.lang, settings.scenario
    scenario = state.parsed(state.scenario_text(name))
    st.title(t("page_skills", lang))
    st.caption(t("skills_caption", lang))
    if not scenario.skills_programmes:
        st.info(t("no_programme", lang))
        return
    names = [p.name for p in scenario.skills_programmes]
    chosen = st.selectbox(t("programme", lang), names, key=f"programme:{name}",
                          format_func=Names(scenario, lang).programme) if len(names) > 1 else names[0]
    index = names.index(chosen)
    programme = scenario.skills_programmes[index]
    st.subheader(t("team_title", lang))
    _team_form(name, scenario, index, lang)

    result = state.with_programme(settings, chosen)
    cur = scenario.currency
    freed = freed_capacity(programme, settings.horizon)
    active_active = scenario.uniform_option("active_active")
    st.markdown(markdown_text(" ".join(programme_sentences(
        result, chosen, freed["freed_hours"].iloc[-1], freed["freed_value"].iloc[-1],
        active_active, lang))))

    st.subheader(t("freed_title", lang))
    st.plotly_chart(charts.freed_capacity_figure(freed, cur, lang), width="stretch")
    table = tables.formatted(freed, ["toil_share", "freed_hours", "freed_value"], Names(scenario, lang))
    table.index = [t("year_n", lang, n=y) for y in freed.index]
    st.dataframe(table.T, width="stretch")

    st.subheader(t("programme_table_title", lang))
    pairs = programme_table(result, chosen)
    st.dataframe(tables.programme_shown(pairs, Names(scenario, lang)), width="stretch")

    if active_active is not None and active_active in pairs.index:
        with_it = pairs.loc[active_active, "with_programme"]
        st.plotly_chart(charts.with_and_without_figure(result, active_active, with_it, lang), width="stretch")
    else:
        st.info(t("no_active_active", lang))
    st.caption(t("skills_sources", lang, share=percent(programme.toil_share_now.mean(), lang),
                 source=markdown_text(programme.source) if programme.source else t("no_source", lang)))
