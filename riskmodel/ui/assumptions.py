"""Assumptions: every input of the scenario, grouped as the scenario is, with its range and source.

One input is edited at a time in a form (low, most likely and high are applied together,
so a range can be widened without passing through an invalid state). A valid edit is
kept for every page and re-runs the model; an invalid one shows the field, the value and
the rule, and the results on screen stay those of the last valid scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskmodel import Quantity, ScenarioError, edits
from riskmodel.present import assumptions as inputs
from riskmodel.present.format import money
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.messages import localised
from riskmodel.present.names import Names
from riskmodel.ui import state
from riskmodel.ui.entry import entered_money, money_field

EDITABLE_FORMS = ("value", "ci90", "pert", "uniform", "triangular", "lognormal")


@st.cache_data(show_spinner=False, max_entries=16)
def inputs_table(text: str, lang: str) -> pd.DataFrame:
    """:func:`riskmodel.present.assumptions.inputs_table` of a scenario given as YAML text, cached on the text."""
    return inputs.inputs_table(state.parsed(text), lang)


def apply_edit(text: str, path: str, form: str, low: float, likely: float, high: float,
               source: str) -> tuple[str | None, list[str]]:
    """The scenario text with one input set, or (None, messages naming the field and the rule)."""
    try:
        quantity = Quantity.from_summary(form, low, likely, high, source.strip() or None)
    except ValueError as exc:
        problems = getattr(exc, "errors", None)
        rule = problems()[0]["msg"].removeprefix("Value error, ") if callable(problems) else str(exc)
        return None, [f"{path} = {form} ({low:g}, {likely:g}, {high:g}): {rule}"]
    try:
        # On the file itself, so its comments and layout are kept in what is downloaded.
        return edits.set_input(text, path, quantity), []
    except ScenarioError as exc:
        return None, exc.messages


def _apply(name: str, path: str, version: int, shown: dict[str, float], lang: str) -> None:
    """The form's submit callback: it runs before the script, so one run shows the edit.

    ``shown`` holds the figures the form started with, by slot, where they are money typed as text.
    """
    values = [st.session_state[f"edit_{field}:{path}:{version}"] for field in ("form", "low", "likely", "high",
                                                                               "source")]
    currency = state.parsed(state.scenario_text(name)).currency
    try:
        for i, slot in enumerate(("low", "likely", "high"), start=1):
            if slot in shown:
                values[i] = entered_money(values[i], shown[slot], currency, lang, f"{path}.{slot}")
    except ValueError as exc:
        st.session_state.setdefault("edit_problems", {})[name] = [str(exc)]
        return
    text, problems = apply_edit(state.scenario_text(name), path, *values)
    st.session_state.setdefault("edit_problems", {})[name] = problems
    if not problems:
        state.store_edit(name, text)
        st.session_state.edit_version = version + 1


def _reset(name: str) -> None:
    state.reset_edits(name)
    st.session_state.setdefault("edit_problems", {})[name] = []
    st.session_state.edit_version = st.session_state.get("edit_version", 0) + 1


def _editor(name: str, table: pd.DataFrame, currency: str, lang: str) -> None:
    labels = dict(zip(table.index, table[t("input", lang)]))
    path = st.selectbox(t("edit_input", lang), list(table.index), format_func=labels.get, key=f"edit_path:{name}")
    row = table.loc[path]
    version = st.session_state.get("edit_version", 0)
    with st.form(f"edit:{name}:{path}:{version}"):
        current_form = row[t("form", lang)]
        st.selectbox(t("form", lang), EDITABLE_FORMS, key=f"edit_form:{path}:{version}",
                     index=EDITABLE_FORMS.index(current_form) if current_form in EDITABLE_FORMS else 0)
        is_money = path.rsplit(".", 1)[-1] in inputs.MONEY  # typed as people write money: 1,218억, 121.9M
        shown = {}
        # The middle figure is what the form makes it: the most likely value, or the median of a ci90.
        middle = {"likely": "ap_likely", "median": "ap_median", "midpoint": "ap_midpoint"}.get(
            inputs.CENTRAL.get(current_form), "likely")
        for column, field in zip(st.columns(3), ("low", "likely", "high")):
            value = float(row[t(field, lang)])
            label = t(middle if field == "likely" else field, lang)
            if is_money:
                shown[field] = value
                money_field(column, label, value, currency, lang, f"edit_{field}:{path}:{version}")
            else:
                column.number_input(label, value=value, format="%g", key=f"edit_{field}:{path}:{version}")
        source = row[t("source", lang)]
        st.text_input(t("source", lang), value="" if source == t("no_source", lang) else source,
                      key=f"edit_source:{path}:{version}")
        st.caption(t("form_help", lang))
        st.form_submit_button(t("apply", lang), on_click=_apply, args=(name, path, version, shown, lang))


def _headline(settings: state.Settings, edited: bool) -> None:
    """What the edits do to the answer: the status quo's ALE and the NPV of the option the case
    argues for, against the scenario as loaded."""
    lang = settings.lang
    result = state.current(settings)
    loaded = state.current(settings, original=True) if edited else result
    cur = result.simulation.scenario.currency
    base = result.simulation.scenario.baseline.name
    best = result.argued_for
    names = Names(result.simulation.scenario, lang)
    left, right = st.columns(2)
    for column, label, value, before, colour in (
            (left, t("headline_ale", lang, option=markdown_text(names.option(base))), result.risk["ale"][base],
             loaded.risk["ale"].get(base), "inverse"),  # more loss is bad news
            (right, t("headline_npv", lang, option=markdown_text(names.option(best))),
             result.investment["npv_mean"][best],
             loaded.investment["npv_mean"].get(best), "normal")):
        change = None if not edited or before is None else value - before
        delta = None if change is None else ("+" if change > 0 else "") + money(change, cur, lang)
        column.metric(label, money(value, cur, lang), delta, delta_color=colour, border=True)


def render() -> None:
    settings = st.session_state.settings
    lang, name = settings.lang, settings.scenario
    text = state.scenario_text(name)
    table = inputs_table(text, lang)
    edited = text != state.original_text(name)
    st.title(t("page_assumptions", lang))
    st.caption(t("assumptions_caption", lang))
    _headline(settings, edited)
    for problem in st.session_state.get("edit_problems", {}).get(name, []):
        st.error(t("edit_rejected", lang) + " " + markdown_text(localised(problem, lang)))
    if edited:
        st.info(t("edited_note", lang))
    st.button(t("reset", lang), disabled=not edited, key="reset", on_click=_reset, args=(name,))
    _editor(name, table, state.parsed(text).currency, lang)
    group = t("group", lang)
    for label, rows in table.groupby(group, sort=False):
        with st.expander(f"{markdown_text(label)} ({len(rows)})", expanded=False):
            st.dataframe(rows.drop(columns=[group]).reset_index(drop=True), width="stretch", hide_index=True)
