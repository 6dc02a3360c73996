"""Where the workspace lives, and a connection to it that keeps writes whole.

The default is an SQLite file in the user's data directory (``platformdirs``), made on
first use, so the app needs nothing installed beside it. A team sets
``RISKMODEL_DATABASE_URL`` to a PostgreSQL server (``postgresql+psycopg://…``, psycopg 3).

Every open brings the schema to the newest Alembic migration, in one transaction, so two
processes opening a new database at once cannot both create it.

SQLite is set up for whole writes: every transaction that writes starts with
``BEGIN IMMEDIATE`` (it takes the write lock before it reads, so two writers queue rather
than one failing midway), reads start with a plain ``BEGIN``; the journal is a write-ahead
log written through to the disk (``synchronous=FULL``), so a process killed mid-save leaves
the last committed version. PostgreSQL serialises two saves of one scenario by locking its
row (``SELECT … FOR UPDATE``).
"""

from __future__ import annotations

import os
import pathlib
from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

#: The environment variable a team sets to share one database.
URL_VARIABLE = "RISKMODEL_DATABASE_URL"
#: Seconds an SQLite writer waits for another's write to end before it gives up [s].
SQLITE_WAIT = 30
#: The execution option that marks a transaction as read-only (SQLite: a plain BEGIN).
READ = "riskmodel_read"


class WorkspaceUnavailable(RuntimeError):
    """The database cannot be opened; the message says which and why, in one line."""


def default_url() -> str:
    """``RISKMODEL_DATABASE_URL``, else an SQLite file in the user's data directory.

    Examples
    --------
    >>> default_url()  # doctest: +SKIP
    'sqlite:////home/me/.local/share/riskmodel/workspace.sqlite'
    """
    url = os.environ.get(URL_VARIABLE, "").strip()
    if url:
        return url
    import platformdirs  # only here: a team's URL needs no local directory

    folder = pathlib.Path(platformdirs.user_data_dir("riskmodel", appauthor=False))
    return f"sqlite:///{folder / 'workspace.sqlite'}"


def connect(url: str | None = None) -> sa.Engine:
    """An engine on ``url`` (default :func:`default_url`) with the schema migrated to the newest.

    Examples
    --------
    >>> engine = connect("sqlite:///:memory:")  # doctest: +SKIP
    """
    url = url or default_url()
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise WorkspaceUnavailable(f"{URL_VARIABLE}: {url!r} is not a database URL "
                                   "(e.g. sqlite:///path/workspace.sqlite or postgresql+psycopg://user@host/db)") from None
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite(parsed)
    elif parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # psycopg 3, not SQLAlchemy's default psycopg2
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = sa.create_engine(parsed, pool_pre_ping=True)
    else:
        raise WorkspaceUnavailable(f"{URL_VARIABLE}: {parsed.get_backend_name()!r} — the workspace runs on "
                                   "sqlite or postgresql")
    try:
        migrate(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise WorkspaceUnavailable(f"workspace database {parsed.render_as_string(hide_password=True)}: "
                                   f"cannot open ({str(exc.orig).strip().splitlines()[0]})") from None
    return engine


def _sqlite(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        pathlib.Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_WAIT})

    @sa.event.listens_for(engine, "connect")
    def _setup(dbapi_connection, _record):
        # The driver's own transaction handling off: the "begin" hook below says how each starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL",
                       f"busy_timeout={SQLITE_WAIT * 1000}"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get(READ) else "BEGIN IMMEDIATE")

    return engine


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration (``riskmodel/workspace/migrations``), in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("riskmodel.workspace") / "migrations"))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes opening a new server database at once: the second waits for the first.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(2022101500)"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
