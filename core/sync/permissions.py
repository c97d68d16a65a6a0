"""Who may write which synced table: explicit, default-deny rules checked by the sync server per mutation.

Every synced table has one :class:`TableRule`: a list of :class:`Grant`. A pushed insert, update or delete
is allowed when at least one grant of its table covers it — the operation, one of the grant's permissions,
the row's scope (the principal's own rows only, or only some scopes), the fields it changes, and whether it
moves the row to another scope. A table without a rule accepts no client write at all.

Reading comes first: no one may change a row they cannot see, nor create or move a row into a scope they
could not read back (:meth:`Principal.may_write_scope`). The field rules of ``bgt_comment`` and
``bgt_review_task`` (``core/budget/platform/fields.py``, through ``sync_refusal``) still apply on top.

Attachments (``reg_attachment``) follow the row that owns them: the server gives them the owner's scope,
and a principal may add, rename or remove an attachment only where they may change the owner row.

``python -m core.sync.permissions --markdown`` prints the whole matrix (every table × every role ×
insert / update / delete / scope change) that ``docs/server.md`` holds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.auth.roles import (
    P_BUDGET_COMMENT,
    P_BUDGET_DATA,
    P_BUDGET_OPINION,
    P_BUDGET_PLAN,
    P_BUDGET_RULES,
    P_BUDGET_WARNING,
    P_CADRE_ADMIN,
    P_CADRE_RECORD,
    P_CADRE_SENSITIVE,
    P_CONFERENCE_RECORDS,
    P_MACHINE_ROOM_ALARM,
    P_MACHINE_ROOM_COLLECT,
    P_MACHINE_ROOM_CONFIG,
    P_NOTIFY_SEND,
    P_PETITION_ADMIN,
    P_PETITION_APPROVE,
    P_PETITION_CASE,
    P_PETITION_HANDLE,
    P_SYNC,
    Principal,
)

INSERT, UPDATE, DELETE = "insert", "update", "delete"
OPS = (INSERT, UPDATE, DELETE)
ALL_OPS = frozenset(OPS)
_OP_WORDS = {INSERT: "新建", UPDATE: "修改", DELETE: "删除"}

ATTACHMENT_TABLE = "reg_attachment"
CONFLICT_TABLE = "sync_conflict"


@dataclass(frozen=True)
class Grant:
    """One way to be allowed: holders of any of ``permissions`` may do ``ops``.

    ``own``: only rows in the principal's own scope (``user:<id>``, ``comment:<id>``, ``review:<id>``);
    ``scopes``: only rows whose scope matches one of these patterns (before and after the change);
    ``fields``: an update may change only these fields (None: any field);
    ``move``: an update may change the row's scope (to a scope the principal may write).
    """

    permissions: tuple[str, ...]
    ops: frozenset[str] = ALL_OPS
    own: bool = False
    scopes: tuple[str, ...] | None = None
    fields: frozenset[str] | None = None
    move: bool = False

    def holds(self, principal: Principal) -> bool:
        return any(principal.can(p) for p in self.permissions)

    def refusal(self, principal: Principal, op: str, before: str | None, after: str,
                fields: set[str], moved: bool) -> str | None:
        """Why this grant does not cover the mutation (None: it does)."""
        if op not in self.ops or not self.holds(principal):
            return "role"
        for scope in (before, after):
            if scope is None:
                continue
            if self.own and not _is_own(principal, scope):
                return "只能修改本人的记录"
            if self.scopes is not None and not any(_matches(p, scope) for p in self.scopes):
                return f"您的角色不能在范围“{scope}”中{_OP_WORDS[op]}这类记录"
        if op == UPDATE and self.fields is not None:
            extra = sorted(fields - self.fields)
            if extra:
                return f"您的角色无权修改字段“{extra[0]}”"
        if moved and not self.move:
            return "您的角色无权把记录移到其他范围"
        return None

    def describe(self) -> str:
        parts = ["、".join(self.permissions)]
        if self.own:
            parts.append("限本人")
        if self.scopes is not None:
            parts.append("限范围 " + "、".join(self.scopes))
        if self.fields is not None:
            parts.append("只改 " + "、".join(sorted(self.fields)))
        if self.move:
            parts.append("可改范围")
        ops = "/".join(_OP_WORDS[o] for o in OPS if o in self.ops)
        return f"{ops}：{'，'.join(parts)}"


@dataclass(frozen=True)
class TableRule:
    """All the grants of one table, and a sentence saying whom they are for."""

    grants: tuple[Grant, ...]
    note: str = ""
    follows_owner: bool = False
    """For attachments: also needs the right to change the owning row (checked by the server)."""
    immutable: frozenset[str] = field(default_factory=frozenset)
    """Fields no client may change once the row exists (set at insert)."""


_STAFF_DATA = Grant((P_BUDGET_DATA,), move=True)
_BUDGET_DATA = TableRule((_STAFF_DATA,), "预算数据：预工委工作人员（budget.data）导入和维护")
_PLAN = TableRule((Grant((P_BUDGET_PLAN,), move=True),), "预工委工作人员（budget.plan）维护")
_CONFERENCE = TableRule((Grant((P_CONFERENCE_RECORDS,)),), "会务操作员与会议主持人（conference.records）写入")

_PET_OFFICE = (P_PETITION_CASE, P_PETITION_APPROVE)
_PET_REFERENCE = TableRule((Grant((P_PETITION_ADMIN,)),), "信访基础数据：系统管理员（petition.admin）维护")
_PET_HANDLE_FIELDS = frozenset({"state", "accepted_on", "due_on", "extended", "answered_on", "answer_summary",
                                "handler", "supervised"})
"""What the receiving committee's liaison may change on its own cases (accept, object, answer)."""

_CADRE_REFERENCE = TableRule((Grant((P_CADRE_ADMIN,)),), "老干部工作配置：系统管理员（cadre.admin）维护")
_CADRE_RECORD = TableRule((Grant((P_CADRE_RECORD,), scopes=("cadre",)),),
                          "老干部信息：老干部工作人员（cadre.record）维护")
_CADRE_SENSITIVE = TableRule((Grant((P_CADRE_SENSITIVE,), scopes=("cadre.sensitive",)),),
                             "老干部敏感信息：有敏感信息权限（cadre.sensitive）的老干部工作人员维护")
_CADRE_MARKABLE = TableRule((Grant((P_CADRE_RECORD,), scopes=("cadre",)), Grant((P_CADRE_SENSITIVE,), move=True)),
                            "老干部信息，可标为敏感：老干部工作人员（cadre.record）维护一般记录；"
                            "标为敏感（移入 cadre.sensitive）、取消敏感或维护敏感记录须有敏感信息权限（cadre.sensitive）")

_MON_COLLECTOR_FIELDS = frozenset({"message", "peak_value", "cleared_at", "clear_value", "escalation",
                                   "escalated_at", "flapping", "repeats"})
"""What a collector changes on an alarm after raising it; the acknowledgement is the operators'."""

_REVIEW_RESULT_FIELDS = frozenset({"opinion", "conclusion", "submitted_at"})
_COMMENT_ANSWER_FIELDS = frozenset({"answer", "answered_by", "answered_at", "status"})

RULES: dict[str, TableRule] = {
    # shared registries
    "reg_department": TableRule((Grant((P_BUDGET_DATA,)),), "部门单位库：预工委工作人员（budget.data）维护"),
    "reg_deputy": TableRule((Grant((P_BUDGET_PLAN,)),), "代表库：预工委工作人员（budget.plan）维护"),
    "reg_document": TableRule((Grant((P_BUDGET_PLAN,), move=True),),
                              "公文与审查材料：发布它们的预工委（budget.plan）新建、修改、删除和改变公开范围"),
    ATTACHMENT_TABLE: TableRule((Grant((P_SYNC,), ops=frozenset({INSERT, DELETE})),
                                 Grant((P_SYNC,), ops=frozenset({UPDATE}), fields=frozenset({"filename"}))),
                                "附件：能修改所属记录的人添加、改名、删除；范围由服务器按所属记录决定",
                                follows_owner=True,
                                immutable=frozenset({"sha256", "size", "mime", "owner_table", "owner_id", "owner_scope"})),
    CONFLICT_TABLE: TableRule((Grant((P_SYNC,), ops=frozenset({UPDATE}), own=True,
                                     fields=frozenset({"status", "resolution"})),),
                              "冲突记录：只由服务器生成；本人在冲突收件箱中把它标为已处理"),
    # budget data
    **{name: _BUDGET_DATA for name in (
        "bgt_year", "bgt_book", "bgt_class_code", "bgt_class_code_map", "bgt_project", "bgt_indicator",
        "bgt_indicator_change", "bgt_plan", "bgt_payment_application", "bgt_payment", "bgt_tax_revenue",
        "bgt_social_fund", "bgt_state_asset", "bgt_audit_finding", "bgt_final_account", "bgt_import_log")},
    # budget working records
    "bgt_saved_query": TableRule((Grant((P_SYNC,), own=True),), "保存的查询：只由本人维护"),
    "bgt_warning_rule": TableRule((Grant((P_BUDGET_RULES,)),), "预警规则：预工委工作人员（budget.rules）"),
    "bgt_warning": TableRule((Grant((P_BUDGET_RULES,), move=True),
                              Grant((P_BUDGET_WARNING,), ops=frozenset({INSERT, UPDATE}), scopes=("committee:*",))),
                             "预警：预工委工作人员；专委会委员在本委范围内跟踪（不删除、不改范围）"),
    "bgt_warning_action": TableRule((Grant((P_BUDGET_RULES,), move=True),
                                     Grant((P_BUDGET_WARNING,), ops=frozenset({INSERT, UPDATE}),
                                           scopes=("committee:*",))),
                                    "预警处理：同预警"),
    "bgt_review_plan": _PLAN,
    "bgt_review_item": _PLAN,
    "bgt_expert": TableRule((Grant((P_BUDGET_PLAN,)),), "专家库：预工委工作人员（budget.plan）维护"),
    "bgt_review_task": TableRule(
        (Grant((P_BUDGET_PLAN,), ops=frozenset({INSERT, DELETE}), move=True),
         Grant((P_BUDGET_PLAN,), ops=frozenset({UPDATE}), move=True,
               fields=frozenset({"task_no", "plan_no", "target_kind", "target_code", "target_name", "expert_id",
                                 "expert_user_id", "committee", "brief", "due_on", "status"})),
         Grant((P_BUDGET_OPINION,), ops=frozenset({UPDATE}), own=True,
               fields=frozenset({"status", *_REVIEW_RESULT_FIELDS}))),
        "审查任务：预工委分派、验收、退回；审查意见只由受托专家本人填写"),
    "bgt_comment": TableRule(
        (Grant((P_BUDGET_COMMENT,), own=True),
         Grant((P_BUDGET_PLAN,), ops=frozenset({UPDATE}), fields=_COMMENT_ANSWER_FIELDS)),
        "代表建言：只由作者本人撰写、修改、撤回；预工委只填写答复"),
    "bgt_document_link": _PLAN,
    # letters and visits
    **{name: _PET_REFERENCE for name in (
        "pet_category", "pet_body", "pet_routing_rule", "pet_holiday_override", "pet_letter_template")},
    "pet_petitioner": TableRule((Grant(_PET_OFFICE),), "信访人：信访办登记和修改"),
    "pet_case": TableRule(
        (Grant(_PET_OFFICE, move=True),
         Grant((P_PETITION_HANDLE,), ops=frozenset({UPDATE}), fields=_PET_HANDLE_FIELDS)),
        "信访件：信访办登记、分流、交办（改范围）；承办委员会只办理本委员会的件（受理、异议、答复）",
        immutable=frozenset({"code", "tracking_code", "tracking_check", "channel", "received_on"})),
    "pet_transition": TableRule(
        (Grant((*_PET_OFFICE, P_PETITION_HANDLE), ops=frozenset({INSERT})),
         Grant(_PET_OFFICE, ops=frozenset({UPDATE}), fields=frozenset({"committee"}), move=True)),
        "办理记录：只增不改；改交办时信访办把记录随件移到新的承办委员会"),
    "pet_case_link": TableRule((Grant(_PET_OFFICE, move=True),), "关联信访件：信访办维护"),
    "pet_reception": TableRule((Grant(_PET_OFFICE),), "来访接待：信访办维护"),
    # retired cadres
    **{name: _CADRE_REFERENCE for name in ("cad_category", "cad_field_def", "cad_setting", "cad_sms_template")},
    **{name: _CADRE_RECORD for name in (
        "cad_person", "cad_interest", "cad_life_event", "cad_person_category", "cad_award")},
    **{name: _CADRE_MARKABLE for name in ("cad_field_value", "cad_document")},
    **{name: _CADRE_RECORD for name in (
        "cad_status_change", "cad_dispatch", "cad_branch", "cad_branch_member", "cad_branch_office", "cad_aid",
        "cad_activity", "cad_activity_entry", "cad_contact")},
    **{name: _CADRE_RECORD for name in ("cad_notice", "cad_notice_link", "cad_wechat_binding")},
    **{name: _CADRE_SENSITIVE for name in ("cad_family", "cad_hospital_stay", "cad_checkup")},
    # presidium e-conference
    **{name: _CONFERENCE for name in (
        "conf_meeting", "conf_agenda_item", "conf_member", "conf_attendance", "conf_speech", "conf_vote_result",
        "conf_vote_choice")},
    # machine room: collectors write what they see, operators acknowledge, the administrator configures
    "mon_point": TableRule(
        (Grant((P_MACHINE_ROOM_CONFIG,), scopes=("machine_room",)),
         Grant((P_MACHINE_ROOM_COLLECT,), ops=frozenset({INSERT}), scopes=("machine_room",))),
        "监测点与阈值：系统管理员（machine_room.config）维护；采集器（machine_room.collect）只登记新监测点",
        immutable=frozenset({"room", "device", "key"})),
    "mon_alarm": TableRule(
        (Grant((P_MACHINE_ROOM_COLLECT,), ops=frozenset({INSERT, UPDATE}), scopes=("machine_room",),
               fields=_MON_COLLECTOR_FIELDS),
         Grant((P_MACHINE_ROOM_ALARM,), ops=frozenset({UPDATE}), scopes=("machine_room",),
               fields=frozenset({"acked_at", "acked_by", "ack_comment"}))),
        "机房告警：采集器产生、恢复、升级（不删除）；值班员只填写确认（人、时间、说明）",
        immutable=frozenset({"room", "ordinal", "device", "point_key", "point_id", "kind", "severity",
                             "raised_at", "value", "threshold"})),
    "mon_contact": TableRule((Grant((P_MACHINE_ROOM_CONFIG,), scopes=("machine_room",)),),
                             "机房告警联系人：系统管理员（machine_room.config）维护"),
    "mon_history_hour": TableRule(
        (Grant((P_MACHINE_ROOM_COLLECT,), ops=frozenset({INSERT}), scopes=("machine_room",)),),
        "机房历史数据：采集器按小时上报（只增不改）"),
    "mon_live": TableRule(
        (Grant((P_MACHINE_ROOM_COLLECT,), ops=frozenset({INSERT, UPDATE}), scopes=("machine_room",)),),
        "机房实时数据：只由采集器（machine_room.collect）写入和更新最新值（不删除）",
        immutable=frozenset({"room", "device", "key"})),
    # notifications (the SMS outbox): queued by clients, sent and updated by the server only
    "ntf_message": TableRule(
        (Grant((P_NOTIFY_SEND,), ops=frozenset({INSERT})),),
        "短信：有发短信权限（notify.send）的人在本人可写的范围内排队（只增）；发送状态只由服务器填写",
        immutable=frozenset({"template_key", "params", "recipient_table", "recipient_id", "recipient_column",
                             "target_scope", "dedup_key", "queued_at", "status", "attempts", "next_attempt_at",
                             "last_error", "sent_at", "delivered_at", "gateway_id", "parts"})),
}
"""The write rule of every synced table; a table missing here accepts no client write."""


def _is_own(principal: Principal, scope: str) -> bool:
    _prefix, colon, rest = scope.partition(":")
    return bool(colon and principal.user_id and rest == principal.user_id)


def _matches(pattern: str, scope: str) -> bool:
    if pattern.endswith(":*"):
        return scope.startswith(pattern[:-1])
    return scope == pattern


def effective_op(op: str, row_exists: bool, changes: Mapping[str, Any]) -> str:
    """The operation a mutation really is on the server: an insert of an existing id changes it, and an
    update that sets ``deleted`` is a delete."""
    if not row_exists:
        return INSERT
    if changes.get("deleted") is True:
        return DELETE
    return UPDATE


def write_refusal(table: str, label: str, principal: Principal, op: str, scope_before: str | None,
                  scope_after: str, changes: Mapping[str, Any]) -> str | None:
    """Why ``principal`` may not make this write (a Chinese sentence), or None when it is allowed.

    ``op`` is insert / update / delete (see :func:`effective_op`); ``scope_before`` is the row's scope on
    the server (None for an insert), ``scope_after`` its scope with the changes applied; ``changes`` the
    fields the mutation sets. Pure: no database, so the matrix and its tests use it directly.
    """
    rule = RULES.get(table)
    if rule is None or not rule.grants:
        return f"“{label}”不接受客户端修改"
    if scope_before is not None and not principal.sees_scope(scope_before):
        return "记录不存在或无权修改"
    if not principal.may_write_scope(scope_after):
        if scope_before is None:
            return f"无权在范围“{scope_after}”中新增记录"
        return f"无权把记录移入范围“{scope_after}”"
    fields = {name for name in changes if name != "deleted"}
    if op == UPDATE and scope_before is not None:
        fixed = sorted(fields & rule.immutable)
        if fixed:
            return f"字段“{fixed[0]}”建立后不能修改"
    moved = op == UPDATE and scope_before is not None and scope_before != scope_after
    reasons = [g.refusal(principal, op, scope_before, scope_after, fields, moved) for g in rule.grants]
    if any(r is None for r in reasons):
        return None
    specific = [r for r in reasons if r != "role"]
    if specific:
        return specific[0]
    return f"您的角色无权{_OP_WORDS.get(op, '修改')}“{label}”"


def attachment_refusal(principal: Principal, owner_table: str, owner_label: str, owner_scope: str | None,
                       scope: str, blob_scopes: Iterable[str]) -> str | None:
    """Why ``principal`` may not attach a file to a row (or change or remove such an attachment).

    ``owner_scope`` is the owning row's scope on the server (None: no such row there, or not visible);
    ``scope`` the scope the attachment would have (always the owner's); ``blob_scopes`` the scopes of the
    attachment rows that already name the same file. A file already on the server may be attached in a
    scope it does not have yet only by someone who may read it where it is: knowing its hash is not enough.
    """
    if owner_scope is None or not principal.sees_scope(owner_scope):
        return "附件所属的记录不存在或无权查看"
    owner = write_refusal(owner_table, owner_label, principal, UPDATE, owner_scope, owner_scope, {})
    if owner is not None:
        return f"您无权修改附件所属的“{owner_label}”，不能为它添加或删除附件"
    held = set(blob_scopes)
    if held and scope not in held and not all(principal.sees_scope(s) for s in held):
        return "这个文件已属于您无权查看的记录，不能把它附加到其他范围"
    return None


# ----------------------------------------------------------------------------------------- the matrix
MATRIX_GRANTS = ("public", "registry", "budget.internal", "committee:*", "conference", "petition", "petition.ref",
                 "petition.committee:*", "cadre", "cadre.ref", "cadre.sensitive", "machine_room")
"""Scopes every role is assumed to see when the matrix is drawn, so the matrix shows write rights alone
(a row the user cannot see is never writable, whatever the matrix says)."""

MOVE_NONE = "·"


@dataclass(frozen=True)
class Example:
    """A representative row of a table for the matrix: values of a new row, an ordinary update, and an
    update that moves the row to another scope (None when no column decides the scope)."""

    insert: dict[str, Any]
    update: dict[str, Any]
    move: dict[str, Any] | None
    owned_by: str = ""  # the column that names the owner (own-scope tables)


def matrix_principal(role: str, user_id: str | None = None) -> Principal:
    """The principal the matrix assumes for ``role``: its permissions and scopes, plus :data:`MATRIX_GRANTS`."""
    from core.auth.roles import ROLES_BY_NAME

    spec = ROLES_BY_NAME[role]
    return Principal(user_id=user_id or f"u-{role}", username=role, roles=frozenset({role}),
                     permissions=frozenset(spec.permissions),
                     scope_patterns=frozenset(spec.scopes) | frozenset(MATRIX_GRANTS))


def examples() -> dict[str, Example]:
    """One :class:`Example` per synced table, in registry order."""
    from core.sync.schema import REGISTRY

    return {spec.name: _example(spec) for spec in REGISTRY}


_OWNER_COLUMNS = {"bgt_saved_query": "owner_id", "bgt_comment": "author_id", "bgt_review_task": "expert_user_id",
                  CONFLICT_TABLE: "user_id"}
_UPDATE_FIELDS: dict[str, dict[str, Any]] = {
    "bgt_comment": {"body": "修改后的建言"}, "bgt_review_task": {"opinion": "修改后的审查意见"},
    CONFLICT_TABLE: {"status": "resolved", "resolution": "server"}, ATTACHMENT_TABLE: {"filename": "改名.pdf"},
    "pet_case": {"answer_summary": "修改后的答复"}, "mon_live": {"value": 23.5}}
_MOVES: dict[str, dict[str, Any]] = {"reg_document": {"classification": "public"},
                                      "bgt_document_link": {"public": True},
                                      "cad_field_value": {"sensitive": True}, "cad_document": {"sensitive": True}}
OTHER_USER = "u-other"
"""A user id no matrix principal has: moving an own row to it hands the row to someone else."""


def _example(spec: Any) -> Example:
    from sqlalchemy import JSON, Boolean, Date, Float, Integer

    from core.models.base import UTCDateTime

    values: dict[str, Any] = {}
    for col in spec.table.columns:
        if col.name not in spec.user_columns:
            continue
        default = getattr(col.default, "arg", None)
        if default is not None and not callable(default):
            values[col.name] = default
        elif col.nullable:
            values[col.name] = None
        elif isinstance(col.type, UTCDateTime):
            values[col.name] = "2026-03-01T08:00:00+00:00"
        elif isinstance(col.type, Date):
            values[col.name] = "2026-03-01"
        elif isinstance(col.type, JSON):
            values[col.name] = {}
        elif isinstance(col.type, Boolean):
            values[col.name] = False
        elif isinstance(col.type, Float):
            values[col.name] = 1.0
        elif isinstance(col.type, Integer):
            values[col.name] = 1
        else:
            values[col.name] = "x"
    if "domain" in values:
        values["domain"] = "教科文卫"
    if "committee" in values and spec.name.startswith("pet_"):
        values["committee"] = "jkww"  # a case assigned (交办) to a committee; moving it gives it back to the office
    if spec.name == ATTACHMENT_TABLE:
        values.update(sha256="0" * 64, size=4, mime="application/pdf", filename="扫描件.pdf",
                      owner_table="reg_document", owner_scope="committee:教科文卫")
    if "target_scope" in values:
        values["target_scope"] = "petition"  # a row whose scope its writer names (the SMS outbox)
    if spec.name == CONFLICT_TABLE:
        values.update(kind="field", field="title", status="open", resolution="")
    owned_by = _OWNER_COLUMNS.get(spec.name, "")
    update = dict(_UPDATE_FIELDS.get(spec.name) or {_plain_field(spec, owned_by): "修改"})
    move: dict[str, Any] | None = None
    if spec.name in _MOVES:
        move = _MOVES[spec.name]
    elif owned_by:
        move = {owned_by: OTHER_USER}
    elif "domain" in values:
        move = {"domain": ""}
    elif "committee" in values and spec.name.startswith("pet_"):
        move = {"committee": ""}
    return Example(values, update, move, owned_by)


def _plain_field(spec: Any, owned_by: str) -> str:
    """The first text column that neither names the owner nor decides the scope nor is masked."""
    for name in spec.user_columns:
        col = spec.table.c[name]
        if name in (owned_by, "domain", "classification") or name in spec.masked:
            continue
        try:
            python_type = col.type.python_type
        except NotImplementedError:
            continue
        if python_type is str:
            return str(name)
    raise LookupError(spec.name)


def example_scope(spec: Any, values: Mapping[str, Any]) -> str:
    """A row's scope from wire values (the example rows are given as wire values)."""
    decoded = {name: (spec.decode(name, v) if name in spec.table.c else v) for name, v in values.items()}
    return str(spec.scope_for(decoded))


def cell(table: str, role: str, op: str, user_id: str | None = None) -> bool | None:
    """Whether ``role`` may do ``op`` (insert / update / delete / move) on the table's example row, as the
    rules (and the table's field rules) say; None for a move on a table whose scope no column decides."""
    from core.sync.schema import REGISTRY

    spec = REGISTRY.get(table)
    ex = examples()[table]
    principal = matrix_principal(role, user_id)
    values = dict(ex.insert)
    if ex.owned_by:
        values[ex.owned_by] = principal.user_id
    label = spec.model.sync_label or table
    before = example_scope(spec, values)
    current = {name: spec.decode(name, v) for name, v in values.items()}
    if op == INSERT:
        after, changes, before_or_none = before, values, None
        defaults = {c.name: getattr(c.default, "arg", None) for c in spec.table.columns if c.name in spec.user_columns}
        current = {k: (None if callable(v) else v) for k, v in defaults.items()}
    elif op == UPDATE:
        after, changes, before_or_none = before, ex.update, before
    elif op == DELETE:
        after, changes, before_or_none = before, {"deleted": True}, before
    else:
        if ex.move is None:
            return None
        after, changes, before_or_none = example_scope(spec, {**values, **ex.move}), ex.move, before
    real_op = INSERT if op == INSERT else (DELETE if op == DELETE else UPDATE)
    refusal = write_refusal(table, label, principal, real_op, before_or_none, after, changes)
    if refusal is None:
        decoded = {name: (v if name == "deleted" else spec.decode(name, v)) for name, v in changes.items()}
        refusal = spec.model.sync_refusal(principal.can, real_op, decoded, current)
    if refusal is None and RULES[table].follows_owner:
        owner_spec = REGISTRY.get(str(values["owner_table"]))
        refusal = attachment_refusal(principal, owner_spec.name, owner_spec.model.sync_label, before, before, ())
    return refusal is None


def matrix() -> dict[tuple[str, str, str], bool | None]:
    """Every cell: (table, role, op) → allowed, for op in insert / update / delete / move."""
    from core.auth.roles import ROLE_NAMES
    from core.sync.schema import REGISTRY

    return {(spec.name, role, op): cell(spec.name, role, op)
            for spec in REGISTRY for role in ROLE_NAMES for op in (*OPS, "move")}


def markdown() -> str:
    """The matrix as a Markdown table (what ``docs/server.md`` holds between its markers)."""
    from core.auth.roles import ROLE_CATALOGUE
    from core.sync.schema import REGISTRY

    cells = matrix()
    roles = [r.name for r in ROLE_CATALOGUE]
    lines = [
        "Each cell: **增 改 删 移** = insert, update, delete, move to another scope; `✓` allowed, `—` refused, "
        f"`{MOVE_NONE}` no column moves the row. Rows are assumed visible to the user "
        f"({', '.join(MATRIX_GRANTS)} and the role's own scopes); a row the user cannot see is never writable.",
        "",
        "| table | " + " | ".join(f"{r.name}<br>{r.label_zh}" for r in ROLE_CATALOGUE) + " | rule |",
        "|---|" + "---|" * (len(roles) + 1),
    ]
    for spec in REGISTRY:
        row = []
        for role in roles:
            marks = []
            for op in (*OPS, "move"):
                value = cells[(spec.name, role, op)]
                marks.append(MOVE_NONE if value is None else ("✓" if value else "—"))
            row.append(" ".join(marks))
        rule = RULES.get(spec.name)
        grants = "；".join(g.describe() for g in rule.grants) if rule else "（无：不接受客户端修改）"
        note = rule.note if rule else ""
        lines.append(f"| `{spec.name}` {spec.model.sync_label} | " + " | ".join(row) + f" | {note}。{grants} |")
    size = len(list(REGISTRY)) * len(roles)
    lines += ["", f"{len(list(REGISTRY))} tables × {len(roles)} roles × 3 operations = {size * 3} cells, "
              f"plus {size} scope-change cells."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--markdown"]:
        print("用法：python -m core.sync.permissions --markdown", file=sys.stderr)
        return 2
    from core.features import load_features

    load_features()
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# ----------------------------------------------------------------------------------------- on the server
class RowLookup(Protocol):
    """Rows of the push batch by (table, id): None for an id known not to be on the server."""

    def __contains__(self, key: object) -> bool: ...

    def __getitem__(self, key: tuple[str, str]) -> Any: ...


def check_write(session: Any, spec: Any, principal: Principal, op: str, row: Any,
                changes: dict[str, Any], loaded: RowLookup,
                memo: dict[tuple[Any, ...], str | None] | None = None) -> str | None:
    """The server's one check of a pushed mutation against the rules (None: allowed).

    ``row`` is the row on the server (None: not there), ``changes`` the decoded fields. For an attachment the
    owner row is looked up (in ``loaded`` first: it may come earlier in the same batch), ``owner_scope`` is
    set in ``changes`` from it, whatever the client sent, and the file's other attachments are consulted.
    """
    if row is not None and not principal.sees_scope(row.scope):
        return "记录不存在或无权修改"
    if row is None and op != INSERT:
        return "记录不存在或无权修改"
    real = effective_op(op, row is not None, changes)
    if row is None:
        values = spec.insert_defaults()
        changed = changes
    else:
        values_of = getattr(row, "values_of", None)  # the batched push's row view reads its dict directly
        values = values_of(spec.user_columns) if values_of else {c: getattr(row, c) for c in spec.user_columns}
        # only what really changes counts: a replayed insert or an unchanged field asks for no right
        changed = {k: v for k, v in changes.items() if (row.deleted if k == "deleted" else values.get(k)) != v}
    values.update(changes)
    owner: Any = None
    rule = RULES.get(spec.name)
    if rule is not None and rule.follows_owner:
        from core.sync.schema import SchemaError

        try:
            owner_spec = spec_registry().get(str(values.get("owner_table") or ""))
        except SchemaError:
            return "附件所属的记录不存在或无权查看"
        owner_key = (owner_spec.name, str(values.get("owner_id") or ""))
        if owner_key in loaded:
            owner = loaded[owner_key]
        else:
            with session.no_autoflush:
                owner = session.get(owner_spec.model, owner_key[1])
        if owner is None or (owner.deleted and row is None):
            return "附件所属的记录不存在或无权查看"
        if row is None:
            changes["owner_scope"] = values["owner_scope"] = owner.scope
    after = spec.scope_for(values)
    if row is not None and not changed:
        return None  # nothing changes: the merge answers it (a replay, or a value someone else already set)
    before = None if row is None else row.scope
    # write_refusal is pure: within one push (one principal) the same table, operation, scopes and changed
    # fields always get the same answer, so a batch of similar rows asks the rules once
    key = (spec.name, real, before, after, frozenset(changed))
    if memo is not None and key in memo:
        reason = memo[key]
    else:
        reason = write_refusal(spec.name, spec.model.sync_label or spec.name, principal, real, before, after,
                               changed)
        if memo is not None:
            memo[key] = reason
    if reason is None and owner is not None:
        from sqlalchemy import select

        from core.models.registry import Attachment

        held: list[str] = []
        if row is None:
            with session.no_autoflush:
                held = list(session.scalars(select(Attachment.scope).where(
                    Attachment.sha256 == str(values.get("sha256") or ""))))
        reason = attachment_refusal(principal, owner_spec.name, owner_spec.model.sync_label or owner_spec.name,
                                    owner.scope, after, held)
    return reason


def spec_registry() -> Any:
    from core.sync.schema import REGISTRY

    return REGISTRY
