"""A quiz step: one question at a time, feedback and an explanation after answering."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import Question, Step
from classroom_app.ui.theme import repolish
from classroom_app.ui.widgets import plain_label

LETTERS = "ABCDEFGHIJ"


class QuizView(QWidget):
    """Shows ``step``'s questions; ``record(index, chosen)`` stores an answer."""

    changed = Signal()

    def __init__(self, step: Step, record: Callable[[int, frozenset[int]], bool],
                 answered: dict[int, frozenset[int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.record = record
        self.answered = dict(answered)
        self.index = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()  # long questions scroll instead of squeezing the options
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget "
                             "{ background: transparent; }")
        inner = QWidget()
        scroll.setWidget(inner)
        self.scroll = scroll
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        self.counter = plain_label()
        self.counter.setProperty("role", "subtitle")
        self.prompt = plain_label()
        self.prompt.setWordWrap(True)
        self.prompt.setProperty("role", "question")
        self.kind_hint = QLabel()
        self.kind_hint.setProperty("role", "subtitle")
        self.options_box = QVBoxLayout()
        self.check_button = QPushButton(tr("Check answer"))
        self.check_button.setProperty("primary", True)
        self.check_button.clicked.connect(self.check)
        self.check_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.feedback = QLabel()
        self.explanation = plain_label()
        self.explanation.setWordWrap(True)
        for widget in (self.counter, self.prompt, self.kind_hint):
            layout.addWidget(widget)
        layout.addLayout(self.options_box)
        row = QHBoxLayout()
        layout.addLayout(row)
        row.addWidget(self.check_button)
        row.addWidget(self.feedback)
        row.addStretch()
        layout.addWidget(self.explanation)
        layout.addStretch()
        self.buttons: list[QPushButton] = []
        self.group = QButtonGroup(self)
        self.show_question(0)

    @property
    def question(self) -> Question:
        return self.step.questions[self.index]

    def all_answered(self) -> bool:
        return len(self.answered) >= len(self.step.questions)

    def show_question(self, index: int) -> None:
        self.index = index
        question = self.question
        self.counter.setText(pick(self.step.title) + "  ·  " + tr("Question {n} of {total}")
                             .format(n=index + 1, total=len(self.step.questions)))
        self.prompt.setText(pick(question.prompt))
        hints = {"single": tr("Choose one answer."), "multiple": tr("Choose all that are right."),
                 "truefalse": tr("True or false?")}
        self.kind_hint.setText(hints[question.kind])
        for button in self.buttons:
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = []
        self.group.setExclusive(question.kind != "multiple")
        for i, text in enumerate(question.option_texts()):
            button = QPushButton(f"{LETTERS[i]}.  {text}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("choice", True)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.toggled.connect(self._update_check_button)
            self.group.addButton(button, i)
            self.options_box.addWidget(button)
            self.buttons.append(button)
        previous = self.answered.get(index)
        if previous is not None:
            for i in previous:
                self.buttons[i].setChecked(True)
            self._show_feedback(previous)
        else:
            self.feedback.clear()
            self.explanation.clear()
            self.check_button.setEnabled(False)
            self.check_button.setVisible(True)
            for button in self.buttons:
                button.setEnabled(True)
        self.changed.emit()

    def chosen(self) -> frozenset[int]:
        return frozenset(i for i, b in enumerate(self.buttons) if b.isChecked())

    def _update_check_button(self) -> None:
        self.check_button.setEnabled(self.index not in self.answered and bool(self.chosen()))

    def check(self) -> None:
        chosen = self.chosen()
        if not chosen or self.index in self.answered:
            return
        self.record(self.index, chosen)
        self.answered[self.index] = chosen
        self._show_feedback(chosen)
        self.scroll.ensureWidgetVisible(self.explanation)
        self.changed.emit()

    def _show_feedback(self, chosen: frozenset[int]) -> None:
        question = self.question
        right = question.is_correct(chosen)
        texts = question.option_texts()
        for i, button in enumerate(self.buttons):
            button.setEnabled(False)
            verdict = "right" if i in question.correct else ("wrong" if i in chosen else "")
            button.setProperty("verdict", verdict)
            mark = {"right": "  ✔", "wrong": "  ✘"}.get(verdict, "")
            button.setText(f"{LETTERS[i]}.  {texts[i]}{mark}")
            repolish(button)
        answer = "、".join(LETTERS[i] for i in sorted(question.correct))
        if right:
            self.feedback.setText("✔ " + tr("Right!"))
        else:
            self.feedback.setText("✘ " + tr("Not quite. The right answer: {answer}")
                                  .format(answer=answer))
        self.feedback.setProperty("role", "feedback-right" if right else "feedback-wrong")
        repolish(self.feedback)
        self.explanation.setText(pick(question.explanation))
        self.check_button.setVisible(False)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        key = event.key()
        if Qt.Key.Key_A <= key < Qt.Key.Key_A + len(self.buttons):
            self.buttons[key - Qt.Key.Key_A].click()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.check()
        else:
            super().keyPressEvent(event)

    def advance(self) -> bool:
        """Go to the next question; False when this was the last one."""
        if self.index + 1 < len(self.step.questions):
            self.show_question(self.index + 1)
            return True
        return False

    def back(self) -> bool:
        if self.index > 0:
            self.show_question(self.index - 1)
            return True
        return False

    def score(self) -> tuple[int, int]:
        right = sum(1 for i, c in self.answered.items() if self.step.questions[i].is_correct(c))
        return right, len(self.step.questions)
