"""The workspace's tables: users, scenarios, their versions, and runs with their tables.

Nothing here is ever updated in place except a scenario's ``head`` (the newest version of
its main line) and its sharing: a version and a run, once written, stay as they are.

Run tables are kept as Parquet, one blob per table (:mod:`riskmodel.workspace.results`):
the appraisal's tables are read whole, never queried by cell, and Parquet keeps their
dtypes, index and every float's bits, at a few kB a table; rows would need a schema per
table and change with every new column. The figures a list or a comparison shows
(``headline``) are JSON beside them, so listing runs never opens a blob.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: How a scenario is shared with the other users of the workspace.
SHARING = ("private", "read", "edit")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime.datetime: sa.DateTime(timezone=True), dict: sa.JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(320), unique=True)  #: the identity provider's e-mail or "local"
    name: Mapped[str] = mapped_column(sa.String(200))  #: the name people see
    created: Mapped[datetime.datetime] = mapped_column(default=_now)


class Scenario(Base):
    __tablename__ = "scenarios"
    __table_args__ = (sa.UniqueConstraint("owner_id", "name"),
                      sa.CheckConstraint("sharing IN ('private', 'read', 'edit')", name="sharing_known"))
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    sharing: Mapped[str] = mapped_column(sa.String(10), default="private")
    head: Mapped[int] = mapped_column(default=0)  #: number of the newest version of the main line
    created: Mapped[datetime.datetime] = mapped_column(default=_now)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"))
    number: Mapped[int]
    parent: Mapped[int | None]  #: the number of the version it was made from
    branch: Mapped[bool] = mapped_column(default=False)  #: saved beside the main line, not on it
    text: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    created: Mapped[datetime.datetime] = mapped_column(default=_now)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("versions.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    settings: Mapped[dict]  #: the call that made it (trials, seed, horizon, rate, basis, precision)
    trials: Mapped[int]  #: the trials it ran (an adaptive run's settled count)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    horizon_years: Mapped[int]
    engine: Mapped[dict]  #: riskmodel, numpy and numba versions, and the kernel used
    headline: Mapped[dict]  #: per option the comparison's figures and their SEs; the decision
    seconds: Mapped[float] = mapped_column(sa.Float)
    created: Mapped[datetime.datetime] = mapped_column(default=_now)


class RunTable(Base):
    __tablename__ = "run_tables"
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("runs.id"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    parquet: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
