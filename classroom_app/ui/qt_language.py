"""Qt's own words in the UI's language: the buttons of file dialogs and message boxes
(打开, 取消, 确定, 是, 否), context menus, and the rest Qt draws itself.

Qt ships ``qtbase_zh_CN.qm`` in the PySide6 wheel (and the bundle carries it); without
it a Chinese classroom would meet "Open", "Cancel" and "Yes" in every dialog. The few
words that catalogue lacks (the file dialog's "Look in:", "Files of type:", "Folder")
come from ``translations/qt_zh_CN.json``, asked before Qt's own.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from classroom_app.core import paths

NAME = "ai-classroom-qt-translator"
QT_LOCALES = {"zh_CN": "zh_CN"}  # English is Qt's own


class QtGaps(QTranslator):
    """Qt's words its own catalogue leaves in English, by context and source text."""

    def __init__(self, table: dict[str, dict[str, str]], parent: QCoreApplication) -> None:
        super().__init__(parent)
        self.table = table

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        # None (a null string) lets Qt ask the next catalogue; "" would blank the word.
        return self.table.get(context, {}).get(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self.table


def _gaps(language: str) -> dict[str, dict[str, str]]:
    path = paths.package_dir() / "translations" / f"qt_{language}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def install(language: str) -> bool:
    """Use Qt's translation for ``language`` (replacing any before); False when Qt has
    none for it here (English needs none)."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in app.findChildren(QTranslator, NAME):
        app.removeTranslator(old)
        old.deleteLater()
    QLocale.setDefault(QLocale(QT_LOCALES.get(language, "en_US")))
    if language not in QT_LOCALES:
        return False
    translator = QTranslator(app)
    translator.setObjectName(NAME)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{QT_LOCALES[language]}", folder):
        translator.deleteLater()
        return False
    app.installTranslator(translator)
    gaps = QtGaps(_gaps(language), app)
    gaps.setObjectName(NAME)
    app.installTranslator(gaps)  # installed last, asked first
    return True
