"""Presenting a lesson step by step: to a class on the projector, or to one learner.

Keys: Right / PageDown / Space go on, Left / PageUp go back, Esc leaves; a pupil at
their own PC chooses quiz answers with A-D and checks with Enter. On the projector the
keys are a presenter clicker's (PageUp / PageDown / Space / Enter / B) and can never
change an answer: options are chosen by touch or mouse, Enter goes on, B blanks the
screen, a step taller than the screen scrolls before the next one comes, and Esc asks
before leaving (the window records attendance). Every completed step is written to the
store (with its xAPI statement) before it is shown as completed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import Lesson, Step
from classroom_app.core.store import Attempt
from classroom_app.ui.lessons.markdown_view import MarkdownView
from classroom_app.ui.lessons.quiz_view import QuizView
from classroom_app.ui.lessons.step_views import DemoStepView, ReflectionStepView, TextStepView
from classroom_app.ui.theme import BASE_POINT_SIZE
from classroom_app.ui.widgets import plain_label

NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up}
# A clicker's "next" may also be Enter; its "black screen" is B or the full stop.
PROJECTOR_NEXT_KEYS = NEXT_KEYS | {Qt.Key.Key_Return, Qt.Key.Key_Enter}
BLANK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}
SCROLL_MS = 250


class LessonPlayerView(QWidget):
    closed = Signal()
    finished = Signal()
    step_completed = Signal(str)
    leave_requested = Signal()  # on the projector: the window asks, then records attendance

    def __init__(self, ctx: AppContext, lesson: Lesson, attempt: Attempt, projector: bool,
                 open_demo: Callable[[str, dict], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.lesson, self.attempt = ctx, lesson, attempt
        self.projector = projector
        self.student = attempt.mode == "student"
        self.open_demo = open_demo
        self.completed = ctx.progress.completed_steps(attempt)
        self.views: dict[int, QWidget] = {}
        self.index = -1
        self.started_step = time.monotonic()
        self.started_lesson = time.monotonic()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if not projector:  # pupils read at arm's length: larger than the menus, not projector-big
            size = BASE_POINT_SIZE + 3
            self.setStyleSheet(f"QTextBrowser, QPlainTextEdit {{ font-size: {size}pt; }}")
        # Projector type: as large as the setting asks, down to what the back row of a
        # classroom still reads on a 1024×768 projector (about 24 pixels), so that a step
        # fits without scrolling where it can.
        largest = BASE_POINT_SIZE * ctx.settings.projector_scale
        self.type_range = (min(BASE_POINT_SIZE * 1.6, largest), largest)
        self.blank = QWidget(self)
        self.blank.setStyleSheet("background: black;")
        self.blank.hide()
        self._scrolling: QPropertyAnimation | None = None
        self._build()
        self.go_to(min(attempt.current_step, len(lesson.steps) - 1))

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        header = QHBoxLayout()
        self.lesson_label = plain_label(pick(self.lesson.title))
        self.lesson_label.setProperty("role", "subtitle")
        self.lesson_label.setWordWrap(True)  # a long English title must not widen the projector
        self.counter = QLabel()
        self.counter.setProperty("role", "subtitle")
        header.addWidget(self.lesson_label, 1)
        header.addWidget(self.counter)
        outer.addLayout(header)
        self.step_title = plain_label()
        self.step_title.setProperty("role", "title")
        self.step_title.setWordWrap(True)
        outer.addWidget(self.step_title)
        body = QHBoxLayout()
        self.outline = QListWidget()
        self.outline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.outline.setMaximumWidth(260)
        for step in self.lesson.steps:
            self.outline.addItem(QListWidgetItem(pick(step.title)))
        self.outline.itemClicked.connect(lambda item: self._jump(self.outline.row(item)))
        self.outline.setVisible(not self.projector)
        body.addWidget(self.outline)
        self.stack = QStackedWidget()
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.hint = QLabel()
        self.hint.setProperty("role", "feedback-wrong")
        outer.addWidget(self.hint)
        footer = QHBoxLayout()
        self.leave_button = QPushButton(tr("Leave"))
        self.back_button = QPushButton("◀ " + tr("Back"))
        self.next_button = QPushButton()
        self.next_button.setProperty("primary", True)
        for button in (self.leave_button, self.back_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.leave_button.clicked.connect(self.leave)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        footer.addWidget(self.leave_button)
        footer.addStretch()
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)
        outer.addLayout(footer)
        self._refresh_outline()

    def _view_for(self, index: int) -> QWidget:
        if index in self.views:
            return self.views[index]
        step = self.lesson.steps[index]
        view = STEP_VIEWS[step.type](self, step)
        for child in view.findChildren(QWidget):
            if not isinstance(child, QPlainTextEdit):
                child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        text = getattr(view, "text", None)
        if self.projector and isinstance(text, MarkdownView):
            text.fit_type(*self.type_range)
        if isinstance(view, QuizView):
            view.changed.connect(self.hint.clear)  # answered, or another question shown
        self.views[index] = view
        self.stack.addWidget(view)
        return view

    def _text_view(self, step: Step) -> QWidget:
        return TextStepView(self.lesson, step)

    def _quiz_view(self, step: Step) -> QWidget:
        view = QuizView(step, lambda q, chosen: self._record(step, q, chosen),
                        self.ctx.progress.answers(self.attempt, step))
        view.changed.connect(self._refresh_buttons)
        return view

    def _demo_view(self, step: Step) -> QWidget:
        view = DemoStepView(self.lesson, step, self.ctx.demos.get(step.demo or ""))
        view.open_demo.connect(self.open_demo)
        return view

    def _reflection_view(self, step: Step) -> QWidget:
        return ReflectionStepView(self.lesson, step, self.student,
                                  self.ctx.progress.response(self.attempt, step))

    def _record(self, step: Step, question: int, chosen: frozenset[int]) -> bool:
        return self.ctx.progress.record_answer(self.attempt, self.lesson, step, question, chosen)

    # -- navigation ------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    def go_to(self, index: int) -> None:
        if self._scrolling is not None:
            self._scrolling.stop()
        self.index = index
        self.started_step = time.monotonic()
        view = self._view_for(index)
        self.stack.setCurrentWidget(view)
        self.step_title.setText(pick(self.step.title))
        # A quiz names itself ("Quiz: question 1 of 5"); Markdown may open with a heading.
        self.step_title.setVisible(self.step.kind.has_markdown
                                   and not opens_with_heading(pick(self.step.markdown)))
        self.counter.setText(tr("Step {n} of {total}").format(n=index + 1,
                                                              total=len(self.lesson.steps)))
        self._refresh_outline()
        self.outline.setCurrentRow(index)
        self.hint.clear()
        self._refresh_buttons()
        if isinstance(view, ReflectionStepView) and self.student:
            view.editor.setFocus()
        else:
            self.setFocus()

    def _refresh_buttons(self) -> None:
        last = self.index == len(self.lesson.steps) - 1
        view = self.views.get(self.index)
        more_questions = isinstance(view, QuizView) and view.index + 1 < len(self.step.questions)
        if more_questions:
            self.next_button.setText(tr("Next question") + " ▶")
        else:
            self.next_button.setText(tr("Finish") + " ✓" if last else tr("Next") + " ▶")
        self.back_button.setEnabled(self.index > 0 or (isinstance(view, QuizView)
                                                       and view.index > 0))

    def _refresh_outline(self) -> None:
        for i, step in enumerate(self.lesson.steps):
            mark = "✓ " if step.id in self.completed else "○ "
            item = self.outline.item(i)
            item.setText(mark + pick(step.title))
            flags = item.flags() | Qt.ItemFlag.ItemIsEnabled
            if not self._reachable(i):  # a step ahead looks out of reach, as it is
                flags &= ~Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)

    def _reachable(self, index: int) -> bool:
        """Learners may revisit done steps and the next open one, not skip ahead."""
        return index <= max(self.index, 0) or all(
            s.id in self.completed for s in self.lesson.steps[:index])

    def _elapsed(self) -> float:
        return time.monotonic() - self.started_step

    def _blocked(self) -> str | None:
        """Why a learner may not go on yet (a class on the projector never waits)."""
        view = self.views[self.index]
        if not self.student:
            return None
        if isinstance(view, QuizView) and view.index not in view.answered:
            return tr("Answer this question first.")
        if isinstance(view, QuizView) and not view.all_answered():
            return tr("Answer every question first.")
        if isinstance(view, ReflectionStepView) and not view.response():
            return tr("Write at least one sentence, then go on.")
        return None

    def next(self) -> None:
        if self.projector and self._scroll(+1):
            return
        view = self.views[self.index]
        if isinstance(view, QuizView) and (view.index in view.answered or not self.student) \
                and view.advance():
            return
        reason = self._blocked()
        if reason:
            self.hint.setText(reason)
            return
        seconds = self._elapsed()
        response = view.response() if isinstance(view, ReflectionStepView) and self.student \
            else None
        self.ctx.progress.complete_step(self.attempt, self.lesson, self.step, seconds, response)
        self.completed.add(self.step.id)
        self._refresh_outline()
        self.step_completed.emit(self.step.id)
        if self.index == len(self.lesson.steps) - 1:
            self.ctx.progress.move_to(self.attempt, self.index, seconds)
            self.started_step = time.monotonic()
            self.finished.emit()
            return
        self.ctx.progress.move_to(self.attempt, self.index + 1, seconds)
        self.go_to(self.index + 1)

    def back(self) -> None:
        if self.projector and self._scroll(-1):
            return
        view = self.views[self.index]
        if isinstance(view, QuizView) and view.back():
            return
        if self.index > 0:
            self.ctx.progress.move_to(self.attempt, self.index - 1, self._elapsed())
            self.go_to(self.index - 1)

    def _jump(self, index: int) -> None:
        if self._reachable(index) and index != self.index:
            self.ctx.progress.move_to(self.attempt, index, self._elapsed())
            self.go_to(index)
        else:
            self.outline.setCurrentRow(self.index)

    def save_time(self) -> None:
        """Count the time on the current step (before leaving or closing)."""
        self.ctx.progress.move_to(self.attempt, self.index, self._elapsed())
        self.started_step = time.monotonic()

    def lesson_seconds(self) -> float:
        return time.monotonic() - self.started_lesson

    def leave(self) -> None:
        """Leave now (a pupil), or ask first (the class on the projector)."""
        self.save_time()
        if self.projector:
            self.leave_requested.emit()
        else:
            self.closed.emit()

    def steps_done(self) -> int:
        return sum(1 for step in self.lesson.steps if step.id in self.completed)

    # -- the projector's clicker ---------------------------------------------------------
    def _scroll(self, direction: int) -> bool:
        """Scroll the step a screenful towards ``direction`` if it has more there."""
        text = getattr(self.views.get(self.index), "text", None)
        if not isinstance(text, MarkdownView):
            return False
        bar = text.verticalScrollBar()
        animation = self._scrolling
        running = animation is not None and animation.targetObject() is bar and \
            animation.state() == QPropertyAnimation.State.Running
        now = int(animation.endValue()) if running and animation else bar.value()
        if (direction > 0 and now >= bar.maximum()) or (direction < 0 and now <= 0):
            return False
        target = max(0, min(bar.maximum(), now + direction * int(bar.pageStep() * 0.9)))
        if self._scrolling is not None:
            self._scrolling.stop()
        bar.setValue(now)
        self._scrolling = QPropertyAnimation(bar, b"value", self)
        self._scrolling.setDuration(SCROLL_MS)
        self._scrolling.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._scrolling.setStartValue(now)
        self._scrolling.setEndValue(target)
        self._scrolling.start()
        return True

    def toggle_blank(self) -> None:
        """B on a clicker: black out the screen (the class looks at the teacher)."""
        if self.blank.isVisible():
            self.blank.hide()
        else:
            self.blank.setGeometry(self.rect())
            self.blank.raise_()
            self.blank.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.blank.setGeometry(self.rect())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if self.projector and self.blank.isVisible():
            self.toggle_blank()  # any key brings the lesson back
        elif self.projector and key in BLANK_KEYS:
            self.toggle_blank()
        elif key in (PROJECTOR_NEXT_KEYS if self.projector else NEXT_KEYS):
            self.next()
        elif key in BACK_KEYS:
            self.back()
        elif key == Qt.Key.Key_Escape:
            self.leave()
        elif isinstance(self.views.get(self.index), QuizView) and not self.projector:
            self.views[self.index].keyPressEvent(event)
        else:
            super().keyPressEvent(event)


# The view of each step kind (the keys of core.lessons.model.STEP_KINDS) in the player.
STEP_VIEWS: dict[str, Callable[[LessonPlayerView, Step], QWidget]] = {
    "text": LessonPlayerView._text_view,
    "quiz": LessonPlayerView._quiz_view,
    "demo": LessonPlayerView._demo_view,
    "reflection": LessonPlayerView._reflection_view,
}


def opens_with_heading(markdown: str) -> bool:
    """Whether the step's own text starts with a heading (then the title is not repeated)."""
    first = next((line for line in markdown.splitlines() if line.strip()), "")
    return first.startswith("# ")
