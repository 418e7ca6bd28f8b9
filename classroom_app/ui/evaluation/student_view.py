"""One student's page for the teacher: the radar of the four aspects, class periods against the
requirement, every piece of evidence with the statement it comes from, and the teacher's
rating per aspect and comment (saved as statements; the latest stands)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_exports import (
    kind_words,
    lesson_text,
    result_words,
    tag_words,
)
from classroom_app.core.evaluation.class_report import ClassReport
from classroom_app.core.evaluation.judgements import record_comment, record_rating
from classroom_app.core.evaluation.periods import local_date
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS, LearnerEvaluation
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.core.store import Learner
from classroom_app.ui.evaluation.radar_chart import RadarChart


class StudentEvaluationView(QWidget):
    back = Signal()
    changed = Signal()  # a rating or comment was saved

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: ClassReport | None = None
        self.learner: Learner | None = None
        self.entry: LearnerEvaluation | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        back = QPushButton(tr("← Back to the class"))
        back.clicked.connect(self.back)
        top.addWidget(back)
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        top.addWidget(self.heading, 1)
        layout.addLayout(top)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        self.radar = RadarChart(ASPECTS)
        left.addWidget(self.radar, 1)
        self.periods = QLabel()
        self.periods.setWordWrap(True)
        left.addWidget(self.periods)
        middle.addLayout(left, 3)
        middle.addWidget(self._rating_box(), 2)
        layout.addLayout(middle, 3)
        self.evidence = QTableWidget()
        self.evidence.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.evidence.verticalHeader().setVisible(False)
        layout.addWidget(self.evidence, 2)

    def _rating_box(self) -> QGroupBox:
        box = QGroupBox(tr("Teacher's rating and comment"))
        form = QFormLayout(box)
        self.rating_boxes: dict[str, QComboBox] = {}
        self.computed_labels: dict[str, QLabel] = {}
        for aspect in ASPECTS:
            combo = QComboBox()
            combo.addItem(tr("As the evidence shows"), None)
            combo.addItem(tr("Not yet"), 0)
            for i, level in enumerate(LEVELS, start=1):
                combo.addItem(level_name(level), i)
            self.rating_boxes[aspect] = combo
            computed = QLabel()
            computed.setProperty("role", "subtitle")
            self.computed_labels[aspect] = computed
            cell = QVBoxLayout()
            cell.addWidget(combo)
            cell.addWidget(computed)
            form.addRow(aspect_name(aspect), cell)
        self.comment = QTextEdit()
        self.comment.setAcceptRichText(False)
        self.comment.setMaximumHeight(90)
        form.addRow(tr("Comment:"), self.comment)
        self.teacher = QLineEdit(self.ctx.settings.teacher_name)
        self.teacher.setPlaceholderText(tr("e.g. Ms Zhang"))
        form.addRow(tr("Your name:"), self.teacher)
        self.save_button = QPushButton(tr("Save rating and comment"))
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel()
        form.addRow(self.save_button, self.saved)
        return box

    # -- showing ---------------------------------------------------------------------------
    def show_learner(self, report: ClassReport, student_number: str) -> None:
        self.report = report
        self.learner = None
        self.set_report(report, student_number)

    def set_report(self, report: ClassReport, student_number: str | None = None) -> None:
        """Show ``report``'s figures for the learner (after a save, the fresh ones)."""
        number = student_number or (self.learner.student_number if self.learner else "")
        found = report.learner(number)
        if found is None:
            return
        self.report = report
        self.learner, self.entry = found
        learner, entry = found
        self.heading.setText(f"{learner.name} ({learner.student_number}) · {report.info.name}"
                             f" · {report.period.label()}")
        self.radar.set_values([entry.aspects[a].radar for a in ASPECTS])
        done = [lesson_text(t.name) or t.lesson for t in entry.lessons if t.done]
        self.periods.setText(tr(
            "{periods:.1f} class periods in this term; {year:.1f} of {required} this school "
            "year. Lessons done: {lessons}").format(
                periods=entry.periods, year=entry.year_periods, required=REQUIRED_PERIODS,
                lessons="、".join(done) or tr("none yet")))
        for aspect in ASPECTS:
            standing = entry.aspects[aspect]
            combo = self.rating_boxes[aspect]
            combo.setCurrentIndex(combo.findData(standing.rated)
                                  if standing.rated is not None else 0)
            level = (level_name(LEVELS[standing.computed - 1]) if standing.computed
                     else tr("Not yet"))
            self.computed_labels[aspect].setText(tr(
                "Evidence shows: {level} (shown: {u} understand, {a} apply, {c} create)")
                .format(level=level, u=standing.counts[0], a=standing.counts[1],
                        c=standing.counts[2]))
        self.comment.setPlainText(entry.comment)
        self.saved.setText("")
        self._fill_evidence(entry)

    def _fill_evidence(self, entry: LearnerEvaluation) -> None:
        headers = [tr("Date"), tr("Evidence"), tr("Activity"), tr("Competencies"),
                   tr("Result"), tr("Counts"), tr("Statement")]
        self.evidence.setColumnCount(len(headers))
        self.evidence.setHorizontalHeaderLabels(headers)
        self.evidence.setRowCount(len(entry.evidence))
        for row, item in enumerate(reversed(entry.evidence)):
            cells = [local_date(item.when).isoformat(), kind_words(item.kind),
                     lesson_text(item.name), tag_words(item.tags), result_words(item),
                     "✓" if item.shown else tr("not yet"), item.statement]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if col == 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.evidence.setItem(row, col, cell)
        header = self.evidence.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        if self.report is None or self.learner is None or self.entry is None:
            return
        teacher = self.teacher.text().strip()
        if not teacher:
            self.saved.setText(tr("Please enter your name first."))
            return
        if teacher != self.ctx.settings.teacher_name:
            self.ctx.update_settings(teacher_name=teacher)
        home, info = self.ctx.home_page(), self.report.info
        saved = 0
        for aspect, combo in self.rating_boxes.items():
            level = combo.currentData()
            if level is not None and level != self.entry.aspects[aspect].rated:
                record_rating(self.ctx.store, home, teacher, info, self.report.period,
                              self.learner, aspect, level)
                saved += 1
        comment = self.comment.toPlainText().strip()
        if comment != self.entry.comment:
            record_comment(self.ctx.store, home, teacher, info, self.report.period,
                               self.learner, comment)
            saved += 1
        self.saved.setText(tr("Saved.") if saved else tr("Nothing changed."))
        if saved:
            self.changed.emit()
