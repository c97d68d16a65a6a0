"""Greeting SMS to retirees (问候短信) from the templates an administrator keeps (``cad_sms_template``).

A template's text uses the placeholders of :data:`PLACEHOLDERS`; any other placeholder, or broken braces,
is refused with a Chinese message naming it (:class:`~core.notifications.templates.TemplateError`). The
text is filled in for each person here and queued through the notifications outbox under the one code
template :data:`GREETING` (``{text}``), addressed to the person's mobile (``cad_person.phone_mobile``, read
by the server when it sends, so the clerk's laptop never needs the number). Queueing the same template for
the same person on the same day again gives the same message, sent once.
"""

from __future__ import annotations

import string
from datetime import date

from sqlalchemy.orm import Session

from core.cadre.models import CadPerson, CadSmsTemplate
from core.cadre.scopes import RECORD_SCOPE
from core.notifications.models import NtfMessage
from core.notifications.outbox import queue_sms
from core.notifications.templates import TemplateError, register_template

GREETING = "cadre.greeting"
register_template(GREETING, "{text}", "老干部问候短信（管理员维护的模板，按人填好）")

PLACEHOLDERS = {
    "姓名": "姓名，例如 王文华",
    "称呼": "尊称：姓加“老”，例如 王老",
    "岁数": "今年的岁数（按出生年份）",
    "日期": "发送日期，例如 12月5日",
}
MAX_LENGTH = 200


def placeholders(text: str) -> list[str]:
    """The placeholders a template text uses; refuses braces that do not pair and unknown names."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplateError("模板的花括号不成对：占位符应写成 {姓名} 这样的形式") from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            known = "、".join(f"{{{k}}}" for k in PLACEHOLDERS)
            raise TemplateError(f"模板中的占位符“{{{name}}}”不认识，可以使用：{known}")
        if name not in names:
            names.append(name)
    return names


def check_template(text: str) -> None:
    """Refuse a template text an administrator is about to save (empty, too long, unknown placeholders)."""
    if not text.strip():
        raise TemplateError("短信模板的内容不能为空")
    if "\n" in text:
        raise TemplateError("短信模板的内容不能换行")
    if len(text) > MAX_LENGTH:
        raise TemplateError(f"短信模板的内容不能超过 {MAX_LENGTH} 个字")
    placeholders(text)


def values_for(person: CadPerson, today: date) -> dict[str, str]:
    """The placeholders' values for a person."""
    age = today.year - person.birth_date.year if person.birth_date else None
    return {
        "姓名": person.name,
        "称呼": f"{person.name[:1]}老" if person.name else "",
        "岁数": str(age) if age is not None else "",
        "日期": f"{today.month}月{today.day}日",
    }


def render(text: str, person: CadPerson, today: date) -> str:
    """The template filled in for a person."""
    check_template(text)
    filled = text.format_map(values_for(person, today))
    if len(filled) > MAX_LENGTH:
        raise TemplateError(f"为{person.name}填好的短信超过 {MAX_LENGTH} 个字，请缩短模板")
    return filled


def queue_greeting(session: Session, template: CadSmsTemplate, person: CadPerson, today: date) -> NtfMessage:
    """Queue the greeting for one person in ``session``'s transaction (the caller commits)."""
    if not template.active:
        raise TemplateError(f"短信模板“{template.title}”已停用")
    if not person.alive:
        raise TemplateError(f"{person.name}已去世，不发送问候短信")
    if not person.phone_mobile:
        raise TemplateError(f"{person.name}没有登记手机号")
    text = render(template.text, person, today)
    return queue_sms(session, template_key=GREETING, params={"text": text},
                     recipient=("cad_person", person.id, "phone_mobile"), scope=RECORD_SCOPE,
                     dedup_key=f"cadre.greeting:{template.id}:{person.id}:{today.isoformat()}")
