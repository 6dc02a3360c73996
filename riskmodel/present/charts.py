"""Plotly figures built from an Appraisal; pages only place them.

Every money axis is labelled by :func:`riskmodel.present.format.money` in the reader's language,
one unit per linear axis (억 원 or ₩…B; a log axis gives each decade its own), never
plotly's own SI suffixes ("50G").
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from riskmodel import Appraisal
from riskmodel.analysis import metrics
from riskmodel.analysis.recovery import whole_site_loss
from riskmodel.models.impact import COMPONENTS
from riskmodel.present.format import money
from riskmodel.present.i18n import t
from riskmodel.present.markup import label_text
from riskmodel.present.names import Names

HEIGHT = 440
TOP_THREATS = 6  # threats named in the breakdown at most, besides the whole-site loss; the rest are "other"
OTHER_SHARE = 0.1  # "other" holds less than this share of the expected loss, or what is left past TOP_THREATS
TODAY, RECOMMENDED = "#34495e", "#2980b9"  # the two options every chart makes stand out


def option_colours(result: Appraisal) -> dict[str, str]:
    """One colour per option, the same in every chart: today's dark slate, the
    recommendation blue, the others from plotly's qualitative palette (neither of those)."""
    baseline = result.simulation.scenario.baseline.name
    palette = iter(qualitative.Plotly * 4)
    return {o: TODAY if o == baseline else RECOMMENDED if o == result.recommended else next(palette)
            for o in result.simulation.options}


def money_ticks(low: float, high: float, log: bool = False, count: int = 6) -> list[float]:
    """Round tick values spanning [low, high] [currency]: 1-2-5 steps, or decades on a log axis."""
    if log:
        low = max(low, 1e-12)
        ticks = [10.0 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
        if len(ticks) < 4:
            ticks = sorted({m * d for d in ticks for m in (1, 2, 5)})
        return [x for x in ticks if low / 1.01 <= x <= high * 1.01] or [low, high]
    if not high > low:
        high = low + max(abs(low), 1.0)
    raw = (high - low) / count
    step = min((m * 10.0 ** math.floor(math.log10(raw)) for m in (1, 2, 5, 10)
                if m * 10.0 ** math.floor(math.log10(raw)) >= raw))
    return list(np.arange(math.floor(low / step), math.ceil(high / step) + 1) * step)


def _money_axis(fig: go.Figure, axis: str, values, cur: str, lang: str, log: bool = False, zero: bool = True,
                **where) -> None:
    values = np.asarray([v for v in np.ravel(values) if np.isfinite(v) and (v > 0 or not log)], dtype=float)
    if not values.size:
        return
    low = float(values.min()) if log or not zero else min(float(values.min()), 0.0)
    high = float(values.max()) if log or not zero else max(float(values.max()), 0.0)
    ticks = money_ticks(low, high, log)
    like = None if log else max(abs(ticks[0]), abs(ticks[-1]))  # decades read best each in its own unit
    # A linear money axis starts at zero (unless ``zero`` is off) and shows every tick: small
    # differences stay small.
    span = {} if log else {"range": [ticks[0], ticks[-1]]}
    getattr(fig, f"update_{axis}axes")(type="log" if log else "linear", tickvals=ticks,
                                        ticktext=[money(v, cur, lang, like=like) for v in ticks], **span, **where)


def _layout(fig: go.Figure, title: str, **kwargs) -> go.Figure:
    fig.update_layout(**{"title": title, "height": HEIGHT, "legend": {"orientation": "h", "y": -0.2},
                         "margin": {"t": 70}, **kwargs})
    # Labels read horizontally: a long name wraps onto more lines rather than tilting.
    fig.update_xaxes(tickangle=0, automargin=True)
    fig = _shown_as_typed(fig)
    categories = list(dict.fromkeys(x for trace in fig.data if trace.type in ("bar", "box") and trace.x is not None
                                    for x in trace.x if isinstance(x, str)))
    if categories:
        fig.update_xaxes(tickvals=categories, ticktext=[_wrapped(c) for c in categories])
    return fig


def _wrapped(label: str, width: int = 9) -> str:
    """A category label broken into lines of about ``width`` columns (escaped text): at underscores and spaces, and
    inside a word longer than a line (Korean names run long without spaces). A wide character (한, 漢) takes two
    columns, as it does on screen."""
    def size(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    words = []
    for word in re.split(r"(?<=[_ \-·])|(?=\()", label):  # after a separator, or before a bracket
        # A wide word well past a line is cut where the line is full; two columns over are let be ("다음(포털)").
        while size(word) > width + 2 and size(word) > len(word):
            cut = next(i for i in range(1, len(word) + 1) if size(word[:i + 1]) > width)
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    lines, line = [], ""
    for word in words:
        if line and size(line) + size(word) > width:
            lines.append(line)
            line = ""
        line += word
    return "<br>".join(lines + [line])


def _shown_as_typed(fig: go.Figure) -> go.Figure:
    """Every text of the figure escaped for plotly, which renders tags in labels: names come
    from the scenario file (:mod:`riskmodel.present.markup`). Every chart passes here once, through :func:`_layout`."""
    def escaped(value):
        if isinstance(value, str):
            return label_text(value)
        if isinstance(value, (tuple, list, np.ndarray)) and len(value) and all(isinstance(v, str) for v in value):
            return [label_text(v) for v in value]  # category names and per-point texts (plotly keeps a Series as an array)
        return value

    for trace in fig.data:
        for field in ("name", "text", "hovertext", "x", "y"):
            if field in trace:
                trace[field] = escaped(trace[field])
    fig.layout.title.text = escaped(fig.layout.title.text)
    for note in fig.layout.annotations:  # subplot titles
        note.text = escaped(note.text)
    return fig


def exceedance_figure(result: Appraisal, lang: str) -> go.Figure:
    """Loss exceedance curves of every option on a log money axis, with the risk tolerance."""
    cur = result.simulation.scenario.currency
    lec = result.exceedance
    fig = go.Figure()
    x = lec.index.to_numpy()
    # Today and the recommendation stand out; the other options are context.
    marked = {result.simulation.scenario.baseline.name: t("today_suffix", lang),
              result.recommended: t("recommended_suffix", lang)}
    colours = option_colours(result)
    names = Names(result.simulation.scenario, lang)
    for option in lec.columns:
        y = lec[option].to_numpy()
        keep = y > 0
        bold = option in marked
        fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="lines", name=names.option(option) + marked.get(option, ""),
                                 line={"width": 4 if bold else 1.5, "color": colours[option]},
                                 opacity=1.0 if bold else 0.55,
                                 hovertext=[money(v, cur, lang) for v in x[keep]]))
    tolerance = result.simulation.scenario.risk_tolerance
    if tolerance:
        loss, prob = zip(*tolerance)
        fig.add_trace(go.Scatter(x=loss, y=prob, mode="lines+markers", name=t("tolerance", lang),
                                 line={"dash": "dash", "color": "black"},
                                 hovertext=[money(v, cur, lang) for v in loss]))
    _layout(fig, t("lec_title", lang), xaxis_title=t("annual_loss", lang), yaxis_title=t("probability", lang))
    _money_axis(fig, "x", list(x) + [v for v, _ in tolerance or []], cur, lang, log=True)
    smallest = float(lec.to_numpy()[lec.to_numpy() > 0].min()) if (lec.to_numpy() > 0).any() else 1e-3
    decades = [10.0 ** -k for k in range(0, max(1, math.ceil(-math.log10(smallest))) + 1)]
    fig.update_yaxes(type="log", tickvals=decades,
                     ticktext=[t("every_year", lang) if p == 1 else t("one_in_years", lang, n=round(1 / p))
                               for p in decades])
    return fig


def distribution_figure(result: Appraisal, lang: str) -> go.Figure:
    """Annual loss of each option as a box: P25–P75, median, whiskers at P5 and P99."""
    sim = result.simulation
    cur = sim.scenario.currency
    fig = go.Figure()
    everything = []
    colours = option_colours(result)
    names = Names(sim.scenario, lang)
    for o, option in enumerate(sim.options):
        q = {p: metrics.quantile(sim.loss_hist[o], p) for p in (0.05, 0.25, 0.5, 0.75, 0.99)}
        mean = sim.loss_sum[o] / sim.trial_years
        everything += list(q.values()) + [mean]
        fig.add_trace(go.Box(name=names.option(option), x=[names.option(option)], q1=[q[0.25]], median=[q[0.5]], q3=[q[0.75]], lowerfence=[q[0.05]],
                             upperfence=[q[0.99]], mean=[mean], boxmean=True, showlegend=False,
                             marker_color=colours[option], line_color=colours[option]))
    _layout(fig, t("distribution_title", lang), yaxis_title=t("annual_loss", lang))
    _money_axis(fig, "y", everything, cur, lang)
    return fig


def downtime_figure(result: Appraisal, lang: str) -> go.Figure:
    """Expected downtime per service-year of each option, labelled with its availability."""
    risk = result.risk
    fig = go.Figure(go.Bar(x=Names(result.simulation.scenario, lang).options(risk.index), y=risk["downtime"],
                           text=[f"{a:.3f}%" for a in risk["availability"]], textposition="outside",
                           marker_color="#2c7fb8"))
    return _layout(fig, t("downtime_title", lang), yaxis_title=t("downtime_axis", lang))


def components_figure(result: Appraisal, lang: str) -> go.Figure:
    """Where the expected loss comes from: stacked cost components per option."""
    cur = result.simulation.scenario.currency
    comp = result.components
    options = Names(result.simulation.scenario, lang).options(comp.index)
    fig = go.Figure()
    for key in COMPONENTS:
        column = comp[key]
        if (column > 0).any():
            fig.add_trace(go.Bar(name=t(f"component_{key}", lang), x=options, y=column,
                                 hovertext=[money(v, cur, lang) for v in column]))
    _layout(fig, t("components_title", lang), barmode="stack", yaxis_title=t("ale", lang))
    _money_axis(fig, "y", comp.sum(axis=1), cur, lang)
    return fig


def named_threats(result: Appraisal) -> tuple[list[str], list[str]]:
    """The threats a breakdown names, and the rest it sums as "other".

    The largest by mean loss over the options until what is left is under
    :data:`OTHER_SHARE` of the total (at most :data:`TOP_THREATS`), and always the
    whole-site loss, the event the case is about, however little it costs a year.
    """
    by_threat = result.threats.sum().sort_values(ascending=False)  # over the options, as their mean ranks them
    order = list(by_threat.index)
    # What is left unnamed once the first i are named, for i = 0, 1, …: name until it is small.
    left = float(by_threat.sum()) - np.concatenate([[0.0], by_threat.cumsum().to_numpy()])
    count = next((i for i, rest in enumerate(left) if rest < OTHER_SHARE * (left[0] or 1.0)), len(order))
    named = order[:min(count, TOP_THREATS)]
    site = whole_site_loss(result.simulation.scenario)
    if site in order and site not in named:
        named.append(site)
    return named, [o for o in order if o not in named]


def threats_figure(result: Appraisal, lang: str) -> go.Figure:
    """Where the expected loss comes from: the largest threats per option and the whole-site loss, the rest summed."""
    cur = result.simulation.scenario.currency
    threats = result.threats
    top, rest = named_threats(result)
    names = Names(result.simulation.scenario, lang)
    options = names.options(threats.index)
    fig = go.Figure()
    for column in top:
        fig.add_trace(go.Bar(name=names.threat(column), x=options, y=threats[column]))
    if len(rest):
        fig.add_trace(go.Bar(name=t("other", lang), x=options, y=threats[rest].sum(axis=1)))
    _layout(fig, t("threats_title", lang), barmode="stack", yaxis_title=t("ale", lang))
    _money_axis(fig, "y", threats.sum(axis=1), cur, lang)
    return fig


def services_figure(result: Appraisal, lang: str) -> go.Figure:
    """Expected annual loss and downtime per service, one bar per option."""
    cur = result.simulation.scenario.currency
    svc = result.services.reset_index()
    # One panel above the other, each the page's width: seven services' names need it.
    fig = make_subplots(rows=2, cols=1, subplot_titles=(t("ale", lang), t("downtime_axis", lang)),
                        vertical_spacing=0.16)
    colours = option_colours(result)
    names = Names(result.simulation.scenario, lang)
    for option, rows in svc.groupby("option", sort=False):
        services = [names.service(s) for s in rows["service"]]
        fig.add_trace(go.Bar(name=names.option(option), x=services, y=rows["ale"], legendgroup=option,
                             marker_color=colours[option]), row=1, col=1)
        fig.add_trace(go.Bar(name=names.option(option), x=services, y=rows["downtime"],
                             legendgroup=option, showlegend=False, marker_color=colours[option]), row=2, col=1)
    _layout(fig, t("services_title", lang), barmode="group", height=2 * HEIGHT, legend={"orientation": "h", "y": -0.1})
    _money_axis(fig, "y", svc["ale"], cur, lang, row=1, col=1)
    return fig


def frontier_figure(result: Appraisal, lang: str) -> go.Figure:
    """Annual cost against expected annual loss and against the 1-in-100-year loss, one point per option.

    Each option is a legend entry in its colour (:func:`option_colours`); only today and
    the recommendation are also named beside their points, so close points never overprint.
    """
    cur = result.simulation.scenario.currency
    cost = result.investment["annual_cost"]
    ale = result.risk["ale"]
    tail = result.risk["var_99"]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("ale", lang), t("loss_100", lang)))
    colours = option_colours(result)
    named = {result.simulation.scenario.baseline.name, result.recommended}
    names = Names(result.simulation.scenario, lang)
    for col, (y, key) in enumerate(((ale, "ale"), (tail, "loss_100")), start=1):
        for option in cost.index:
            shown = names.option(option)
            fig.add_trace(go.Scatter(
                x=[cost[option]], y=[y[option]], mode="markers+text" if option in named else "markers",
                name=shown, legendgroup=option, showlegend=col == 1, text=[shown], textposition="middle right",
                marker={"size": 16 if option in named else 12, "color": colours[option]}, cliponaxis=False,
                hovertext=[f"{shown}: {money(cost[option], cur, lang)} → {money(y[option], cur, lang)}"]),
                row=1, col=col)
        _money_axis(fig, "x", cost, cur, lang, row=1, col=col, title_text=t("annual_cost", lang))
        _money_axis(fig, "y", y, cur, lang, row=1, col=col, title_text=t(key, lang))
    # The legend sits below the axes' titles, not on them.
    return _layout(fig, t("frontier_title", lang), margin={"t": 70, "l": 80, "r": 40},
                   legend={"orientation": "h", "y": -0.32})


def expense_investment_figure(result: Appraisal, lang: str) -> go.Figure:
    """Each option twice: as the budget sees it (annual cost) and as an investment (what it buys a year)."""
    sim = result.simulation
    cur = sim.scenario.currency
    base = sim.plan.baseline
    options = [o for i, o in enumerate(sim.options) if i != base]
    benefit = sim.benefit_year_sum.mean(axis=1) / sim.trials  # freed capacity, attrition [cur/yr]
    cost = result.investment["annual_cost"] - result.investment["annual_cost"].iloc[base]
    avoided = result.investment["loss_avoided"]
    value = [avoided[o] + benefit[sim.options.index(o)] - benefit[base] for o in options]
    expense = [-cost[o] for o in options]
    shown = Names(sim.scenario, lang).options(options)
    fig = go.Figure([
        go.Bar(name=t("expense_view", lang), x=shown, y=expense, marker_color="#c0392b",
               hovertext=[money(v, cur, lang) for v in expense]),
        # Written on the bar too: beside a large expense the investment view may be a sliver.
        go.Bar(name=t("investment_view", lang), x=shown, y=value, marker_color="#27ae60",
               text=[money(v, cur, lang) for v in value], textposition="outside", cliponaxis=False,
               hovertext=[money(v, cur, lang) for v in value]),
    ])
    _layout(fig, t("expense_investment_title", lang), barmode="group", yaxis_title=t("per_year", lang))
    _money_axis(fig, "y", expense + value, cur, lang)
    return fig


def freed_capacity_figure(table, cur: str, lang: str) -> go.Figure:
    """Freed engineer-hours a year (bars) and their value at loaded cost (line, right axis)."""
    years = [t("year_n", lang, n=y) for y in table.index]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=years, y=table["freed_hours"], name=t("freed_hours", lang), marker_color="#27ae60"),
                  secondary_y=False)
    value = table["freed_value"]
    fig.add_trace(go.Scatter(x=years, y=value, name=t("freed_value", lang), mode="lines+markers",
                             line={"color": "#2c3e50"}, hovertext=[money(v, cur, lang) for v in value]),
                  secondary_y=True)
    _layout(fig, t("freed_title", lang))
    fig.update_yaxes(title_text=t("freed_hours", lang), rangemode="tozero", secondary_y=False)
    _money_axis(fig, "y", value, cur, lang, secondary_y=True, title_text=t("freed_value", lang))
    return fig


def with_and_without_figure(result: Appraisal, without: str, with_it: str, lang: str) -> go.Figure:
    """One architecture without and with a skills programme: expected annual loss and NPV (P5–P95)."""
    cur = result.simulation.scenario.currency
    inv, risk = result.investment, result.risk
    names = [without, with_it]
    shown = Names(result.simulation.scenario, lang).options(names)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("ale", lang), t("npv", lang)))
    colours = ["#95a5a6", "#27ae60"]
    ale = [risk.loc[o, "ale"] for o in names]
    fig.add_trace(go.Bar(x=shown, y=ale, marker_color=colours, showlegend=False,
                         hovertext=[money(v, cur, lang) for v in ale]), row=1, col=1)
    npv = [inv.loc[o, "npv_mean"] for o in names]
    low = [inv.loc[o, "npv_p5"] for o in names]
    high = [inv.loc[o, "npv_p95"] for o in names]
    fig.add_trace(go.Bar(x=shown, y=npv, marker_color=colours, showlegend=False,
                         error_y={"type": "data", "symmetric": False, "array": [h - v for h, v in zip(high, npv)],
                                  "arrayminus": [v - lo for v, lo in zip(npv, low)]},
                         hovertext=[money(v, cur, lang) for v in npv]), row=1, col=2)
    _money_axis(fig, "y", ale, cur, lang, row=1, col=1)
    _money_axis(fig, "y", npv + low + high, cur, lang, row=1, col=2)
    return _layout(fig, t("with_without_title", lang, option=shown[0]))


def tornado_figure(table, labels: dict[str, str], cur: str, lang: str, metric_label: str) -> go.Figure:
    """Each input's low and high end as bars from the base value, largest swing on top."""
    rows = table.iloc[::-1]  # plotly draws the first bar at the bottom
    names = [labels.get(p, p) for p in rows.index]
    base = float(table["base"].iloc[0]) if len(table) else 0.0
    # Each bar's value, and the swing with its standard error (the two runs paired on the same futures).
    swing = [f"{t('swing', lang)} {money(v, cur, lang)} ± {money(se, cur, lang)}"
             for v, se in zip(rows["swing"], rows["swing_se"])]
    fig = go.Figure([
        go.Bar(y=names, x=rows["metric_low"] - base, base=base, orientation="h", name=t("at_p10", lang),
               marker_color="#2980b9",
               hovertext=[f"{money(v, cur, lang)} · {s}" for v, s in zip(rows["metric_low"], swing)]),
        go.Bar(y=names, x=rows["metric_high"] - base, base=base, orientation="h", name=t("at_p90", lang),
               marker_color="#e67e22",
               hovertext=[f"{money(v, cur, lang)} · {s}" for v, s in zip(rows["metric_high"], swing)]),
    ])
    fig.add_vline(x=base, line_color="#2c3e50", line_dash="dot")
    _layout(fig, t("tornado_title", lang, metric=metric_label), barmode="overlay",
            height=max(HEIGHT, 60 + 34 * len(table)), margin={"t": 70, "l": 10})
    # Swings are read against the base value, so this axis need not reach zero.
    _money_axis(fig, "x", list(table["metric_low"]) + list(table["metric_high"]) + [base], cur, lang,
                zero=False)
    return fig
