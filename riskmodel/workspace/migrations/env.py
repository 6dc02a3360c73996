"""Alembic's environment: migrations run on the connection :func:`riskmodel.workspace.database.migrate` opened."""

from alembic import context

from riskmodel.workspace.records import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
