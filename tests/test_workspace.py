"""The workspace on SQLite and on a real PostgreSQL server: versions, merges, runs, sharing, whole writes."""

from __future__ import annotations

import dataclasses
import sys
import threading

import pytest
import sqlalchemy as sa
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import scenario_dict

from riskmodel import edits
from riskmodel.distributions import Quantity
from riskmodel.scenario import ScenarioError
from riskmodel.workspace import Conflict, MergeConflict, Settings, Workspace, connect
from riskmodel.workspace.records import Base

SMALL = Settings(trials=400, seed=7)


def text(**changes) -> str:
    return yaml.safe_dump(scenario_dict(**changes), sort_keys=False)


V1 = text()
#: The fire's rate changed, with its source: one assumption.
V2 = edits.set_input(V1, "threats[0].rate", Quantity(ci90=(0.2, 2.0), source="a later study"))


@pytest.fixture
def engine(database_url):
    engine = connect(database_url)
    yield engine
    engine.dispose()


def test_the_migrations_build_the_schema_the_code_reads(engine):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == "0001"
    connect(engine.url.render_as_string(hide_password=False)).dispose()  # opening again changes nothing


def test_saving_adds_versions_and_never_overwrites(engine):
    ws = Workspace(engine, "kim@example.com", "Kim")
    first = ws.save("case", V1, "as filed")
    second = ws.save("case", V2, "fire rate from a later study", parent=first.number)
    assert (first.number, second.number, second.parent) == (1, 2, 1)
    assert ws.version("case", 1).text == V1 and ws.version("case").text == V2
    assert [(v.number, v.author, v.message) for v in ws.versions("case")] == [
        (1, "Kim", "as filed"), (2, "Kim", "fire rate from a later study")]
    assert ws.export("case", 1) == V1
    [info] = ws.scenarios()
    assert (info.ref, info.head, info.versions, info.sharing) == ("case", 2, 2, "private")


def test_an_invalid_text_is_refused_and_nothing_is_saved(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    with pytest.raises(ScenarioError, match="discount_rate"):
        ws.save("case", text(finance={"discount_rate": -2, "horizon_years": 3}), parent=1)
    assert len(ws.versions("case")) == 1


def test_the_diff_names_each_changed_assumption(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    ws.save("case", V2, parent=1)
    [change] = ws.diff("case", 1, 2)
    assert change.path == ("threats", "fire", "rate") and change.kind == "changed"
    assert change.before == 0.5 and change.after == {"ci90": [0.2, 2.0], "source": "a later study"}
    commented = "# a comment is not an assumption\n" + V1
    assert ws.diff("case", 1, ws.save("case", commented).number) == []


def test_a_save_from_an_old_parent_is_a_conflict_then_a_merge_or_a_branch(engine):
    owner, other = Workspace(engine, "a@x"), Workspace(engine, "b@x", "Bea")
    owner.save("case", V1)
    owner.share("case", "edit")
    other.save("a@x/case", V2, "rate", parent=1)
    mine = edits.set_field(V1, "finance.discount_rate", 0.07)
    with pytest.raises(Conflict, match="Bea saved version 2 meanwhile") as caught:
        owner.save("case", mine, "rate of discount", parent=1)
    assert caught.value.head == 2
    assert owner.version("case").number == 2  # nothing was written
    branch = owner.save("case", mine, "on a branch", parent=1, branch=True)
    assert (branch.number, branch.branch, owner.version("case").number) == (3, True, 2)
    merged = owner.save_merged("case", mine, parent=1)
    assert (merged.number, merged.parent) == (4, 2)
    assert {c.path for c in owner.diff("case", 1, 4)} == {("threats", "fire", "rate"), ("finance", "discount_rate")}


def test_a_merge_of_the_same_assumption_changed_two_ways_is_refused(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    ws.save("case", V2, parent=1)
    other = edits.set_input(V1, "threats[0].rate", Quantity(value=0.9))
    with pytest.raises(MergeConflict, match="threats.fire.rate"):
        ws.save_merged("case", other, parent=1)
    assert len(ws.versions("case")) == 2


def test_two_writers_on_one_parent_one_saves_the_other_is_told(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    for round_ in range(5):
        parent = ws.version("case").number
        barrier, outcomes = threading.Barrier(2), []

        def write(value: float) -> None:
            barrier.wait()
            try:
                outcomes.append(ws.save("case", edits.set_field(V1, "finance.discount_rate", value), parent=parent))
            except Conflict as conflict:
                outcomes.append(conflict)

        writers = [threading.Thread(target=write, args=(0.01 * (round_ + k + 1),)) for k in (0, 1)]
        for w in writers:
            w.start()
        for w in writers:
            w.join()
        saved = [o for o in outcomes if not isinstance(o, Conflict)]
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(saved) == 1 and len(refused) == 1, outcomes
        assert refused[0].head == saved[0].number == parent + 1
    assert [v.number for v in ws.versions("case")] == list(range(1, 7))


KILLED_SAVER = """
import sys
from riskmodel.workspace import Workspace, connect
ws = Workspace(connect(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
for n in range(10_000):
    v = ws.save("case", text + f"# save {n}\\n" + "#" * 200_000 + "\\n")
    print(v.number, flush=True)
"""


def test_a_process_killed_mid_save_leaves_the_last_committed_version(engine, tmp_path):
    import subprocess
    source = tmp_path / "case.yaml"
    source.write_text(V1, encoding="utf-8")
    url = engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen([sys.executable, "-c", KILLED_SAVER, url, str(source)], stdout=subprocess.PIPE,
                             text=True)
    committed = [int(child.stdout.readline()) for _ in range(5)]  # five saves, then a kill mid-way through more
    child.kill()
    child.wait()
    engine.dispose()
    reopened = connect(url)
    ws = Workspace(reopened)
    versions = ws.versions("case")
    assert versions[-1].number >= committed[-1]
    assert ws.version("case").number == versions[-1].number  # the head is a version that exists
    for v in versions:  # every version is whole: its text matches the checksum written with it
        assert ws.version("case", v.number).text.startswith(V1)
        import hashlib
        assert hashlib.sha256(ws.version("case", v.number).text.encode()).hexdigest() == v.sha256
    if reopened.dialect.name == "sqlite":
        with reopened.connect() as c:
            assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    reopened.dispose()


def test_a_stored_run_reruns_bit_for_bit_and_keeps_its_tables(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    run = ws.run("case", 1, SMALL)
    assert (run.trials, run.version) == (400, 1) and run.engine["kernel"] in ("numba", "numpy")
    assert run.settings == dataclasses.replace(SMALL, engine=run.engine["kernel"])  # the core that ran, to rerun on
    stored, differ = ws.rerun(run.id)
    assert differ == [] and stored.headline == run.headline
    tables = ws.run_tables(run.id)
    assert {"risk", "investment_cash", "exceedance", "cash_flows"} <= set(tables)
    assert list(tables["cash_flows"].columns) == [0, 1, 2, 3]  # years, as the appraisal has them
    assert tables["risk"].loc["none", "ale"] == pytest.approx(run.headline["options"]["none"]["ale"], rel=0, abs=0)


def test_a_comparison_flags_a_real_change_and_not_the_noise_of_a_seed(engine):
    ws = Workspace(engine)
    ws.save("case", V1)
    ws.save("case", V2, parent=1)
    a = ws.run("case", 1, Settings(trials=2_000, seed=1))
    b = ws.run("case", 1, Settings(trials=2_000, seed=2))
    c = ws.run("case", 2, Settings(trials=2_000, seed=1))
    _, _, same, changed = ws.compare(a.id, b.id)
    assert changed == [] and not same["beyond_noise"].any()
    row = same.loc[("none", "ale")]
    assert row["difference_se"] == pytest.approx((row["a_se"] ** 2 + row["b_se"] ** 2) ** 0.5, rel=1e-12)
    _, _, moved, changed = ws.compare(a.id, c.id)
    assert [ch.path for ch in changed] == [("threats", "fire", "rate")]
    # the rate's median goes from 0.5 to ~0.63 events/yr: the ALE rises by far more than its SE
    assert moved.loc[("none", "ale"), "beyond_noise"] and moved.loc[("none", "ale"), "difference"] > 0
