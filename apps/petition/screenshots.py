"""Screenshots of the 信访 desk: the inbox of the clerk, the office head and a committee liaison; 督办.

The clerk's computer enters a handful of 【演示数据】 cases and syncs them; the head and the liaison sync and
see what the server sends them (the liaison: only the cases assigned to the 教科文卫委员会)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import select

from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.petition.window import create_window
from core.petition.models import PetCase, PetPetitioner
from core.petition.reference import seed_reference

DEMO = "【演示数据】"
CASES = (  # code, days to the deadline, channel, committee (None: the office's own), subject
    ("XF2026-000101", -3, "来访", "jkww", "学校周边交通安全隐患长期未整改"),
    ("XF2026-000102", 2, "来信", None, "旧区改造补偿标准有异议"),
    ("XF2026-000103", 9, "网上", "jkww", "社区卫生服务中心夜间门诊停诊"),
    ("XF2026-000104", 25, "电话", None, "小区加装电梯意见不一"),
    ("XF2026-000105", 40, "短信", None, "公交线路调整后出行不便"),
)


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
        if s.scalar(select(PetCase.id).where(PetCase.code == CASES[0][0])) is not None:
            return
        for n, (code, days, channel, committee, subject) in enumerate(CASES):
            person = PetPetitioner(name=f"{DEMO}市民{n + 1}", district_code="310101")
            s.add(person)
            s.flush()
            s.add(PetCase(code=code, channel=channel, received_on=today - timedelta(days=30), subject=subject,
                          content=f"{DEMO}{subject}", petitioner_id=person.id, committee=committee,
                          body_code=committee or "", due_on=today + timedelta(days=days),
                          supervised=days < 0, state="registered"))
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
        if username == "petitionhead":
            window.page().setCurrentIndex(1)  # type: ignore[attr-defined]
            yield "petition-supervision-petitionhead", window
