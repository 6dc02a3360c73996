"""Workspace: save the scenario on screen as a version, open, compare and run versions, share them.

Nothing is overwritten: a save is a new version with the version it was edited from as
its parent. When someone saved a newer one meanwhile the page says so and offers to
merge the changes into it or to save them as a branch; nothing is lost either way.
"""

from __future__ import annotations

import time

import streamlit as st

from riskmodel.present import changes as change_text
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.names import Names
from riskmodel.scenario import ScenarioError
from riskmodel.ui import state
from riskmodel.workspace import Conflict, Forbidden, MergeConflict, NotFound, Settings
from riskmodel.workspace.records import SHARING


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    st.title(t("page_workspace", lang))
    ws = state.workspace()
    st.caption(t("ws_who", lang, user=ws.name, where=state.workspace_place()))
    _save(ws, settings, lang)
    found = ws.scenarios()
    if not found:
        st.info(t("ws_empty", lang))
        return
    st.subheader(t("ws_scenarios", lang))
    refs = [s.ref for s in found]
    opened = st.session_state.get("opened", {}).get(settings.scenario)
    chosen = st.selectbox(t("ws_scenario", lang), refs, index=refs.index(opened[0]) if opened and opened[0] in refs
                          else 0, format_func=lambda r: _scenario_name(next(s for s in found if s.ref == r), lang),
                          key="ws_chosen")
    info = next(s for s in found if s.ref == chosen)
    versions = ws.versions(chosen)
    st.dataframe(change_text.versions_table(versions, info.head, lang), hide_index=True, width="stretch")
    numbers = [v.number for v in reversed(versions)]
    left, right = st.columns(2)
    with left:
        number = st.selectbox(t("ws_version", lang), numbers, key="ws_open_version")
        if st.button(t("ws_open", lang, number=number), key="ws_open", help=t("ws_open_help", lang)):
            _open(ws, chosen, number)
            st.rerun()
    with right:
        if info.mine:
            st.radio(t("ws_sharing", lang), SHARING, index=SHARING.index(info.sharing), horizontal=True,
                     format_func=lambda m: change_text.sharing(m, lang), key=f"ws_share:{chosen}",
                     on_change=_share, args=(ws, chosen))
        else:
            st.caption(t("ws_theirs", lang, owner=info.owner_name, sharing=change_text.sharing(info.sharing, lang)))
    if len(numbers) > 1:
        _diff(ws, chosen, numbers, lang)
    _runs(ws, chosen, number, settings, lang)


def _scenario_name(info, lang: str) -> str:
    owner = "" if info.mine else f" · {info.owner_name}"
    return f"{info.name}{owner} · {t('ws_versions_count', lang, n=info.versions)}"


def _save(ws, settings, lang: str) -> None:
    """Save the scenario on screen: as a new version of the one it was opened from, or under a new name."""
    st.subheader(t("ws_save_title", lang))
    opened = st.session_state.get("opened", {}).get(settings.scenario)
    with st.form("ws_save"):
        name = st.text_input(t("ws_save_as", lang), value=opened[0] if opened else state.file_stem(settings.scenario),
                             help=t("ws_save_as_help", lang))
        message = st.text_input(t("ws_message", lang), placeholder=t("ws_message_hint", lang))
        saved = st.form_submit_button(t("ws_save", lang), type="primary")
    if saved:
        parent = opened[1] if opened and opened[0] == name else None
        _do_save(ws, name.strip(), state.scenario_text(settings.scenario), message, parent, lang)
    pending = st.session_state.get("ws_conflict")
    if pending:
        st.warning(t("ws_conflict", lang, author=pending["author"], head=pending["head"], parent=pending["parent"]))
        merge, branch = st.columns(2)
        if merge.button(t("ws_merge", lang, head=pending["head"]), key="ws_merge"):
            _resolve(ws, pending, "merge", lang)
        if branch.button(t("ws_branch_save", lang), key="ws_branch"):
            _resolve(ws, pending, "branch", lang)
    if st.session_state.get("ws_saved"):
        st.success(st.session_state.pop("ws_saved"))


def _do_save(ws, name: str, text: str, message: str, parent: int | None, lang: str) -> None:
    try:
        version = ws.save(name, text, message, parent=parent)
    except Conflict as conflict:
        st.session_state.ws_conflict = {"name": name, "text": text, "message": message, "parent": conflict.parent,
                                        "head": conflict.head, "author": conflict.author}
        return
    except (ScenarioError, NotFound, Forbidden, ValueError) as refused:
        st.error(markdown_text(str(refused)))
        return
    _saved(version, lang)


def _saved(version, lang: str) -> None:
    st.session_state.pop("ws_conflict", None)
    key = st.session_state.settings.scenario
    st.session_state.setdefault("opened", {})[key] = (version.scenario, version.number)
    st.session_state.ws_saved = t("ws_saved_app", lang, scenario=version.scenario, number=version.number,
                                  where=t("ws_branch", lang) if version.branch else "")


def _resolve(ws, pending: dict, how: str, lang: str) -> None:
    try:
        if how == "merge":
            version = ws.save_merged(pending["name"], pending["text"], pending["parent"], pending["message"])
        else:
            version = ws.save(pending["name"], pending["text"], pending["message"], parent=pending["parent"],
                              branch=True)
    except MergeConflict as conflict:
        st.error(t("ws_merge_conflict", lang, what=markdown_text(str(conflict))))
        return
    _saved(version, lang)
    st.rerun()


def _open(ws, ref: str, number: int) -> None:
    """Make version ``number`` of ``ref`` the scenario on screen; a later save continues from it."""
    key = state.add_scenario(f"{ref} v{number}", ws.version(ref, number).text, state.OPENED)
    st.session_state.setdefault("opened", {})[key] = (ref, number)


def _share(ws, ref: str) -> None:
    ws.share(ref, st.session_state[f"ws_share:{ref}"])


def _diff(ws, ref: str, numbers: list[int], lang: str) -> None:
    st.subheader(t("ws_diff_title", lang))
    a_col, b_col = st.columns(2)
    b = b_col.selectbox(t("ws_diff_to", lang), numbers, index=0, key="ws_diff_b")
    a = a_col.selectbox(t("ws_diff_from", lang), numbers, index=min(1, len(numbers) - 1), key="ws_diff_a")
    first, second = ws.version(ref, a), ws.version(ref, b)
    found = ws.diff(ref, a, b)
    before, after = (Names(state.parsed(v.text), lang) for v in (first, second))
    st.markdown("\n".join(f"- {markdown_text(line)}" for line in change_text.describe_all(found, before, after)))


def _runs(ws, ref: str, number: int, settings, lang: str) -> None:
    st.subheader(t("ws_runs_title", lang))
    if st.button(t("ws_run", lang, number=number), key="ws_run"):
        text = ws.version(ref, number).text
        started = time.perf_counter()
        result = state.shown(lambda: state.run_model(text, *settings.run))
        ws.store_run(ref, number, run_settings(settings), result, time.perf_counter() - started)
    found = ws.runs(ref)
    if found:
        names = Names(state.parsed(ws.version(ref).text), lang)
        st.dataframe(change_text.runs_table(found, names, lang), hide_index=True, width="stretch")
        st.caption(t("ws_runs_compare", lang))
    else:
        st.caption(t("ws_no_runs_app", lang))


def run_settings(settings) -> Settings:
    """The sidebar's settings as a stored run keeps them (an adaptive run with its precision and cap)."""
    trials, seed, horizon, rate, basis = settings.run
    adaptive = {"precision": state.PRECISION, "max_trials": state.MAX_TRIALS} if trials is None else {}
    return Settings(trials=trials, seed=seed, horizon_years=horizon, discount_rate=rate, basis=basis, **adaptive)

