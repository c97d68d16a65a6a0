"""Builds the default Word templates of the retired cadres' documents (run it after changing the wording).

    .venv/bin/python -m resources.cadre.templates.build_templates

The major-event report (重大事项报告) and the obituary (讣告) are official documents and follow the
GB/T 9704-2012 layout of the petition letters (A4, type area 156 × 225 mm, 3号 仿宋 body on a 22-line grid,
2号 小标宋 title, "— 1 —" folios; the page set-up is shared with :mod:`resources.petition.templates`). The
business registration form (业务登记表) and the application form (申请表) are office forms: a title and a
bordered table of labelled cells. Placeholders are Jinja expressions ``{{ name }}`` filled by
:mod:`core.cadre.documents`, which lists every placeholder.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from resources.petition.templates.build_templates import (
    BODY,
    FANGSONG,
    HEI,
    LINE,
    TITLE,
    XIAOBIAOSONG,
    _page,
    _para,
    _reproducible,
    set_font,
)

HERE = Path(__file__).resolve().parent
FILES = {"重大事项报告": "zhongda.docx", "业务登记表": "dengji.docx", "申请表": "shenqing.docx", "讣告": "fugao.docx"}
TALL_ROWS = {"登记事项": 40, "申请事项": 20, "申请理由": 45, "审核意见": 35}
"""Rows left for writing: their least height in millimetres."""
FORM = 12.0
"""小四, the cells of a form."""


def _report(doc: Any) -> None:
    _para(doc, "关于{{ name }}同志{{ event_title }}的报告", XIAOBIAOSONG, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER,
          indent=0, line=2 * LINE)
    _para(doc, "{{ recipient }}：", indent=0)
    _para(doc, "{{ name }}，{{ gender }}，{{ ethnicity }}，{{ birth_date }}出生，{{ native_place }}人，"
          "{{ party_date }}入党，{{ work_start_date }}参加工作，原任{{ former_unit }}{{ former_post }}，"
          "{{ retirement_kind }}干部，享受{{ treatment_level }}待遇。")
    _para(doc, "现将有关重大事项报告如下：{{ event }}")
    _para(doc, "特此报告。")
    _para(doc, "", indent=0)
    _para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=4 * BODY)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=2 * BODY)


def _obituary(doc: Any) -> None:
    _para(doc, "讣　告", XIAOBIAOSONG, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=2 * LINE)
    _para(doc, "{{ former_unit }}原{{ former_post }}、{{ retirement_kind }}干部{{ name }}同志，因病医治无效，"
          "于{{ died_on }}逝世，享年{{ age }}岁。")
    _para(doc, "{{ name }}同志，{{ gender }}，{{ ethnicity }}，{{ native_place }}人，{{ birth_date }}出生，"
          "{{ party_date }}入党，{{ work_start_date }}参加工作。")
    _para(doc, "{{ life_story }}")
    _para(doc, "{{ name }}同志的一生，是勤勤恳恳、兢兢业业的一生。我们沉痛悼念{{ name }}同志！")
    _para(doc, "", indent=0)
    _para(doc, "{{ issuer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=4 * BODY)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, right=2 * BODY)


REGISTRATION_ROWS = [
    ("姓名", "{{ name }}", "性别", "{{ gender }}"),
    ("民族", "{{ ethnicity }}", "出生日期", "{{ birth_date }}"),
    ("籍贯", "{{ native_place }}", "入党时间", "{{ party_date }}"),
    ("参加工作时间", "{{ work_start_date }}", "离退休类别", "{{ retirement_kind }}"),
    ("原工作单位", "{{ former_unit }}", "原职务", "{{ former_post }}"),
    ("待遇级别", "{{ treatment_level }}", "联系电话", "{{ phone }}"),
    ("家庭住址", "{{ address }}", "邮政编码", "{{ postcode }}"),
    ("登记事项", "{{ matter }}", "", ""),
    ("经办人", "{{ clerk }}", "登记日期", "{{ date }}"),
]
APPLICATION_ROWS = [
    ("申请人", "{{ name }}", "性别", "{{ gender }}"),
    ("出生日期", "{{ birth_date }}", "离退休类别", "{{ retirement_kind }}"),
    ("原工作单位", "{{ former_unit }}", "原职务", "{{ former_post }}"),
    ("联系电话", "{{ phone }}", "邮政编码", "{{ postcode }}"),
    ("家庭住址", "{{ address }}", "", ""),
    ("申请事项", "{{ matter }}", "", ""),
    ("申请理由", "{{ reason }}", "", ""),
    ("申请人签字", "", "申请日期", "{{ date }}"),
    ("审核意见", "", "", ""),
]


def _cell(cell: Any, text: str, *, label: bool) -> None:
    para = cell.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER if label else WD_ALIGN_PARAGRAPH.LEFT
    if text:
        set_font(para.add_run(text), HEI if label else FANGSONG, FORM)


def _form(doc: Any, title: str, rows: list[tuple[str, str, str, str]]) -> None:
    _para(doc, title, XIAOBIAOSONG, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, line=2 * LINE)
    _para(doc, "编号：{{ form_number }}", size=FORM, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, line=LINE)
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (l1, v1, l2, v2) in enumerate(rows):
        cells = table.rows[r].cells
        if l1 in TALL_ROWS:
            table.rows[r].height = Mm(TALL_ROWS[l1])
        _cell(cells[0], l1, label=True)
        if not l2:
            merged = cells[1].merge(cells[3])
            _cell(merged, v1, label=False)
            continue
        _cell(cells[1], v1, label=False)
        _cell(cells[2], l2, label=True)
        _cell(cells[3], v2, label=False)
    _para(doc, "", indent=0)
    _para(doc, "{{ issuer }}制", size=FORM, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0, line=LINE)


def build(kind: str) -> bytes:
    """The default template of one kind of document, as .docx bytes."""
    doc = Document()
    _page(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = kind, "上海市人大常委会办公厅", "上海市人大常委会办公厅"
    props.comments = "默认模板；占位符说明见 docs/cadre-documents.md"
    if kind == "重大事项报告":
        _report(doc)
    elif kind == "讣告":
        _obituary(doc)
    elif kind == "业务登记表":
        _form(doc, "老干部业务登记表", REGISTRATION_ROWS)
    else:
        _form(doc, "老干部事项申请表", APPLICATION_ROWS)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())


def main() -> None:
    for kind, name in FILES.items():
        (HERE / name).write_bytes(build(kind))
        print(f"{kind}: {HERE / name}")


if __name__ == "__main__":
    main()
