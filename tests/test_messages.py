"""riskmodel.present.messages: the rules the code states in English read in Korean, paths and values kept."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from riskmodel import ScenarioError, archetypes, edits, load
from riskmodel.present import structure
from riskmodel.present.format import parse_money
from riskmodel.present.messages import localised
from riskmodel.scenario import shipped_scenarios
from riskmodel.spreadsheet import export, import_workbook

KAKAO = shipped_scenarios()["kakao-2022"].read_text(encoding="utf-8")
HANGUL = re.compile(r"[가-힣]")


def messages_of(action) -> list[str]:
    try:
        action()
    except (ScenarioError, ValueError) as exc:
        return getattr(exc, "messages", None) or [str(exc)]
    raise AssertionError("no error")


def broken_workbook(change) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(export(load("kakao-2022"))))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Each a real failure of the code, so the patterns follow the wording the code uses.
FAILURES = {
    "not a site": lambda: edits.set_field(KAKAO, "services[0].site", "nowhere"),
    "not a service": lambda: edits.set_field(KAKAO, "services[0].depends_on", ["ghost"]),
    "not an architecture": lambda: edits.set_field(KAKAO, "options[1].architecture", "magic"),
    "not a skills programme": lambda: edits.set_field(KAKAO, "options[1].skills", "yoga"),
    "name taken": lambda: edits.rename(KAKAO, "sites", "pangyo", "gasan"),
    "empty name": lambda: edits.rename(KAKAO, "sites", "pangyo", " "),
    "no such item": lambda: edits.remove(KAKAO, "sites", "busan"),
    "baseline": lambda: edits.set_field(KAKAO, "options[1].baseline", True),
    "cycle": lambda: edits.set_field(KAKAO, "services[1].depends_on", ["mobility"]),
    "low above high": lambda: edits.set_field(KAKAO, "threats[0].rate", {"ci90": [0.02, 0.002]}),
    "bound": lambda: edits.set_field(KAKAO, "threats[0].rate", -1),
    "unknown field": lambda: edits.set_field(KAKAO, "sites[0].regoin", "x"),
    "money": lambda: parse_money("lots"),
    "cell": lambda: structure.parse_cell("0.1-0.2", "number"),
    "answers": lambda: archetypes.make("b2b_saas", {**archetypes.ARCHETYPES["b2b_saas"].example,
                                                     "services": [{"name": "a", "revenue_share": 0.7},
                                                                  {"name": "b", "revenue_share": 0.6}]}),
    "form": lambda: import_workbook(broken_workbook(lambda b: setattr(b["Inputs"]["D2"], "value", "cig90"))),
    "text in a number": lambda: import_workbook(broken_workbook(
        lambda b: [setattr(b["Inputs"][cell], "value", "x") for cell in ("E2", "F2", "G2")])),
    "sheet": lambda: import_workbook(broken_workbook(lambda b: b.remove(b["Threats"]))),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_each_rule_reads_in_korean_with_its_field_and_values(failure):
    for message in messages_of(FAILURES[failure]):
        korean = localised(message, "ko")
        assert HANGUL.search(korean), message
        # The field path (before the first ": ") and the value it quotes first (what was given) survive.
        head = message.split(": ", 1)[0]
        if re.fullmatch(r"[\w.\[\]!]+", head):
            assert korean.startswith(head), (message, korean)
        for quoted in re.findall(r"'[^']*'", message)[:1]:
            assert quoted in korean, (quoted, korean)


def test_english_is_left_as_the_code_says_it():
    message = messages_of(FAILURES["not a site"])[0]
    assert localised(message, "en") == message
