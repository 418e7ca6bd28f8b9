"""The home screen: the three stages and their lessons, with what pupils will learn."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import STAGES, Lesson, aspect_name, level_name, stage_name
from classroom_app.ui.lessons.teacher_notes_dialog import TeacherNotesDialog
from classroom_app.ui.widgets import plain_label


def grades_text(lesson: Lesson) -> str:
    grades = lesson.grades
    if len(grades) == 1:
        return tr("Grade {grade}").format(grade=grades[0])
    return tr("Grades {first}–{last}").format(first=min(grades), last=max(grades))


def competencies_text(tags: tuple[str, ...]) -> str:
    parts = []
    for tag in tags:
        aspect, _, level = tag.partition(":")
        parts.append(f"{aspect_name(aspect)} · {level_name(level)}")
    return "   |   ".join(parts)


class LessonCard(QFrame):
    present = Signal(object)
    learn = Signal(object)

    def __init__(self, lesson: Lesson, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lesson = lesson
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        title = plain_label(pick(lesson.title))
        title.setProperty("role", "title")
        title.setWordWrap(True)
        layout.addWidget(title)
        meta = QLabel(f"{grades_text(lesson)}  ·  "
                      + tr("{periods} class periods ({minutes} min)").format(
                          periods=lesson.periods, minutes=lesson.minutes) + "  ·  "
                      + tr("{count} steps").format(count=len(lesson.steps)))
        meta.setProperty("role", "subtitle")
        layout.addWidget(meta)
        summary = plain_label(pick(lesson.summary))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        objectives = "\n".join("• " + text for text in lesson.objective_texts())
        learn_label = plain_label(tr("Students will:") + "\n" + objectives)
        learn_label.setWordWrap(True)
        layout.addWidget(learn_label)
        tags = QLabel(competencies_text(lesson.competencies))
        tags.setProperty("role", "subtitle")
        tags.setWordWrap(True)
        layout.addWidget(tags)
        row = QHBoxLayout()
        self.present_button = QPushButton("▶ " + tr("Present to the class"))
        self.present_button.setProperty("primary", True)
        self.present_button.clicked.connect(lambda: self.present.emit(lesson))
        self.learn_button = QPushButton(tr("Learn on my own"))
        self.learn_button.clicked.connect(lambda: self.learn.emit(lesson))
        self.notes_button = QPushButton(tr("Teacher notes"))
        self.notes_button.setToolTip(tr("Preparation, timing, answers and safety: for the "
                                        "teacher, never projected"))
        self.notes_button.clicked.connect(self._show_notes)
        self.notes_button.hide()
        row.addWidget(self.present_button)
        row.addWidget(self.learn_button)
        row.addWidget(self.notes_button)
        row.addStretch()
        layout.addLayout(row)


    def show_teacher(self, unlocked: bool) -> None:
        self.notes_button.setVisible(unlocked and bool(self.lesson.teacher_notes))

    def _show_notes(self) -> None:
        TeacherNotesDialog(self.lesson, self).exec()


class HomeView(QWidget):
    present = Signal(object)
    learn = Signal(object)
    import_pack = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.cards: dict[str, LessonCard] = {}
        for stage in STAGES:
            self.tabs.addTab(self._stage_page(stage), stage_name(stage))
        self.import_button = QPushButton(tr("Import a lesson…"))
        self.import_button.setToolTip(tr("Add a lesson pack (a folder or a .zip) made by a "
                                         "teacher or the district (teacher PIN)"))
        self.import_button.clicked.connect(self.import_pack)
        self.tabs.setCornerWidget(self.import_button)
        layout.addWidget(self.tabs, 1)
        if ctx.library.broken:
            names = ", ".join(result.path.name for result in ctx.library.broken)
            warning = QLabel(tr("Some lesson packs have problems and are not shown: {names}. "
                                "Run 'classroom lessons validate' on them for details.")
                             .format(names=names))
            warning.setWordWrap(True)
            warning.setProperty("role", "feedback-wrong")
            warning.setToolTip("\n".join(str(p) for r in ctx.library.broken for p in r.problems))
            layout.addWidget(warning)

    def show_teacher(self, unlocked: bool) -> None:
        """The teacher's notes appear on the cards once the teacher PIN is entered."""
        for card in self.cards.values():
            card.show_teacher(unlocked)

    def _stage_page(self, stage: str) -> QWidget:
        inner = QWidget()
        column = QVBoxLayout(inner)
        lessons = self.ctx.library.by_stage(stage)
        if not lessons:
            column.addWidget(QLabel(tr("No lessons for this stage yet.")))
        for lesson in lessons:
            card = LessonCard(lesson)
            card.present.connect(self.present)
            card.learn.connect(self.learn)
            self.cards[lesson.id] = card
            column.addWidget(card)
        column.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll
