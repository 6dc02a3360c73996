"""Charts: one colour per option, the same in every chart that draws options."""

import pytest
from conftest import SCENARIOS

from riskmodel import appraise, load, simulate
from riskmodel.present import charts
from riskmodel.present.i18n import t
from riskmodel.present.names import Names


def _by_name(result, colours, lang):
    """The colours by the names the charts show (options are drawn under their labels)."""
    names = Names(result.simulation.scenario, lang)
    return {names.option(o): c for o, c in colours.items()}


@pytest.fixture(scope="module")
def kakao():
    return appraise(simulate(load(SCENARIOS / "kakao-2022.yaml"), trials=1_000, seed=3))


def test_each_option_keeps_one_colour_across_charts_and_options_differ(kakao):
    colours = charts.option_colours(kakao)
    assert len(set(colours.values())) == len(colours) == len(kakao.simulation.options)
    assert colours[kakao.simulation.scenario.baseline.name] == charts.TODAY
    assert colours[kakao.recommended] == charts.RECOMMENDED
    colours = _by_name(kakao, colours, "en")
    services = charts.services_figure(kakao, "en")
    for trace in services.data:  # both panels: loss and downtime
        assert trace.marker.color == colours[trace.name]
    assert {trace.name for trace in services.data} == set(colours)
    marks = (t("today_suffix", "en"), t("recommended_suffix", "en"))
    lines = {tr.name.removesuffix(marks[0]).removesuffix(marks[1]): tr for tr in charts.exceedance_figure(kakao, "en").data}
    lines = {name: trace for name, trace in lines.items() if name in colours}
    assert len(lines) == len(colours)
    for name, trace in lines.items():
        assert trace.line.color == colours[name]


def test_the_frontier_names_only_today_and_the_recommendation_beside_their_points(kakao):
    colours = _by_name(kakao, charts.option_colours(kakao), "ko")
    fig = charts.frontier_figure(kakao, "ko")
    names = Names(kakao.simulation.scenario, "ko")
    named = {names.option(kakao.simulation.scenario.baseline.name), names.option(kakao.recommended)}
    assert len(fig.data) == 2 * len(colours)  # each option once in each panel
    for trace in fig.data:
        assert trace.marker.color == colours[trace.name]
        assert ("text" in trace.mode) == (trace.name in named)
    assert sorted(tr.name for tr in fig.data if tr.showlegend) == sorted(colours)


def test_the_box_plot_draws_each_option_in_its_colour(kakao):
    colours = _by_name(kakao, charts.option_colours(kakao), "en")
    boxes = charts.distribution_figure(kakao, "en").data
    assert {b.name: b.marker.color for b in boxes} == colours


def test_the_threat_breakdown_names_the_whole_site_loss_and_leaves_other_small(kakao):
    named, rest = charts.named_threats(kakao)
    assert "pangyo_site_loss" in named and "pangyo_site_loss" not in rest
    threats = kakao.threats
    if rest and len(named) < charts.TOP_THREATS + 1:
        assert threats[rest].to_numpy().sum() < charts.OTHER_SHARE * threats.to_numpy().sum()
    shown = [trace.name for trace in charts.threats_figure(kakao, "ko").data]
    assert Names(kakao.simulation.scenario, "ko").threat("pangyo_site_loss") in shown  # by its label
    assert "pangyo_site_loss" not in shown


def test_category_labels_read_horizontally_and_wrap(kakao):
    fig = charts.downtime_figure(kakao, "en")
    assert fig.layout.xaxis.tickangle == 0
    assert "Backup <br>and <br>restore" in fig.layout.xaxis.ticktext  # the option's label, wrapped at its spaces
    assert charts._wrapped("status_quo_2022") == "status_<br>quo_2022" and charts._wrapped("tiered") == "tiered"
    # Korean runs long without spaces: a wide character takes two columns and a long word is cut
    assert charts._wrapped("카카오톡(메시징)") == "카카오톡<br>(메시징)"  # before its bracket
    assert all(len(line) <= 9 for line in charts._wrapped("Tiered (tier 1 active-active)").split("<br>"))


def test_the_investment_view_is_written_on_its_bars_and_the_frontier_legend_clears_its_axes(kakao):
    from riskmodel.present.format import money

    fig = charts.expense_investment_figure(kakao, "en")
    investment = fig.data[1]
    assert list(investment.text) == [money(v, "KRW", "en") for v in investment.y]
    frontier = charts.frontier_figure(kakao, "en")
    assert frontier.layout.legend.y < -0.3
    assert all(trace.textposition == "middle right" for trace in frontier.data)
