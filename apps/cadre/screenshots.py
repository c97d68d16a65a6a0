"""Screenshots of the 老干部 desk: the reminders, the register and a person's page, for the clerk (``cadre``)
and for the reader (``cadrereader``, who sees the ID number masked).

The clerk's computer records a handful of 【演示数据】 people and syncs; the reader syncs and sees what the
server sends a role without ``cadre.sensitive``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from apps.cadre.window import create_window
from apps.common.screenshots import Shot, ShotEnv, screenshot
from core.cadre.models import CadPerson
from core.cadre.record import with_check_digit

DEMO = "【演示数据】"
PEOPLE: tuple[tuple[str, str, int, int, str, str, str], ...] = (
    # name, gender, years old on their birthday this year, days from today to it, stage, unit, post
    ("张国华", "男", 80, 3, "retired", "办公厅", "副秘书长"),
    ("李秀英", "女", 74, 12, "retired", "研究室", "主任"),
    ("王建平", "男", 90, 25, "retired", "财政经济委员会", "副主任委员"),
    ("陈美玲", "女", 68, 40, "retired", "人事代表工作委员会", "处长"),
    ("周志强", "男", 62, 80, "upcoming", "教育科学文化卫生委员会", "副主任"),
)


def _birth(today: date, age: int, days: int) -> date:
    day = date.fromordinal(today.toordinal() + days)
    return day.replace(year=day.year - age) if not (day.month == 2 and day.day == 29) else date(day.year - age, 2, 28)


def _seed(env: ShotEnv) -> None:
    clerk = env.connect("cadre")
    env.sync(clerk)
    today = date.today()
    with clerk.store.session() as s, s.begin():
        if s.scalar(select(CadPerson.id).where(CadPerson.name == PEOPLE[0][0])) is not None:
            return
        for n, (name, gender, age, days, stage, unit, post) in enumerate(PEOPLE):
            born = _birth(today, age, days)
            upcoming = stage == "upcoming"
            s.add(CadPerson(name=name, gender=gender, birth_date=born, native_place="上海",
                            id_number=with_check_digit(f"310101{born:%Y%m%d}{n:03d}"), party="中共党员", stage=stage,
                            retirement_kind="" if upcoming else "退休",
                            retired_on=None if upcoming else date(born.year + 60, born.month, 1),
                            retirement_due_on=date(today.year, today.month, 1).replace(year=today.year + 1)
                            if upcoming else None,
                            treatment_level="正局级", former_unit=unit, former_post=post,
                            address=f"{DEMO}上海市黄浦区人民大道{n + 1}号", phone_mobile=f"1390000{n:04d}",
                            source=DEMO))
    env.sync(clerk)


@screenshot("cadre")
def cadre_desk(env: ShotEnv) -> Iterator[Shot]:
    _seed(env)
    for username in ("cadre", "cadrereader"):
        context = env.connect(username)
        env.sync(context)
        window = create_window(context)
        window.resize(1280, 800)
        desk = window.page()  # type: ignore[attr-defined]
        yield f"cadre-reminders-{username}", window
        desk.setCurrentWidget(desk.register)
        yield f"cadre-people-{username}", window
        if desk.people.rows:
            desk.people.search.setText("zgh")
            desk.people.open_row(0)
            yield f"cadre-person-{username}", window
    from apps.cadre.interfaces_shots import interfaces_shots
    from apps.cadre.notices_shots import notices_shots

    yield from notices_shots(env)
    yield from interfaces_shots(env)


@screenshot("cadre-person")
def cadre_person_tabs(env: ShotEnv) -> Iterator[Shot]:
    """The person's page on its tabs for the clerk (with the edit form refusing a bad ID number and dates)
    and for the reader (the ID number masked, the family not on their computer)."""
    from apps.cadre.person_demo import seed_record, seed_reference
    from core.cadre.models import CadInterest

    _seed(env)
    admin = env.connect("admin")
    env.sync(admin)
    with admin.store.session() as s, s.begin():
        seed_reference(s)
    env.sync(admin)
    clerk = env.connect("cadre")
    env.sync(clerk)
    with clerk.store.session() as s, s.begin():
        person = s.scalar(select(CadPerson).where(CadPerson.name == PEOPLE[0][0]))
        assert person is not None
        person_id = person.id
        if s.scalar(select(CadInterest.id).where(CadInterest.person_id == person_id)) is None:
            person.party_date = date(person.birth_date.year + 22, 7, 1) if person.birth_date else None
            person.work_start_date = date(person.birth_date.year + 20, 9, 1) if person.birth_date else None
            person.postcode = "200003"
            seed_record(s, clerk.store, person)
    env.sync(clerk)
    for username in ("cadre", "cadrereader"):
        context = env.connect(username)
        env.sync(context)
        window = create_window(context)
        window.resize(1280, 800)
        desk = window.page()  # type: ignore[attr-defined]
        desk.open_person(person_id)
        page = desk.person_page
        yield f"cadre-person-basic-{username}", window
        for key, table in (("family", "cad_family"), ("life", "cad_life_event")):
            page.tabs.setCurrentWidget(page.row_tabs[table])
            yield f"cadre-person-{key}-{username}", window
        page.tabs.setCurrentWidget(page.documents)
        yield f"cadre-person-documents-{username}", window
        if username == "cadre":
            dialog = page.person_dialog()
            dialog.set_value("id_number", "310101194001010011")
            dialog.set_value("work_start_date", "1930-09-01")
            dialog.submit()
            yield "cadre-person-edit-error-cadre", dialog
            dialog.close()


@screenshot("cadre-care")
def cadre_care(env: ShotEnv) -> Iterator[Shot]:
    """工作管理: each sub-page for the clerk, the aid and check-up pages for the reader."""
    from apps.cadre.care_shots import care_shots

    _seed(env)
    yield from care_shots(env)


GREETINGS = (("SR", "生日祝福", "生日", "【上海人大】尊敬的{称呼}：值此{岁数}岁寿辰之际，谨致以衷心祝福！祝您健康长寿。"),
             ("CJ", "春节问候", "春节", "【上海人大】{姓名}同志：新春佳节来临，恭祝您和家人新春愉快、阖家幸福！"))


def _seed_analysis(env: ShotEnv) -> None:
    """The administrator's categories and greeting templates, then 300 【演示数据】 people the clerk records."""
    from core.cadre.demo import CATEGORIES, MARK, generate
    from core.cadre.models import CadCategory, CadSmsTemplate

    admin = env.connect("admin")
    env.sync(admin)
    with admin.store.session() as s, s.begin():
        if s.scalar(select(CadSmsTemplate.id).where(CadSmsTemplate.code == GREETINGS[0][0])) is None:
            for position, (code, name) in enumerate(CATEGORIES):
                if s.scalar(select(CadCategory.id).where(CadCategory.code == code)) is None:
                    s.add(CadCategory(code=code, name=name, position=position))
            for code, title, occasion, text in GREETINGS:
                s.add(CadSmsTemplate(code=code, title=title, occasion=occasion, text=text))
    env.sync(admin)
    clerk = env.connect("cadre")
    env.sync(clerk)
    with clerk.store.session() as s, s.begin():
        if s.scalar(select(CadPerson.id).where(CadPerson.note.startswith(MARK)).limit(1)) is None:
            generate(s, 300, date.today())
            s.flush()
            created = s.scalars(select(CadPerson).where(CadPerson.note.startswith(MARK)).order_by(CadPerson.name))
            for n, person in enumerate(created):  # most with an address, a few without a mobile
                if n % 9:
                    person.address = f"上海市黄浦区人民大道{n + 1}号{n % 5 + 1}0{n % 3 + 1}室"
                    person.postcode = "200003"
                if n % 11 == 3:
                    person.phone_mobile = None
    env.sync(clerk)


@screenshot("cadre_batch")
def cadre_analysis_and_batch(env: ShotEnv) -> Iterator[Shot]:
    """The analysis tab, the register narrowed by the filters with the batch SMS preview, the labels' print
    preview (the clerk), and the template editor refusing an unknown placeholder (the administrator)."""
    _seed_analysis(env)
    context = env.connect("cadre")
    window = create_window(context)
    window.resize(1280, 800)
    desk = window.page()  # type: ignore[attr-defined]
    desk.setCurrentWidget(desk.analysis)
    env.settle()
    yield "cadre-analysis-cadre", window
    desk.analysis.tabs.setCurrentIndex(3)
    yield "cadre-analysis-aid-cadre", window
    desk.analysis.open_preview()
    desk.analysis.preview.resize(1000, 1000)
    yield "cadre-analysis-preview-cadre", desk.analysis.preview
    desk.analysis.preview.reject()
    desk.setCurrentWidget(desk.register)
    people = desk.people
    people.alive.setCurrentIndex(people.alive.findData(True))
    people.branch.setCurrentIndex(1)
    people.min_age.setValue(80)
    yield "cadre-people-filtered-cadre", window
    sms = people.open_sms()
    sms.template.setCurrentIndex(sms.template.findText(GREETINGS[0][1]))
    sms.resize(1100, 760)
    yield "cadre-batch-sms-cadre", sms
    sms.reject()
    labels = people.open_labels()
    yield "cadre-labels-cadre", labels
    labels.outlines.setChecked(True)
    labels.open_preview()
    labels.preview.resize(1000, 1000)
    yield "cadre-labels-preview-cadre", labels.preview
    labels.preview.reject()
    labels.reject()
    admin = env.connect("admin")
    env.sync(admin)
    admin_window = create_window(admin)
    admin_window.resize(1280, 800)
    admin_desk = admin_window.page()  # type: ignore[attr-defined]
    admin_desk.setCurrentWidget(admin_desk.register)
    templates = admin_desk.people.open_templates()
    yield "cadre-templates-admin", templates
    editor = templates.open_editor(None)
    editor.code.setText("ZQ")
    editor.title_edit.setText("中秋问候")
    editor.occasion.setText("中秋")
    editor.text.setPlainText("尊敬的{名字}：值此中秋佳节，祝您节日快乐、身体健康！")
    editor.save()
    yield "cadre-template-editor-admin", editor
