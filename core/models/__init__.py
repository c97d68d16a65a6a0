"""Typed SQLAlchemy models: one metadata for the server and every client."""

import core.cadre.models  # retired cadres (老干部)
import core.cadre.notice_models  # notices for retirees and their links
import core.conference.records  # conference tables
import core.monitoring.models  # machine-room points, alarms and history
import core.notifications.models  # the SMS outbox
import core.petition.intake  # the public portal's intake tables (not synced)
import core.petition.models  # letters and visits (信访)
from core.models.base import Base, SyncedMixin, utcnow
from core.models.identity import AuditEntry, AuthToken, Device, Role, User, UserRole, UserScopeGrant
from core.models.registry import Attachment, Department, Deputy, Document, SyncConflict
from core.models.syncstate import AppliedMutation, ClientState, OutboxEntry, ScopeExit, SyncCounter, SyncMeta

__all__ = [
    "AppliedMutation",
    "Attachment",
    "AuditEntry",
    "AuthToken",
    "Base",
    "ClientState",
    "Department",
    "Deputy",
    "Device",
    "Document",
    "OutboxEntry",
    "Role",
    "ScopeExit",
    "SyncConflict",
    "SyncCounter",
    "SyncMeta",
    "SyncedMixin",
    "User",
    "UserRole",
    "UserScopeGrant",
    "utcnow",
]
# The feature tables, so Alembic and the sync registry see them wherever models are loaded.
import core.budget.models
import core.budget.query  # local query roll-up (not synced)
import core.budget.work  # noqa: F401
