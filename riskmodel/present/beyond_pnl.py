"""What the market and the regulator charged, as a table and a sentence people read (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.beyond_pnl import best_with
from riskmodel.present.format import money
from riskmodel.present.i18n import N_, t
from riskmodel.present.names import Names

HEADERS = {"market": N_("bp_market"), "regulatory": N_("bp_regulatory"), "avoided_pv": N_("bp_avoided"),
           "npv": N_("bp_npv"), "npv_with": N_("bp_npv_with")}


def table(charges: pd.DataFrame, names: Names) -> pd.DataFrame:
    """Options (by name) as rows; each charge and NPV in the locale's money, one unit per column."""
    cur, lang = charges.attrs["currency"], names.lang
    shown = pd.DataFrame(index=pd.Index(names.options(charges.index), name=t("option", lang)))
    for key, header in HEADERS.items():
        column = charges[key]
        widest = float(column.abs().max())
        shown[t(header, lang)] = [money(v, cur, lang, like=widest) for v in column]
    return shown


def sentence(result: Appraisal, charges: pd.DataFrame, lang: str) -> str:
    """Whether counting the charges changes the answer, and whether the scenario counts them."""
    best = best_with(result, charges)
    cur = charges.attrs["currency"]
    counted = t("bp_counted" if charges.attrs["included"] else "bp_not_counted", lang)
    if best is None:
        return counted + " " + t("bp_none_pays", lang)
    option = Names(result.simulation.scenario, lang).option(best[0])
    return counted + " " + t("bp_best", lang, option=option, npv=money(best[1], cur, lang))
