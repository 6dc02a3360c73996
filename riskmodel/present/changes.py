"""Versions and runs of the workspace in words: what changed between two versions, how two runs compare.

A change reads as the assumption it is, by the names readers know ("Pangyo DC lost (fire) ·
rate: ci90 [0.002, 0.02] → [0.005, 0.03]; source changed"), never as a path of identifiers;
a comparison reads each figure in the scenario's money with its standard error, and says
whether the difference is beyond Monte Carlo noise.
"""

from __future__ import annotations

import pandas as pd

from riskmodel.distributions import FORMS
from riskmodel.present import labels
from riskmodel.present.format import money, money_se, percent
from riskmodel.present.i18n import N_, catalog, t
from riskmodel.present.names import KINDS, Names
from riskmodel.scenario import in_language, readable
from riskmodel.workspace.changes import Change

_SECTIONS = {section: kind for kind, section in KINDS.items()}
#: Scenario-wide parts a change may belong to, by their catalog key.
_PARTS = {"finance": N_("part_finance"), "risk_tolerance": N_("part_risk_tolerance"),
          "beyond_pnl": N_("part_beyond_pnl"), "name": N_("part_name"), "description": N_("part_description"),
          "currency": N_("part_currency")}
#: Fields that are not inputs (those are named by the catalog's ``field_*``), by their catalog key.
_FIELDS = {"label": N_("part_label"), "architecture": N_("part_architecture"), "services": N_("part_services"),
           "tiers": N_("part_tiers"), "skills": N_("part_skills"), "baseline": N_("part_baseline"),
           "site": N_("part_site"), "region": N_("part_region"), "depends_on": N_("part_depends_on"),
           "sites": N_("part_sites"), "description": N_("part_description"), "source": N_("part_source"),
           "discount_rate": N_("part_discount_rate"), "horizon_years": N_("part_horizon_years"),
           "benefit_basis": N_("part_benefit_basis")}


_SHARING = {"private": N_("sharing_private"), "read": N_("sharing_read"), "edit": N_("sharing_edit")}


def sharing(mode: str, lang: str) -> str:
    """How a scenario is shared, in words ("shared read-only")."""
    return t(_SHARING[mode], lang)


def _word(key: str, lang: str) -> str:
    """A field's name: the catalog's for an input field or a known part, else readable from the key."""
    return catalog(lang).get(f"field_{key}") or (t(_FIELDS[key], lang) if key in _FIELDS else readable(key))


def where(change: Change, names: Names) -> str:
    """What a change belongs to and which field, in words (``Pangyo DC lost (fire) · rate``)."""
    path, lang = change.path, names.lang
    if path[0] in _SECTIONS and len(path) > 1:
        words = [names.of(_SECTIONS[path[0]], path[1])]
        rest = path[2:]
    else:
        words = [t(_PARTS[path[0]], lang) if path[0] in _PARTS else readable(path[0])]
        rest = path[1:]
    words += [names.of(_SECTIONS[f], p) if f in _SECTIONS else _word(p, lang)
              for f, p in zip((path[0], *path[:-1])[len(path) - len(rest):], rest)]
    return " · ".join(words)


def value_text(value, lang: str) -> str:
    """A value of a scenario as a reader reads it: a quantity as its form and numbers, a text in ``lang``."""
    if isinstance(value, dict):
        if set(value) <= {"en", "ko"}:
            return f"“{in_language(value, lang)}”"
        form = next((f for f in FORMS if f in value), None)
        if form is not None:
            numbers = value[form]
            shown = _number(numbers) if not isinstance(numbers, list) else "[" + ", ".join(map(_number, numbers)) + "]"
            return shown if form == "value" else f"{form} {shown}"
        return "{" + ", ".join(f"{readable(k)} {value_text(v, lang)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v, lang) for v in value) + "]"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return _number(value)
    return f"“{value}”"


def _number(x) -> str:
    return f"{x:,.6g}" if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x)


def _quantity(value) -> bool:
    return isinstance(value, dict) and any(f in value for f in FORMS)


def describe(change: Change, before: Names, after: Names) -> str:
    """One change in words, named as the version it appears in names it.

    Examples
    --------
    >>> describe(change, Names(v1, "en"), Names(v2, "en"))  # doctest: +SKIP
    'Pangyo DC lost (fire) · rate: ci90 [0.002, 0.02] → [0.005, 0.03]; source changed'
    """
    lang = after.lang
    if change.kind == "added":
        return t("change_added", lang, what=where(change, after))
    if change.kind == "removed":
        return t("change_removed", lang, what=where(change, before))
    old, new = change.before, change.after
    if _quantity(old) or _quantity(new):
        q_old = old if _quantity(old) else {"value": old}
        q_new = new if _quantity(new) else {"value": new}
        strip = {k: v for k, v in q_old.items() if k != "source"}, {k: v for k, v in q_new.items() if k != "source"}
        parts = []
        if strip[0] != strip[1]:
            parts.append(f"{value_text(q_old, lang)} → {value_text(q_new, lang)}")
        if q_old.get("source") != q_new.get("source"):
            parts.append(t("change_source", lang))
        return f"{where(change, after)}: " + "; ".join(parts)
    return f"{where(change, after)}: {value_text(old, lang)} → {value_text(new, lang)}"


def describe_all(changes: list[Change], before: Names, after: Names) -> list[str]:
    """Every change in words; one line saying none when there is none."""
    return [describe(c, before, after) for c in changes] or [t("change_none", after.lang)]


#: How each compared figure is shown.
_SHOWN = {"ale": "money", "npv_mean": "money", "var_99": "money", "p_npv_positive": "share"}


def comparison_table(table: pd.DataFrame, names: Names, currency: str) -> pd.DataFrame:
    """Two runs' figures side by side for people: option and figure by name, runs A and B with their
    SEs, the difference and whether it is beyond noise."""
    lang = names.lang
    labels_a, labels_b = t("cmp_a", lang), t("cmp_b", lang)
    rows = []
    for (option, figure), row in table.iterrows():
        def shown(value, se):
            if _SHOWN[figure] == "share":
                return f"{percent(value, lang)} ± {percent(se or 0.0, lang)}"
            return f"{money(value, currency, lang)} ± {money_se(se or 0.0, value, currency, lang)}"
        rows.append({t("option", lang): names.option(option), t("compare_figure", lang): labels.label(figure, lang),
                     labels_a: shown(row["a"], row["a_se"]), labels_b: shown(row["b"], row["b_se"]),
                     t("compare_difference", lang): shown(row["difference"], row["difference_se"]),
                     t("compare_beyond_noise", lang): t("yes" if row["beyond_noise"] else "no", lang)})
    return pd.DataFrame(rows)


def versions_table(versions, head: int, lang: str) -> pd.DataFrame:
    """A scenario's versions for people, newest first: number, when, who, from which, message."""
    rows = [{t("ws_col_version", lang): v.number, t("ws_col_when", lang): f"{v.created:%Y-%m-%d %H:%M}",
             t("ws_col_author", lang): v.author, t("ws_col_parent", lang): str(v.parent) if v.parent else "–",
             t("ws_col_line", lang): t("ws_head" if v.number == head else "ws_branch_mark" if v.branch else "ws_line",
                                       lang),
             t("ws_col_message", lang): v.message} for v in reversed(versions)]
    return pd.DataFrame(rows)


def runs_table(runs, names: Names, lang: str) -> pd.DataFrame:
    """Stored runs for people, newest first: the run, its version, trials, seed, who, when, the recommendation."""
    rows = []
    for r in runs:
        d, cur = r.headline["decision"], r.headline["currency"]
        npv = "–" if d["npv"] is None else f"{money(d['npv'], cur, lang)} ± {money_se(d['npv_se'] or 0, d['npv'], cur, lang)}"
        rows.append({t("ws_col_run", lang): r.id, t("ws_col_version", lang): r.version,
                     t("ws_col_trials", lang): f"{r.trials:,}", t("ws_col_seed", lang): r.settings.seed,
                     t("ws_col_when", lang): f"{r.created:%Y-%m-%d %H:%M}", t("ws_col_author", lang): r.author,
                     t("ws_col_recommended", lang): names.option(d["option"]) if d["option"] else "–",
                     t("ws_col_npv", lang): npv})
    return pd.DataFrame(rows)


def run_name(run, lang: str) -> str:
    """A run as a choice in a list: ``run 3 · version 2 · 20,000 trials · seed 1``."""
    return t("ws_run_choice", lang, run=run.id, number=run.version, trials=f"{run.trials:,}", seed=run.settings.seed)


def drivers_table(found, total_ale: dict, total_npv: dict, baseline: str, option: str, before: Names,
                  after: Names, currency: str) -> pd.DataFrame:
    """Each changed assumption with what it alone does to the baseline's ALE and to ``option``'s NPV,
    largest first; then all changes together and the part no single change explains."""
    lang = after.lang
    change_col = t("drv_change", lang)
    ale_col = t("drv_ale", lang, option=after.option(baseline))
    npv_col = t("drv_npv", lang, option=after.option(option))

    def shown(value: float | None) -> str:
        return "–" if value is None else money(value, currency, lang)

    def signed(d) -> float:
        return -abs(d.npv[option]) if d.npv and option in d.npv else 0.0
    rows = []
    for d in sorted(found, key=signed):
        if d.ale is None:
            rows.append({change_col: describe(d.change, before, after), ale_col: t("drv_not_alone", lang),
                         npv_col: t("drv_not_alone", lang)})
            continue
        ale, bound = d.ale.get(baseline), d.ale_se_bound.get(baseline)
        # An effect of exactly 0 on the same futures is exact (the change does not reach the ALE): no ±.
        rows.append({change_col: describe(d.change, before, after),
                     ale_col: shown(ale) if not ale else f"{shown(ale)} ± ≤{money_se(bound, ale, currency, lang)}",
                     npv_col: shown(d.npv.get(option))})
    alone = [d for d in found if d.npv is not None and option in d.npv]
    rest_npv = total_npv.get(option, 0.0) - sum(d.npv[option] for d in alone)
    rest_ale = total_ale.get(baseline, 0.0) - sum(d.ale[baseline] for d in alone if baseline in d.ale)
    rows.append({change_col: t("drv_all", lang), ale_col: shown(total_ale.get(baseline)),
                 npv_col: shown(total_npv.get(option))})
    rows.append({change_col: t("drv_rest", lang), ale_col: shown(rest_ale), npv_col: shown(rest_npv)})
    return pd.DataFrame(rows)
