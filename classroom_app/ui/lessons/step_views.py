"""The views of text, demo and reflection steps (quizzes have their own module)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from classroom_app.core.demo_catalog import DemoManifest
from classroom_app.core.i18n import language, pick, tr
from classroom_app.core.lessons.model import Lesson, Step
from classroom_app.ui.lessons.markdown_view import MarkdownView


def _markdown(lesson: Lesson, step: Step) -> MarkdownView:
    view = MarkdownView()
    lang = language() if language() in step.markdown else next(iter(step.markdown), "en")
    view.show_markdown(step.markdown.get(lang, ""), step.markdown_dir(lesson, lang),
                       lesson.path)
    return view


class TextStepView(QWidget):
    def __init__(self, lesson: Lesson, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = _markdown(lesson, step)
        layout.addWidget(self.text)


class DemoStepView(QWidget):
    open_demo = Signal(str, dict)

    def __init__(self, lesson: Lesson, step: Step, manifest: DemoManifest | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = _markdown(lesson, step)
        layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        if manifest is None:
            self.button = QPushButton(tr("This demo is not installed"))
            self.button.setEnabled(False)
        else:
            self.button = QPushButton("▶ " + tr("Open the demo: {title}")
                                      .format(title=pick(manifest.title)))
            self.button.setProperty("primary", True)
            self.button.clicked.connect(lambda: self.open_demo.emit(manifest.id, step.params_for()))
        row.addStretch()
        row.addWidget(self.button)
        row.addStretch()
        layout.addLayout(row)


class ReflectionStepView(QWidget):
    def __init__(self, lesson: Lesson, step: Step, writable: bool, previous: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = _markdown(lesson, step)
        layout.addWidget(self.text, 2)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(tr("Write your thoughts here…"))
        self.editor.setPlainText(previous)
        self.hint = QLabel(tr("Write at least one sentence, then go on."))
        self.hint.setProperty("role", "subtitle")
        if writable:
            layout.addWidget(QLabel(tr("My answer:")))
            layout.addWidget(self.editor, 1)
            layout.addWidget(self.hint)

    def response(self) -> str:
        return self.editor.toPlainText().strip()
