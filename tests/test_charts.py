"""Charts: one colour per option, the same in every chart that draws options."""

import pytest
from conftest import SCENARIOS

from riskmodel import appraise, load, simulate
from riskmodel.present import charts


@pytest.fixture(scope="module")
def kakao():
    return appraise(simulate(load(SCENARIOS / "kakao-2022.yaml"), trials=1_000, seed=3))


def test_each_option_keeps_one_colour_across_charts_and_options_differ(kakao):
    colours = charts.option_colours(kakao)
    assert len(set(colours.values())) == len(colours) == len(kakao.simulation.options)
    assert colours[kakao.simulation.scenario.baseline.name] == charts.TODAY
    assert colours[kakao.recommended] == charts.RECOMMENDED
    services = charts.services_figure(kakao, "en")
    for trace in services.data:  # both panels: loss and downtime
        assert trace.marker.color == colours[trace.name]
    assert {trace.name for trace in services.data} == set(colours)
    lines = [tr for tr in charts.exceedance_figure(kakao, "en").data if tr.name.split(" (")[0] in colours]
    assert len(lines) == len(colours)
    for trace in lines:
        assert trace.line.color == colours[trace.name.split(" (")[0]]


def test_the_frontier_names_only_today_and_the_recommendation_beside_their_points(kakao):
    colours = charts.option_colours(kakao)
    fig = charts.frontier_figure(kakao, "ko")
    named = {kakao.simulation.scenario.baseline.name, kakao.recommended}
    assert len(fig.data) == 2 * len(colours)  # each option once in each panel
    for trace in fig.data:
        assert trace.marker.color == colours[trace.name]
        assert ("text" in trace.mode) == (trace.name in named)
    assert sorted(tr.name for tr in fig.data if tr.showlegend) == sorted(colours)
