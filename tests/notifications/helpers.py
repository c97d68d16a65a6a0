"""A server database with a petitioner to notify, and a clock the tests move."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_session_factory
from core.notifications import queue_sms, register_template
from core.notifications.dispatch import Dispatcher, DispatchSettings
from core.notifications.gateway import Gateway
from core.notifications.models import NtfMessage
from core.petition.models import PetPetitioner
from core.sync.stamping import ensure_counter, install_server_hooks

ACCEPTED = register_template("test.petition.accepted", "{name}您好：您的信访件{code}已受理，请留意后续答复。",
                             "测试：信访件受理告知")
LONG = register_template("test.long", "{body}", "测试：长短信")


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Outbox:
    engine: Engine
    factory: sessionmaker[Session]
    clock: Clock = field(default_factory=Clock)

    @classmethod
    def open(cls, url: str) -> Outbox:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        install_server_hooks(factory)
        with factory() as s, s.begin():
            ensure_counter(s)
        return cls(engine, factory)

    def petitioner(self, phone: str | None = "13800138000", name: str = "张三") -> str:
        with self.factory() as s, s.begin():
            person = PetPetitioner(name=name, phone=phone)
            s.add(person)
            s.flush()
            return person.id

    def queue(self, petitioner_id: str, dedup: str, **params: Any) -> str:
        with self.factory() as s, s.begin():
            msg = queue_sms(s, template_key=params.pop("template", ACCEPTED.key),
                            params=params or {"name": "张三", "code": "X2026-0001"},
                            recipient=("pet_petitioner", petitioner_id, "phone"), scope="petition",
                            dedup_key=dedup, queued_at=self.clock())
            return msg.id

    def dispatcher(self, gateway: Gateway, **settings: Any) -> Dispatcher:
        values: dict[str, Any] = {"base_delay": 30.0, "jitter": 0.2, **settings}
        return Dispatcher(self.factory, gateway, DispatchSettings(**values), clock=self.clock, rng=lambda: 0.5)

    def message(self, message_id: str) -> NtfMessage:
        with self.factory() as s:
            msg = s.scalar(select(NtfMessage).where(NtfMessage.id == message_id))
            assert msg is not None
            s.expunge(msg)
            return msg
