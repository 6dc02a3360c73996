"""Warnings: a scenario that validates but would give a figure with no meaning (DESIGN §9).

An error (:class:`riskmodel.scenario.ScenarioError`) is a scenario that cannot be read; a
warning is one that can, where some result would be silently empty: a DR architecture
priced as a multiple of an infrastructure cost that is not given (so it costs nothing), a
service whose outage costs nothing, a threat that strikes no service, two options that run
the same thing. Each :class:`ScenarioWarning` names its code, the field and what it found,
as data, so the CLI, the app and the report put it in words in either language. The count
of inputs without a source is not a warning but a fact every user of the figures should see.

Examples
--------
>>> from riskmodel import load
>>> warnings(load("kakao-2022"))
[]
"""

from __future__ import annotations

import dataclasses

from riskmodel.distributions import Quantity
from riskmodel.inputs import all_inputs
from riskmodel.scenario import Impact, Scenario

#: Warning codes, in the order they are reported.
CODES = ("no_infra_cost", "no_impact", "threat_strikes_nothing", "duplicate_option")


@dataclasses.dataclass(frozen=True)
class ScenarioWarning:
    """One warning: ``code`` (one of :data:`CODES`), the ``field`` path it concerns and its ``params``."""

    code: str
    field: str
    params: dict

    def __str__(self) -> str:  # the CLI's English line; the app and report use present/ texts
        return f"{self.field}: {self.code.replace('_', ' ')} ({', '.join(f'{k} {v}' for k, v in self.params.items())})"


def _high(q: Quantity) -> float:
    return q.support()[1]


def _no_infra_cost(scenario: Scenario):
    for s in scenario.services:
        if _high(s.infra_annual_cost) > 0:
            continue
        for name in sorted({o.architecture_for(s) for o in scenario.options}):
            a = scenario.architecture(name)
            priced_by_multiple = max(_high(a.capex_multiple), _high(a.opex_multiple)) > 0
            if priced_by_multiple and a.capex is None and a.opex_per_year is None:
                yield ScenarioWarning("no_infra_cost", f"services.{s.name}.infra_annual_cost",
                                      {"service": s.name, "architecture": name})


def _no_impact(scenario: Scenario):
    money = [f for f in Impact.model_fields if f not in ("recovered_fraction", "churn_tau_hours", "growth_rate",
                                                          "sla_grace_hours", "compensation_threshold_hours",
                                                          "regulatory_threshold_hours")]
    for s in scenario.services:
        if all(_high(getattr(s.impact, f)) == 0 for f in money if isinstance(getattr(s.impact, f), Quantity)):
            yield ScenarioWarning("no_impact", f"services.{s.name}.impact", {"service": s.name})


def _threat_strikes_nothing(scenario: Scenario):
    region = {site.name: site.region for site in scenario.sites}
    served = {s.site for s in scenario.services}
    names = {s.name for s in scenario.services}
    for i, threat in enumerate(scenario.threats):
        struck = True
        if threat.sites is not None:
            struck = any(p > 0 and site in served for site, p in threat.sites.items())
        if threat.region is not None:
            struck = struck and any(region.get(site) == threat.region for site in served)
        if threat.services is not None:
            struck = struck and bool(set(threat.services) & names)
        if not struck:
            yield ScenarioWarning("threat_strikes_nothing", f"threats[{i}]", {"threat": threat.name})


def _duplicate_option(scenario: Scenario):
    seen: dict[tuple, str] = {}
    for i, option in enumerate(scenario.options):
        key = (tuple(option.architecture_for(s) for s in scenario.services), option.skills)
        if key in seen:
            yield ScenarioWarning("duplicate_option", f"options[{i}]", {"option": option.name, "same_as": seen[key]})
        else:
            seen.setdefault(key, option.name)


def warnings(scenario: Scenario) -> list[ScenarioWarning]:
    """Every warning of ``scenario``, in the order of :data:`CODES`; empty when it has none."""
    return [*_no_infra_cost(scenario), *_no_impact(scenario), *_threat_strikes_nothing(scenario),
            *_duplicate_option(scenario)]


def unsourced(scenario: Scenario) -> tuple[list[str], int]:
    """The paths of the inputs given without a source, and how many inputs were given.

    An input left at its default of 0 is not counted: there is nothing to source.
    """
    given = [(path, q) for path, q, _ in all_inputs(scenario) if not (q.form == "value" and q.value == 0)]
    return [path for path, q in given if not q.source], len(given)
