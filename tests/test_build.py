"""The Build page: structure edited in tables reaches the file as meant, keeps its comments, and undoes (AppTest)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from riskmodel import loads
from riskmodel.present import structure
from riskmodel.present.i18n import t
from riskmodel.scenario import shipped_scenarios

SCRIPT = """
import streamlit as st
from riskmodel.ui import state, build
st.session_state.settings = state.sidebar()
build.render()
"""
ORIGINAL = shipped_scenarios()["kakao-2022"].read_text(encoding="utf-8")
TABLES = list(structure.TABLES)


def page(lang: str = "en") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    return at.run()


def apply(at: AppTest, table: str, delta: dict) -> AppTest:
    at.radio(key="build_table:kakao-2022").set_value(table).run()
    version = at.session_state["build_version"] if "build_version" in at.session_state else 0
    at.session_state[f"build:{table}:kakao-2022:{version}"] = delta
    next(b for b in at.button if b.label == t("apply", at.session_state.lang)).click()
    at = at.run()
    assert at.radio(key="build_table:kakao-2022").value == table  # the same table is shown after the edit
    return at


def text(at: AppTest) -> str:
    edited = at.session_state["edited"] if "edited" in at.session_state else {}
    return edited.get("kakao-2022") or ORIGINAL


def comments(source: str) -> list[str]:
    return [line[line.index("#"):] for line in source.splitlines() if "#" in line]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_shows_every_part_in_the_readers_language(lang):
    at = page(lang)
    assert not at.exception
    assert at.title[0].value == t("page_build", lang)
    parts = at.radio(key="build_table:kakao-2022")
    assert parts.options == [t(structure.TAB_LABELS[n], lang) for n in TABLES]


def test_renaming_a_site_renames_it_everywhere_and_keeps_the_comments():
    at = apply(page(), "sites", {"edited_rows": {1: {"name": "gasan_dr"}}})
    assert not at.exception and not at.error
    new = text(at)
    assert comments(new) == comments(ORIGINAL)
    scenario = loads(new)
    assert [s.name for s in scenario.sites] == ["pangyo", "gasan_dr"]
    assert "gasan" not in {s.site for s in scenario.services}


def test_adding_a_service_with_a_dependency_reaches_the_results():
    at = apply(page(), "services", {"added_rows": [{"name": "archive", "site": "gasan", "tier": 3,
                                                    "depends_on": ["login"], "revenue_per_hour": "1억 – 3억"}]})
    assert not at.exception and not at.error
    scenario = loads(text(at))
    assert scenario.services[-1].name == "archive" and scenario.services[-1].depends_on == ("login",)


def test_an_invalid_edit_is_refused_by_row_and_changes_nothing():
    at = apply(page(), "services", {"edited_rows": {3: {"site": "nowhere"}}})
    assert not at.exception
    assert text(at) == ORIGINAL
    shown = [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", e.value) for e in at.error]
    name = loads(ORIGINAL).services[3].name
    assert any(f"row 4 ({name}), site: 'nowhere' is not a site" in s for s in shown), shown


def test_undo_steps_back_and_reset_goes_back_to_the_file_as_loaded():
    at = apply(page(), "sites", {"edited_rows": {1: {"name": "gasan_dr"}}})
    at = apply(at, "sites", {"edited_rows": {0: {"region": "gyeonggi"}}})
    assert loads(text(at)).sites[0].region == "gyeonggi"
    at.button(key="build_undo_button").click().run()
    assert [s.name for s in loads(text(at)).sites] == ["pangyo", "gasan_dr"]
    assert loads(text(at)).sites[0].region == "capital"
    at.button(key="build_reset").click().run()
    assert text(at) == ORIGINAL


def test_a_refused_edit_is_said_in_korean_to_a_korean_reader():
    at = page("ko")
    at = apply(at, "services", {"edited_rows": {3: {"site": "nowhere"}}})
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", at.error[0].value)
    name = loads(ORIGINAL).services[3].name
    assert f"4행({name}), site: 'nowhere'은(는) 사이트가 아닙니다" in shown, shown
