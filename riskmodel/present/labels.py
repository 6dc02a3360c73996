"""One registry of the figures riskmodel shows: each table column's label, unit and format.

The appraisal's tables (:mod:`riskmodel.analysis.appraisal`) have stable snake_case
columns (``npv_mean``) and carry their currency in ``DataFrame.attrs["currency"]``. What a
person reads comes from here only: the label in each language (through
:func:`riskmodel.present.i18n.t`), the unit, and the kind of number, which says how it is
formatted. The tables and charts on screen, the narrative, the CLI, the CSV files, the
workbook and the report all take their words from this registry, so renaming a label
never breaks a lookup.

A column's *header* is the English name with its unit, as written in CSV files and
workbooks (``NPV mean [KRW]``); its *compact* header is the executive table's shorter
form (``P(NPV > 0)``: shares and ratios without their unit).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from riskmodel.present.i18n import N_, t

#: Units of a column; ``{c}`` stands for the scenario's currency.
MONEY, MONEY_PER_YEAR, SHARE, RATIO = "{c}", "{c}/yr", "0-1", "-"
#: Units a compact header leaves out: a share or a ratio reads as one without brackets.
_SILENT_UNITS = (SHARE, RATIO)


@dataclasses.dataclass(frozen=True)
class Field:
    """What one column means to a reader.

    Attributes
    ----------
    name : str
        English name, as in CSV and workbook headers, without the unit.
    unit : str or None
        The unit, ``{c}`` for the currency: ``{c}/yr``, ``h/yr``, ``0-1`` …; None for text.
    kind : str
        How values are formatted on screen: ``money``, ``share`` (0–1 as %), ``percent``
        (already in %), ``hours``, ``years``, ``number``, ``int``, ``flag``, ``text``.
    text : str
        The :mod:`riskmodel.present.i18n` key of its label in each language.
    short : str or None
        A shorter English name for the executive table's compact header.
    """

    name: str
    unit: str | None
    kind: str
    text: str
    short: str | None = None


FIELDS: dict[str, Field] = {
    # Risk, per option (Appraisal.risk)
    "ale": Field("ALE", MONEY_PER_YEAR, "money", N_("ale")),
    "ale_se": Field("ALE standard error", MONEY_PER_YEAR, "money", N_("ale_se")),
    "median_loss": Field("median annual loss", MONEY, "money", N_("median_loss")),
    "var_95": Field("VaR 95% (1-in-20-year loss)", MONEY, "money", N_("loss_20"), short="1-in-20 loss"),
    "tvar_95": Field("TVaR 95%", MONEY, "money", N_("tvar_95")),
    "var_99": Field("VaR 99% (1-in-100-year loss)", MONEY, "money", N_("loss_100"), short="1-in-100 loss"),
    "var_99_low": Field("VaR 99% 90% interval low", MONEY, "money", N_("loss_100_low")),
    "var_99_high": Field("VaR 99% 90% interval high", MONEY, "money", N_("loss_100_high")),
    "tvar_99": Field("TVaR 99%", MONEY, "money", N_("tvar_99")),
    "p_loss": Field("P(annual loss > 0)", SHARE, "share", N_("p_loss")),
    "downtime": Field("expected downtime", "h/yr", "hours", N_("downtime")),
    "availability": Field("availability", "%", "percent", N_("availability")),
    "nines": Field("nines", RATIO, "number", N_("nines")),
    # Investment against the baseline, per option (Appraisal.investment)
    "baseline": Field("baseline", None, "flag", N_("baseline")),
    "capex": Field("capex", MONEY, "money", N_("capex")),
    "annual_cost": Field("annual cost", MONEY_PER_YEAR, "money", N_("annual_cost")),
    "loss_avoided": Field("expected loss avoided", MONEY_PER_YEAR, "money", N_("loss_avoided"), short="loss avoided"),
    "capacity_benefit": Field("capacity and attrition benefit", MONEY_PER_YEAR, "money", N_("capacity_freed"),
                           short="capacity freed"),
    "npv_mean": Field("NPV mean", MONEY, "money", N_("npv")),
    "npv_se": Field("NPV standard error", MONEY, "money", N_("npv_se")),
    "p_npv_positive_se": Field("P(NPV > 0) standard error", SHARE, "share", N_("p_npv_se")),
    "npv_p5": Field("NPV P5", MONEY, "money", N_("npv_p5")),
    "npv_p95": Field("NPV P95", MONEY, "money", N_("npv_p95")),
    "p_npv_positive": Field("P(NPV > 0)", SHARE, "share", N_("p_npv")),
    "roi": Field("ROI", RATIO, "share", N_("roi")),
    "payback": Field("payback", "yr", "years", N_("payback")),
    "irr": Field("IRR", "1/yr", "share", N_("irr")),
    "total_cost_of_risk": Field("total cost of risk", MONEY_PER_YEAR, "money", N_("total_cost_of_risk")),
    "gordon_loeb": Field("Gordon-Loeb reference", MONEY_PER_YEAR, "money", N_("gordon_loeb")),
    # Expected annual loss by cost component (Appraisal.components), DESIGN §6
    "revenue": Field("lost revenue", MONEY_PER_YEAR, "money", N_("component_revenue")),
    "productivity": Field("idle staff", MONEY_PER_YEAR, "money", N_("component_productivity")),
    "sla": Field("SLA penalties", MONEY_PER_YEAR, "money", N_("component_sla")),
    "compensation": Field("compensation", MONEY_PER_YEAR, "money", N_("component_compensation")),
    "regulatory": Field("regulatory fines", MONEY_PER_YEAR, "money", N_("component_regulatory")),
    "churn": Field("customer churn", MONEY_PER_YEAR, "money", N_("component_churn")),
    "response": Field("incident response", MONEY_PER_YEAR, "money", N_("component_response")),
    "data_loss": Field("data loss", MONEY_PER_YEAR, "money", N_("component_data_loss")),
    # Per service (Appraisal.services); the loss and downtime are the risk table's
    "architecture": Field("architecture", None, "text", N_("architecture")),
    # Risk tolerance (Appraisal.tolerance)
    "loss": Field("loss", MONEY, "money", N_("loss")),
    "acceptable_p": Field("acceptable P", SHARE, "share", N_("acceptable_p")),
    "simulated_p": Field("simulated P", SHARE, "share", N_("simulated_p")),
    "simulated_p_se": Field("simulated P standard error", SHARE, "share", N_("simulated_p_se")),
    "verdict": Field("verdict", None, "text", N_("verdict")),
    "breached": Field("breached", None, "flag", N_("tolerance_breached")),
    # Concentration (Appraisal.concentration)
    "concentration": Field("concentration of risk", SHARE, "share", N_("concentration")),
    # What one building costs (Appraisal.buildings)
    "threat": Field("threat", None, "text", N_("threat")),
    "outage_hours": Field("outage", "h", "hours", N_("outage_hours")),
    "data_lost_hours": Field("data lost", "h", "hours", N_("data_lost_hours")),
    "services_down": Field("services down", None, "text", N_("services_down")),
    # Architectures (Appraisal.architectures)
    "preset": Field("preset", None, "text", N_("preset")),
    "covers": Field("covers", None, "text", N_("covers")),
    "failover_control": Field("failover control", None, "text", N_("failover_control")),
    "rto_p5": Field("RTO P5", "h", "hours", N_("rto")),
    "rto_p95": Field("RTO P95", "h", "hours", N_("rto")),
    "rpo_p5": Field("RPO P5", "h", "hours", N_("rpo")),
    "rpo_p95": Field("RPO P95", "h", "hours", N_("rpo")),
    "failover_success_p5": Field("failover success P5", SHARE, "share", N_("failover_success")),
    "failover_success_p95": Field("failover success P95", SHARE, "share", N_("failover_success")),
    "opex": Field("opex", MONEY_PER_YEAR, "money", N_("opex")),
    "capex_multiple": Field("capex multiple", "x infra cost", "number", N_("capex")),
    "opex_multiple": Field("opex multiple", "x infra cost/yr", "number", N_("opex")),
    "source": Field("source", None, "text", N_("source")),
    # A skills programme on each architecture (riskmodel.analysis.appraisal.programme_table)
    "with_programme": Field("with programme", None, "text", N_("with_programme")),
    "npv_without": Field("NPV without", MONEY, "money", N_("npv_without")),
    "npv_with": Field("NPV with", MONEY, "money", N_("npv_with")),
    "programme_adds": Field("programme adds", MONEY, "money", N_("programme_adds")),
    "roi_with": Field("ROI with", RATIO, "share", N_("roi")),
    "payback_with": Field("payback with", "yr", "years", N_("payback")),
    "p_npv_with": Field("P(NPV > 0) with", SHARE, "share", N_("p_npv")),
    # Freed capacity year by year (riskmodel.models.skills.freed_capacity_table)
    "toil_share": Field("toil share", SHARE, "share", N_("toil_share")),
    "freed_hours": Field("freed hours", "h/yr", "int", N_("freed_hours")),
    "freed_value": Field("freed capacity value", MONEY_PER_YEAR, "money", N_("freed_value")),
    # Index levels
    "option": Field("option", None, "text", N_("option")),
    "service": Field("service", None, "text", N_("service")),
    "site": Field("site", None, "text", N_("site")),
    "year": Field("year", None, "int", N_("year")),
    "annual_loss": Field("annual loss", MONEY, "money", N_("annual_loss")),
}


def unit(key: str, currency: str, units: dict[str, str] | None = None) -> str | None:
    """The unit of column ``key`` with the currency written in (``KRW/yr``); None for text.

    ``units`` (a table's ``attrs["units"]``) gives a table's own unit for a column where it
    differs from the registry's: one event's loss by component [currency], where the
    component table's are a year's [currency/yr].
    """
    u = (units or {}).get(key, FIELDS[key].unit)
    return None if u is None else u.format(c=currency)


def header(key: str, currency: str, compact: bool = False, units: dict[str, str] | None = None) -> str:
    """The English header of column ``key``, as CSV files and workbooks write it.

    Examples
    --------
    >>> header("npv_mean", "KRW"), header("p_npv_positive", "KRW"), header("p_npv_positive", "KRW", compact=True)
    ('NPV mean [KRW]', 'P(NPV > 0) [0-1]', 'P(NPV > 0)')
    """
    field = FIELDS[key]
    name = (field.short or field.name) if compact else field.name
    if field.unit is None or (compact and field.unit in _SILENT_UNITS):
        return name
    return f"{name} [{unit(key, currency, units)}]"


def label(key: str, lang: str) -> str:
    """What a reader calls column ``key``, in ``lang``.

    Examples
    --------
    >>> label("npv_mean", "en"), label("npv_mean", "ko")
    ('Net present value (NPV)', '순현재가치(NPV)')
    """
    return t(FIELDS[key].text, lang)


#: Units in Korean, word by word ("KRW/yr" → "억 원/년" where money is shown in 억).
_KO_UNITS = {"yr": "년", "h": "시간", "trials": "회", "events": "건", "people": "명"}


def money_scale(currency: str, lang: str) -> float:
    """What a money figure is divided by where a reader counts it in larger units: 1e8 (억) for KRW in Korean, else 1."""
    return 1e8 if currency == "KRW" and lang == "ko" else 1.0


def reader_header(key: str, currency: str, lang: str) -> str:
    """Column ``key``'s header for a reader of ``lang``, its unit in their words: :func:`header` in English,
    ``label [unit]`` in Korean with KRW in 억 (``순현재가치(NPV) [억 원]``), as :func:`money_scale` scales it."""
    if lang == "en":
        return header(key, currency)
    u = unit(key, currency)
    if u is None:
        return label(key, lang)
    money_unit = "억 원" if money_scale(currency, lang) == 1e8 else currency
    words = [money_unit if w == currency else _KO_UNITS.get(w, w) for w in u.split("/")]
    return f"{label(key, lang)} [{'/'.join(words)}]"


def kind(key: str) -> str:
    """How column ``key`` is formatted: see :class:`Field`."""
    return FIELDS[key].kind


def headed(table: pd.DataFrame | pd.Series, compact: bool = False) -> pd.DataFrame:
    """``table`` with its columns and index levels under their English headers (CSV, workbook).

    A table whose columns are names of things (``attrs["names"]``: threats, options) keeps
    them, with the table's ``attrs["unit"]`` added where it gives one; whole-number columns
    are the years of a cash-flow table (year 0: the capital spent up front); every other
    column is a key of the registry.
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    currency, units = table.attrs["currency"], table.attrs.get("units")
    shared = table.attrs.get("unit")

    def name(key):
        if isinstance(key, int):
            return "year 0 [capital]" if key == 0 else f"year {key}"
        if table.attrs.get("names"):
            return key if shared is None else f"{key} [{shared.format(c=currency)}]"
        return header(key, currency, compact, units)

    out = frame.rename(columns={c: name(c) for c in frame.columns})
    names = [n if n is None else header(n, currency) for n in out.index.names]
    out.index = out.index.set_names(names if out.index.nlevels > 1 else names[0])
    return out
