"""Desktop client settings: server address, last user name, language and font size.

Stored with QSettings in an INI file under ``core.paths.config_dir()`` (per user, not per data
folder), so a portable install keeps its settings beside its data. Nothing secret is kept here:
sign-in tokens live in the OS keyring.
"""

from __future__ import annotations

from pathlib import Path

from apps.common.qt import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from core.paths import config_dir

# Point sizes chosen for older users: the smallest is already larger than the Windows default (9 pt).
FONT_SIZES: dict[str, int] = {"standard": 12, "large": 14, "xlarge": 18}
FONT_SIZE_LABELS: dict[str, str] = {
    "standard": QT_TRANSLATE_NOOP("FontSize", "标准"),
    "large": QT_TRANSLATE_NOOP("FontSize", "大"),
    "xlarge": QT_TRANSLATE_NOOP("FontSize", "特大"),
}
DEFAULT_FONT_SIZE = "standard"

# Each language is named in itself, so a user can find their own in a menu they cannot read.
LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


def font_size_label(key: str) -> str:
    return QCoreApplication.translate("FontSize", FONT_SIZE_LABELS.get(key, FONT_SIZE_LABELS[DEFAULT_FONT_SIZE]))


class ClientSettings:
    """Typed access to the settings file; every setter writes through at once."""

    FILE_NAME = "desktop.ini"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / self.FILE_NAME
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def _put(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    @property
    def server_url(self) -> str:
        return self._text("server/url")

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._put("server/url", value.strip().rstrip("/"))

    @property
    def last_username(self) -> str:
        return self._text("server/last_username")

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._put("server/last_username", value.strip())

    @property
    def language(self) -> str:
        value = self._text("ui/language", DEFAULT_LANGUAGE)
        return value if value in LANGUAGES else DEFAULT_LANGUAGE

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}")
        self._put("ui/language", value)

    @property
    def font_size(self) -> str:
        value = self._text("ui/font_size", DEFAULT_FONT_SIZE)
        return value if value in FONT_SIZES else DEFAULT_FONT_SIZE

    @font_size.setter
    def font_size(self, value: str) -> None:
        if value not in FONT_SIZES:
            raise ValueError(f"unknown font size {value!r}")
        self._put("ui/font_size", value)

    @property
    def font_points(self) -> int:
        return FONT_SIZES[self.font_size]
