"""Alembic environment: run on the connection handed over by :func:`matching.store.db.upgrade`.

There is no alembic.ini and no logging setup here; the caller owns both. To autogenerate a
new revision from a Python shell::

    from alembic import command
    from matching.store.db import _alembic_config, make_engine
    with make_engine("sqlite:///scratch.db").begin() as conn:
        command.revision(_alembic_config(conn), message="...", autogenerate=True)
"""

from __future__ import annotations

from alembic import context

# Tables of later issues live in their own modules on the same Base: import them so the
# metadata Alembic compares against is complete.
import matching.store.campaign_tables  # noqa: E402, F401
import matching.store.nightly_tables  # noqa: E402, F401
from matching.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through a hand-written alembic.ini
    raise RuntimeError("run migrations through matching.store.db.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
