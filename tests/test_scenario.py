import pytest
import yaml
from conftest import BASE, SCENARIOS, make, scenario_dict

from riskmodel import Architecture, Scenario, ScenarioError, load, loads, shipped_scenarios
from riskmodel.presets import ARCHITECTURE_PRESETS


def test_yaml_round_trip_is_exact():
    scenario = make(options=[{"name": "none", "baseline": True},
                             {"name": "dr", "architecture": "warm_standby"}],
                    architectures=[{"name": "warm_standby", "preset": "warm_standby", "opex_per_year": 5000}])
    text = scenario.to_yaml()
    again = loads(text)
    assert again == scenario
    assert again.to_yaml() == text


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_shipped_scenarios_round_trip(name, tmp_path):
    scenario = load(shipped_scenarios()[name])
    scenario.save(tmp_path / "copy.yaml")
    assert load(tmp_path / "copy.yaml") == scenario


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_every_shipped_scenario_loads_by_name_from_anywhere(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load(name) == load(SCENARIOS / f"{name}.yaml")


def test_an_existing_file_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kakao-2022").write_text(yaml.safe_dump(scenario_dict(name="my own")))
    assert load("kakao-2022").name == "my own"


def test_an_unknown_name_says_no_such_file_and_lists_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load("kakao-2023")
    message = str(info.value)
    assert message.startswith("kakao-2023: no such file")
    assert all(name in message for name in shipped_scenarios())


def test_plain_form_is_a_portfolio_of_one():
    scenario = make()
    assert [s.name for s in scenario.services] == ["business"]
    assert scenario.services[0].impact.revenue_per_hour.value == 1000.0
    assert "services" not in scenario.to_dict() and "impact" in scenario.to_dict()


def test_preset_fields_can_be_overridden_one_by_one():
    arch = Architecture.from_preset("warm_standby", opex_per_year=123.0)
    assert arch.opex_per_year.value == 123.0
    assert arch.rto_hours == Architecture.from_preset("warm_standby").rto_hours
    assert set(ARCHITECTURE_PRESETS) == {"single_site", "backup_and_restore", "pilot_light", "warm_standby",
                                         "hot_standby", "active_active"}


def _threat(**changes):
    return [{**BASE["threats"][0], **changes}]


BAD = {
    "certain event as a probability": (dict(threats=_threat(rate=None, annual_probability=1.0)),
                                       ["threats[0]", "annual_probability: can reach 1 — must be below 1",
                                        "give a certain event as a rate instead (rate: 1 for once a year"]),
    "pert reaching probability 1": (dict(threats=_threat(rate=None, annual_probability={"pert": [0.5, 0.9, 1.0]})),
                                    ["threats[0]", "annual_probability: can reach 1"]),
    "low above high": (dict(threats=_threat(duration_hours={"ci90": [40, 2]})),
                       ["threats[0].duration_hours", "low 40 must be below high 2"]),
    "probability 1.5": (dict(impact={"revenue_per_hour": 1, "recovered_fraction": 1.5}),
                        ["impact.recovered_fraction: 1.5", "a probability must be in [0, 1]; got 1.5"]),
    "negative money": (dict(impact={"revenue_per_hour": -5}),
                       ["impact.revenue_per_hour: -5", "an amount of money must be in [0, 1e+18]; got -5"]),
    "unknown field": (dict(threats=_threat(duraton_hours=3)),
                      ["threats[0].duraton_hours", "unknown field"]),
    "duplicate option": (dict(options=[{"name": "a", "baseline": True}, {"name": "a"}]),
                         ["options", "duplicate name 'a'"]),
    "rate above one an hour": (dict(threats=_threat(rate={"gamma": [1e6, 1e-6]})),
                               ["threats[0].rate", "a rate must be in [0, 8760] events/yr, but the gamma form puts "
                                "its 95th percentile at 1.00165e+12 (above 8760 events/yr: one an hour"]),
    "rate of 1e4": (dict(threats=_threat(rate=1e4)),
                    ["threats[0].rate: 10000.0", "a rate must be in [0, 8760] events/yr; got 10000 (above 8760"]),
    "mtbf below an hour": (dict(threats=_threat(rate=None, mtbf_hours=1e-9)),
                           ["threats[0].mtbf_hours: 1e-09", "a mean time between failures must be in [1, 1e+09] h"]),
    "return period of 1e-300": (dict(threats=_threat(rate=None, return_period_years=1e-300)),
                                ["threats[0].return_period_years", "a return period must be in [0.000114155, 1e+06] yr"]),
    "history of 1e18 events": (dict(threats=_threat(rate={"gamma": [2, 10]}, history={"events": 10**18, "years": 10})),
                               ["threats[0].history.events", "less than or equal to 10000000"]),
    "history beyond one an hour": (dict(threats=_threat(rate={"gamma": [2, 10]},
                                                       history={"events": 9_000_000, "years": 10})),
                                   ["threats[0]", "history: 9000000 events in 10 years put the rate's 95th percentile"]),
    "pert to 1e308": (dict(threats=_threat(rate={"pert": [0, 1, 1e308]})),
                      ["threats[0].rate", "a rate must be in [0, 8760] events/yr, but the pert form can take values "
                       "in [0, 1e+308]"]),
    "money of 1e200": (dict(impact={"revenue_per_hour": 1e200}),
                       ["impact.revenue_per_hour: 1e+200", "an amount of money must be in [0, 1e+18]"]),
    "a lognormal too wide to draw": (dict(threats=_threat(duration_hours={"ci90": [1e-300, 100]})),
                                     ["threats[0].duration_hours", "so wide that its largest draws overflow"]),
    "no baseline": (dict(options=[{"name": "a"}]), ["options", "exactly one option must have 'baseline: true'"]),
    "unknown architecture": (dict(options=[{"name": "a", "baseline": True, "architecture": "warm"}]),
                             ["options[0].architecture", "'warm' is not an architecture"]),
    "dependency cycle": (dict(impact=None, sites=[{"name": "s"}], services=[
        {"name": "a", "site": "s", "depends_on": ["b"], "impact": {}},
        {"name": "b", "site": "s", "depends_on": ["a"], "impact": {}}]), ["dependency cycle a → b → a"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_path_value_and_rule(case):
    changes, words = BAD[case]
    data = scenario_dict(**changes)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    assert len(info.value.messages) == 1, info.value.messages
    for word in words:
        assert word in info.value.messages[0]


def test_nan_is_rejected_with_its_path():
    text = yaml.safe_dump(scenario_dict()).replace("revenue_per_hour: 1000.0", "revenue_per_hour: .nan")
    with pytest.raises(ScenarioError, match=r"impact.revenue_per_hour: nan — numbers must be finite"):
        loads(text)


def test_malformed_yaml_gives_line_and_column():
    with pytest.raises(ScenarioError, match=r"not valid YAML at line 2"):
        loads("name: x\n  threats: [1, 2\n")


@pytest.mark.parametrize("text", ["just some words", "- a\n- list\n", "\x89PNG\r\n\x1a\n\x00\x00"])
def test_a_file_that_is_not_a_scenario(text):
    with pytest.raises(ScenarioError) as info:
        loads(text)
    assert info.value.messages[0]


def test_replace_sets_one_field_and_validates():
    scenario = make()
    assert scenario.replace("threats[0].rate", 2.0).threats[0].rate.value == 2.0
    with pytest.raises(ScenarioError, match=r"a rate must be in \[0, 8760\] events/yr; got -1"):
        scenario.replace("threats[0].rate", -1.0)


def test_plain_form_errors_name_the_field_as_written():
    with pytest.raises(ScenarioError) as info:
        make(impact={"fine": -1})
    assert info.value.messages[0].startswith("impact.fine: -1")


def test_with_input_sets_a_quantity_and_keeps_the_rest():
    from riskmodel import Quantity

    scenario = make()
    edited = scenario.with_input("threats[0].rate", Quantity(ci90=(0.1, 0.9), source="my estimate"))
    assert edited.threats[0].rate == Quantity(ci90=(0.1, 0.9), source="my estimate")
    assert edited.threats[0].duration_hours == scenario.threats[0].duration_hours
    assert loads(edited.to_yaml()) == edited
    assert scenario.threats[0].rate.value == 0.5  # the original is untouched


def test_with_input_refuses_values_its_field_cannot_take():
    from riskmodel import Quantity

    with pytest.raises(ScenarioError) as info:
        make().with_input("threats[0].rate", Quantity(value=-1.0))
    assert info.value.messages[0].startswith("threats[0].rate")
    with pytest.raises(ScenarioError, match="no preset field"):
        make().with_input("presets.no_such_preset.rto_hours", Quantity(value=1.0))


def test_with_input_on_a_preset_adds_an_override_that_options_use():
    from riskmodel import Quantity

    scenario = make(options=[{"name": "none", "baseline": True},
                             {"name": "warm", "architecture": "warm_standby"}])
    edited = scenario.with_input("presets.warm_standby.failover_success", Quantity(value=0.5))
    assert edited.architecture("warm_standby").failover_success.value == 0.5
    assert edited.architecture("warm_standby").rto_hours == scenario.architecture("warm_standby").rto_hours
