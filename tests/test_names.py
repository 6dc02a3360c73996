"""Names: people read labels, never identifiers, on every page, in the report and from the CLI (issue 20)."""

import html
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_app import KAKAO, PAGES, page_at, seen
from test_injection import shown

from riskmodel import ScenarioError, appraise, load, simulate
from riskmodel.present.i18n import t
from riskmodel.present.names import KINDS, Names, field_name
from riskmodel.scenario import Scenario, in_language, readable


def identifiers(scenario: Scenario) -> dict[str, set[str]]:
    """The identifiers of every labelled part, split as the checks need them: snake_case (never a word of
    prose) and single words (which prose may use, but never as a whole table cell, category or legend)."""
    names = {item.name for section in KINDS.values() for item in getattr(scenario, section) if item.label}
    return {"joined": {n for n in names if "_" in n}, "words": {n for n in names if "_" not in n}}


def leaks(texts, cells, found: dict[str, set[str]]) -> list[str]:
    """Identifiers seen: a snake_case one anywhere in ``texts``, a one-word one as a whole cell of ``cells``.

    A source citing a row of a reference file (``dr_strategies.csv (warm_standby; …)``) names the row by
    its key, which is how a reader finds it there: that is a citation, not a name shown in a label's place.
    """
    joined = re.compile(r"(?<![\w.])(?<!\.csv \()(?<!\.csv )(" + "|".join(map(re.escape, sorted(found["joined"])))
                        + r")(?![\w])")
    out = [m.group(1) for text in texts for m in joined.finditer(text)]
    return out + [c for c in cells if c in found["words"] | found["joined"]]


def test_readable_fallback_and_languages():
    assert readable("as_of_2022_independent_control") == "As of 2022 independent control"
    assert in_language({"en": "Pay", "ko": "페이"}, "en") == "Pay" and in_language(None, "ko") is None
    plain = load("online-retailer-usd")  # no labels: every name in words
    names = Names(plain, "ko")
    assert all("_" not in names.option(o.name) for o in plain.options)
    assert names.architecture("warm_standby") == t("preset_warm_standby", "ko")  # a preset by the catalog's name


@given(st.from_regex(r"[a-z][a-z0-9]*(_[a-z0-9]+){0,4}", fullmatch=True))
def test_a_fallback_never_shows_an_underscore_and_keeps_every_word(identifier):
    words = readable(identifier)
    assert "_" not in words and words.lower().split() == identifier.split("_")


def test_every_input_is_named_by_its_part_and_field_in_each_language():
    scenario = load(KAKAO)
    ko = Names(scenario, "ko")
    assert ko.input("services[0].impact.revenue_per_hour") == "카카오톡(메시징) · 시간당 매출"
    assert ko.input("presets.active_active.failover_success") == (t("preset_active_active", "ko") + " · "
                                                                  + field_name("failover_success", "ko"))
    from riskmodel.inputs import all_inputs
    for lang in ("en", "ko"):
        names = Names(scenario, lang)
        shown_names = [names.input(path) for path, _, _ in all_inputs(scenario)]
        assert not leaks(shown_names, [], identifiers(scenario)), lang
        assert all("_" not in n for n in shown_names), lang


def test_two_parts_of_one_kind_may_not_share_a_label():
    data = load(KAKAO).model_dump(mode="python", exclude_none=True)
    data.pop("plain_form", None)
    data["options"][1]["label"] = {"en": "Same", "ko": "같음"}
    data["options"][2]["label"] = "Same"
    with pytest.raises(ScenarioError, match=r"options\[2\]\.label: 'Same' is also the label of options\[1\]"):
        Scenario.from_dict(data)


def _app_texts(at) -> tuple[list[str], list[str]]:
    """What a reader sees on a page run in AppTest: prose and labels, and every table cell, category and legend."""
    prose = [seen(e.value) for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                                        "success", "error") for e in at.get(kind)]
    prose += [seen(m.label) for m in at.metric] + [str(m.value) for m in at.metric]
    prose += [seen(w.label) for kind in ("selectbox", "radio", "toggle", "button", "expander", "select_slider",
                                   "number_input", "text_input") for w in at.get(kind) if getattr(w, "label", None)]
    cells = [str(o) for kind in ("selectbox", "radio", "multiselect") for w in at.get(kind)
             for o in getattr(w, "options", ())]
    for frame in [d.value for d in at.dataframe] + [tb.value for tb in at.table]:
        cells += [str(v) for v in frame.index] + [str(c) for c in frame.columns]
        cells += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        cells += shown(json.loads(chart.proto.spec))
    return prose + cells, cells


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_an_identifier_where_a_label_exists(page, lang):
    at = page_at(page, lang, trials=500)
    assert not at.exception
    texts, cells = _app_texts(at)
    assert len(cells) > 5, page  # the check looked at something
    assert not leaks(texts, cells, identifiers(load(KAKAO))), page


@pytest.fixture(scope="module")
def report_text():
    from riskmodel.analysis.business_case import business_case
    from riskmodel.report import build_html

    case = business_case(appraise(simulate(load(KAKAO), trials=1_000, seed=5)), tornado_trials=300, tornado_inputs=4)
    return {lang: build_html(case, lang) for lang in ("en", "ko")}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_report_shows_no_identifier_where_a_label_exists(report_text, lang):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", report_text[lang], flags=re.S)
    cells = [html.unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, flags=re.S)]
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    charts = [html.unescape(s) for s in re.findall(r'"(?:name|text|x|y)":\s*"([^"]*)"', report_text[lang])]
    found = identifiers(load(KAKAO))
    assert len(cells) > 100
    assert not leaks([text, *charts], cells + charts, found)
