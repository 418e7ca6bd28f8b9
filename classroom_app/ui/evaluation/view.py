"""The teacher's evaluation page: a class table (class periods, lessons done, the four
competency aspects) filtered by stage, class, school year and term; a student's page
on double-click; the term summary's confirmation and the exports it unlocks.

Reports are computed on a worker thread with its own database connection: a class of
50 over a year takes a noticeable fraction of a second on a weak PC.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_exports import periods_of_required
from classroom_app.core.evaluation.class_report import ClassReport, class_report
from classroom_app.core.evaluation.periods import Period, school_year_of, term_name
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS, AspectStanding
from classroom_app.core.file_names import file_name
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import (
    ASPECTS,
    LEVELS,
    STAGES,
    aspect_name,
    level_name,
    stage_name,
)
from classroom_app.core.store import StoreError
from classroom_app.ui.evaluation.confirm_summary_dialog import ConfirmSummaryDialog
from classroom_app.ui.evaluation.exports import ExportRunner
from classroom_app.ui.evaluation.student_view import StudentEvaluationView
from classroom_app.ui.widgets import button_row, class_label, note_label
from classroom_app.ui.workers import TaskRunner, with_store

LEVEL_COLOURS = ("#f5f5f5", "#e8f5e9", "#c8e6c9", "#a5d6a7")
FIXED = ("number", "name", "periods", "year", "lessons")
TERM_CHOICES = ("autumn", "spring", "year")


def level_text(standing: AspectStanding) -> str:
    """The level in words; the teacher's rating is marked, as it overrides the evidence."""
    text = level_name(LEVELS[standing.level - 1]) if standing.level else tr("Not yet")
    return text + (" ✎" if standing.rated is not None else "")


def two_lines(text: str) -> str:
    """A long header on two lines (at the space nearest its middle), so that four
    aspect columns fit a 1280-pixel screen in English too."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) <= 16 or not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1:]


class EvaluationView(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        self.report: ClassReport | None = None
        self.runner = TaskRunner(self)
        self.runner.done.connect(self._loaded)
        self.runner.failed.connect(self._load_failed)
        self.exports = ExportRunner(ctx, self)
        self.exports.finished.connect(self._exported)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.stack.addWidget(self._class_page())
        self.student_page: StudentEvaluationView | None = None
        self._fill_classes()

    # -- layout ------------------------------------------------------------------------
    def _class_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(tr("Progress and evaluation"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        layout.addLayout(self._filters())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_student(row))
        layout.addWidget(self.table, 1)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.hide()
        layout.addWidget(self.busy)
        layout.addWidget(note_label(tr(
            "Class periods: each lesson counts as its periods (usually one), in proportion to "
            "the steps done in class or alone, at most once a school year. Levels: two pieces "
            "of evidence shown at a level (quiz 60 % or more, a written reflection, a trained "
            "model at 60 % or more) reach it; ✎ the teacher's rating. Double-click a student "
            "for the evidence.")))
        self.confirm_state = note_label("")
        layout.addWidget(self.confirm_state)
        (self.open_button, self.confirm_button, self.pdf_button, self.csv_button,
         self.xlsx_button) = button_row(layout, [
            (tr("Open student page"), lambda: self.open_student(self.table.currentRow())),
            (tr("Confirm summary…"), self.confirm),
            (tr("Export parent reports (PDF)…"), lambda: self.export("pdf")),
            (tr("Export CSV…"), lambda: self.export("csv")),
            (tr("Export Excel…"), lambda: self.export("xlsx"))])
        return page

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.stage_box = QComboBox()
        self.stage_box.addItem(tr("All stages"), "")
        for stage in STAGES:
            self.stage_box.addItem(stage_name(stage), stage)
        self.class_box = QComboBox()
        self.year_box = QComboBox()
        current = school_year_of(self.today)
        for year in range(current, self._first_year() - 1, -1):
            self.year_box.addItem(Period(year).label(), year)
        self.term_box = QComboBox()
        for term in TERM_CHOICES:
            self.term_box.addItem(term_name(term), term)
        self.term_box.setCurrentIndex(TERM_CHOICES.index(Period.containing(
            self.today, "current").term))
        for label, box in ((tr("Stage:"), self.stage_box), (tr("Class:"), self.class_box),
                           (tr("School year:"), self.year_box), (tr("Term:"), self.term_box)):
            row.addWidget(QLabel(label))
            row.addWidget(box, 1 if box is self.class_box else 0)
        self.stage_box.currentIndexChanged.connect(self._fill_classes)
        for box in (self.class_box, self.year_box, self.term_box):
            box.currentIndexChanged.connect(self.refresh)
        return row

    def _first_year(self) -> int:
        first = self.ctx.store.first_statement_created()
        try:
            return min(school_year_of(date.fromisoformat(first[:10])),
                       school_year_of(self.today))
        except (TypeError, ValueError):
            return school_year_of(self.today)

    def _fill_classes(self) -> None:
        stage = self.stage_box.currentData()
        self.class_box.blockSignals(True)
        self.class_box.clear()
        for info in self.ctx.store.classes():
            if not stage or info.stage == stage:
                self.class_box.addItem(class_label(info), info.id)
        self.class_box.blockSignals(False)
        self.refresh()

    # -- loading -------------------------------------------------------------------------
    def period(self) -> Period:
        return Period(self.year_box.currentData(), self.term_box.currentData())

    def refresh(self) -> None:
        """Recompute the report for the chosen class and period on a worker."""
        class_id = self.class_box.currentData()
        if class_id is None:
            self.report = None
            self.summary.setText(tr("No class yet: create one under Classes."))
            self.table.setRowCount(0)
            self._update_actions()
            return
        period, library, path = self.period(), self.ctx.library, self.ctx.store.path
        self.busy.show()  # the latest choice wins: a report still being made is dropped
        self.runner.start(lambda: with_store(path, lambda store: class_report(
            store, library, class_id, period)), (StoreError, KeyError, OSError))

    def _loaded(self, report: ClassReport) -> None:
        self.busy.hide()
        self.report = report
        self._show(report)
        if self.student_page is not None and self.stack.currentWidget() is self.student_page:
            self.student_page.set_report(report)

    def _load_failed(self, message: str) -> None:
        self.busy.hide()
        self.summary.setText(tr("The progress records could not be read: {error}")
                             .format(error=message))

    # -- showing ---------------------------------------------------------------------------
    def _show(self, report: ClassReport) -> None:
        in_period = tr("Class periods in {period}").format(period=report.period.short_label())
        headers = [tr("Student number"), tr("Name"), two_lines(in_period),
                   tr("This school year"), tr("Lessons done")]
        headers += [two_lines(aspect_name(aspect)) for aspect in ASPECTS]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(report.rows))
        for row, (learner, entry) in enumerate(report.rows):
            cells = [learner.student_number, learner.name, f"{entry.periods:.1f}", None,
                     str(entry.lessons_done)]
            for col, text in enumerate(cells):
                if text is not None:
                    self.table.setItem(row, col, QTableWidgetItem(text))
            self.table.setCellWidget(row, FIXED.index("year"),
                                     self._periods_bar(entry.year_periods))
            for col, aspect in enumerate(ASPECTS, start=len(FIXED)):
                standing = entry.aspects[aspect]
                item = QTableWidgetItem(level_text(standing))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QColor(LEVEL_COLOURS[standing.level]))
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FIXED.index("year"), QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(FIXED.index("year"), 170)
        for col in range(len(FIXED), len(headers)):  # the aspects share what is left
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.summary.setText(tr(
            "{period}: {reached} of {total} students have reached {required} class periods "
            "this school year.").format(period=report.period.label(), reached=report.reached,
                                        total=len(report.rows), required=REQUIRED_PERIODS))
        self._update_actions()

    def _periods_bar(self, periods: float) -> QProgressBar:
        bar = QProgressBar()
        bar.setRange(0, REQUIRED_PERIODS * 10)
        bar.setValue(min(REQUIRED_PERIODS * 10, round(periods * 10)))
        bar.setFormat(periods_of_required(periods))
        return bar

    def _update_actions(self) -> None:
        report = self.report
        has_rows = bool(report and report.rows)
        confirmed = bool(report and report.confirmed)
        self.open_button.setEnabled(has_rows)
        self.confirm_button.setEnabled(has_rows and not confirmed)
        for button in (self.pdf_button, self.csv_button, self.xlsx_button):
            button.setEnabled(has_rows and confirmed and not self.exports.busy)
        if report is None:
            self.confirm_state.setText("")
        elif confirmed and report.confirmation:
            self.confirm_state.setText(tr("✔ Confirmed by {teacher} on {when}.").format(
                teacher=report.confirmation.teacher, when=report.confirmation.when[:10]))
        elif report.confirmation:
            self.confirm_state.setText(tr(
                "The figures changed after {teacher} confirmed them on {when}: check and "
                "confirm again before exporting.").format(
                    teacher=report.confirmation.teacher, when=report.confirmation.when[:10]))
        else:
            self.confirm_state.setText(tr(
                "Not yet confirmed: check the table, then confirm the summary. Exports and "
                "the summary sent to the hub need your confirmation."))

    # -- actions ----------------------------------------------------------------------------
    def open_student(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(self.report.rows):
            return
        learner = self.report.rows[row][0]
        if self.student_page is None:
            self.student_page = StudentEvaluationView(self.ctx, self)
            self.student_page.back.connect(self.show_class)
            self.student_page.changed.connect(self.refresh)
            self.stack.addWidget(self.student_page)
        self.student_page.show_learner(self.report, learner.student_number)
        self.stack.setCurrentWidget(self.student_page)

    def show_class(self) -> None:
        self.stack.setCurrentIndex(0)

    def confirm(self) -> None:
        if self.report is None:
            return
        dialog = ConfirmSummaryDialog(self.ctx, self.report, self)
        if dialog.exec():
            self.refresh()

    def export(self, kind: str, target: Path | None = None) -> None:
        """Write the confirmed summary; ``target`` (a file, or a folder for PDFs) is
        asked for when not given."""
        report = self.report
        if report is None or not report.confirmed:
            return
        if target is None:
            target = self._ask_target(kind, report)
            if target is None:
                return
        self.exports.start(kind, report, target)
        self._update_actions()

    def _ask_target(self, kind: str, report: ClassReport) -> Path | None:
        home = str(Path.home())
        if kind == "pdf":
            chosen = QFileDialog.getExistingDirectory(self, tr("Folder for the PDF reports"),
                                                      home)
            return Path(chosen) if chosen else None
        name = file_name(report.info.name, report.period.short_label(), suffix=f".{kind}")
        pattern = tr("CSV table (*.csv)") if kind == "csv" else tr("Excel workbook (*.xlsx)")
        chosen, _ = QFileDialog.getSaveFileName(self, tr("Export"), str(Path(home) / name),
                                                pattern)
        return Path(chosen) if chosen else None

    def _exported(self, ok: bool, message: str) -> None:
        self._update_actions()
        if ok:
            self.confirm_state.setText(message)
        else:
            QMessageBox.warning(self, tr("Export failed"), message)

    def shutdown(self) -> None:
        """The window closes: let running work end before the store closes."""
        self.runner.shutdown()
        self.exports.shutdown()
