"""The review plan (智能审查计划): departments or projects ranked by a transparent risk score, each score
explained factor by factor; staff select targets into a plan, adopt or change the suggested experts and
committees, and send the review tasks out with a due date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from apps.budget.common.context import BudgetContext
from apps.budget.platform.widgets import (
    PlatformPage,
    fill,
    hint,
    make_table,
    name_of,
    row_data,
    section,
    selected_data,
)
from apps.common.qt import (
    QAbstractItemView,
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
    Signal,
)
from apps.common.theme import set_role
from core.auth.roles import P_BUDGET_PLAN
from core.budget import review
from core.budget.platform.experts import ExpertView, list_experts
from core.budget.review import DOMAIN_FIELDS, ItemView, PlanError, PlanView, RiskScore
from core.budget.work import ReviewItem


class ReviewPlanPage(PlatformPage):
    """Ranking with explanations, and the plans made from it."""

    open_item = Signal(str, str)

    def __init__(self, ctx: BudgetContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.may_plan = ctx.can(P_BUDGET_PLAN)
        self.scores: list[RiskScore] = []
        self.items: list[ItemView] = []
        self.plans: list[PlanView] = []
        self.kind = QComboBox()
        self.kind.setObjectName("rank_kind")
        self.kind.addItem(name_of("department"), "department")
        self.kind.addItem(name_of("project"), "project")
        self.kind.currentIndexChanged.connect(self.refresh)
        self.top_bar.addWidget(QLabel(self.tr("排序对象")))
        self.top_bar.addWidget(self.kind)
        self.outer.addWidget(hint(self.tr("风险评分 = 预警 + 预算增长 + 执行进度 + 审计问题 + 预算规模，各项得分见右侧说明。"
                                          "按住 Ctrl 或 Shift 可选择多个对象。")))
        split = QSplitter()
        self.ranking = make_table([self.tr("名次"), self.tr("审查对象"), self.tr("专委会"), self.tr("评分"),
                                   self.tr("主要原因")], "ranking", 4)
        self.ranking.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.ranking.currentCellChanged.connect(lambda *_: self._explain())
        self.ranking.cellDoubleClicked.connect(self._open)
        split.addWidget(self.ranking)
        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        self.explained = section(self.tr("评分说明"))
        box.addWidget(self.explained)
        self.factors = make_table([self.tr("因素"), self.tr("数值"), self.tr("得分"), self.tr("说明")], "factors", 3)
        box.addWidget(self.factors, 1)
        split.addWidget(right)
        split.setSizes([820, 600])
        self.outer.addWidget(split, 3)

        make = QHBoxLayout()
        self.plan_title = QLineEdit(self.tr("%1年度重点审查计划").replace("%1", str(ctx.year)))
        self.plan_title.setObjectName("plan_title")
        self.top_n = QSpinBox()
        self.top_n.setObjectName("top_n")
        self.top_n.setRange(1, 50)
        self.top_n.setValue(10)
        self.make_button = QPushButton(self.tr("用选中的对象生成审查计划"))
        self.make_button.setObjectName("make_plan")
        set_role(self.make_button, "primary")
        self.make_button.clicked.connect(self.make_plan)
        self.top_button = QPushButton(self.tr("选中前 N 名"))
        self.top_button.setObjectName("select_top")
        self.top_button.clicked.connect(self.select_top)
        make.addWidget(QLabel(self.tr("计划名称")))
        make.addWidget(self.plan_title, 1)
        make.addWidget(QLabel("N"))
        make.addWidget(self.top_n)
        make.addWidget(self.top_button)
        make.addWidget(self.make_button)
        self.outer.addLayout(make)

        plan_bar = QHBoxLayout()
        plan_bar.addWidget(section(self.tr("审查计划")))
        self.plan = QComboBox()
        self.plan.setObjectName("plan_choice")
        self.plan.currentIndexChanged.connect(self._load_plan)
        plan_bar.addWidget(self.plan, 1)
        self.plan_status = QLabel("")
        self.plan_status.setObjectName("plan_status")
        plan_bar.addWidget(self.plan_status)
        self.outer.addLayout(plan_bar)
        self.item_table = make_table([self.tr("审查对象"), self.tr("评分"), self.tr("专委会"), self.tr("专家")],
                                     "plan_items", 3)
        self.outer.addWidget(self.item_table, 2)
        actions = QHBoxLayout()
        self.suggest_button = QPushButton(self.tr("采用推荐专家"))
        self.suggest_button.setObjectName("adopt_experts")
        self.suggest_button.clicked.connect(self.adopt)
        self.committee = QComboBox()
        self.committee.setObjectName("committee_choice")
        self.committee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.committee.setMinimumContentsLength(9)
        self.committee.addItem(self.tr("（不指定专委会）"), "")
        for domain in DOMAIN_FIELDS:
            self.committee.addItem(domain, domain)
        self.committee_button = QPushButton(self.tr("设为选中对象的专委会"))
        self.committee_button.setObjectName("set_committee")
        self.committee_button.clicked.connect(self.assign_committee)
        soon = date.today() + timedelta(days=21)
        self.due = QDateEdit(QDate(soon.year, soon.month, soon.day))
        self.due.setObjectName("due_date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat(self.tr("yyyy年M月d日"))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.tasks_button = QPushButton(self.tr("分派审查任务"))
        self.tasks_button.setObjectName("create_tasks")
        set_role(self.tasks_button, "primary")
        self.tasks_button.clicked.connect(self.create_tasks)
        self.expert_choice = QComboBox()
        self.expert_choice.setObjectName("expert_choice")
        self.expert_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.add_expert_button = QPushButton(self.tr("加给选中对象"))
        self.add_expert_button.setObjectName("add_expert")
        self.add_expert_button.clicked.connect(lambda: self.change_experts(add=True))
        self.clear_experts_button = QPushButton(self.tr("清除选中对象的专家"))
        self.clear_experts_button.setObjectName("clear_experts")
        self.clear_experts_button.clicked.connect(lambda: self.change_experts(add=False))
        experts_bar = QHBoxLayout()
        experts_bar.addWidget(QLabel(self.tr("专家")))
        experts_bar.addWidget(self.expert_choice)
        experts_bar.addWidget(self.add_expert_button)
        experts_bar.addWidget(self.clear_experts_button)
        experts_bar.addStretch(1)
        self.outer.addLayout(experts_bar)
        actions.addWidget(self.suggest_button)
        actions.addWidget(self.committee)
        actions.addWidget(self.committee_button)
        actions.addStretch(1)
        actions.addWidget(QLabel(self.tr("截止日期")))
        actions.addWidget(self.due)
        actions.addWidget(self.tasks_button)
        self.outer.addLayout(actions)
        for w in (self.make_button, self.top_button, self.suggest_button, self.committee, self.committee_button,
                  self.due, self.tasks_button, self.plan_title, self.expert_choice, self.add_expert_button,
                  self.clear_experts_button):
            w.setEnabled(self.may_plan)
        self.refresh()

    def title(self) -> str:
        return self.tr("智能审查计划")

    # ------------------------------------------------------------------ ranking
    def refresh(self) -> None:
        kind, year = self.kind.currentData(), self.ctx.year
        self.run(lambda: (review.rank(self.ctx.engine, year, kind), review.list_plans(self.ctx.engine, year),
                          list_experts(self.ctx.engine, self.ctx)), self._ranked)

    def _ranked(self, data: tuple[list[RiskScore], list[PlanView], list[ExpertView]]) -> None:
        self.scores, plans, experts = data
        self.expert_choice.clear()
        for e in experts:
            self.expert_choice.addItem(f"{e.name}（{'、'.join(e.fields)}）", e.id)
        fill(self.ranking, [[n, s.name, s.domain or self.tr("（预工委）"), s.score, s.summary()]
                            for n, s in enumerate(self.scores, start=1)], list(range(len(self.scores))))
        if not self.scores:
            self.explained.setText(self.tr("本年度还没有可排序的预算数据。请先导入或生成预算数据。"))
        else:
            self.ranking.setCurrentCell(0, 0)
        self._explain()
        self._plans(plans)

    def _explain(self) -> None:
        row = self.ranking.currentRow()
        index = row_data(self.ranking, row) if row >= 0 else None
        if index is None or index >= len(self.scores):
            fill(self.factors, [])
            return
        s = self.scores[index]
        self.explained.setText(self.tr("评分说明：%1 共 %2 分").replace("%1", s.name).replace("%2", str(s.score)))
        fill(self.factors, [[f.label, f.value, f.points, f.text] for f in s.factors])

    def _open(self, row: int, _column: int) -> None:
        index = row_data(self.ranking, row)
        if index is not None:
            s = self.scores[index]
            self.open_item.emit(s.kind, s.code)

    def select_top(self) -> None:
        self.ranking.clearSelection()
        mode = self.ranking.selectionMode()
        self.ranking.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(min(self.top_n.value(), self.ranking.rowCount())):
            self.ranking.selectRow(r)
        self.ranking.setSelectionMode(mode)

    def selected_scores(self) -> list[RiskScore]:
        return [self.scores[i] for i in selected_data(self.ranking) if i is not None]

    def make_plan(self) -> None:
        chosen, title, year = self.selected_scores(), self.plan_title.text(), self.ctx.year
        self.write(lambda s: review.create_plan(s, year, title, chosen).plan_no, self._made)

    def _made(self, plan_no: str) -> None:
        self.say(self.tr("已生成审查计划 %1，请分配专家和专委会后分派任务。").replace("%1", plan_no))
        self.run(lambda: review.list_plans(self.ctx.engine, self.ctx.year), lambda plans: self._plans(plans, plan_no))

    # ------------------------------------------------------------------ plans
    def _plans(self, plans: list[PlanView], choose: str = "") -> None:
        current = choose or (self.plan.currentData() or "")
        self.plans = plans
        self.plan.blockSignals(True)
        self.plan.clear()
        for p in plans:
            self.plan.addItem(f"{p.plan_no}  {p.title}", p.plan_no)
        index = self.plan.findData(current)
        self.plan.setCurrentIndex(index if index >= 0 else 0)
        self.plan.blockSignals(False)
        self._load_plan()

    def _load_plan(self) -> None:
        plan_no = self.plan.currentData()
        if not plan_no:
            fill(self.item_table, [])
            self.plan_status.setText(self.tr("还没有审查计划：在上面的排序中选择对象，生成计划。"))
            self.loaded.emit()
            return
        self.run(lambda: review.plan_view(self.ctx.engine, plan_no), self._items)

    def _items(self, items: list[ItemView]) -> None:
        self.items = items
        fill(self.item_table, [[f"{name_of(i.target_kind)}：{i.target_name}", f"{i.risk_score:.0f}",
                                i.committee or self.tr("（未指定）"),
                                "、".join(i.expert_names) or self.tr("（未分配）")] for i in items],
             [i.id for i in items])
        plan = next((p for p in self.plans if p.plan_no == self.plan.currentData()), None)
        if plan is not None:
            self.plan_status.setText(self.tr("状态：%1 · 对象 %2 个 · 任务 %3 项").replace("%1", name_of(plan.status))
                                     .replace("%2", str(plan.items)).replace("%3", str(plan.tasks)))
        self.loaded.emit()

    def _reload_plans(self, message: str) -> None:
        self.say(message)
        self.run(lambda: review.list_plans(self.ctx.engine, self.ctx.year), self._plans)

    def adopt(self) -> None:
        plan_no = self.plan.currentData()
        if not plan_no:
            return
        self.write(lambda s: review.adopt_suggestions(s, plan_no),
                   lambda n: self._reload_plans(self.tr("已为 %1 个审查对象分配推荐的专家。").replace("%1", str(n))))

    def assign_committee(self) -> None:
        ids = [i for i in selected_data(self.item_table) if i]
        committee = self.committee.currentData() or ""
        if not ids:
            self.say(self.tr("请先在计划中选择审查对象"), error=True)
            return

        def work(s: Any) -> int:
            for item_id in ids:
                review.set_committee(s, item_id, committee)
            return len(ids)

        self.write(work, lambda n: self._reload_plans(self.tr("已设置 %1 个对象的专委会。").replace("%1", str(n))))

    def change_experts(self, add: bool) -> None:
        """Add the chosen expert to the selected items, or clear their experts (staff confirm suggestions)."""
        ids = [i for i in selected_data(self.item_table) if i]
        expert = self.expert_choice.currentData()
        if not ids:
            self.say(self.tr("请先在计划中选择审查对象"), error=True)
            return

        def work(s: Any) -> int:
            for item_id in ids:
                item = s.get(ReviewItem, item_id)
                if item is None:
                    raise PlanError("审查对象不存在")
                review.assign(s, item, [*item.expert_ids, expert] if add and expert else [])
            return len(ids)

        self.write(work, lambda n: self._reload_plans(self.tr("已调整 %1 个对象的专家。").replace("%1", str(n))))

    def create_tasks(self) -> None:
        plan_no = self.plan.currentData()
        if not plan_no:
            self.say(self.tr("请先生成审查计划"), error=True)
            return
        due = self.due.date().toPython()
        if not isinstance(due, date):
            raise PlanError("截止日期无效")
        today = date.today()
        self.write(lambda s: len(review.create_tasks(s, plan_no, due, today=today)),
                   lambda n: self._reload_plans(self.tr("已分派 %1 项审查任务。").replace("%1", str(n))))


__all__ = ["ReviewPlanPage"]
