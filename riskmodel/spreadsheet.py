"""A scenario as an Excel workbook and back: for people who build a business case in a spreadsheet.

:func:`export` writes one sheet per part of the scenario (Scenario, Sites, Services,
Threats, Architectures, Programmes, Options, Tolerance) with a row per item, and an
Inputs sheet with a row per number the file gives: where it is (section, item, field),
its form, low / most likely / high, unit and source. Forms, scopes, causes, presets and
names get drop-down lists. :func:`import_workbook` reads such a workbook back into a
scenario's YAML text; ``import_workbook(export(s))`` is the same scenario as ``s``.

A workbook that cannot be read gets one message per problem naming the sheet, the cell,
the value and the rule: a missing sheet, a form that is not one, text where a number
belongs, a formula (values are read, not formulas) or a formula's error, and every rule
of the scenario itself (low above high, an unknown name …) at the cell it comes from.
"""

from __future__ import annotations

import io
import re
import typing
from typing import Any

from pydantic import BaseModel

from riskmodel.distributions import FORMS, Quantity
from riskmodel.edits import dump
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.scenario import (
    CATEGORIES,
    SCOPES,
    Architecture,
    BeyondPnl,
    Impact,
    Option,
    Scenario,
    ScenarioError,
    Service,
    Site,
    SkillsProgramme,
    Text,
    Threat,
)
from riskmodel.schema import FIELDS  # the one registry of units

#: The sheets of named items: sheet → (the scenario's list, its model).
TABLES: dict[str, tuple[str, type[BaseModel]]] = {
    "Sites": ("sites", Site), "Services": ("services", Service), "Threats": ("threats", Threat),
    "Architectures": ("architectures", Architecture), "Programmes": ("skills_programmes", SkillsProgramme),
    "Options": ("options", Option)}
SCENARIO, TOLERANCE, INPUTS, LISTS = "Scenario", "Tolerance", "Inputs", "Lists"
INPUT_COLUMNS = ("section", "item", "field", "form", "low", "likely", "high", "unit", "source")
#: Where each form keeps its parameters among low, likely and high.
SLOTS = {"value": ("likely",), "ci90": ("low", "high"), "uniform": ("low", "high"),
         "pert": ("low", "likely", "high"), "triangular": ("low", "likely", "high"), "beta": ("low", "high"),
         "gamma": ("low", "high"), "lognormal": ("likely", "high")}
_SCENARIO_KEYS = ("name", "description", "currency", "finance.discount_rate", "finance.horizon_years",
                  "finance.benefit_basis", "finance.source", "beyond_pnl.include", "beyond_pnl.source")
#: Sections of the Scenario sheet (``section.field`` keys) whose numbers go to the Inputs sheet.
_SECTIONS = ("finance", "beyond_pnl")


def _openpyxl():
    try:
        import openpyxl
    except ImportError as exc:  # the 'report' extra
        raise ValueError(f"workbooks need openpyxl (pip install 'riskmodel[report]'): {exc}") from None
    return openpyxl


def _is_quantity(model: type[BaseModel], field: str) -> bool:
    annotation = model.model_fields[field].annotation
    args = [annotation, *typing.get_args(annotation)]
    args += [typing.get_args(a)[0] for a in args if typing.get_origin(a) is typing.Annotated]
    return Quantity in args


def _is_words(model: type[BaseModel], field: str) -> bool:
    """A field of words readers see (:data:`riskmodel.scenario.Text`): one text, or one per language."""
    return set(typing.get_args(Text)) <= set(typing.get_args(model.model_fields[field].annotation))


def _words_cell(value: Any, lang: str | None) -> Any:
    """A words field in its two columns: ``label`` holds the text (English where it differs by language),
    ``label.ko`` the Korean where it differs."""
    if not isinstance(value, dict):
        return None if lang else value
    return value.get(lang) if lang else value.get("en") or next(iter(value.values()))


def _text(value: Any) -> Any:
    """A field as one cell: lists as ``a, b``, mappings as ``k: v; k2: v2``, the rest as is."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return value


def _input_row(section: str, item: str, field: str, value: Any, unit: str) -> list:
    data = value if isinstance(value, dict) else {"value": value}
    form = next(f for f in FORMS if f in data)
    params = data[form]
    params = [params["median"], params["p95"]] if form == "lognormal" else (
        params if isinstance(params, list) else [params])
    cells = dict.fromkeys(("low", "likely", "high"))
    cells.update(zip(SLOTS[form], params))
    return [section, item, field, form, cells["low"], cells["likely"], cells["high"], unit, data.get("source")]


def _unit(model: type[BaseModel], field: str, currency: str) -> str:
    return FIELDS[model][field][0].replace("{c}", currency)


def export(scenario: Scenario) -> bytes:
    """The scenario as an .xlsx workbook (bytes); :func:`import_workbook` reads it back to the same scenario.

    Examples
    --------
    >>> from riskmodel import load
    >>> data = export(load("kakao-2022"))  # doctest: +SKIP
    """
    openpyxl = _openpyxl()
    from openpyxl.worksheet.datavalidation import DataValidation

    data, cur = scenario.to_dict(), scenario.currency
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SCENARIO
    sheet.append(["key", "value"])
    for key in _SCENARIO_KEYS:
        head, _, rest = key.partition(".")
        value = data.get(head, {}).get(rest) if rest else data.get(head)
        if value is not None:
            sheet.append([key, value])
    if scenario.plain_form:
        sheet.append(["form", "one business"])
    inputs = [list(INPUT_COLUMNS)]
    for field, value in (data.get("beyond_pnl") or {}).items():
        if _is_quantity(BeyondPnl, field):
            inputs.append(_input_row("beyond_pnl", "", field, value, _unit(BeyondPnl, field, cur)))
    if scenario.plain_form:
        for field, value in data.get("impact", {}).items():
            inputs.append(_input_row("impact", "", field, value, _unit(Impact, field, cur)))
        if "infra_annual_cost" in data:
            inputs.append(_input_row("scenario", "", "infra_annual_cost", data["infra_annual_cost"],
                                     _unit(Service, "infra_annual_cost", cur)))
    for title, (key, model) in TABLES.items():
        items = data.get(key, [])
        fields = [f for f in model.model_fields if f != "name" and not _is_quantity(model, f)
                  and f not in ("impact", "history")]
        # Labels and descriptions last, so each sheet's figures keep their columns.
        columns = ["name"] + [f for f in fields if not _is_words(model, f)] + [
            c for f in fields if _is_words(model, f) for c in (f, f"{f}.ko")]
        if model is Threat:
            columns += ["history.events", "history.years", "history.source"]
        table = book.create_sheet(title)
        table.append(columns)
        for item in items:
            row = []
            for column in columns:
                head, _, rest = column.partition(".")
                if _is_words(model, head):
                    row.append(_words_cell(item.get(head), rest or None))
                    continue
                value = (item.get(head) or {}).get(rest) if rest else item.get(column)
                row.append(_text(value))
            table.append(row)
            for field, value in item.items():
                if field in model.model_fields and _is_quantity(model, field):
                    inputs.append(_input_row(key, item["name"], field, value, _unit(model, field, cur)))
            for field, value in (item.get("impact") or {}).items():
                inputs.append(_input_row(key, item["name"], f"impact.{field}", value, _unit(Impact, field, cur)))
    tolerance = book.create_sheet(TOLERANCE)
    tolerance.append(["loss", "probability"])
    for loss, p in data.get("risk_tolerance", []):
        tolerance.append([loss, p])
    sheet = book.create_sheet(INPUTS)
    for row in inputs:
        sheet.append(row)
    _lists(book, scenario, DataValidation)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lists(book, scenario: Scenario, DataValidation) -> None:
    """Drop-down lists: forms of a number, scopes, causes, presets, and the names a cell refers to."""
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    columns = {"form": FORMS, "scope": SCOPES, "category": CATEGORIES, "preset": tuple(ARCHITECTURE_PRESETS),
               "architecture": tuple(sorted(set(ARCHITECTURE_PRESETS) | {a.name for a in scenario.architectures})),
               "site": tuple(s.name for s in scenario.sites), "skills": tuple(p.name for p in scenario.skills_programmes)}
    for j, (name, values) in enumerate(columns.items(), start=1):
        letter = lists.cell(row=1, column=j, value=name).column_letter
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=j, value=value)
        reference = f"{LISTS}!${letter}$2:${letter}${max(2, len(values) + 1)}"
        for title in (INPUTS, *TABLES):
            sheet = book[title]
            header = [c.value for c in sheet[1]]
            if name in header:
                col = sheet.cell(row=1, column=header.index(name) + 1).column_letter
                check = DataValidation(type="list", formula1=reference, allow_blank=True, showErrorMessage=True,
                                       errorTitle=name, error=f"choose a {name} from the list")
                sheet.add_data_validation(check)
                check.add(f"{col}2:{col}1000")


class _Reader:
    """Reads cells, remembering where each scenario path came from, for messages that name the cell."""

    def __init__(self, book):
        self.book, self.problems, self.where = book, [], {}

    def sheet(self, title: str):
        if title not in self.book.sheetnames:
            self.problems.append(f"{title}: the sheet is missing; a scenario workbook has "
                                 f"{', '.join([SCENARIO, *TABLES, TOLERANCE, INPUTS])}")
            return None
        return self.book[title]

    def value(self, cell, kind: str = "any") -> Any:
        """A cell's value; None and a message for a formula, an error value or text where a number belongs."""
        where = f"{cell.parent.title}!{cell.coordinate}"
        if cell.data_type == "f":
            self.problems.append(f"{where}: {str(cell.value)[:40]!r} is a formula; riskmodel reads values, so type "
                                 "the number")
            return None
        if cell.data_type == "e":
            self.problems.append(f"{where}: {cell.value} is a formula's error; give a number")
            return None
        value = cell.value
        if kind == "number" and value is not None and not isinstance(value, (int, float)):
            try:
                return float(str(value).replace(",", ""))
            except ValueError:
                self.problems.append(f"{where}: {str(value)[:40]!r} is text; a number belongs here")
                return None
        return value

    def rows(self, sheet) -> list[tuple[dict, dict]]:
        """(values by header, cells by header) for each row below the header that has any value."""
        header = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
        out = []
        for row in sheet.iter_rows(min_row=2):
            cells = {h: c for h, c in zip(header, row) if h}
            if any(c.value not in (None, "") for c in cells.values()):
                out.append(({h: c.value for h, c in cells.items()}, cells))
        return out


def _parse_field(model: type[BaseModel], field: str, text: Any) -> Any:
    """A cell's text as the field's value: lists from ``a, b``, mappings from ``k: v; k2: v2``."""
    if text is None or text == "":
        return None
    annotation = model.model_fields[field].annotation
    origins = {typing.get_origin(a) for a in (annotation, *typing.get_args(annotation))}
    if tuple in origins:
        return [x.strip() for x in str(text).split(",") if x.strip()]
    if dict in origins:
        pairs = [p.partition(":") for p in str(text).split(";") if p.strip()]
        number = field == "sites"  # a threat's sites: name → probability; tiers: tier → architecture name
        return {(int(k) if field == "tiers" else k.strip()): (float(v) if number else v.strip()) for k, _, v in pairs}
    if annotation is bool and isinstance(text, str):
        return text.strip().lower() in ("true", "yes", "1")
    return text


def import_workbook(data: bytes) -> str:
    """A scenario's YAML text from an .xlsx workbook :func:`export` wrote (or one laid out alike).

    Raises
    ------
    ScenarioError
        One message per problem, each naming the sheet and cell (``Inputs!E7: …``).
    """
    openpyxl = _openpyxl()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one message, not a traceback
        raise ScenarioError([f"not an .xlsx workbook ({type(exc).__name__})"]) from None
    r = _Reader(book)
    doc: dict[str, Any] = {}
    plain = False
    sheet = r.sheet(SCENARIO)
    if sheet is not None:
        for values, cells in r.rows(sheet):
            key = str(values.get("key") or "").strip()
            value = r.value(cells["value"])
            if key == "form":
                plain = value == "one business"
            elif key.partition(".")[0] in _SECTIONS and "." in key:
                head, _, field = key.partition(".")
                doc.setdefault(head, {})[field] = value
                r.where[key] = cells["value"]
            elif key:
                doc[key] = value
                r.where[key] = cells["value"]
    names: dict[tuple[str, str], int] = {}
    for title, (key, model) in TABLES.items():
        sheet = r.sheet(title)
        if sheet is None:
            continue
        items = []
        for i, (values, cells) in enumerate(r.rows(sheet)):
            item: dict[str, Any] = {}
            for column, cell in cells.items():
                head, _, rest = column.partition(".")
                if head not in model.model_fields and head != "history":
                    r.problems.append(f"{title}!{cell.coordinate}: {column!r} is not a field of {key}")
                    continue
                value = r.value(cell, "number" if rest in ("events", "years") else "any")
                if head != "history" and _is_words(model, head):
                    if value not in (None, ""):
                        item.setdefault(head, {})[rest or "en"] = str(value)
                    r.where[f"{key}[{i}].{head}"] = cell
                    continue
                if head == "history":
                    if value is not None:
                        item.setdefault("history", {})[rest] = value
                    continue
                try:
                    value = _parse_field(model, head, value)
                except ValueError as exc:
                    r.problems.append(f"{title}!{cell.coordinate}: {value!r} — {exc}")
                    continue
                if value is not None:
                    item[head] = value
                r.where[f"{key}[{i}].{head}"] = cell
            for field, words in list(item.items()):  # one text for every language unless a Korean one differs
                if isinstance(words, dict) and _is_words(model, field) and set(words) == {"en"}:
                    item[field] = words["en"]
            if model is Service:
                item.setdefault("impact", {})
            names[(key, str(item.get("name")))] = i
            r.where[f"{key}[{i}]"] = cells.get("name")
            items.append(item)
        if items:
            doc[key] = items
    sheet = r.sheet(TOLERANCE)
    if sheet is not None:
        pairs = []
        for i, (values, cells) in enumerate(r.rows(sheet)):
            pairs.append([r.value(cells.get("loss"), "number"), r.value(cells.get("probability"), "number")])
            r.where[f"risk_tolerance[{i}]"] = cells.get("loss")
        if pairs:
            doc["risk_tolerance"] = pairs
    _read_inputs(r, doc, names, plain)
    if r.problems:
        raise ScenarioError(r.problems)
    if plain:
        service = doc.pop("services", [{}])[0]
        doc.pop("sites", None)
        doc["impact"] = service.get("impact", {})
        if "infra_annual_cost" in service:
            doc["infra_annual_cost"] = service["infra_annual_cost"]
    try:
        Scenario.from_dict(doc)
    except ScenarioError as exc:
        raise ScenarioError([_at_cell(m, r.where) for m in exc.messages]) from None
    return dump(doc)


def _read_inputs(r: _Reader, doc: dict, names: dict, plain: bool) -> None:
    sheet = r.sheet(INPUTS)
    if sheet is None:
        return
    for values, cells in r.rows(sheet):
        row = cells.get("section") or next(iter(cells.values()))
        where = f"{INPUTS}!A{row.row}"
        section, item, field = (str(values.get(k) or "").strip() for k in ("section", "item", "field"))
        form = str(values.get("form") or "").strip()
        if form not in FORMS:
            cell = cells.get("form")
            r.problems.append(f"{INPUTS}!{cell.coordinate if cell else where}: {form!r} is not a form; forms are "
                              f"{', '.join(FORMS)}")
            continue
        params = [r.value(cells[slot], "number") for slot in SLOTS[form] if slot in cells]
        if any(p is None for p in params) or len(params) != len(SLOTS[form]):
            missing = [s for s in SLOTS[form] if s not in cells or cells[s].value is None]
            if missing:
                r.problems.append(f"{INPUTS}!{cells['form'].coordinate}: the {form} form needs "
                                  f"{', '.join(SLOTS[form])}; {', '.join(missing)} is empty")
            continue
        quantity: dict[str, Any] = {form: (params[0] if form == "value" else
                                           {"median": params[0], "p95": params[1]} if form == "lognormal" else params)}
        if values.get("source"):
            quantity["source"] = str(values["source"])
        if section == "beyond_pnl":
            doc.setdefault("beyond_pnl", {})[field] = quantity
            r.where[f"beyond_pnl.{field}"] = cells["form"]
            continue
        if plain and section in ("impact", "scenario"):
            # One business: its impact and infrastructure cost, read as its one service's.
            target = doc.setdefault("services", [{}])[0]
            field = f"impact.{field}" if section == "impact" else field
            path = f"services[0].{field}"
        else:
            index = names.get((section, item))
            if index is None:
                r.problems.append(f"{where}: {section} has no item named {item!r} (see its sheet)")
                continue
            target = doc[section][index]
            path = f"{section}[{index}].{field}"
        head, _, rest = field.partition(".")
        if rest:
            target = target.setdefault(head, {})
            field = rest
        target[field] = quantity
        r.where[path] = cells["form"]


_PATH = re.compile(r"^(?P<path>[a-z_]+(?:\[\d+\])?(?:\.[a-z_0-9]+)*)")


def _at_cell(message: str, where: dict) -> str:
    """A scenario message with the cell its field came from: ``Services!C4: services[2].site: …``."""
    m = _PATH.match(message)
    if m:
        path = m["path"]
        while path:
            if path in where and where[path] is not None:
                cell = where[path]
                return f"{cell.parent.title}!{cell.coordinate}: {message}"
            path = re.sub(r"(\.[a-z_0-9]+|\[\d+\])$", "", path) if re.search(r"(\.[a-z_0-9]+|\[\d+\])$", path) else ""
    return message
