"""Several imports as one transaction: all files of a pull or a package are written, or none.

``import_file`` opens and commits its own sessions. Bound to one connection whose outer transaction we hold
(``join_transaction_mode="create_savepoint"``), each of its commits only releases a savepoint; the outer
transaction commits when every file went in and rolls back otherwise. Later files see earlier ones (a
payment file can use the codes imported just before it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.sync.stamping import install_server_hooks

Hooks = Callable[[sessionmaker[Session]], None]
"""Installs the session hooks of the store being written: server stamping, or a client's outbox capture."""


@contextmanager
def all_or_nothing(engine: Engine, hooks: Hooks = install_server_hooks) -> Iterator[sessionmaker[Session]]:
    """Yield a session factory whose commits become final only if the ``with`` block ends without error."""
    with engine.connect() as connection:
        outer = connection.begin()
        factory: sessionmaker[Session] = sessionmaker(bind=connection, expire_on_commit=False,
                                                      join_transaction_mode="create_savepoint")
        hooks(factory)
        try:
            yield factory
        except BaseException:
            outer.rollback()
            raise
        outer.commit()
