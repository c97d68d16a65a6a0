"""Meeting preparation rules: members, seats, IC cards, agenda; refusals change nothing; what is stored
comes back the same and runs in the hall."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.conference.meeting import AgendaItem, ItemKind, Member, VoteSettings
from core.conference.preparation import QUORUM_PRESETS, MeetingDraft, normalize_card, roster_text_from_xlsx
from core.conference.recorder import list_meetings, load_setup, save_setup
from core.db import make_engine, migrate
from core.sync.client import LocalStore


def draft_with(n: int) -> MeetingDraft:
    draft = MeetingDraft.new("主席团第三次会议", date(2026, 12, 8))
    draft.add_members([Member(f"m{i}", f"委员{i}") for i in range(1, n + 1)])
    return draft


def test_a_taken_seat_is_not_overwritten_and_a_member_moves_with_the_chair_mark() -> None:
    draft = draft_with(3)
    assert draft.assign(1, "m1") is None and draft.set_chair(1, True) is None
    error = draft.assign(1, "m2")
    assert error == "席位 1 已安排 委员1，请先清空该席位" and draft.seats == {1: "m1"}
    assert draft.assign(5, "m1") is None  # moves, and the chair's seat moves with the chair
    assert draft.seats == {5: "m1"} and draft.chair_seats == {5}
    assert draft.assign(0, "m2") is not None and draft.assign(2, "nobody") is not None
    assert draft.set_chair(9, True) == "席位 9 未安排人员，不能设为主席席位"
    assert draft.auto_fill(range(1, 10)) == 2 and draft.seats == {1: "m2", 2: "m3", 5: "m1"}
    draft.clear_seats()
    assert not draft.seats and not draft.chair_seats


def test_cards_are_normalized_and_a_duplicate_is_refused() -> None:
    draft = draft_with(2)
    assert draft.bind_card("m1", "04:A1:B2:C3") is None
    assert draft.cards == {"04a1b2c3": "m1"}
    assert draft.bind_card("m2", "04 a1 b2 c3") == "IC 卡 04a1b2c3 已绑定 委员1，一张卡只能绑定一人"
    assert draft.bind_card("m2", "卡号") is not None and draft.bind_card("m2", "abc") is not None
    assert draft.cards == {"04a1b2c3": "m1"}
    assert draft.bind_card("m1", "0badcafe") is None and draft.cards == {"0badcafe": "m1"}  # rebinding
    assert draft.bind_card("m1", "") is None and draft.cards == {}
    assert normalize_card("04-A1-B2") == "04a1b2"


def test_validation_names_what_is_missing() -> None:
    draft = MeetingDraft.new()
    problems = draft.validate()
    assert "请填写会议名称" in problems and "请填写会议日期" in problems and "未设置与会人员" in problems
    assert "请至少设置一项议程" in problems
    draft = draft_with(7)
    draft.put_item(AgendaItem("i1", "议程一", settings=VoteSettings(majority="half_of_all")))
    assert sorted(draft.validate()) == sorted(["还有 7 人未安排席位：委员1、委员2、委员3、委员4、委员5等",
                                               "议程 议程一：“全体代表的过半数”不适用于常务委员会会议，应为“常务委员会全体组成人员的过半数”"])
    draft.put_item(AgendaItem("i1", "议程一"))  # no rule of its own: the body's rule for its kind
    draft.auto_fill(range(1, 8))
    assert draft.validate() == []
    assert draft.put_item(AgendaItem("i2", "  ")) == "议程名称不能为空"


def test_agenda_editing_keeps_amendments_consistent() -> None:
    draft = draft_with(1)
    draft.put_item(AgendaItem("a", "修正案", ItemKind.AMENDMENT, amends="b"))
    draft.put_item(AgendaItem("b", "全案"))
    draft.move_item("b", -1)
    assert [i.item_id for i in draft.agenda] == ["b", "a"]
    assert any("须排在所修正的议程之前" in p for p in draft.validate())
    draft.remove_item("b")
    assert draft.agenda[0].amends is None


def test_roster_import_from_excel_merges_with_the_same_checks(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (("编号", "姓名", "席位", "IC卡"), ("d1", "张三", 3, "04A1B2C3"), ("d2", "李四", 3, None),
                ("d3", "王五", None, "04a1b2c3")):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    draft = draft_with(0)
    problems = draft.import_roster(roster_text_from_xlsx(data.getvalue()))
    assert [m.name for m in draft.members] == ["张三", "王五"]  # the row with a taken seat is left out
    assert draft.seats == {3: "d1"} and draft.cards == {"04a1b2c3": "d1"}
    assert problems == ["第 3 行：席位 3 已分配给 d1", "IC 卡 04a1b2c3 已绑定 张三，一张卡只能绑定一人"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["assign", "unassign", "card", "chair", "remove", "fill"]),
                          st.integers(1, 12), st.integers(1, 8), st.sampled_from(["01", "02", "03", "0a0b"])),
                max_size=40))
def test_any_editing_keeps_one_seat_per_member_and_one_member_per_card(
        steps: list[tuple[str, int, int, str]]) -> None:
    draft = draft_with(8)
    for op, seat, member, card in steps:
        mid = f"m{member}"
        if op == "assign":
            draft.assign(seat, mid)
        elif op == "unassign":
            draft.unassign(seat)
        elif op == "card" and draft.member(mid) is not None:
            draft.bind_card(mid, card)
        elif op == "chair":
            draft.set_chair(seat, seat not in draft.chair_seats)
        elif op == "remove":
            draft.remove_member(mid)
        else:
            draft.auto_fill(range(1, 13))
        members = {m.member_id for m in draft.members}
        assert len(set(draft.seats.values())) == len(draft.seats)
        assert set(draft.seats.values()) <= members and set(draft.cards.values()) <= members
        assert len(set(draft.cards.values())) == len(draft.cards)
        assert draft.chair_seats <= set(draft.seats)
        assert not [p for p in draft.to_setup().validate() if "席位" in p or "IC 卡" in p]


def test_a_stored_meeting_comes_back_the_same(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    migrate(engine)
    store = LocalStore(engine, tmp_path / "blobs")
    draft = draft_with(5)
    draft.quorum = QUORUM_PRESETS["presidium"]
    draft.deputies = {"m1": "m1"}
    draft.auto_fill(range(1, 6))
    draft.set_chair(2, True)
    draft.bind_card("m3", "04a1b2c3")
    draft.put_item(AgendaItem("p", "任命", ItemKind.APPOINTMENT, VoteSettings(anonymous=False), candidates=("甲", "乙")))
    with store.session() as s, s.begin():
        save_setup(s, draft.to_setup(), meeting_date=draft.meeting_date, place="第一会议室", deputies=draft.deputies)
    with store.session() as s, s.begin():
        _, changed = save_setup(s, draft.to_setup(), deputies=draft.deputies)
        assert changed == 0  # saving the same meeting again changes nothing
    with store.session() as s:
        prepared = load_setup(s, draft.meeting_id)
        assert [m.title for m in list_meetings(s)] == ["主席团第三次会议"]
    assert prepared is not None
    assert prepared.setup == draft.to_setup()
    assert (prepared.meeting_date, prepared.place, prepared.status) == (date(2026, 12, 8), "第一会议室", "draft")
    assert prepared.deputies == {"m1": "m1"}
    draft.remove_member("m5")
    with store.session() as s, s.begin():
        save_setup(s, draft.to_setup())
    with store.session() as s:
        again = load_setup(s, draft.meeting_id)
    assert again is not None and [m.member_id for m in again.setup.members] == ["m1", "m2", "m3", "m4"]
    engine.dispose()


@settings(max_examples=40, deadline=None)
@given(st.booleans(), st.sampled_from(["first", "last"]),
       st.lists(st.tuples(st.integers(1, 10), st.sampled_from(["yes", "no", "abstain"])), max_size=30))
def test_records_of_an_anonymous_vote_never_link_a_seat_to_a_choice(
        anonymous: bool, press: str, casts: list[tuple[int, str]]) -> None:
    import json

    from core.conference import events as ev
    from core.conference.meeting import PressRule
    from core.conference.recorder import build_records
    from core.conference.state import ConferenceState

    setup = draft_with(10)
    setup.auto_fill(range(1, 11))
    setup.put_item(AgendaItem("i1", "议程", settings=VoteSettings(anonymous=anonymous, press=PressRule(press))))
    state = ConferenceState(setup.to_setup())
    for seat in range(1, 11):
        state.apply(ev.SeatKeyPressed(seat, 1.0))
    state.apply(ev.OpenMeeting(2.0))
    state.apply(ev.OpenVote(3.0, "i1"))
    for n, (seat, choice) in enumerate(casts):
        state.apply(ev.VoteCast(seat, 4.0 + n, choice))
    state.apply(ev.CloseVote(50.0))
    records = build_records(state, {})
    [vote] = records.votes
    q = vote["questions"][0]
    assert q["yes"] + q["no"] + q["abstain"] == len({seat for seat, _ in casts})
    if anonymous:
        assert records.choices == {}
        text = json.dumps(vote, ensure_ascii=False)
        assert "named" not in text and "seat" not in text and "m1" not in text
    else:
        assert len(records.choices[vote["number"]]) == len({seat for seat, _ in casts})
