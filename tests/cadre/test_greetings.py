"""Greeting SMS from the administrator's templates: placeholders, refusals in Chinese, and a greeting
queued on the clerk's laptop that reaches the real Kannel gateway (fakesmsc) through the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.cadre.greetings import PLACEHOLDERS, check_template, queue_greeting, render
from core.cadre.models import CadPerson, CadSmsTemplate
from core.notifications.kannel import KannelGateway
from core.notifications.models import QUEUED, SENT, NtfMessage
from core.notifications.templates import TemplateError
from tests.helpers.kannel import Kannel
from tests.helpers.waits import wait_for
from tests.notifications.conftest import kannel  # noqa: F401  (the real gateway fixture)
from tests.notifications.helpers import Outbox
from tests.sync.harness import World

TODAY = date(2026, 12, 5)
BIRTHDAY = "【上海人大】尊敬的{称呼}：值此{岁数}岁寿辰之际，谨致以衷心祝福！祝您健康长寿。"


def _person(**more: object) -> CadPerson:
    values: dict[str, object] = {"name": "王文华", "gender": "男", "birth_date": date(1936, 1, 26),
                                 "phone_mobile": "13912345678", "alive": True}
    values.update(more)
    return CadPerson(**values)


def test_a_template_is_filled_in_for_the_person() -> None:
    assert render(BIRTHDAY, _person(), TODAY) == "【上海人大】尊敬的王老：值此90岁寿辰之际，谨致以衷心祝福！祝您健康长寿。"
    assert render("{姓名}同志，{日期}好", _person(), TODAY) == "王文华同志，12月5日好"


@pytest.mark.parametrize(("text", "words"), [
    ("尊敬的{名字}：生日快乐", "占位符“{名字}”不认识，可以使用：{姓名}、{称呼}、{岁数}、{日期}"),
    ("尊敬的{称呼：生日快乐", "花括号不成对"),
    ("尊敬的{称呼!r}", "不认识"),
    ("", "不能为空"),
    ("第一行\n第二行", "不能换行"),
    ("长" * 201, "不能超过 200 个字"),
])
def test_a_bad_template_is_refused_in_chinese(text: str, words: str) -> None:
    with pytest.raises(TemplateError) as caught:
        check_template(text)
    assert words in str(caught.value)


@given(st.text(alphabet="abc姓名称呼岁数日期xyz_", min_size=1, max_size=6))
def test_only_the_known_placeholders_are_accepted(name: str) -> None:
    text = f"您好{{{name}}}"
    if name in PLACEHOLDERS:
        check_template(text)
    else:
        with pytest.raises(TemplateError):
            check_template(text)


def test_no_greeting_for_the_deceased_or_without_a_mobile() -> None:
    template = CadSmsTemplate(code="birthday", title="生日祝福", text=BIRTHDAY, active=True)
    with pytest.raises(TemplateError, match="已去世"):
        queue_greeting(None, template, _person(alive=False), TODAY)  # type: ignore[arg-type]
    with pytest.raises(TemplateError, match="没有登记手机号"):
        queue_greeting(None, template, _person(phone_mobile=None), TODAY)  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path, f"sqlite:///{tmp_path / 'server.sqlite3'}")
    yield w
    w.close()


def test_a_greeting_queued_on_the_laptop_is_sent_through_kannel(world: World, kannel: Kannel) -> None:  # noqa: F811
    with world.factory() as s, s.begin():
        template = CadSmsTemplate(code="birthday", title="生日祝福", occasion="生日", text=BIRTHDAY, active=True)
        person = _person()
        s.add_all([template, person])
        s.flush()
        template_id, person_id = template.id, person.id
    clerk = world.client(world.add_user("clerk", "cadre_clerk"))
    assert not clerk.sync().rejected
    with clerk.store.session() as s, s.begin():
        local_template = s.get(CadSmsTemplate, template_id)
        local_person = s.get(CadPerson, person_id)
        assert local_template is not None and local_person is not None
        first = queue_greeting(s, local_template, local_person, TODAY).id
        assert queue_greeting(s, local_template, local_person, TODAY).id == first  # the same day: once
    report = clerk.sync()
    assert not report.rejected, report.summary()
    outbox = Outbox(world.engine, world.factory)
    assert outbox.message(first).status == QUEUED
    outbox.dispatcher(KannelGateway.from_url(kannel.gateway_url)).run_once()
    wait_for(lambda: len(kannel.received()) >= 1, what="the greeting")
    [got] = kannel.received()
    assert (got.to, got.text) == ("13912345678", "【上海人大】尊敬的王老：值此90岁寿辰之际，谨致以衷心祝福！祝您健康长寿。")
    clerk.sync()
    with clerk.store.session() as s:
        local = s.get(NtfMessage, first)
        assert local is not None and local.status == SENT
