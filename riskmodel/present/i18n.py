"""Every word the app, the report and the CLI show, in Korean and English, from gettext catalogs (terms from ../shared/GLOSSARY.md).

The texts live in ``locale/<lang>.po`` beside this module, one catalog per language in
:data:`LANGUAGES`, read with Babel (:func:`babel.messages.pofile.read_po`); ``make catalogs``
extracts the keys from the code and merges them into both files (the Makefile says how).
Three decisions:

- **Symbolic msgids.** A message's msgid is its key (``"card_npv"``), not its English text,
  and English is a catalog like Korean. The app, the tables and charts, the report and its
  template call ``t(key, lang)`` at about a hundred places, and many keys are data there
  (table rows, ``f"scope_{s}"``), so English msgids would mean rewriting those call sites; a key also
  stays put when the English wording is edited, where an English msgid would orphan the
  Korean translation of the old wording, and two labels that read alike in English
  (``page_sensitivity``, ``report_sensitivity``) keep their own Korean.
- **Read from the .po, no .mo.** Parsing some 230 short entries takes milliseconds, once per
  language; there is no compiled file to go stale, so the editable install, a fresh clone
  and a wheel built from the sdist read the very file that was reviewed.
- **Keys built at run time are marked.** Extraction (:func:`extract`) reads ``t("key", …)``
  and ``N_("key")`` calls, including ``t("a" if c else "b", …)``; keys held as data are
  marked ``N_`` where they are held (the labels registry, :mod:`riskmodel.present.labels`),
  and keys built in an f-string are listed in :data:`RUNTIME_KEYS`, by the module building them.
"""

from __future__ import annotations

import ast
import functools
from importlib.resources import files

from babel.messages.pofile import read_po

LANGUAGES = {"ko": "한국어", "en": "English"}


def N_(key: str) -> str:
    """Mark a message key for extraction where it is not the literal first argument of ``t``.

    Returns ``key`` unchanged: the marker only tells ``make catalogs`` that the key exists.

    Examples
    --------
    >>> N_("duration_day")
    'duration_day'
    """
    return key


#: Keys that reach :func:`t` as data or through an f-string, so that extraction cannot read
#: them at the call; grouped by the module that holds or builds them. A test checks that each
#: is still named there (or built from its prefix) and that each family covers its domain.
RUNTIME_KEYS = (
    # ui/skills.py: the team's inputs and the freed-capacity table
    N_("engineers"), N_("loaded_cost"), N_("toil_now"), N_("toil_target"), N_("ramp_years"),
    N_("programme_cost"), N_("toil_share"),
    # f"scope_{s}" and f"control_{c}" (present/tables.py), over Scope and failover_control (scenario.py)
    N_("scope_component"), N_("scope_site"), N_("scope_region"), N_("scope_logical"),
    N_("control_independent"), N_("control_in_primary_site"),
    # f"component_{key}" (present/charts.py), over models/impact.py COMPONENTS
    N_("component_revenue"), N_("component_productivity"), N_("component_sla"), N_("component_compensation"),
    N_("component_regulatory"), N_("component_churn"), N_("component_response"), N_("component_data_loss"),
    # f"group_{g}" (present/assumptions.py), over GROUPS and "other"
    N_("group_threats"), N_("group_sites"), N_("group_services"), N_("group_architectures"),
    N_("group_presets"), N_("group_skills_programmes"), N_("group_other"),
    # f"metric_{m}" (ui/sensitivity.py), over its ("npv", "ale") choice
    N_("metric_npv"), N_("metric_ale"),
    # f"preset_{name}" (present/names.py), over presets.ARCHITECTURE_PRESETS
    N_("preset_single_site"), N_("preset_backup_and_restore"), N_("preset_pilot_light"),
    N_("preset_warm_standby"), N_("preset_hot_standby"), N_("preset_active_active"),
    # f"field_{field}" (present/names.py), over every input field of the scenario schema
    N_("field_revenue_per_hour"), N_("field_recovered_fraction"), N_("field_staff_idle"),
    N_("field_loaded_cost_per_hour"), N_("field_sla_penalty_per_hour"), N_("field_sla_grace_hours"),
    N_("field_compensation_per_hour"), N_("field_compensation_threshold_hours"), N_("field_fine"),
    N_("field_regulatory_threshold_hours"), N_("field_customers"), N_("field_churn_max"),
    N_("field_churn_tau_hours"), N_("field_customer_lifetime_value"), N_("field_incident_fixed_cost"),
    N_("field_responder_cost_per_hour"), N_("field_data_value_per_hour"), N_("field_infra_annual_cost"),
    N_("field_rate"), N_("field_annual_probability"), N_("field_return_period_years"),
    N_("field_mtbf_hours"), N_("field_duration_hours"), N_("field_data_loss_hours"),
    N_("field_rto_hours"), N_("field_rpo_hours"), N_("field_failover_success"),
    N_("field_manual_failover_success"), N_("field_manual_rto_hours"), N_("field_restore_success"),
    N_("field_restore_hours"), N_("field_capex"), N_("field_opex_per_year"),
    N_("field_capex_multiple"), N_("field_opex_multiple"), N_("field_added_incident_rate"),
    N_("field_added_incident_duration_hours"), N_("field_loaded_cost_per_engineer"), N_("field_toil_share_now"),
    N_("field_toil_share_target"), N_("field_cost_per_engineer_per_year"), N_("field_mttr_multiplier"),
    N_("field_human_error_rate_multiplier"), N_("field_failover_success_uplift"), N_("field_attrition_reduction"),
    N_("field_replacement_cost"), N_("field_value_of_freed_hour_multiplier"), N_("field_market_value"),
    N_("field_market_reaction"), N_("field_regulatory_cost"),
)


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The translated messages of one language's catalog, key → text.

    Parameters
    ----------
    lang : {"ko", "en"}

    Examples
    --------
    >>> catalog("ko")["page_risk"]
    '위험'
    """
    with (files(__package__) / "locale" / f"{lang}.po").open("rb") as po:
        messages = read_po(po, ignore_obsolete=True)
    # A fuzzy entry is pybabel's guess from a similar key, not a translation: gettext skips it too.
    return {m.id: m.string for m in messages if m.id and m.string and not m.fuzzy}


def t(key: str, lang: str, **values) -> str:
    """The text for ``key`` in ``lang`` ("ko" or "en"), with ``values`` filled in (:meth:`str.format`).

    Examples
    --------
    >>> t("recommended", "ko", option="Active-Active")
    '권고안: Active-Active'
    >>> t("one_in_years", "en", n=1000)
    '1 in 1,000 yrs'
    """
    text = catalog(lang)[key]
    return text.format(**values) if values else text


def extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method for Python: the keys of ``t(...)`` and ``N_(...)`` calls.

    Babel's own Python extractor reads tokens and joins the two strings of
    ``t("yes" if v else "no", lang)`` into one msgid ``"yesno"``; this one reads the syntax
    tree and yields each branch of a conditional. Other first arguments (a variable, an
    f-string) are left to :data:`RUNTIME_KEYS`. ``make catalogs`` names it in
    ``locale/babel.cfg``.

    Parameters
    ----------
    fileobj : binary file
        A Python source file.
    keywords : collection of str
        Names of the functions whose first argument is a key (``t``, ``N_``).
    comment_tags, options
        Unused; part of Babel's extraction interface.

    Yields
    ------
    (int, str, str, list)
        Line, function name, key, no comments.

    Examples
    --------
    >>> import io
    >>> list(extract(io.BytesIO(b't("yes" if v else "no", lang)'), ["t"], [], {}))
    [(1, 't', 'yes', []), (1, 't', 'no', [])]
    """
    for node in ast.walk(ast.parse(fileobj.read())):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in keywords:
                for key in _literals(node.args[0]):
                    yield node.lineno, name, key, []


def _literals(node: ast.expr) -> list[str]:
    """The strings an argument can be: a literal, or each branch of (nested) conditionals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []
