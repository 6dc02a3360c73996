"""The workspace: scenarios, their versions and their runs in a database, for one person or a team.

``Workspace(connect(), login)`` is one user's view of it (:mod:`riskmodel.workspace.store`);
:mod:`~riskmodel.workspace.changes` says what differs between two versions and merges
them; :mod:`~riskmodel.workspace.results` is a run as stored.

Examples
--------
>>> from riskmodel.workspace import Workspace, connect
>>> ws = Workspace(connect("sqlite:///case.sqlite"))  # doctest: +SKIP
>>> v1 = ws.save("kakao", text, "as filed")  # doctest: +SKIP
>>> run = ws.run("kakao", v1.number, Settings(trials=20_000))  # doctest: +SKIP
"""

from riskmodel.workspace.changes import Change, MergeConflict
from riskmodel.workspace.database import URL_VARIABLE, WorkspaceUnavailable, connect, default_url
from riskmodel.workspace.results import Settings
from riskmodel.workspace.store import (
           LOCAL,
           Conflict,
           Forbidden,
           NotFound,
           RunInfo,
           ScenarioInfo,
           VersionInfo,
           Workspace,
)

__all__ = ["LOCAL", "URL_VARIABLE", "Change", "Conflict", "Forbidden", "MergeConflict", "NotFound", "RunInfo",
           "ScenarioInfo", "Settings", "VersionInfo", "Workspace", "WorkspaceUnavailable", "connect", "default_url"]
