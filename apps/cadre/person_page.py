"""One person's page: the basic information as the local record holds it. The sync server masks the ID
number for roles without ``cadre.sensitive`` and the phones and address for roles without ``pii.contact``,
so a reader's page shows the masked values it pulled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from apps.cadre import data
from apps.common.qt import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from core.cadre.models import STAGE_LABELS, CadPerson


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class PersonPage(QWidget):
    back = Signal()

    def __init__(self, session_factory: Callable[[], Session], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CadrePerson")
        self._session_factory = session_factory
        self.person_id = ""
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.back_button = QPushButton(self.tr("返回名册"))
        self.back_button.clicked.connect(self.back)
        self.tabs = QTabWidget()
        self.basic = QWidget()
        self.form = QFormLayout(self.basic)
        self.fields: dict[str, QLabel] = {}
        for key, label in self._labels():
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            self.form.addRow(label + "：", value)
        self.tabs.addTab(self.basic, self.tr("基本信息"))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs)

    def _labels(self) -> list[tuple[str, str]]:
        return [("name", self.tr("姓名")), ("gender", self.tr("性别")), ("ethnicity", self.tr("民族")),
                ("birth_date", self.tr("出生日期")), ("native_place", self.tr("籍贯")),
                ("id_number", self.tr("身份证号")), ("party", self.tr("政治面貌")),
                ("party_date", self.tr("入党时间")), ("work_start_date", self.tr("参加工作时间")),
                ("stage", self.tr("状态")), ("retirement_kind", self.tr("离退休类别")),
                ("retired_on", self.tr("离退休时间")), ("retirement_due_on", self.tr("法定退休日期")),
                ("treatment_level", self.tr("待遇级别")), ("former_unit", self.tr("原单位")),
                ("former_post", self.tr("原职务")), ("address", self.tr("住址")),
                ("phone_mobile", self.tr("手机")), ("phone_home", self.tr("住宅电话")),
                ("died_on", self.tr("去世日期"))]

    def show_person(self, person_id: str) -> bool:
        with self._session_factory() as session:
            row = data.person(session, person_id)
        if row is None:
            return False
        self.person_id = person_id
        self.heading.setText(row.name)
        for key, text in self._values(row).items():
            self.fields[key].setText(text)
        return True

    def _values(self, p: CadPerson) -> dict[str, str]:
        return {"name": p.name, "gender": p.gender, "ethnicity": p.ethnicity, "birth_date": _day(p.birth_date),
                "native_place": p.native_place, "id_number": p.id_number or "", "party": p.party,
                "party_date": _day(p.party_date), "work_start_date": _day(p.work_start_date),
                "stage": STAGE_LABELS.get(p.stage, p.stage), "retirement_kind": p.retirement_kind,
                "retired_on": _day(p.retired_on), "retirement_due_on": _day(p.retirement_due_on),
                "treatment_level": p.treatment_level, "former_unit": p.former_unit,
                "former_post": p.former_post, "address": p.address or "", "phone_mobile": p.phone_mobile or "",
                "phone_home": p.phone_home or "", "died_on": _day(p.died_on)}
