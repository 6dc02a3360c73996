"""Business-case report: one self-contained HTML file (Korean or English) and an Excel workbook.

It renders a :class:`~riskmodel.analysis.business_case.BusinessCase` and never simulates:
every figure comes from the case.
The HTML embeds plotly.js and every chart, so it opens offline; Jinja2 escapes every
string that comes from a scenario (names, sources), so a scenario cannot inject markup.
Needs the ``report`` extra (Jinja2, plotly, openpyxl).

Examples
--------
>>> from riskmodel import load, simulate, appraise
>>> from riskmodel.analysis.business_case import business_case
>>> case = business_case(appraise(simulate(load("kakao-2022"), 2_000)))  # doctest: +SKIP
>>> html = build_html(case, "ko", command="riskmodel report ...")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import io
import math
import pathlib
from collections.abc import Callable

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from riskmodel.analysis import recovery
from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.beyond_pnl import charges
from riskmodel.analysis.business_case import CONDITION_TRIALS, BusinessCase
from riskmodel.outputs import neutralise, write_file
from riskmodel.present import beyond_pnl as beyond
from riskmodel.present import charts, conditions, labels
from riskmodel.present import decision as decision_text
from riskmodel.present import evidence as evidence_tables
from riskmodel.present.assumptions import MONEY as MONEY_FIELDS
from riskmodel.present.assumptions import appendix, inputs_table, value_shown
from riskmodel.present.format import money, percent
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.present.narrative import programme_sentences, sentences
from riskmodel.present.tables import (
    architectures_table,
    comparison_table,
    options_described,
    programme_shown,
    risk_table,
    shown_order,
    tolerance_table,
)
from riskmodel.present.warnings import lines as warning_lines
from riskmodel.present.warnings import unsourced_text
from riskmodel.version import __version__

PRINT_WIDTH = 660  # px: charts fit the 182 mm between an A4 page's margins (≈ 688 px at 96 dpi)
PRINT_HEIGHT = 380  # px: a chart's height on paper, at most: four a page with their headings
SECTIONS = ("summary", "risk", "architectures", "skills", "sensitivity", "assumptions", "method")

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("riskmodel", "templates"),
                          autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                          undefined=jinja2.StrictUndefined)


def chart(make: Callable[[], go.Figure], lang: str) -> dict:
    """A chart as an HTML fragment, or a visible note saying why it could not be drawn.

    A report is read when its author is not there to fix a chart, so a chart that fails
    (say, a scenario with nothing to plot) must not take the whole file with it.
    """
    try:
        fig = make()
        # A chart drawn taller than one panel (panels stacked, a long tornado) keeps most of its height (to 1.7×).
        panels = min(max((fig.layout.height or charts.HEIGHT) / charts.HEIGHT, 1.0), 1.7)
        fig.update_layout(width=PRINT_WIDTH, height=round(PRINT_HEIGHT * panels), autosize=False)
        return {"html": fig.to_html(full_html=False, include_plotlyjs=False,
                                    config={"displayModeBar": False, "responsive": False})}
    except Exception as exc:  # noqa: BLE001 - see the docstring: any failure becomes a note
        return {"note": t("chart_failed", lang, reason=f"{type(exc).__name__}: {exc}")}


def _cells(df: pd.DataFrame, raw: pd.DataFrame | None = None) -> dict:
    """A table for the template: header, rows of (text, raw value or None)."""
    rows = []
    for i, (label, row) in enumerate(df.iterrows()):
        values = raw.iloc[i].tolist() if raw is not None else [None] * len(row)
        rows.append({"label": str(label), "cells": [{"text": str(v), "value": r if isinstance(r, (int, float))
                                                     and math.isfinite(r) else None} for v, r in zip(row, values)]})
    return {"index": str(df.index.name or ""), "columns": [str(c) for c in df.columns], "rows": rows}


def _grouped_cells(df: pd.DataFrame) -> dict:
    """A table indexed by (group, row) for the template: each group once, as a heading row above its rows."""
    out = _cells(df.droplevel(0))
    out["index"] = str(df.index.names[1])
    rows, last = [], None
    for group, row in zip(df.index.get_level_values(0), out["rows"]):
        if group != last:
            rows.append({"group": group or "–", "cells": []})
            last = group
        rows.append(row)
    out["rows"] = rows
    return out


def _comparison(result: Appraisal, lang: str) -> dict:
    """The executive table (rows: figures; columns: options), with each cell's raw value kept."""
    raw = result.comparison().loc[shown_order(result)].T
    shown = comparison_table(result, lang)
    return _cells(shown, raw)


def _programme_section(case: BusinessCase, lang: str) -> dict | None:
    programme = case.programme
    if programme is None:
        return None
    cur = case.appraisal.simulation.scenario.currency
    names = Names(case.appraisal.simulation.scenario, lang)
    freed, pairs, active = programme.freed, programme.pairs, programme.active_active
    return {
        "name": names.programme(programme.name),
        "sentences": programme_sentences(programme.combined, programme.name, freed["freed_hours"].iloc[-1],
                                         freed["freed_value"].iloc[-1], active, lang),
        "freed": chart(lambda: charts.freed_capacity_figure(freed, cur, lang), lang),
        "table": _cells(programme_shown(pairs, names), pairs),
        "with_without": chart(lambda: charts.with_and_without_figure(
            programme.combined, active, pairs.loc[active, "with_programme"], lang), lang)
        if active in pairs.index else None,
    }


def _sensitivity_section(case: BusinessCase, lang: str) -> dict:
    sim, found = case.appraisal.simulation, case.sensitivity
    scenario, cur = sim.scenario, sim.scenario.currency
    table = found.tornado
    names = Names(scenario, lang)
    labels = {p: names.input(p) for p in table.index}

    def at(path, value, metric):  # the input's value as its field reads, and the NPV there
        return f"{value_shown(value, path.rsplit('.', 1)[-1], cur, lang)} → {money(metric, cur, lang)}"
    shown = pd.DataFrame({
        t("at_p10", lang): [at(p, lo, v) for p, lo, v in zip(table.index, table["input_low"], table["metric_low"])],
        t("at_p90", lang): [at(p, hi, v) for p, hi, v in zip(table.index, table["input_high"], table["metric_high"])],
        t("swing", lang): [money(v, cur, lang) for v in table["swing"]],
    }, index=pd.Index([labels[p] for p in table.index], name=t("input", lang)))
    return {
        "tornado": chart(lambda: charts.tornado_figure(table, labels, cur, lang,
                                                       t("metric_npv", lang) + f" · {names.option(found.option)}"),
                         lang),
        "table": _cells(shown, table[["metric_low", "metric_high", "swing"]]),
        "note": t("tornado_note", lang, top=len(table), trials=found.trials),
        "evpi": t("evpi_sentence", lang, value=money(found.evpi, cur, lang), n=len(sim.options)),
        "evpi_value": found.evpi,
    }


def build_html(case: BusinessCase, lang: str = "en", command: str = "") -> str:
    """The business case as one HTML document that opens offline [text]; it renders, never simulates.

    Parameters
    ----------
    case : BusinessCase
        :func:`riskmodel.analysis.business_case.business_case` of an appraisal.
    lang : {"en", "ko"}
    command : str
        The command line that regenerates this report, printed in its method section.
    """
    result = case.appraisal
    sim = result.simulation
    scenario, cur = sim.scenario, sim.scenario.currency
    base, best = scenario.baseline.name, result.argued_for
    inv, risk = result.investment, result.risk
    names = Names(scenario, lang)
    risk_shown = risk_table(result, lang)
    risk_shown.index.name = t("option", lang)
    appendix_tables, left_out = appendix(scenario, lang)
    arch = architectures_table(result, lang)
    context = {
        "lang": lang, "t": lambda key, **kw: t(key, lang, **kw),
        "title": t("report_title", lang), "finding": decision_text.finding(result, lang), "scenario": scenario.name, "description": scenario.description or "",
        "generated": datetime.date.today().isoformat(),
        "headline": decision_text.headline(result, lang),
        "figures": decision_text.figures(result, lang),
        "reasons": decision_text.reasons(result, lang),
        "precision": decision_text.precision_text(result, lang),
        "sentences": sentences(result, lang),
        "options": options_described(result, lang),
        "comparison": _comparison(result, lang),
        "conditions": _cells(conditions.table(case.conditions, names)) if case.conditions else None,
        "beyond": _beyond(result, lang),
        "conditions_caption": conditions.caption(result, min(sim.trials, CONDITION_TRIALS), lang),
        "expense": chart(lambda: charts.expense_investment_figure(result, lang), lang),
        "lec": chart(lambda: charts.exceedance_figure(result, lang), lang),
        "tolerance": _cells(tolerance_table(result, lang)) if result.tolerance is not None else None,
        "risk_table": _cells(risk_shown.T),
        "downtime": chart(lambda: charts.downtime_figure(result, lang), lang),
        "services": chart(lambda: charts.services_figure(result, lang), lang) if len(scenario.services) > 1 else None,
        "concentration": [(names.option(o), percent(v, lang)) for o, v in result.concentration.items()]
        if len(scenario.services) > 1 else None,
        "frontier": chart(lambda: charts.frontier_figure(result, lang), lang),
        "architectures": _cells(arch.drop(columns=[t("source", lang)])),
        "architecture_sources": list(zip(arch.index, arch[t("source", lang)])),
        "skills": _programme_section(case, lang),
        "sensitivity": _sensitivity_section(case, lang),
        "assumptions": [(title, _grouped_cells(df)) for title, df in appendix_tables],
        "assumptions_left_out": t("ap_left_out", lang, n=left_out) if left_out else "",
        "evidence": _evidence(case, lang),
        "warnings": warning_lines(scenario, lang),
        "unsourced": unsourced_text(scenario, lang),
        "method": {
            "trials": f"{sim.trials:,}", "seed": sim.seed, "horizon": sim.horizon_years, "version": __version__,
            "discount_rate": percent(scenario.finance.discount_rate, lang),
            "standard_errors": [
                (t("ale", lang) + f" · {names.option(base)}", money(risk.loc[base, "ale_se"], cur, lang)),
                (t("ale", lang) + f" · {names.option(best)}", money(risk.loc[best, "ale_se"], cur, lang)),
                (t("npv", lang) + f" · {names.option(best)}", money(inv.loc[best, "npv_se"], cur, lang)),
            ],
            "command": command,
        },
        "plotly_js": plotly.offline.get_plotlyjs(),
    }
    return _ENV.get_template("report.html.j2").render(**context)


def _evidence(case: BusinessCase, lang: str) -> dict | None:
    """The ladder, the recorded fire service by service and the back-tests, for the method section."""
    found = case.evidence
    if found is None:
        return None
    trials = f"{found.trials:,}"
    names = Names(case.appraisal.simulation.scenario, lang)
    backtest = evidence_tables.backtest(found.backtest, lang)
    why = backtest.pop(t("ev_why", lang))
    return {
        "ladder": _cells(evidence_tables.ladder_wide(found.ladder, names)) if found.ladder is not None else None,
        "ladder_caption": t("ev_ladder_caption", lang, threat=names.threat(found.ladder.attrs["threat"]), trials=trials)
        if found.ladder is not None else "",
        "restoration": _cells(evidence_tables.restoration(found.restoration, names))
        if found.restoration is not None else None,
        "restoration_caption": t("ev_restoration_caption", lang, threat=names.threat(recovery.KAKAO_THREAT),
                                 hours=f"{recovery.KAKAO_HOURS:g}",
                                 option=names.option(case.appraisal.simulation.scenario.baseline.name), trials=trials),
        "backtest": _cells(backtest), "backtest_caption": t("ev_backtest_caption", lang, trials=trials),
        "backtest_summary": evidence_tables.backtest_summary(found.backtest, lang),
        "why": [(c, text) for c, text in why.items() if text],
    }


def _beyond(result: Appraisal, lang: str) -> dict | None:
    """What the market and the regulator charged, for page 1, where the scenario gives them."""
    found = charges(result)
    if found is None:
        return None
    given = result.simulation.scenario.beyond_pnl
    names = Names(result.simulation.scenario, lang)
    return {"table": _cells(beyond.table(found, names)), "sentence": beyond.sentence(result, found, lang),
            "caption": t("bp_caption", lang, threat=names.threat(found.attrs["threat"]),
                         source=given.source or t("no_source", lang))}


def write_html(case: BusinessCase, path: pathlib.Path, lang: str = "en", command: str = "") -> pathlib.Path:
    """Write :func:`build_html` to ``path`` (UTF-8), whole or not at all (:func:`~riskmodel.outputs.write_file`)."""
    return write_file(path, build_html(case, lang, command).encode("utf-8"))


MONEY_FORMAT = "#,##0"
SCALED_MONEY_FORMAT = "#,##0.0"  # money in a larger unit (억): one decimal
SHARE_FORMAT = "0.0%"


def write_workbook(result: Appraisal, path, lang: str = "en"):
    """An Excel workbook of the appraisal: numbers stored as numbers, with formats.

    Sheets: ``Assumptions`` (every input, its range and source), ``Options`` (per-option
    risk and investment metrics), ``Cash flows`` (expected yearly cash flows per option
    against the baseline) and ``Loss exceedance`` (P(annual loss > x) per option), named
    in the reader's language. Column headers are the labels registry's, with their units:
    in English its headers (``[KRW/yr]``, ``[0-1]``; :func:`riskmodel.present.labels.header`),
    in Korean its labels with KRW counted in 억 (the numbers divided by 1e8, so a cell reads
    as its header says; :func:`riskmodel.present.labels.reader_header`).
    Text from the scenario (names, sources) is stored as text that cannot start a
    formula (:func:`_cell`). ``path`` is a file path, written whole or not at all
    (:func:`~riskmodel.outputs.write_file`), or a binary file-like object; it is returned.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sim = result.simulation
    scenario, cur = sim.scenario, sim.scenario.currency
    scale = labels.money_scale(cur, lang)
    money_format = MONEY_FORMAT if scale == 1.0 else SCALED_MONEY_FORMAT
    money_unit = cur if scale == 1.0 else "억 원"
    book = Workbook()

    def sheet(title: str, df: pd.DataFrame, index_label: str, formats: Callable[[str], str | None]) -> None:
        ws = book.create_sheet(title)
        ws.append([_cell(index_label), *(_cell(str(c)) for c in df.columns)])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for label, row in df.iterrows():
            ws.append([_cell(label), *map(_cell, row)])
        for j, column in enumerate(df.columns, start=2):
            fmt = formats(str(column))
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
        ws.freeze_panes = "B2"
        ws.column_dimensions["A"].width = 28

    assumptions = inputs_table(scenario, lang)
    if scale != 1.0:  # money inputs in 억, said in a unit column
        money = [p.rsplit(".", 1)[-1] in MONEY_FIELDS for p in assumptions.index]
        for key in ("low", "likely", "high"):
            column = t(key, lang)
            assumptions[column] = [v / scale if m else v for v, m in zip(assumptions[column], money)]
        assumptions.insert(assumptions.columns.get_loc(t("low", lang)), t("unit", lang),
                           [money_unit if m else "" for m in money])
    sheet(t("wb_assumptions", lang), assumptions, "path", lambda c: None)
    names = Names(scenario, lang)
    options = pd.concat([result.risk, result.investment.drop(columns=["baseline"])], axis=1)
    # Rows by the options' names, as the report calls them; the identifier last, for joining with the CSV tables.
    shown = pd.DataFrame(index=names.options(options.index))
    formats = {}
    for key in options.columns:
        header = labels.reader_header(key, cur, lang)
        is_money = labels.kind(key) == "money"
        shown[header] = (options[key] / scale if is_money else options[key]).to_numpy()
        formats[header] = money_format if is_money else _number_format(key)
    shown[t("wb_identifier", lang)] = list(options.index)
    sheet(t("wb_options", lang), shown, t("option", lang) if lang != "en" else "option", formats.get)
    flows = labels.headed(result.cash_flows) / scale
    flows.index = names.options(result.cash_flows.index)
    if lang != "en":
        flows.columns = [t("wb_year0", lang) if y == 0 else t("wb_year", lang, n=y) for y in result.cash_flows.columns]
    sheet(t("wb_cash_flows", lang), flows, f"{t('option', lang) if lang != 'en' else 'option'} [{money_unit}]",
          lambda c: money_format)
    exceedance = labels.headed(result.exceedance)
    exceedance.columns = names.options(result.exceedance.columns)
    exceedance.index = exceedance.index / scale
    index_name = exceedance.index.name if lang == "en" else labels.reader_header("annual_loss", cur, lang)
    sheet(t("wb_exceedance", lang), exceedance, index_name, lambda c: "0.0000")
    book.remove(book["Sheet"])
    if hasattr(path, "write"):  # a file-like object, e.g. for a download
        book.save(path)
        return path
    data = io.BytesIO()
    book.save(data)
    return write_file(path, data.getvalue())


def _number_format(key: str) -> str | None:
    """A workbook column's number format, by the registry's unit: money in the currency, shares as percentages."""
    unit = labels.FIELDS[key].unit or ""
    return MONEY_FORMAT if unit.startswith("{c}") else SHARE_FORMAT if unit == labels.SHARE else None


def _cell(value: object) -> object:
    """A value as a workbook cell holds it: a number as a number (none if not finite), text as inert text.

    Text goes through :func:`~riskmodel.outputs.neutralise`, so no name or source can
    become a formula, and loses the control characters an xlsx file (XML) cannot hold.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = value.item() if hasattr(value, "item") else value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
