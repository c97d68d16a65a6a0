"""Set-up validation, sign-in by key, card and gate, leaving and returning, unsigned seats."""

from __future__ import annotations

from core.conference import events as ev
from core.conference.meeting import AgendaItem, ItemKind, MeetingSetup, Member, SpeakingSettings, VoteSettings
from core.conference.state import ConferenceState
from tests.conference.factory import make_setup, opened


def test_valid_setup_has_no_errors() -> None:
    assert make_setup(30).validate() == []


def test_setup_errors_are_in_chinese() -> None:
    setup = MeetingSetup(
        meeting_id="x",
        title="t",
        members=(Member("a", "甲"), Member("a", "乙"), Member("b", " ")),
        seats={1: "a", 2: "a", 5000: "zz"},
        cards={"c1": "nobody"},
        agenda=(
            AgendaItem("w", "全案", ItemKind.BILL),
            AgendaItem("am", "修正案", ItemKind.AMENDMENT, amends="w"),
            AgendaItem("ap", "任命", ItemKind.APPOINTMENT),
            AgendaItem("bad", "坏规则", ItemKind.BILL, VoteSettings(majority="nope")),
        ),
        speaking=SpeakingSettings(max_open=6),
        chair_seats=frozenset({9}),
    )
    errors = setup.validate()
    assert "人员编号重复：a" in errors
    assert "人员 b 未填写姓名" in errors
    assert any("同时分配在席位 1 和 2" in e for e in errors)
    assert any("席位号 5000 超出范围" in e for e in errors)
    assert any("不存在的人员 zz" in e for e in errors)
    assert "IC 卡 c1 绑定了不存在的人员 nobody" in errors
    assert any("须排在所修正的议程之前" in e for e in errors)
    assert "任免事项 任命 没有候选人" in errors
    assert any("“nope”不存在" in e for e in errors)
    assert "同时开启的话筒数须在 1 至 4 之间" in errors
    assert "主席席位 9 未分配人员" in errors
    state = ConferenceState(setup)
    outcome = state.apply(ev.OpenMeeting(1.0))
    assert not outcome.ok and "人员编号重复" in outcome.message


def test_setup_round_trips_through_json() -> None:
    setup = make_setup(7)
    assert MeetingSetup.from_dict(setup.to_dict()) == setup


def test_sign_in_by_key_card_and_gate() -> None:
    state = ConferenceState(make_setup(5))
    assert state.apply(ev.SeatKeyPressed(1, 1.0)).ok
    assert not state.apply(ev.SeatKeyPressed(1, 1.5)).ok  # already signed in
    assert state.apply(ev.CardSwiped(2, 2.0, "card-2")).ok
    wrong = state.apply(ev.CardSwiped(3, 2.0, "card-4"))
    assert not wrong.ok and "不属于席位 3" in wrong.message
    assert not state.apply(ev.CardSwiped(3, 2.0, "unknown")).ok
    assert state.apply(ev.CardSwiped(0, 3.0, "card-4")).ok  # entrance gate
    assert not state.apply(ev.SeatKeyPressed(99, 3.0)).ok
    assert state.apply(ev.ManualSignIn(3.5, "m005")).ok
    att = state.snapshot()["attendance"]
    assert att["present"] == 4 and att["absent"] == 1
    assert att["present_members"] == ["m001", "m002", "m004", "m005"]


def test_leaving_and_returning_changes_attendance_and_quorum() -> None:
    state = opened(make_setup(10), present=6)
    assert state.attendance.quorum_met
    assert state.apply(ev.SeatLeft(6, 3.0)).ok
    snap = state.snapshot()
    assert snap["attendance"]["present"] == 5 and snap["attendance"]["left"] == 1
    assert not snap["attendance"]["quorum_met"]
    assert snap["seats"][5]["state"] == "left"
    assert not state.apply(ev.OpenVote(4.0, "b1")).ok
    assert state.apply(ev.SeatKeyPressed(6, 5.0)).ok
    assert state.snapshot()["seats"][5]["state"] == "present"
    assert state.apply(ev.OpenVote(6.0, "b1")).ok
    assert not state.apply(ev.SeatLeft(9, 6.5)).ok  # never signed in


def test_unsigned_seats_cannot_vote() -> None:
    state = opened(make_setup(10), present=6)
    assert state.apply(ev.OpenVote(3.0, "b1")).ok
    outcome = state.apply(ev.VoteCast(8, 4.0, "yes"))
    assert not outcome.ok and "未报到" in outcome.message
    assert state.apply(ev.SeatLeft(6, 4.5)).ok
    assert not state.apply(ev.VoteCast(6, 5.0, "yes")).ok
    assert state.apply(ev.VoteCast(5, 5.0, "yes")).ok
    state.apply(ev.CloseVote(6.0))
    q = state.voting.records[-1].questions[0]
    assert (q.yes, q.no, q.abstain, q.not_voted) == (1, 0, 0, 9)


def test_terminal_health_is_shown_but_attendance_kept() -> None:
    state = opened(make_setup(5), present=5)
    state.apply(ev.SeatSilent(3, 3.0))
    state.apply(ev.SeatFault(4, 3.0, "按键故障"))
    seats = {s["seat"]: s for s in state.snapshot()["seats"]}
    assert seats[3]["health"] == "silent" and seats[4]["health"] == "fault"
    assert seats[3]["state"] == "present"
    state.apply(ev.SeatBack(3, 4.0))
    assert state.snapshot()["seats"][2]["health"] == "ok"


def test_closed_meeting_refuses_everything_but_time() -> None:
    state = opened(make_setup(5), present=5)
    assert state.apply(ev.CloseMeeting(3.0)).ok
    assert not state.apply(ev.SeatKeyPressed(1, 4.0)).ok
    assert not state.apply(ev.OpenVote(4.0, "b1")).ok
    assert state.apply(ev.Tick(5.0)).ok


def test_import_roster_reports_bad_rows_in_chinese() -> None:
    from core.conference.meeting import import_roster

    text = "\ufeff编号,姓名,席位,IC卡\nm1,张三,1,c1\nm2,李四,1,c2\nm3,,3,\nm1,王五,4,\nm4,赵六,x,\nm5,钱七,,c1\nm6,孙八,6,\n"
    roster = import_roster(text)
    assert [m.member_id for m in roster.members] == ["m1", "m6"]
    assert roster.seats == {1: "m1", 6: "m6"}
    assert roster.cards == {"c1": "m1"}
    assert roster.errors == (
        "第 3 行：席位 1 已分配给 m1",
        "第 4 行：编号和姓名不能为空",
        "第 5 行：人员编号 m1 重复",
        "第 6 行：席位号“x”无效",
        "第 7 行：IC 卡 c1 已绑定 m1",
    )
    assert import_roster("name,seat\n").errors == ("表头缺少：编号、姓名",)
