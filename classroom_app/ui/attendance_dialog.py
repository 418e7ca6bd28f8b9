"""After presenting a lesson: who was there? Everyone is ticked; untick the absent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import tr
from classroom_app.core.store import Learner
from classroom_app.ui.widgets import dialog_buttons


class AttendanceDialog(QDialog):
    def __init__(self, learners: list[Learner], minutes: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Who attended?"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("The lesson took {minutes} minutes. Untick anyone who was "
                                   "absent; the others are counted as attending.")
                                .format(minutes=round(minutes))))
        self.list = QListWidget()
        for learner in learners:
            item = QListWidgetItem(f"{learner.student_number}  {learner.name}")
            item.setData(Qt.ItemDataRole.UserRole, learner.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        buttons = dialog_buttons(tr("Record attendance"), self.accept, self.reject,
                                 tr("Do not record"))
        layout.addWidget(buttons)

    def present(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]
