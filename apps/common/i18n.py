"""Translations: source strings are Simplified Chinese; English comes from Qt translation files.

Every user-facing string is wrapped in ``self.tr(...)`` or ``QCoreApplication.translate(ctx, ...)``
(``QT_TRANSLATE_NOOP`` for tables at module level). ``pyside6-lupdate`` collects them into
``resources/translations/<unit>_en.ts``; a translator fills in the English; ``pyside6-lrelease``
compiles the ``.qm`` that is loaded at run time. Regenerate both after changing strings::

    python -m apps.common.i18n          # update .ts from the sources, then compile .qm
    python -m apps.common.i18n --check  # exit 1 if a string is new, unfinished or the .qm is stale

Qt's own strings (standard buttons, context menus) come from Qt's ``qtbase_<lang>.qm``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import apps
import resources
from apps.common.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATIONS_DIR = Path(resources.__file__).parent / "translations"
APPS_DIR = Path(apps.__file__).parent
SOURCE_LANGUAGE = "zh_CN"
TARGET_LANGUAGES = ("en",)

# One .ts per unit, built from these folders under apps/. An app with many strings may add its own
# unit here; at run time every ``*_<lang>.qm`` in the folder is loaded.
# An entry is a folder (all its .py files) or one .py file, relative to apps/.
TRANSLATION_UNITS: dict[str, tuple[str, ...]] = {
    "renda": ("common", "launcher", "kiosk", "admin"),
    "conference": ("conference",),
    "budget": ("budget/window.py", "budget/common"),
    "budget_query": ("budget/query",),
    "budget_warnings": ("budget/warnings",),
    "budget_analysis": ("budget/analysis",),
    "budget_platform": ("budget/platform",),
    "budget_imports": ("budget/imports",),
    "petition": ("petition",),
    "machine_room": ("machine_room",),
    # the retired-cadre desk's screens; cli*.py and bench*.py are command-line and stay Chinese
    "cadre": ("cadre/window.py", "cadre/people_page.py", "cadre/person_page.py", "cadre/person_tabs.py",
              "cadre/person_edit.py", "cadre/attachments_view.py", "cadre/reminders_page.py",
              "cadre/care_page.py", "cadre/care_forms.py", "cadre/analysis_page.py", "cadre/batch.py",
              "cadre/notices_page.py", "cadre/activity_photos.py", "cadre/interfaces_page.py",
              "cadre/reach_dialog.py"),
}

_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, language: str) -> list[Path]:
    """Switch the running application to ``language``; returns the files loaded.

    Qt sends a LanguageChange event to every widget, and widgets re-read their texts from ``tr``.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    loaded: list[Path] = []
    QLocale.setDefault(QLocale(language))
    if language != SOURCE_LANGUAGE:
        for qm in sorted(TRANSLATIONS_DIR.glob(f"*_{language}.qm")):
            loaded.extend(_load(app, qm))
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    qtbase = qt_dir / f"qtbase_{language}.qm"
    if qtbase.exists():
        loaded.extend(_load(app, qtbase))
    return loaded


def _load(app: QCoreApplication, path: Path) -> list[Path]:
    translator = QTranslator(app)
    if not translator.load(str(path)):
        return []
    app.installTranslator(translator)
    _installed.append(translator)
    return [path]


def join_list(items: list[str]) -> str:
    """Items joined as the language lists them (、 in Chinese, a comma in English)."""
    return QCoreApplication.translate("Lists", "、").join(items)


# --------------------------------------------------------------------------- maintenance
def _tool(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found; install PySide6 in this environment")
    return found


def unit_sources(unit: str) -> list[Path]:
    files: list[Path] = []
    for entry in TRANSLATION_UNITS[unit]:
        path = APPS_DIR / entry
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def ts_path(unit: str, language: str) -> Path:
    return TRANSLATIONS_DIR / f"{unit}_{language}.ts"


def run_lupdate(unit: str, language: str, ts: Path) -> None:
    """Merge the unit's current source strings into ``ts`` (translations already there are kept)."""
    cmd = [_tool("pyside6-lupdate"), *map(str, unit_sources(unit)), "-ts", str(ts),
           "-source-language", SOURCE_LANGUAGE, "-target-language", language,
           "-locations", "none", "-no-obsolete", "-silent"]
    _run(cmd)


def run_lrelease(ts: Path, qm: Path) -> None:
    _run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)])


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed: {(result.stderr or result.stdout).strip()}")


def update_translations(units: list[str] | None = None) -> list[Path]:
    """Refresh the units' .ts (every unit's by default) from the sources and compile each .qm;
    returns the files written. A unit with no source files yet is skipped."""
    written: list[Path] = []
    for unit in units or list(TRANSLATION_UNITS):
        if not unit_sources(unit):
            continue
        for language in TARGET_LANGUAGES:
            ts = ts_path(unit, language)
            run_lupdate(unit, language, ts)
            qm = ts.with_suffix(".qm")
            run_lrelease(ts, qm)
            written += [ts, qm]
    return written


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool


def read_ts(ts: Path) -> list[Message]:
    out: list[Message] = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            node = message.find("translation")
            kind = node.get("type", "") if node is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            text = (node.text or "") if node is not None else ""
            out.append(Message(name, message.findtext("source", ""), text, kind != "unfinished" and bool(text)))
    return out


def check_translations(units: list[str] | None = None) -> list[str]:
    """Problems with the committed translation files, in plain words (empty when all is well)."""
    problems: list[str] = []
    for unit in units or list(TRANSLATION_UNITS):
        if not unit_sources(unit):
            continue
        for language in TARGET_LANGUAGES:
            ts = ts_path(unit, language)
            if not ts.exists():
                problems.append(f"{ts.name} is missing")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / ts.name
                shutil.copy(ts, fresh)
                run_lupdate(unit, language, fresh)
                committed = {(m.context, m.source) for m in read_ts(ts)}
                for m in read_ts(fresh):
                    if (m.context, m.source) not in committed:
                        problems.append(f"{ts.name}: new string not in the file: [{m.context}] {m.source}")
                    elif not m.finished:
                        problems.append(f"{ts.name}: no {language} translation: [{m.context}] {m.source}")
                current = {(m.context, m.source) for m in read_ts(fresh)}
                for context, source in sorted(committed - current):
                    problems.append(f"{ts.name}: string no longer in the code: [{context}] {source}")
                problems.extend(_stale_qm(ts, language))
    return problems


def _stale_qm(ts: Path, language: str) -> list[str]:
    """Compare what the committed .qm answers with the .ts, message by message (the bytes that
    lrelease writes may differ between Qt versions; the translations must not)."""
    qm = ts.with_suffix(".qm")
    translator = QTranslator()
    if not qm.exists() or not translator.load(str(qm)):
        return [f"{qm.name} is missing or unreadable: run python -m apps.common.i18n"]
    for m in read_ts(ts):
        if m.finished and translator.translate(m.context, m.source) != m.translation:
            return [f"{qm.name} is out of date ([{m.context}] {m.source}): run python -m apps.common.i18n"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Update or check the suite's translation files")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on problems")
    parser.add_argument("--unit", action="append", choices=sorted(TRANSLATION_UNITS),
                        help="update only this unit (repeatable); all units by default")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_translations(args.unit)
        for line in problems:
            print(line)
        return 1 if problems else 0
    for path in update_translations(args.unit):
        print(path)
    unfinished = [m for unit in (args.unit or TRANSLATION_UNITS) for lang in TARGET_LANGUAGES
                  if ts_path(unit, lang).exists() for m in read_ts(ts_path(unit, lang)) if not m.finished]
    if unfinished:
        print(f"{len(unfinished)} strings still need a translation (open the .ts in pyside6-linguist)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
