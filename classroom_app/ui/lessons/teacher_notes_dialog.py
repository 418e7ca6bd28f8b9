"""The teacher's notes of a lesson (preparation, timing, answers, safety), read while
preparing: never projected, and shown only once the teacher PIN is entered."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from classroom_app.core.i18n import language, pick, tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.ui.lessons.markdown_view import MarkdownView
from classroom_app.ui.window_fit import within


class TeacherNotesDialog(QDialog):
    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Teacher notes: {title}").format(title=pick(lesson.title)))
        layout = QVBoxLayout(self)
        self.text = MarkdownView()
        lang = language() if language() in lesson.teacher_notes else "zh_CN"
        self.text.show_markdown(pick(lesson.teacher_notes), lesson.path / lang, lesson.path)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        area = (parent or self).screen().availableGeometry()
        self.resize(within(QSize(900, 900), area).size())
