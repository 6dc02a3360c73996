"""The New scenario page: a template and its answers make a scenario that every page then shows (AppTest)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from riskmodel import archetypes, loads
from riskmodel.present import decision as decision_text
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.ui.new_scenario import _services, _sites, answers_from
from riskmodel.ui.state import CREATED

SCRIPT = """
import streamlit as st
from riskmodel.ui import state, new_scenario
st.session_state.settings = state.sidebar()
new_scenario.render()
"""


def page(lang: str, template: str | None = None) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=180)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    if template:
        at.radio(key="new_template").set_value(template).run()
    return at


def create(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == t("new_create", at.session_state.lang)).click()
    return at.run()


def state_result(at: AppTest):
    """The appraisal the page showed, recomputed the way the app's cache made it (same text, settings)."""
    from riskmodel.ui import state

    settings = at.session_state["settings"]
    return state.run_model(at.session_state["uploads"][settings.scenario], *settings.run)


def values(template: str, **changes) -> dict:
    example = archetypes.ARCHETYPES[template].example
    return {"name": example["name"], "currency": example["currency"], "revenue": "80M",
            "engineers": example["engineers"], "exchange_rate": 0.0, "sites": _sites(example),
            "services": _services(example), **changes}


def test_the_forms_values_are_the_templates_answers():
    answers, problems = answers_from("b2b_saas", values("b2b_saas"))
    assert problems == [] and answers == {**archetypes.ARCHETYPES["b2b_saas"].example, "annual_revenue": 80e6,
                                          "services": [{**s, "depends_on": list(s.get("depends_on", []))}
                                                       for s in archetypes.ARCHETYPES["b2b_saas"].example["services"]]}


def test_money_in_words_and_empty_rows():
    services = pd.concat([_services(archetypes.ARCHETYPES["securities_firm"].example),
                          pd.DataFrame([{"name": None}])], ignore_index=True)
    answers, problems = answers_from("securities_firm", values("securities_firm", revenue="3,000억",
                                                               services=services))
    assert problems == [] and answers["annual_revenue"] == 3e11 and len(answers["services"]) == 3
    _, problems = answers_from("securities_firm", values("securities_firm", revenue="lots"))
    assert problems and problems[0].startswith("annual_revenue: 'lots' is not an amount of money")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_creating_a_scenario_selects_it_and_shows_its_recommendation(lang):
    at = create(page(lang, "b2b_saas"))
    assert not at.exception and not at.error
    name = CREATED + "Example B2B SaaS.yaml"
    assert at.session_state["scenario"] == name
    assert at.success and "Example B2B SaaS" in at.success[0].value
    result = state_result(at)
    assert at.subheader[0].value == markdown_text(decision_text.headline(result, lang))
    text = at.session_state["uploads"][name]
    assert loads(text) == loads(archetypes.make_text("b2b_saas", {**archetypes.ARCHETYPES["b2b_saas"].example,
                                                                  "annual_revenue": 80e6}))


def test_an_edited_services_table_is_what_the_scenario_gets():
    at = page("en", "online_retailer")
    at.session_state["new_services:online_retailer"] = {
        "edited_rows": {0: {"share": 60.0}}, "deleted_rows": [2],
        "added_rows": [{"name": "marketplace", "tier": 2, "share": 10.0, "site": "secondary",
                        "depends_on": "payments"}]}
    at = create(at)
    assert not at.exception and not at.error, [e.value for e in at.error]
    scenario = loads(at.session_state["uploads"][at.session_state["scenario"]])
    assert [s.name for s in scenario.services] == ["shop", "payments", "marketplace"]
    added = scenario.services[-1]
    assert added.site == "secondary" and added.depends_on == ("payments",) and added.tier == 2


def test_bad_answers_are_listed_and_nothing_changes():
    at = page("en", "public_service")
    at.text_input(key="new_revenue:public_service").set_value("a lot")
    at = create(at)
    assert not at.exception
    assert at.session_state["scenario"] == "kakao-2022"
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", at.error[0].value)  # as read: Markdown escapes gone
    assert len(at.error) == 1 and shown.startswith("annual_revenue: 'a lot' is not an amount of money")
