"""What every page shares: the sidebar's settings and the cached model run."""

from __future__ import annotations

import dataclasses

import streamlit as st

from riskmodel import DEFAULT_SCENARIO, Appraisal, appraise, loads, shipped_scenarios, simulate

from .i18n import LANGUAGES, t

TRIAL_CHOICES = (500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000)


@dataclasses.dataclass(frozen=True)
class Settings:
    lang: str
    scenario: str
    trials: int
    seed: int
    horizon: int
    discount_rate: float


def sidebar() -> Settings:
    """Draw the shared sidebar and return its settings."""
    if "lang" not in st.session_state:
        st.session_state.lang = "ko"
    lang = st.sidebar.radio(t("language", st.session_state.lang), list(LANGUAGES), format_func=LANGUAGES.get,
                            horizontal=True, key="lang")
    names = list(shipped_scenarios())
    scenario = st.sidebar.selectbox(t("scenario", lang), names, index=names.index(DEFAULT_SCENARIO.stem),
                                    key="scenario")
    defaults = _defaults(scenario)
    trials = st.sidebar.select_slider(t("trials", lang), TRIAL_CHOICES, value=2_000, key="trials")
    seed = st.sidebar.number_input(t("seed", lang), min_value=0, value=20221015, step=1, key="seed")
    horizon = st.sidebar.number_input(t("horizon", lang), min_value=1, max_value=50, value=defaults[0], step=1,
                                      key=f"horizon:{scenario}")
    rate = st.sidebar.number_input(t("discount_rate", lang), min_value=0.0, max_value=99.0,
                                   value=round(100 * defaults[1], 2), step=0.5, key=f"rate:{scenario}")
    return Settings(lang, scenario, int(trials), int(seed), int(horizon), float(rate) / 100)


@st.cache_data(show_spinner=False)
def _defaults(name: str) -> tuple[int, float]:
    finance = loads(shipped_scenarios()[name].read_text(encoding="utf-8")).finance
    return finance.horizon_years, finance.discount_rate


@st.cache_data(show_spinner=False, max_entries=32)
def run_model(yaml_text: str, trials: int, seed: int, horizon: int, discount_rate: float) -> Appraisal:
    """Simulate and appraise a scenario given as YAML text (cached on the text and settings)."""
    scenario = loads(yaml_text)
    scenario = scenario.model_copy(update={"finance": scenario.finance.model_copy(
        update={"discount_rate": discount_rate, "horizon_years": horizon})})
    return appraise(simulate(scenario, trials=trials, horizon_years=horizon, seed=seed))


def current(settings: Settings) -> Appraisal:
    """The appraisal of the scenario and settings on screen."""
    text = shipped_scenarios()[settings.scenario].read_text(encoding="utf-8")
    with st.spinner("…"):
        return run_model(text, settings.trials, settings.seed, settings.horizon, settings.discount_rate)
