"""Names from a hostile scenario file show as typed on every page: no link, no tag, no emphasis."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest
from test_app import PAGE_SCRIPT, PAGES, seen

from riskmodel import Scenario, load
from riskmodel.present.markup import label_text, markdown_text
from riskmodel.ui.state import UPLOADED

LINK = "[Approve now](https://evil.example/phish)"
TAG = '<a href="https://evil.example">Approve</a>'
TITLE = "**Board** <b>only</b> [x](https://evil.example) :red[urgent] $x^2$"
SERVICE = '<a href="https://evil.example/s">[Svc](https://evil.example/s)</a>'
THREAT = '[Fire](https://evil.example/t) <b>x</b>'
# Widgets whose labels Streamlit renders as Markdown.
WIDGETS = ("toggle", "checkbox", "selectbox", "radio", "button", "number_input", "text_input", "select_slider",
           "expander")
NAME = UPLOADED + "evil.yaml"
# Streamlit elements whose text is rendered as Markdown.
MARKDOWN = ("markdown", "caption", "title", "header", "subheader", "error", "info", "warning", "success")


def shown(figure: dict) -> list[str]:
    """The texts plotly renders of a figure: trace names, texts, hover texts, category
    labels, titles and annotations (not identifiers such as legend groups)."""
    texts = []
    for trace in figure["data"]:
        for field in ("name", "text", "hovertext", "x", "y"):
            value = trace.get(field)
            texts += [value] if isinstance(value, str) else [v for v in value or () if isinstance(v, str)]
    layout = figure["layout"]
    texts += [note.get("text", "") for note in layout.get("annotations", ())]
    texts += [axis["title"].get("text", "") for key, axis in layout.items()
              if key.startswith(("xaxis", "yaxis", "title")) and isinstance(axis, dict) and "title" in axis]
    title = layout.get("title", {})
    texts.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return texts


def hostile() -> str:
    data = load("kakao-2022").model_dump(mode="python", exclude_none=True)
    data.pop("plain_form", None)
    data["name"] = TITLE
    old = data["services"][0]["name"]  # a service, renamed everywhere it is named
    for service in data["services"]:
        service["depends_on"] = [SERVICE if d == old else d for d in service.get("depends_on", ())]
    data["services"][0]["name"] = data["services"][0]["label"] = SERVICE  # what it is called and shown as
    for option in data["options"]:
        option["services"] = {SERVICE if k == old else k: v for k, v in option.get("services", {}).items()}
    for threat in data["threats"]:
        if threat.get("services"):
            threat["services"] = [SERVICE if s == old else s for s in threat["services"]]
    data["threats"][0]["name"] = data["threats"][0]["label"] = THREAT
    for option in data["options"]:
        if option["name"] == "status_quo_2022":
            option["name"] = option["label"] = LINK
        elif option["name"] == "tiered":
            option["name"] = option["label"] = TAG
    return Scenario.from_dict(data).to_yaml()


@pytest.fixture(scope="module")
def text() -> str:
    return hostile()


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_show_as_typed_on_every_page(page, text):
    at = AppTest.from_string(PAGE_SCRIPT.format(page=page), default_timeout=120)
    at.session_state.lang = "en"
    at.session_state.trials = 500
    at.session_state.uploads = {NAME: text}
    at.session_state.scenario = NAME
    at.run()
    assert not at.exception
    sources = ([element.value for kind in MARKDOWN for element in at.get(kind)] + [m.label for m in at.metric]
               + [w.label for kind in WIDGETS for w in at.get(kind) if getattr(w, "label", None)])
    for source in sources:
        for raw in (LINK, TAG, TITLE, SERVICE, THREAT):
            assert raw not in source, f"{page}: {raw!r} rendered as markup in {source[:120]!r}"
        # a link or tag that would render: not backslash-escaped (escaped, it shows as typed)
        assert not re.search(r"(?<!\\)\]\(http|(?<!\\)<a ", source), source
    charts = [shown(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
    for labels in charts:
        assert not any("<a " in label or "<b>" in label for label in labels), page
    if page == "investment_case":  # the status quo is named in the first sentence, as typed
        assert any(LINK in seen(source) for source in sources)
        assert any(TITLE in seen(source) for source in sources)
    if page == "risk":
        assert any(label_text(TAG) in labels for labels in charts)


def test_the_escape_round_trips_every_ascii_character():
    typed = "".join(chr(c) for c in range(32, 127))
    assert seen(markdown_text(typed)) == typed
