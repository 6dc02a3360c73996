"""Who may do what in a shared workspace: three users, the three ways of sharing, every operation.

The data-access layer (:class:`riskmodel.workspace.Workspace`) is the only way the app and
the CLI reach the database, so checking each of its public operations checks them all;
a new operation without a rule here fails :func:`test_every_operation_has_a_rule`.
"""

from __future__ import annotations

import inspect

import pytest
import yaml
from conftest import scenario_dict

from riskmodel import edits
from riskmodel.workspace import Forbidden, NotFound, Settings, Workspace, connect

TEXT = yaml.safe_dump(scenario_dict(), sort_keys=False)
EDITED = edits.set_field(TEXT, "finance.discount_rate", 0.07)
TINY = Settings(trials=200, seed=3)

#: Each operation as another user asks it of the owner's scenario "case": (name, call, needs).
#: ``needs`` is the sharing that allows it: "read" (read or edit), "edit", or "owner" (no sharing does).
OPERATIONS = {
    "versions": (lambda ws, s: ws.versions(s.ref), "read"),
    "version": (lambda ws, s: ws.version(s.ref, 1), "read"),
    "export": (lambda ws, s: ws.export(s.ref), "read"),
    "diff": (lambda ws, s: ws.diff(s.ref, 1, 2), "read"),
    "runs": (lambda ws, s: ws.runs(s.ref), "read"),
    "stored_run": (lambda ws, s: ws.stored_run(s.run), "read"),
    "run_tables": (lambda ws, s: ws.run_tables(s.run), "read"),
    "rerun": (lambda ws, s: ws.rerun(s.run), "read"),
    "compare": (lambda ws, s: ws.compare(s.run, s.run), "read"),
    "run": (lambda ws, s: ws.run(s.ref, 1, TINY), "read"),
    "store_run": (lambda ws, s: ws.store_run(s.ref, 1, TINY, s.result, 0.0), "read"),
    "save": (lambda ws, s: ws.save(s.ref, EDITED, "theirs"), "edit"),
    "save_merged": (lambda ws, s: ws.save_merged(s.ref, EDITED, parent=1), "edit"),
    "share": (lambda ws, s: ws.share(s.ref, "private"), "owner"),
}
ALLOWED = {"private": set(), "read": {"read"}, "edit": {"read", "edit"}}


class Shared:
    """The owner's scenario as the others refer to it, with a stored run of it."""

    def __init__(self, owner: Workspace):
        owner.save("case", TEXT, "first")
        owner.save("case", EDITED, "second", parent=1)
        self.ref = f"{owner.login}/case"
        self.run = owner.run("case", 1, TINY).id
        from riskmodel.workspace import results
        self.result, _ = results.execute(TEXT, TINY)


@pytest.fixture
def users(database_url):
    engine = connect(database_url)
    yield tuple(Workspace(engine, login, name) for login, name in
                (("ann@x", "Ann"), ("bo@x", "Bo"), ("cy@x", "Cy")))
    engine.dispose()


def test_every_operation_has_a_rule():
    public = {name for name, _ in inspect.getmembers(Workspace, inspect.isfunction) if not name.startswith("_")}
    assert public - {"scenarios"} == set(OPERATIONS)  # scenarios() lists; tested below


@pytest.mark.parametrize("sharing", ["private", "read", "edit"])
def test_others_may_do_what_the_sharing_allows_and_nothing_more(users, sharing):
    ann, bo, cy = users
    shared = Shared(ann)
    ann.share("case", sharing)
    for other in (bo, cy):
        listed = [s.ref for s in other.scenarios()]
        assert listed == ([] if sharing == "private" else ["ann@x/case"])
        for name, (call, needs) in OPERATIONS.items():
            if needs in ALLOWED[sharing]:
                call(other, shared)  # allowed: it runs
            else:
                # private is "no such scenario" (its existence is not told); shared, a refusal that says why
                with pytest.raises(NotFound if sharing == "private" else Forbidden):
                    call(other, shared)
    # the owner can do everything, whatever the sharing
    for name, (call, _) in OPERATIONS.items():
        call(ann, _own(shared))
    assert ann.version("case").number >= 2


def _own(shared: Shared) -> Shared:
    own = Shared.__new__(Shared)
    own.ref, own.run, own.result = "case", shared.run, shared.result
    return own


def test_a_private_scenario_stays_its_owners_even_under_the_same_name(users):
    ann, bo, cy = users
    ann.save("case", TEXT, "ann's")
    cy.save("case", EDITED, "cy's")
    cy_run = cy.run("case", 1, TINY).id
    assert ann.export("case") == TEXT and cy.export("case") == EDITED
    for other in (ann, bo):
        with pytest.raises(NotFound):
            other.export("cy@x/case")
        with pytest.raises(NotFound):
            other.stored_run(cy_run)
        with pytest.raises(NotFound):
            other.save("cy@x/case", TEXT)
    assert [s.ref for s in bo.scenarios()] == []
    assert len(cy.versions("case")) == 1  # nobody else's save reached it
