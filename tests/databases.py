"""The databases the workspace tests run on: an SQLite file, and a real PostgreSQL server.

The server is Debian's PostgreSQL (``make test`` installs it, as it installs Chromium),
started once per test process in a temporary directory: its own cluster (``initdb``),
listening on a Unix socket in that directory only, so it touches nothing else on the
machine. PostgreSQL refuses to run as root; as root, the server runs as the ``postgres``
user the Debian package creates. Each test gets a database of its own.
"""

from __future__ import annotations

import glob
import itertools
import os
import pathlib
import pwd
import shutil
import subprocess
import tempfile

import pytest

_counter = itertools.count()


def server_binaries() -> pathlib.Path | None:
    """The directory of ``initdb`` and ``pg_ctl``: on PATH, or where Debian puts them."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return pathlib.Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return pathlib.Path(versions[-1]).parent if versions else None


class Server:
    """A PostgreSQL cluster of our own in a new temporary folder; :meth:`new_database` gives a database on it."""

    def __init__(self):
        # Not under pytest's own temporary folder: that is private to root, and the server may run as postgres.
        folder = pathlib.Path(tempfile.mkdtemp(prefix="riskmodel-pg-"))
        binaries = server_binaries()
        if binaries is None:
            pytest.fail("PostgreSQL is not installed: `make test` installs it (Debian's postgresql package)")
        self.folder, self.bin = folder, binaries
        self.user = None
        if os.geteuid() == 0:  # postgres will not run as root: run it as the package's own user
            self.user = pwd.getpwnam("postgres")
            os.chown(folder, self.user.pw_uid, self.user.pw_gid)
        self.data, self.socket = folder / "data", folder
        self._run("initdb", "-D", str(self.data), "-U", "riskmodel", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        def as_postgres():
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)
        done = subprocess.run([str(self.bin / program), *args], capture_output=True, text=True,
                              preexec_fn=as_postgres if self.user else None, cwd=self.folder)
        if done.returncode:
            pytest.fail(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://riskmodel@/{database}?host={self.socket}"

    def new_database(self) -> str:
        import psycopg
        name = f"t{os.getpid()}_{next(_counter)}"
        with psycopg.connect(host=str(self.socket), user="riskmodel", dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
