"""Reading scenario documents with bounded work: size, nesting, aliases, duplicate keys.

A scenario file comes from anyone: an upload in the app, a colleague's e-mail. YAML lets
a 12 KB document expand to billions of nodes through aliases (``&a [*a, *a, …]`` nested),
refer to itself (``&a [*a]``), or say the same key twice (YAML's loaders keep the last
one, silently). So a document is first read to at most ``MAX_BYTES``, then composed into
YAML's node graph, where aliases are still shared nodes, and checked there, before any
Python object is built: expanded size (each alias counted as often as it is used),
depth, scalar length and duplicate keys. Only then is it constructed, with PyYAML's safe
constructor (no ``!!python/…`` tags).
"""

from __future__ import annotations

import pathlib
from importlib.resources.abc import Traversable

import yaml

#: The largest document read [bytes]: some 30 times kakao-2022.yaml (31 KB).
MAX_BYTES = 1_000_000
#: Values a document may hold, aliases counted each time they are used: ninety times
#: kakao-2022's 1,095; a plain list of 100,000 numbers is a data file, not a scenario.
MAX_NODES = 100_000
#: Nesting depth: a scenario needs 6 (threats[0].rate.pert[0]).
MAX_DEPTH = 32
#: Characters in one value (a source or a description is far shorter).
MAX_SCALAR = 10_000
#: Digits of a whole number: beyond this no field means anything, and Python refuses to
#: read one of more than 4,300 digits.
MAX_DIGITS = 30
#: Characters of a value quoted in a message.
QUOTE = 80

# libyaml's safe loader when PyYAML was built with it (5-10x faster; same documents).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"
# The tags of plain data that YAML's safe schema builds; any other (!!python/…, a custom
# !tag) is refused where it stands rather than by the constructor, which names no field.
_PLAIN = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge",
                                            "timestamp", "binary", "set", "omap", "pairs")}


class DocumentError(ValueError):
    """A document that cannot be read; ``messages`` holds one line per problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def quote(value: object, limit: int = QUOTE) -> str:
    """``repr(value)``, cut to ``limit`` characters with the full length said.

    Examples
    --------
    >>> quote("x" * 100, limit=10)
    "'xxxxxxxx… (102 characters)"
    """
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text):,} characters)"


def read_text(path: str | pathlib.Path | Traversable) -> str:
    """The text of a document file, read to at most ``MAX_BYTES`` + 1 bytes.

    Parameters
    ----------
    path : str, pathlib.Path or importlib.resources.abc.Traversable
        The file. A device such as ``/dev/zero`` is read no further than a file would be.

    Returns
    -------
    str
        The file's text (UTF-8).

    Raises
    ------
    DocumentError
        When the file is larger than ``MAX_BYTES`` or is not UTF-8 text.
    OSError
        When the file cannot be opened.

    Examples
    --------
    >>> read_text("data/scenarios/kakao-2022.yaml")[:5]  # doctest: +SKIP
    'name:'
    """
    with (path if isinstance(path, Traversable) else pathlib.Path(path)).open("rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DocumentError([f"the file is larger than {MAX_BYTES:,} bytes; a scenario is far smaller "
                             f"(kakao-2022.yaml has 31 KB)"])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError([f"not UTF-8 text (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})"]) from None


def parse(text: str) -> object:
    """Parse a YAML document within the limits of this module.

    Parameters
    ----------
    text : str
        One YAML document.

    Returns
    -------
    object
        The document as plain Python data (dicts, lists, numbers, strings); None if empty.

    Raises
    ------
    DocumentError
        Naming where (line, or the field path) and which rule: not YAML, too large,
        too deep, an alias that contains itself, a duplicate key (both lines), a value
        too long, a whole number with too many digits.

    Examples
    --------
    >>> parse("a: 1\\nb: [2, 3]")
    {'a': 1, 'b': [2, 3]}
    >>> try:
    ...     parse("a: 1\\na: 2")
    ... except DocumentError as exc:
    ...     print(exc.messages[0])
    a: the key 'a' is given twice (lines 1 and 2); give it once
    """
    if len(text) > MAX_BYTES:
        raise DocumentError([f"the document is longer than {MAX_BYTES:,} characters"])
    loader = _LOADER(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
            problem = getattr(exc, "problem", None) or str(exc)
            raise DocumentError([f"not valid YAML at {where}: {problem}"]) from None
        if node is None:
            return None
        nodes = _Check().size(node, "", 1)
        if nodes > MAX_NODES:
            raise DocumentError([f"the document expands to {nodes:,} values, more than the {MAX_NODES:,} a "
                                 "scenario may hold (an alias, *name, counts each time it is used)"])
        try:
            return loader.construct_document(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise DocumentError([f"a value cannot be read: {quote(str(exc))}"]) from None
    finally:
        loader.dispose()


class _Check:
    """Walks the node graph once per distinct node: sizes and heights are remembered,
    so a document that expands to billions of nodes is measured in time linear in its text."""

    def __init__(self) -> None:
        self.done: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
        self.open: set[int] = set()

    def size(self, node: yaml.Node, path: str, depth: int) -> int:
        key = id(node)
        if key in self.open:
            raise DocumentError([f"{path or '(top level)'}: an alias refers to a value that contains it "
                                 f"(line {node.start_mark.line + 1}); it would never end"])
        if key in self.done:
            nodes, height = self.done[key]
            if depth + height > MAX_DEPTH:
                self._too_deep(path)
            return nodes
        if depth > MAX_DEPTH:
            self._too_deep(path)
        if node.tag not in _PLAIN:
            raise DocumentError([f"{path or '(top level)'}: the tag {quote(node.tag)} (line "
                                 f"{node.start_mark.line + 1}) is not allowed; a scenario holds only "
                                 "mappings, lists, numbers and text"])
        self.open.add(key)
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, path)
            nodes, height = 1, 0
        elif isinstance(node, yaml.SequenceNode):
            nodes, height = 1, 0
            for i, item in enumerate(node.value):
                nodes += self.size(item, f"{path}[{i}]", depth + 1)
                height = max(height, self.done[id(item)][1] + 1)
        else:
            nodes, height, seen = 1, 0, {}
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                where = f"{path}.{name}" if path else str(name)
                if isinstance(k, yaml.ScalarNode) and k.tag != _MERGE:
                    if name in seen:
                        raise DocumentError([f"{where}: the key {quote(name)} is given twice (lines "
                                             f"{seen[name]} and {k.start_mark.line + 1}); give it once"])
                    seen[name] = k.start_mark.line + 1
                for child in (k, v):
                    nodes += self.size(child, where, depth + 1)
                    height = max(height, self.done[id(child)][1] + 1)
        self.open.discard(key)
        self.done[key] = (nodes, height)
        return nodes

    @staticmethod
    def _too_deep(path: str) -> None:
        raise DocumentError([f"{path or '(top level)'}: nested deeper than {MAX_DEPTH} levels; "
                             "a scenario needs about 6"])

    @staticmethod
    def _scalar(node: yaml.ScalarNode, path: str) -> None:
        where = path or "(top level)"
        if len(node.value) > MAX_SCALAR:
            raise DocumentError([f"{where}: {quote(node.value)} — a value may be at most "
                                 f"{MAX_SCALAR:,} characters"])
        digits = sum(c.isdigit() for c in node.value)
        if node.tag == _INT and digits > MAX_DIGITS:
            raise DocumentError([f"{where}: a whole number of {digits:,} digits ({quote(node.value, 24)}) — "
                                 f"numbers may have at most {MAX_DIGITS} digits"])
