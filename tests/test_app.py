"""The app on the default scenario, every page in both languages (AppTest, no browser)."""

import pathlib

import pytest
from streamlit.testing.v1 import AppTest

APP = str(pathlib.Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["investment_case", "risk", "architectures", "assumptions"]
PAGE_SCRIPT = """
import streamlit as st
from riskmodel.ui import state, {page}
st.session_state.settings = state.sidebar()
{page}.render()
"""


def test_app_opens_on_the_investment_case_with_results():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.subheader[0].value.startswith("권고안")
    assert at.dataframe[0].value.shape[1] == 7  # one column per kakao-2022 option


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page, lang):
    at = AppTest.from_string(PAGE_SCRIPT.format(page=page), default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    assert not at.exception
    assert at.title[0].value


def test_switching_language_changes_the_words():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Recommended option")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_uploads_are_checked_before_anything_changes(lang):
    from riskmodel.ui.state import MAX_UPLOAD_BYTES, read_upload

    too_big, problems = read_upload(b"x" * (MAX_UPLOAD_BYTES + 1), lang)
    assert too_big is None and "1" in problems[0]
    binary, problems = read_upload(b"\x89PNG\r\n\x1a\n\xff\xfe", lang)
    assert binary is None and problems
    bad, problems = read_upload(b"name: x\ncurrency: USD\nimpact: {fine: -1}\n", lang)
    assert bad is None and any("impact.fine" in p for p in problems)


def test_downloaded_yaml_uploads_back_identically():
    from riskmodel import load, loads
    from riskmodel.ui.state import read_upload

    scenario = load(pathlib.Path(APP).parent / "data" / "scenarios" / "kakao-2022.yaml")
    text, problems = read_upload(scenario.to_yaml().encode("utf-8"), "en")
    assert not problems and loads(text) == scenario
