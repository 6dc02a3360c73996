"""The app on the default scenario, every page in both languages (AppTest, no browser)."""

import difflib
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from riskmodel import load
from riskmodel import loads as load_text
from riskmodel.present import labels
from riskmodel.present.i18n import t
from riskmodel.present.names import Names

APP = str(pathlib.Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["investment_case", "risk", "architectures", "skills", "sensitivity", "assumptions"]
PAGE_SCRIPT = """
import streamlit as st
from riskmodel.ui import state, {page}
st.session_state.settings = state.sidebar()
state.banner(st.session_state.settings)
{page}.render()
"""


KAKAO = pathlib.Path(APP).parent / "data" / "scenarios" / "kakao-2022.yaml"


def seen(source: str) -> str:
    """What a reader sees of Markdown source whose punctuation is backslash-escaped (CommonMark §2.4)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


def test_app_opens_on_the_investment_case_with_results():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert at.subheader[0].value.startswith("권고안")
    assert at.dataframe[0].value.shape[1] == len(load(KAKAO).options)  # one column per option


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page, lang):
    at = AppTest.from_string(PAGE_SCRIPT.format(page=page), default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    assert not at.exception
    if page == "investment_case":  # its title states the finding (present.decision.finding)
        from riskmodel.present import decision as decision_text
        from riskmodel.present.markup import markdown_text
        from riskmodel.ui import state

        settings = at.session_state["settings"]
        result = state.run_model(state.scenario_text(settings.scenario), *settings.run)
        assert at.title[0].value == markdown_text(decision_text.finding(result, lang))
    else:
        assert at.title[0].value == t(f"page_{page}", lang)
    # Every table on the page is labelled through the registry: no column key shows raw.
    for frame in at.dataframe:
        headers = [*map(str, frame.value.columns), *map(str, frame.value.index.names)]
        assert not set(headers) & set(labels.FIELDS), (page, headers)


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


def test_a_workbook_upload_is_read_as_its_scenario_and_a_bad_one_names_the_cell():
    import io

    import openpyxl

    from riskmodel.spreadsheet import export
    from riskmodel.ui.state import read_upload

    scenario = load(KAKAO)
    text, problems = read_upload(export(scenario), "en")
    assert not problems and load_text(text) == scenario
    book = openpyxl.load_workbook(io.BytesIO(export(scenario)))
    book["Services"]["B3"].value = "nowhere"
    broken = io.BytesIO()
    book.save(broken)
    text, problems = read_upload(broken.getvalue(), "en")
    assert text is None and problems[0].startswith("Services!B3: services[1].site: 'nowhere' is not a site")


ASSUMPTIONS_SCRIPT = PAGE_SCRIPT.format(page="assumptions")


def _assumptions(lang: str = "en", trials: int = 1_000) -> AppTest:
    at = AppTest.from_string(ASSUMPTIONS_SCRIPT, default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = trials
    return at.run()


def _edit(at: AppTest, path: str, form: str, low: float, likely: float, high: float) -> AppTest:
    at.selectbox(key="edit_path:kakao-2022").set_value(path).run()
    version = at.session_state["edit_version"] if "edit_version" in at.session_state else 0
    at.selectbox(key=f"edit_form:{path}:{version}").set_value(form)
    for field, value in (("low", low), ("likely", likely), ("high", high)):
        at.number_input(key=f"edit_{field}:{path}:{version}").set_value(value)
    next(b for b in at.button if b.label == "Apply and re-run").click()
    return at.run()


def _site_fire_rate() -> str:
    from riskmodel import load

    scenario = load(pathlib.Path(APP).parent / "data" / "scenarios" / "kakao-2022.yaml")
    return next(f"threats[{i}].rate" for i, t in enumerate(scenario.threats) if t.name == "pangyo_site_loss")


@pytest.mark.parametrize("rate, sign", [(0.2, "+"), (0.0005, "-")])
def test_a_site_fire_rate_edit_moves_the_expected_loss_its_way(rate, sign):
    """With common random numbers, more site fires add events to every simulated year and
    never remove one, so the status quo's expected loss can only move with the rate."""
    at = _assumptions()
    at = _edit(at, _site_fire_rate(), "value", rate, rate, rate)
    assert not at.exception and not at.error
    ale = at.metric[0]
    assert ale.delta.startswith(sign), ale.delta


def test_a_better_drilled_team_raises_the_headline_npv():
    """kakao-2022 recommends its SRE programme on the 2022 footprint. A larger failover-success
    uplift turns failed switchovers into successes on the same simulated events, so the
    recommended option loses less on every trial and its NPV rises; the status quo, which
    has no programme, keeps its expected loss. Its margin on the first risk-tolerance point
    is some 0.5 percentage points (9.5 % of years above 100억 against 10 %), so the run needs
    10,000 trials (SE 0.13 points) for the recommendation not to depend on the seed."""
    at = _assumptions(trials=10_000)
    ale, npv = at.metric
    assert Names(load(KAKAO), "en").option("skills_programme") in seen(npv.label)
    at = _edit(at, "skills_programmes[0].failover_success_uplift", "value", 0.3, 0.3, 0.3)
    assert not at.exception and not at.error
    new_ale, new_npv = at.metric
    assert new_npv.label == npv.label and new_npv.delta.startswith("+"), new_npv.delta
    assert new_ale.value == ale.value and not new_ale.delta.strip("+-₩0.B억 원")


def test_an_invalid_edit_names_the_field_and_keeps_the_results():
    at = _assumptions()
    before = [(m.label, m.value) for m in at.metric]
    path = _site_fire_rate()
    at = _edit(at, path, "ci90", 0.02, 0.01, 0.002)  # low above high
    assert not at.exception
    assert len(at.error) == 1 and path in seen(at.error[0].value)
    assert [(m.label, m.value) for m in at.metric] == before
    assert not at.info  # no "edited" note: nothing was applied


def test_an_edit_in_the_app_keeps_every_comment_of_the_file():
    """What the sidebar downloads after an edit is kakao-2022.yaml with one line changed."""
    original = (pathlib.Path(APP).parent / "data" / "scenarios" / "kakao-2022.yaml").read_text(encoding="utf-8")
    at = _edit(_assumptions(), _site_fire_rate(), "ci90", 0.004, 0.01, 0.03)
    assert not at.exception and not at.error
    edited = at.session_state["edited"]["kakao-2022"]
    comments = lambda text: [line[line.index("#"):] for line in text.splitlines() if "#" in line]  # noqa: E731
    assert comments(edited) == comments(original) and len(comments(original)) > 100
    changed = [line for line in difflib.ndiff(original.splitlines(), edited.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2 and changed[1].startswith("+     rate: {ci90: [0.004, 0.03], source:"), changed


def test_reset_brings_back_the_scenario_as_loaded():
    at = _assumptions()
    before = [m.value for m in at.metric]
    at = _edit(at, _site_fire_rate(), "value", 0.2, 0.2, 0.2)
    assert at.info and [m.value for m in at.metric] != before
    at.button(key="reset").click().run()
    assert [m.value for m in at.metric] == before and not at.info


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_skills_page_shows_the_programme_alone_and_with_each_architecture(lang):
    at = AppTest.from_string(PAGE_SCRIPT.format(page="skills"), default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    assert not at.exception and not at.error
    scenario = load(KAKAO)
    assert any(f"{scenario.skills_programmes[0].engineers}" in str(n.value) for n in at.number_input)
    pairs = at.dataframe[-1].value  # each architecture without and with the programme
    names = Names(scenario, lang)
    assert names.option("active_active") in pairs.index and names.option("status_quo_2022") in pairs.index
    text = " ".join(seen(m.value) for m in at.markdown)
    assert names.option("active_active") in text and names.programme("sre_programme") in text
    assert "active_active" not in text and "sre_programme" not in text  # names, never identifiers
    assert len(at.get("plotly_chart")) == 2  # freed capacity; Active-Active with and without


def test_a_team_edit_on_the_skills_page_reaches_every_page():
    at = AppTest.from_string(PAGE_SCRIPT.format(page="skills"), default_timeout=120)
    at.session_state.lang = "en"
    at.session_state.trials = 500
    at.run()
    at.number_input(key="team_engineers:0:0").set_value(200)
    next(b for b in at.button if b.label == "Apply and re-run").click()
    at.run()
    assert not at.exception and not at.error
    from riskmodel import loads

    assert loads(at.session_state["edited"]["kakao-2022"]).skills_programmes[0].engineers == 200
    at.number_input(key="team_toil_share_now:0:1").set_value(1.5)  # a share above 1
    next(b for b in at.button if b.label == "Apply and re-run").click()
    at.run()
    assert len(at.error) == 1 and "toil_share_now" in seen(at.error[0].value)


@pytest.mark.parametrize("lang, typed, amount", [("ko", "1.5억", 1.5e8), ("en", "₩150M", 1.5e8)])
def test_money_is_shown_and_typed_in_the_readers_units(lang, typed, amount):
    """The team's loaded cost reads as money (never 121855512) and takes what a person types."""
    from riskmodel import loads
    from riskmodel.present.format import money

    at = AppTest.from_string(PAGE_SCRIPT.format(page="skills"), default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    field = at.text_input(key="team_loaded_cost_per_engineer:0:0")
    programme = load(KAKAO).skills_programmes[0]
    assert field.value == money(round(programme.loaded_cost_per_engineer.mean()), "KRW", lang, digits=2)
    assert not any(ch.isdigit() and len(field.value) > 9 for ch in field.value)  # no eleven raw digits
    field.set_value(typed)
    next(b for b in at.button if b.label == t("apply", lang)).click()
    at.run()
    assert not at.exception and not at.error
    edited = loads(at.session_state["edited"]["kakao-2022"]).skills_programmes[0]
    assert edited.loaded_cost_per_engineer.value == amount
    assert edited.cost_per_engineer_per_year == programme.cost_per_engineer_per_year  # untouched: every digit kept
    at.text_input(key="team_loaded_cost_per_engineer:0:1").set_value("a lot")
    next(b for b in at.button if b.label == t("apply", lang)).click()
    at.run()
    assert len(at.error) == 1 and "loaded_cost_per_engineer" in seen(at.error[0].value)
    assert "'a lot'" in seen(at.error[0].value)  # the text and the rule, in the reader's language


def test_an_assumption_in_money_is_edited_in_the_readers_units():
    from riskmodel import loads

    at = _assumptions()
    path = "services[0].impact.revenue_per_hour"
    at.selectbox(key="edit_path:kakao-2022").set_value(path).run()
    low = at.text_input(key=f"edit_low:{path}:0")
    assert low.value.startswith("₩") and low.value[-1] in "KMBT"  # as the reader counts money
    for field, value in (("low", "₩1B"), ("likely", "₩1.5B"), ("high", "2,000,000,000")):
        at.text_input(key=f"edit_{field}:{path}:0").set_value(value)
    at.selectbox(key=f"edit_form:{path}:0").set_value("pert")
    next(b for b in at.button if b.label == "Apply and re-run").click()
    at.run()
    assert not at.exception and not at.error
    q = loads(at.session_state["edited"]["kakao-2022"]).services[0].impact.revenue_per_hour
    assert q.form == "pert" and q.summary() == pytest.approx((1e9, 1.5e9, 2e9))


def test_the_business_case_downloads_are_made_on_request():
    at = AppTest.from_string(PAGE_SCRIPT.format(page="investment_case"), default_timeout=180)
    at.session_state.lang = "en"
    at.session_state.trials = 500
    at.run()
    labels = lambda: [b.label for b in at.get("download_button")]  # noqa: E731
    assert labels() == ["Download this scenario (YAML)", "Download this scenario (Excel)"]  # the sidebar's only
    at.button(key="prepare_report").click().run()
    assert not at.exception
    assert sorted(labels()) == ["Download the report (HTML)", "Download the workbook (Excel)",
                                "Download this scenario (Excel)", "Download this scenario (YAML)"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_sensitivity_page_shows_the_tornado_evpi_and_break_even(lang):
    at = AppTest.from_string(PAGE_SCRIPT.format(page="sensitivity"), default_timeout=300)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.session_state.sens_top = 5
    at.run()
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 1 and at.metric[0].value  # the tornado; EVPI in money
    at.toggle(key="sens_break_even").set_value(True).run()
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 3  # break-even of the top three inputs


@pytest.mark.parametrize("lang, words", [("en", "This run was stopped after"), ("ko", "허용 시간을 넘어")])
def test_a_run_past_its_time_budget_says_so_instead_of_results(lang, words, monkeypatch):
    from riskmodel.ui import runs, state

    monkeypatch.setattr(state, "RUNS", runs.Runs(budget=0.0))  # every run is past it at its first report
    at = AppTest.from_string(PAGE_SCRIPT.format(page="investment_case"), default_timeout=120)
    at.session_state.lang = lang
    at.session_state.trials = 500
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    assert not at.metric and not at.dataframe  # no stale or partial results


def test_an_unexpected_error_shows_a_reference_not_a_traceback(monkeypatch, caplog):
    """Any failure on a page: a short message with a reference a person can report; the
    traceback goes to the server log under the same reference."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state.trials = 500
    at.run()
    from riskmodel.ui import investment_case

    def broken() -> None:
        raise RuntimeError("/srv/secret/path.py line 7")

    monkeypatch.setattr(investment_case, "sentences", lambda *a, **k: broken())
    with caplog.at_level("ERROR", logger="riskmodel.app"):
        at.run()
    assert not at.exception
    (error,) = at.error
    reference = error.value.split("(참조 번호 ")[1][:8]
    assert "/srv/secret" not in error.value and "Traceback" not in error.value
    assert any(reference in r.getMessage() and "/srv/secret" in r.exc_text for r in caplog.records)


def test_an_alias_bomb_upload_is_refused_at_once():
    """A 12 KB upload that YAML would expand to billions of values: refused, measured not expanded."""
    from test_documents import within

    from riskmodel.ui.state import read_upload

    lines = ["a0: &a0 [lol]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = ("\n".join(lines) + "\nname: *a9\n" + "# padding\n" * 1100).encode()
    assert 11_000 < len(bomb) < 13_000
    with within(10):  # a hang guard: expanded, it would never end
        text, problems = read_upload(bomb, "en")
    assert text is None and "expands to 1,749,445,656 values" in problems[0]


def test_the_default_run_is_adaptive_and_reaches_its_precision():
    """The app's default: as many trials as SE ≤ 1 % of the answer's NPV takes, the same figures as the library's."""
    from riskmodel.analysis import precision
    from riskmodel.analysis.appraisal import appraise
    from riskmodel.present.decision import precision_text
    from riskmodel.ui import state

    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    scenario = load(KAKAO)
    sim = precision.simulate(scenario, seed=20221015, precision=state.PRECISION, max_trials=state.MAX_TRIALS,
                             basis=scenario.finance.benefit_basis)
    status = precision.status(sim)
    assert status.settled and status.achieved <= 0.01
    assert precision_text(appraise(sim), "ko") in [c.value for c in at.caption]


def test_a_scenario_with_warnings_shows_them_above_the_page():
    import yaml
    from conftest import scenario_dict

    from riskmodel.checks import warnings
    from riskmodel.present.warnings import warning_text
    from riskmodel.ui import state

    data = scenario_dict(options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    name = state.UPLOADED + "no-infra.yaml"
    at = AppTest.from_string(PAGE_SCRIPT.format(page="investment_case"), default_timeout=120)
    at.session_state.lang, at.session_state.trials = "en", 500
    at.session_state.uploads = {name: yaml.safe_dump(data)}
    at.session_state.scenario = name
    at.run()
    assert not at.exception
    (found,) = warnings(load_text(yaml.safe_dump(data)))
    assert seen(warning_text(found, "en")) in seen(at.warning[0].value)


def page_at(page: str, lang: str, trials: int = 1_000) -> AppTest:
    """One page of the app on kakao-2022, run once, at a fixed number of trials."""
    at = AppTest.from_string(PAGE_SCRIPT.format(page=page), default_timeout=300)
    at.session_state.lang = lang
    at.session_state.trials = trials
    return at.run()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_what_would_have_to_be_true_is_worked_out_on_request(lang):
    from riskmodel.present.conditions import HEADERS

    at = page_at("investment_case", lang)
    assert t("be_title", lang) in [s.value for s in at.subheader]
    assert not at.table  # nothing worked out before it is asked for
    at.button(key="conditions_button").click().run()
    assert not at.exception and len(at.table) == 1
    card = at.table[0].value
    assert list(card.columns) == [t(HEADERS[k], lang) for k in HEADERS]
    names = Names(load(KAKAO), lang)
    assert list(card.index) == [names.option(o.name) for o in load(KAKAO).options if not o.baseline]
    assert all(cell.strip() for cell in card.to_numpy().ravel())  # a sentence in every cell, none empty


def test_the_sensitivity_page_shows_the_cards_very_figures_for_the_option_it_studies():
    at = page_at("investment_case", "en")
    at.button(key="conditions_button").click().run()
    card = at.table[0].value
    sens = page_at("sensitivity", "en")
    sens.button(key="sens_conditions_button").click().run()
    assert not sens.exception
    studied = Names(load(KAKAO), "en").option(sens.selectbox(key="sens_option:npv").value)
    shown = sens.table[0].value
    assert list(shown.index) == [studied]
    assert shown.loc[studied].tolist() == card.loc[studied].tolist()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_what_the_market_and_the_regulator_charged_is_shown_apart(lang):
    from riskmodel.present.beyond_pnl import HEADERS

    at = page_at("investment_case", lang)
    assert t("bp_title", lang) in [s.value for s in at.subheader]
    shown = next(d.value for d in at.dataframe if t(HEADERS["npv_with"], lang) in d.value.columns)
    assert list(shown.columns) == [t(h, lang) for h in HEADERS.values()]
    assert any(t("bp_not_counted", lang).split("(")[0].strip() in seen(m.value) for m in at.markdown)
