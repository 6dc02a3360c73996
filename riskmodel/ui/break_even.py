"""The break-even cards every page shares: worked out once a page asks, for all the session's pages.

The investment case shows every option's card, the Sensitivity page the studied option's:
one key, so both show the very same figures (:func:`riskmodel.analysis.breakeven.card`).
"""

from __future__ import annotations

import streamlit as st

from riskmodel.analysis import breakeven
from riskmodel.analysis.business_case import CONDITION_TRIALS
from riskmodel.present.i18n import t
from riskmodel.ui import state


def cards(settings: state.Settings, result, button: str) -> dict | None:
    """Every option's break-even card (:func:`breakeven.card`), once asked for on any page; None until then.

    One key for the whole session's pages, so the Sensitivity page shows the very figures this page does.
    """
    trials = min(result.simulation.trials, CONDITION_TRIALS)
    key = ("conditions", state.scenario_text(settings.scenario), *settings.run, trials)
    asked = st.session_state.setdefault("conditions_asked", set())
    if key not in asked:
        if not st.button(t("be_button", settings.lang), key=button):
            return None
        asked.add(key)
    options = [o.name for o in result.simulation.scenario.options if not o.baseline]

    def compute(progress):
        found = {}
        for i, option in enumerate(options):
            found[option] = breakeven.card(result, option, trials)
            progress(i + 1, len(options))
        return found

    return state.shown(lambda: state.shared(key, compute, t("be_working", settings.lang)))
