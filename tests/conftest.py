import copy
import pathlib

import pytest
from hypothesis import HealthCheck, settings

from riskmodel import Scenario
from riskmodel.engine import kernels as _kernels

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "data" / "scenarios"

settings.register_profile("ci", deadline=None, max_examples=25, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

#: Marks a test that needs the compiled kernel (numba, the ``fast`` extra).
needs_numba = pytest.mark.skipif(not _kernels.available(), reason="numba is not installed")

BASE = {
    "name": "one threat",
    "currency": "USD",
    "finance": {"discount_rate": 0.05, "horizon_years": 3},
    "impact": {"revenue_per_hour": 1000.0},
    "threats": [{"name": "fire", "scope": "site", "category": "facility", "rate": 0.5,
                 "duration_hours": {"ci90": [2, 40]}}],
    "options": [{"name": "none", "baseline": True}],
}


def scenario_dict(**changes) -> dict:
    """A small valid scenario as a mapping, with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def make(**changes) -> Scenario:
    return Scenario.from_dict(scenario_dict(**changes))


@pytest.fixture
def kakao_path() -> pathlib.Path:
    return SCENARIOS / "kakao-2022.yaml"


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of this test process's own (tests/databases.py)."""
    from databases import Server

    server = Server()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A new, empty workspace database: an SQLite file, then a database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    return request.getfixturevalue("postgres_server").new_database()
