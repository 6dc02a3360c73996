"""riskmodel.spreadsheet: YAML → xlsx → YAML is exact, and every kind of bad cell is named by sheet and cell."""

from __future__ import annotations

import io

import openpyxl
import pytest

from riskmodel import archetypes, load, loads
from riskmodel.scenario import ScenarioError, shipped_scenarios
from riskmodel.spreadsheet import INPUTS, export, import_workbook

SCENARIOS = {**{name: load(name) for name in shipped_scenarios()},
             **{f"template:{t}": loads(archetypes.make_text(t)) for t in archetypes.ARCHETYPES}}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_scenario_through_a_workbook_and_back_is_the_same_scenario(name):
    scenario = SCENARIOS[name]
    assert loads(import_workbook(export(scenario))) == scenario


def book_of(name: str = "kakao-2022") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export(SCENARIOS[name])))


def read_back(book: openpyxl.Workbook) -> list[str]:
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ScenarioError) as caught:
        import_workbook(out.getvalue())
    return caught.value.messages


def input_row(book, item: str, field: str) -> int:
    sheet = book[INPUTS]
    return next(r for r in range(2, sheet.max_row + 1)
                if sheet.cell(r, 2).value == item and sheet.cell(r, 3).value == field)


def test_the_workbook_offers_forms_and_names_as_drop_down_lists():
    book = book_of()
    lists = {str(v.sqref): v.formula1 for v in book[INPUTS].data_validations.dataValidation}
    assert any(ref.startswith("D2") and "Lists!$A$2" in formula for ref, formula in lists.items())
    assert book["Lists"].sheet_state == "hidden"
    services = {v.formula1 for v in book["Services"].data_validations.dataValidation}
    assert any("Lists!" in f for f in services)  # the site column lists the sites


def test_a_form_that_is_not_one_is_named_at_its_cell():
    book = book_of()
    row = input_row(book, "pangyo_site_loss", "rate")
    book[INPUTS].cell(row, 4).value = "cig90"
    assert read_back(book) == [f"Inputs!D{row}: 'cig90' is not a form; forms are value, ci90, pert, uniform, "
                               "triangular, beta, lognormal, gamma"]


def test_low_above_high_is_named_at_the_inputs_row():
    book = book_of()
    row = input_row(book, "pangyo_site_loss", "rate")
    book[INPUTS].cell(row, 5).value, book[INPUTS].cell(row, 7).value = 0.05, 0.01
    messages = read_back(book)
    assert len(messages) == 1 and messages[0].startswith(f"Inputs!D{row}: threats[0].rate")
    assert "low 0.05 must be below high 0.01" in messages[0]


def test_an_unknown_name_is_named_at_its_cell():
    book = book_of()
    book["Services"]["B3"].value = "nowhere"  # the second service's site
    messages = read_back(book)
    assert any(m.startswith("Services!B3: services[1].site: 'nowhere' is not a site") for m in messages), messages


def test_a_missing_sheet_is_named():
    book = book_of()
    del book["Threats"]
    assert any(m.startswith("Threats: the sheet is missing") for m in read_back(book))


def test_text_in_a_number_cell_is_named_at_its_cell():
    book = book_of()
    row = input_row(book, "pangyo_site_loss", "rate")
    book[INPUTS].cell(row, 5).value = "about two"
    assert f"Inputs!E{row}: 'about two' is text; a number belongs here" in read_back(book)


def test_a_formula_and_a_formulas_error_are_named_at_their_cells():
    book = book_of()
    row = input_row(book, "pangyo_site_loss", "rate")
    book[INPUTS].cell(row, 5).value = "=1/0"
    messages = read_back(book)
    assert any(m.startswith(f"Inputs!E{row}: '=1/0' is a formula") for m in messages), messages
    # What Excel leaves in a cell whose formula failed: an error value.
    book[INPUTS].cell(row, 5).value = "#DIV/0!"
    book[INPUTS].cell(row, 5).data_type = "e"
    assert f"Inputs!E{row}: #DIV/0! is a formula's error; give a number" in read_back(book)


def test_a_file_that_is_not_a_workbook_is_one_message():
    with pytest.raises(ScenarioError, match="not an .xlsx workbook"):
        import_workbook(b"name: x\n")


def test_the_cli_exports_and_imports_and_never_overwrites(tmp_path, capsys):
    from riskmodel.cli import main

    book, back = tmp_path / "k.xlsx", tmp_path / "k.yaml"
    assert main(["export", "kakao-2022", "--xlsx", str(book)]) == 0
    assert main(["import", str(book), "--out", str(back)]) == 0
    assert loads(back.read_text(encoding="utf-8")) == SCENARIOS["kakao-2022"]
    assert main(["import", str(book), "--out", str(back)]) == 2
    assert "never overwrites" in capsys.readouterr().err
    broken = openpyxl.load_workbook(book)
    broken["Services"]["B3"].value = "nowhere"
    broken.save(book)
    assert main(["import", str(book), "--out", str(tmp_path / "other.yaml")]) == 2
    assert "Services!B3: services[1].site: 'nowhere' is not a site" in capsys.readouterr().err
