"""Messages of the sync protocol, validated at the edge. Anything malformed raises ProtocolError."""

from __future__ import annotations

from typing import Any, NamedTuple

from core.ids import is_uuid

MAX_PUSH_BATCH = 2000
MAX_PULL_LIMIT = 20000
DEFAULT_PULL_LIMIT = 5000
PROTOCOL_VERSION = 1


class ProtocolError(ValueError):
    """A sync message that cannot be accepted as it stands; the text says why, in plain words."""


class OutOfTurn(ProtocolError):
    """A push sent while the batch before it was still on its way, and that reached the server first: nothing
    of it was applied; the client sends it again once the batch before it is answered."""


PUSH_IN_FLIGHT = 2
"""Push requests a client may have on their way at once: each names the batch before it (``after``), and the
server applies it only once that batch is applied, so the order stays that of the outbox."""


_MUTATION_FIELDS = frozenset({"mutation_id", "table", "row_id", "op", "base_version", "base", "changes", "local_seq"})


class Mutation(NamedTuple):
    """One local edit: an insert or an update (a delete is an update of ``deleted``). A named tuple: a push
    parses thousands of them."""

    mutation_id: str
    table: str
    row_id: str
    op: str
    base_version: int
    base: dict[str, Any]
    changes: dict[str, Any]
    local_seq: int = 0

    @classmethod
    def parse(cls, raw: Any) -> Mutation:
        if not isinstance(raw, dict):
            raise ProtocolError("每条修改必须是一个对象")
        unknown = raw.keys() - _MUTATION_FIELDS
        if unknown:
            raise ProtocolError(f"修改中有未知字段：{', '.join(sorted(unknown))}")
        mid: Any = raw.get("mutation_id")
        row_id: Any = raw.get("row_id")
        if not is_uuid(mid):
            raise ProtocolError("mutation_id 必须是 UUID")
        if not is_uuid(row_id):
            raise ProtocolError("row_id 必须是 UUID")
        op = raw.get("op")
        if op != "update" and op != "insert":
            raise ProtocolError("op 只能是 insert 或 update")
        table = raw.get("table")
        if not table or type(table) is not str:
            raise ProtocolError("缺少表名 table")
        base_version = raw.get("base_version", 0)
        if type(base_version) is not int or base_version < 0:
            raise ProtocolError("base_version 必须是非负整数")
        local_seq = raw.get("local_seq", 0)
        if type(local_seq) is not int or local_seq < 0:
            raise ProtocolError("local_seq 必须是非负整数")
        base, changes = raw.get("base", {}), raw.get("changes")
        if type(base) is not dict or type(changes) is not dict:
            raise ProtocolError("base 和 changes 必须是对象")
        if not changes:
            raise ProtocolError("changes 不能为空")
        return cls(mid, table, row_id, op, base_version, base, changes, local_seq)

    def to_json(self) -> dict[str, Any]:
        return {"mutation_id": self.mutation_id, "table": self.table, "row_id": self.row_id, "op": self.op,
                "base_version": self.base_version, "base": self.base, "changes": self.changes,
                "local_seq": self.local_seq}


def parse_cursor(raw: Any) -> dict[str, Any]:
    """A pull cursor: ``{"v": 1, "mask": fp, "scopes": {pattern: seq}, "compacted": seq}``; empty means from
    the start. ``compacted`` is the compaction point the client's positions are valid against."""
    if raw in (None, "", {}):
        return {"v": PROTOCOL_VERSION, "mask": "", "scopes": {}, "compacted": 0}
    if not isinstance(raw, dict):
        raise ProtocolError("游标格式不正确")
    scopes = raw.get("scopes", {})
    if not isinstance(scopes, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for k, v in scopes.items()
    ):
        raise ProtocolError("游标中的范围序号格式不正确")
    mask = raw.get("mask", "")
    if not isinstance(mask, str):
        raise ProtocolError("游标中的掩码指纹格式不正确")
    compacted = raw.get("compacted", 0)
    if isinstance(compacted, bool) or not isinstance(compacted, int) or compacted < 0:
        raise ProtocolError("游标中的压缩点格式不正确")
    return {"v": PROTOCOL_VERSION, "mask": mask, "scopes": dict(scopes), "compacted": compacted}


def parse_limit(raw: Any) -> int:
    if raw is None:
        return DEFAULT_PULL_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_PULL_LIMIT:
        raise ProtocolError(f"limit 必须是 1 到 {MAX_PULL_LIMIT} 之间的整数")
    return raw
