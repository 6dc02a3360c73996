"""A scenario's warnings and its unsourced inputs in words (:mod:`riskmodel.checks`), in either language.

The app shows them in a banner above every page's figures and the report on its method
page; the texts are the ``warning_*`` entries of the catalogs.
"""

from __future__ import annotations

from riskmodel import checks
from riskmodel.checks import ScenarioWarning
from riskmodel.present.i18n import N_, t
from riskmodel.scenario import Scenario

TEXTS = {"no_infra_cost": N_("warning_no_infra_cost"), "no_impact": N_("warning_no_impact"),
         "threat_strikes_nothing": N_("warning_threat_strikes_nothing"),
         "duplicate_option": N_("warning_duplicate_option")}


def warning_text(warning: ScenarioWarning, lang: str = "en") -> str:
    """One warning as a sentence naming the field and what it would do to the figures."""
    return t(TEXTS[warning.code], lang, field=warning.field, **warning.params)


def lines(scenario: Scenario, lang: str = "en") -> list[str]:
    """Every warning of ``scenario`` as a sentence; empty when it has none."""
    return [warning_text(w, lang) for w in checks.warnings(scenario)]


def unsourced_text(scenario: Scenario, lang: str = "en") -> str:
    """How many of the inputs given carry no source: "16 of 138 inputs have no source"."""
    missing, given = checks.unsourced(scenario)
    return t("unsourced_count", lang, missing=len(missing), given=given)
