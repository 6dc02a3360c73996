"""reports/: the committed sample business case is what ``make reports`` builds from the code as it is now.

The sample's workbook holds every headline figure as a number (``reports/kakao-2022.xlsx``,
sheet Options), written by the same run as the PDFs; this test runs that appraisal again
(reports/build.py's trials and seed) and compares. Across CPUs a figure may differ by the
rounding of numpy's ``exp`` (some 1e-13 of what was summed, README), far below the 1e-9
held here and far below any figure's standard error; a change to the model or the
scenario moves them by much more, and then ``make reports`` must be run and committed.
"""

from __future__ import annotations

import importlib.util
import pathlib

import openpyxl
import pytest

from riskmodel import appraise, load, simulate
from riskmodel.present import labels

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("reports_build", ROOT / "reports" / "build.py")


def _build_constants() -> tuple[int, int]:
    module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(module)
    return module.TRIALS, module.SEED


@pytest.fixture(scope="module")
def fresh():
    trials, seed = _build_constants()
    return appraise(simulate(load("kakao-2022"), trials, seed=seed))


@pytest.fixture(scope="module")
def committed() -> dict[str, dict[str, float]]:
    sheet = openpyxl.load_workbook(ROOT / "reports" / "kakao-2022.xlsx", read_only=True)["Options"]
    rows = list(sheet.iter_rows(values_only=True))
    return {row[-1]: dict(zip(rows[0][1:], row[1:])) for row in rows[1:]}  # by identifier, the last column


@pytest.mark.parametrize("key", ["ale", "var_99", "annual_cost", "npv_mean", "p_npv_positive"])
def test_the_committed_samples_headline_figures_are_a_fresh_builds(fresh, committed, key):
    header = labels.header(key, "KRW")
    table = fresh.comparison()
    assert list(committed) == list(table.index), "options changed: run `make reports` and commit reports/"
    horizon = fresh.simulation.horizon_years
    for option, row in table.iterrows():
        size = abs(fresh.risk.loc[option, "ale"]) * horizon + abs(fresh.investment.loc[option, "annual_cost"]) * horizon
        got, want = committed[option][header], float(row[key])
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9 * size), (
            f"reports/kakao-2022.xlsx {option} {header}: {got} committed, {want} now; run `make reports` and commit")
