"""The five business systems the launcher offers (and 用户管理 for administrators), the permission each
needs, and how to open one.

An app's window is found by convention: ``apps/<key>/window.py`` defining
``create_window(context: ClientContext) -> QWidget``. Until that module exists the launcher shows
the app's under-construction page with the features listed here.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from apps.common.context import ClientContext
from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication, QWidget
from core.auth.roles import (
    APP_BUDGET,
    APP_CADRE,
    APP_CONFERENCE,
    APP_MACHINE_ROOM,
    APP_PETITION,
    P_ADMIN_USERS,
)

CONTEXT = "AppCatalogue"
WindowFactory = Callable[[ClientContext], QWidget]


@dataclass(frozen=True)
class AppEntry:
    key: str  # package under apps/
    permission: str
    title: str  # source text; translate with tr_text()
    summary: str
    features: tuple[str, ...]

    def window_factory(self) -> WindowFactory | None:
        """The app's ``create_window`` when the app is built, else None."""
        name = f"apps.{self.key}.window"
        try:
            if importlib.util.find_spec(name) is None:
                return None
        except ModuleNotFoundError:
            return None
        module = importlib.import_module(name)
        factory = getattr(module, "create_window", None)
        return factory if callable(factory) else None


def tr_text(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


APPS: tuple[AppEntry, ...] = (
    AppEntry(
        "budget", APP_BUDGET,
        QT_TRANSLATE_NOOP("AppCatalogue", "预算联网监督"),
        QT_TRANSLATE_NOOP("AppCatalogue", "预算编制、执行和决算的全过程联网监督"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算的查询和分析"),
            QT_TRANSLATE_NOOP("AppCatalogue", "从预算指标一直查到用款计划、支付申请和每一笔资金拨付"),
            QT_TRANSLATE_NOOP("AppCatalogue", "预警：执行进度慢于序时进度、年底突击花钱、无预算或超预算支出等"),
            QT_TRANSLATE_NOOP("AppCatalogue", "部门审查、专项监督和审查计划"),
            QT_TRANSLATE_NOOP("AppCatalogue", "公文、档案、专家库、代表库，以及代表对项目的建言"),
        ),
    ),
    AppEntry(
        "cadre", APP_CADRE,
        QT_TRANSLATE_NOOP("AppCatalogue", "老干部管理"),
        QT_TRANSLATE_NOOP("AppCatalogue", "离退休干部的档案、活动和服务"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "离退休干部基本信息、家庭、住院、获奖等档案"),
            QT_TRANSLATE_NOOP("AppCatalogue", "生日提醒和祝贺短信模板"),
            QT_TRANSLATE_NOOP("AppCatalogue", "党支部、帮困救助、活动和体检管理"),
            QT_TRANSLATE_NOOP("AppCatalogue", "即将退休人员的导入和提醒"),
            QT_TRANSLATE_NOOP("AppCatalogue", "查询统计和信封地址标签打印"),
        ),
    ),
    AppEntry(
        "petition", APP_PETITION,
        QT_TRANSLATE_NOOP("AppCatalogue", "信访"),
        QT_TRANSLATE_NOOP("AppCatalogue", "信访事项的登记、办理和督办"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "信访事项登记、转送、交办和办理"),
            QT_TRANSLATE_NOOP("AppCatalogue", "按《信访工作条例》计算办理期限并提前提醒"),
            QT_TRANSLATE_NOOP("AppCatalogue", "复查、复核，重复信访自动关联"),
            QT_TRANSLATE_NOOP("AppCatalogue", "群众在网上提交信访并查询办理进度"),
            QT_TRANSLATE_NOOP("AppCatalogue", "统计和趋势分析"),
        ),
    ),
    AppEntry(
        "conference", APP_CONFERENCE,
        QT_TRANSLATE_NOOP("AppCatalogue", "主席团电子会务"),
        QT_TRANSLATE_NOOP("AppCatalogue", "报到、发言和表决的电子会务系统"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "报到签到、发言排队和电子表决"),
            QT_TRANSLATE_NOOP("AppCatalogue", "按“全体组成人员过半数”等法定规则计算表决结果"),
            QT_TRANSLATE_NOOP("AppCatalogue", "电子席卡和席位屏信息推送"),
            QT_TRANSLATE_NOOP("AppCatalogue", "主持人和会务操作员控制台、大屏显示"),
        ),
    ),
    AppEntry(
        "machine_room", APP_MACHINE_ROOM,
        QT_TRANSLATE_NOOP("AppCatalogue", "机房监控"),
        QT_TRANSLATE_NOOP("AppCatalogue", "机房供电、空调和环境的实时监控"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "UPS 运行状态和电池监测"),
            QT_TRANSLATE_NOOP("AppCatalogue", "温度、湿度、漏水、精密空调和消防报警监测"),
            QT_TRANSLATE_NOOP("AppCatalogue", "超过阈值时告警，值班员确认"),
            QT_TRANSLATE_NOOP("AppCatalogue", "历史记录和趋势曲线"),
        ),
    ),
    AppEntry(
        "admin", P_ADMIN_USERS,
        QT_TRANSLATE_NOOP("AppCatalogue", "用户管理"),
        QT_TRANSLATE_NOOP("AppCatalogue", "新建用户、分配角色、解除锁定、重设密码"),
        (
            QT_TRANSLATE_NOOP("AppCatalogue", "按用户名或姓名查找用户"),
            QT_TRANSLATE_NOOP("AppCatalogue", "新建用户并生成初始密码，首次登录须修改"),
            QT_TRANSLATE_NOOP("AppCatalogue", "分配角色和专门委员会联系的领域"),
            QT_TRANSLATE_NOOP("AppCatalogue", "停用、启用、解除锁定、强制下线"),
        ),
    ),
)
APPS_BY_KEY = {a.key: a for a in APPS}


def permitted(permissions: list[str]) -> list[AppEntry]:
    """The apps these app permissions open, in catalogue order."""
    granted = set(permissions)
    return [a for a in APPS if a.permission in granted]
