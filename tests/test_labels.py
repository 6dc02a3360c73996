"""The labels registry: every column of every appraisal table is registered, labelled in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from riskmodel import appraise, load, simulate
from riskmodel.present import labels
from riskmodel.present.i18n import LANGUAGES, catalog

TABLES = ("risk", "investment", "components", "services", "tolerance", "architectures", "buildings")


@pytest.fixture(scope="module")
def kakao():
    return appraise(simulate(load("kakao-2022"), trials=300, seed=1))


def test_every_cost_component_is_registered():
    from riskmodel.models.impact import COMPONENTS

    assert [c for c in COMPONENTS if c not in labels.FIELDS] == []


def test_every_registered_field_has_a_label_in_every_language():
    missing = [(key, f.text, lang) for key, f in labels.FIELDS.items() for lang in LANGUAGES
               if not catalog(lang).get(f.text)]
    assert missing == []


@pytest.mark.parametrize("table", TABLES)
def test_every_column_and_index_of_the_appraisals_tables_is_registered(kakao, table):
    frame = getattr(kakao, table)
    assert frame.attrs["currency"] == "KRW" and not frame.attrs["names"]
    assert [c for c in frame.columns if c not in labels.FIELDS] == []
    assert [n for n in frame.index.names if n not in labels.FIELDS] == []


def test_named_columns_keep_their_names_and_take_the_tables_unit(kakao):
    threats = labels.headed(kakao.threats)
    assert all(c.endswith(" [KRW/yr]") for c in threats.columns)
    assert [c.removesuffix(" [KRW/yr]") for c in threats.columns] == list(kakao.threats.columns)
    flows = labels.headed(kakao.cash_flows)
    assert list(flows.columns)[:2] == ["year 0 [capital]", "year 1"]


def test_headers_are_unique_within_every_table(kakao):
    for table in (*TABLES, "cash_flows", "threats", "exceedance"):
        headed = labels.headed(getattr(kakao, table))
        assert headed.columns.is_unique, table
    assert labels.headed(kakao.comparison(), compact=True).columns.is_unique


def test_a_tables_own_unit_overrides_the_registrys():
    table = pd.DataFrame({"revenue": [1.0], "loss": [1.0]}, index=pd.Index(["a"], name="site"))
    table.attrs.update(currency="USD", units={"revenue": "{c}"})
    assert list(labels.headed(table).columns) == ["lost revenue [USD]", "loss [USD]"]
    table.attrs["units"] = {}
    assert list(labels.headed(table).columns) == ["lost revenue [USD/yr]", "loss [USD]"]


def test_an_unregistered_column_is_an_error_not_a_silent_header():
    table = pd.DataFrame({"no_such_key": [1.0]})
    table.attrs["currency"] = "USD"
    with pytest.raises(KeyError, match="no_such_key"):
        labels.headed(table)
