"""The scenario schema for people and editors: a JSON Schema and a Markdown reference of every field.

Both are generated from the pydantic models of :mod:`riskmodel.scenario`, never written
by hand: the field names, types, defaults and bounds come from the models, the meaning
and unit of each field from :data:`FIELDS` below (a test checks that it covers every
field of every model, and nothing else), and each example from the shipped scenarios.
``riskmodel schema`` writes them; ``docs/`` holds the generated copies the README links.

The JSON Schema lets an editor with a YAML language server complete and check a scenario
file: put ``# yaml-language-server: $schema=docs/scenario.schema.json`` on its first line.
"""

from __future__ import annotations

import copy
import json
import types
import typing

import yaml
from pydantic import BaseModel

from riskmodel import documents
from riskmodel.distributions import FORMS, Quantity
from riskmodel.resources import shipped_scenarios
from riskmodel.scenario import (
    BOUNDS,
    Architecture,
    BeyondPnl,
    Finance,
    Impact,
    IncidentHistory,
    Option,
    Scenario,
    Service,
    Site,
    SkillsProgramme,
    Threat,
)

#: Where each model sits in a file, and what one of it describes.
SECTIONS: dict[type[BaseModel], tuple[str, str]] = {
    Scenario: ("(top level)", "once per scenario"),
    Finance: ("finance", "once per scenario"),
    Site: ("sites[]", "per site"),
    Service: ("services[]", "per service"),
    Impact: ("services[].impact, or impact at the top level of a one-business scenario",
             "per service: what an hour of its outage costs"),
    Threat: ("threats[]", "per threat (a class of outage events)"),
    IncidentHistory: ("threats[].history", "per threat"),
    Architecture: ("architectures[]", "per architecture; its money is per service that runs it"),
    SkillsProgramme: ("skills_programmes[]", "per programme"),
    Option: ("options[]", "per option"),
    BeyondPnl: ("beyond_pnl", "once per scenario: what the market and the regulator charge, apart from cash"),
}

def _label(what: str) -> tuple[str, str]:
    return ("text, or one per language", f"What readers call the {what} (`label: {{en: ..., ko: ...}}`); without "
                                         "one, its name with spaces for underscores.")


#: (unit, meaning) of every field, by model. ``{c}`` is the scenario's currency.
FIELDS: dict[type[BaseModel], dict[str, tuple[str, str]]] = {
    Scenario: {
        "name": ("text", "The scenario's title, shown on every page and report."),
        "description": ("text", "What the scenario describes and where its figures come from."),
        "currency": ("ISO 4217 code", "The currency of every amount of money in the file (KRW, USD, EUR …)."),
        "finance": ("section", "Discount rate, horizon and basis of benefit of the appraisal."),
        "sites": ("list", "The data centres services run in."),
        "services": ("list", "The services of the portfolio, each on one site."),
        "threats": ("list", "The classes of outage events the model draws."),
        "architectures": ("list", "DR architectures defined or adjusted here; presets can be used by name "
                                  "without being listed."),
        "skills_programmes": ("list", "Engineer-skills programmes options can include."),
        "options": ("list", "The investment options compared, exactly one of them the baseline."),
        "risk_tolerance": ("[[{c}, 0-1], …]", "The board's appetite: pairs (loss, largest accepted probability "
                                              "that a year's loss exceeds it)."),
        "beyond_pnl": ("section", "What the market and the regulator charge after a whole-site loss, shown "
                                  "apart from cash."),
    },
    BeyondPnl: {
        "market_value": ("{c}", "The organisation's market value (market capitalisation)."),
        "market_reaction": ("0-1", "Share of the market value lost after a whole-site loss (event studies of IT "
                                   "failures find about 2 % over two days)."),
        "regulatory_cost": ("{c} per event", "Fines and spending a regulator orders after a whole-site loss."),
        "include": ("true | false", "Count these charges in each option's NPV (default: shown beside it only)."),
        "source": ("text", "Where these figures come from."),
    },
    Finance: {
        "discount_rate": ("1/yr", "Rate at which future cash flows are discounted (a WACC, or a social "
                                  "discount rate for a public body)."),
        "horizon_years": ("yr", "Years the appraisal covers."),
        "benefit_basis": ("cash | capacity", "What the recommendation counts as benefit: avoided loss less cost "
                                             "(cash), or that plus engineer time a skills programme frees "
                                             "(capacity). Both are always shown."),
        "source": ("text", "Where the finance figures come from."),
    },
    Site: {
        "name": ("identifier", "The site's name, referred to by services and threats."),
        "label": _label("site"),
        "region": ("identifier", "The metro area it shares with other sites: a region-wide event hits all of "
                                 "them."),
    },
    Service: {
        "name": ("identifier", "The service's name, referred to by dependencies, threats and options."),
        "label": _label("service"),
        "site": ("site name", "The site it runs in."),
        "tier": ("1-9", "Criticality class (1 = most critical); options can choose an architecture per tier."),
        "depends_on": ("service names", "Services it cannot run without: it is down while any of them is."),
        "infra_annual_cost": ("{c}/yr", "What its primary-site infrastructure costs a year; DR presets are "
                                        "priced as multiples of it."),
        "impact": ("section", "What an hour of its outage costs."),
        "source": ("text", "Where the service's figures come from."),
    },
    Impact: {
        "revenue_per_hour": ("{c}/h", "Sales (or, for a public body, value of service) an hour of outage stops."),
        "recovered_fraction": ("0-1", "Share of those sales made up later (customers who come back)."),
        "staff_idle": ("people", "Staff who cannot work while the service is down."),
        "loaded_cost_per_hour": ("{c}/h per person", "Loaded cost of an hour of one idle person's time."),
        "sla_penalty_per_hour": ("{c}/h", "Contractual penalties or service credits per hour beyond the grace."),
        "sla_grace_hours": ("h", "Outage hours before SLA penalties start."),
        "compensation_per_hour": ("{c}/h", "Compensation to customers per hour of outage, paid for the whole "
                                           "outage once it exceeds the threshold."),
        "compensation_threshold_hours": ("h", "Outage length from which compensation is paid."),
        "fine": ("{c} per event", "Regulatory fine once an outage exceeds the regulatory threshold."),
        "regulatory_threshold_hours": ("h", "Outage length from which the fine applies."),
        "customers": ("people", "Active customers who could leave after an outage."),
        "churn_max": ("0-1", "Largest share of customers lost after a very long outage."),
        "churn_tau_hours": ("h", "Outage length at which churn reaches 63 % of churn_max "
                                 "(churn = churn_max × (1 − e^(−d/τ)))."),
        "customer_lifetime_value": ("{c} per customer", "Margin a customer brings over their remaining life."),
        "incident_fixed_cost": ("{c} per event", "Cost of an incident whatever its length (response, "
                                                 "communication, forensics); drawn per event."),
        "responder_cost_per_hour": ("{c}/h", "Cost of the people responding, per outage hour."),
        "data_value_per_hour": ("{c} per hour of data", "Cost of an hour of data lost (re-keying, refunds, "
                                                        "contacts)."),
        "growth_rate": ("1/yr", "Growth of all of the above from year 1 on."),
    },
    Threat: {
        "name": ("identifier", "The threat's name."),
        "label": _label("threat"),
        "scope": ("component | site | region | logical", "What one event strikes: a service, a whole site, every "
                                                          "site of a region, or a service's data (logical)."),
        "category": ("facility | hardware | software | network | human_error | cyber | provider",
                     "The kind of cause; skills programmes improve some categories."),
        "rate": ("events/yr", "How often it happens (one of rate, annual_probability, return_period_years, "
                              "mtbf_hours). A site threat without sites: per site-year."),
        "annual_probability": ("0-1", "Probability of at least one event in a year (below 1)."),
        "return_period_years": ("yr", "Mean years between events."),
        "mtbf_hours": ("h", "Mean time between failures."),
        "duration_hours": ("h", "Time to restore with no DR; drawn per event."),
        "data_loss_hours": ("h", "Hours of data lost with no DR; drawn per event."),
        "sites": ("{site: 0-1}", "A site threat's target: the probability each event lands on each site "
                                 "(summing to 1)."),
        "region": ("region name", "A region threat's region (default: the first site's)."),
        "services": ("service names", "The services a component or logical threat strikes (default: all), each "
                                      "independently at the rate."),
        "history": ("section", "Incidents observed, which update a gamma prior on the rate."),
        "source": ("text", "Where the threat's figures come from."),
    },
    IncidentHistory: {
        "events": ("events", "Incidents observed."),
        "years": ("yr", "Years of exposure they were observed over."),
        "source": ("text", "Where the log comes from."),
    },
    Architecture: {
        "name": ("identifier", "The architecture's name, used by options."),
        "label": _label("architecture"),
        "preset": ("preset name", "The preset it starts from: single_site, backup_and_restore, pilot_light, "
                                  "warm_standby, hot_standby or active_active."),
        "covers": ("scopes", "The scopes of threat a second site protects against."),
        "geo_separated": ("true | false", "The second site is in another region."),
        "point_in_time_recovery": ("true | false", "Backups reach back before a logical event (ransomware, "
                                                   "corruption)."),
        "failover_control": ("independent | in_primary_site", "Whether failover tooling survives the loss of the "
                                                              "primary site."),
        "rto_hours": ("h", "Time to recover by automatic failover; drawn per event."),
        "rpo_hours": ("h", "Data lost on failover; drawn per event."),
        "failover_success": ("0-1", "Probability an automatic failover works."),
        "manual_failover_success": ("0-1", "Probability a manual switch-over works: after a failed automatic one, "
                                           "or first where the automation ran in the site that was hit."),
        "manual_rto_hours": ("h", "Time from the event's start to recover by manual switch-over; drawn per event."),
        "restore_success": ("0-1", "Probability a restore from the last good backup works when every failover "
                                   "failed (site and region losses); 0: no restore step."),
        "restore_hours": ("h", "Time from the event's start to rebuild capacity where needed and restore onto it; "
                               "drawn per event."),
        "capex": ("{c} per service", "One-off build cost, year 0, for each service that runs it (a total for "
                                     "several services is split, not repeated)."),
        "opex_per_year": ("{c}/yr per service", "Running cost a year for each service that runs it."),
        "capex_multiple": ("× infra_annual_cost", "Build cost as a multiple of the service's infra_annual_cost, "
                                                  "used when capex is not given."),
        "opex_multiple": ("× infra_annual_cost", "Running cost as a multiple of the service's infra_annual_cost, "
                                                 "used when opex_per_year is not given."),
        "added_incident_rate": ("events/yr", "Incidents the architecture's own complexity adds."),
        "added_incident_duration_hours": ("h", "Length of each of those incidents; drawn per event."),
        "source": ("text", "Where the architecture's figures come from."),
    },
    SkillsProgramme: {
        "name": ("identifier", "The programme's name, used by options."),
        "label": _label("programme"),
        "engineers": ("people", "Engineers in the programme."),
        "loaded_cost_per_engineer": ("{c}/yr per person", "Loaded cost of one engineer a year."),
        "toil_share_now": ("0-1", "Share of their time on routine (toil) work today."),
        "toil_share_target": ("0-1", "Share once the programme has ramped up."),
        "ramp_years": ("yr", "Years until the effects are full (linear)."),
        "cost_per_engineer_per_year": ("{c}/yr per person", "Training, certification, lab and game-day cost."),
        "improves_categories": ("categories", "Threat categories whose restore time the programme shortens."),
        "mttr_multiplier": ("×", "Factor on the restore time of those threats."),
        "human_error_rate_multiplier": ("×", "Factor on the rate of human-error threats."),
        "failover_success_uplift": ("0-1", "Probability added to failover success (capped at 1)."),
        "attrition_reduction": ("leavers/yr", "Engineers a year who no longer leave."),
        "replacement_cost": ("{c} per leaver", "Cost of replacing one engineer who leaves."),
        "value_of_freed_hour_multiplier": ("×", "Value of a freed hour as a multiple of its loaded cost."),
        "source": ("text", "Where the programme's figures come from."),
    },
    Option: {
        "name": ("identifier", "The option's name."),
        "label": _label("option"),
        "baseline": ("true | false", "The posture the others are compared with (exactly one option)."),
        "architecture": ("architecture name", "The architecture of every service not given one below."),
        "tiers": ("{tier: architecture}", "An architecture per service tier."),
        "services": ("{service: architecture}", "An architecture per service (wins over tiers)."),
        "skills": ("programme name", "The skills programme the option includes."),
        "description": ("text, or one per language", "What the option is, in words, shown where options are first "
                                                      "compared."),
    },
}

#: What each form of a number means (see :class:`riskmodel.distributions.Quantity`).
FORM_DOCS = {
    "value": ("5 or {value: 5}", "a fixed number"),
    "ci90": ("{ci90: [low, high]}", "lognormal with 90 % of its mass between low and high (both > 0)"),
    "pert": ("{pert: [low, likely, high]}", "PERT (a smooth beta) on [low, high] peaking at likely"),
    "uniform": ("{uniform: [low, high]}", "every value in [low, high] equally likely"),
    "triangular": ("{triangular: [low, likely, high]}", "triangle on [low, high] peaking at likely"),
    "beta": ("{beta: [a, b]}", "beta distribution with shape parameters a and b, on [0, 1]"),
    "lognormal": ("{lognormal: {median: m, p95: x}}", "lognormal given by its median and 95th percentile"),
    "gamma": ("{gamma: [shape, rate]}", "gamma distribution (a prior for a rate, updated by history)"),
}



def _kind(info) -> str | None:
    """The bounds of a quantity field (``money``, ``hours`` …), read from its validator."""
    metadata = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        metadata += getattr(arg, "__metadata__", ())
    return next((m.func.kind for m in metadata if hasattr(getattr(m, "func", None), "kind")), None)


def _is_section(model: type[BaseModel], field: str) -> bool:
    """Whether a field holds a mapping of another model's fields (impact, finance, history)."""
    annotation = model.model_fields[field].annotation
    return any(isinstance(a, type) and issubclass(a, BaseModel) and a is not Quantity
               for a in (annotation, *typing.get_args(annotation)))


def _cell(text: str) -> str:
    """Text that stays in its Markdown table cell."""
    return text.replace("|", "\\|")


_NAMES = {str: "text", int: "whole number", float: "number", bool: "true or false"}


def _describe(annotation) -> str:
    """A type annotation in words: ``tuple[Scope, ...]`` → "a list of: component, site, …"."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _describe(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in args if a is not type(None))
    if origin is typing.Literal:
        return "one of " + ", ".join(map(str, args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list, each {_describe(args[0])}"
        return "a list of " + ", ".join(_describe(a) for a in args)
    if origin is dict:
        return f"a mapping of {_describe(args[0])} to {_describe(args[1])}"
    if annotation is Quantity:
        return "a number or a distribution (" + ", ".join(FORMS[1:]) + ")"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a mapping of {annotation.__name__} fields"
    return _NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _allowed(model: type[BaseModel], field: str) -> str:
    """What a field may hold, in words: a number's forms and bounds, a type, a choice, limits."""
    info = model.model_fields[field]
    kind = _kind(info)
    text = _describe(info.annotation)
    if kind:
        lo, hi, what, unit, _ = BOUNDS[kind]
        text = f"{what} in [{lo:g}, {hi:g}]{unit}: {text}"
    limits = [f"{k} {v:g}" for m in info.metadata for k, v in (("≥", getattr(m, "ge", None)),
                                                                  (">", getattr(m, "gt", None)),
                                                                  ("≤", getattr(m, "le", None)),
                                                                  ("<", getattr(m, "lt", None))) if v is not None]
    return text + (f" ({', '.join(limits)})" if limits else "")


def _default(model: type[BaseModel], field: str) -> str:
    info = model.model_fields[field]
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
        if isinstance(value, dict):
            value.pop("source", None)  # the default's reasoning is in its field's meaning, not in the table
            value = value.get("value", value) if set(value) == {"value"} else value
    if value is None:
        return "none"
    return _inline(value)


def _inline(value) -> str:
    """A value as one line of YAML: ``{ci90: [0.25, 4.0]}``."""
    if isinstance(value, tuple):
        value = list(value)
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1 << 16)
    return text.strip().removesuffix("...").strip()


def _nodes(doc: dict, model: type[BaseModel]) -> list[dict]:
    """The mappings of a parsed scenario file that are ``model``s."""
    def items(key):
        return [x for x in doc.get(key) or () if isinstance(x, dict)]
    if model is Scenario:
        return [doc]
    if model in (Finance, BeyondPnl):
        key = "finance" if model is Finance else "beyond_pnl"
        return [doc[key]] if isinstance(doc.get(key), dict) else []
    if model is Impact:
        return [s["impact"] for s in items("services") if isinstance(s.get("impact"), dict)] + (
            [doc["impact"]] if isinstance(doc.get("impact"), dict) else [])
    if model is IncidentHistory:
        return [t["history"] for t in items("threats") if isinstance(t.get("history"), dict)]
    key = {Site: "sites", Service: "services", Threat: "threats", Architecture: "architectures",
           SkillsProgramme: "skills_programmes", Option: "options"}[model]
    return items(key)


def _shorten(value):
    """An example value without its source, lists and long texts cut."""
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_shorten(v) for v in value[:3]] + (["…"] if len(value) > 3 else [])
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "…"
    return value


def examples() -> dict[tuple[type[BaseModel], str], tuple[str, str]]:
    """(model, field) → (an example from a shipped scenario, the scenario's name)."""
    found: dict[tuple[type[BaseModel], str], tuple[str, str]] = {}
    for name, path in shipped_scenarios().items():
        doc = documents.parse(documents.read_text(path))
        for model in FIELDS:
            for node in _nodes(doc, model):
                for field, value in node.items():
                    if (model, field) not in found and field in model.model_fields and value not in ([], {}, None):
                        if isinstance(value, list) and value and isinstance(value[0], dict):
                            value = [f"{len(value)} item" + ("s" if len(value) != 1 else "")]
                        elif isinstance(value, dict) and _is_section(model, field):
                            value = {k: "…" for k in value}
                        found[(model, field)] = (f"{field}: {_inline(_shorten(value))}", name)
    return found


def markdown() -> str:
    """The scenario reference: every field of every section, with meaning, unit, default, forms, example.

    Examples
    --------
    >>> "revenue_per_hour" in markdown()  # doctest: +SKIP
    True
    """
    shown = examples()
    lines = ["# Scenario reference", "",
             "Generated by `riskmodel schema --markdown` from the schema in `riskmodel/scenario.py` and the "
             "field descriptions in `riskmodel/schema.py`; examples are taken from the shipped scenarios. "
             "Do not edit by hand. `{c}` is the scenario's currency.", "",
             "A scenario is one YAML file. Start one with `riskmodel new`; check it with "
             "`riskmodel validate FILE` (errors name the field, the value and the rule).", "",
             "## Numbers", "",
             "Every number marked *a number or a distribution* may be written in one of these forms, each "
             "with an optional `source:` (where the figure comes from; inputs without one are counted by "
             "`riskmodel validate`):", "",
             "| form | written | meaning |", "|---|---|---|"]
    lines += [f"| `{form}` | `{written}` | {meaning} |" for form, (written, meaning) in FORM_DOCS.items()]
    for model, (where, per) in SECTIONS.items():
        lines += ["", f"## `{where}` — {model.__name__}", "", f"Given {per}.", "",
                  "| field | unit | meaning | allowed | default | example |", "|---|---|---|---|---|---|"]
        for field in model.model_fields:
            if model.model_fields[field].exclude:
                continue
            unit, meaning = FIELDS[model][field]
            example = shown.get((model, field))
            cell = f"`{example[0]}` ({example[1]})" if example else ""
            default = _default(model, field)
            cells = [f"`{field}`", _cell(unit), _cell(meaning), _cell(_allowed(model, field)),
                     "required" if default == "required" else f"`{_cell(default)}`", _cell(cell)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines).replace("|  |", "| |") + "\n"


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of a scenario file, each field described, numbers in every form.

    Examples
    --------
    >>> json_schema()["$defs"]["Impact"]["properties"]["revenue_per_hour"]["description"]  # doctest: +SKIP
    '[{c}/h] Sales (or, for a public body, value of service) an hour of outage stops.'
    """
    schema = copy.deepcopy(Scenario.model_json_schema(mode="validation"))
    defs = schema.setdefault("$defs", {})
    for model, fields in FIELDS.items():
        target = schema if model is Scenario else defs[model.__name__]
        target["description"] = f"{SECTIONS[model][0]}: given {SECTIONS[model][1]}."
        for field, (unit, meaning) in fields.items():
            target["properties"][field]["description"] = f"[{unit}] {meaning}"
    # A bare number is a fixed quantity (Quantity's before-validator), which pydantic's schema cannot tell.
    quantity = defs.pop("Quantity")
    defs["Quantity"] = {"anyOf": [{"type": "number"}, quantity], "description": "A number or a distribution: "
                        + "; ".join(f"{w} — {m}" for w, m in FORM_DOCS.values())}
    schema["properties"].pop("plain_form", None)
    # The one-business form: impact (and infra_annual_cost) at the top instead of sites and services.
    schema["properties"]["impact"] = {"$ref": "#/$defs/Impact", "description": "[section] One business: its "
                                      "impact, instead of sites and services."}
    schema["properties"]["infra_annual_cost"] = {"$ref": "#/$defs/Quantity", "description": "[{c}/yr] One "
                                                 "business: its infrastructure's annual cost."}
    required = [r for r in schema.get("required", []) if r not in ("sites", "services")]
    schema["required"] = required
    schema["oneOf"] = [{"required": ["sites", "services"]}, {"required": ["impact"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "riskmodel scenario"
    return schema


def json_text() -> str:
    return json.dumps(json_schema(), indent=1, ensure_ascii=False) + "\n"
