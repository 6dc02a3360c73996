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


def test_the_box_plot_draws_each_option_in_its_colour(kakao):
    colours = charts.option_colours(kakao)
    boxes = charts.distribution_figure(kakao, "en").data
    assert {b.name: b.marker.color for b in boxes} == colours


def test_the_threat_breakdown_names_the_whole_site_loss_and_leaves_other_small(kakao):
    named, rest = charts.named_threats(kakao)
    assert "pangyo_site_loss" in named and "pangyo_site_loss" not in rest
    threats = kakao.threats
    if rest and len(named) < charts.TOP_THREATS + 1:
        assert threats[rest].to_numpy().sum() < charts.OTHER_SHARE * threats.to_numpy().sum()
    names = [trace.name for trace in charts.threats_figure(kakao, "en").data]
    assert "pangyo_site_loss" in names


def test_category_labels_read_horizontally_and_wrap(kakao):
    fig = charts.downtime_figure(kakao, "en")
    assert fig.layout.xaxis.tickangle == 0
    assert "backup_<br>and_<br>restore" in fig.layout.xaxis.ticktext
    assert charts._wrapped("status_quo_2022") == "status_<br>quo_2022" and charts._wrapped("tiered") == "tiered"


def test_the_investment_view_is_written_on_its_bars_and_the_frontier_legend_clears_its_axes(kakao):
    from riskmodel.present.format import money

    fig = charts.expense_investment_figure(kakao, "en")
    investment = fig.data[1]
    assert list(investment.text) == [money(v, "KRW", "en") for v in investment.y]
    frontier = charts.frontier_figure(kakao, "en")
    assert frontier.layout.legend.y < -0.3
    assert all(trace.textposition == "middle right" for trace in frontier.data)
