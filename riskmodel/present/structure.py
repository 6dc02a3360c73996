"""A scenario's structure as tables a person edits, and an edited table back as changes to the file.

The Build page shows sites, services, threats, architectures, options and the risk
tolerance each as one table (a row per item); a person adds, removes, renames and edits
rows, and :func:`changes` turns what they did (``st.data_editor``'s record of edited,
added and deleted rows) into :func:`riskmodel.edits.apply` changes: renames first (so
references follow), then field edits, then removals, then additions, validated together.
An input with a range is written in a cell as people write one: ``0.002 – 0.02`` (a 90 %
interval), ``2 / 5 / 10`` (low / most likely / high), or one number; money in the
locale's units (``1,218억 원``, ``$121.9M``). A cell left as shown changes nothing, so
a figure's exact value, form and source stay unless the person changes that cell.
No Streamlit here: :mod:`riskmodel.ui.build` draws these tables.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from riskmodel.distributions import Quantity
from riskmodel.present.format import money, parse_money
from riskmodel.present.i18n import N_, t
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.scenario import CATEGORIES, SCOPES, Scenario, ScenarioError

#: The tables, in the order the page shows them, each with its columns and their kinds:
#: text, int, bool, choice (one of a list), names (several of a list), money or number
#: (an input, possibly a range), share (0–1 shown in %), tiers ("1: active_active; 2: …"), source
#: (the item's own source, shown and not edited here: sources are set on the Assumptions page).
TABLES: dict[str, dict[str, str]] = {
    "sites": {"name": "text", "region": "text"},
    "services": {"name": "text", "site": "choice", "tier": "int", "depends_on": "names",
                 "revenue_per_hour": "money", "infra_annual_cost": "money", "source": "source"},
    "threats": {"name": "text", "scope": "choice", "category": "choice", "services": "names", "sites": "names",
                "rate": "number", "duration_hours": "number", "source": "source"},
    "architectures": {"name": "text", "preset": "choice", "geo_separated": "bool", "capex": "money",
                      "opex_per_year": "money", "source": "source"},
    "options": {"name": "text", "baseline": "bool", "architecture": "choice", "tiers": "tiers", "skills": "choice",
                "description": "text"},
    "risk_tolerance": {"loss": "money", "probability": "share"},
}
#: The catalog keys of each table's tab, its help line, and each column's header.
TAB_LABELS = {"sites": N_("build_tab_sites"), "services": N_("build_tab_services"),
              "threats": N_("build_tab_threats"), "architectures": N_("build_tab_architectures"),
              "options": N_("build_tab_options"), "risk_tolerance": N_("build_tab_risk_tolerance")}
HELP = {"sites": N_("build_help_sites"), "services": N_("build_help_services"), "threats": N_("build_help_threats"),
        "architectures": N_("build_help_architectures"), "options": N_("build_help_options"),
        "risk_tolerance": N_("build_help_risk_tolerance")}
_HEADERS = {"name": N_("col_name"), "region": N_("col_region"), "site": N_("col_site"), "tier": N_("col_tier"),
            "depends_on": N_("col_depends"), "revenue_per_hour": N_("build_revenue_per_hour"),
            "infra_annual_cost": N_("build_infra_annual_cost"), "scope": N_("build_scope"),
            "category": N_("build_category"), "rate": N_("build_rate"), "duration_hours": N_("build_duration"),
            "preset": N_("build_preset"), "geo_separated": N_("build_geo_separated"), "capex": N_("build_capex"),
            "opex_per_year": N_("build_opex"), "baseline": N_("build_baseline"),
            "architecture": N_("build_architecture"), "tiers": N_("build_tiers"), "skills": N_("build_skills"),
            "description": N_("build_description"), "loss": N_("build_loss"), "probability": N_("build_probability"),
            "source": N_("source")}
_STRIKES = {("threats", "services"): N_("build_strikes_services"), ("threats", "sites"): N_("build_strikes_sites")}
HEADERS = {(table, column): _STRIKES[(table, column)] if (table, column) in _STRIKES else _HEADERS[column]
           for table, columns in TABLES.items() for column in columns}

#: What a new row starts with where the file would otherwise need a value (the schema's defaults).
DEFAULTS = {("sites", "region"): "default", ("services", "tier"): 1, ("threats", "scope"): "component",
            ("threats", "category"): "software", ("options", "architecture"): "single_site"}

#: Where a column's value lives in an item, when not at the field of its name.
_FIELDS = {("services", "revenue_per_hour"): "impact.revenue_per_hour"}
_RANGE = re.compile(r"\s+[–~-]\s+|\s*[–~]\s*")


def choices(scenario: Scenario, table: str, column: str) -> list[str]:
    """What a choice or names column may hold in ``scenario``."""
    sites = [s.name for s in scenario.sites]
    services = [s.name for s in scenario.services]
    architectures = sorted(set(ARCHITECTURE_PRESETS) | {a.name for a in scenario.architectures})
    return {("services", "site"): sites, ("services", "depends_on"): services,
            ("threats", "scope"): list(SCOPES), ("threats", "category"): list(CATEGORIES),
            ("threats", "services"): services, ("threats", "sites"): sites,
            ("architectures", "preset"): [""] + list(ARCHITECTURE_PRESETS),
            ("options", "architecture"): architectures,
            ("options", "skills"): [""] + [p.name for p in scenario.skills_programmes]}[(table, column)]


def cell(q: Quantity | None, kind: str, currency: str, lang: str) -> str:
    """An input as a cell shows it: one number, ``low – high`` (ci90) or ``low / likely / high``."""
    if q is None:
        return ""
    fmt = (lambda v: money(v, currency, lang)) if kind == "money" else (lambda v: f"{v:g}")
    if q.is_fixed:
        return fmt(q.value)
    if q.ci90 is not None:
        return " – ".join(map(fmt, q.ci90))
    if q.pert is not None:
        return " / ".join(map(fmt, q.pert))
    low, likely, high = q.summary()
    return f"{q.form}: " + " / ".join(map(fmt, (low, likely, high)))


def parse_cell(text: str, kind: str) -> Quantity | None:
    """A cell's text as an input: ``x``, ``low – high`` (a 90 % interval) or ``low / likely / high`` (PERT).

    Raises
    ------
    ValueError
        Naming the text and the forms a cell takes.

    Examples
    --------
    >>> parse_cell("0.002 – 0.02", "number").ci90
    (0.002, 0.02)
    >>> parse_cell("1억 / 2억 / 5억", "money").pert
    (100000000.0, 200000000.0, 500000000.0)
    """
    text = (text or "").strip()
    if not text:
        return None
    read = parse_money if kind == "money" else _number
    parts = [p for p in (text.split("/") if "/" in text else _RANGE.split(text)) if p.strip()]
    try:
        values = [read(p.strip()) for p in parts]
    except ValueError:
        values = []
    if len(values) == 1:
        return Quantity(value=values[0])
    if len(values) == 2 and "/" not in text:
        return Quantity(ci90=tuple(values))
    if len(values) == 3 and "/" in text:
        return Quantity(pert=tuple(values))
    raise ValueError(f"{text!r}: write one number, a range 'low – high' (90 % interval) or 'low / likely / high'")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _tiers_text(tiers: dict[int, str]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in sorted(tiers.items()))


def _parse_tiers(text: str) -> dict[int, str]:
    out = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", text or ""))):
        tier, sep, name = part.partition(":")
        if not sep or not tier.strip().isdigit() or not name.strip():
            raise ValueError(f"{part!r}: write a tier and its architecture as '1: active_active; 2: warm_standby'")
        out[int(tier)] = name.strip()
    return out


def table(scenario: Scenario, name: str, lang: str) -> pd.DataFrame:
    """One table of :data:`TABLES` for ``scenario``: a row per item, cells as :func:`cell` writes them."""
    cur = scenario.currency
    if name == "risk_tolerance":
        rows = [{"loss": money(loss, cur, lang), "probability": 100 * p} for loss, p in scenario.risk_tolerance]
        return pd.DataFrame(rows, columns=list(TABLES[name]))
    rows = []
    for item in getattr(scenario, name):
        row = {}
        for column, kind in TABLES[name].items():
            value = _get(item, _FIELDS.get((name, column), column))
            if kind in ("money", "number"):
                value = cell(value, kind, cur, lang)
            elif kind == "names":
                value = list(value or ())
            elif kind == "tiers":
                value = _tiers_text(value)
            elif kind in ("choice", "text", "source"):
                value = "" if value is None else str(value)
            row[column] = value
        rows.append(row)
    return pd.DataFrame(rows, columns=list(TABLES[name]))


def _get(item: Any, path: str) -> Any:
    for part in path.split("."):
        item = getattr(item, part)
    return item


def _value(name: str, column: str, value: Any) -> Any:
    """A cell's value as the file writes it; raises ValueError naming the rule."""
    kind = TABLES[name][column]
    if kind in ("money", "number"):
        return parse_cell(str(value or ""), kind)
    if kind == "names":
        names = list(value or ())
        if name == "threats" and column == "sites":
            return {s: 1 / len(names) for s in names} if names else None  # each site equally likely
        return names if names or column == "depends_on" else None
    if kind == "tiers":
        return _parse_tiers(str(value or ""))
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value) or None  # false is the default: the field goes
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return text or None


def _item(name: str, row: dict, scenario: Scenario) -> dict:
    """A new row as a new item of the file, with the defaults a new row needs."""
    item: dict[str, Any] = {}
    for column in TABLES[name]:
        if TABLES[name][column] == "source":
            continue
        value = _value(name, column, row.get(column))
        if value is None or value == {} or (value == [] and column != "depends_on"):
            continue
        if isinstance(value, Quantity):
            value = value.model_dump(mode="python")
        _put(item, _FIELDS.get((name, column), column), value)
    if name == "services":
        item.setdefault("site", scenario.sites[0].name)
        item.setdefault("impact", {})
    return item


def _put(item: dict, path: str, value: Any) -> None:
    *heads, last = path.split(".")
    for head in heads:
        item = item.setdefault(head, {})
    item[last] = value


def changes(scenario: Scenario, name: str, before: pd.DataFrame, delta: dict | None) -> list[tuple[str, tuple]]:
    """What a person did to table ``name`` (shown as ``before``) as :func:`riskmodel.edits.apply` changes.

    Raises
    ------
    ScenarioError
        Naming the row and the cell, when a cell cannot be read.
    """
    delta = delta or {}
    edited = {int(k): v for k, v in (delta.get("edited_rows") or {}).items()}
    deleted = sorted(int(r) for r in delta.get("deleted_rows") or ())
    added = list(delta.get("added_rows") or ())
    problems: list[str] = []
    if name == "risk_tolerance":
        rows = [dict(r) for i, r in enumerate(before.to_dict("records")) if i not in deleted]
        for i, row in edited.items():
            if i not in deleted:
                rows[i - sum(d < i for d in deleted)].update(row)
        pairs = []
        for i, row in enumerate(rows + added):
            try:
                pairs.append([parse_money(str(row.get("loss") or "")), float(row.get("probability")) / 100])
            except (TypeError, ValueError) as exc:
                problems.append(f"risk_tolerance, row {i + 1}: {exc}")
        if problems:
            raise ScenarioError(problems)
        return [("set_field", ("risk_tolerance", pairs))]
    names = list(before["name"])
    renames, fields = [], []
    for i, row in sorted(edited.items()):
        for column, value in row.items():
            where = f"{name}, row {i + 1} ({names[i]}), {column}"
            if TABLES[name][column] == "source" or _same(before.iloc[i][column], value):
                continue  # typed again as shown: the figure keeps its exact value, form and source
            if column == "name":
                new = str(value or "").strip()
                if new != names[i]:
                    renames.append(("rename", (name, names[i], new)))
                continue
            try:
                parsed = _value(name, column, value)
            except (TypeError, ValueError) as exc:
                problems.append(f"{where}: {exc}")
                continue
            path = f"{name}[{i}].{_FIELDS.get((name, column), column)}"
            if isinstance(parsed, Quantity):
                old = _get(getattr(scenario, name)[i], _FIELDS.get((name, column), column))
                source = "set on the Build page" + (f" (the figure it replaced: {old.source})"
                                                    if old is not None and old.source else "")
                fields.append(("set_input", (path, parsed.model_copy(update={"source": source}))))
            else:
                fields.append(("set_field", (path, parsed)))
    final = {i: str(edited.get(i, {}).get("name", n) or "").strip() for i, n in enumerate(names)}
    removals = [("remove", (name, final[i])) for i in deleted]
    additions = []
    for j, row in enumerate(added):
        try:
            additions.append(("add", (name, _item(name, row, scenario))))
        except (TypeError, ValueError) as exc:
            problems.append(f"{name}, new row {j + 1}: {exc}")
    if problems:
        raise ScenarioError(problems)
    return renames + fields + removals + additions


def _same(shown: Any, value: Any) -> bool:
    if isinstance(shown, (list, tuple)) or isinstance(value, (list, tuple)):
        return list(shown or ()) == list(value or ())
    blank = lambda v: v is None or (isinstance(v, float) and pd.isna(v)) or v == ""  # noqa: E731
    return (blank(shown) and blank(value)) or shown == value


_ROW = re.compile(r"^(?:[^:]*: )?(?P<table>[a-z_]+)\[(?P<i>\d+)\](?P<rest>.*)$")


def by_row(messages: list[str], name: str, after: list[str], lang: str = "en") -> list[str]:
    """Validation messages about table ``name`` said by row: ``services[3].site: …`` → ``row 4 (mail), site: …``.

    ``after`` is the names in the table as edited (the file's order after the edit).
    """
    out = []
    for message in messages:
        m = _ROW.match(message)
        if m and m["table"] == name and int(m["i"]) < len(after):
            i = int(m["i"])
            rest = m["rest"].removeprefix(".")
            out.append(t("build_row", lang, n=i + 1, name=after[i]) + (", " if rest[:1] != ":" else "") + rest)
        else:
            out.append(message)
    return out
