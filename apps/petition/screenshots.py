"""Screenshots of the 信访 desk: the inbox of the clerk, the office head and a committee liaison; a case with
the steps it went through; 督办; the statistics.

The clerk's computer registers a handful of 【演示数据】 cases through the petition service, takes them some steps
along the workflow, queues today's visitors, and syncs; the head and the liaison sync and
see what the server sends them (the liaison: only the cases assigned to the 教科文卫委员会)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.petition.window import create_window
from core.auth.roles import P_PETITION_APPROVE, P_PETITION_CASE, P_PETITION_HANDLE
from core.petition.models import PetCase
from core.petition.reception import take_ticket
from core.petition.reference import seed_reference
from core.petition.service import Actor, CaseInput, PetitionerInput, register_case, transition

DEMO = "【演示数据】"
CASES: tuple[tuple[int, str, tuple[tuple[str, dict[str, str], int], ...], str, str, int], ...] = (
    # days ago received, channel, steps (action, inputs, days ago), subject, category, persons
    (70, "来访", (("route_assign", {"body": "jkww"}, 66), ("accept", {}, 63), ("supervise", {}, 2)),
     "学校周边交通安全隐患长期未整改", "06", 6),
    (13, "来信", (), "旧区改造补偿标准有异议", "04", 1),
    (10, "网上", (("route_assign", {"body": "jkww"}, 6),), "社区卫生服务中心夜间门诊停诊", "06", 1),
    (0, "电话", (), "小区加装电梯意见不一", "07", 1),
    (22, "短信", (("route_transfer", {"body": "szf"}, 21), ("accept", {}, 20)), "公交线路调整后出行不便", "08", 1),
    (45, "来信", (("route_transfer", {"body": "szf"}, 44), ("accept", {}, 40),
                  ("extend", {"days": "30", "reason": "涉及多个部门，需会同核查"}, 12),
                  ("answer", {"answer": "经核查，补贴已于本月发放到位。"}, 3)), "加装电梯补贴迟迟未发放", "07", 1),
)
CASE_SHOWN = 0
"""The case the case page's screenshot shows: a 集体访 assigned, accepted, overdue and supervised."""
VISITORS = (("赵先生", 1, "done"), ("钱女士", 2, "called"), ("孙先生", 6, "waiting"), ("李女士", 1, "waiting"))
OFFICE = Actor.of("petition", {P_PETITION_CASE, P_PETITION_HANDLE, P_PETITION_APPROVE})


def _seed(env: ShotEnv) -> None:
    admin = env.connect("admin")  # the reference tables (receiving bodies …) are the administrator's
    env.sync(admin)
    with admin.store.session() as s, s.begin():
        seed_reference(s)
    env.sync(admin)
    clerk = env.connect("petition")
    env.sync(clerk)
    today = date.today()
    with clerk.store.session() as s, s.begin():
        if s.scalar(select(PetCase.id).where(PetCase.subject == CASES[0][3])) is not None:
            return
        for n, (ago, channel, steps, subject, category, persons) in enumerate(CASES):
            person = PetitionerInput(name=f"{DEMO}市民{n + 1}", phone=f"1380000{n:04d}")
            case = register_case(s, OFFICE, CaseInput(channel=channel, subject=subject, content=f"{DEMO}{subject}",
                                                      received_on=today - timedelta(days=ago), district_code="310101",
                                                      category_code=category, persons_involved=persons,
                                                      petitioner=person), today=today - timedelta(days=ago))
            for action, inputs, when in steps:
                transition(s, OFFICE, case, action, inputs, today=today - timedelta(days=when))
        now = datetime.now(UTC)
        for minutes, (name, persons, status) in enumerate(VISITORS):
            row = take_ticket(s, "petition", OFFICE.permissions, name, persons, day=today,
                              now=now - timedelta(minutes=90 - 20 * minutes))
            if status != "waiting":
                row.status, row.called_at, row.receptionist = status, now - timedelta(minutes=60 - 20 * minutes), "petition"
            if status == "done":
                row.finished_at = now - timedelta(minutes=30)
    env.sync(clerk)


@screenshot("petition")
def petition_desk(env: ShotEnv) -> Iterator[Shot]:
    _seed(env)
    for username in ("petition", "petitionhead", "liaison"):
        context = env.connect(username)
        env.sync(context)
        window = create_window(context)
        window.resize(1400, 820)
        yield f"petition-inbox-{username}", window
        desk = window.page()  # type: ignore[attr-defined]
        if username == "petition":
            with context.store.session() as s:
                shown = s.scalar(select(PetCase.id).where(PetCase.subject == CASES[CASE_SHOWN][3]))
            if shown is not None:
                desk.open_case(shown)
                yield "petition-case-petition", window
                desk.case_page.back.emit()
            desk.setCurrentWidget(desk.register)
            yield "petition-register-petition", window
            desk.setCurrentWidget(desk.reception)
            yield "petition-reception-petition", window
        if username == "petitionhead":
            desk.setCurrentWidget(desk.supervision)
            yield "petition-supervision-petitionhead", window
            desk.stats.start.setDate(desk.stats.end.date().addDays(-90))
            desk.setCurrentWidget(desk.stats)
            yield "petition-stats-petitionhead", window
