"""Settings, font size, translations and the language switch."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from apps.common.application import set_font_size, set_language
from apps.common.i18n import TRANSLATION_UNITS, check_translations, read_ts, ts_path, unit_sources
from apps.common.login import LoginDialog
from apps.common.qt import QApplication, QDialogButtonBox, QEvent, QLabel, QObject
from apps.common.settings import FONT_SIZES, ClientSettings
from apps.common.theme import apply_appearance, style_sheet
from core.paths import config_dir


def test_settings_are_kept_under_the_config_dir() -> None:
    settings = ClientSettings()
    settings.server_url = "https://renda.example.gov.cn/ "
    settings.last_username = "staff"
    settings.language = "en"
    settings.font_size = "large"
    assert settings.path.parent == config_dir()
    again = ClientSettings()
    assert again.server_url == "https://renda.example.gov.cn"
    assert again.last_username == "staff"
    assert again.language == "en"
    assert again.font_points == FONT_SIZES["large"]


def test_defaults_are_chinese_and_standard_size() -> None:
    settings = ClientSettings()
    assert settings.language == "zh_CN"
    assert settings.font_size == "standard"
    assert settings.server_url == ""


def test_every_source_string_has_an_english_translation_and_the_qm_is_current() -> None:
    assert check_translations() == []
    for unit in TRANSLATION_UNITS:
        if not unit_sources(unit):
            continue
        messages = read_ts(ts_path(unit, "en"))
        assert messages, f"{unit}: no strings"
        assert all(m.finished for m in messages)


def _shown_label(qtbot: QtBot) -> tuple[QLabel, QApplication]:
    label = QLabel("字号")
    qtbot.addWidget(label)
    label.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return label, app


def test_font_size_applies_app_wide(qtbot: QtBot, gui: ClientSettings) -> None:
    label, app = _shown_label(qtbot)
    assert app.font().pointSize() == 12
    set_font_size(gui, "xlarge")
    assert gui.font_size == "xlarge"
    assert app.font().pointSize() == 18
    qtbot.waitUntil(lambda: label.font().pointSize() == 18)
    assert "font-size: 29pt" in app.styleSheet()  # titles grow with the base size (18 × 1.6)
    assert app.font().families()[0] == "WenQuanYi Micro Hei"  # the shipped face first


class _StyleChanges(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.StyleChange:
            self.count += 1
        return False


def test_applying_the_same_appearance_again_restyles_no_window(qtbot: QtBot, gui: ClientSettings) -> None:
    # A language switch applies all the settings again; with the font and the style sheet as they were, the open
    # windows must not be re-styled (with a few thousand widgets open that took seconds each time).
    label, app = _shown_label(qtbot)
    changes = _StyleChanges()
    label.installEventFilter(changes)
    apply_appearance(app, gui.font_points)
    assert changes.count == 0
    apply_appearance(app, gui.font_points + 2)
    assert changes.count > 0  # a real change still reaches the window
    apply_appearance(app, gui.font_points)
    assert label.font().pointSize() == gui.font_points


def test_style_sheet_scales_with_points() -> None:
    assert "font-size: 19pt" in style_sheet(12)
    assert "@" not in style_sheet(14)


def test_language_switch_changes_visible_text(qtbot: QtBot, gui: ClientSettings) -> None:
    dialog = LoginDialog(gui)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.login_button.text() == "登录(&L)"
    assert dialog.title.text() == "上海市人大常委会办公厅"
    set_language(gui, "en")
    qtbot.waitUntil(lambda: dialog.login_button.text() == "Sign &in")
    assert dialog.user_label.text() == "&User name:"
    assert dialog.language_button.text() == "简体中文"
    assert ClientSettings().language == "en"
    # Qt's own strings follow too (qtbase translations), e.g. standard buttons in Chinese.
    set_language(gui, "zh_CN")
    qtbot.waitUntil(lambda: dialog.login_button.text() == "登录(&L)")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
