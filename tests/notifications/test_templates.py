"""Templates, parameters and the SMS length rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.notifications import TemplateError, register_template, render, sms_parts, split_sms
from core.notifications.sms import GSM_BASIC, is_gsm7

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
GSM = st.sampled_from(sorted(GSM_BASIC))


def test_one_chinese_message_holds_70_characters_and_parts_hold_67() -> None:
    assert sms_parts("") == 0
    assert sms_parts("您" * 70) == 1
    assert sms_parts("您" * 71) == 2
    assert [len(p) for p in split_sms("您" * 134)] == [67, 67]
    assert sms_parts("您" * 135) == 3


def test_gsm_text_holds_160_and_parts_hold_153() -> None:
    assert sms_parts("a" * 160) == 1
    assert [len(p) for p in split_sms("a" * 161)] == [153, 8]
    assert sms_parts("{" * 80) == 1  # extension characters count twice
    assert sms_parts("{" * 81) == 2
    assert not is_gsm7("a您")


@given(st.text(CJK, min_size=1, max_size=400))
def test_chinese_parts_rejoin_and_fit(text: str) -> None:
    parts = split_sms(text)
    assert "".join(parts) == text
    assert len(parts) == (1 if len(text) <= 70 else -(-len(text) // 67))
    assert all(len(p) <= (70 if len(parts) == 1 else 67) for p in parts)


@given(st.text(GSM, min_size=1, max_size=600))
def test_gsm_parts_rejoin_and_fit(text: str) -> None:
    parts = split_sms(text)
    assert "".join(parts) == text
    assert len(parts) == (1 if len(text) <= 160 else -(-len(text) // 153))


@given(st.text(min_size=1, max_size=300))
def test_any_text_splits_without_losing_a_character(text: str) -> None:
    parts = split_sms(text)
    assert "".join(parts) == text
    assert sms_parts(text) == len(parts) >= 1


def test_rendering_fills_the_placeholders() -> None:
    register_template("test.accepted", "您的信访件{code}已由{name}受理。", "测试")
    assert render("test.accepted", {"code": "X2026-001", "name": "信访办"}) == "您的信访件X2026-001已由信访办受理。"


@pytest.mark.parametrize(("params", "message"), [
    ({"code": "1"}, "缺少参数：name"),
    ({"code": "1", "name": "a", "extra": "b"}, "没有参数：extra"),
    ({"code": ["1"], "name": "a"}, "必须是文字或整数"),
    ({"code": "1\n2", "name": "a"}, "过长或含换行"),
])
def test_rendering_refuses_wrong_parameters(params: dict[str, object], message: str) -> None:
    register_template("test.accepted", "您的信访件{code}已由{name}受理。", "测试")
    with pytest.raises(TemplateError, match=message):
        render("test.accepted", params)


@pytest.mark.parametrize(("text", "message"), [
    ("坏的{", "花括号不成对"), ("{0}", "无效"), ("{a.b}", "无效"), ("{a!r}", "无效"), ("{a:>5}", "无效")])
def test_bad_templates_are_refused(text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        register_template("test.bad", text, "坏模板")


def test_an_unknown_template_and_a_changed_text_are_refused() -> None:
    with pytest.raises(TemplateError, match="没有登记短信模板"):
        render("test.nope", {})
    register_template("test.fixed", "固定{x}", "测试")
    register_template("test.fixed", "固定{x}", "测试")  # the same text again is fine
    with pytest.raises(TemplateError, match="已以不同的文字登记"):
        register_template("test.fixed", "另一段{x}", "测试")
