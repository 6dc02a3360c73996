"""What would have to be true, in words: each option's break-even conditions as a table people read.

From :func:`riskmodel.analysis.breakeven.card`: one row per option, a column per
condition (how often the whole site is lost, what one such loss costs, how often its
failover works), each cell saying where the option starts to pay, with its standard
error, beside what the scenario assumes; or that it pays over the whole plausible range,
or nowhere in it. No Streamlit here: the app and the report show the same table.
"""

from __future__ import annotations

import pandas as pd

from riskmodel.analysis.appraisal import Appraisal
from riskmodel.analysis.breakeven import KINDS, BreakEven
from riskmodel.present.decision import basis_name
from riskmodel.present.format import money, percent
from riskmodel.present.i18n import N_, t
from riskmodel.present.names import Names

HEADERS = {"site_rate": N_("be_site_rate"), "site_cost": N_("be_site_cost"), "failover": N_("be_failover")}


def _years(rate: float) -> str:
    """A rate [events/yr] as "once in N years", N to two significant digits."""
    return f"{float(f'{1 / rate:.2g}'):,g}" if rate > 0 else "∞"


def cell(b: BreakEven, currency: str, lang: str) -> str:
    """One condition in words (see the module's notes)."""
    if b.input is None:
        return t("be_none", lang)
    if b.kind == "site_rate":
        if b.crosses:
            return t("be_rate_crosses", lang, years=_years(b.value), se=f"{b.se / b.value:.0%}" if b.se else "–",
                     low=_years(b.high), high=_years(b.low))
        return t("be_rate_always" if b.everywhere else "be_rate_never", lang, low=_years(b.high), high=_years(b.low))
    if b.kind == "site_cost":
        if b.crosses:
            return t("be_cost_crosses", lang, cost=money(b.value, currency, lang), se=money(b.se, currency, lang),
                     now=money(b.now, currency, lang), times=f"{b.value / b.now:,.0f}" if b.now else "–")
        return t("be_cost_always" if b.everywhere else "be_cost_never", lang, now=money(b.now or 0, currency, lang))
    if b.crosses:
        return t("be_failover_crosses" if b.pays_above else "be_failover_below", lang, value=percent(b.value, lang),
                 se=percent(b.se, lang) if b.se else "–", low=percent(b.low, lang), high=percent(b.high, lang))
    return t("be_failover_always" if b.everywhere else "be_failover_never", lang, low=percent(b.low, lang),
             high=percent(b.high, lang))


def table(cards: dict[str, list[BreakEven]], names: Names) -> pd.DataFrame:
    """Options (by name) as rows, the conditions as columns, each cell :func:`cell`."""
    lang, currency = names.lang, names.scenario.currency
    rows = {names.option(option): {t(HEADERS[b.kind], lang): cell(b, currency, lang) for b in found}
            for option, found in cards.items()}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[t(HEADERS[k], lang) for k in KINDS])


def caption(result: Appraisal, trials: int, lang: str) -> str:
    """What the card shows and on what: the basis, the trials per run, and whether the charges count."""
    text = t("be_caption", lang, basis=basis_name(result.basis, lang), trials=f"{trials:,}")
    return text + (" " + t("be_charges", lang) if result.charges_counted else "")
