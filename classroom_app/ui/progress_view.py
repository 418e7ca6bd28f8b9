"""The class's progress: lessons started and finished, quiz scores, hours this year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.class_progress import REQUIRED_HOURS, class_progress, school_year
from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.ui.widgets import class_chooser

FIXED_COLUMNS = 4


class ProgressView(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        layout = QVBoxLayout(self)
        title = QLabel(tr("Class progress"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        self.classes = ctx.store.classes()
        row, self.class_box = class_chooser(layout, self.classes)
        self.class_box.currentIndexChanged.connect(self.refresh)
        start, end = school_year(self.today)
        self.year_label = QLabel(tr("School year {start} to {end}; requirement: {hours} hours")
                                 .format(start=start[:7], end=end[:4] + "-08",
                                         hours=REQUIRED_HOURS))
        row.addWidget(self.year_label)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        legend = QLabel(tr("✓ finished · … started · a/b quiz score. A lesson counts at most its "
                           "planned length towards the hours."))
        legend.setProperty("role", "subtitle")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        self.refresh()

    def refresh(self) -> None:
        index = self.class_box.currentIndex()
        if not 0 <= index < len(self.classes):
            self.summary.setText(tr("No class yet: create one under Classes."))
            self.table.setRowCount(0)
            return
        info = self.classes[index]
        lessons = self.ctx.library.by_stage(info.stage)
        report = class_progress(self.ctx.store, self.ctx.library, info.id, self.today)
        headers = [tr("Student number"), tr("Name"), tr("Hours"), tr("Lessons done")]
        headers += [pick(lesson.title) for lesson in lessons]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(report))
        for row, entry in enumerate(report):
            self.table.setItem(row, 0, QTableWidgetItem(entry.learner.student_number))
            self.table.setItem(row, 1, QTableWidgetItem(entry.learner.name))
            bar = QProgressBar()
            bar.setRange(0, REQUIRED_HOURS * 60)
            bar.setValue(min(REQUIRED_HOURS * 60, round(entry.hours * 60)))
            bar.setFormat(tr("{hours:.1f} of {required} hours")
                          .format(hours=entry.hours, required=REQUIRED_HOURS))
            self.table.setCellWidget(row, 2, bar)
            self.table.setItem(row, 3, QTableWidgetItem(str(entry.finished_count)))
            for col, lesson in enumerate(lessons, start=FIXED_COLUMNS):
                status = entry.lessons.get(lesson.id)
                self.table.setItem(row, col, self._cell(status))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(2, 180)
        header.setStretchLastSection(True)
        reached = sum(1 for e in report if e.hours >= REQUIRED_HOURS)
        self.summary.setText(tr("{reached} of {total} students have reached {hours} hours.")
                             .format(reached=reached, total=len(report), hours=REQUIRED_HOURS))

    def _cell(self, status) -> QTableWidgetItem:  # noqa: ANN001 - LessonStatus | None
        if status is None:
            return QTableWidgetItem("")
        text = "✓" if status.finished else "…"
        if status.quiz_total:
            text += f" {status.quiz_correct}/{status.quiz_total}"
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if status.finished:
            item.setBackground(QColor("#dff3e4"))
        return item
