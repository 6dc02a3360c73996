"""The app renders the real model on the default scenario (AppTest, no browser)."""

import pathlib

from streamlit.testing.v1 import AppTest

APP = str(pathlib.Path(__file__).resolve().parent.parent / "app.py")


def test_app_opens_on_the_default_scenario_with_results():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert "Recommended option" in at.subheader[0].value
    assert len(at.dataframe) == 1 and at.dataframe[0].value.shape[1] >= 2
