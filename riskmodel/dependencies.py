"""Which services depend on which: order, cycles and what goes down with what (DESIGN §12).

A service is down while anything it depends on is down, so dependencies must form an
acyclic graph. The graph is walked here only, with the standard library's
:class:`graphlib.TopologicalSorter`: the scenario's validation asks for a cycle, the
engine for an order in which every service follows what it depends on, the portfolio
for the services a lost site takes down with it.
"""

from __future__ import annotations

import graphlib
from collections.abc import Hashable, Iterable, Mapping


def cycle(depends_on: Mapping[Hashable, Iterable[Hashable]]) -> list | None:
    """A dependency cycle, as ``[a, b, …, a]`` where each depends on the next; None if there is none.

    The cycle starts at its node that comes first in ``depends_on``, so a message naming it
    reads the same whichever node graphlib met first.

    Examples
    --------
    >>> cycle({"app": ["login"], "login": ["app"]})
    ['app', 'login', 'app']
    >>> cycle({"app": ["login"], "login": []}) is None
    True
    """
    try:
        graphlib.TopologicalSorter(depends_on).prepare()
    except graphlib.CycleError as error:
        # graphlib lists each node before the one that depends on it; a reader follows
        # "depends on" arrows, so the cycle is given the other way round.
        nodes = list(reversed(error.args[1]))[:-1]
        listed = list(depends_on)
        first = min(range(len(nodes)), key=lambda i: listed.index(nodes[i]) if nodes[i] in listed else len(listed))
        nodes = nodes[first:] + nodes[:first]
        return nodes + nodes[:1]
    return None


def order(depends_on: Mapping[Hashable, Iterable[Hashable]]) -> tuple:
    """Every node, each after everything it depends on; :class:`graphlib.CycleError` on a cycle.

    Examples
    --------
    >>> order({0: [1], 1: [], 2: [0]})
    (1, 0, 2)
    """
    return tuple(graphlib.TopologicalSorter(depends_on).static_order())


def down_with(depends_on: Mapping[Hashable, Iterable[Hashable]], down: Iterable[Hashable]) -> set:
    """``down`` and every node that depends on one of them, directly or not.

    Examples
    --------
    >>> sorted(down_with({"pay": ["login"], "login": [], "mail": []}, ["login"]))
    ['login', 'pay']
    """
    out = set(down)
    for node in order(depends_on):
        if out.intersection(depends_on.get(node, ())):
            out.add(node)
    return out
