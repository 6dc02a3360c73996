"""riskmodel.inputs.shown_inputs and riskmodel.present.assumptions.appendix: the report lists what the case rests on."""

from __future__ import annotations

import re

from riskmodel import Scenario, load
from riskmodel.inputs import all_inputs, is_unset, shown_inputs
from riskmodel.present.assumptions import appendix
from riskmodel.present.i18n import t
from riskmodel.present.names import Names


def _kakao_with_an_unused_architecture() -> Scenario:
    data = load("kakao-2022").to_dict()
    data["architectures"].append({"name": "never_used", "preset": "hot_standby", "opex_multiple": 3.0})
    data["services"][0]["impact"]["fine"] = {"value": 0, "source": "no fine applies (checked)"}
    return Scenario.from_dict(data)


def test_only_inputs_some_option_uses_and_no_zero_left_at_its_default():
    scenario = _kakao_with_an_unused_architecture()
    shown = {p for p, _, _ in shown_inputs(scenario)}
    every = {p: q for p, q, _ in all_inputs(scenario)}
    unused = next(i for i, a in enumerate(scenario.architectures) if a.name == "never_used")
    assert not any(p.startswith(f"architectures[{unused}].") for p in shown)
    assert not any(p.startswith("presets.") for p in shown)  # a preset's figures live in dr_strategies.csv
    assert not any(is_unset(every[p]) for p in shown)
    assert "services[0].impact.fine" in shown  # a zero given with a source is an assumption: it stays
    # an architecture made from a preset shows only what it overrides
    login = next(i for i, a in enumerate(scenario.architectures) if a.name == "login_2022")
    fields = {p.split(".")[1] for p in shown if p.startswith(f"architectures[{login}].")}
    assert fields == set(scenario.architectures[login].overrides()) & {p.split(".")[1] for p in every
                                                                        if p.startswith(f"architectures[{login}].")}
    assert len(shown) < 0.5 * len(every)


def test_each_form_is_shown_under_its_own_column_names_with_money_in_the_locales_units():
    scenario = load("kakao-2022")
    for lang, money_mark in (("en", "₩"), ("ko", "억 원")):
        tables, left_out = appendix(scenario, lang)
        by_title = dict(tables)
        likely = by_title[t("ap_title_likely", lang)]
        median = by_title[t("ap_title_median", lang)]
        assert t("ap_likely", lang) in likely.columns and t("ap_median", lang) not in likely.columns
        assert t("ap_median", lang) in median.columns and t("ap_likely", lang) not in median.columns
        assert set(likely[t("form", lang)]) <= {"pert", "triangular"}
        assert set(median[t("form", lang)]) <= {"ci90", "lognormal", "beta", "gamma"}
        words = " ".join(" ".join(row) for row in [*likely.index, *median.index])
        assert "revenue_per_hour" not in words and "services[" not in words  # words, not identifiers
        names = Names(scenario, lang)
        infra = median.loc[(names.service("messaging"), t("field_infra_annual_cost", lang)), t("ap_median", lang)]
        assert money_mark in infra and "58,657,000,000" not in infra
        assert sum(len(df) for _, df in tables) + left_out == sum(1 for _ in all_inputs(scenario))


def test_each_row_of_the_appendix_reads_in_one_unit():
    # ₩38.40B beside ₩58.66B and ₩89.00B, never ₩39B beside ₩37.9M: a row's figures share unit and decimals
    scenario = load("kakao-2022")
    for lang in ("en", "ko"):
        for _, table in appendix(scenario, lang)[0]:
            figures = table.drop(columns=[c for c in (t("form", lang), t("source", lang)) if c in table])
            for cells in figures.itertuples(index=False):
                if any("₩" in c or "억" in c or "조" in c for c in cells):
                    units = {re.sub(r"[-\d,.]", "", c) for c in cells}
                    decimals = {len(c.split(".")[1].rstrip("KMBT억조원 ")) if "." in c else 0 for c in cells}
                    assert len(units) == 1 and len(decimals) == 1, cells
