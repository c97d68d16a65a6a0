"""The role catalogue of the suite and the principal a request acts as.

Roles follow the seed documents. A role grants permissions (what a user may do) and row scopes
(which synced rows a user may see). Masked columns need an extra permission (``pii.*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Permissions -------------------------------------------------------------------------------------
P_ADMIN_USERS = "admin.users"  # create users, assign roles, unlock, revoke tokens
P_ADMIN_ROLES = "admin.roles"  # edit what a role grants
P_AUDIT_READ = "audit.read"
P_SYNC = "sync.use"  # use the sync endpoints
P_SYNC_ADMIN = "sync.admin"  # compaction, bundles for other devices
P_PII_CONTACT = "pii.contact"  # see phone numbers
P_PII_IDENTITY = "pii.identity"  # see ID-card numbers
P_PII_HEALTH = "pii.health"
P_PETITION_CONTENT = "petition.content"  # read a petition's full content
# Letters and visits (信访).
P_PETITION_CASE = "petition.case"  # register, route and follow cases (the petition office)
P_PETITION_HANDLE = "petition.handle"  # the receiving body's work on its own cases: accept, object, answer
P_PETITION_APPROVE = "petition.approve"  # the office head: approve extensions and 终结
P_PETITION_ADMIN = "petition.admin"  # categories, bodies, routing rules, letter templates, holiday overrides

# Budget review: who may write which synced tables (checked by the sync server per mutation).
P_BUDGET_DATA = "budget.data"  # budget data: books, codes, projects, indicators, payments, bureau figures
P_BUDGET_WARNING = "budget.warning"  # follow up early warnings
P_BUDGET_RULES = "budget.rules"  # edit warning thresholds
P_BUDGET_PLAN = "budget.plan"  # review plans, review tasks, expert registry
P_BUDGET_COMMENT = "budget.comment"  # deputies' comments (建言) and their answers
P_BUDGET_OPINION = "budget.opinion"  # experts' review opinions

# Presidium e-conference: preparing meetings and writing the hall's records (attendance, speeches, results).
P_CONFERENCE_RECORDS = "conference.records"

# Retired cadres (老干部): keep the records; see and keep the sensitive part (ID numbers, family, health);
# configure person categories, extra fields and the office's settings.
P_CADRE_RECORD = "cadre.record"
P_CADRE_SENSITIVE = "cadre.sensitive"
P_CADRE_ADMIN = "cadre.admin"

# Machine room: a collector stores points, alarms and history; an operator on duty acknowledges alarms; the
# administrator edits points and thresholds.
P_MACHINE_ROOM_COLLECT = "machine_room.collect"
P_MACHINE_ROOM_ALARM = "machine_room.alarm"
P_MACHINE_ROOM_CONFIG = "machine_room.config"

# Notifications: queue an SMS (the server resolves the number and sends it).
P_NOTIFY_SEND = "notify.send"

APP_BUDGET = "app.budget"
APP_CADRE = "app.cadre"
APP_PETITION = "app.petition"
APP_CONFERENCE = "app.conference"
APP_MACHINE_ROOM = "app.machine_room"
APP_PERMISSIONS = (APP_BUDGET, APP_CADRE, APP_PETITION, APP_CONFERENCE, APP_MACHINE_ROOM)

# Scopes -----------------------------------------------------------------------------------------
S_PUBLIC = "public"
S_REGISTRY = "registry"
S_BUDGET_INTERNAL = "budget.internal"
S_ALL_COMMITTEES = "committee:*"
S_CADRE = "cadre"  # the retired cadres' records without their sensitive part
S_CADRE_REF = "cadre.ref"  # person categories, extra-field definitions, the office's settings
S_CADRE_SENSITIVE = "cadre.sensitive"  # family members, hospital stays, documents marked sensitive
S_PETITION = "petition"
S_PETITION_REF = "petition.ref"  # categories, bodies, routing rules, templates, holiday overrides
S_PETITION_COMMITTEES = "petition.committee:*"  # every case assigned (交办) to a committee
S_CONFERENCE = "conference"
S_MACHINE_ROOM = "machine_room"
S_OWN = "user:self"  # expands to user:<id>; any "<prefix>:self" expands to "<prefix>:<user id>"
S_OWN_REVIEW = "review:self"  # an expert's own review tasks and opinions
S_ALL_REVIEWS = "review:*"
S_OWN_COMMENTS = "comment:self"  # a deputy's own comments (建言) and their answers
S_ALL_COMMENTS = "comment:*"
S_ALL_USERS = "user:*"  # administrators see every conflict record


@dataclass(frozen=True)
class RoleSpec:
    name: str
    label_zh: str
    label_en: str
    permissions: tuple[str, ...]
    scopes: tuple[str, ...]


_BASE = (P_SYNC,)

ROLE_CATALOGUE: tuple[RoleSpec, ...] = (
    RoleSpec("budget_staff", "预工委工作人员", "Budget committee staff",
             (*_BASE, APP_BUDGET, P_PII_CONTACT, P_PII_IDENTITY, P_BUDGET_DATA, P_BUDGET_WARNING,
              P_BUDGET_RULES, P_BUDGET_PLAN, P_BUDGET_COMMENT, P_BUDGET_OPINION),
             (S_PUBLIC, S_REGISTRY, S_BUDGET_INTERNAL, S_ALL_COMMITTEES, S_OWN, S_ALL_REVIEWS, S_ALL_COMMENTS)),
    RoleSpec("committee_member", "专委会委员", "Special committee member",
             (*_BASE, APP_BUDGET, P_PII_CONTACT, P_BUDGET_WARNING, P_BUDGET_COMMENT),
             (S_PUBLIC, S_REGISTRY, S_OWN, S_OWN_COMMENTS)),
    RoleSpec("deputy", "人大代表", "Deputy",
             (*_BASE, APP_BUDGET, P_BUDGET_COMMENT),
             (S_PUBLIC, S_REGISTRY, S_OWN, S_OWN_COMMENTS)),
    RoleSpec("expert", "专家", "Expert",
             (*_BASE, APP_BUDGET, P_BUDGET_OPINION),
             (S_PUBLIC, S_OWN, S_OWN_REVIEW)),
    RoleSpec("data_provider", "外部数据报送单位", "External data provider",
             (*_BASE,),
             (S_OWN,)),
    RoleSpec("cadre_clerk", "老干部工作人员", "Retired-cadre clerk",
             (*_BASE, APP_CADRE, P_PII_CONTACT, P_PII_IDENTITY, P_PII_HEALTH, P_NOTIFY_SEND, P_CADRE_RECORD,
              P_CADRE_SENSITIVE),
             (S_CADRE, S_CADRE_REF, S_CADRE_SENSITIVE, S_OWN)),
    RoleSpec("cadre_reader", "老干部信息查阅人", "Retired-cadre record reader",
             (*_BASE, APP_CADRE, P_PII_CONTACT),
             (S_CADRE, S_CADRE_REF, S_OWN)),  # e.g. a party branch secretary: no ID numbers, family or health
    RoleSpec("petition_clerk", "信访工作人员", "Petition clerk",
             (*_BASE, APP_PETITION, P_PII_CONTACT, P_PII_IDENTITY, P_PETITION_CONTENT, P_PETITION_CASE,
              P_NOTIFY_SEND),
             (S_PETITION, S_PETITION_REF, S_PETITION_COMMITTEES, S_OWN)),
    RoleSpec("petition_head", "信访办负责人", "Head of the petition office",
             (*_BASE, APP_PETITION, P_PII_CONTACT, P_PII_IDENTITY, P_PETITION_CONTENT, P_PETITION_CASE,
              P_PETITION_APPROVE),
             (S_PETITION, S_PETITION_REF, S_PETITION_COMMITTEES, S_OWN)),
    RoleSpec("petition_committee", "专委会信访联络人", "Committee petition liaison",
             (*_BASE, APP_PETITION, P_PETITION_CONTENT, P_PETITION_HANDLE),
             (S_PETITION_REF, S_OWN)),  # its cases: a per-user grant of petition.committee:<body code>
    RoleSpec("chair", "会议主持人", "Chair",
             (*_BASE, APP_CONFERENCE, P_CONFERENCE_RECORDS),
             (S_CONFERENCE, S_REGISTRY, S_OWN)),
    RoleSpec("presidium_member", "主席团成员", "Presidium member",
             (*_BASE, APP_CONFERENCE),
             (S_CONFERENCE, S_OWN)),
    RoleSpec("conference_operator", "会务操作员", "Conference operator",
             (*_BASE, APP_CONFERENCE, P_CONFERENCE_RECORDS),
             (S_CONFERENCE, S_REGISTRY, S_OWN)),
    RoleSpec("machine_room_operator", "机房值班员", "Machine-room operator",
             (*_BASE, APP_MACHINE_ROOM, P_MACHINE_ROOM_COLLECT, P_MACHINE_ROOM_ALARM, P_NOTIFY_SEND),
             (S_MACHINE_ROOM, S_OWN)),
    RoleSpec("admin", "系统管理员", "Administrator",
             (*_BASE, P_ADMIN_USERS, P_ADMIN_ROLES, P_AUDIT_READ, P_SYNC_ADMIN, *APP_PERMISSIONS,
              P_PETITION_ADMIN, P_CADRE_ADMIN, P_MACHINE_ROOM_CONFIG),
             (S_PUBLIC, S_OWN, S_ALL_USERS, S_PETITION_REF, S_CADRE_REF, S_MACHINE_ROOM)),
)

ROLE_NAMES = tuple(r.name for r in ROLE_CATALOGUE)
ROLES_BY_NAME = {r.name: r for r in ROLE_CATALOGUE}
ALL_PERMISSIONS = tuple(sorted({p for r in ROLE_CATALOGUE for p in r.permissions} | {P_PII_HEALTH, P_PETITION_CONTENT}))


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: resolved on the server from the token, never trusted from a client."""

    user_id: str
    username: str
    display_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)
    scope_patterns: frozenset[str] = field(default_factory=frozenset)
    device_id: str | None = None
    token_id: str | None = None

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def sees_scope(self, scope: str) -> bool:
        """True when a row of ``scope`` is visible to this principal."""
        if scope in self.scope_patterns:
            return True
        prefix, colon, rest = scope.partition(":")
        if not colon:
            return False
        if self.user_id and rest == self.user_id and f"{prefix}:self" in self.scope_patterns:
            return True
        return f"{prefix}:*" in self.scope_patterns

    def may_write_scope(self, scope: str) -> bool:
        """Writes follow visibility: no one may write a row they could not read back."""
        return self.sees_scope(scope)

    def sees_column(self, permission: str) -> bool:
        return permission in self.permissions


def anonymous() -> Principal:
    """The public: may submit and track petitions only."""
    return Principal(user_id="", username="public", roles=frozenset({"public"}))
