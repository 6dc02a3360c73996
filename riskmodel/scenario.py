"""The validated, immutable scenario: schema, YAML load and save, presets.

A scenario is one YAML document (DESIGN §2–§8, §12). Two shapes are accepted:

* the **plain form**: one business with a top-level ``impact`` block (and optional
  ``infra_annual_cost``); it is read as a portfolio of one service, ``business``, on one
  site, ``primary``, so both forms give identical results;
* the **portfolio form**: ``sites`` and ``services``, each service with its own impact
  block, site and dependencies.

Every number may be a :class:`~riskmodel.distributions.Quantity`. Whether an input is
epistemic (sampled once per trial) or aleatory (sampled per event) is fixed here, per
field, in each class's ``ALEATORY`` set; all other quantities are epistemic.

Errors are raised as :class:`ScenarioError`, whose messages name the field path, the
value and the rule, e.g. ``threats[2].duration_hours.ci90: [5, 3] — low 5 must be below
high 3``.
"""

from __future__ import annotations

import math
import os
import pathlib
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from riskmodel import dependencies, documents
from riskmodel.distributions import Quantity
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.resources import shipped_scenarios

# libyaml's safe dumper when PyYAML was built with it (5-10x faster; same documents).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Scope = Literal["component", "site", "region", "logical"]
Category = Literal["facility", "hardware", "software", "network", "human_error", "cyber", "provider"]
SCOPES: tuple[str, ...] = ("component", "site", "region", "logical")
CATEGORIES: tuple[str, ...] = ("facility", "hardware", "software", "network", "human_error", "cyber", "provider")
#: The languages a scenario may write its labels and descriptions in (those the app and report speak).
LANGUAGES: tuple[str, ...] = ("en", "ko")
Language = Literal["en", "ko"]
_Words = Annotated[str, Field(min_length=1, max_length=500)]
#: Words a reader sees: one text for every language, or one per language (``{en: Pay's DR, ko: 페이 DR}``).
Text = _Words | dict[Language, _Words]


def in_language(text: Text | None, lang: str) -> str | None:
    """A scenario's text (:data:`riskmodel.scenario.Text`) in ``lang``; another language's where ``lang`` has none.

    Examples
    --------
    >>> in_language({"en": "Pay", "ko": "페이"}, "ko"), in_language({"en": "Pay"}, "ko"), in_language("Pay", "ko")
    ('페이', 'Pay', 'Pay')
    """
    if text is None or isinstance(text, str):
        return text
    return text.get(lang) or next(iter(text.values()), None)


def readable(identifier: str) -> str:
    """An identifier in words, for a thing nobody labelled: underscores and dashes become spaces, first letter capital.

    Examples
    --------
    >>> readable("status_quo_2022"), readable("pangyo-site-loss")
    ('Status quo 2022', 'Pangyo site loss')
    """
    words = " ".join(re.split(r"[_\-\s]+", identifier.strip()))
    return words[:1].upper() + words[1:]


class ScenarioError(ValueError):
    """A scenario failed validation; ``messages`` holds one line per problem."""

    def __init__(self, messages: list[str], source: str | None = None):
        self.messages = messages
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + ("invalid scenario:\n  " if len(messages) > 1 else "") + "\n  ".join(messages))


#: The longest appraisal [yr]: past it, discounting leaves little and no input is known.
MAX_HORIZON_YEARS = 50

#: The largest draw the engine can make: the quantile at the largest uniform below 1.
_TOP = 1.0 - 2.0 ** -53

#: What each kind of input may be, and why: (low, high, what it is, unit, why the high).
#: A distribution's stated high (its bound, or its 95th percentile where it has none) must
#: lie within; so must every value it can draw, for bounded forms.
BOUNDS = {
    "money": (0.0, 1e18, "an amount of money", "", "more than the world's yearly output in won"),
    "hours": (0.0, 8_760.0, "a duration", " h", "a year: an outage, a recovery or a threshold longer "
              "than that is not what this model describes"),
    "rate": (0.0, 8_760.0, "a rate", " events/yr", "one an hour: more often is not an outage but the normal state"),
    "count": (0.0, 1e10, "a count", "", "more than the people on earth"),
    "multiplier": (0.0, 1_000.0, "a multiplier", "×", "a thousandfold"),
    "probability": (0.0, 1.0, "a probability", "", ""),
    "return_period": (1 / 8_760, 1e6, "a return period", " yr", "a million years"),
    "mtbf": (1.0, 1e9, "a mean time between failures", " h", "a hundred thousand years"),
}


def _bounded(kind: str):
    lo, hi, what, unit, why = BOUNDS[kind]

    def check(q: Quantity) -> Quantity:
        s_lo, s_hi = q.support()
        bounded = math.isfinite(s_hi)
        stated = s_hi if bounded else q.quantile(0.95)
        if (s_lo if bounded else q.quantile(0.05)) < lo or stated > hi:
            span = f"in [{lo:g}, {hi:g}]{unit}"
            reason = f" (above {hi:g}{unit}: {why})" if stated > hi and why else ""
            if q.is_fixed:
                raise ValueError(f"{what} must be {span}; got {q.value:g}{reason}")
            if bounded:
                raise ValueError(f"{what} must be {span}, but the {q.form} form can take values in "
                                 f"[{s_lo:g}, {s_hi:g}]{reason}")
            raise ValueError(f"{what} must be {span}, but the {q.form} form puts its 95th percentile at "
                             f"{stated:g}{reason}")
        if bounded:
            return q
        with np.errstate(over="ignore"):  # an overflow is what this looks for
            top = float(q.ppf(np.array([_TOP]))[0])
        if not top < 1e300:
            raise ValueError(f"the {q.form} form is so wide that its largest draws overflow; "
                             f"narrow it (its 95th percentile is {stated:g}{unit})")
        return q
    check.kind = kind  # what riskmodel.schema reads to state a field's bounds
    return AfterValidator(check)


Money = Annotated[Quantity, _bounded("money")]
Hours = Annotated[Quantity, _bounded("hours")]
Rate = Annotated[Quantity, _bounded("rate")]
Count = Annotated[Quantity, _bounded("count")]
Probability = Annotated[Quantity, _bounded("probability")]
Multiplier = Annotated[Quantity, _bounded("multiplier")]


def _zero() -> Quantity:
    return Quantity(value=0.0)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    ALEATORY: ClassVar[frozenset[str]] = frozenset()

    def quantities(self, prefix: str) -> Iterator[tuple[str, Quantity, bool]]:
        """Every Quantity below this model: (path, quantity, is_aleatory), in field order."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            path = f"{prefix}.{name}" if prefix else name
            if isinstance(value, Quantity):
                yield path, value, name in self.ALEATORY
            elif isinstance(value, Model):
                yield from value.quantities(path)
            elif isinstance(value, tuple) and value and isinstance(value[0], Model):
                for i, item in enumerate(value):
                    yield from item.quantities(f"{path}[{i}]")


class Impact(Model):
    """Cost of downtime for one service (DESIGN §6). Money in the scenario's currency.

    Fields: ``revenue_per_hour`` [currency/h]; ``recovered_fraction`` [0–1] of lost sales
    made up later; ``staff_idle`` [people] × ``loaded_cost_per_hour`` [currency/h/person];
    ``sla_penalty_per_hour`` [currency/h] after ``sla_grace_hours`` [h];
    ``compensation_per_hour`` [currency/h], paid for the whole outage once it exceeds
    ``compensation_threshold_hours`` [h]; ``fine`` [currency] once downtime exceeds
    ``regulatory_threshold_hours`` [h]; churn: ``customers`` × ``churn_max`` [0–1] ×
    (1 − exp(−d / ``churn_tau_hours``)) × ``customer_lifetime_value`` [currency];
    ``incident_fixed_cost`` [currency/event, aleatory] + ``responder_cost_per_hour``
    [currency/h]; ``data_value_per_hour`` [currency per hour of data lost];
    ``growth_rate`` [1/yr] applied to all of it from year 1 on.
    """

    ALEATORY: ClassVar[frozenset[str]] = frozenset({"incident_fixed_cost"})

    revenue_per_hour: Money = Field(default_factory=_zero)
    recovered_fraction: Probability = Field(default_factory=_zero)
    staff_idle: Count = Field(default_factory=_zero)
    loaded_cost_per_hour: Money = Field(default_factory=_zero)
    sla_penalty_per_hour: Money = Field(default_factory=_zero)
    sla_grace_hours: Hours = Field(default_factory=_zero)
    compensation_per_hour: Money = Field(default_factory=_zero)
    compensation_threshold_hours: Hours = Field(default_factory=_zero)
    fine: Money = Field(default_factory=_zero)
    regulatory_threshold_hours: Hours = Field(default_factory=_zero)
    customers: Count = Field(default_factory=_zero)
    churn_max: Probability = Field(default_factory=_zero)
    churn_tau_hours: Hours = Field(default_factory=lambda: Quantity(
        value=24.0, source="riskmodel default (U): churn builds over the first day of an outage; give your own"))
    customer_lifetime_value: Money = Field(default_factory=_zero)
    incident_fixed_cost: Money = Field(default_factory=_zero)
    responder_cost_per_hour: Money = Field(default_factory=_zero)
    data_value_per_hour: Money = Field(default_factory=_zero)
    growth_rate: float = Field(default=0.0, ge=-0.5, le=1.0)

    @field_validator("churn_tau_hours")
    @classmethod
    def _tau_positive(cls, q: Quantity) -> Quantity:
        if q.support()[0] <= 0:
            raise ValueError("churn_tau_hours must be > 0 (it divides the downtime)")
        return q


class Site(Model):
    """A data centre: ``name`` and the ``region`` (metro area) it shares with others."""

    name: str
    label: Text | None = None
    region: str = "default"


class Service(Model):
    """One service of the portfolio (DESIGN §12).

    ``infra_annual_cost`` [currency/yr] is what its primary-site infrastructure costs a
    year; presets price DR as multiples of it. ``tier`` groups services for options
    (1 = most critical). ``depends_on`` lists services it cannot run without.
    """

    name: str
    label: Text | None = None
    site: str
    tier: int = Field(default=1, ge=1, le=9)
    depends_on: tuple[str, ...] = ()
    infra_annual_cost: Money = Field(default_factory=_zero)
    impact: Impact
    source: str | None = None


class IncidentHistory(Model):
    """Incidents observed: ``events`` [events] over ``years`` [yr] of exposure."""

    events: int = Field(ge=0, le=10_000_000)
    years: float = Field(gt=0, le=1_000)
    source: str | None = None


class Threat(Model):
    """A class of outage events (DESIGN §4).

    Give the frequency as exactly one of ``rate`` [events/yr], ``annual_probability``
    [0–1] (rate = −ln(1 − p)), ``return_period_years`` [yr] (rate = 1/T) or
    ``mtbf_hours`` [h] (rate = 8760/MTBF); all epistemic. ``duration_hours`` [h] is the
    time to restore with no DR and ``data_loss_hours`` [h] the data lost, both aleatory.
    With ``history`` (an incident log) the rate must be a ``gamma`` prior, and the
    posterior Gamma(shape + events, rate + years) is what the model samples.

    Targets: a ``site`` threat with ``sites`` (a mapping site → probability) lands each
    event on one of them; without ``sites`` it strikes every site independently at the
    given rate (a rate per site-year). A ``region`` threat hits every site of ``region``
    (default: the first site's region). ``component`` and ``logical`` threats strike each
    service in ``services`` (default: all) independently at the given rate.
    """

    ALEATORY: ClassVar[frozenset[str]] = frozenset({"duration_hours", "data_loss_hours"})

    name: str
    label: Text | None = None
    scope: Scope
    category: Category
    rate: Rate | None = None
    annual_probability: Probability | None = None
    return_period_years: Annotated[Quantity, _bounded("return_period")] | None = None
    mtbf_hours: Annotated[Quantity, _bounded("mtbf")] | None = None
    duration_hours: Hours
    data_loss_hours: Hours = Field(default_factory=_zero)
    sites: dict[str, float] | None = None
    region: str | None = None
    services: tuple[str, ...] | None = None
    history: IncidentHistory | None = None
    source: str | None = None

    FREQUENCY_FORMS: ClassVar[tuple[str, ...]] = ("rate", "annual_probability", "return_period_years", "mtbf_hours")

    @model_validator(mode="after")
    def _one_frequency(self) -> "Threat":
        given = [f for f in self.FREQUENCY_FORMS if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(self.FREQUENCY_FORMS)}; got "
                             f"{', '.join(given) or 'none'}")
        if self.history is not None and (self.rate is None or self.rate.gamma is None):
            raise ValueError("history: an incident history updates a rate given as a gamma prior "
                             "(rate: {gamma: [shape, rate]}); give the prior in that form")
        if self.history is not None:
            high = self.frequency[1].quantile(0.95)
            if high > BOUNDS["rate"][1]:
                raise ValueError(f"history: {self.history.events} events in {self.history.years:g} years put the "
                                 f"rate's 95th percentile at {high:g} events/yr; a rate must be at most "
                                 f"{BOUNDS['rate'][1]:g} (one an hour)")
        p = self.annual_probability
        if p is not None and p.form != "beta" and p.support()[1] >= 1:  # a beta takes 1 with probability 0
            # P = 1 − e^(−rate) reaches 1 only at an infinite rate: a certain event has no rate to read.
            raise ValueError(f"annual_probability: can reach {self.annual_probability.support()[1]:g} — must be "
                             f"below 1, since a probability of 1 says an event is certain but not how often; "
                             f"give a certain event as a rate instead (rate: 1 for once a year, 2 for twice)")
        for form in ("return_period_years", "mtbf_hours"):
            q = getattr(self, form)
            if q is not None and q.support()[0] <= 0:
                raise ValueError(f"{form} must be > 0")
        if self.sites is not None:
            if self.scope != "site":
                raise ValueError(f"'sites' applies to site threats, not {self.scope}")
            for site, p in self.sites.items():
                if not (math.isfinite(p) and 0 <= p <= 1):
                    raise ValueError(f"sites.{site}: probability {p} must be in [0, 1]")
            if not math.isclose(sum(self.sites.values()), 1.0, abs_tol=1e-9):
                raise ValueError(f"sites: probabilities {list(self.sites.values())} must sum to 1")
        return self

    @property
    def frequency(self) -> tuple[str, Quantity]:
        """The form the frequency is given in and the quantity sampled (a posterior with history)."""
        form = next(f for f in self.FREQUENCY_FORMS if getattr(self, f) is not None)
        if self.history is not None:
            return form, self.rate.updated(self.history.events, self.history.years)
        return form, getattr(self, form)


class Architecture(Model):
    """A DR architecture (DESIGN §5), from a preset with fields overridden.

    ``capex`` [currency, year 0] and ``opex_per_year`` [currency/yr] are per service; when
    absent they are ``capex_multiple`` and ``opex_multiple`` × the service's
    ``infra_annual_cost``. ``rto_hours``, ``rpo_hours``, ``manual_rto_hours`` and
    ``restore_hours`` [h] are aleatory; ``failover_success``, ``manual_failover_success``
    and ``restore_success`` [0–1] epistemic. They are the steps of its recovery chain
    (:func:`riskmodel.models.architectures.chain_downtime`): automatic failover, manual
    failover, restore from the last good backup (``restore_success`` 0: no such step).
    ``added_incident_rate`` [events/yr] adds software incidents of
    ``added_incident_duration_hours`` [h] that only this architecture suffers.
    """

    ALEATORY: ClassVar[frozenset[str]] = frozenset(
        {"rto_hours", "rpo_hours", "manual_rto_hours", "restore_hours", "added_incident_duration_hours"})

    name: str
    label: Text | None = None
    preset: str | None = None
    covers: tuple[Scope, ...] = ()
    geo_separated: bool = False
    point_in_time_recovery: bool = False
    failover_control: Literal["independent", "in_primary_site"] = "independent"
    rto_hours: Hours = Field(default_factory=_zero)
    rpo_hours: Hours = Field(default_factory=_zero)
    failover_success: Probability = Field(default_factory=_zero)
    manual_failover_success: Probability = Field(default_factory=lambda: Quantity(pert=(0.3, 0.6, 0.8)))
    manual_rto_hours: Hours = Field(default_factory=lambda: Quantity(pert=(4, 12, 48)))
    restore_success: Probability = Field(default_factory=_zero)
    restore_hours: Hours = Field(default_factory=_zero)
    capex: Money | None = None
    opex_per_year: Money | None = None
    capex_multiple: Multiplier = Field(default_factory=_zero)
    opex_multiple: Multiplier = Field(default_factory=_zero)
    added_incident_rate: Rate = Field(default_factory=_zero)
    added_incident_duration_hours: Hours = Field(default_factory=lambda: Quantity(
        ci90=(0.25, 4.0), source="riskmodel default (U): as a software incident, DORA 2023 recovery < 1 h to < 1 day "
                                 "(engineers.csv); Ponemon 2011 average incident 90 min"))
    source: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _apply_preset(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("preset") is not None:
            preset = data["preset"]
            if preset not in ARCHITECTURE_PRESETS:
                raise ValueError(f"unknown preset {preset!r}; presets are {', '.join(ARCHITECTURE_PRESETS)}")
            data = {**ARCHITECTURE_PRESETS[preset], **data}
        return data

    @model_validator(mode="after")
    def _restore_takes_time(self) -> "Architecture":
        if self.restore_success.mean() > 0 and self.restore_hours.quantile(0.99) <= 0:
            raise ValueError(f"restore_hours is 0 h while restore_success has mean {self.restore_success.mean():.3g}: "
                             "a restore from backup takes time; give restore_hours [h], or set restore_success to 0 "
                             "for an architecture with no restore step")
        return self

    @classmethod
    def from_preset(cls, name: str, **overrides) -> "Architecture":
        """The preset ``name`` with fields overridden.

        Examples
        --------
        >>> Architecture.from_preset("warm_standby").covers
        ('site',)
        """
        return cls.model_validate({"name": overrides.pop("name", name), "preset": name, **overrides})

    def overrides(self) -> dict:
        """The fields that differ from the preset, as written in a scenario file."""
        full = self.model_dump(mode="json", exclude_none=True)
        if self.preset is None:
            return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        base = Architecture.model_validate({"name": self.name, "preset": self.preset}).model_dump(
            mode="json", exclude_none=True)
        return {k: v for k, v in full.items() if k in ("name", "preset") or base.get(k) != v}


class SkillsProgramme(Model):
    """An engineer-skills programme (DESIGN §7). Its effects are epistemic.

    ``engineers`` [people], ``loaded_cost_per_engineer`` [currency/yr/person], toil shares
    [0–1 of capacity], ``ramp_years`` [yr] (linear), ``cost_per_engineer_per_year``
    [currency/yr/person]; effects: ``mttr_multiplier`` [×] on ``duration_hours`` of threats
    in ``improves_categories``, ``human_error_rate_multiplier`` [×],
    ``failover_success_uplift`` [probability added, capped at 1], ``attrition_reduction``
    [leavers/yr avoided] × ``replacement_cost`` [currency/leaver];
    ``value_of_freed_hour_multiplier`` [×] values freed capacity at loaded cost × it.
    """

    name: str
    label: Text | None = None
    engineers: int = Field(ge=0, le=100_000)
    loaded_cost_per_engineer: Money
    toil_share_now: Probability
    toil_share_target: Probability
    ramp_years: float = Field(default=2.0, gt=0)
    cost_per_engineer_per_year: Money
    improves_categories: tuple[Category, ...] = ("software", "hardware", "network", "human_error")
    mttr_multiplier: Multiplier = Field(default_factory=lambda: Quantity(value=1.0))
    human_error_rate_multiplier: Multiplier = Field(default_factory=lambda: Quantity(value=1.0))
    failover_success_uplift: Probability = Field(default_factory=_zero)
    attrition_reduction: Count = Field(default_factory=_zero)
    replacement_cost: Money = Field(default_factory=_zero)
    value_of_freed_hour_multiplier: Multiplier = Field(default_factory=lambda: Quantity(value=1.0))
    source: str | None = None


class Option(Model):
    """One investment option: an architecture per service (a default, per tier, per
    service) and an optional skills programme. Exactly one option is the ``baseline``."""

    name: str
    label: Text | None = None
    baseline: bool = False
    architecture: str = "single_site"
    tiers: dict[int, str] = Field(default_factory=dict)
    services: dict[str, str] = Field(default_factory=dict)
    skills: str | None = None
    description: Text | None = None

    def architecture_for(self, service: Service) -> str:
        return self.services.get(service.name, self.tiers.get(service.tier, self.architecture))

    @property
    def runs(self) -> tuple:
        """What the option runs, skills programme aside: its default, per-tier and per-service architectures."""
        return self.architecture, tuple(sorted(self.tiers.items())), tuple(sorted(self.services.items()))


#: Bases of benefit (DESIGN §9): avoided loss less costs, or that and what a skills programme
#: frees (engineer time, fewer leavers), which is money only if the hours are redeployed.
BENEFIT_BASES = ("cash", "capacity")


class Finance(Model):
    """``discount_rate`` [1/yr], ``horizon_years`` [yr] of the appraisal, and the basis of
    benefit its recommendation uses (``benefit_basis``, one of :data:`BENEFIT_BASES`;
    "cash" unless the scenario argues that freed hours are redeployed)."""

    discount_rate: float = Field(default=0.08, ge=0, lt=1)
    horizon_years: int = Field(default=5, ge=1, le=MAX_HORIZON_YEARS)
    benefit_basis: Literal["cash", "capacity"] = "cash"
    source: str | None = None


class BeyondPnl(Model):
    """What the market and the regulator charge after a whole-site loss, kept apart from cash (DESIGN §9).

    ``market_value`` [currency] × ``market_reaction`` [0–1 of it lost per whole-site loss,
    as event studies of IT failures measure it] and ``regulatory_cost`` [currency per such
    loss: fines and spending a regulator orders]. Shown beside the cash figures; counted
    in an option's NPV only with ``include: true``.
    """

    market_value: Money = Field(default_factory=_zero)
    market_reaction: Probability = Field(default_factory=_zero)
    regulatory_cost: Money = Field(default_factory=_zero)
    include: bool = False
    source: str | None = None


class Scenario(Model):
    """A whole scenario. Build with :func:`load` or :meth:`from_dict`."""

    name: str
    description: str | None = None
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    finance: Finance = Field(default_factory=Finance)
    sites: tuple[Site, ...]
    services: tuple[Service, ...]
    threats: tuple[Threat, ...]
    architectures: tuple[Architecture, ...] = ()
    skills_programmes: tuple[SkillsProgramme, ...] = ()
    options: tuple[Option, ...]
    risk_tolerance: tuple[tuple[float, float], ...] = ()
    beyond_pnl: BeyondPnl | None = None
    plain_form: bool = Field(default=False, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_to_portfolio(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "impact" not in data:
            return data
        if "services" in data or "sites" in data:
            raise ValueError("give either 'impact' (one business) or 'sites' and 'services', not both")
        data = dict(data)
        service = {"name": "business", "site": "primary", "impact": data.pop("impact")}
        if "infra_annual_cost" in data:
            service["infra_annual_cost"] = data.pop("infra_annual_cost")
        return {**data, "sites": [{"name": "primary"}], "services": [service], "plain_form": True}

    def _same_labels(self, field: str) -> Iterator[str]:
        """Two parts of one list a reader would see under one name, in some language (DESIGN: people see names)."""
        items = getattr(self, field)
        for lang in LANGUAGES:
            first: dict[str, int] = {}
            for i, item in enumerate(items):
                words = in_language(item.label, lang) or readable(item.name)
                if words in first and items[first[words]].name != item.name:
                    yield (f"{field}[{i}].label: {words!r} is also the label of {field}[{first[words]}] "
                           f"({items[first[words]].name!r}); give each a label readers can tell apart")
                first.setdefault(words, i)

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        problems: list[str] = [f"{field}: the list is empty; give at least one"
                               for field in ("sites", "services", "threats", "options") if not getattr(self, field)]
        for field in ("sites", "services", "threats", "architectures", "skills_programmes", "options"):
            seen: set[str] = set()
            for item in getattr(self, field):
                if item.name in seen:
                    problems.append(f"{field}: duplicate name {item.name!r}; names must be unique")
                seen.add(item.name)
            problems += dict.fromkeys(self._same_labels(field))  # once, though both languages may clash
        if problems:
            raise ValueError("\n".join(problems))  # one line each: they name their own fields
        sites = {s.name for s in self.sites}
        regions = {s.region for s in self.sites}
        services = {s.name for s in self.services}
        architectures = set(ARCHITECTURE_PRESETS) | {a.name for a in self.architectures}
        programmes = {p.name for p in self.skills_programmes}
        for i, s in enumerate(self.services):
            if s.site not in sites:
                problems.append(f"services[{i}].site: {s.site!r} is not a site; sites are {sorted(sites)}")
            for dep in s.depends_on:
                if dep not in services:
                    problems.append(f"services[{i}].depends_on: {dep!r} is not a service")
        for i, t in enumerate(self.threats):
            for site in (t.sites or {}):
                if site not in sites:
                    problems.append(f"threats[{i}].sites: {site!r} is not a site; sites are {sorted(sites)}")
            if t.region is not None and t.region not in regions:
                problems.append(f"threats[{i}].region: {t.region!r} is not a region; regions are {sorted(regions)}")
            for svc in t.services or ():
                if svc not in services:
                    problems.append(f"threats[{i}].services: {svc!r} is not a service")
        baselines = [o.name for o in self.options if o.baseline]
        if len(baselines) != 1:
            problems.append(f"options: exactly one option must have 'baseline: true'; found {len(baselines)}"
                            + (f" ({', '.join(baselines)})" if baselines else ""))
        for i, o in enumerate(self.options):
            for where, name in ([("architecture", o.architecture)]
                                + [(f"tiers.{k}", v) for k, v in o.tiers.items()]
                                + [(f"services.{k}", v) for k, v in o.services.items()]):
                if name not in architectures:
                    problems.append(f"options[{i}].{where}: {name!r} is not an architecture; "
                                    f"known: {', '.join(sorted(architectures))}")
            for svc in o.services:
                if svc not in services:
                    problems.append(f"options[{i}].services: {svc!r} is not a service")
            if o.skills is not None and o.skills not in programmes:
                problems.append(f"options[{i}].skills: {o.skills!r} is not a skills programme")
        for i, (loss, p) in enumerate(self.risk_tolerance):
            if not (math.isfinite(loss) and loss >= 0 and 0 < p <= 1):
                problems.append(f"risk_tolerance[{i}]: ({loss}, {p}) needs loss ≥ 0 and probability in (0, 1]")
        cycle = dependencies.cycle({s.name: s.depends_on for s in self.services})
        if cycle:
            problems.append(f"services.depends_on: dependency cycle {' → '.join(cycle)}")
        if problems:
            raise ValueError("\n".join(problems))  # one line each: they name their own fields
        return self

    # -- construction and export -------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> "Scenario":
        """Validate a mapping (as read from YAML); raises :class:`ScenarioError`."""
        if not isinstance(data, dict):
            raise ScenarioError([f"the document must be a mapping of fields, got {type(data).__name__}"], source)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            messages = format_errors(exc)
            if "impact" in data:  # name fields as the plain form's author wrote them
                messages = [m.replace("services[0].impact", "impact").replace("services[0].infra_annual_cost",
                                                                               "infra_annual_cost")
                            for m in messages]
            raise ScenarioError(messages, source) from None

    def to_dict(self) -> dict:
        """A plain mapping that :meth:`from_dict` turns back into an equal Scenario."""
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data["finance"] = self.finance.model_dump(mode="json", exclude_none=True)
        data["architectures"] = [a.overrides() for a in self.architectures]
        if self.plain_form:
            service = data.pop("services")[0]
            data.pop("sites")
            plain = {"impact": service.get("impact", {})}
            if "infra_annual_cost" in service:
                plain["infra_annual_cost"] = service["infra_annual_cost"]
            data = {k: v for k, v in data.items() if k not in ("threats", "architectures", "skills_programmes",
                                                           "options", "risk_tolerance")} | plain | {
                k: data[k] for k in ("threats", "architectures", "skills_programmes", "options", "risk_tolerance")
                if k in data}
        return {k: v for k, v in data.items() if v not in ((), [], {})}

    def to_yaml(self) -> str:
        return yaml.dump(self.to_dict(), Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)

    def save(self, path: str | pathlib.Path) -> None:
        pathlib.Path(path).write_text(self.to_yaml(), encoding="utf-8")

    # -- look-ups ------------------------------------------------------------------------
    @property
    def baseline(self) -> Option:
        return next(o for o in self.options if o.baseline)

    def architecture(self, name: str) -> Architecture:
        for a in self.architectures:
            if a.name == name:
                return a
        return Architecture.from_preset(name)

    def uniform_option(self, architecture: str) -> str | None:
        """The option that runs ``architecture`` on every service with no programme, if there is one."""
        return next((o.name for o in self.options if o.runs == (architecture, (), ()) and o.skills is None), None)

    def programme(self, name: str | None) -> SkillsProgramme | None:
        return next((p for p in self.skills_programmes if p.name == name), None)

    def replace(self, path: str, value: Any) -> "Scenario":
        """A copy with the field at ``path`` (``threats[0].rate``) set to ``value``, validated."""
        data = self.model_dump(mode="python", exclude_none=True)
        _set_path(data, path, value)
        data.pop("plain_form", None)
        return Scenario.from_dict(data).model_copy(update={"plain_form": self.plain_form})

    def with_programme_options(self, programme: str) -> "Scenario":
        """A copy with every option that has no skills programme also run with ``programme``.

        The new options are named ``"<option> + <programme>"`` and keep the original's
        architectures; a combination the scenario already has (under any name) is not added twice.
        This is how a programme "combines with every architecture" (DESIGN §7).

        Examples
        --------
        >>> s = load("data/scenarios/kakao-2022.yaml")  # doctest: +SKIP
        >>> [o.name for o in s.with_programme_options("sre_programme").options][-1]  # doctest: +SKIP
        'active_active + sre_programme'
        """
        if self.programme(programme) is None:
            raise ScenarioError([f"skills programme '{programme}': not in this scenario; it has "
                                 f"{', '.join(p.name for p in self.skills_programmes) or 'none'}"])
        present = {(o.runs, o.skills) for o in self.options}
        names = {o.name for o in self.options}
        run_by = self.programme(programme)

        def label(option):  # "Tiered + SRE skills programme", in each language
            return {lang: f"{in_language(option.label, lang) or readable(option.name)} + "
                          f"{in_language(run_by.label, lang) or readable(programme)}" for lang in LANGUAGES}
        added = [o.model_copy(update={"name": f"{o.name} + {programme}", "baseline": False, "skills": programme,
                                      "label": label(o), "description": None})
                 for o in self.options if o.skills is None and (o.runs, programme) not in present
                 and f"{o.name} + {programme}" not in names]
        data = self.model_dump(mode="python", exclude_none=True)
        data.pop("plain_form", None)
        data["options"] = [*data["options"], *(o.model_dump(mode="python", exclude_none=True) for o in added)]
        return Scenario.from_dict(data).model_copy(update={"plain_form": self.plain_form})

    def with_only_options(self, names) -> "Scenario":
        """A copy with only the baseline and the options ``names``.

        Each option kept has exactly the results it has in the full scenario: the engine
        keys every random draw by what it is for, so no option's draws depend on which
        others are in the run. A sensitivity run that reports one option therefore
        simulates two options, not all of them.

        Examples
        --------
        >>> s = load("data/scenarios/kakao-2022.yaml")  # doctest: +SKIP
        >>> [o.name for o in s.with_only_options(["hot_standby"]).options]  # doctest: +SKIP
        ['status_quo', 'hot_standby']
        """
        names = set(names)
        unknown = names - {o.name for o in self.options}
        if unknown:
            raise ScenarioError([f"options: {sorted(unknown)} — not options of this scenario; it has "
                                 f"{', '.join(o.name for o in self.options)}"])
        data = self.model_dump(mode="python", exclude_none=True)
        data.pop("plain_form", None)
        data["options"] = [o for o in data["options"] if o.get("baseline") or o["name"] in names]
        return Scenario.from_dict(data).model_copy(update={"plain_form": self.plain_form})

    def with_input(self, path: str, quantity: Quantity) -> "Scenario":
        """A copy with the input at ``path`` set to ``quantity``, validated.

        ``path`` is as :meth:`quantities` and ``riskmodel.engine.run.epistemic_inputs`` name
        inputs; ``presets.NAME.FIELD`` sets a field of a preset that options use by name,
        by defining an architecture of that name that overrides it.

        Examples
        --------
        >>> s = load("data/scenarios/kakao-2022.yaml")  # doctest: +SKIP
        >>> s.with_input("threats[0].rate", Quantity(value=0.02)).threats[0].rate.value  # doctest: +SKIP
        0.02
        """
        value = quantity.model_dump(mode="python", exclude_none=True)
        head, _, rest = path.partition(".")
        if head != "presets":
            return self.replace(path, value)
        name, _, field = rest.partition(".")
        if name not in ARCHITECTURE_PRESETS or field not in Architecture.model_fields:
            raise ScenarioError([f"{path}: no preset field of that name; presets are "
                                 f"{', '.join(ARCHITECTURE_PRESETS)}"])
        data = self.model_dump(mode="python", exclude_none=True)
        data.pop("plain_form", None)
        data["architectures"] = [*data.get("architectures", ()), {"name": name, "preset": name, field: value}]
        return Scenario.from_dict(data).model_copy(update={"plain_form": self.plain_form})


def _set_path(data: Any, path: str, value: Any) -> None:
    keys: list[Any] = []
    for part in path.split("."):
        name, *indices = part.replace("]", "").split("[")
        keys.append(name)
        keys.extend(int(i) for i in indices)
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


_RULES = {
    "extra_forbidden": "unknown field (check the spelling; every field is in docs/scenario-reference.md, or `riskmodel schema --markdown`)",
    "missing": "required field is missing",
}
# What a person writes where a model is expected, not the class behind it ("instance of Quantity").
_EXPECTED = {"Quantity": "expected a number, or a distribution such as {ci90: [low, high]} or "
                         "{pert: [low, likely, high]}"}


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "tagged-union")):  # validator wrappers, not fields
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


_NAMES_A_FIELD = re.compile(r"^[a-z_]+(\[\d+\])?[.:\[]")


def format_errors(exc: ValidationError) -> list[str]:
    """One line per pydantic error: ``path: value — rule``."""
    lines = []
    for err in exc.errors(include_url=False):
        path = _location(err["loc"])
        rule = _RULES.get(err["type"], err["msg"])
        if err["type"] == "model_type":
            name = err.get("ctx", {}).get("class_name", "")
            rule = _EXPECTED.get(name, f"expected a mapping of {name.lower() or 'fields'} fields")
        rule = rule.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        value = err.get("input")
        if path == "(top level)" and err["type"] == "value_error":
            # The scenario's cross-checks: one line each; most name their own field.
            lines.extend(line if _NAMES_A_FIELD.match(line) else f"{path}: {line}" for line in rule.splitlines())
        elif err["type"] == "missing" or isinstance(value, (dict, list)) and len(str(value)) > documents.QUOTE:
            lines.append(f"{path}: {rule}")
        else:
            lines.append(f"{path}: {documents.quote(value)} — {rule}")
    return lines


def load(source: str | os.PathLike) -> Scenario:
    """Read and validate a scenario: a YAML file, or a shipped scenario by name.

    An argument naming an existing file is that file; otherwise, if it is the name of a
    shipped scenario (:func:`shipped_scenarios`), that scenario. A file in the working
    directory therefore always wins over a shipped scenario of the same name.

    Parameters
    ----------
    source : str or os.PathLike
        A path to a scenario file, or a shipped scenario's name such as ``"kakao-2022"``.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        With messages naming the field path, value and rule; or saying that there is no
        such file nor shipped scenario, and listing the shipped names.

    Examples
    --------
    >>> load("kakao-2022").name  # doctest: +SKIP
    'Kakao 2022 (SK C&C Pangyo fire) - service portfolio'
    >>> s = load("my-scenario.yaml")  # doctest: +SKIP
    """
    path = pathlib.Path(source)
    shipped = shipped_scenarios()
    if not path.is_file() and str(source) in shipped:
        found = shipped[str(source)]
    elif not path.exists():
        raise ScenarioError([f"no such file, and no shipped scenario has that name "
                             f"(shipped scenarios: {', '.join(shipped)})"], str(source))
    else:
        found = path
    try:
        text = documents.read_text(found)
    except documents.DocumentError as exc:
        raise ScenarioError(exc.messages, str(source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([f"cannot read the file: {exc}"], str(source)) from None
    return loads(text, source=str(source))


def loads(text: str, source: str | None = None) -> Scenario:
    """Validate a scenario given as YAML text, within the limits of :mod:`riskmodel.documents`."""
    try:
        data = documents.parse(text)
    except documents.DocumentError as exc:
        raise ScenarioError(exc.messages, source) from None
    _reject_nan(data, "", source)
    return Scenario.from_dict(data, source)


def _reject_nan(data: Any, path: str, source: str | None) -> None:
    if isinstance(data, float) and not math.isfinite(data):
        raise ScenarioError([f"{path or '(top level)'}: {data} — numbers must be finite"], source)
    if isinstance(data, dict):
        for k, v in data.items():
            _reject_nan(v, f"{path}.{k}" if path else str(k), source)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            _reject_nan(v, f"{path}[{i}]", source)
