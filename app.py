"""Streamlit entry point: the shared sidebar and navigation only. Pages live in riskmodel/ui/."""

import logging
import uuid

import streamlit as st

from riskmodel.present.i18n import t
from riskmodel.ui import (
    architectures,
    assumptions,
    build,
    compare,
    investment_case,
    new_scenario,
    risk,
    sensitivity,
    skills,
    state,
    workspace,
)

st.set_page_config(page_title="riskmodel", layout="wide")
try:
    st.session_state.settings = settings = state.sidebar()
    lang = settings.lang
    state.banner(settings)
    page = st.navigation([
        st.Page(investment_case.render, title=t("page_investment", lang), url_path="investment-case", default=True),
        st.Page(risk.render, title=t("page_risk", lang), url_path="risk"),
        st.Page(architectures.render, title=t("page_architectures", lang), url_path="architectures"),
        st.Page(skills.render, title=t("page_skills", lang), url_path="skills"),
        st.Page(sensitivity.render, title=t("page_sensitivity", lang), url_path="sensitivity"),
        st.Page(assumptions.render, title=t("page_assumptions", lang), url_path="assumptions"),
        st.Page(build.render, title=t("page_build", lang), url_path="build"),
        st.Page(new_scenario.render, title=t("page_new", lang), url_path="new-scenario"),
        st.Page(workspace.render, title=t("page_workspace", lang), url_path="workspace"),
        st.Page(compare.render, title=t("page_compare", lang), url_path="compare"),
    ])
    page.run()
except Exception:  # noqa: BLE001 - a person sees a short message; the server log keeps the traceback
    # Streamlit's own stop and rerun signals are BaseExceptions and pass through.
    reference = uuid.uuid4().hex[:8]
    logging.getLogger("riskmodel.app").exception("a page failed (reference %s)", reference)
    st.error(t("unexpected", st.session_state.get("lang", "ko"), reference=reference))
