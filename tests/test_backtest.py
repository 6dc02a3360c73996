"""riskmodel.analysis.backtest and ``riskmodel backtest`` / ``recovery``: public outages priced from their figures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from riskmodel.analysis import backtest
from riskmodel.archetypes import HOURS_PER_YEAR
from riskmodel.cli import main


@pytest.fixture(scope="module")
def table():
    return backtest.backtest(trials=3_000, seed=5)


def _case(name: str) -> backtest.Case:
    return next(c for c in backtest.cases() if c.name == name)


def test_at_least_four_outages_beyond_kakao_are_built_each_from_sourced_figures(table):
    built = table[table["mean"].notna()]
    assert len(built) >= 4 and "kakao" not in " ".join(built.index)
    for name in built.index:
        case = _case(name)
        for figure in ("annual_revenue", "duration_hours", "published_cost", "business_model"):
            assert case.sources[figure].strip(), (name, figure)


def test_the_minimal_scenario_never_reads_the_published_cost():
    case = _case("ba_2017")
    inflated = dataclasses.replace(case, figures={**case.figures, "published_cost": "1e12"})
    assert backtest.scenario_for(inflated) == backtest.scenario_for(case)


@pytest.mark.parametrize("name", ["meta_2021", "ba_2017", "kt_2021"])
def test_the_model_cost_is_the_closed_form_of_the_cases_figures(table, name):
    """Revenue per hour × share × hours × (1 − mean recovered share), plus any fee credit: the one event's cost."""
    case = _case(name)
    share = case.number("revenue_share_affected") or case.number("service_share_interrupted") or 1.0
    per_hour = case.number("annual_revenue") * share / HOURS_PER_YEAR
    low, likely, high = backtest._recovered(backtest.RECOVERED_FROM[case.figures["business_model"]])["pert"]
    expected = per_hour * case.number("duration_hours") * (1 - (low + 4 * likely + high) / 6)
    expected += (case.number("compensation_fee_hours") or 0.0) * per_hour
    row = table.loc[name]
    assert abs(row["mean"] - expected) <= 4 * row["se"] + 1e-9 * expected, (row["mean"], expected, row["se"])
    assert row["ratio"] == pytest.approx(row["mean"] / case.number("published_cost"))


def test_every_case_off_by_more_than_three_times_says_why(table):
    off = table[~table["within"]]
    assert len(off) and all(len(why) > 40 for why in off["why"]), off["why"]
    assert (table.loc[table["within"], "why"] == "").all()
    for name, row in table[table["mean"].notna()].iterrows():
        assert row["within"] == (1 / 3 <= row["ratio"] <= 3), name


def test_a_case_without_revenue_is_not_built_and_names_the_figure(table):
    assert backtest.missing(_case("tsb_2018")) == ["annual_revenue"]
    assert np.isnan(table.loc["tsb_2018", "mean"]) and table.loc["tsb_2018", "why"].startswith("not built: no annual")
    with pytest.raises(ValueError, match="tsb_2018: no annual_revenue"):
        backtest.scenario_for(_case("tsb_2018"))


def test_kakaos_own_fire_is_shown_in_sample_beside_its_estimate():
    mean, se, published = backtest.kakao_in_sample(trials=2_000, seed=5)
    assert published == 400e8 and se > 0
    assert 0.8 < mean / published < 1.2  # calibrated on it: this checks the calibration, not the model


def test_the_backtest_command_prints_every_case_and_the_count_within(capsys):
    assert main(["backtest", "--trials", "500"]) == 0
    out = capsys.readouterr().out
    for case in backtest.cases():
        assert case.name in out
    assert "cases built are within 3× of the published cost" in out and "In-sample, not a test" in out
    assert "$150M" in out and "₩40B" in out  # each case in its own currency


def test_the_recovery_command_shows_the_ladder_and_kakaos_record(capsys):
    assert main(["recovery", "kakao-2022", "--trials", "500", "--hours", "24,720"]) == 0
    out = capsys.readouterr().out
    ladder = out.split("Pangyo DC lost (fire) for 127.5 h")[0]  # threats and presets by their names
    for preset in ("Single site (no DR)", "Active-active (multi-site)"):
        assert f"24 h · {preset}" in ladder and f"720 h · {preset}" in ladder and "127.5 h" not in ladder
    assert "65.5 (Kakao Mail)" in out and "record inside 90 %" in out
    assert main(["recovery", "kakao-2022", "--hours", "24,0"]) == 2
    assert "--hours: '24,0': each length must be from 0 to 8,760 h" in capsys.readouterr().err
