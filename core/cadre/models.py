"""The synced tables of the retired cadres' records (老干部综合情况信息库).

The office's configuration (scope ``cadre.ref``, kept by administrators with ``cadre.admin``):

- ``cad_category``: the person categories (人员类别) the office defines;
- ``cad_field_def``: extra fields an administrator defines (其他信息登记, like OrangeHRM's custom fields):
  key, label, type, choices, whether required and whether sensitive;
- ``cad_setting``: the office's settings (e.g. how many months ahead retirements are reminded).

The record (scope ``cadre``, kept by clerks with ``cadre.record``):

- ``cad_person``: a retired cadre or a person about to retire — basic information, retirement, and the
  statutory retirement date of a person about to retire. The ID number is masked for roles without
  ``cadre.sensitive``, the phones and the address for roles without ``pii.contact``;
- ``cad_interest``: interests and specialties (兴趣特长);
- ``cad_life_event``: the life story (个人生平), dated entries;
- ``cad_person_category``: a person's categories;
- ``cad_award``: the awards ledger (奖励台帐);
- ``cad_field_value``: the value of an extra field for a person (in the sensitive scope when its field
  is sensitive);
- ``cad_document``: documents and photos (资料), each a row that owns its file in the attachment store
  (in the sensitive scope when marked sensitive, e.g. a medical certificate).

The sensitive part (scope ``cadre.sensitive``, kept by clerks with ``cadre.sensitive``): family members
(``cad_family``) and hospital stays (``cad_hospital_stay``). Their identifying and health columns are masked
as well, so every clear read of them is audited by the sync server (``read.sensitive``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.auth.roles import P_CADRE_ADMIN, P_CADRE_RECORD, P_CADRE_SENSITIVE, P_PII_CONTACT
from core.cadre.scopes import REFERENCE_SCOPE, SENSITIVE_SCOPE, record_scope
from core.models.base import Base, MaskRule, SyncedMixin

GENDERS = ("男", "女")
STAGES = ("upcoming", "retired")
STAGE_LABELS = {"upcoming": "即将离退休", "retired": "已离退休"}
RETIREMENT_KINDS = ("离休", "退休")
TREATMENT_LEVELS = ("正部级", "副部级", "正局级", "副局级", "正处级", "副处级", "正科级", "副科级", "科员")
"""Common treatment levels (待遇级别); the column takes any text an office uses."""
INTEREST_KINDS = ("兴趣", "特长")
FIELD_TYPES = ("text", "number", "date", "choice", "yesno")
FIELD_TYPE_LABELS = {"text": "文字", "number": "数字", "date": "日期", "choice": "选项", "yesno": "是/否"}
DOCUMENT_KINDS = ("资料", "照片", "证书", "其他")
AWARD_LEVELS = ("国家级", "省部级", "市级", "局级", "其他")
RELATIONS = ("配偶", "儿子", "女儿", "儿媳", "女婿", "孙子女", "外孙子女", "兄弟姐妹", "其他")

SETTING_REMINDER_MONTHS = "retirement_reminder_months"
DEFAULT_REMINDER_MONTHS = 6

SENSITIVE = MaskRule(P_CADRE_SENSITIVE, "full")


class CadreRow(SyncedMixin):
    """Indexes shared by the cadre tables; ``extra_indexes`` adds a table's own."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_CADRE_RECORD,)
    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        indexes = [Index(f"ix_{name}_scope_seq", "scope", "seq"), Index(f"ix_{name}_seq", "seq")]
        for cols in cls.extra_indexes:
            indexes.append(Index(f"ix_{name}_{'_'.join(cols)}", *cols))
        return tuple(indexes)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return record_scope(False)


class ReferenceRow(CadreRow):
    """The office's configuration: read by every cadre role, written by administrators."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_CADRE_ADMIN,)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return REFERENCE_SCOPE


class PersonRow(CadreRow):
    """A row that belongs to one person."""

    extra_indexes: ClassVar[tuple[tuple[str, ...], ...]] = (("person_id",),)

    person_id: Mapped[str] = mapped_column(String(36))


class SensitiveRow(PersonRow):
    """A row of the sensitive part: only roles with ``cadre.sensitive`` pull it or write it."""

    sync_write_permissions: ClassVar[tuple[str, ...]] = (P_CADRE_SENSITIVE,)

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return SENSITIVE_SCOPE


# ------------------------------------------------------------------------------------------ configuration
class CadCategory(ReferenceRow, Base):
    """A person category (人员类别), e.g. 离休干部, 退休干部, 原市人大常委会领导."""

    __tablename__ = "cad_category"
    sync_label = "人员类别"
    extra_indexes = (("code",),)

    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadFieldDef(ReferenceRow, Base):
    """An extra field an administrator defines (其他信息登记): its values are kept in ``cad_field_value``."""

    __tablename__ = "cad_field_def"
    sync_label = "其他登记项目"
    extra_indexes = (("key",),)

    key: Mapped[str] = mapped_column(String(32))
    """A stable name the values refer to (letters, digits, underscores)."""
    label: Mapped[str] = mapped_column(String(60))
    field_type: Mapped[str] = mapped_column(String(8), default="text")
    choices: Mapped[str] = mapped_column(String(500), default="")
    """For ``choice``: the choices separated by 、 or newlines."""
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    """Values of a sensitive field are kept in the sensitive scope (only roles with the need see them)."""
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CadSetting(ReferenceRow, Base):
    """One setting of the retired-cadre office (key → text value)."""

    __tablename__ = "cad_setting"
    sync_label = "老干部工作设置"
    extra_indexes = (("key",),)

    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


# ------------------------------------------------------------------------------------------ the record
class CadPerson(CadreRow, Base):
    """A retired cadre, or a person about to retire (imported from the appointments system)."""

    __tablename__ = "cad_person"
    sync_label = "老干部"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "id_number": MaskRule(P_CADRE_SENSITIVE, "id"),
        "phone_mobile": MaskRule(P_PII_CONTACT, "phone"),
        "phone_home": MaskRule(P_PII_CONTACT, "phone"),
        "address": MaskRule(P_PII_CONTACT, "full"),
    }
    extra_indexes = (("id_number",), ("name",), ("stage", "retirement_due_on"), ("birth_date",))

    name: Mapped[str] = mapped_column(String(60))
    gender: Mapped[str] = mapped_column(String(2), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date | None] = mapped_column(Date)
    birthday_lunar: Mapped[bool] = mapped_column(Boolean, default=False)
    """The person keeps the birthday by the lunar calendar (农历生日): reminded on the lunar date of birth."""
    native_place: Mapped[str] = mapped_column(String(60), default="")
    id_number: Mapped[str | None] = mapped_column(String(18))
    party_date: Mapped[date | None] = mapped_column(Date)
    """Joined the Communist Party of China (入党时间); empty for non-members."""
    party: Mapped[str] = mapped_column(String(20), default="")
    """政治面貌 as written (中共党员, 民主党派 …)."""
    work_start_date: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(10), default="retired")
    """``retired`` (已离退休) or ``upcoming`` (即将离退休)."""
    retirement_kind: Mapped[str] = mapped_column(String(4), default="")
    """离休 or 退休 (empty while about to retire)."""
    retired_on: Mapped[date | None] = mapped_column(Date)
    original_retirement_age: Mapped[int | None] = mapped_column(Integer)
    """For women: 55 (cadres, management and technical posts; the default) or 50 (workers)."""
    retirement_due_on: Mapped[date | None] = mapped_column(Date)
    """The statutory retirement date under the 2024 decision (computed, for people about to retire)."""
    retirement_delay_months: Mapped[int] = mapped_column(Integer, default=0)
    treatment_level: Mapped[str] = mapped_column(String(20), default="")
    former_unit: Mapped[str] = mapped_column(String(100), default="")
    former_post: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(6), default="")
    phone_mobile: Mapped[str | None] = mapped_column(String(20))
    phone_home: Mapped[str | None] = mapped_column(String(20))
    photo_attachment_id: Mapped[str | None] = mapped_column(String(36))
    """The portrait: an attachment owned by this row (``reg_attachment``)."""
    alive: Mapped[bool] = mapped_column(Boolean, default=True)
    died_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="")
    """Where the row came from: empty (entered by hand), 人事任免 (the appointments system)."""
    source_ref: Mapped[str] = mapped_column(String(60), default="")
    """The appointment document number (任免文号) or the other system's key."""
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    """SHA-256 of the values last imported, so importing the same file again changes nothing."""
    note: Mapped[str] = mapped_column(Text, default="")


class CadInterest(PersonRow, Base):
    """An interest or specialty (兴趣特长) of a person."""

    __tablename__ = "cad_interest"
    sync_label = "兴趣特长"

    kind: Mapped[str] = mapped_column(String(4), default="兴趣")
    name: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(String(200), default="")


class CadLifeEvent(PersonRow, Base):
    """One dated entry of a person's life story (个人生平): a period of study or work, or an event."""

    __tablename__ = "cad_life_event"
    sync_label = "个人生平"

    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(100), default="")
    post: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text, default="")


class CadPersonCategory(PersonRow, Base):
    """A person belongs to a category (人员类别)."""

    __tablename__ = "cad_person_category"
    sync_label = "人员所属类别"
    extra_indexes = (("person_id",), ("category_code",))

    category_code: Mapped[str] = mapped_column(String(16))


class CadAward(PersonRow, Base):
    """An entry of the awards ledger (奖励台帐)."""

    __tablename__ = "cad_award"
    sync_label = "奖励"

    awarded_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(8), default="")
    issuer: Mapped[str] = mapped_column(String(100), default="")
    document_no: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class CadFieldValue(PersonRow, Base):
    """The value of an extra field for a person; in the sensitive scope when its field is sensitive."""

    __tablename__ = "cad_field_value"
    sync_label = "其他登记信息"
    extra_indexes = (("person_id",), ("field_key",))

    field_key: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(500), default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    """Copied from the field's definition when the value is written."""

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return record_scope(bool(values.get("sensitive")))


class CadDocument(PersonRow, Base):
    """A document or photo of a person (资料); its file is the attachment owned by this row."""

    __tablename__ = "cad_document"
    sync_label = "老干部资料"

    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(4), default="资料")
    dated_on: Mapped[date | None] = mapped_column(Date)
    attachment_id: Mapped[str | None] = mapped_column(String(36))
    """The attachment (``reg_attachment``) holding the file; it is owned by this row and shares its scope."""
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    """A sensitive document (a medical certificate, an ID card scan) is kept in the sensitive scope."""
    note: Mapped[str] = mapped_column(String(200), default="")

    @classmethod
    def scope_for(cls, values: dict[str, Any]) -> str:
        return record_scope(bool(values.get("sensitive")))


# ------------------------------------------------------------------------------------------ sensitive part
class CadFamily(SensitiveRow, Base):
    """A family member (家属); one of them may be the emergency contact."""

    __tablename__ = "cad_family"
    sync_label = "家属"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "name": SENSITIVE,
        "phone": MaskRule(P_CADRE_SENSITIVE, "phone"),
        "address": SENSITIVE,
        "work_unit": SENSITIVE,
    }

    relation: Mapped[str] = mapped_column(String(8), default="其他")
    name: Mapped[str | None] = mapped_column(String(60))
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    work_unit: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    emergency_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadHospitalStay(SensitiveRow, Base):
    """A hospital stay (住院情况): where, when, and what for."""

    __tablename__ = "cad_hospital_stay"
    sync_label = "住院情况"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "hospital": SENSITIVE,
        "ward": SENSITIVE,
        "diagnosis": SENSITIVE,
        "note": SENSITIVE,
    }
    extra_indexes = (("person_id",), ("admitted_on",))

    hospital: Mapped[str | None] = mapped_column(String(100))
    ward: Mapped[str | None] = mapped_column(String(60))
    admitted_on: Mapped[date] = mapped_column(Date)
    discharged_on: Mapped[date | None] = mapped_column(Date)
    diagnosis: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(500))



# ------------------------------------------------------------------------------------------ the care work
STATUS_CHANGE_KINDS = ("退休", "离休", "改为离休", "待遇调整", "去世", "其他")
DISPATCH_CHANNELS = ("邮寄", "专人送达", "自取", "电子邮件", "短信告知")
BRANCH_OFFICES = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员")
AID_STATES = ("applied", "approved", "refused", "paid")
AID_STATE_LABELS = {"applied": "已申请", "approved": "已批准", "refused": "未批准", "paid": "已发放"}
ACTIVITY_STATES = ("planned", "open", "done", "cancelled")
ACTIVITY_STATE_LABELS = {"planned": "筹划中", "open": "报名中", "done": "已举办", "cancelled": "已取消"}
CONTACT_KINDS = ("走访", "电话", "慰问", "来访", "其他")


class CadStatusChange(PersonRow, Base):
    """A change of retirement status (离退休状态变更): retired, changed to 离休, treatment adjusted, died."""

    __tablename__ = "cad_status_change"
    sync_label = "状态变更"

    changed_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8), default="其他")
    from_text: Mapped[str] = mapped_column(String(60), default="")
    to_text: Mapped[str] = mapped_column(String(60), default="")
    document_no: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class CadDispatch(PersonRow, Base):
    """A document sent to a retiree (文件送阅): what, when, how, and when it was received."""

    __tablename__ = "cad_dispatch"
    sync_label = "文件送阅"
    extra_indexes = (("person_id",), ("sent_on",))

    title: Mapped[str] = mapped_column(String(120))
    document_no: Mapped[str] = mapped_column(String(60), default="")
    sent_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8), default="邮寄")
    received_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadBranch(CadreRow, Base):
    """A party branch of the retirees (离退休干部党支部)."""

    __tablename__ = "cad_branch"
    sync_label = "党支部"

    name: Mapped[str] = mapped_column(String(60))
    founded_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadBranchMember(PersonRow, Base):
    """A person's membership of a branch, from ``joined_on`` until ``left_on`` (empty: still a member)."""

    __tablename__ = "cad_branch_member"
    sync_label = "支部党员"
    extra_indexes = (("person_id",), ("branch_id",))

    branch_id: Mapped[str] = mapped_column(String(36))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class CadBranchOffice(PersonRow, Base):
    """A term of office in a branch (书记, 委员 …); the past terms are the history of office holders."""

    __tablename__ = "cad_branch_office"
    sync_label = "支部委员任期"
    extra_indexes = (("person_id",), ("branch_id",))

    branch_id: Mapped[str] = mapped_column(String(36))
    office: Mapped[str] = mapped_column(String(8), default="委员")
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    """Empty while in office."""
    note: Mapped[str] = mapped_column(String(200), default="")


class CadAid(PersonRow, Base):
    """A hardship aid application (帮困救助): applied, then approved (with the amount) or refused, then paid.

    Amounts are in fen (分) so sums are exact on both databases."""

    __tablename__ = "cad_aid"
    sync_label = "帮困救助"
    extra_indexes = (("person_id",), ("applied_on",))

    applied_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    requested_fen: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(10), default="applied")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    approved_fen: Mapped[int] = mapped_column(Integer, default=0)
    paid_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadActivity(CadreRow, Base):
    """An activity for the retirees (活动): planned, open for sign-up, held or cancelled."""

    __tablename__ = "cad_activity"
    sync_label = "活动"
    extra_indexes = (("held_on",),)

    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="")
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    sign_up_until: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="planned")
    note: Mapped[str] = mapped_column(Text, default="")


class CadActivityEntry(PersonRow, Base):
    """A person signed up for an activity, and whether they attended (empty until it is held)."""

    __tablename__ = "cad_activity_entry"
    sync_label = "活动报名"
    extra_indexes = (("person_id",), ("activity_id",))

    activity_id: Mapped[str] = mapped_column(String(36))
    signed_up_on: Mapped[date | None] = mapped_column(Date)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class CadContact(PersonRow, Base):
    """A visit or contact (联络关怀): 走访, 电话, 慰问 …"""

    __tablename__ = "cad_contact"
    sync_label = "走访联络"
    extra_indexes = (("person_id",), ("contacted_on",))

    contacted_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(4), default="走访")
    staff: Mapped[str] = mapped_column(String(60), default="")
    summary: Mapped[str] = mapped_column(String(500), default="")


class CadCheckup(SensitiveRow, Base):
    """A physical examination (体检): the arrangement and its results (sensitive: health data)."""

    __tablename__ = "cad_checkup"
    sync_label = "体检"
    sync_masked: ClassVar[dict[str, MaskRule]] = {
        "hospital": SENSITIVE,
        "result": SENSITIVE,
        "conclusion": SENSITIVE,
    }
    extra_indexes = (("person_id",), ("year",))

    year: Mapped[int] = mapped_column(Integer)
    arranged_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    hospital: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(String(200))


REFERENCE_MODELS = (CadCategory, CadFieldDef, CadSetting)
RECORD_MODELS = (CadPerson, CadInterest, CadLifeEvent, CadPersonCategory, CadAward, CadFieldValue, CadDocument)
CARE_MODELS = (CadStatusChange, CadDispatch, CadBranch, CadBranchMember, CadBranchOffice, CadAid, CadActivity,
               CadActivityEntry, CadContact)
SENSITIVE_MODELS = (CadFamily, CadHospitalStay, CadCheckup)
CADRE_MODELS = (*REFERENCE_MODELS, *RECORD_MODELS, *CARE_MODELS, *SENSITIVE_MODELS)
