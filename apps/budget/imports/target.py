"""Where the page's imports write: the signed-in client's store (through its outbox) or a plain database.

On a signed-in workstation the rows go to the local database and its sync outbox, so they reach the server
like any other edit (and the server checks ``budget.data`` for each pushed table). Over a plain database (a
staff machine on the server database, tests, screenshots) the rows are stamped as the server stamps them.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from apps.budget.common.context import BudgetContext
from core.budget.links.atomic import Hooks
from core.sync.outbox import install_outbox_capture
from core.sync.stamping import install_server_hooks


def write_hooks(ctx: BudgetContext) -> Hooks:
    """The session hooks the import must run with for ``ctx``'s store."""
    if ctx.client is None:
        return install_server_hooks
    store = ctx.client.store
    permissions = ctx.permissions

    def client_hooks(factory: sessionmaker[Session]) -> None:
        factory.kw["info"] = {"permissions": permissions}
        install_outbox_capture(factory, store.registry)

    return client_hooks
