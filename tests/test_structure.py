"""riskmodel.present.structure: a table edited as a person would is the file edited as they meant."""

from __future__ import annotations

import pytest

from riskmodel import Quantity, ScenarioError, edits, load, loads
from riskmodel.present import structure
from riskmodel.scenario import shipped_scenarios

KAKAO_TEXT = shipped_scenarios()["kakao-2022"].read_text(encoding="utf-8")
KAKAO = loads(KAKAO_TEXT)


def edit(name: str, delta: dict, text: str = KAKAO_TEXT, lang: str = "en") -> str:
    scenario = loads(text)
    before = structure.table(scenario, name, lang)
    return edits.apply(text, structure.changes(scenario, name, before, delta))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("name", [n for n in structure.TABLES if n != "risk_tolerance"])
def test_a_table_typed_again_as_shown_changes_nothing(name, lang):
    """Every cell given back as shown (money in 억 or B included) is no change: a figure keeps its
    exact value, form and source unless its own cell changes."""
    before = structure.table(KAKAO, name, lang)
    again = {"edited_rows": {i: dict(row) for i, row in enumerate(before.to_dict("records"))}}
    assert structure.changes(KAKAO, name, before, again) == []
    assert structure.changes(KAKAO, name, before, None) == []


@pytest.mark.parametrize("text, kind, expected", [
    ("0.002 – 0.02", "number", Quantity(ci90=(0.002, 0.02))),
    ("0.002-0.02", "number", None),  # a minus sign without spaces is not a range: refused below
    ("2 / 5 / 10", "number", Quantity(pert=(2, 5, 10))),
    ("1억 원 – 5억 원", "money", Quantity(ci90=(1e8, 5e8))),
    ("$121.9M", "money", Quantity(value=121.9e6)),
    ("7", "number", Quantity(value=7)),
])
def test_cells_are_read_as_people_write_ranges(text, kind, expected):
    if expected is None:
        with pytest.raises(ValueError, match="write one number, a range"):
            structure.parse_cell(text, kind)
    else:
        assert structure.parse_cell(text, kind) == expected


def test_renaming_a_site_in_its_table_renames_it_everywhere():
    new = loads(edit("sites", {"edited_rows": {0: {"name": "pangyo_dc"}}}))
    assert {s.site for s in new.services} <= {"pangyo_dc", "gasan"}
    assert all("pangyo" not in (t.sites or {}) for t in new.threats)


def test_adding_a_service_with_a_dependency_and_removing_another():
    text = edit("services", {"added_rows": [{"name": "archive", "site": "gasan", "tier": 3,
                                             "depends_on": ["login"], "revenue_per_hour": "1억 – 3억"}],
                             "deleted_rows": [6]})
    new = loads(text)
    assert [s.name for s in new.services] == [s.name for s in KAKAO.services[:6]] + ["archive"]
    added = new.services[-1]
    assert added.depends_on == ("login",) and added.site == "gasan" and added.tier == 3
    assert added.impact.revenue_per_hour == Quantity(ci90=(1e8, 3e8))


def test_an_edited_range_keeps_the_old_source_in_words():
    new = loads(edit("threats", {"edited_rows": {0: {"rate": "0.005 – 0.03"}}}))
    assert new.threats[0].rate.ci90 == (0.005, 0.03)
    assert new.threats[0].rate.source.startswith("set on the Build page (the figure it replaced: site_event_rates")


def test_a_threat_aimed_at_two_sites_splits_its_events_evenly():
    new = loads(edit("threats", {"edited_rows": {0: {"sites": ["pangyo", "gasan"]}}}))
    assert new.threats[0].sites == {"pangyo": 0.5, "gasan": 0.5}


def test_options_tiers_and_programme_cells():
    new = loads(edit("options", {"edited_rows": {2: {"tiers": "1: active_active; 2: warm_standby",
                                                     "skills": "sre_programme"}}}))
    assert new.options[2].tiers == {1: "active_active", 2: "warm_standby"}
    assert new.options[2].skills == "sre_programme"
    with pytest.raises(ScenarioError, match=r"options, row 3 \(backup_and_restore\), tiers: 'one'"):
        edit("options", {"edited_rows": {2: {"tiers": "one"}}})


def test_the_risk_tolerance_table_is_the_list_of_pairs():
    new = loads(edit("risk_tolerance", {"edited_rows": {0: {"loss": "200억", "probability": 5.0}},
                                        "deleted_rows": [2], "added_rows": [{"loss": "2,000억", "probability": 0.5}]},
                     lang="ko"))
    assert new.risk_tolerance == ((2e10, 0.05), (5e10, 0.02), (2e11, 0.005))


def test_errors_are_said_by_row_of_the_table():
    scenario = KAKAO
    before = structure.table(scenario, "services", "en")
    changes = structure.changes(scenario, "services", before, {"edited_rows": {3: {"site": "nowhere"}}})
    with pytest.raises(ScenarioError) as caught:
        edits.apply(KAKAO_TEXT, changes)
    rows = structure.by_row(caught.value.messages, "services", [s.name for s in scenario.services])
    assert any(r.startswith(f"row 4 ({scenario.services[3].name}), site: 'nowhere' is not a site") for r in rows), rows


def test_every_shipped_scenario_makes_every_table():
    for name in shipped_scenarios():
        scenario = load(name)
        for table in structure.TABLES:
            frame = structure.table(scenario, table, "ko")
            assert list(frame.columns) == list(structure.TABLES[table])


def test_each_items_source_is_shown_and_is_not_changed_here():
    frame = structure.table(KAKAO, "threats", "en")
    assert frame["source"][0] == KAKAO.threats[0].source
    assert structure.changes(KAKAO, "threats", frame, {"edited_rows": {0: {"source": "mine"}}}) == []


def test_a_new_row_takes_the_schemas_defaults():
    text = edit("threats", {"added_rows": [{"name": "db_bug", "rate": "0.5 – 2", "duration_hours": "1 – 8",
                                            **{c: v for (t_, c), v in structure.DEFAULTS.items() if t_ == "threats"}}]})
    added = loads(text).threats[-1]
    assert (added.scope, added.category) == ("component", "software") and added.rate.ci90 == (0.5, 2)
