"""The teacher's classes: create a class, import its roster from CSV, see the list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import STAGE_GRADES, STAGES, stage_name
from classroom_app.core.roster import RosterError, parse_roster
from classroom_app.core.store import ClassInfo
from classroom_app.ui.widgets import button_row, dialog_buttons, grade_name


class CreateClassDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New class"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. Class 4(2)"))
        self.stage = QComboBox()
        for stage in STAGES:
            self.stage.addItem(stage_name(stage), stage)
        self.grade = QSpinBox()
        self.stage.currentIndexChanged.connect(self._limit_grades)
        self._limit_grades()
        form.addRow(tr("Class name:"), self.name)
        form.addRow(tr("Stage:"), self.stage)
        form.addRow(tr("Grade:"), self.grade)
        self.error = QLabel()
        self.error.setProperty("role", "feedback-wrong")
        form.addRow(self.error)
        buttons = dialog_buttons(tr("Create class"), self._check, self.reject)
        form.addRow(buttons)

    def _limit_grades(self) -> None:
        grades = STAGE_GRADES[self.stage.currentData()]
        self.grade.setRange(grades[0], grades[-1])

    def _check(self) -> None:
        if not self.name.text().strip():
            self.error.setText(tr("Give the class a name."))
            return
        self.accept()


class ClassesView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        title = QLabel(tr("Classes"))
        title.setProperty("role", "title")
        left.addWidget(title)
        self.class_list = QListWidget()
        self.class_list.currentRowChanged.connect(self._show_class)
        left.addWidget(self.class_list, 1)
        self.new_button = QPushButton("+ " + tr("New class"))
        self.new_button.clicked.connect(self.create_class)
        left.addWidget(self.new_button)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        self.class_title = QLabel()
        self.class_title.setProperty("role", "title")
        right.addWidget(self.class_title)
        self.roster = QTableWidget(0, 2)
        self.roster.setHorizontalHeaderLabels([tr("Student number"), tr("Name")])
        self.roster.horizontalHeader().setStretchLastSection(True)
        self.roster.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        right.addWidget(self.roster, 1)
        self.import_button, self.remove_button = button_row(right, [
            (tr("Import roster from CSV…"), self.choose_roster),
            (tr("Remove student"), self.remove_learner)])
        self.report = QLabel()
        self.report.setWordWrap(True)
        right.addWidget(self.report)
        layout.addLayout(right, 2)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        self.classes = self.ctx.store.classes()
        self.class_list.clear()
        for info in self.classes:
            item = QListWidgetItem(f"{info.name}  ·  {stage_name(info.stage)} "
                                   f"{grade_name(info.grade)}")
            self.class_list.addItem(item)
        index = next((i for i, c in enumerate(self.classes) if c.id == select), 0)
        if self.classes:
            self.class_list.setCurrentRow(index)
        self._show_class(self.class_list.currentRow())

    @property
    def current(self) -> ClassInfo | None:
        row = self.class_list.currentRow()
        return self.classes[row] if 0 <= row < len(self.classes) else None

    def _show_class(self, _row: int) -> None:
        info = self.current
        self.import_button.setEnabled(info is not None)
        self.remove_button.setEnabled(info is not None)
        if info is None:
            self.class_title.setText(tr("No class yet: create one."))
            self.roster.setRowCount(0)
            return
        learners = self.ctx.store.learners(info.id)
        self.class_title.setText(tr("{name}: {count} students")
                                 .format(name=info.name, count=len(learners)))
        self.roster.setRowCount(len(learners))
        for i, learner in enumerate(learners):
            self.roster.setItem(i, 0, QTableWidgetItem(learner.student_number))
            self.roster.setItem(i, 1, QTableWidgetItem(learner.name))

    def create_class(self) -> None:
        dialog = CreateClassDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_class(dialog.name.text().strip(), dialog.stage.currentData(),
                           dialog.grade.value())

    def add_class(self, name: str, stage: str, grade: int) -> ClassInfo:
        info = self.ctx.store.add_class(name, stage, grade, date.today().isoformat())
        self.refresh(select=info.id)
        return info

    def choose_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import roster"), "",
                                              tr("CSV files (*.csv *.txt)"))
        if path:
            self.import_roster(Path(path))

    def import_roster(self, path: Path) -> str:
        """Add the roster's good rows; report the rest by line. Returns the report."""
        info = self.current
        if info is None:
            return ""
        existing = {learner.student_number for learner in self.ctx.store.learners(info.id)}
        try:
            roster = parse_roster(path.read_bytes(), existing)
        except (OSError, RosterError) as error:
            message = tr("The roster was not imported: {error}").format(error=error)
        else:
            self.ctx.store.add_learners(info.id, list(roster.rows))
            lines = [tr("{count} students added.").format(count=len(roster.rows))]
            if roster.problems:
                lines.append(tr("These rows were skipped:"))
                lines += [str(p) for p in roster.problems]
            message = "\n".join(lines)
            self._show_class(self.class_list.currentRow())
        self.report.setText(message)
        return message

    def remove_learner(self) -> None:
        info, row = self.current, self.roster.currentRow()
        if info is None or row < 0:
            return
        learner = self.ctx.store.learners(info.id)[row]
        answer = QMessageBox.question(
            self, tr("Remove student"),
            tr("Remove {name} and all of their progress from this PC?").format(name=learner.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.store.delete_learner(learner.id)
            self._show_class(self.class_list.currentRow())
