"""Batch work on a group of people chosen in the register: a greeting SMS to each (through the notifications
outbox, :mod:`core.cadre.greetings`), address labels (:mod:`core.cadre.labels`), and the checks of a greeting
template an administrator saves.

:func:`sms_plan` says before anything is queued who gets which text and who is skipped and why (deceased, no
mobile); :func:`queue_plan` queues the plan in one transaction, so a cancelled or failed run queues nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cadre.greetings import check_template, queue_greeting, render
from core.cadre.labels import Recipient
from core.cadre.models import CadPerson, CadSmsTemplate
from core.notifications.templates import TemplateError

CHUNK = 500


@dataclass
class SmsPlan:
    send: list[tuple[CadPerson, str]] = field(default_factory=list)
    """(person, filled-in text) of everyone who gets the message."""
    skipped: list[tuple[CadPerson, str]] = field(default_factory=list)
    """(person, reason in Chinese) of everyone left out."""


def load_people(session: Session, person_ids: Sequence[str]) -> list[CadPerson]:
    """The people of ``person_ids`` in that order (deleted ones left out), read in chunks."""
    found: dict[str, CadPerson] = {}
    for start in range(0, len(person_ids), CHUNK):
        chunk = list(person_ids[start:start + CHUNK])
        for person in session.scalars(select(CadPerson).where(CadPerson.id.in_(chunk),
                                                              CadPerson.deleted.is_(False))):
            found[person.id] = person
    return [found[i] for i in person_ids if i in found]


def sms_plan(text: str, people: Iterable[CadPerson], today: date) -> SmsPlan:
    """Who gets the greeting ``text`` and what it says for them; refuses a bad template
    (:class:`TemplateError`) before looking at anyone."""
    check_template(text)
    plan = SmsPlan()
    for person in people:
        if not person.alive:
            plan.skipped.append((person, "已故"))
        elif not (person.phone_mobile or "").strip():
            plan.skipped.append((person, "未登记手机号"))
        else:
            plan.send.append((person, render(text, person, today)))
    return plan


def queue_plan(session: Session, template: CadSmsTemplate, plan: SmsPlan, today: date,
               progress: Callable[[int, int], None] | None = None) -> int:
    """Queue the greeting for everyone in ``plan.send`` in ``session``'s transaction (the caller commits);
    ``progress(done, total)`` may raise to stop, and then the caller's rollback queues nothing."""
    total = len(plan.send)
    for n, (person, _text) in enumerate(plan.send, 1):
        queue_greeting(session, template, person, today)
        if progress is not None and (n % 50 == 0 or n == total):
            progress(n, total)
    return total


def label_recipients(people: Iterable[CadPerson]) -> tuple[list[Recipient], list[CadPerson]]:
    """The labels of the people with an address, and the people without one."""
    labels: list[Recipient] = []
    missing: list[CadPerson] = []
    for person in people:
        address = (person.address or "").strip()
        if address:
            labels.append(Recipient(person.name, address, person.postcode or ""))
        else:
            missing.append(person)
    return labels, missing


def check_sms_template(session: Session, code: str, title: str, occasion: str, text: str,
                       template_id: str | None = None) -> None:
    """Refuse a greeting template an administrator is about to save, with a Chinese message
    (:class:`TemplateError`): code, title and occasion given and not too long, the code not used by another
    template, and the text as :func:`core.cadre.greetings.check_template` wants it."""
    if not code.strip():
        raise TemplateError("请填写模板编码")
    if len(code.strip()) > 32:
        raise TemplateError("模板编码不能超过 32 个字符")
    if not title.strip():
        raise TemplateError("请填写模板名称")
    if len(title.strip()) > 60:
        raise TemplateError("模板名称不能超过 60 个字")
    if not occasion.strip():
        raise TemplateError("请填写使用场合，例如 生日")
    if len(occasion.strip()) > 10:
        raise TemplateError("使用场合不能超过 10 个字")
    other = session.scalar(select(CadSmsTemplate.id).where(CadSmsTemplate.code == code.strip(),
                                                           CadSmsTemplate.deleted.is_(False)))
    if other is not None and other != template_id:
        raise TemplateError(f"模板编码“{code.strip()}”已被其他模板使用")
    check_template(text)
