"""The shared lesson step beside the master's video, and the class's answer tally.

The classroom shows the step the master teacher is on, from its own copy of the lesson
pack (commands carry step numbers, never pictures of the screen). When a quiz is
open, the local teacher counts the class's hands per option and sends the counts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import Lesson, Step
from classroom_app.core.session.protocol import AnswerSummary
from classroom_app.ui.lessons.quiz_view import LETTERS
from classroom_app.ui.lessons.step_views import TextStepView
from classroom_app.ui.widgets import note_label, plain_label


class QuizTallyView(QWidget):
    """Each question of a quiz step with a count per option; "Send" reports them."""

    send = Signal(object)  # AnswerSummary

    def __init__(self, step: Step, can_send: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        scroll.setWidget(inner)
        layout = QVBoxLayout(inner)
        layout.addWidget(note_label(
            tr("Count the hands for each option, then send the class's answers to the "
               "master teacher.") if can_send else
            tr("Count the hands for each option and talk about the answers with the class.")))
        self.counts: list[list[QSpinBox]] = []
        for number, question in enumerate(step.questions, 1):
            box = QGroupBox(tr("Question {n}").format(n=number))
            form = QFormLayout(box)
            prompt = plain_label(pick(question.prompt))
            prompt.setWordWrap(True)
            form.addRow(prompt)
            row = []
            for i, option in enumerate(question.option_texts()):
                spin = QSpinBox()
                spin.setRange(0, 99)
                mark = " ✓" if i in question.correct else ""
                form.addRow(f"{LETTERS[i]}. {option}{mark}", spin)
                row.append(spin)
            self.counts.append(row)
            layout.addWidget(box)
        layout.addStretch()
        outer.addWidget(scroll, 1)
        footer = QHBoxLayout()
        self.sent_label = QLabel()
        self.sent_label.setProperty("role", "feedback-right")
        self.send_button = QPushButton(tr("Send the class's answers"))
        self.send_button.setProperty("primary", True)
        self.send_button.clicked.connect(self._send)
        self.send_button.setVisible(can_send)
        footer.addWidget(self.sent_label, 1)
        footer.addWidget(self.send_button)
        outer.addLayout(footer)

    def summary(self) -> AnswerSummary:
        counts = tuple(tuple(spin.value() for spin in row) for row in self.counts)
        learners = max((sum(row) for row in counts), default=0)
        return AnswerSummary(self.step.id, counts, learners)

    def _send(self) -> None:
        self.send.emit(self.summary())

    def mark_sent(self, delivered: bool) -> None:
        self.sent_label.setText(tr("Sent ✓") if delivered else
                                tr("Kept: sent when the link is back."))


class SessionStepPanel(QWidget):
    """The lesson step a session is on; ``show_step`` follows the master or the replay."""

    send_answers = Signal(object)

    def __init__(self, lesson: Lesson | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.index = -1
        self.tally: QuizTallyView | None = None
        self.can_send = True  # a replay has nobody to send the answers to
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.counter = QLabel()
        self.counter.setProperty("role", "subtitle")
        self.title = plain_label()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.activity = QLabel()
        self.activity.setProperty("role", "feedback-right")
        self.activity.setWordWrap(True)
        self.stack = QStackedWidget()
        for widget in (self.counter, self.title, self.activity):
            layout.addWidget(widget)
        layout.addWidget(self.stack, 1)
        self.views: dict[tuple[int, bool], QWidget] = {}
        if lesson is None:
            self.stack.addWidget(note_label(tr("This lesson is not on this PC: the class "
                                               "follows the master teacher's video. Import "
                                               "its lesson pack to see the steps here.")))

    def show_step(self, index: int, activity: str = "") -> None:
        lesson = self.lesson
        if lesson is None:
            self.counter.setText(tr("Step {n}").format(n=index + 1))
            self._show_activity(activity)
            return
        index = max(0, min(index, len(lesson.steps) - 1))
        self.index = index
        step = lesson.steps[index]
        self.counter.setText(tr("Step {n} of {total}").format(n=index + 1,
                                                              total=len(lesson.steps)))
        self.title.setText(pick(step.title))
        tally = step.kind.has_questions and activity == "quiz"
        key = (index, tally)
        if key not in self.views:
            self.views[key] = self._view_for(step, tally)
            self.stack.addWidget(self.views[key])
        self.stack.setCurrentWidget(self.views[key])
        self._show_activity(activity)

    def _view_for(self, step: Step, tally: bool) -> QWidget:
        assert self.lesson is not None
        if tally:
            view = QuizTallyView(step, self.can_send)
            view.send.connect(self.send_answers)
            self.tally = view
            return view
        return PANEL_VIEWS[step.type](self.lesson, step)

    def _show_activity(self, activity: str) -> None:
        if activity == "quiz":
            text = tr("Quiz open: the class answers now.")
        elif activity.startswith("demo:"):
            text = tr("Demo open on this PC: {demo}").format(demo=activity[5:])
        else:
            text = ""
        self.activity.setText(text)
        self.activity.setVisible(bool(text))


def _questions_note(lesson: Lesson, step: Step) -> QWidget:
    lines = [f"{n}. {pick(q.prompt)}" for n, q in enumerate(step.questions, 1)]
    return note_label(tr("Quiz: the master teacher opens it for the class.") + "\n\n"
                      + "\n".join(lines))


# What the panel shows of each step kind (the keys of core.lessons.model.STEP_KINDS).
PANEL_VIEWS: dict[str, Callable[[Lesson, Step], QWidget]] = {
    "text": TextStepView,
    "quiz": _questions_note,
    "demo": TextStepView,
    "reflection": TextStepView,
}
