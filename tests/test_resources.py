import fnmatch
import tomllib

import pytest
from conftest import ROOT

from riskmodel import resources

DATA = ROOT / "data"


def test_every_reference_table_is_read_through_the_package():
    tables = sorted(p.name for p in (DATA / "reference").iterdir() if p.is_file())
    assert "dr_strategies.csv" in tables
    for name in tables:
        assert resources.reference(name).read_bytes() == (DATA / "reference" / name).read_bytes()


def test_an_unknown_reference_table_is_named_in_the_error():
    with pytest.raises(FileNotFoundError, match="'no_such_table.csv'"):
        resources.reference("no_such_table.csv")


def test_the_shipped_scenarios_are_the_files_in_data_scenarios():
    shipped = resources.shipped_scenarios()
    assert list(shipped) == sorted(p.stem for p in (DATA / "scenarios").glob("*.yaml"))
    assert resources.DEFAULT_SCENARIO in shipped
    for name, scenario in shipped.items():
        assert scenario.read_text(encoding="utf-8") == (DATA / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")


def test_every_data_file_is_declared_package_data():
    # An editable install reads data/ in place, so a file the wheel would leave out still
    # passes every other test; this one fails instead.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    declared = [f"{config['package-dir']['riskmodel.data']}/{package.removeprefix('riskmodel.data.')}/{pattern}"
                for package, patterns in config["package-data"].items() if package.startswith("riskmodel.data.")
                for pattern in patterns]
    files = [p.relative_to(ROOT).as_posix() for p in DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files
    missing = [f for f in files if f != "data/__init__.py" and not any(fnmatch.fnmatch(f, g) for g in declared)]
    assert not missing, f"in data/ but not in the wheel (pyproject.toml package-data): {missing}"


def test_every_message_catalog_is_declared_package_data():
    # The app reads riskmodel/present/locale/<lang>.po at run time, so a wheel without them
    # has no text to show.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "riskmodel.present.locale" in config["packages"]
    declared = config["package-data"].get("riskmodel.present.locale", [])
    catalogs = [p.name for p in (ROOT / "riskmodel" / "present" / "locale").glob("*.po")]
    assert catalogs
    missing = [c for c in catalogs if not any(fnmatch.fnmatch(c, g) for g in declared)]
    assert not missing, f"catalogs not in the wheel (pyproject.toml package-data): {missing}"


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "reference").glob("*.csv")))
def test_every_reference_row_has_a_source_and_a_confidence_code(name):
    """A figure without its source is not evidence (data/reference/README.md: P, S or U, possibly mixed)."""
    import csv

    rows = list(csv.DictReader((DATA / "reference" / name).open(encoding="utf-8", newline="")))
    assert rows, name
    for i, row in enumerate(rows, start=2):
        assert (row.get("source") or "").strip(), f"{name}:{i}: no source"
        assert (row.get("confidence") or "").strip()[:1] in "PSU", f"{name}:{i}: confidence {row.get('confidence')!r}"
