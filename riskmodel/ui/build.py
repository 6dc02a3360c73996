"""Build: the scenario's structure in tables — sites, services, threats, architectures, options, tolerance.

Rows are added, removed, renamed and edited in place; "Apply" makes the whole table's
edit at once on the file (:mod:`riskmodel.present.structure` → :mod:`riskmodel.edits`),
so a renamed service is renamed wherever it is used and the file keeps its comments. An
edit that would make the scenario invalid is refused with a message per row, and the
scenario stays as it was. Undo steps back one applied edit; Reset goes back to the
scenario as loaded.
"""

from __future__ import annotations

import streamlit as st

from riskmodel import ScenarioError, edits, schema
from riskmodel.present import structure
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.messages import localised
from riskmodel.ui import state

#: Steps of undo a scenario keeps (each a copy of its text, at most 1 MB).
UNDO_STEPS = 20


def _column(scenario, name: str, column: str, kind: str, lang: str):
    """The editor's column: its header in the reader's language, and what a cell may hold."""
    label = t(structure.HEADERS[(name, column)], lang)
    help_text = t("build_cell_help", lang) if kind in ("money", "number") else None
    default = structure.DEFAULTS.get((name, column))
    if kind == "source":
        return st.column_config.TextColumn(label, disabled=True, help=t("build_source_help", lang))
    if kind == "choice":
        options = structure.choices(scenario, name, column)
        first = options[0] if (name, column) == ("services", "site") else default  # a new service: the first site
        return st.column_config.SelectboxColumn(label, options=options, default=first)
    if kind == "names":
        return st.column_config.MultiselectColumn(label, options=structure.choices(scenario, name, column))
    if kind == "int":
        return st.column_config.NumberColumn(label, min_value=1, max_value=9, step=1, default=default)
    if kind == "bool":
        return st.column_config.CheckboxColumn(label)
    if kind == "share":
        return st.column_config.NumberColumn(label, min_value=0.0, max_value=100.0, format="%.2f %%")
    return st.column_config.TextColumn(label, help=help_text, required=column == "name", default=default)


def _apply(name: str, table: str, version: int, lang: str) -> None:
    """The form's submit callback: the table's edit on the file, or messages per row."""
    text = state.scenario_text(name)
    scenario = state.parsed(text)
    before = structure.table(scenario, table, lang)
    delta = st.session_state.get(f"build:{table}:{name}:{version}")
    problems = st.session_state.setdefault("build_problems", {})
    try:
        changes = structure.changes(scenario, table, before, delta)
        if not changes:
            problems[(name, table)] = []
            return
        new = edits.apply(text, changes, what=t("build_edit_of", lang, table=t(structure.TAB_LABELS[table], lang)))
    except ScenarioError as exc:
        after = [str(r.get("name", "")) for r in before.to_dict("records")]
        problems[(name, table)] = structure.by_row(exc.messages, table, after, lang)
        return
    problems[(name, table)] = []
    history = st.session_state.setdefault("build_undo", {}).setdefault(name, [])
    history.append(text)
    del history[:-UNDO_STEPS]
    state.store_edit(name, new)
    st.session_state.build_version = version + 1


def _undo(name: str) -> None:
    history = st.session_state.get("build_undo", {}).get(name, [])
    if history:
        state.store_edit(name, history.pop())
        st.session_state.build_version = st.session_state.get("build_version", 0) + 1


def _reset(name: str) -> None:
    state.reset_edits(name)
    st.session_state.get("build_undo", {}).pop(name, None)
    st.session_state.build_version = st.session_state.get("build_version", 0) + 1


def render() -> None:
    settings = st.session_state.settings
    lang, name = settings.lang, settings.scenario
    text = state.scenario_text(name)
    scenario = state.parsed(text)
    st.title(t("page_build", lang))
    st.caption(t("build_caption", lang, currency=scenario.currency))
    version = st.session_state.get("build_version", 0)
    left, right, _ = st.columns([1, 2, 5])
    left.button(t("build_undo", lang), key="build_undo_button", on_click=_undo, args=(name,),
                disabled=not st.session_state.get("build_undo", {}).get(name))
    right.button(t("reset", lang), key="build_reset", on_click=_reset, args=(name,),
                 disabled=text == state.original_text(name))
    with st.expander(t("build_reference", lang)):
        st.markdown(schema.markdown())  # every field, generated from the schema (docs/scenario-reference.md)
    # A choice kept in the session, not tabs: after an edit the page shows the same table again.
    table = st.radio(t("build_part", lang), list(structure.TABLES), horizontal=True, key=f"build_table:{name}",
                     format_func=lambda n: t(structure.TAB_LABELS[n], lang))
    with st.form(f"build_form:{table}:{name}:{version}"):
        frame = structure.table(scenario, table, lang)
        st.data_editor(frame, num_rows="dynamic", hide_index=True, width="stretch",
                       key=f"build:{table}:{name}:{version}",
                       column_config={c: _column(scenario, table, c, kind, lang)
                                      for c, kind in structure.TABLES[table].items()})
        st.caption(t(structure.HELP[table], lang))
        st.form_submit_button(t("apply", lang), on_click=_apply, args=(name, table, version, lang))
    for problem in st.session_state.get("build_problems", {}).get((name, table), []):
        st.error(t("edit_rejected", lang) + " " + markdown_text(localised(problem, lang)))
