"""riskmodel.schema: the reference covers every field of the schema, and the JSON Schema agrees with it."""

from __future__ import annotations

import json
import pathlib
import typing

import jsonschema
import pytest
from pydantic import BaseModel

from riskmodel import documents, schema
from riskmodel.cli import main
from riskmodel.distributions import Quantity
from riskmodel.resources import shipped_scenarios
from riskmodel.scenario import Scenario

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def models(root: type[BaseModel] = Scenario) -> set[type[BaseModel]]:
    """Every model a scenario file can hold, found by walking the annotations (Quantity is a number)."""
    found, todo = set(), [root]
    while todo:
        model = todo.pop()
        if model in found or model is Quantity:
            continue
        found.add(model)
        for info in model.model_fields.values():
            stack = [info.annotation]
            while stack:
                a = stack.pop()
                if isinstance(a, type) and issubclass(a, BaseModel):
                    todo.append(a)
                stack.extend(typing.get_args(a))
    return found


def written_fields(model: type[BaseModel]) -> set[str]:
    """The fields a file may give (excluded ones are internal)."""
    return {name for name, info in model.model_fields.items() if not info.exclude}


def test_the_reference_describes_every_field_of_every_model_and_no_other():
    assert set(schema.FIELDS) == models() == set(schema.SECTIONS)
    for model in models():
        assert set(schema.FIELDS[model]) == written_fields(model), model.__name__


def test_every_field_has_a_row_in_its_section_of_the_markdown():
    text = schema.markdown()
    sections = text.split("\n## ")[2:]  # after the title and the forms of a number
    assert len(sections) == len(schema.SECTIONS)
    for model, section in zip(schema.SECTIONS, sections):
        rows = {line.split("|")[1].strip().strip("`") for line in section.splitlines() if line.startswith("| `")}
        assert rows == written_fields(model), model.__name__
    assert "| `capex` | {c} per service |" in text  # the per-service money a first user misread


def shipped_documents():
    return {name: json.loads(json.dumps(documents.parse(documents.read_text(path))))
            for name, path in shipped_scenarios().items()}


def test_every_shipped_scenario_satisfies_the_json_schema():
    checker = jsonschema.Draft202012Validator(schema.json_schema())
    jsonschema.Draft202012Validator.check_schema(schema.json_schema())
    for name, doc in shipped_documents().items():
        assert [e.message for e in checker.iter_errors(doc)] == [], name


@pytest.mark.parametrize("change, words", [
    (lambda d: d["sites"][0].update(regoin="x"), "'regoin' was unexpected"),
    (lambda d: d["threats"][0].update(rate="often"), "is not valid under any of the given schemas"),
    (lambda d: d.pop("sites"), "is not valid under any of the given schemas"),
    (lambda d: d["threats"][0].update(scope="planet"), "'planet' is not one of"),
])
def test_the_json_schema_refuses_what_the_model_refuses(change, words):
    doc = shipped_documents()["kakao-2022"]
    change(doc)
    messages = [e.message for e in jsonschema.Draft202012Validator(schema.json_schema()).iter_errors(doc)]
    assert any(words in m for m in messages), messages
    with pytest.raises(Exception):
        Scenario.from_dict(doc)


def test_a_field_description_says_its_unit():
    impact = schema.json_schema()["$defs"]["Impact"]["properties"]
    assert impact["revenue_per_hour"]["description"].startswith("[{c}/h] ")


@pytest.mark.parametrize("name, text", [("scenario-reference.md", schema.markdown),
                                        ("scenario.schema.json", schema.json_text)])
def test_the_committed_docs_are_what_the_schema_generates(name, text):
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == text(), f"docs/{name} is stale: run `make docs` and commit it"


def test_the_cli_writes_the_reference(capsys, tmp_path):
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == schema.markdown()
    out = tmp_path / "s.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema.json_schema()
