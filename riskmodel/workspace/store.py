"""The workspace as its users reach it: every read and write, each checked against who is asking.

Every function the app and the CLI call goes through :class:`Workspace`, which is made
for one user; there is no other way to the data. A scenario is its owner's. Shared
``private`` it does not exist for anyone else (it is not listed, and asking for it by name
is "no scenario"); shared ``read`` others may list, read, diff, export and run it; shared
``edit`` they may also save versions of it. Only its owner changes how it is shared.

Saving never overwrites: each save adds a version, numbered 1, 2, … within its scenario,
with its parent (the version it was edited from). The newest version of the main line is
the scenario's ``head``; a save from an older parent than the head is refused with
:class:`Conflict` ("someone saved version N meanwhile"), and the caller then merges
(:meth:`Workspace.save_merged`) or saves a branch (``branch=True``), which adds the
version beside the main line. Each save is one transaction: it is whole or absent.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskmodel.scenario import loads
from riskmodel.workspace import changes, results
from riskmodel.workspace.database import READ, connect
from riskmodel.workspace.records import SHARING, Run, RunTable, Scenario, User, Version

#: The user of a workspace nobody logs in to (one person on their own machine).
LOCAL = "local"


class NotFound(LookupError):
    """No such scenario, version or run for this user (another's private scenario included)."""


class Forbidden(PermissionError):
    """The user may read this scenario but not do what was asked."""


class Conflict(RuntimeError):
    """Someone saved a newer version of the main line since the parent this save was edited from."""

    def __init__(self, scenario: str, parent: int, head: int, author: str):
        self.scenario, self.parent, self.head, self.author = scenario, parent, head, author
        super().__init__(f"{scenario}: {author} saved version {head} meanwhile (this edit starts from version "
                         f"{parent}); merge your changes into version {head}, or save them as a branch")


@dataclasses.dataclass(frozen=True)
class ScenarioInfo:
    name: str  #: the scenario's name; another user's is "owner/name" (:attr:`ref`)
    owner: str
    owner_name: str
    sharing: str
    head: int
    versions: int
    mine: bool

    @property
    def ref(self) -> str:
        """How this user refers to it: its name if theirs, else "owner/name"."""
        return self.name if self.mine else f"{self.owner}/{self.name}"


@dataclasses.dataclass(frozen=True)
class VersionInfo:
    scenario: str
    number: int
    parent: int | None
    branch: bool
    author: str
    created: datetime.datetime
    message: str
    sha256: str
    text: str | None = None  #: the full text, where it was asked for


@dataclasses.dataclass(frozen=True)
class RunInfo:
    id: int
    scenario: str
    version: int
    author: str
    created: datetime.datetime
    settings: results.Settings
    trials: int
    engine: dict
    headline: dict
    seconds: float


class Workspace:
    """The workspace seen by one user.

    Parameters
    ----------
    engine : sqlalchemy.Engine, optional
        From :func:`riskmodel.workspace.database.connect`; default the workspace of
        ``RISKMODEL_DATABASE_URL`` or the user's data directory.
    login : str
        Who is asking: the identity provider's e-mail, or :data:`LOCAL`.
    name : str, optional
        The name people see for this user (default: ``login``).

    Examples
    --------
    >>> ws = Workspace(connect("sqlite:///case.sqlite"), "kim@example.com")  # doctest: +SKIP
    >>> v = ws.save("kakao", text, "first draft")  # doctest: +SKIP
    >>> ws.save("kakao", edited, "site-fire rate from the 2025 study", parent=v.number)  # doctest: +SKIP
    """

    def __init__(self, engine: sa.Engine | None = None, login: str = LOCAL, name: str | None = None):
        if not isinstance(login, str) or not login.strip() or "/" in login:
            raise ValueError(f"user: {login!r} — must be a non-empty login without '/'")
        self.engine = engine if engine is not None else connect()
        self.login = login.strip()
        with self._write() as session:
            user = session.scalar(sa.select(User).where(User.login == self.login))
            if user is None:
                user = User(login=self.login, name=name or self.login)
                session.add(user)
                session.flush()
            elif name and user.name != name:
                user.name = name
            self.user_id, self.name = user.id, user.name

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine.execution_options(**{READ: True}), expire_on_commit=False) as session, \
                session.begin():
            yield session

    # -- access ---------------------------------------------------------------------------
    def _visible(self) -> sa.ColumnElement[bool]:
        return sa.or_(Scenario.owner_id == self.user_id, Scenario.sharing.in_(("read", "edit")))

    def _scenario(self, session: Session, ref: str, lock: bool = False) -> Scenario:
        """The scenario ``ref`` names ("name" for one's own, "owner/name" for another's), if visible."""
        owner, _, name = ref.rpartition("/")
        query = (sa.select(Scenario).join(User, User.id == Scenario.owner_id)
                 .where(Scenario.name == name, User.login == (owner or self.login), self._visible()))
        found = session.scalar(query.with_for_update() if lock else query)
        if found is None:
            raise NotFound(f"scenario {ref!r}: there is none you can see (your scenarios: "
                           f"{', '.join(s.ref for s in self.scenarios()) or 'none yet'})")
        return found

    def _may_edit(self, scenario: Scenario, ref: str) -> None:
        if scenario.owner_id != self.user_id and scenario.sharing != "edit":
            raise Forbidden(f"scenario {ref!r} is shared with you read-only: save your changes as a scenario "
                            "of your own (save under a new name), or ask its owner to share it for editing")

    # -- scenarios --------------------------------------------------------------------------
    def scenarios(self) -> list[ScenarioInfo]:
        """Every scenario this user may read: their own first, then those shared with them, by name."""
        with self._read() as session:
            count = (sa.select(sa.func.count(Version.id)).where(Version.scenario_id == Scenario.id)
                     .scalar_subquery())
            rows = session.execute(sa.select(Scenario, User, count).join(User, User.id == Scenario.owner_id)
                                   .where(self._visible())).all()
        found = [ScenarioInfo(s.name, u.login, u.name, s.sharing, s.head, n, s.owner_id == self.user_id)
                 for s, u, n in rows]
        return sorted(found, key=lambda s: (not s.mine, s.owner, s.name))

    def share(self, ref: str, sharing: str) -> None:
        """Share one's own scenario: "private", "read" (others read and run it) or "edit" (others save too)."""
        if sharing not in SHARING:
            raise ValueError(f"sharing: {sharing!r} — must be one of {', '.join(SHARING)}")
        with self._write() as session:
            scenario = self._scenario(session, ref, lock=True)
            if scenario.owner_id != self.user_id:
                raise Forbidden(f"scenario {ref!r}: only its owner changes how it is shared")
            scenario.sharing = sharing

    # -- versions ---------------------------------------------------------------------------
    def save(self, ref: str, text: str, message: str = "", parent: int | None = None,
             branch: bool = False) -> VersionInfo:
        """Save ``text`` as a new version of ``ref`` (a new scenario of one's own when there is none).

        ``parent`` is the version the text was edited from (None for a new scenario, or to
        save on top of whatever is newest). Raises :class:`Conflict` when someone saved a
        newer version meanwhile, unless ``branch``; :class:`~riskmodel.scenario.ScenarioError`
        when the text is not a valid scenario (nothing is saved).
        """
        loads(text)  # a version is always a valid scenario: refuse before anything is written
        if not isinstance(message, str):
            raise ValueError(f"message: {message!r} — must be text")
        with self._write() as session:
            try:
                scenario = self._scenario(session, ref, lock=True)
            except NotFound:
                if "/" in ref or parent is not None:
                    raise
                scenario = self._new_scenario(session, ref)
            self._may_edit(scenario, ref)
            number = scenario.head if parent is None else parent
            if number != scenario.head and not branch:
                head = session.scalar(sa.select(Version).where(Version.scenario_id == scenario.id,
                                                               Version.number == scenario.head))
                raise Conflict(ref, number, scenario.head, self._user_name(session, head.author_id))
            if parent is not None and session.scalar(sa.select(Version.id).where(
                    Version.scenario_id == scenario.id, Version.number == parent)) is None:
                raise NotFound(f"scenario {ref!r} has no version {parent}")
            latest = session.scalar(sa.select(sa.func.max(Version.number)).where(Version.scenario_id == scenario.id))
            version = Version(scenario_id=scenario.id, number=(latest or 0) + 1, parent=number or None,
                              branch=branch, text=text, sha256=results.digest(text.encode("utf-8")),
                              author_id=self.user_id, message=message)
            session.add(version)
            if not branch:
                scenario.head = version.number
            session.flush()
            return self._version_info(session, ref, version, with_text=False)

    def save_merged(self, ref: str, text: str, parent: int, message: str = "") -> VersionInfo:
        """Merge the changes from version ``parent`` to ``text`` into the newest version, and save that.

        Raises :class:`~riskmodel.workspace.changes.MergeConflict` naming the assumptions
        both changed differently (nothing is saved; a branch still can be).
        """
        base = self.version(ref, parent).text
        while True:
            newest = self.version(ref)
            merged = changes.merge(base, text, newest.text)
            try:
                return self.save(ref, merged, message or f"merged into version {newest.number}",
                                 parent=newest.number)
            except Conflict:  # yet another save meanwhile: merge into that one
                continue

    def _new_scenario(self, session: Session, name: str) -> Scenario:
        if not name.strip() or len(name) > 200:
            raise ValueError(f"scenario name: {name!r} — must be 1 to 200 characters, without '/'")
        scenario = Scenario(name=name, owner_id=self.user_id, sharing="private", head=0)
        session.add(scenario)
        session.flush()
        return scenario

    @staticmethod
    def _user_name(session: Session, user_id: int) -> str:
        return session.scalar(sa.select(User.name).where(User.id == user_id))

    def _version_info(self, session: Session, ref: str, v: Version, with_text: bool) -> VersionInfo:
        return VersionInfo(ref, v.number, v.parent, v.branch, self._user_name(session, v.author_id), v.created,
                           v.message, v.sha256, v.text if with_text else None)

    def versions(self, ref: str) -> list[VersionInfo]:
        """Every version of ``ref``, oldest first (texts left out: :meth:`version` reads one)."""
        with self._read() as session:
            scenario = self._scenario(session, ref)
            found = session.scalars(sa.select(Version).where(Version.scenario_id == scenario.id)
                                    .order_by(Version.number)).all()
            return [self._version_info(session, ref, v, with_text=False) for v in found]

    def version(self, ref: str, number: int | None = None) -> VersionInfo:
        """Version ``number`` of ``ref`` with its text (default the newest of the main line)."""
        with self._read() as session:
            scenario = self._scenario(session, ref)
            number = scenario.head if number is None else number
            found = session.scalar(sa.select(Version).where(Version.scenario_id == scenario.id,
                                                            Version.number == number))
            if found is None:
                raise NotFound(f"scenario {ref!r} has no version {number} (it has 1 to "
                               f"{session.scalar(sa.select(sa.func.max(Version.number)).where(Version.scenario_id == scenario.id)) or 0})")
            return self._version_info(session, ref, found, with_text=True)

    def diff(self, ref: str, a: int, b: int) -> list[changes.Change]:
        """The assumptions that differ from version ``a`` to version ``b`` of ``ref``."""
        return changes.differences(self.version(ref, a).text, self.version(ref, b).text)

    # -- runs -------------------------------------------------------------------------------
    def run(self, ref: str, number: int | None = None, settings: results.Settings = results.Settings(),
            progress: Callable[[int, int], None] | None = None) -> RunInfo:
        """Run version ``number`` of ``ref`` as ``settings`` say, and store the run with all its tables."""
        version = self.version(ref, number)
        result, seconds = results.execute(version.text, settings, progress)
        return self.store_run(ref, version.number, settings, result, seconds)

    def store_run(self, ref: str, number: int, settings: results.Settings, result, seconds: float) -> RunInfo:
        """Store a run already made of version ``number`` of ``ref`` (the app's, say) with all its tables."""
        blobs = {name: results.to_parquet(table) for name, table in results.tables(result).items()}
        with self._write() as session:
            scenario = self._scenario(session, ref)
            version = session.scalar(sa.select(Version).where(Version.scenario_id == scenario.id,
                                                              Version.number == number))
            if version is None:
                raise NotFound(f"scenario {ref!r} has no version {number}")
            if results.digest(version.text.encode("utf-8")) != version.sha256:
                raise RuntimeError(f"scenario {ref!r} version {number}: its text does not match its checksum")
            # Kept with the core that ran it, so that a rerun rounds alike (Settings.engine).
            settings = dataclasses.replace(settings, engine=result.simulation.engine or settings.engine)
            run = Run(version_id=version.id, author_id=self.user_id, settings=settings.to_dict(),
                      trials=result.simulation.trials, seed=result.simulation.seed,
                      horizon_years=result.simulation.horizon_years, engine=results.engine_record(result),
                      headline=results.headline(result), seconds=float(seconds))
            session.add(run)
            session.flush()
            session.add_all(RunTable(run_id=run.id, name=name, parquet=data, sha256=results.digest(data))
                            for name, data in blobs.items())
            session.flush()
            return self._run_info(session, ref, number, run)

    def _run_info(self, session: Session, ref: str, number: int, run: Run) -> RunInfo:
        return RunInfo(run.id, ref, number, self._user_name(session, run.author_id), run.created,
                       results.Settings.from_dict(run.settings), run.trials, run.engine, run.headline, run.seconds)

    def runs(self, ref: str) -> list[RunInfo]:
        """Every stored run of ``ref``, newest first."""
        with self._read() as session:
            scenario = self._scenario(session, ref)
            found = session.execute(sa.select(Run, Version.number).join(Version, Version.id == Run.version_id)
                                    .where(Version.scenario_id == scenario.id).order_by(Run.id.desc())).all()
            return [self._run_info(session, ref, number, run) for run, number in found]

    def _stored_run(self, session: Session, run_id: int) -> tuple[Run, str, int]:
        found = session.execute(sa.select(Run, Version, Scenario, User).join(Version, Version.id == Run.version_id)
                                .join(Scenario, Scenario.id == Version.scenario_id)
                                .join(User, User.id == Scenario.owner_id)
                                .where(Run.id == run_id, self._visible())).first()
        if found is None:
            raise NotFound(f"run {run_id}: there is none you can see")
        run, version, scenario, owner = found
        ref = scenario.name if scenario.owner_id == self.user_id else f"{owner.login}/{scenario.name}"
        return run, ref, version.number

    def stored_run(self, run_id: int) -> RunInfo:
        """Run ``run_id`` as stored (its figures; :meth:`run_tables` reads its tables)."""
        with self._read() as session:
            run, ref, number = self._stored_run(session, run_id)
            return self._run_info(session, ref, number, run)

    def run_tables(self, run_id: int) -> dict[str, pd.DataFrame]:
        """Every table of run ``run_id``, each checked against the checksum stored with it."""
        with self._read() as session:
            run, _, _ = self._stored_run(session, run_id)
            stored = session.scalars(sa.select(RunTable).where(RunTable.run_id == run.id)).all()
        out = {}
        for row in stored:
            if results.digest(row.parquet) != row.sha256:
                raise RuntimeError(f"run {run_id}: table {row.name} does not match its checksum")
            out[row.name] = results.from_parquet(row.parquet)
        return out

    def rerun(self, run_id: int) -> tuple[RunInfo, list[str]]:
        """Run ``run_id``'s version again with its settings; (the stored run, tables that differ: [] when bit-identical)."""
        info = self.stored_run(run_id)
        result, _ = results.execute(self.version(info.scenario, info.version).text, info.settings)
        return info, results.same_tables(self.run_tables(run_id), results.tables(result))

    def compare(self, a: int, b: int) -> tuple[RunInfo, RunInfo, pd.DataFrame, list[changes.Change]]:
        """Runs ``a`` and ``b``: both, their figures side by side (:func:`results.compare`), and the
        assumptions that differ between their versions ([] for two runs of one version)."""
        first, second = self.stored_run(a), self.stored_run(b)
        table = results.compare(first.headline, second.headline)
        texts = [self.version(r.scenario, r.version).text for r in (first, second)]
        return first, second, table, changes.differences(*texts)

    def export(self, ref: str, number: int | None = None) -> str:
        """The text of version ``number`` of ``ref`` (default the newest), as saved."""
        return self.version(ref, number).text
