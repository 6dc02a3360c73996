"""The package's layers, read from its imports: arrows only point down (README, "Layout").

schema and data → models → engine → analysis → presentation → report and CLI → app pages.
A module may import its own layer and the layers below it; nothing below the app imports
Streamlit. The facade (``riskmodel/__init__``) exports the pipeline, so it stands with the
analysis layer: modules below it import what they need from where it is defined.
"""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "riskmodel"

#: Layer of each module or package prefix, lowest first; the longest matching prefix wins.
LAYERS = {
    "riskmodel.version": 0, "riskmodel.resources": 0, "riskmodel.documents": 0, "riskmodel.outputs": 0,
    "riskmodel.distributions": 0, "riskmodel.presets": 0, "riskmodel.dependencies": 0, "riskmodel.scenario": 0,
    "riskmodel.inputs": 0, "riskmodel.checks": 0, "riskmodel.edits": 0, "riskmodel.schema": 0, "riskmodel.archetypes": 0, "riskmodel.spreadsheet": 0,
    "riskmodel.models": 1,
    "riskmodel.engine": 2,
    "riskmodel.analysis": 3, "riskmodel": 3,  # the facade
    # Kept runs are appraisals (analysis) and nothing shown: presentation may read them.
    "riskmodel.workspace": 3,
    "riskmodel.present": 4,
    "riskmodel.report": 5, "riskmodel.cli": 5, "riskmodel.arguments": 5, "riskmodel.authoring": 5,
    "riskmodel.evidence": 5, "riskmodel.workspace_commands": 5,
    "riskmodel.ui": 6,
}
NAMES = ("schema and data", "models", "engine", "analysis", "presentation", "report and CLI", "app pages")


def layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def modules() -> dict[str, pathlib.Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(module: str, path: pathlib.Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in a file, relative ones resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # ``from riskmodel.models import impact`` imports the module riskmodel.models.impact
            known = modules()  # the names a ``from`` import can take as modules
            found += [(node.lineno, f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
                      for a in node.names]
    return found


def upward_imports() -> list[str]:
    found = []
    for module, path in modules().items():
        if module == "riskmodel":
            continue
        for line, target in imports(module, path):
            if target.split(".")[0] == "riskmodel" and layer(target) > layer(module):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} ({NAMES[layer(module)]}) "
                             f"imports {target} ({NAMES[layer(target)]})")
            if target.split(".")[0] == "streamlit" and layer(module) < LAYERS["riskmodel.ui"]:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports streamlit")
    return found


def test_every_module_has_a_layer():
    # A new top-level module falls to the facade's layer only by its own entry in LAYERS.
    unplaced = [m for m in modules() if m.count(".") == 1 and m not in LAYERS and layer(m) == LAYERS["riskmodel"]]
    assert unplaced == []


def test_no_import_points_up_a_layer():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    # A models module that reads the presentation layer must be reported.
    fake = tmp_path / "riskmodel" / "models"
    fake.mkdir(parents=True)
    (fake / "leak.py").write_text("from riskmodel.present.format import money\nimport streamlit\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "riskmodel")
    found = upward_imports()
    assert any("models.leak" in f and "presentation" in f for f in found), found
    assert any("imports streamlit" in f for f in found), found


@pytest.mark.parametrize("module", ["riskmodel.models.impact", "riskmodel.engine.run", "riskmodel.present.charts"])
def test_layers_are_read_from_the_tree(module):
    assert module in modules()
