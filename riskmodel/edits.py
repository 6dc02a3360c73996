"""Edits to a scenario's YAML text that keep the file's words: comments, key order, quoting, layout.

A scenario file is an argument as much as a data file: kakao-2022.yaml carries a hundred
comment lines saying why each figure is what it is. Re-writing the file from the
validated model (:meth:`riskmodel.scenario.Scenario.to_yaml`) would drop every one, so
an edit made in the app or through this API is made on the document instead, with
ruamel.yaml's round-trip loader, and only the value edited changes in the text. The
file's indentation is detected and kept, and lines are never re-wrapped.

Every function takes the text and returns the new text, validated as a whole
(:func:`riskmodel.scenario.loads`): an edit that would make the scenario invalid raises
:class:`~riskmodel.scenario.ScenarioError` with the rule broken, and the caller keeps the
text it had. Paths are those :meth:`~riskmodel.scenario.Scenario.quantities` gives
(``threats[0].rate``, ``services[2].impact.revenue_per_hour``,
``presets.active_active.failover_success``). Collections are the scenario's named lists:
``sites``, ``services``, ``threats``, ``architectures``, ``skills_programmes``, ``options``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from riskmodel import documents
from riskmodel.distributions import FORMS, Quantity
from riskmodel.scenario import ScenarioError, loads

COLLECTIONS = ("sites", "services", "threats", "architectures", "skills_programmes", "options")
#: Where a list the file does not have yet goes: before the first of these it has (DESIGN's order).
_ORDER = ("name", "description", "currency", "finance", "sites", "services", "threats", "architectures",
          "skills_programmes", "options", "risk_tolerance")
_PART = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?P<index>(\[\d+\])*)$")


def _yaml(text: str) -> YAML:
    """A round-trip reader and writer set to this text's indentation, lines never re-wrapped."""
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=sequence or 2, offset=offset or 0)
    return yaml


def edit(text: str, change: Callable[[CommentedMap], None], what: str) -> str:
    """Apply ``change`` to the document of ``text`` in place; the new text, validated.

    Parameters
    ----------
    text : str
        A scenario as YAML text.
    change : callable
        Changes the round-trip document (a ``CommentedMap``) in place; raises
        :class:`ScenarioError` for an edit it cannot make.
    what : str
        The edit in words, put before any message (``"rename site 'a' to 'b'"``).

    Returns
    -------
    str
        The edited text: everything but what ``change`` touched is as it was.

    Raises
    ------
    ScenarioError
        When the text is not a readable scenario document, or the edited scenario is invalid.
    """
    try:
        documents.parse(text)  # the bounds (size, aliases, duplicate keys) before the round-trip reader
    except documents.DocumentError as exc:
        raise ScenarioError(exc.messages) from None
    yaml = _yaml(text)
    doc = yaml.load(text)
    if not isinstance(doc, CommentedMap):
        raise ScenarioError(["the document must be a mapping of fields"])
    try:
        change(doc)
    except ScenarioError as exc:
        raise ScenarioError([f"{what}: {m}" for m in exc.messages]) from None
    out = io.StringIO()
    yaml.dump(doc, out)
    new = out.getvalue()
    try:
        loads(new)
    except ScenarioError as exc:
        raise ScenarioError([f"{what}: {m}" for m in exc.messages]) from None
    return new


def _number(x: Any) -> Any:
    """A whole float as an int, so that 12000000000.0 is written 12000000000."""
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 1e15 else x


def _plain(value: Any) -> Any:
    """Python data as round-trip nodes: lists inline (``[0.002, 0.02]``), mappings as given."""
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(_plain(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        node = CommentedMap((k, _plain(v)) for k, v in value.items())
        node.fa.set_flow_style()
        return node
    return _number(value)


def _quantity(old: Any, quantity: Quantity) -> Any:
    """``quantity`` written where ``old`` stood: a block mapping stays one (and keeps its comments)."""
    data = quantity.model_dump(mode="python")
    if not isinstance(data, dict):
        data = {"value": data}
    if isinstance(old, CommentedMap) and not old.fa.flow_style():
        for key in [*FORMS, "source"]:
            if key in old and key not in data:
                del old[key]
        for key, value in data.items():
            old[key] = _plain(value)
        return old
    if set(data) == {"value"}:
        return _number(data["value"])
    return _plain(data)


def _split(path: str) -> list[str | int]:
    keys: list[str | int] = []
    for part in path.split("."):
        m = _PART.match(part)
        if not m:
            raise ScenarioError([f"{path}: not a field path (write it as threats[0].rate)"])
        keys.append(m["key"])
        keys.extend(int(i) for i in re.findall(r"\d+", m["index"]))
    return keys


def _plain_form(keys: list[str | int]) -> list[str | int]:
    """A path of the portfolio form in a one-business document (``impact:`` at the top)."""
    if keys[:3] in (["services", 0, "impact"], ["services", 0, "infra_annual_cost"]):
        return keys[2:]
    if keys[0] in ("sites", "services"):
        raise ScenarioError([f"{'.'.join(map(str, keys))}: this scenario is one business ('impact' at the top "
                             "level); give it 'sites' and 'services' to edit them"])
    return keys


def _walk(doc: CommentedMap, keys: list[str | int], path: str) -> tuple[Any, str | int]:
    """(the container holding the last key, the last key), creating nothing."""
    node: Any = doc
    for depth, key in enumerate(keys[:-1]):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            where = ".".join(map(str, keys[:depth + 1]))
            raise ScenarioError([f"{path}: the file has nothing at {where}"]) from None
    return node, keys[-1]


def _ensure_list(doc: CommentedMap, collection: str) -> CommentedSeq:
    if collection not in COLLECTIONS:
        raise ScenarioError([f"{collection}: not a named list of a scenario; they are {', '.join(COLLECTIONS)}"])
    if collection in ("sites", "services") and "impact" in doc:
        raise ScenarioError(["this scenario is one business ('impact' at the top level); give it 'sites' and "
                             "'services' to edit them"])
    if doc.get(collection) is None:
        later = [k for k in _ORDER[_ORDER.index(collection) + 1:] if k in doc]
        position = list(doc).index(later[0]) if later else len(doc)
        doc.insert(position, collection, CommentedSeq())
    return doc[collection]


def _index(doc: CommentedMap, collection: str, name: str) -> int:
    items = _ensure_list(doc, collection)
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == name:
            return i
    names = [item.get("name") for item in items if isinstance(item, dict)]
    raise ScenarioError([f"{collection}: no item named {name!r}; there are {', '.join(map(repr, names)) or 'none'}"])


def set_input(text: str, path: str, quantity: Quantity) -> str:
    """The scenario text with the input at ``path`` set to ``quantity`` (its source included).

    ``presets.NAME.FIELD`` sets a field of a preset that options use by name: the file gets
    an architecture ``NAME`` of preset ``NAME`` overriding that field, as
    :meth:`~riskmodel.scenario.Scenario.with_input` does.

    Examples
    --------
    >>> text = open("data/scenarios/kakao-2022.yaml").read()  # doctest: +SKIP
    >>> new = set_input(text, "threats[0].rate", Quantity(ci90=(0.005, 0.03), source="my estimate"))  # doctest: +SKIP
    >>> text.count("#") == new.count("#")  # doctest: +SKIP
    True
    """
    return edit(text, lambda doc: _set_input(doc, path, quantity), f"set {path}")


def _set_input(doc: CommentedMap, path: str, quantity: Quantity) -> None:
    keys = _split(path)
    if keys[0] == "presets":
        if len(keys) != 3:
            raise ScenarioError([f"{path}: write a preset's field as presets.NAME.FIELD"])
        _, name, field = keys
        items = _ensure_list(doc, "architectures")
        found = [item for item in items if isinstance(item, dict) and item.get("name") == name]
        if found:
            found[0][field] = _quantity(found[0].get(field), quantity)
        else:
            items.append(CommentedMap([("name", name), ("preset", name), (field, _quantity(None, quantity))]))
        return
    if "impact" in doc:
        keys = _plain_form(keys)
    parent, key = _walk(doc, keys, path)
    old = parent.get(key) if isinstance(parent, dict) else None
    parent[key] = _quantity(old, quantity)


def set_field(text: str, path: str, value: Any) -> str:
    """The scenario text with the field at ``path`` (``services[1].tier``) set to ``value``.

    A value of None removes the field, so that it takes its default.

    Examples
    --------
    >>> set_field(text, "finance.discount_rate", 0.07)  # doctest: +SKIP
    """
    return edit(text, lambda doc: _set_field(doc, path, value), f"set {path}")


def _set_field(doc: CommentedMap, path: str, value: Any) -> None:
    keys = _split(path)
    if "impact" in doc:
        keys = _plain_form(keys)
    parent, key = _walk(doc, keys, path)
    if value is None:
        if isinstance(parent, dict):
            parent.pop(key, None)
        return
    parent[key] = _plain(value)


def add(text: str, collection: str, item: dict) -> str:
    """The scenario text with ``item`` (a mapping with a ``name``) appended to ``collection``.

    Examples
    --------
    >>> add(text, "sites", {"name": "busan", "region": "south"})  # doctest: +SKIP
    """
    return edit(text, lambda doc: _add(doc, collection, item), f"add to {collection}")


def _add(doc: CommentedMap, collection: str, item: dict) -> None:
    items = _ensure_list(doc, collection)
    if not isinstance(item.get("name"), str) or not item["name"].strip():
        raise ScenarioError([f"{collection}: a new item needs a name"])
    if any(isinstance(x, dict) and x.get("name") == item["name"] for x in items):
        raise ScenarioError([f"{collection}: {item['name']!r} is taken; names must be unique"])
    node = CommentedMap()
    for key, value in item.items():
        node[key] = _block(value)
    items.append(node)


def _block(value: Any) -> Any:
    """New fields: sections and lists of items as blocks, each quantity and list of names on one line."""
    if isinstance(value, dict) and not (set(value) & set(FORMS) and set(value) <= {*FORMS, "source"}):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _block(v)
        return node
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        return CommentedSeq(_block(v) for v in value)
    return _plain(value)


def dump(data: dict) -> str:
    """The text of a new scenario file: sections as blocks, each quantity on one line.

    Examples
    --------
    >>> print(dump({"name": "x", "sites": [{"name": "a"}]}), end="")
    name: x
    sites:
      - name: a
    """
    yaml = YAML()
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(_block(data), out)
    return out.getvalue()


def remove(text: str, collection: str, name: str) -> str:
    """The scenario text without the item ``name`` of ``collection``.

    A removed service leaves the options' per-service architectures with it (a choice for a
    service that is gone has no other meaning). What else still refers to it is an error,
    named (``services[2].site: 'gasan' is not a site``): move or remove those first.
    """
    return edit(text, lambda doc: _remove(doc, collection, name), f"remove {name!r} from {collection}")


def _remove(doc: CommentedMap, collection: str, name: str) -> None:
    del doc[collection][_index(doc, collection, name)]
    if collection == "services":
        for option in doc.get("options") or ():
            chosen = option.get("services") if isinstance(option, dict) else None
            if isinstance(chosen, dict) and name in chosen:
                del chosen[name]
                if not chosen:
                    del option["services"]


def _references(doc: CommentedMap, collection: str) -> list[tuple[Any, str, str]]:
    """Where names of ``collection`` are used: (container, key, how) with how ``value``, ``items`` or ``keys``."""
    found: list[tuple[Any, str, str]] = []
    lists = {c: [x for x in doc.get(c) or () if isinstance(x, dict)] for c in COLLECTIONS}
    if collection == "sites":
        found += [(s, "site", "value") for s in lists["services"]]
        found += [(t, "sites", "keys") for t in lists["threats"]]
    elif collection == "services":
        found += [(s, "depends_on", "items") for s in lists["services"]]
        found += [(t, "services", "items") for t in lists["threats"]]
        found += [(o, "services", "keys") for o in lists["options"]]
    elif collection == "architectures":
        found += [(o, "architecture", "value") for o in lists["options"]]
        found += [(o, key, "values") for o in lists["options"] for key in ("tiers", "services")]
    elif collection == "skills_programmes":
        found += [(o, "skills", "value") for o in lists["options"]]
    return found


def rename(text: str, collection: str, old: str, new: str) -> str:
    """The scenario text with the item ``old`` of ``collection`` renamed ``new``, and every reference to it.

    Renaming a service renames it in other services' ``depends_on``, threats' ``services``
    and options' per-service architectures; a site, in services' ``site`` and threats'
    ``sites``; an architecture, in options; a skills programme, in options' ``skills``.

    Examples
    --------
    >>> new = rename(text, "services", "login", "kakao_account")  # doctest: +SKIP
    """
    return edit(text, lambda doc: _rename(doc, collection, old, new), f"rename {old!r} in {collection} to {new!r}")


def _rename(doc: CommentedMap, collection: str, old: str, new: str) -> None:
    if not isinstance(new, str) or not new.strip():
        raise ScenarioError(["the new name is empty"])
    items = doc.get(collection) or []
    if new != old and any(isinstance(x, dict) and x.get("name") == new for x in items):
        raise ScenarioError([f"{new!r} is taken; names must be unique"])
    doc[collection][_index(doc, collection, old)]["name"] = new
    for container, key, how in _references(doc, collection):
        value = container.get(key)
        if value is None:
            continue
        if how == "value" and value == old:
            container[key] = new
        elif how == "items":
            for i, x in enumerate(value):
                if x == old:
                    value[i] = new
        elif how == "keys" and old in value:
            # Same place in the mapping, so the file reads in the order it did.
            position = list(value).index(old)
            value.insert(position, new, value.pop(old))
        elif how == "values":
            for k in list(value):
                if value[k] == old:
                    value[k] = new


#: The changes :func:`apply` makes, by name, each with the arguments of its function above (text aside).
CHANGES = {"set_input": _set_input, "set_field": _set_field, "add": _add, "remove": _remove, "rename": _rename}


def apply(text: str, changes: list[tuple[str, tuple]], what: str = "edit") -> str:
    """The scenario text with several changes made, in order, and validated once at the end.

    One edit of a table is several changes (a service renamed, another's dependency moved to
    it, a third removed) that are valid together but not one at a time.

    Parameters
    ----------
    changes : list of (name, arguments)
        Each a key of :data:`CHANGES` and its arguments: ``("rename", ("sites", "a", "b"))``,
        ``("set_field", ("services[0].tier", 2))``, ``("add", ("sites", {"name": "c"}))``.

    Examples
    --------
    >>> apply(text, [("rename", ("sites", "pangyo", "dc1")), ("remove", ("sites", "gasan"))])  # doctest: +SKIP
    """
    def change(doc: CommentedMap) -> None:
        for name, args in changes:
            CHANGES[name](doc, *args)
    return edit(text, change, what)
