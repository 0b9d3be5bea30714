"""Alembic's environment: the proxy runs migrations itself (db.migrate) on the connection it passes in."""

from alembic import context

from proxy.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations through the proxy: python -m proxy migrate")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
