"""The files the model reads: reference tables and shipped scenarios.

They live in ``data/`` at the top of the repository, where a reader checking a figure
finds them, and are installed as the package ``riskmodel.data`` (``package-dir`` in
pyproject.toml maps one onto the other). Reading them through :mod:`importlib.resources`
rather than by a path relative to this file is what makes the same code work from a
checkout, an editable install and an installed wheel, where ``data/`` is not beside the
package. The report's templates are package data of ``riskmodel`` itself and are read by
jinja2's ``PackageLoader``, which uses the same import machinery.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

#: The shipped scenario the app opens with.
DEFAULT_SCENARIO = "kakao-2022"


def _data() -> Traversable:
    return resources.files("riskmodel.data")


def reference(name: str) -> Traversable:
    """A reference table shipped in ``data/reference``.

    Parameters
    ----------
    name : str
        The file name, e.g. ``"dr_strategies.csv"``.

    Returns
    -------
    importlib.resources.abc.Traversable
        The file, to ``open()`` or ``read_text()``.

    Raises
    ------
    FileNotFoundError
        When no such table is shipped.

    Examples
    --------
    >>> reference("dr_strategies.csv").read_text(encoding="utf-8").split(",")[0]
    'architecture'
    """
    table = _data() / "reference" / name
    if not table.is_file():
        raise FileNotFoundError(f"no reference table {name!r} is shipped in riskmodel.data/reference")
    return table


def shipped_scenarios() -> dict[str, Traversable]:
    """The scenario files shipped in ``data/scenarios``, by name (the file stem).

    A scenario can be named this way wherever a scenario file is asked for, e.g.
    ``riskmodel run kakao-2022`` or ``riskmodel.load("kakao-2022")``.

    Returns
    -------
    dict of str to importlib.resources.abc.Traversable
        Each name and its YAML file, sorted by name.

    Examples
    --------
    >>> "kakao-2022" in shipped_scenarios()
    True
    """
    files = (f for f in (_data() / "scenarios").iterdir() if f.name.endswith(".yaml"))
    return {f.name.removesuffix(".yaml"): f for f in sorted(files, key=lambda f: f.name)}
