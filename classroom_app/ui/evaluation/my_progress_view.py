"""A learner's own page, in words a child understands: class periods against the year's
goal, stars for the four things AI lessons build, what they did, and the teacher's
words. Figures are the same as the teacher's (one evaluation), only said differently."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_exports import lesson_text
from classroom_app.core.evaluation.class_report import LibraryCatalog, year_facts
from classroom_app.core.evaluation.periods import Period
from classroom_app.core.evaluation.standing import (
    REQUIRED_PERIODS,
    Evidence,
    LearnerEvaluation,
    evaluate,
)
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import ASPECTS
from classroom_app.core.store import Learner, StoreError
from classroom_app.ui.workers import TaskRunner, with_store

RECENT = 8


def aspect_for_children(aspect: str) -> str:
    words = {
        "human-centred-mindset": tr("AI helps people, and people decide"),
        "ethics-of-ai": tr("Using AI fairly, safely and kindly"),
        "ai-techniques-and-applications": tr("How AI learns from data, and where we meet it"),
        "ai-system-design": tr("Teaching a computer myself, testing it, making it better"),
    }
    return words.get(aspect, aspect)


def stars_for_children(level: int) -> str:
    words = (tr("Just starting"), tr("I understand it"), tr("I can use it"),
             tr("I can create with it"))
    return "★" * level + "☆" * (3 - level) + "  " + words[level]


def deed_for_children(item: Evidence, lesson: str) -> str:
    """One thing the learner did, said simply; ``lesson`` is its lesson's title. Plain
    symbols, not emoji: classroom PCs often lack an emoji font."""
    name = lesson_text(item.name)
    if lesson and item.kind in ("quiz", "reflection"):
        name = f"{lesson} · {name}"
    if item.kind == "quiz":
        return tr("★ Quiz “{name}”: {percent}% right").format(
            name=name, percent=round((item.value or 0) * 100))
    if item.kind == "reflection":
        return tr("✎ You wrote down your thoughts in “{name}”").format(name=name)
    if item.kind == "experiment" and item.classes:
        return tr("◆ You trained a model on {count} kinds of things: {percent}% right in the "
                  "test").format(count=item.classes, percent=round((item.value or 0) * 100))
    if item.kind == "experiment":
        return tr("◆ You did the experiment “{name}”").format(name=name)
    return tr("✓ Your teacher looked at your work")


class MyProgressView(QWidget):
    back = Signal()

    def __init__(self, ctx: AppContext, learner: Learner, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.learner = ctx, learner
        self.period = Period.containing(today or date.today())
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("{name}, this is how you are growing!").format(
            name=learner.name))
        self.title.setProperty("role", "title")
        layout.addWidget(self.title)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.periods = QLabel(tr("Counting…"))
        self.periods.setWordWrap(True)
        self.periods.setProperty("role", "big")
        self.body.addWidget(self.periods)
        self.bar = QProgressBar()
        self.bar.setRange(0, REQUIRED_PERIODS * 10)
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(28)
        self.body.addWidget(self.bar)
        self.grid = QGridLayout()
        self.body.addLayout(self.grid)
        self.deeds = QLabel()
        self.deeds.setWordWrap(True)
        self.body.addWidget(self.deeds)
        self.comment = QLabel()
        self.comment.setWordWrap(True)
        self.body.addWidget(self.comment)
        self.body.addStretch()
        back = QPushButton(tr("Back to my lessons"))
        back.clicked.connect(self.back)
        layout.addWidget(back)
        self.entry: LearnerEvaluation | None = None
        self.runner = TaskRunner(self)
        self.runner.done.connect(self.show_entry)
        self.runner.failed.connect(lambda message: self.periods.setText(
            tr("Your progress could not be read: {error}").format(error=message)))
        self._load()

    def _load(self) -> None:
        number, period = self.learner.student_number, self.period
        catalog, path = LibraryCatalog(self.ctx.library), self.ctx.store.path

        def work() -> LearnerEvaluation:
            facts = with_store(path, lambda store: year_facts(store, period, {number}))
            return evaluate(facts, period, catalog, [number])[number]

        self.runner.start(work, (StoreError, OSError))

    def show_entry(self, entry: LearnerEvaluation) -> None:
        self.entry = entry
        periods = entry.year_periods
        self.bar.setValue(min(REQUIRED_PERIODS * 10, round(periods * 10)))
        if entry.reached:
            self.periods.setText(tr("You have had {periods:.1f} AI class periods this school "
                                    "year. You reached the goal of {goal}. Brilliant!")
                                 .format(periods=periods, goal=REQUIRED_PERIODS))
        else:
            self.periods.setText(tr("You have had {periods:.1f} AI class periods this school "
                                    "year. The goal is {goal}: keep going!")
                                 .format(periods=periods, goal=REQUIRED_PERIODS))
        for row, aspect in enumerate(ASPECTS):
            what = QLabel(aspect_for_children(aspect))
            what.setWordWrap(True)
            stars = QLabel(stars_for_children(entry.aspects[aspect].level))
            stars.setProperty("role", "stars")
            self.grid.addWidget(what, row, 0)
            self.grid.addWidget(stars, row, 1)
        recent = [deed_for_children(item, self._lesson_title(item.lesson))
                  for item in reversed(entry.evidence)][:RECENT]
        done = [lesson_text(t.name) for t in entry.lessons if t.done]
        lines = [tr("✓ Lessons you finished: {names}").format(names="、".join(done))] if done \
            else []
        self.deeds.setText("\n".join([tr("What you did:")] + lines + recent)
                           if lines or recent else tr("Start a lesson to collect stars!"))
        if entry.comment:
            self.comment.setText(tr("Your teacher says: {comment}").format(
                comment=entry.comment))

    def _lesson_title(self, lesson_id: str) -> str:
        lesson = self.ctx.library.get(lesson_id) if lesson_id else None
        return pick(lesson.title) if lesson else ""

    def shutdown(self) -> None:
        self.runner.shutdown()
