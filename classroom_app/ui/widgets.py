"""Small building blocks several views share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import stage_name
from classroom_app.core.store import ClassInfo


def grade_name(grade: int) -> str:
    return tr("Grade {grade}").format(grade=grade)


def class_label(info: ClassInfo) -> str:
    """"四(2)班 (小学 4年级)": how a class is named in lists and choosers."""
    return f"{info.name} ({stage_name(info.stage)} {grade_name(info.grade)})"


def dialog_buttons(ok_text: str, on_ok: Callable[[], None], on_cancel: Callable[[], None],
                   cancel_text: str | None = None) -> QDialogButtonBox:
    """OK and Cancel with our own (translated) words on them."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text or tr("Cancel"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons


def class_chooser(layout: QVBoxLayout, classes: list[ClassInfo]) -> tuple[QHBoxLayout, QComboBox]:
    """A "Class:" row with a combo box of ``classes``, added to ``layout``."""
    row = QHBoxLayout()
    layout.addLayout(row)
    row.addWidget(QLabel(tr("Class:")))
    box = QComboBox()
    for info in classes:
        box.addItem(class_label(info), info.id)
    row.addWidget(box, 1)
    return row, box


def plain_label(text: str = "") -> QLabel:
    """A label for text from a lesson pack or a record (titles, prompts, names): shown
    as the text it is. Qt would take text that looks like HTML for rich text and render
    it, pictures from anywhere on the PC included."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def note_label(text: str) -> QLabel:
    """A word-wrapped explanation in the quieter subtitle style."""
    label = plain_label(text)  # it may quote a pack (a quiz's questions)
    label.setWordWrap(True)
    label.setProperty("role", "subtitle")
    return label


def button_row(layout: QVBoxLayout, buttons: list[tuple[str, Callable[[], object]]]
               ) -> list[QPushButton]:
    """Buttons side by side at the left of ``layout``; returned in order."""
    row = QHBoxLayout()
    made = []
    for text, action in buttons:
        button = QPushButton(text)
        button.clicked.connect(action)
        row.addWidget(button)
        made.append(button)
    row.addStretch()
    layout.addLayout(row)
    return made


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area: it fills the window when there is room
    and scrolls when a small screen has none."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
