"""What readers call the things a scenario names: options, services, sites, threats, architectures, programmes and inputs.

A scenario refers to its parts by identifier (``status_quo_2022``); people read labels.
Each named part may carry a ``label`` (one text, or one per language, see
:data:`riskmodel.scenario.Text`); a preset used by name is called what the catalog calls
it; anything else gets a readable fallback made from its identifier (:func:`readable`),
so an identifier is never shown raw. An input is named by what it belongs to and its
field, both in the reader's language (``카카오톡(메시징) · 시간당 매출``).

Examples
--------
>>> from riskmodel import DEFAULT_SCENARIO, load
>>> names = Names(load(DEFAULT_SCENARIO), "ko")
>>> names.option("status_quo_2022"), names.input("services[0].impact.revenue_per_hour")
('2022년 당시 체계', '카카오톡(메시징) · 시간당 매출')
"""

from __future__ import annotations

import dataclasses
import functools

import pandas as pd

from riskmodel.present.i18n import t
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.scenario import Scenario, in_language, readable

#: The parts of a scenario that carry names, and where they are listed.
KINDS = {"option": "options", "service": "services", "site": "sites", "threat": "threats",
         "architecture": "architectures", "programme": "skills_programmes"}


@dataclasses.dataclass(frozen=True)
class Names:
    """The names ``scenario``'s parts are shown by, in ``lang``; each method maps an identifier to its label."""

    scenario: Scenario
    lang: str

    @functools.cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        labels = {kind: {item.name: in_language(item.label, self.lang) or readable(item.name)
                         for item in getattr(self.scenario, section)} for kind, section in KINDS.items()}
        for name in ARCHITECTURE_PRESETS:  # a preset an option uses by name is called what the catalog calls it
            labels["architecture"].setdefault(name, t(f"preset_{name}", self.lang))
        return labels

    def of(self, kind: str, identifier: str) -> str:
        """What readers call ``identifier``, a part of ``kind`` (a key of :data:`KINDS`)."""
        return self._labels[kind].get(identifier) or readable(identifier)

    def option(self, identifier: str) -> str:
        return self.of("option", identifier)

    def service(self, identifier: str) -> str:
        return self.of("service", identifier)

    def site(self, identifier: str) -> str:
        return self.of("site", identifier)

    def threat(self, identifier: str) -> str:
        return self.of("threat", identifier)

    def architecture(self, identifier: str) -> str:
        return self.of("architecture", identifier)

    def programme(self, identifier: str) -> str:
        return self.of("programme", identifier)

    def options(self, identifiers) -> list[str]:
        """Several options' names, in order."""
        return [self.option(o) for o in identifiers]

    def index(self, index: pd.Index) -> pd.Index:
        """``index`` with each level named for a kind of part (``option``, ``service`` …) shown by its names.

        Examples
        --------
        >>> from riskmodel import DEFAULT_SCENARIO, load
        >>> list(Names(load(DEFAULT_SCENARIO), "en").index(pd.Index(["status_quo_2022"], name="option")))
        ['Status quo (2022)']
        """
        if index.nlevels == 1:
            return pd.Index([self.of(index.name, v) for v in index], name=index.name) if index.name in KINDS \
                else index
        return pd.MultiIndex.from_arrays(
            [[self.of(level.name, v) for v in level] if level.name in KINDS else level
             for level in (index.get_level_values(i) for i in range(index.nlevels))], names=index.names)

    def description(self, option: str) -> str | None:
        """What option ``option`` is, in words (its ``description`` in ``lang``), or None."""
        found = next((o for o in self.scenario.options if o.name == option), None)
        return in_language(found.description, self.lang) if found else None

    def input(self, path: str) -> str:
        """An input path in words: the part it belongs to and its field (``messaging · revenue per hour``).

        Paths are as :func:`riskmodel.inputs.all_inputs` gives them: ``services[0].impact.revenue_per_hour``,
        ``presets.active_active.failover_success``, ``beyond_pnl.market_value``.
        """
        return " · ".join(filter(None, (self.owner(path), field_name(path.rsplit(".", 1)[-1], self.lang))))

    def owner(self, path: str) -> str:
        """What an input belongs to, in words (``KakaoTalk (messaging)``); "" for a scenario-wide input."""
        segments = path.split(".")
        words = []
        for before, segment in zip([None, *segments], segments[:-1]):
            head, _, index = segment.partition("[")
            if index:  # an item of a list: what it is called
                item = getattr(self.scenario, head)[int(index.rstrip("]"))]
                section = next((k for k, s in KINDS.items() if s == head), None)
                words.append(self.of(section, item.name) if section else readable(item.name))
            elif before == "presets":
                words.append(self.architecture(head))
        return " · ".join(words)


def field_name(field: str, lang: str) -> str:
    """An input field of the scenario schema in words, in ``lang``.

    Examples
    --------
    >>> field_name("revenue_per_hour", "en"), field_name("revenue_per_hour", "ko")
    ('revenue per hour', '시간당 매출')
    """
    return t(f"field_{field}", lang)
