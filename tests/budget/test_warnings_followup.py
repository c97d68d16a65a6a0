"""Following a warning up: 发函 → 答复 → 关闭 and 重新打开, each a recorded step; wrong steps are refused and
change nothing; only holders of ``budget.warning`` may act. Also: warnings reach a special committee's laptop
only for its own domain, and a client's run and follow-up reach the server through sync."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.auth.roles import P_BUDGET_WARNING, ROLES_BY_NAME
from core.budget.models import Indicator, Payment
from core.budget.warnings import run_rules
from core.budget.warnings.followup import FollowUpError, act, allowed_actions, history
from core.budget.warnings.inbox import WarningFilter, level_counts, list_warnings
from core.budget.work import BudgetWarning, WarningAction
from core.models.registry import Department
from tests.sync.harness import World

YEAR = 2024
STAFF = frozenset(ROLES_BY_NAME["budget_staff"].permissions)
DEPUTY = frozenset(ROLES_BY_NAME["deputy"].permissions)


def _seed(factory: Any) -> None:
    """Two departments of two committees, each with an indicator and a cash payment; one idle indicator."""
    with factory() as s, s.begin():
        s.add_all([Department(code="D010", name="市教育委员会", domain="教科文卫"),
                   Department(code="D020", name="市交通委员会", domain="城建环保")])
        for code, domain in (("D010", "教科文卫"), ("D020", "城建环保")):
            s.add(Indicator(year=YEAR, indicator_no=f"I-{code}", department_code=code, amount_fen=10**9,
                            issued_on=date(YEAR, 1, 10), domain=domain))
            s.add(Payment(year=YEAR, payment_no=f"Z-{code}", paid_on=date(YEAR, 3, 1), month=3, payee="本单位",
                          amount_fen=5_000_000, method="现金", purpose="提取现金", department_code=code,
                          indicator_no=f"I-{code}", domain=domain))


@pytest.fixture
def seeded(engine: Engine, factory: sessionmaker[Session]) -> sessionmaker[Session]:
    _seed(factory)
    run = run_rules(engine, YEAR, 3, rules=["cash_withdrawal"], session_factory=factory)
    assert run.new == 2
    return factory


def _key(code: str) -> str:
    return f"cash_withdrawal|{YEAR}|payment:Z-{code}"


def _status(factory: Any, key: str) -> str:
    with factory() as s:
        return str(s.scalars(select(BudgetWarning.status).where(BudgetWarning.warning_key == key)).one())


def _step(factory: Any, key: str, action: str, note: str = "", permissions: frozenset[str] = STAFF) -> None:
    with factory() as s, s.begin():
        act(s, key, action, note, actor="预工委小李", permissions=permissions)


def test_send_answer_close_and_reopen(seeded: sessionmaker[Session]) -> None:
    key = _key("D010")
    assert allowed_actions("待处理") == ["发函", "关闭", "备注"]
    _step(seeded, key, "发函", "沪人大预工委函〔2024〕3号")
    assert _status(seeded, key) == "已发函" and allowed_actions("已发函") == ["答复", "备注"]
    _step(seeded, key, "答复", "系食堂备用金，已改为公务卡结算")
    assert _status(seeded, key) == "已答复"
    _step(seeded, key, "关闭")
    assert _status(seeded, key) == "已关闭"
    _step(seeded, key, "重新打开", "审计发现仍有现金支付")
    assert _status(seeded, key) == "待处理"
    with seeded() as s:
        steps = history(s, key)
        domain = s.scalars(select(WarningAction.domain).where(WarningAction.warning_key == key)).first()
    assert [x.action for x in steps] == ["发函", "答复", "关闭", "重新打开"]
    assert steps[1].note == "系食堂备用金，已改为公务卡结算" and steps[0].actor == "预工委小李"
    assert domain == "教科文卫"


@pytest.mark.parametrize(("before", "action", "note", "message"), [
    ([], "答复", "答复内容", "不能答复"),
    ([], "重新打开", "理由", "不能重新打开"),
    (["发函"], "关闭", "", "不能关闭"),
    (["发函"], "答复", "  ", "需要填写说明"),
    ([], "备注", "", "需要填写说明"),
    ([], "撤销", "x", "没有“撤销”"),
])
def test_a_wrong_step_is_refused_and_changes_nothing(seeded: sessionmaker[Session], before: list[str],
                                                     action: str, note: str, message: str) -> None:
    key = _key("D010")
    for step in before:
        _step(seeded, key, step, "说明")
    with seeded() as s:
        count = s.scalar(select(func.count()).select_from(WarningAction))
    status = _status(seeded, key)
    with pytest.raises(FollowUpError, match=message):
        _step(seeded, key, action, note)
    with seeded() as s:
        assert s.scalar(select(func.count()).select_from(WarningAction)) == count
    assert _status(seeded, key) == status


def test_only_budget_warning_holders_may_act(seeded: sessionmaker[Session]) -> None:
    assert P_BUDGET_WARNING not in DEPUTY
    with pytest.raises(FollowUpError, match="没有处理预警的权限"):
        _step(seeded, _key("D010"), "发函", "x", permissions=DEPUTY)
    with pytest.raises(FollowUpError, match="找不到这条预警"):
        _step(seeded, "no|such|key", "发函", "x")


def test_inbox_filters_and_counts(seeded: sessionmaker[Session]) -> None:
    _step(seeded, _key("D020"), "发函", "函")
    with seeded() as s:
        every = list_warnings(s, WarningFilter(year=YEAR))
        assert [w.department for w in every] == ["市教育委员会", "市交通委员会"] or len(every) == 2
        assert {w.department for w in every} == {"市教育委员会", "市交通委员会"}
        assert [w.warning_key for w in list_warnings(s, WarningFilter(year=YEAR, status="已发函"))] == [_key("D020")]
        assert [w.warning_key for w in list_warnings(s, WarningFilter(year=YEAR, text="教育"))] == [_key("D010")]
        assert list_warnings(s, WarningFilter(year=YEAR, levels=frozenset({"red"}))) == []
        assert level_counts(s, WarningFilter(year=YEAR)) == {"red": 0, "yellow": 2, "blue": 0}
        assert list_warnings(s, WarningFilter(year=YEAR, active=False)) == []


def test_warnings_reach_a_committee_only_for_its_domain(world: World) -> None:
    """The server runs the rules; the 教科文卫 member's laptop receives that committee's warning only, follows it
    up offline, and the server accepts the steps; a deputy's pushed step is rejected by the server."""
    _seed(world.factory)
    run = run_rules(world.engine, YEAR, 3, session_factory=world.factory)
    assert run.by_rule["cash_withdrawal"] == 2
    member_id = world.add_user("member", "committee_member", scopes=("committee:教科文卫",))
    member = world.client(member_id)
    member.sync()
    with member.store.session() as s:
        keys = set(s.scalars(select(BudgetWarning.warning_key)))
    assert _key("D010") in keys and _key("D020") not in keys
    assert all("D020" not in k for k in keys)
    with member.store.session() as s, s.begin():
        act(s, _key("D010"), "发函", "请说明现金支付原因", actor="委员", permissions=STAFF)
    report = member.sync()
    assert report.rejected == 0 and report.applied + report.merged == 2
    assert _status(world.factory, _key("D010")) == "已发函"

    deputy = world.client(world.add_user("deputy", "deputy"))
    message = {"mutation_id": "01930000-0000-7000-8000-000000000001", "table": "bgt_warning_action",
               "row_id": "01930000-0000-7000-8000-000000000002", "op": "insert", "base_version": 0, "base": {},
               "changes": {"warning_key": _key("D010"), "action": "关闭", "note": "x", "domain": "教科文卫"},
               "local_seq": 1}
    answer = deputy.transport.push("deputy-device", [message])[0]
    assert answer["status"] == "rejected"


def test_a_staff_laptop_runs_the_rules_and_the_warnings_reach_the_server(world: World) -> None:
    _seed(world.factory)
    staff = world.client(world.add_user("staff", "budget_staff"))
    staff.sync()
    run = run_rules(staff.store.engine, YEAR, 3, rules=["cash_withdrawal", "idle_funds"],
                    session_factory=staff.store.session)
    assert run.new == 2 and run.by_rule == {"cash_withdrawal": 2, "idle_funds": 0}
    report = staff.sync()
    assert report.rejected == 0
    server = world.server_rows()["bgt_warning"]
    assert {r["warning_key"] for r in server.values()} == {_key("D010"), _key("D020")}
    assert {r["scope"] for r in server.values()} == {"committee:教科文卫", "committee:城建环保"}
