"""riskmodel.edits: edits on the file keep its words, and mean what the model's own edits mean."""

from __future__ import annotations

import difflib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskmodel import Quantity, ScenarioError, edits, loads
from riskmodel.inputs import all_inputs
from riskmodel.scenario import shipped_scenarios

SHIPPED = {name: path.read_text(encoding="utf-8") for name, path in shipped_scenarios().items()}
KAKAO = SHIPPED["kakao-2022"]


def comments(text: str) -> list[str]:
    """Every comment of a YAML text, in order (a '#' inside a quoted source is rare and kept alike)."""
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if line[:1] in "+-"]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_a_document_read_and_written_unchanged_is_the_same_text(name):
    assert edits.edit(SHIPPED[name], lambda doc: None, "nothing") == SHIPPED[name]


def test_an_input_edit_of_kakao_keeps_every_comment_and_changes_one_line():
    new = edits.set_input(KAKAO, "threats[0].rate", Quantity(ci90=(0.005, 0.03), source="my estimate"))
    assert comments(new) == comments(KAKAO)
    assert len(comments(KAKAO)) > 100
    assert changed_lines(KAKAO, new) == [
        next(f"- {line}" for line in KAKAO.splitlines() if line.strip().startswith("rate: {ci90: [0.002, 0.02]")),
        "+     rate: {ci90: [0.005, 0.03], source: my estimate}"]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_input_edit_means_what_the_models_edit_means(name):
    """For one input of each section and form of each shipped scenario (each kind of place
    a file holds a number, at some 0.15 s an edit): the file edit loads to the model's
    with_input (the same quantity, its source changed, so that each edit is one)."""
    text = SHIPPED[name]
    scenario = loads(text)
    kinds = {}
    for path, q, _ in all_inputs(scenario):
        kinds.setdefault((re.split(r"[.\[]", path)[0], q.form), (path, q))
    for path, q in kinds.values():
        checked = q.model_copy(update={"source": f"checked: {q.source}"})
        new = edits.set_input(text, path, checked)
        assert loads(new) == scenario.with_input(path, checked), path
        assert comments(new) == comments(text), path


@settings(max_examples=25, deadline=None)
@given(low=st.floats(1e-4, 0.5), width=st.floats(1.01, 50), source=st.text(min_size=0, max_size=40))
def test_any_range_and_source_round_trips_exactly(low, width, source):
    """Whatever the numbers and the source's characters (quotes, colons, '#'), the file reads back as set."""
    q = Quantity(ci90=(low, min(low * width, 0.99)), source=source.strip() or None)
    new = edits.set_input(KAKAO, "threats[0].rate", q)
    assert loads(new).threats[0].rate == q


def test_a_block_quantity_keeps_its_comments_and_stays_a_block():
    line = next(x for x in KAKAO.splitlines() if x.startswith("    rate: {ci90: [0.002, 0.02]"))
    text = KAKAO.replace(line, "    rate:\n      # why this range\n      ci90: [0.002, 0.02]\n      source: a", 1)
    new = edits.set_input(text, "threats[0].rate", Quantity(pert=(0.001, 0.01, 0.05)))
    assert "# why this range" in new and "pert: [0.001, 0.01, 0.05]" in new
    assert "      ci90: [0.002, 0.02]\n" not in new and loads(new).threats[0].rate.source is None


def test_a_preset_edit_defines_the_architecture_as_the_model_does():
    q = Quantity(pert=(0.9, 0.95, 0.99))
    new = edits.set_input(KAKAO, "presets.active_active.failover_success", q)
    assert loads(new) == loads(KAKAO).with_input("presets.active_active.failover_success", q)
    # A second edit of the same preset changes the architecture now in the file.
    again = edits.set_input(new, "presets.active_active.failover_success", Quantity(value=0.97))
    assert loads(again).architecture("active_active").failover_success == Quantity(value=0.97)
    assert again.count("preset: active_active") == 1


def test_renaming_a_service_renames_every_reference():
    scenario = loads(KAKAO)
    users = [s.name for s in scenario.services if "login" in s.depends_on]
    assert users, "kakao-2022 has services that depend on login"
    new = loads(edits.rename(KAKAO, "services", "login", "kakao_account"))
    assert "login" not in {s.name for s in new.services}
    assert [s.name for s in new.services if "kakao_account" in s.depends_on] == users
    assert [s.name for s in new.services] == [s.name.replace("login", "kakao_account") for s in scenario.services]


def test_renaming_a_site_renames_services_and_threats():
    new = loads(edits.rename(KAKAO, "sites", "pangyo", "pangyo_dc"))
    assert {s.site for s in new.services} == {"pangyo_dc"} | {s.site for s in loads(KAKAO).services} - {"pangyo"}
    assert all("pangyo" not in (t.sites or {}) for t in new.threats)
    assert any("pangyo_dc" in (t.sites or {}) for t in new.threats)


def test_renaming_to_a_taken_name_or_nothing_is_refused():
    with pytest.raises(ScenarioError, match="'gasan' is taken"):
        edits.rename(KAKAO, "sites", "pangyo", "gasan")
    with pytest.raises(ScenarioError, match="new name is empty"):
        edits.rename(KAKAO, "sites", "pangyo", " ")
    with pytest.raises(ScenarioError, match="no item named 'busan'"):
        edits.rename(KAKAO, "sites", "busan", "b")


def test_removing_what_is_still_used_names_the_reference():
    with pytest.raises(ScenarioError) as caught:
        edits.remove(KAKAO, "sites", "pangyo")
    assert any("services[0].site: 'pangyo' is not a site" in m for m in caught.value.messages)
    assert all(m.startswith("remove 'pangyo' from sites: ") for m in caught.value.messages)


def test_removing_a_service_drops_the_options_architecture_for_it_and_nothing_else():
    before = loads(KAKAO)
    assert before.options[0].services["mail"] == "mail_2022"
    after = loads(edits.remove(KAKAO, "services", "mail"))
    assert "mail" not in after.options[0].services
    assert after.options[0].services == {k: v for k, v in before.options[0].services.items() if k != "mail"}
    with pytest.raises(ScenarioError, match=r"depends_on"):
        edits.remove(KAKAO, "services", "login")  # mobility, content and mail still wait on it


def test_add_then_remove_a_site_and_a_service():
    text = edits.add(KAKAO, "sites", {"name": "busan", "region": "south"})
    text = edits.add(text, "services", {"name": "archive", "site": "busan", "tier": 3, "depends_on": ["login"],
                                        "impact": {"revenue_per_hour": {"ci90": [1e6, 1e7], "source": "guess"}}})
    scenario = loads(text)
    assert scenario.services[-1].depends_on == ("login",) and scenario.services[-1].site == "busan"
    assert scenario.services[-1].impact.revenue_per_hour == Quantity(ci90=(1e6, 1e7), source="guess")
    assert comments(text) == comments(KAKAO)
    back = edits.remove(edits.remove(text, "services", "archive"), "sites", "busan")
    assert loads(back) == loads(KAKAO)


def test_set_field_and_its_errors_name_the_rule():
    assert loads(edits.set_field(KAKAO, "finance.discount_rate", 0.07)).finance.discount_rate == 0.07
    with pytest.raises(ScenarioError, match=r"set finance.discount_rate: finance.discount_rate: 1\.5"):
        edits.set_field(KAKAO, "finance.discount_rate", 1.5)
    with pytest.raises(ScenarioError, match="the file has nothing at services.99"):
        edits.set_field(KAKAO, "services[99].tier", 2)


def test_a_one_business_document_is_edited_where_its_author_wrote_it():
    text = ("name: one shop  # a comment\ncurrency: USD\nimpact:\n  revenue_per_hour: 1000\n"
            "threats:\n  - {name: outage, scope: component, category: hardware, rate: 1, duration_hours: 2}\n"
            "options:\n  - {name: today, baseline: true}\n")
    new = edits.set_input(text, "services[0].impact.revenue_per_hour", Quantity(ci90=(500, 2000)))
    assert "# a comment" in new and "revenue_per_hour: {ci90: [500, 2000]}" in new
    assert loads(new).services[0].impact.revenue_per_hour == Quantity(ci90=(500, 2000))
    with pytest.raises(ScenarioError, match="one business"):
        edits.add(text, "sites", {"name": "b"})


def test_an_unreadable_document_is_refused_before_it_is_edited():
    with pytest.raises(ScenarioError, match="given twice"):
        edits.set_field("name: a\nname: b\n", "name", "c")
