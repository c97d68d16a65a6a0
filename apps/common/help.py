"""The help window (F1): the clerks' guides that ship with the program, in Chinese, shown as formatted text.

Guides are Markdown files in ``resources/help/``: ``desktop.md`` (signing in, sync, conflicts, font size) and one
per system that has one (``budget.md`` …). The window opens on the guide of the system it was asked from.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from apps.common.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    Qt,
    QtWidgets,
    QWidget,
)

TOPICS: tuple[tuple[str, str], ...] = (
    ("desktop", QT_TRANSLATE_NOOP("Help", "通用操作：登录、同步、冲突、字号")),
    ("budget", QT_TRANSLATE_NOOP("Help", "预算联网监督")),
    ("conference", QT_TRANSLATE_NOOP("Help", "主席团电子会务")),
    ("cadre", QT_TRANSLATE_NOOP("Help", "老干部管理")),
    ("petition", QT_TRANSLATE_NOOP("Help", "信访")),
    ("machine_room", QT_TRANSLATE_NOOP("Help", "机房监控")),
)


@cache
def guide_text(topic: str) -> str | None:
    """The Markdown of a guide, or None when the program ships none for ``topic``."""
    path = resources.files("resources").joinpath("help", f"{topic}.md")
    return path.read_text(encoding="utf-8") if path.is_file() else None


def available_topics() -> list[str]:
    return [key for key, _ in TOPICS if guide_text(key) is not None]


class HelpWindow(QDialog):
    """The guides on the left, the chosen one on the right; not modal, so it can stay open beside the work."""

    def __init__(self, topic: str = "desktop", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HelpWindow")
        self.setWindowTitle(QCoreApplication.translate("Help", "使用说明"))
        self.resize(1000, 760)
        self.topics = QListWidget()
        self.topics.setObjectName("helpTopics")
        self.topics.setMaximumWidth(300)
        for key in available_topics():
            label = dict(TOPICS)[key]
            entry = QListWidgetItem(QCoreApplication.translate("Help", label))
            entry.setData(Qt.ItemDataRole.UserRole, key)
            self.topics.addItem(entry)
        self.text = QtWidgets.QTextBrowser()
        self.text.setObjectName("helpText")
        self.text.setOpenExternalLinks(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.topics)
        layout.addWidget(self.text, 1)
        self.topics.currentItemChanged.connect(lambda item, _old: self._show(item))
        self.show_topic(topic)

    def show_topic(self, topic: str) -> None:
        """Show ``topic`` (the general guide when the system has none of its own)."""
        wanted = topic if guide_text(topic) is not None else "desktop"
        for row in range(self.topics.count()):
            entry = self.topics.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == wanted:
                self.topics.setCurrentItem(entry)
                self._show(entry)
                return

    def current_topic(self) -> str:
        entry = self.topics.currentItem()
        return "" if entry is None else str(entry.data(Qt.ItemDataRole.UserRole))

    def _show(self, entry: QListWidgetItem | None) -> None:
        if entry is None:
            return
        self.text.setMarkdown(guide_text(str(entry.data(Qt.ItemDataRole.UserRole))) or "")
