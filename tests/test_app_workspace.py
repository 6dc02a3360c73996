"""The Workspace and Compare pages as a user sees them (AppTest): save, edit, save again, a
conflict merged, versions compared, runs kept and compared."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app import KAKAO, PAGE_SCRIPT, seen

from riskmodel import edits
from riskmodel.distributions import Quantity
from riskmodel.present.i18n import t
from riskmodel.workspace import Workspace, connect

TEXT = KAKAO.read_text(encoding="utf-8")
FIRE = edits.set_input(TEXT, "threats[0].rate", Quantity(ci90=(0.005, 0.03), source="a 2025 study"))
#: The Pangyo fire ten times as likely: a change no Monte Carlo noise could pass for.
TEN_TIMES = edits.set_input(TEXT, "threats[0].rate", Quantity(ci90=(0.02, 0.2), source="ten times"))


@pytest.fixture
def url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    monkeypatch.setenv("RISKMODEL_DATABASE_URL", url)
    return url


def page(name: str, lang: str = "en", at: AppTest | None = None, trials: int = 1_000) -> AppTest:
    fresh = AppTest.from_string(PAGE_SCRIPT.format(page=name), default_timeout=300)
    if at is not None:  # the same session on another page
        for key in ("edited", "uploads", "opened", "scenario"):
            if key in at.session_state:
                fresh.session_state[key] = at.session_state[key]
    fresh.session_state.lang = lang
    fresh.session_state.trials = trials
    return fresh.run()


def save(at: AppTest, message: str) -> AppTest:
    at.text_input[1].input(message)
    return at.button[0].click().run()


def test_save_edit_save_diff_and_a_conflict_merged(url):
    at = page("workspace")
    assert not at.exception
    assert at.text_input[0].value == "kakao-2022"  # the scenario on screen, by its file's name
    at = save(at, "as filed")
    assert [s.value for s in at.success] == ["Saved kakao-2022 version 1."]
    at.session_state["edited"] = {at.session_state["scenario"]: FIRE}  # an edit made on the Assumptions page
    at = save(at.run(), "fire rate from a 2025 study")
    assert [s.value for s in at.success] == ["Saved kakao-2022 version 2."]
    versions = at.dataframe[0].value
    assert versions["Version"].tolist() == [2, 1] and versions["What changed"].tolist()[0] == "fire rate from a 2025 study"
    assert "Pangyo DC lost (fire) · frequency: ci90 [0.002, 0.02] → ci90 [0.005, 0.03]; source changed" in \
        seen(at.markdown[-1].value)
    # someone else (another tab) saves version 3 meanwhile
    Workspace(connect(url)).save("kakao-2022", edits.set_field(FIRE, "finance.discount_rate", 0.07), "rate", parent=2)
    mine = edits.set_field(FIRE, "finance.horizon_years", 7)
    at.session_state["edited"] = {at.session_state["scenario"]: mine}
    at = save(at.run(), "ten-year view")
    assert [w.value for w in at.warning] == [
        "you (this computer) saved version 3 while you were editing version 2. Nothing was saved yet."]
    at = at.button(key="ws_merge").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Saved kakao-2022 version 4."]
    merged = Workspace(connect(url)).version("kakao-2022", 4).text
    assert "discount_rate: 0.07" in merged and "horizon_years: 7" in merged


def test_runs_kept_and_compared_in_korean(url):
    ws = Workspace(connect(url))
    ws.save("kakao", TEXT)
    ws.save("kakao", TEN_TIMES, parent=1)
    at = page("workspace", "ko", trials=5_000)
    at.selectbox(key="ws_open_version").select(1).run()
    at = at.button(key="ws_run").click().run()
    at.selectbox(key="ws_open_version").select(2).run()
    at = at.button(key="ws_run").click().run()
    assert not at.exception
    runs = at.dataframe[-1].value
    assert runs[t("ws_col_version", "ko")].tolist() == [2, 1]
    assert runs[t("ws_col_trials", "ko")].tolist() == ["5,000", "5,000"]
    cmp = page("compare", "ko", at, trials=5_000)
    assert not cmp.exception
    table = cmp.dataframe[0].value
    assert "2022년 당시 체계" in table[t("option", "ko")].tolist()
    ale = table[(table[t("option", "ko")] == "2022년 당시 체계") & (table[t("compare_figure", "ko")]
                                                                == "연간 기대손실(ALE)")]
    assert ale[t("compare_beyond_noise", "ko")].tolist() == ["예"]  # the fire ten times as likely
    assert "판교 데이터센터 전소(화재) · 발생 빈도" in seen(cmp.markdown[-1].value)
    # what the one changed assumption does alone, on run A's futures: here it is the whole difference
    cmp = cmp.button(key="drv_button").click().run()
    assert not cmp.exception
    drivers = cmp.dataframe[-1].value
    assert drivers[t("drv_change", "ko")].tolist()[0].startswith("판교 데이터센터 전소(화재) · 발생 빈도")
    assert drivers[t("drv_change", "ko")].tolist()[-1] == t("drv_rest", "ko")
