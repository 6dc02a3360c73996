"""riskmodel.analysis.recovery: the preset ladder in one site loss, and kakao-2022's fire service by service."""

from __future__ import annotations

import pytest

from riskmodel import load
from riskmodel.analysis import recovery


@pytest.fixture(scope="module")
def kakao_ladder():
    return recovery.ladder(load("kakao-2022"), "pangyo_site_loss", trials=4_000, seed=3)


@pytest.mark.parametrize("hours", recovery.LADDER_HOURS)
def test_expected_downtime_never_rises_up_the_ladder_in_a_long_site_loss(kakao_ladder, hours):
    """single_site ≥ backup_and_restore ≥ … ≥ active_active, with equal skills (DESIGN §5), per service and in cost."""
    rungs = kakao_ladder.loc[hours].loc[list(recovery.LADDER)]
    for column in ("downtime", "cost"):
        values, se = rungs[column].to_numpy(), rungs[column + "_se"].to_numpy()
        steps = values[:-1] - values[1:]
        # Rungs share their draws (common random numbers), so the SE of a step is at most the sum of the two.
        assert (steps >= -3 * (se[:-1] + se[1:])).all(), (hours, column, values)
    assert rungs["downtime"].iloc[0] == hours  # no DR: the whole loss
    assert (rungs["data_loss"] <= rungs["data_loss"].iloc[0] + 1e-9).all()


@pytest.fixture(scope="module")
def kakao_fire():
    return recovery.against_record(load("kakao-2022"), "pangyo_site_loss", recovery.KAKAO_HOURS, recovery.record(),
                                   trials=4_000, seed=3)


def test_every_recorded_restoration_of_2022_lies_within_the_models_90_percent_range(kakao_fire):
    assert kakao_fire["within"].all(), kakao_fire
    assert list(kakao_fire.index) == [s.name for s in load("kakao-2022").services]


def test_the_model_keeps_the_records_order_pay_first_mail_last_and_login_before_what_waits_on_it(kakao_fire):
    """The three postures of 2022 the model tells apart: Pay's own DR (hours), the rest by hand, mail (days).

    Services on the same manual switch-over are not told apart by the model (each draws from
    the same chain), so inside that group neither order is a finding.
    """
    median, recorded = kakao_fire["median"], kakao_fire["record_hours"]
    others = [s for s in kakao_fire.index if s not in ("payments", "mail")]
    for column in (median, recorded):
        assert column["payments"] < column[others].min() and column["mail"] > column[others].max(), column
    assert median["content"] >= median["login"] and median["mobility"] >= median["login"]
