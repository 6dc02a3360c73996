"""riskmodel.archetypes: each template makes a complete, valid, sourced scenario that scales with its answers."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskmodel import archetypes, checks, loads
from riskmodel.cli import main
from riskmodel.resources import reference
from riskmodel.scenario import Scenario, ScenarioError

TEMPLATES = sorted(archetypes.ARCHETYPES)
ROWS = list(csv.DictReader(reference("archetypes.csv").open(encoding="utf-8", newline="")))


def test_every_reference_row_has_a_source_a_confidence_and_an_ordered_range():
    assert ROWS
    for r in ROWS:
        assert r["source"].strip() and r["confidence"][:1] in "PSU", r["figure"]
        assert float(r["low"]) <= float(r["likely"]) <= float(r["high"]), r["figure"]
        assert r["archetype"] in {*archetypes.ARCHETYPES, "all"}, r["archetype"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_template_makes_a_valid_scenario_without_warnings_or_unsourced_inputs(template):
    text = archetypes.make_text(template)
    scenario = loads(text)
    assert checks.warnings(scenario) == []
    missing, given_ = checks.unsourced(scenario)
    assert missing == [] and given_ > 50
    # Every row it cites is a row of archetypes.csv (for the template's kind, or for all).
    keys = {(r["archetype"], r["figure"]) for r in ROWS}
    cited = set(re.findall(r"archetypes\.csv (\w+) (\w+) \(", text))
    assert cited and cited <= keys, cited - keys
    assert all(kind in (template, "all") for kind, _ in cited)


@pytest.mark.parametrize("template", TEMPLATES)
def test_its_options_climb_the_dr_ladder_and_add_a_skills_programme(template):
    scenario = Scenario.from_dict(archetypes.make(template))
    assert scenario.baseline.architecture == "single_site"
    used = {o.architecture for o in scenario.options} | {a for o in scenario.options for a in o.tiers.values()}
    assert {"single_site", "backup_and_restore", "pilot_light", "warm_standby", "active_active"} <= used
    assert any(o.skills == "sre_programme" for o in scenario.options)
    assert scenario.skills_programmes[0].engineers == archetypes.ARCHETYPES[template].example["engineers"]


def example(template: str, **changes) -> dict:
    return {**archetypes.ARCHETYPES[template].example, **changes}


@settings(max_examples=20, deadline=None)
@given(template=st.sampled_from(TEMPLATES), factor=st.floats(0.01, 100))
def test_money_that_comes_from_the_revenue_scales_with_it(template, factor):
    """Revenue per hour and infrastructure cost are shares of the answer: scaling it scales them."""
    base = Scenario.from_dict(archetypes.make(template))
    answers = example(template)
    scaled = Scenario.from_dict(archetypes.make(template, {**answers, "annual_revenue": answers["annual_revenue"]
                                                           * factor}))
    for a, b in zip(base.services, scaled.services):
        for get in (lambda s: s.impact.revenue_per_hour.pert, lambda s: s.infra_annual_cost.pert):
            for x, y in zip(get(a), get(b)):
                # Each is rounded to 4 significant figures, so the ratio holds to 1e-3 (twice 5e-4).
                assert y == pytest.approx(x * factor, rel=1.1e-3)


def test_revenue_per_hour_is_the_service_share_of_revenue_over_the_hours_of_a_year():
    scenario = Scenario.from_dict(archetypes.make("online_retailer"))
    shop = scenario.services[0]
    assert shop.impact.revenue_per_hour.pert[1] == pytest.approx(300e6 * 0.7 / 8760, rel=5e-4)


def test_a_currency_without_reference_figures_needs_an_exchange_rate_and_uses_it():
    answers = example("online_retailer", currency="EUR")
    with pytest.raises(ScenarioError, match="exchange_rate: .* give how many EUR one USD buys"):
        archetypes.make("online_retailer", answers)
    eur = Scenario.from_dict(archetypes.make("online_retailer", {**answers, "exchange_rate": 0.9}))
    usd = Scenario.from_dict(archetypes.make("online_retailer"))
    assert eur.skills_programmes[0].loaded_cost_per_engineer.value == pytest.approx(
        usd.skills_programmes[0].loaded_cost_per_engineer.value * 0.9, rel=5e-4)
    # Revenue is the user's own, in their currency: not converted.
    assert eur.services[0].impact.revenue_per_hour == usd.services[0].impact.revenue_per_hour


@pytest.mark.parametrize("change, words", [
    ({"services": [{"name": "a", "revenue_share": 0.7}, {"name": "b", "revenue_share": 0.6}]}, "add up to 1.3"),
    ({"services": [{"name": "a", "revenue_share": 0.5, "site": "mars"}]}, "services[0].site: 'mars' is not a site"),
    ({"services": [{"name": "a", "revenue_share": 0.5, "depends_on": ["b"]}]}, "'b' is not a service"),
    ({"sites": [{"name": "x"}, {"name": "x"}]}, "sites: 'x' is given twice"),
    ({"annual_revenue": -5}, "annual_revenue: -5"),
    ({"services": [{"name": "a", "revenue_share": 1.5}]}, "services[0].revenue_share: 1.5"),
    ({"engineers": 0}, "engineers: 0"),
])
def test_bad_answers_name_the_answer_the_value_and_the_rule(change, words):
    with pytest.raises(ScenarioError) as caught:
        archetypes.make("b2b_saas", example("b2b_saas", **change))
    assert any(words in m for m in caught.value.messages), caught.value.messages
    assert all(m.startswith("answers: ") for m in caught.value.messages)
    assert not any("at least 1 item" in m for m in caught.value.messages)


def test_riskmodel_new_writes_the_template_and_never_overwrites_without_force(tmp_path, capsys):
    out = tmp_path / "mine.yaml"
    assert main(["new", "--template", "public_service", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == archetypes.make_text("public_service")
    out.write_text("my own work", encoding="utf-8")
    assert main(["new", "--template", "public_service", "--out", str(out)]) == 2
    assert "never overwrites" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "my own work"
    assert main(["new", "--template", "public_service", "--out", str(out), "--force"]) == 0
    assert main(["validate", str(out), "--strict"]) == 0


def test_example_answers_edited_and_given_back_make_that_organisation(tmp_path, capsys):
    assert main(["new", "--template", "b2b_saas", "--example-answers"]) == 0
    answers = tmp_path / "answers.yaml"
    answers.write_text(capsys.readouterr().out.replace("engineers: 20", "engineers: 35"), encoding="utf-8")
    out = tmp_path / "saas.yaml"
    assert main(["new", "--template", "b2b_saas", "--answers", str(answers), "--out", str(out)]) == 0
    scenario = loads(out.read_text(encoding="utf-8"))
    assert scenario.skills_programmes[0].engineers == 35
    assert scenario == Scenario.from_dict(archetypes.make("b2b_saas", example("b2b_saas", engineers=35)))


def test_riskmodel_new_lists_the_templates(capsys):
    assert main(["new", "--list"]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in TEMPLATES) and "공공 서비스" in listed
