"""The model beside what happened, as tables people read (no Streamlit): the ladder, one fire per service, back-tests.

Each function takes a table of :mod:`riskmodel.analysis.recovery` or
:mod:`riskmodel.analysis.backtest` and returns one with the reader's headers, money in
the locale's units and every estimate with its standard error; the command line prints
them and the report's method section shows them.
"""

from __future__ import annotations

import math

import pandas as pd

from riskmodel.analysis.backtest import WITHIN
from riskmodel.present.format import money
from riskmodel.present.i18n import t
from riskmodel.present.names import Names


def _se(value: float, se: float, digits: int = 1) -> str:
    return f"{value:.{digits}f} ± {se:.{digits}f}"


def ladder(table: pd.DataFrame, names: Names) -> pd.DataFrame:
    """One row per length of loss and preset ("24 h · Pilot light"): downtime and data lost per service [h], the
    event's cost, each ± SE."""
    cur, lang = table.attrs["currency"], names.lang
    index = pd.Index([f"{h:g} h · {names.architecture(p)}" for h, p in table.index],
                     name=f"{t('ev_site_lost', lang)} · {t('ev_preset', lang)}")
    return pd.DataFrame({
        t("ev_downtime", lang): [_se(v, s) for v, s in zip(table["downtime"], table["downtime_se"])],
        t("ev_data_lost", lang): [_se(v, s, 2) for v, s in zip(table["data_loss"], table["data_loss_se"])],
        t("ev_cost", lang): [f"{money(v, cur, lang)} ± {money(s, cur, lang)}"
                             for v, s in zip(table["cost"], table["cost_se"])]}, index=index)


def ladder_wide(table: pd.DataFrame, names: Names) -> pd.DataFrame:
    """:func:`ladder` with one row per preset and the lengths of loss side by side (for a printed page)."""
    long, lang = ladder(table, names), names.lang
    presets = [names.architecture(p) for p in dict.fromkeys(p for _, p in table.index)]
    wide = pd.DataFrame(index=pd.Index(presets, name=t("ev_preset", lang)))
    for hours in dict.fromkeys(h for h, _ in table.index):
        for column in long.columns:
            wide[f"{hours:g} h · {column}"] = [long.loc[f"{hours:g} h · {p}", column] for p in presets]
    return wide


def restoration(table: pd.DataFrame, names: Names) -> pd.DataFrame:
    """Per service (by name): the record (where given) and the model's median, 90 % range and mean ± SE [h]."""
    lang = names.lang
    shown = pd.DataFrame(index=pd.Index([names.service(s) for s in table.index], name=t("service", lang)))
    recorded = "record_hours" in table
    if recorded:
        shown[t("ev_recorded", lang)] = [f"{h:g} ({f})" for h, f in zip(table["record_hours"], table["feature"])]
    shown[t("ev_median", lang)] = [f"{v:.1f}" for v in table["median"]]
    shown[t("ev_range", lang)] = [f"{lo:.1f}–{hi:.1f}" for lo, hi in zip(table["p05"], table["p95"])]
    shown[t("ev_mean", lang)] = [_se(v, s) for v, s in zip(table["mean"], table["se"])]
    if recorded:
        shown[t("ev_within_range", lang)] = [t("yes" if w else "no", lang) for w in table["within"]]
    return shown


def backtest(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per case: hours, published cost, the model's mean ± SE and 90 % range, their ratio, within 3×, and why not."""
    rows = []
    for case, r in table.iterrows():
        cur, built = r["currency"], math.isfinite(r["mean"])
        rows.append({
            t("ev_case", lang): case, t("ev_hours", lang): f"{r['hours']:g}",
            t("ev_published", lang): money(r["published"], cur, lang),
            t("ev_model", lang): f"{money(r['mean'], cur, lang)} ± {money(r['se'], cur, lang)}" if built
            else t("ev_not_built", lang),
            t("ev_model_range", lang): f"{money(r['p05'], cur, lang)} – {money(r['p95'], cur, lang)}" if built else "–",
            t("ev_ratio", lang): f"{r['ratio']:.2g}×" if built else "–",
            t("ev_within", lang, factor=f"{WITHIN:g}"): t("yes" if r["within"] else "no", lang) if built else "–",
            t("ev_why", lang): r["why"]})
    return pd.DataFrame(rows).set_index(t("ev_case", lang))


def backtest_summary(table: pd.DataFrame, lang: str) -> str:
    """How many cases built are within 3× of their published cost, and how many could not be built."""
    built = table["mean"].notna()
    return t("ev_summary", lang, within=int(table["within"].sum()), built=int(built.sum()),
             factor=f"{WITHIN:g}", unbuilt=int((~built).sum()))
