"""Qt's own words follow the UI's language: file dialogs, message boxes, input dialogs
and the editing menu read 打开/取消/确定/是/否 in Chinese, and English in English."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
)
from test_every_window import english_in

from classroom_app.core import i18n
from classroom_app.ui import qt_language


def texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QAbstractButton) + widget.findChildren(QLabel)
            if w.isVisibleTo(widget) and w.text()]


def test_qt_dialogs_speak_chinese_then_english(qtbot, tmp_path) -> None:
    """Every label and button of Qt's file dialog and message box is Chinese in zh_CN
    (the few words Qt's catalogue lacks included), English after switching."""
    assert qt_language.install("zh_CN")
    files = QFileDialog(None, "导入名单", str(tmp_path))
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    files.show()
    box = QMessageBox(QMessageBox.Icon.Question, "移除学生", "移除王小明？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    box.show()
    QApplication.processEvents()
    shown = texts(files) + texts(box)
    assert not [text for text in shown if english_in(text)], shown
    assert {"是(&Y)", "否(&N)"} <= set(shown) and any("查找范围" in t for t in shown)
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    assert any("粘贴" in action.text() for action in menu.actions())
    i18n.set_language("en")
    assert not qt_language.install("en")
    english = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(english)
    assert english.buttons()[0].text() == "&Yes"
