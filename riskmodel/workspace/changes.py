"""What changed between two versions of a scenario, assumption by assumption, and a three-way merge.

Versions are compared as validated scenarios (:meth:`riskmodel.scenario.Scenario.to_dict`),
not as text: a comment or a re-indented line is not an assumption. Named lists (sites,
services, threats, architectures, programmes, options) are matched by name, so a service
added in the middle is one change, not a shift of every later one. A change's unit is a
whole quantity (its form, values and source together: "rate ci90 [0.002, 0.02] → [0.005,
0.03], source changed"), a label, or any other value; an item added or removed is one change.

A merge replays the changes from the common version to "mine" onto "theirs", in theirs'
text (comments and layout kept, :mod:`riskmodel.edits`); a change that meets one of theirs
on the same assumption, unless both made it alike, is a conflict, and nothing is merged.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from riskmodel import edits
from riskmodel.distributions import FORMS
from riskmodel.scenario import loads

#: Keys a quantity may hold beside its form: a quantity and these are one assumption.
_QUANTITY_KEYS = {*FORMS, "source", "confidence", "unit", "note"}
_LANGUAGES = {"en", "ko"}


@dataclasses.dataclass(frozen=True)
class Change:
    """One assumption that differs: ``path`` from the top (a named item by its name); None for absent."""

    path: tuple[str, ...]
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        """"added", "removed" or "changed"."""
        return "added" if self.before is None else "removed" if self.after is None else "changed"


class MergeConflict(ValueError):
    """Both sides changed the same assumptions differently; ``paths`` names them."""

    def __init__(self, paths: list[tuple[str, ...]]):
        self.paths = paths
        super().__init__("both versions changed " + ", ".join(".".join(p) for p in paths))


def differences(before: str, after: str) -> list[Change]:
    """The assumptions that differ between two scenario texts, in the order of ``after``.

    Examples
    --------
    >>> [c.path for c in differences(v1, v2)]  # doctest: +SKIP
    [('threats', 'pangyo_site_loss', 'rate')]
    """
    out: list[Change] = []
    _compare(loads(before).to_dict(), loads(after).to_dict(), (), out)
    return out


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))  # tuples as lists, so that equal values compare equal


def _named(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "name" in v for v in value)


def _whole(value: Any) -> bool:
    """A mapping compared as one value: a quantity or a text in several languages."""
    return isinstance(value, dict) and bool(value) and (
        set(value) <= _LANGUAGES or (set(value) <= _QUANTITY_KEYS and bool(set(value) & set(FORMS))))


def _compare(a: Any, b: Any, path: tuple[str, ...], out: list[Change]) -> None:
    if _named(a) and _named(b):
        before = {item["name"]: item for item in a}
        after = {item["name"]: item for item in b}
        for name in [*after, *(n for n in before if n not in after)]:
            if name not in after:
                out.append(Change((*path, name), _plain(before[name]), None))
            elif name not in before:
                out.append(Change((*path, name), None, _plain(after[name])))
            else:
                _compare(before[name], after[name], (*path, name), out)
    elif isinstance(a, dict) and isinstance(b, dict) and not (_whole(a) and _whole(b)):
        for key in [*b, *(k for k in a if k not in b)]:
            if key not in b or b[key] is None:
                if a.get(key) is not None:
                    out.append(Change((*path, key), _plain(a[key]), None))
            elif key not in a or a[key] is None:
                out.append(Change((*path, key), None, _plain(b[key])))
            else:
                _compare(a[key], b[key], (*path, key), out)
    elif _plain(a) != _plain(b):
        out.append(Change(path, _plain(a), _plain(b)))


def merge(base: str, mine: str, theirs: str) -> str:
    """``theirs`` with the changes from ``base`` to ``mine``; raises :class:`MergeConflict`.

    Examples
    --------
    >>> merged = merge(v3, my_edit_of_v3, v4)  # doctest: +SKIP
    """
    ours = differences(base, mine)
    their_paths = {c.path: c for c in differences(base, theirs)}
    clashes = [c.path for c in ours for p, t in their_paths.items()
               if _overlap(c.path, p) and not (p == c.path and t.after == c.after)]
    if clashes:
        raise MergeConflict(list(dict.fromkeys(clashes)))
    todo = [c for c in ours if c.path not in their_paths]  # the rest both made alike
    return replay(theirs, todo, "merge") if todo else theirs


def replay(text: str, todo: list[Change], what: str = "replay") -> str:
    """``text`` with the changes ``todo`` made, in its own words (comments and layout kept), validated.

    Raises :class:`MergeConflict` when a change's place is gone from ``text``, and
    :class:`~riskmodel.scenario.ScenarioError` when the result is not a valid scenario.

    Examples
    --------
    >>> replay(v1, differences(v1, v2)[:1])  # doctest: +SKIP
    """
    def change(doc: CommentedMap) -> None:
        for one in todo:
            _apply(doc, one)
    return edits.edit(text, change, what)


def _overlap(a: tuple, b: tuple) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _apply(doc: CommentedMap, change: Change) -> None:
    node: Any = doc
    for part in change.path[:-1]:
        node = _child(node, part, change.path, create=change.after is not None)
    last = change.path[-1]
    if isinstance(node, list):
        index = next((i for i, item in enumerate(node) if item.get("name") == last), None)
        if change.after is None:
            if index is not None:
                del node[index]
        elif index is None:
            node.append(_block(change.after))
        else:
            node[index] = _block(change.after)
    elif change.after is None:
        node.pop(last, None)
    else:
        node[last] = _block(change.after)


def _child(node: Any, part: str, path: tuple, create: bool) -> Any:
    if isinstance(node, list):
        found = next((item for item in node if isinstance(item, dict) and item.get("name") == part), None)
        if found is None:
            raise MergeConflict([path])
        return found
    if part not in node or node[part] is None:
        if not create:
            raise MergeConflict([path])
        node[part] = CommentedMap()
    return node[part]


def _block(value: Any) -> Any:
    """A value as the round-trip writer writes a new one: mappings and lists in block style."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _block(v)
        return out
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()  # [0.002, 0.02], as quantities are written
            return seq
        return CommentedSeq(_block(v) for v in value)
    return value
