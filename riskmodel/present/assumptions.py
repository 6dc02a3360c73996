"""Every input of a scenario as a table people read: grouped as the scenario is, with its range and source.

Shared by the app's Assumptions page and the business-case report (no Streamlit here).
"""

from __future__ import annotations

import re

import pandas as pd
from babel.numbers import format_decimal, format_percent

from riskmodel import Scenario
from riskmodel.inputs import all_inputs, shown_inputs
from riskmodel.present.format import LOCALES, money
from riskmodel.present.i18n import N_, t
from riskmodel.present.names import Names, field_name
from riskmodel.schema import FIELDS

GROUPS = ("threats", "sites", "services", "architectures", "presets", "skills_programmes")


def group_of(path: str) -> str:
    """The scenario section an input path belongs to (``threats[2].rate`` → ``threats``)."""
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    return head if head in GROUPS else "other"


def inputs_table(scenario: Scenario, lang: str) -> pd.DataFrame:
    """Every input of a scenario with its group, form, (low, most likely, high) and source; indexed by path."""
    rows, names = [], Names(scenario, lang)
    for path, q, aleatory in all_inputs(scenario):
        low, likely, high = (float(f"{v:.6g}") for v in q.summary())  # 0.002, not 0.001999999999999999
        rows.append({"path": path, t("group", lang): t(f"group_{group_of(path)}", lang),
                     t("input", lang): names.input(path), t("form", lang): q.form,
                     t("varies", lang): t("per_event" if aleatory else "per_trial", lang),
                     t("low", lang): low, t("likely", lang): likely, t("high", lang): high,
                     t("source", lang): q.source or t("no_source", lang)})
    return pd.DataFrame(rows).set_index("path")


#: What a form's middle value is, and so what its three columns are called.
CENTRAL = {"pert": "likely", "triangular": "likely", "uniform": "midpoint", "ci90": "median",
           "lognormal": "median", "beta": "median", "gamma": "median", "value": "value"}
#: Column keys of each kind's table: bounds around a mode or midpoint, percentiles around a median.
_COLUMNS = {"likely": (N_("ap_min"), N_("ap_likely"), N_("ap_max")),
            "midpoint": (N_("ap_min"), N_("ap_midpoint"), N_("ap_max")),
            "median": (N_("ap_p05"), N_("ap_median"), N_("ap_p95")), "value": (N_("ap_value"),)}
_TITLES = {"likely": N_("ap_title_likely"), "midpoint": N_("ap_title_midpoint"), "median": N_("ap_title_median"),
           "value": N_("ap_title_value")}
#: Fields in money, from the schema's units (``{c}`` is the scenario's currency).
MONEY = frozenset(f for fields in FIELDS.values() for f, (unit, _) in fields.items() if "{c}" in unit)


#: Units of the schema's fields (``{c}/h``, ``h``, ``0-1``, ``×``), by field name.
UNITS = {f: unit for fields in FIELDS.values() for f, (unit, _) in fields.items()}


def value_shown(value: float, field: str, currency: str, lang: str, like: float | None = None) -> str:
    """An input's value as a reader counts it, by its field's unit: money in the locale's units (1,218억 원,
    in the unit of ``like`` where given, so a row reads in one unit), shares as percentages, hours and rates
    with their unit, multiples with ×, other numbers to four significant figures.

    Examples
    --------
    >>> value_shown(0.4, "recovered_fraction", "KRW", "en"), value_shown(72, "churn_tau_hours", "KRW", "ko")
    ('40%', '72시간')
    """
    if field in MONEY:
        return money(value, currency, lang, digits=2, like=like)
    unit = UNITS.get(field, "")
    if unit == "0-1":
        return format_percent(value, format="#,##0.##%", locale=LOCALES[lang])
    number = format_decimal(float(f"{value:.4g}"), format="#,##0.####", locale=LOCALES[lang])
    if unit == "h":
        return number + t("unit_hours", lang)
    if unit.endswith("/yr") and "{c}" not in unit:
        return number + t("unit_per_year", lang)
    return number + "×" if unit.startswith("×") else number


def appendix(scenario: Scenario, lang: str) -> tuple[list[tuple[str, pd.DataFrame]], int]:
    """The report's assumptions: one table per kind of middle value, and how many inputs were left out.

    Only :func:`riskmodel.inputs.shown_inputs`; each row in one unit (:func:`value_shown`, money
    in the locale's units); PERT and triangular inputs under min / most likely / max, the
    percentile forms under 5th / median / 95th, uniform ones under min / midpoint / max, fixed
    ones as a value. Rows are indexed by (what the input belongs to, its field), both in words.
    """
    cur, names = scenario.currency, Names(scenario, lang)
    kinds: dict[str, list[dict]] = {k: [] for k in _COLUMNS}
    for path, q, _ in shown_inputs(scenario):
        kind = CENTRAL[q.form]
        field = path.rsplit(".", 1)[-1]
        values = (q.value,) if kind == "value" else q.summary()
        row = {t("ap_part", lang): names.owner(path), t("input", lang): field_name(field, lang)}
        if kind != "value":
            row[t("form", lang)] = q.form
        widest = max(abs(v) for v in values)
        row.update({t(key, lang): value_shown(v, field, cur, lang, like=widest)
                    for key, v in zip(_COLUMNS[kind], values)})
        row[t("source", lang)] = q.source or t("no_source", lang)
        kinds[kind].append(row)
    tables = [(t(_TITLES[kind], lang), pd.DataFrame(rows).set_index([t("ap_part", lang), t("input", lang)]))
              for kind, rows in kinds.items() if rows]
    left_out = sum(1 for _ in all_inputs(scenario)) - sum(len(df) for _, df in tables)
    return tables, left_out
