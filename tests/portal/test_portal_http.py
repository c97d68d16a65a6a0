"""The portal over real HTTP (uvicorn on 127.0.0.1): pages, validation, CSRF, uploads, tracking, limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.petition.intake import (
    PetPortalOtp,
    PetPortalRating,
    PetSubmission,
    PetSubmissionFile,
    format_code,
    import_submissions,
    new_tracking_code,
    otp_hash,
)
from core.petition.models import PetCase, PetPetitioner, PetTransition
from tests.portal.conftest import GOOD_FORM, PDF, PNG, Visitor, running_portal

ServerSession = Callable[[], AbstractContextManager[Session]]
PAGES = ["/", "/guide", "/submit", "/track", "/stats", "/privacy"]


def _count(server_session: ServerSession, model: type) -> int:
    with server_session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def _strip_token(html: str) -> str:
    return re.sub(r'name="csrf" value="[^"]+"', "", html)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_chinese_and_carries_the_security_headers(visitor: Visitor, path: str) -> None:
    answer = visitor.get(path)
    assert answer.status_code == 200
    assert '<html lang="zh-CN">' in answer.text and "信访" in answer.text
    headers = answer.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in answer.text and "http://" not in answer.text.replace(visitor.base, "")


def test_unknown_pages_and_methods_answer_in_chinese(visitor: Visitor) -> None:
    assert visitor.get("/nowhere").status_code == 404
    assert "找不到" in visitor.get("/nowhere").text
    wrong = visitor.http.delete(visitor.base + "/submit", timeout=30)
    assert wrong.status_code == 405 and "无法这样访问" in wrong.text


def test_a_submission_is_committed_before_the_receipt(visitor: Visitor, server_session: ServerSession) -> None:
    answer = visitor.submit(files=[("files", ("现场照片.png", PNG, "image/png")), ("files", ("材料.pdf", PDF, "application/pdf"))])
    assert answer.status_code == 303 and answer.headers["location"] == "/receipt"
    assert "samesite=strict" in answer.headers["set-cookie"].lower()
    with server_session() as s:
        sub = s.execute(select(PetSubmission)).scalar_one()
        files = s.execute(select(PetSubmissionFile)).scalars().all()
    receipt = visitor.get("/receipt").text
    assert sub.tracking_code in receipt and "138****5678" in receipt and "短信" in receipt
    assert sub.status == "accepted" and sub.name == "张三" and sub.phone == "13812345678"
    assert sorted((f.filename, f.mime, f.data) for f in files) == [("材料.pdf", "application/pdf", PDF),
                                                                   ("现场照片.png", "image/png", PNG)]
    progress = visitor.get("/progress")  # the submitter may look at once, before a case is made of it
    assert progress.status_code == 200 and "已提交，等待登记" in progress.text


def test_field_errors_are_chinese_and_keep_what_was_typed(visitor: Visitor, server_session: ServerSession) -> None:
    answer = visitor.submit(phone="1234", subject="<script>alert(1)</script>", content="太短", consent="",
                            id_number="31010119900101123", district="999")
    assert answer.status_code == 400
    html = answer.text
    for message in ("手机号码应为 11 位数字", "反映内容至少 20 个字", "请阅读并同意个人信息保护说明", "身份证号码应为 18 位",
                    "请选择反映事项所在的区"):
        assert message in html
    assert 'value="1234"' in html and ">太短</textarea>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'aria-invalid="true"' in html and 'href="#f-phone"' in html
    assert _count(server_session, PetSubmission) == 0


@pytest.mark.parametrize("token", ["", "forged", "stale-from-another-site.1700000000.AAAA"])
def test_a_forged_or_missing_csrf_token_changes_nothing(visitor: Visitor, server_session: ServerSession,
                                                        token: str) -> None:
    visitor.get("/submit")  # the visitor has a real cookie; the attacker's form carries another value
    answer = visitor.post("/submit", GOOD_FORM, token=token)
    assert answer.status_code == 403 and "页面已过期" in answer.text
    assert GOOD_FORM["subject"] in answer.text  # what was typed is still there
    fresh = requests.post(visitor.base + "/submit", data=dict(GOOD_FORM, csrf=visitor.csrf()), timeout=30,
                          allow_redirects=False)  # no cookie at all: a cross-site post
    assert fresh.status_code == 403
    assert _count(server_session, PetSubmission) == 0


@pytest.mark.parametrize(("upload", "words"), [
    (("说明.pdf", b"MZ\x90\x00 this is a program", "application/pdf"), "内容不是PDF文件"),
    (("photo.jpg", PNG, "image/jpeg"), "内容不是JPG文件"),
    (("run.exe", b"MZ\x90\x00", "application/octet-stream"), "只接受 PDF、JPG、PNG"),
    (("empty.png", b"", "image/png"), "空文件"),
    (("big.png", PNG + b"\x00" * (2 * 1024 * 1024), "image/png"), "超过每个附件"),
])
def test_wrong_type_and_oversized_files_are_refused(portal_db: str, server_session: ServerSession,
                                                    upload: tuple[str, bytes, str], words: str) -> None:
    with running_portal(portal_db, rate_limits=False, max_file_bytes=1024 * 1024) as visitor:
        answer = visitor.submit(files=[("files", upload)])
    assert answer.status_code == 400 and words in answer.text and "请重新选择附件" in answer.text
    assert GOOD_FORM["content"] in answer.text
    assert _count(server_session, PetSubmission) == 0


def test_too_many_files_are_refused(visitor: Visitor, server_session: ServerSession) -> None:
    answer = visitor.submit(files=[("files", (f"{i}.png", PNG, "image/png")) for i in range(4)])
    assert answer.status_code == 400 and "最多上传 3 个附件" in answer.text
    assert _count(server_session, PetSubmission) == 0


def test_an_oversized_request_gets_a_chinese_413(portal_db: str, server_session: ServerSession) -> None:
    with running_portal(portal_db, rate_limits=False, max_request_bytes=256 * 1024) as visitor:
        answer = visitor.submit(files=[("files", ("big.pdf", b"%PDF-" + b"0" * 400 * 1024, "application/pdf"))])
        assert answer.status_code == 413 and "提交的内容过大" in answer.text

        def chunks():  # no Content-Length: the limit counts what arrives
            yield (b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n'
                   b"Content-Type: application/pdf\r\n\r\n%PDF-")
            for _ in range(40):
                yield b"x" * 16384

        streamed = visitor.http.post(visitor.base + "/submit", data=chunks(), timeout=30,
                                     headers={"content-type": "multipart/form-data; boundary=xyz"})
        assert streamed.status_code == 413
    assert _count(server_session, PetSubmission) == 0


@pytest.mark.parametrize("body", [
    b"--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\xe5\xbc\xa0",  # truncated, no end
    b"garbage without any boundary",
    b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n",  # headers cut off
])
def test_malformed_multipart_bodies_get_a_chinese_page(visitor: Visitor, server_session: ServerSession,
                                                       body: bytes) -> None:
    visitor.csrf()
    answer = visitor.http.post(visitor.base + "/submit", data=body, timeout=30, allow_redirects=False,
                               headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert (answer.status_code in (400, 403) and "请求无法处理" in answer.text) or "页面已过期" in answer.text
    assert answer.status_code < 500
    assert _count(server_session, PetSubmission) == 0


def test_unknown_guessed_and_wrong_phone_get_the_same_answer(visitor: Visitor) -> None:
    code = visitor.submitted_code()
    guessed = new_tracking_code()  # a well-formed code nobody was given
    answers = [visitor.post("/track", {"code": c, "last4": d}) for c, d in
               ((code, "0000"), (guessed, "5678"), (guessed, "0000"))]
    assert {a.status_code for a in answers} == {400}
    assert len({_strip_token(a.text).replace(code, "X").replace(guessed, "X") for a in answers}) == 1
    assert "查询码或手机号码后四位不正确" in answers[0].text
    right = visitor.post("/track", {"code": code.lower().replace("-", " "), "last4": "5678"})
    assert right.status_code == 303 and right.headers["location"] == "/progress"
    assert code not in right.headers["location"]


def test_a_mistyped_code_is_caught_by_its_check_symbol(visitor: Visitor) -> None:
    code = visitor.submitted_code()
    symbols = code.replace("-", "")
    swapped = next(symbols[:i] + symbols[i + 1] + symbols[i] + symbols[i + 2:] for i in range(16)
                   if symbols[i] != symbols[i + 1])
    answer = visitor.post("/track", {"code": format_code(swapped), "last4": "5678"})
    assert answer.status_code == 400 and "校验不符" in answer.text


def test_tracking_is_rate_limited_per_address(portal_db: str) -> None:
    with running_portal(portal_db, track_per_10min=6) as visitor:
        statuses = [visitor.post("/track", {"code": new_tracking_code(), "last4": "1234"}).status_code
                    for _ in range(6)]
    assert statuses[:3] == [400, 400, 400] and statuses[-1] == 429


def test_submissions_are_rate_limited_per_address(portal_db: str, server_session: ServerSession) -> None:
    with running_portal(portal_db, submit_per_hour=4) as visitor:
        statuses = [visitor.submit().status_code for _ in range(3)]
        limited = visitor.submit()
    assert statuses == [303, 303, 429] and "过于频繁" in limited.text and GOOD_FORM["subject"] in limited.text
    assert _count(server_session, PetSubmission) == 2


def test_the_bridge_makes_cases_and_the_progress_rating_cycle(visitor: Visitor, server_session: ServerSession) -> None:
    code = visitor.submitted_code()
    with server_session() as s:
        assert import_submissions(s)["cases"] == 1
    with server_session() as s:
        case = s.execute(select(PetCase)).scalar_one()
        person = s.get(PetPetitioner, case.petitioner_id)
        assert person is not None and person.phone == "13812345678"
        assert (case.channel, case.state, case.tracking_code) == ("网上", "registered", code)
        assert s.execute(select(PetSubmission.status)).scalar_one() == "imported"
        # Registered through the petition service: the routing clock runs and the history has its first step.
        assert case.due_on is not None and case.due_on > case.received_on
        assert s.execute(select(PetTransition.action, PetTransition.actor)).all() == [("register", "portal")]
    assert visitor.post("/track", {"code": code, "last4": "5678"}).status_code == 303
    page = visitor.get("/progress").text
    assert "已登记" in page and case.code in page and "张三" not in page and "13812345678" not in page
    assert "评价办理结果" not in page
    refused = visitor.post("/rate", {"satisfaction": "满意", "comment": ""})
    assert refused.status_code == 400 and "答复之后才能评价" in refused.text
    with server_session() as s:
        s.execute(update(PetCase).values(state="answered", answered_on=date(2026, 12, 1),
                                         answer_summary="经核查，施工单位已调整作业时间。"))
    page = visitor.get("/progress").text
    assert "施工单位已调整作业时间" in page and "评价办理结果" in page
    bad = visitor.post("/rate", {"satisfaction": "非常好", "comment": "x"})
    assert bad.status_code == 400 and "请选择满意、基本满意或不满意" in bad.text
    done = visitor.post("/rate", {"satisfaction": "基本满意", "comment": "处理及时"})
    assert done.status_code == 303
    assert "感谢您的评价" in visitor.get(done.headers["location"]).text
    again = visitor.post("/rate", {"satisfaction": "不满意", "comment": ""})
    assert again.status_code == 400 and "已经评价过" in again.text
    with server_session() as s:
        assert import_submissions(s)["ratings"] == 1
    with server_session() as s:
        case = s.execute(select(PetCase)).scalar_one()
        assert case.satisfaction == "基本满意" and case.rated_on is not None and case.state == "rated"
        assert s.execute(select(PetPortalRating.status)).scalar_one() == "imported"
        assert [a for (a,) in s.execute(select(PetTransition.action).order_by(PetTransition.at))] == ["register", "rate"]


def test_tracking_with_a_one_time_sms_code(visitor: Visitor, server_session: ServerSession) -> None:
    code = visitor.submitted_code()
    with server_session() as s:
        import_submissions(s)
    visitor.http.cookies.clear()
    sent = visitor.post("/track/sms", {"code": code})
    unknown = visitor.post("/track/sms", {"code": new_tracking_code()})
    assert sent.status_code == unknown.status_code == 200 and "验证码短信将在一两分钟内发送" in sent.text
    with server_session() as s:
        counts = import_submissions(s)
        assert counts["otps"] == 1 and counts["refused"] == 1
        s.execute(update(PetPortalOtp).where(PetPortalOtp.status == "sent")
                  .values(code_hash=otp_hash(code, "246810")))
    wrong = visitor.post("/track/otp", {"code": code, "otp": "111111"})
    assert wrong.status_code == 400 and "验证码不正确或已过期" in wrong.text
    right = visitor.post("/track/otp", {"code": code, "otp": "246810"})
    assert right.status_code == 303 and visitor.get("/progress").status_code == 200
    reused = visitor.post("/track/otp", {"code": code, "otp": "246810"})
    assert reused.status_code == 400


def test_statistics_show_counts_only(visitor: Visitor, server_session: ServerSession) -> None:
    visitor.submitted_code()
    visitor.submitted_code(district="310115", name="李四", phone="13900001111")
    with server_session() as s:
        import_submissions(s)
    page = visitor.get("/stats").text
    assert "浦东新区" in page and "徐汇区" in page and "共登记信访事项 <strong>2</strong> 件" in page
    assert "张三" not in page and "李四" not in page


text_or_junk = st.one_of(st.text(max_size=80), st.sampled_from(["", " ", "\x00", "１３８１２３４５６７８", "'; DROP TABLE x;--"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({k: text_or_junk for k in ("name", "phone", "id_number", "address", "district",
                                                         "kind", "subject", "content", "persons", "consent")}))
def test_no_form_input_gives_a_server_error(visitor: Visitor, form: dict[str, str]) -> None:
    answer = visitor.submit(**form)
    assert answer.status_code in (303, 400), answer.text[:300]
    tracked = visitor.post("/track", {"code": form["subject"], "last4": form["phone"]})
    assert tracked.status_code in (303, 400)


@pytest.mark.warnings_expected
def test_a_broken_database_gives_a_chinese_page_not_a_500(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    with running_portal(f"sqlite:///{empty}", rate_limits=False) as visitor:
        stats = visitor.get("/stats")
        sent = visitor.submit()
    for answer in (stats, sent):
        assert answer.status_code == 503 and "服务暂时不可用" in answer.text
        assert "Traceback" not in answer.text and "sqlite" not in answer.text.lower()
        assert "frame-ancestors" in answer.headers["content-security-policy"]
