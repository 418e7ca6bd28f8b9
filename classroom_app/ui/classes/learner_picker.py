"""Pupils pick their class, then their name: big buttons, no password."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.store import ClassInfo, Learner
from classroom_app.ui.widgets import class_chooser, class_label

COLUMNS = 6


class LearnerPickerView(QWidget):
    picked = Signal(object, object)  # ClassInfo, Learner

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        title = QLabel(tr("Who are you? Pick your class, then your name."))
        title.setProperty("role", "title")
        layout.addWidget(title)
        _row, self.class_box = class_chooser(layout, [])
        self.class_box.currentIndexChanged.connect(self._show_names)
        self.names = QWidget()
        self.grid = QGridLayout(self.names)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.names)
        layout.addWidget(scroll, 1)
        self.empty = QLabel()
        layout.addWidget(self.empty)
        self.refresh()

    def refresh(self) -> None:
        self.classes = self.ctx.store.classes()
        self.class_box.blockSignals(True)
        self.class_box.clear()
        for info in self.classes:
            self.class_box.addItem(class_label(info), info.id)
        self.class_box.blockSignals(False)
        self._show_names()

    @property
    def current_class(self) -> ClassInfo | None:
        index = self.class_box.currentIndex()
        return self.classes[index] if 0 <= index < len(self.classes) else None

    def _show_names(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        info = self.current_class
        learners = self.ctx.store.learners(info.id) if info else []
        if not self.classes:
            self.empty.setText(tr("There are no classes yet. Ask your teacher to create one."))
        elif not learners:
            self.empty.setText(tr("This class has no students yet. Ask your teacher to import "
                                  "the roster."))
        else:
            self.empty.clear()
        for i, learner in enumerate(learners):
            button = QPushButton(f"{learner.name}\n{learner.student_number}")
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, who=learner: self._pick(who))
            self.grid.addWidget(button, i // COLUMNS, i % COLUMNS)

    def _pick(self, learner: Learner) -> None:
        info = self.current_class
        if info:
            self.picked.emit(info, learner)

    def button_for(self, name: str) -> QPushButton | None:
        for button in self.names.findChildren(QPushButton):
            if button.text().split("\n")[0] == name:
                return button
        return None
