"""Batch work on a chosen group: who gets a greeting and who is skipped, queueing in one transaction, the
labels of the people with an address, and the checks of a template an administrator saves."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cadre.batch import check_sms_template, label_recipients, load_people, queue_plan, sms_plan
from core.cadre.models import CadPerson, CadSmsTemplate
from core.db import make_engine, make_session_factory
from core.notifications.models import NtfMessage
from core.notifications.templates import TemplateError
from tests.helpers.sqlite import copy_of

TODAY = date(2026, 12, 5)
TEXT = "尊敬的{称呼}：祝您{岁数}岁生日快乐！"


def _people() -> list[CadPerson]:
    return [CadPerson(id="a", name="王文华", birth_date=date(1936, 1, 26), phone_mobile="13912345678", alive=True,
                      address="上海市黄浦区人民大道200号", postcode="200003"),
            CadPerson(id="b", name="李秀英", birth_date=date(1950, 2, 1), phone_mobile="", address="", alive=True),
            CadPerson(id="c", name="张国华", birth_date=date(1940, 3, 1), phone_mobile="13900000001",
                      alive=False, died_on=date(2025, 1, 1), address="上海市静安区1号")]


def test_the_plan_fills_the_text_in_and_says_who_is_skipped() -> None:
    plan = sms_plan(TEXT, _people(), TODAY)
    assert [(p.name, text) for p, text in plan.send] == [("王文华", "尊敬的王老：祝您90岁生日快乐！")]
    assert [(p.name, why) for p, why in plan.skipped] == [("李秀英", "未登记手机号"), ("张国华", "已故")]
    with pytest.raises(TemplateError, match=re.escape("占位符“{名字}”不认识")):
        sms_plan("{名字}您好", _people(), TODAY)


def test_labels_only_for_people_with_an_address() -> None:
    labels, missing = label_recipients(_people())
    assert [(r.name, r.address, r.postcode) for r in labels] == [
        ("王文华", "上海市黄浦区人民大道200号", "200003"), ("张国华", "上海市静安区1号", "")]
    assert [p.name for p in missing] == ["李秀英"]


def test_queueing_a_plan_and_a_stopped_run_queues_nothing(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 's.sqlite3')}")
    factory = make_session_factory(engine)
    with factory.begin() as s:
        s.add_all([*_people(), CadSmsTemplate(id="t1", code="SR", title="生日祝福", text=TEXT)])
    with factory() as s:
        assert [p.id for p in load_people(s, ["c", "x", "a"])] == ["c", "a"]

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), factory.begin() as s:
        template = s.get(CadSmsTemplate, "t1")
        assert template is not None
        queue_plan(s, template, sms_plan(TEXT, load_people(s, ["a", "b", "c"]), TODAY), TODAY, stop)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(NtfMessage)) == 0
    with factory.begin() as s:
        template = s.get(CadSmsTemplate, "t1")
        assert template is not None
        assert queue_plan(s, template, sms_plan(TEXT, load_people(s, ["a", "b", "c"]), TODAY), TODAY) == 1
    with factory() as s:
        [message] = s.scalars(select(NtfMessage)).all()
        assert (message.recipient_id, message.params) == ("a", {"text": "尊敬的王老：祝您90岁生日快乐！"})
    engine.dispose()


def test_a_template_to_save_is_checked(migrated_sqlite: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{copy_of(migrated_sqlite, tmp_path / 's.sqlite3')}")
    factory = make_session_factory(engine)
    with factory.begin() as s:
        s.add(CadSmsTemplate(id="t1", code="SR", title="生日祝福", text=TEXT))
    with factory() as s:
        check_sms_template(s, "SR", "生日祝福", "生日", TEXT, "t1")  # the template itself keeps its code
        check_sms_template(s, "CJ", "春节问候", "春节", "{姓名}同志：春节好！", None)
        for args, words in ((("SR", "另一个", "生日", TEXT, None), "编码“SR”已被其他模板使用"),
                            (("", "名", "生日", TEXT, None), "请填写模板编码"),
                            (("X", "", "生日", TEXT, None), "请填写模板名称"),
                            (("X", "名", "", TEXT, None), "请填写使用场合"),
                            (("X", "名", "生日", "{名字}好", None), "占位符“{名字}”不认识")):
            with pytest.raises(TemplateError, match=re.escape(words)):
                check_sms_template(s, *args)
    engine.dispose()


def test_the_analysis_on_paper_continues_a_long_table_on_the_next_page() -> None:
    import subprocess

    from core.cadre.analysis_report import Section, analysis_pdf

    rows = [[f"活动{n:03d}", "2026-01-01", "10", "8", "80.0%"] for n in range(80)]
    pdf = analysis_pdf("老干部情况分析", "健在 3 人。", [
        Section("年龄结构", ["年龄段", "人数"], [["70–79 岁", "2"]], [("70–79 岁", 2, "2")]),
        Section("活动出勤", ["活动", "日期", "报名", "出席", "出席率"], rows, [(r[0], 8, "8") for r in rows])])
    pages = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
                           ).stdout.decode().split("\f")
    text = "\f".join(pages)
    assert all(f"活动{n:03d}" in text for n in range(80))
    assert sum("出席率" in page for page in pages) >= 2  # the header again on the next page
    assert "第2页" in text.replace(" ", "")
