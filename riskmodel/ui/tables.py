"""Tables for people: each column in one unit, money by locale, headers in the reader's language."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from riskmodel.format import money, percent

from .i18n import t


def money_column(values, currency: str, lang: str) -> list[str]:
    """Money figures in the unit of the column's largest, so they line up (억 원 throughout)."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    like = max(finite) if finite else None
    return [money(v, currency, lang, like=like) for v in values]


def formatted(df: pd.DataFrame, columns: dict[str, tuple[str, str]], currency: str, lang: str) -> pd.DataFrame:
    """``df`` with ``columns`` (source column → (text key, kind)) formatted and relabelled.

    Kinds: ``money`` [currency], ``share`` [0–1] as a percentage, ``hours`` [h], ``int``
    a whole number, ``years`` [yr], ``percent`` already in %, ``number`` plain, ``flag`` a yes/no.
    """
    out = {}
    for column, (key, kind) in columns.items():
        values = df[column].tolist()
        if kind == "money":
            out[t(key, lang)] = money_column(values, currency, lang)
        elif kind == "share":
            out[t(key, lang)] = [percent(v, lang) for v in values]
        elif kind == "hours":
            out[t(key, lang)] = [f"{v:,.2f}" if np.isfinite(v) else "–" for v in values]
        elif kind == "percent":
            out[t(key, lang)] = [f"{v:.3f}%" for v in values]
        elif kind == "int":
            out[t(key, lang)] = [f"{v:,.0f}" if np.isfinite(v) else "–" for v in values]
        elif kind == "years":
            out[t(key, lang)] = [t("years_unit", lang, n=v) if np.isfinite(v) else "–" for v in values]
        elif kind == "flag":
            out[t(key, lang)] = [t("yes" if v else "no", lang) for v in values]
        else:
            out[t(key, lang)] = [f"{v:.2f}" if isinstance(v, float) else v for v in values]
    return pd.DataFrame(out, index=df.index)
