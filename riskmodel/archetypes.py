"""Scenario templates: a complete, valid scenario for an organisation of a given shape, from a few answers.

An IT leader should not need to read the schema to model their own company. A template
(an *archetype*: online retailer, securities firm, B2B SaaS, public-sector service) turns
a few answers — currency, annual revenue (or budget), the services with their tier and
share of revenue, the sites and their regions, the operations team's size — into a
scenario whose every other figure comes from ``data/reference/`` with its source:
``archetypes.csv`` for what differs by kind of organisation (IT spend, staff and
customers per unit of revenue, recovered sales, churn, SLA credits, discount rate …),
``templates.yaml`` for the templates themselves and the threats they start with (each
citing its row of ``site_event_rates.csv``, ``outage_costs.csv`` or ``engineers.csv``),
``engineers.csv`` for the team. Its options climb the DR ladder and add a skills programme, so the first run
already answers "which, if any, pays".

Money from a reference in another currency (BLS pay in USD into a KRW scenario) is
converted at ``exchange_rate`` [scenario currency per USD], asked for when needed.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from riskmodel import documents, edits
from riskmodel.resources import reference
from riskmodel.scenario import Scenario, ScenarioError, format_errors

HOURS_PER_YEAR = 8_760
#: Paid hours of an engineer a year (52 × 40), as BLS hourly pay is reckoned.
PAID_HOURS = 2_080
_NAME = r"^[A-Za-z][A-Za-z0-9_\-]*$"


@dataclasses.dataclass(frozen=True)
class Archetype:
    """One kind of organisation a template models."""

    name: str  #: the template's name, as ``riskmodel new --template`` takes it
    label: dict[str, str]  #: its name in each language
    summary: dict[str, str]  #: what it models, in a sentence, in each language
    revenue: str  #: what the money answer is: "annual revenue" or "annual budget"
    example: dict  #: the answers of an example organisation of this kind


@functools.cache
def _templates() -> dict:
    return documents.parse(reference("templates.yaml").read_text(encoding="utf-8"))


#: The templates, by name: data/reference/templates.yaml.
ARCHETYPES: dict[str, Archetype] = {t["name"]: Archetype(**t) for t in _templates()["templates"]}


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SiteAnswer(_Answer):
    """A data centre: ``name`` and the ``region`` (metro area) it is in."""

    name: str = Field(pattern=_NAME)
    region: str = Field(default="default", pattern=_NAME)


class ServiceAnswer(_Answer):
    """A service: its ``tier`` (1 = most critical), ``revenue_share`` [0–1] of the money answer,
    ``site`` (default: the first) and the services it ``depends_on``."""

    name: str = Field(pattern=_NAME)
    tier: int = Field(default=1, ge=1, le=9)
    revenue_share: float = Field(gt=0, le=1)
    site: str | None = None
    depends_on: tuple[str, ...] = ()


class Answers(_Answer):
    """What a template asks.

    ``annual_revenue`` [currency/yr] is the annual budget for a public body;
    ``engineers`` [people] the infrastructure and operations team; ``exchange_rate``
    [currency per USD] turns the USD reference figures into the scenario's currency.
    """

    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    annual_revenue: float = Field(gt=0, le=1e18)
    engineers: int = Field(ge=1, le=100_000)
    sites: tuple[SiteAnswer, ...] = Field(min_length=1)
    services: tuple[ServiceAnswer, ...] = Field(min_length=1)
    exchange_rate: float | None = Field(default=None, gt=0, le=1e6)

    @model_validator(mode="after")
    def _consistent(self) -> "Answers":
        problems = []
        for field in ("sites", "services"):
            names = [x.name for x in getattr(self, field)]
            problems += [f"{field}: {n!r} is given twice; names must be unique"
                         for n in sorted({n for n in names if names.count(n) > 1})]
        sites = {s.name for s in self.sites}
        services = {s.name for s in self.services}
        for i, s in enumerate(self.services):
            if s.site is not None and s.site not in sites:
                problems.append(f"services[{i}].site: {s.site!r} is not a site; sites are {sorted(sites)}")
            problems += [f"services[{i}].depends_on: {d!r} is not a service" for d in s.depends_on
                         if d not in services]
        total = sum(s.revenue_share for s in self.services)
        if total > 1 + 1e-9:
            problems.append(f"services: the revenue shares add up to {total:.3g}; they must add up to at most 1")
        if problems:
            raise ValueError("\n".join(problems))
        return self


@functools.cache
def _rows() -> dict[tuple[str, str], dict[str, str]]:
    with reference("archetypes.csv").open(encoding="utf-8", newline="") as fh:
        return {(r["archetype"], r["figure"]): r for r in csv.DictReader(fh)}


@functools.cache
def _reference_rows(file: str) -> dict[str, dict[str, str]]:
    with reference(file).open(encoding="utf-8", newline="") as fh:
        return {r["figure"]: r for r in csv.DictReader(fh)}


class _Maker:
    """Builds one scenario's mapping: reference rows read, converted and cited."""

    def __init__(self, archetype: Archetype, answers: Answers):
        self.a, self.answers = archetype, answers

    def row(self, figure: str) -> dict[str, str]:
        rows = _rows()
        return rows.get((self.a.name, figure)) or rows[("all", figure)]

    def rate(self, unit: str) -> float:
        """Scenario currency per unit of the row's currency (read from its unit)."""
        currency = self.answers.currency
        given = "KRW" if unit.startswith("KRW") else "USD"
        if given == currency:
            return 1.0
        to_usd = 1.0 if given == "USD" else 1.0 / float(self.row("krw_per_usd")["likely"])
        if currency == "USD":
            return to_usd
        usd = self.answers.exchange_rate
        if usd is None and currency == "KRW":
            usd = float(self.row("krw_per_usd")["likely"])
        if usd is None:
            raise ScenarioError([f"exchange_rate: the {self.a.name} template's reference money is in {given}; give "
                                 f"how many {currency} one USD buys (exchange_rate: …)"])
        return to_usd * usd

    def cite(self, figure: str, how: str = "") -> str:
        r = self.row(figure)
        return (f"archetypes.csv {r['archetype']} {figure} ({r['confidence']}): {r['source']}"
                + (f"; {how}" if how else ""))

    def triple(self, figure: str, scale: float = 1.0, money: bool = False) -> list[float]:
        r = self.row(figure)
        factor = scale * (self.rate(r["unit"]) if money else 1.0)
        return [_round(float(r[k]) * factor) for k in ("low", "likely", "high")]

    def pert(self, figure: str, scale: float = 1.0, money: bool = False, how: str = "") -> Any:
        return _spread(self.triple(figure, scale, money), self.cite(figure, how))

    def likely(self, figure: str, money: bool = False) -> float:
        return self.triple(figure, money=money)[1]


def _spread(values: list[float], source: str) -> dict:
    """A PERT of (low, likely, high), or a fixed value where rounding made them one (a team of 3: 0 idle)."""
    if min(values) == max(values):
        return {"value": values[1], "source": source}
    return {"pert": values, "source": source}


def _round(x: float) -> float:
    """Four significant figures: a file a person reads, not 12345678.901234."""
    if x == 0:
        return 0
    out = float(f"{x:.4g}")
    return int(out) if out.is_integer() and abs(out) < 1e15 else out


def _engineer_cost(m: _Maker) -> tuple[float, str]:
    """Loaded cost of an engineer a year [currency/yr], and its source."""
    if m.answers.currency == "KRW":
        r = _reference_rows("engineers.csv")["kosa_ops_engineer_monthly"]
        return _round(float(r["value"]) * 12), f"engineers.csv kosa_ops_engineer_monthly ({r['confidence']}): " \
            f"{r['source']}; × 12 months"
    r = _reference_rows("engineers.csv")["us_sysadmin_loaded_cost"]
    rate = m.rate("USD")
    how = "" if rate == 1 else f"; × {rate:.4g} {m.answers.currency}/USD"
    return _round(float(r["value"]) * rate), (f"engineers.csv us_sysadmin_loaded_cost ({r['confidence']}): BLS "
                                              f"sysadmin median pay × 1.42 loaded multiplier{how}")


def _impact(m: _Maker, service: ServiceAnswer, hourly_staff: float, n_services: int) -> dict:
    """What an hour of one service's outage costs, each figure from its reference row."""
    answers, kind = m.answers, m.a.name
    money_year = answers.annual_revenue * service.revenue_share
    per_hour = money_year / HOURS_PER_YEAR
    share = f"{service.revenue_share:.3g} of the {m.a.revenue}"
    impact: dict[str, Any] = {
        "revenue_per_hour": _spread([_round(0.8 * per_hour), _round(per_hour), _round(1.2 * per_hour)],
                             f"answers: {m.a.revenue} {answers.annual_revenue:,.0f} × {share} / 8,760 h; "
                                       "±20 % for seasonality (assumption)"
                             + ("; cost of provision as the value of an hour of service (archetypes.csv "
                                "public_service value_of_service_per_hour_share_of_budget, U)"
                                if kind == "public_service" else "")),
        "recovered_fraction": m.pert("recovered_fraction"),
    }
    employees = answers.annual_revenue / m.likely("revenue_per_employee", money=True)
    idle = [round(x * employees * service.revenue_share) for x in m.triple("staff_idle_share")]
    impact["staff_idle"] = _spread(idle, m.cite(
        "staff_idle_share", f"× {employees:,.0f} staff ({m.a.revenue} / revenue_per_employee, archetypes.csv) × {share}"))
    impact["loaded_cost_per_hour"] = {"value": _round(hourly_staff), "source": "engineer loaded cost / 2,080 paid "
                                      "hours, as a proxy for staff cost (engineers.csv)"}
    if kind != "public_service":
        per_customer = m.likely("annual_revenue_per_customer", money=True)
        customers = _round(money_year / per_customer)
        margin, years = m.row("gross_margin"), m.row("customer_lifetime_years")
        clv = [_round(per_customer * float(margin[k]) * float(years[k])) for k in ("low", "likely", "high")]
        impact["customers"] = {"value": customers, "source": m.cite(
            "annual_revenue_per_customer", f"customers = {share} / {per_customer:,.0f} a customer")}
        impact["churn_max"] = m.pert("churn_after_major_outage")
        impact["churn_tau_hours"] = {"value": 48, "source": "assumption (U): customers drift away over the days "
                                     "of a long outage (online-retailer-usd.yaml)"}
        impact["customer_lifetime_value"] = _spread(clv, "archetypes.csv annual_revenue_per_customer × "
                                                    "gross_margin × customer_lifetime_years (see their rows)")
    if kind == "b2b_saas":
        monthly = money_year / 12
        impact["sla_penalty_per_hour"] = _spread(
            [_round(monthly * f) for f in (0.1 / 36.5, 0.3 / 36.5, 1.0 / 36.5)],
            "archetypes.csv b2b_saas sla_credit_share_tier1-3 (S, AWS region-level SLA): 10 %, 30 %, 100 % of a "
            "month's fee by 36.5 h down, as a rate per hour of the month's fee (U)")
        impact["sla_grace_hours"] = m.pert("sla_credit_start_hours")
    if kind == "securities_firm":
        impact["incident_fixed_cost"] = m.pert("compensation_per_incident", money=True,
                                               how="compensation paid per trading-system outage")
        impact["fine"] = {"ci90": [_round(2e7 * m.rate("KRW")), _round(1e8 * m.rate("KRW"))],
                          "source": "securities-krw.yaml: Electronic Financial Transactions Act Art. 51 administrative "
                                    "fines; amount range an assumption (U)"}
        impact["regulatory_threshold_hours"] = m.pert("regulatory_threshold_hours")
    elif kind == "online_retailer":
        impact["incident_fixed_cost"] = m.pert("incident_fixed_cost", scale=service.revenue_share, money=True,
                                               how=f"× {share}")
    engineers = answers.engineers
    impact["responder_cost_per_hour"] = _spread(
        [_round(hourly_staff * 1.5 * engineers * f / n_services) for f in (0.3, 0.6, 1.0)],
        f"assumption (U): 30-100 % of the {engineers} engineers respond at 1.5× their loaded hourly cost "
        "(engineers.csv), shared among the services")
    impact["data_value_per_hour"] = {"ci90": [_round(0.1 * per_hour), _round(per_hour)],
                                     "source": "assumption (U): re-keying, refunding or reconciling an hour of lost "
                                               "transactions costs 0.1-1× an hour of revenue (online-retailer-usd.yaml "
                                               "puts USD 5k-50k against USD 34k/h)"}
    return impact


def _threats(m: _Maker) -> list[dict]:
    """The threats every template starts with (templates.yaml), and the template's own."""
    threats = copy.deepcopy(_templates()["threats"])
    if m.a.name == "b2b_saas":
        threats.append({"name": "cloud_region_outage", "scope": "region", "category": "provider",
                        "rate": m.pert("cloud_region_outage_rate"),
                        "duration_hours": m.pert("cloud_region_outage_duration_hours")})
    return threats


def _options(answers: Answers) -> list[dict]:
    tiers = sorted({s.tier for s in answers.services})
    options = [{"name": "today", "baseline": True, "architecture": "single_site",
                "description": "today's posture: no DR site, restore in place"}]
    for preset, words in (("backup_and_restore", "backups restored at the second site"),
                          ("pilot_light", "a pilot light at the second site"),
                          ("warm_standby", "a warm standby at the second site"),
                          ("active_active", "active-active across both sites")):
        options.append({"name": preset, "architecture": preset, "description": words})
    if len(tiers) > 1:
        options.append({"name": "tiered", "architecture": "backup_and_restore",
                        "tiers": {tiers[0]: "active_active", **{t: "warm_standby" for t in tiers[1:2]}},
                        "description": f"matched to each service's needs: tier {tiers[0]} active-active"
                                       + (f", tier {tiers[1]} warm standby" if len(tiers) > 1 else "")
                                       + ", the rest backup and restore"})
    options.append({"name": "skills_programme", "architecture": "single_site", "skills": "sre_programme",
                    "description": "today's posture, run by a team in the SRE programme"})
    options.append({"name": "warm_standby_and_skills", "architecture": "warm_standby", "skills": "sre_programme",
                    "description": "a warm standby run by a team in the SRE programme"})
    return options


def _programme(m: _Maker, cost: float, cost_source: str) -> dict:
    eng = _reference_rows("engineers.csv")
    mttr, errors, uplift = (eng[f"suggested_{k}_ci90"] for k in ("mttr_multiplier", "human_error_rate_multiplier",
                                                                  "failover_success_uplift"))
    pair = lambda r: [float(x) for x in r["value"].split(";")]  # noqa: E731
    return {
        "name": "sre_programme", "engineers": m.answers.engineers,
        "loaded_cost_per_engineer": {"value": cost, "source": cost_source},
        "toil_share_now": {"pert": [0.5, 0.7, 0.8], "source": "engineers.csv toil_share_now_korea_op_ed (P/U): 'most "
                           "infrastructure staff spend over 70 % of their resources on simple hardware work' "
                           "(서영석, Datanet, 13 Nov 2022), hence the range"},
        "toil_share_target": {"pert": [0.35, 0.45, 0.5], "source": "engineers.csv sre_toil_cap (P): Google SRE keeps "
                              "toil under 50 % of each engineer's time (SRE book ch. 5, 2016)"},
        "ramp_years": 2,
        "cost_per_engineer_per_year": m.pert("training_cost_per_engineer", money=True),
        "mttr_multiplier": {"ci90": pair(mttr), "source": f"engineers.csv suggested_mttr_multiplier_ci90 "
                            f"({mttr['confidence']}): {mttr['source']}"},
        "human_error_rate_multiplier": {"ci90": pair(errors), "source": "engineers.csv suggested_human_error_rate_"
                                        f"multiplier_ci90 ({errors['confidence']}): {errors['source']}"},
        "failover_success_uplift": {"pert": [0.0, 0.07, 0.15], "source": "engineers.csv suggested_failover_success_"
                                    f"uplift_ci90 ({uplift['confidence']}), as a PERT bounded in [0, 0.15]"},
        "value_of_freed_hour_multiplier": {"value": 1.0, "source": "conservative choice: freed hours valued at their "
                                           "wage, not at the higher value of the work they move to (DESIGN §7)"},
        "source": f"the {m.a.label['en']} template's SRE programme for the {m.answers.engineers}-engineer "
                  "operations team",
    }


def make(template: str, answers: Answers | dict | None = None) -> dict:
    """The scenario of a template for ``answers`` (default: the template's example), as a mapping.

    Parameters
    ----------
    template : str
        One of :data:`ARCHETYPES` (``online_retailer``, ``securities_firm``, ``b2b_saas``,
        ``public_service``).
    answers : Answers or dict, optional
        The organisation. A mapping is validated as :class:`Answers`.

    Returns
    -------
    dict
        A scenario mapping that :meth:`riskmodel.scenario.Scenario.from_dict` accepts.

    Raises
    ------
    ScenarioError
        Naming the answer, the value and the rule, or an unknown template.

    Examples
    --------
    >>> s = Scenario.from_dict(make("b2b_saas"))
    >>> [o.name for o in s.options][:2]
    ['today', 'backup_and_restore']
    """
    if template not in ARCHETYPES:
        raise ScenarioError([f"template {template!r}: no such template; templates are {', '.join(ARCHETYPES)}"])
    archetype = ARCHETYPES[template]
    if answers is None:
        answers = archetype.example
    if not isinstance(answers, Answers):
        try:
            answers = Answers.model_validate(answers)
        except ValidationError as exc:
            messages = format_errors(exc)
            # pydantic adds "at least 1 item" to a list whose only item failed: the item's own error says it.
            raise ScenarioError([f"answers: {m}" for m in messages
                                 if "should have at least 1 item after validation" not in m
                                 or not any(other.startswith(m.split(":")[0] + "[") for other in messages)]) from None
    m = _Maker(archetype, answers)
    cost, cost_source = _engineer_cost(m)
    hourly = cost / PAID_HOURS
    first_site = answers.sites[0].name
    infra_low, infra_likely, infra_high = (
        float(m.row("it_spend_share_of_revenue")[k]) * float(m.row("infrastructure_share_of_it_spend")[k])
        for k in ("low", "likely", "high"))
    services = []
    for s in answers.services:
        money_year = answers.annual_revenue * s.revenue_share
        services.append({
            "name": s.name, "site": s.site or first_site, "tier": s.tier, "depends_on": list(s.depends_on),
            "infra_annual_cost": _spread([_round(money_year * x) for x in (infra_low, infra_likely, infra_high)],
                                         "archetypes.csv it_spend_share_of_revenue × infrastructure_share_of_it_spend "
                                         f"(see their rows) × the service's {s.revenue_share:.3g} of the "
                                         f"{archetype.revenue}"),
            "impact": _impact(m, s, hourly, len(answers.services)),
            "source": f"answers: tier {s.tier}, {s.revenue_share:.3g} of the {archetype.revenue}",
        })
    revenue = answers.annual_revenue
    return {
        "name": answers.name,
        "description": (f"{archetype.summary['en']} Made from the {archetype.label['en']} template "
                        f"(riskmodel new --template {template}): the answers give the shape and size, every other "
                        "figure comes from data/reference/ with its source. Replace any figure with your own."),
        "currency": answers.currency,
        "finance": {"discount_rate": m.likely("discount_rate"), "horizon_years": 5, "benefit_basis": "cash",
                    "source": m.cite("discount_rate", "5-year horizon: the usual refresh cycle of DR infrastructure "
                                                      "(assumption)")},
        "sites": [s.model_dump() for s in answers.sites],
        "services": services,
        "threats": _threats(m),
        "skills_programmes": [_programme(m, cost, cost_source)],
        "options": _options(answers),
        # An illustrative appetite, as a share of the money answer: the board should set its own.
        "risk_tolerance": [[_round(revenue * f), p] for f, p in ((0.01, 0.1), (0.03, 0.02), (0.1, 0.01))],
    }


def make_text(template: str, answers: Answers | dict | None = None) -> str:
    """:func:`make` as the text of a scenario file, checked valid, with a header saying how it was made.

    Examples
    --------
    >>> text = make_text("online_retailer")
    >>> text.splitlines()[0]
    '# Example online retailer: made by `riskmodel new --template online_retailer`.'
    """
    data = make(template, answers)
    Scenario.from_dict(data)  # a template that made an invalid scenario is a bug, said here and not at the user
    header = "\n".join([
        f"# {data['name']}: made by `riskmodel new --template {template}`.",
        "# Every figure carries its source: data/reference/*.csv rows, or 'answers' for what you gave.",
        "# 'assumption (U)' marks a reading of ours: replace it with your own figure where you have one.",
        "# Money is per year or per hour as each field says (docs/scenario-reference.md);",
        "# an architecture's capex and opex_per_year are per service that runs it.",
    ])
    return header + "\n" + edits.dump(data)
