"""A learner's own lessons for their class's stage, with where they stopped."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.store import ClassInfo, Learner
from classroom_app.ui.widgets import plain_label


class StudentLessonsView(QWidget):
    open_lesson = Signal(object)  # Lesson
    switch_learner = Signal()
    show_progress = Signal()

    def __init__(self, ctx: AppContext, info: ClassInfo, learner: Learner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.info, self.learner = ctx, info, learner
        layout = QVBoxLayout(self)
        title = plain_label(tr("Hello, {name}! Choose a lesson.").format(name=learner.name))
        title.setProperty("role", "title")
        layout.addWidget(title)
        inner = QWidget()
        self.list_layout = QVBoxLayout(inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        mine = QPushButton(tr("★ My progress"))
        mine.clicked.connect(self.show_progress)
        row.addWidget(mine)
        other = QPushButton(tr("I am not {name}").format(name=learner.name))
        other.clicked.connect(self.switch_learner)
        row.addWidget(other)
        layout.addLayout(row)
        self.buttons: dict[str, QPushButton] = {}
        for lesson in ctx.library.by_stage(info.stage):
            self.list_layout.addWidget(self._row(lesson))
        self.list_layout.addStretch()

    def _status(self, lesson: Lesson) -> str:
        attempts = self.ctx.store.learner_attempts(self.learner.id, lesson.id)
        if not attempts:
            return tr("Not started")
        last = attempts[-1]
        if last.finished:
            return tr("Done ✓")
        return tr("Stopped at step {n} of {total}").format(n=last.current_step + 1,
                                                            total=len(lesson.steps))

    def _row(self, lesson: Lesson) -> QPushButton:
        status = self._status(lesson)
        button = QPushButton(f"{pick(lesson.title)}\n{status}  ·  "
                             + tr("{minutes} min").format(minutes=lesson.minutes))
        button.setProperty("choice", True)
        button.setMinimumHeight(70)
        button.clicked.connect(lambda _=False, chosen=lesson: self.open_lesson.emit(chosen))
        self.buttons[lesson.id] = button
        return button
