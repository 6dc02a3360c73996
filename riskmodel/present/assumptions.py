"""Every input of a scenario as a table people read: grouped as the scenario is, with its range and source.

Shared by the app's Assumptions page and the business-case report (no Streamlit here).
"""

from __future__ import annotations

import re

import pandas as pd

from riskmodel import Scenario
from riskmodel.inputs import all_inputs
from riskmodel.present.i18n import t

GROUPS = ("threats", "sites", "services", "architectures", "presets", "skills_programmes")


def group_of(path: str) -> str:
    """The scenario section an input path belongs to (``threats[2].rate`` → ``threats``)."""
    head = re.split(r"[.\[]", path, maxsplit=1)[0]
    return head if head in GROUPS else "other"


def describe(scenario: Scenario, path: str) -> str:
    """A readable name for an input path: list indices replaced by the item's name."""
    parts, node = [], scenario
    for segment in path.split("."):
        name, *indices = segment.replace("]", "").split("[")
        node = getattr(node, name, None) if node is not None else None
        parts.append(name)
        for i in indices:
            node = node[int(i)] if isinstance(node, tuple) else None
            if node is not None and getattr(node, "name", None):
                parts[-1] = f"{name}: {node.name}"
    return " › ".join(parts)


def inputs_table(scenario: Scenario, lang: str) -> pd.DataFrame:
    """Every input of a scenario with its group, form, (low, most likely, high) and source; indexed by path."""
    rows = []
    for path, q, aleatory in all_inputs(scenario):
        low, likely, high = (float(f"{v:.6g}") for v in q.summary())  # 0.002, not 0.001999999999999999
        rows.append({"path": path, t("group", lang): t(f"group_{group_of(path)}", lang),
                     t("input", lang): describe(scenario, path), t("form", lang): q.form,
                     t("varies", lang): t("per_event" if aleatory else "per_trial", lang),
                     t("low", lang): low, t("likely", lang): likely, t("high", lang): high,
                     t("source", lang): q.source or t("no_source", lang)})
    return pd.DataFrame(rows).set_index("path")
