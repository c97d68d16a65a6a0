"""The expert registry (专家库) and the deputy registry view (代表库), filtered by field of expertise.

Phone numbers (and a deputy's ID number) are masked for users without ``pii.contact`` / ``pii.identity``,
the same way the sync server masks them, so a list never shows more than the role may see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from core.auth.roles import P_BUDGET_PLAN, P_PII_CONTACT, P_PII_IDENTITY
from core.budget.platform import Actor, PlatformError, clean, reading, require
from core.budget.work import Expert
from core.models.registry import Deputy

PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


@dataclass(frozen=True)
class ExpertInput:
    name: str
    organisation: str = ""
    title: str = ""
    fields: str = ""
    phone: str = ""
    user_id: str = ""
    active: bool = True


def split_fields(text: str) -> list[str]:
    """Fields of expertise from what a clerk types (、，, ; or spaces between them), without repeats."""
    parts = re.split(r"[、，,;；\s]+", text or "")
    return list(dict.fromkeys(p for p in (x.strip() for x in parts) if p))


def _validated(data: ExpertInput) -> dict[str, object]:
    fields = split_fields(data.fields)
    if not fields:
        raise PlatformError("请至少填写一个专业领域")
    phone = (data.phone or "").strip()
    if phone and "*" in phone:
        raise PlatformError("电话号码已被遮盖，无法按遮盖后的号码保存")
    if phone and not PHONE.match(phone):
        raise PlatformError("电话号码格式不正确（手机 11 位，或区号-号码）")
    return {"name": clean(data.name, "专家姓名", 40), "organisation": clean(data.organisation, "工作单位", 120, False),
            "title": clean(data.title, "职称", 60, False), "fields": clean("、".join(fields), "专业领域", 200),
            "phone": phone, "user_id": (data.user_id or "").strip(), "active": bool(data.active)}


def add_expert(session: Session, actor: Actor, data: ExpertInput) -> Expert:
    require(actor, P_BUDGET_PLAN, "维护专家库")
    values = _validated(data)
    dup = session.scalar(select(Expert).where(Expert.name == values["name"], Expert.organisation == values["organisation"],
                                              Expert.deleted.is_(False)))
    if dup is not None:
        raise PlatformError("专家库中已有同名同单位的专家")
    expert = Expert(**values)
    session.add(expert)
    session.flush()
    return expert


def update_expert(session: Session, actor: Actor, expert_id: str, data: ExpertInput) -> Expert:
    """Change an expert; an unchanged masked phone (as a role without ``pii.contact`` sees it) is kept."""
    require(actor, P_BUDGET_PLAN, "维护专家库")
    expert = session.get(Expert, expert_id)
    if expert is None or expert.deleted:
        raise PlatformError("专家不存在")
    phone_kept = "*" in (data.phone or "")
    values = _validated(ExpertInput(**{**data.__dict__, "phone": "" if phone_kept else data.phone}))
    if phone_kept:
        values.pop("phone")
    for key, value in values.items():
        if getattr(expert, key) != value:
            setattr(expert, key, value)
    session.flush()
    return expert


def mask_phone(phone: str) -> str:
    return Expert.sync_masked["phone"].apply(phone) if phone else ""


@dataclass(frozen=True)
class ExpertView:
    id: str
    name: str
    organisation: str
    title: str
    fields: tuple[str, ...]
    phone: str
    active: bool
    user_id: str


def list_experts(engine: Engine, viewer: Actor, field: str = "", text: str = "",
                 include_inactive: bool = False) -> list[ExpertView]:
    """Experts, optionally those with a field of expertise containing ``field``, or ``text`` in name/unit."""
    q = select(Expert).where(Expert.deleted.is_(False)).order_by(Expert.name, Expert.id)
    if not include_inactive:
        q = q.where(Expert.active.is_(True))
    if field.strip():
        q = q.where(Expert.fields.contains(field.strip(), autoescape=True))
    if text.strip():
        q = q.where(or_(*(c.contains(text.strip(), autoescape=True) for c in (Expert.name, Expert.organisation))))
    see_phone = viewer.can(P_PII_CONTACT)
    with reading(engine) as conn, Session(conn) as s:
        return [ExpertView(e.id, e.name, e.organisation, e.title, tuple(split_fields(e.fields)),
                           e.phone if see_phone else mask_phone(e.phone), e.active, e.user_id)
                for e in s.scalars(q)]


@dataclass(frozen=True)
class DeputyView:
    id: str
    name: str
    delegation: str
    organisation: str
    expertise: tuple[str, ...]
    phone: str
    id_number: str


def list_deputies(engine: Engine, viewer: Actor, field: str = "", text: str = "") -> list[DeputyView]:
    """Deputies of the registry (代表库) with their fields of expertise; contacts masked by role."""
    q = select(Deputy).where(Deputy.deleted.is_(False)).order_by(Deputy.delegation, Deputy.name, Deputy.id)
    if field.strip():
        q = q.where(Deputy.expertise.contains(field.strip(), autoescape=True))
    if text.strip():
        q = q.where(or_(*(c.contains(text.strip(), autoescape=True)
                          for c in (Deputy.name, Deputy.delegation, Deputy.organisation))))
    masks = Deputy.sync_masked
    see_phone, see_id = viewer.can(P_PII_CONTACT), viewer.can(P_PII_IDENTITY)

    def shown(col: str, value: str, allowed: bool) -> str:
        rule = masks.get(col)
        return value if allowed or rule is None or not value else str(rule.apply(value))

    with reading(engine) as conn, Session(conn) as s:
        return [DeputyView(d.id, d.name, d.delegation, d.organisation, tuple(split_fields(d.expertise)),
                           shown("phone", d.phone, see_phone), shown("id_number", d.id_number, see_id))
                for d in s.scalars(q)]


def known_fields(engine: Engine) -> list[str]:
    """Every field of expertise named in the two registries, for the filter box."""
    with reading(engine) as conn:
        texts = list(conn.scalars(select(Expert.fields).where(Expert.deleted.is_(False))))
        texts += list(conn.scalars(select(Deputy.expertise).where(Deputy.deleted.is_(False))))
    return sorted({f for t in texts for f in split_fields(t or "")})
