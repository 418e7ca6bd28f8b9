"""Qt's own words in the UI's language: the buttons of file dialogs and message boxes
(打开, 取消, 确定, 是, 否), context menus, and the rest Qt draws itself.

Qt ships ``qtbase_zh_CN.qm`` in the PySide6 wheel (and the bundle carries it); without
it a Chinese classroom would meet "Open", "Cancel" and "Yes" in every dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

NAME = "ai-classroom-qt-translator"
QT_LOCALES = {"zh_CN": "zh_CN"}  # English is Qt's own


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
    return True
