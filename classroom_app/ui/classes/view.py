"""The teacher's classes: create a class, import its roster (.xlsx, CSV or text), add, edit
and remove a pupil, see the list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
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
from classroom_app.core.pupils import RosterImport, apply_roster, read_roster_file
from classroom_app.core.roster import Roster, RosterError, gender_name
from classroom_app.core.store import ClassInfo, Learner
from classroom_app.ui.classes.roster_dialogs import (
    PupilDialog,
    RosterHintDialog,
    RosterResultDialog,
)
from classroom_app.ui.widgets import button_row, dialog_buttons, grade_name
from classroom_app.ui.workers import TaskRunner


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
    roster_imported = Signal(str)  # the report, once an import has finished

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.learners: list[Learner] = []
        self.runner = TaskRunner(self)
        self.runner.done.connect(self._roster_read)
        self.runner.failed.connect(self._roster_failed)
        self.roster_class = 0  # the class a roster being read goes into
        self.result_dialog: RosterResultDialog | None = None
        layout = QHBoxLayout(self)
        layout.addLayout(self._class_column(), 1)
        layout.addLayout(self._roster_column(), 2)
        self.refresh()

    def _class_column(self) -> QVBoxLayout:
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
        return left

    def _roster_column(self) -> QVBoxLayout:
        right = QVBoxLayout()
        self.class_title = QLabel()
        self.class_title.setProperty("role", "title")
        right.addWidget(self.class_title)
        self.roster = QTableWidget(0, 3)
        self.roster.setHorizontalHeaderLabels([tr("Student number"), tr("Name"), tr("Gender")])
        header = self.roster.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.roster.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.roster.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roster.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.roster.cellDoubleClicked.connect(lambda _row, _column: self.edit_learner())
        right.addWidget(self.roster, 1)
        self.import_button, self.add_button, self.edit_button, self.remove_button = \
            button_row(right, [(tr("Import roster…"), self.choose_roster),
                               (tr("Add…"), self.add_learner),
                               (tr("Edit…"), self.edit_learner),
                               (tr("Remove"), self.remove_learner)])
        self.report = QLabel()
        self.report.setWordWrap(True)
        right.addWidget(self.report)
        return right

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

    @property
    def selected(self) -> Learner | None:
        row = self.roster.currentRow()
        return self.learners[row] if 0 <= row < len(self.learners) else None

    def _show_class(self, _row: int) -> None:
        info = self.current
        for button in (self.import_button, self.add_button, self.edit_button,
                       self.remove_button):
            button.setEnabled(info is not None)
        if info is None:
            self.class_title.setText(tr("No class yet: create one."))
            self.learners = []
            self.roster.setRowCount(0)
            return
        self.learners = self.ctx.store.learners(info.id)
        self.class_title.setText(tr("{name}: {count} students")
                                 .format(name=info.name, count=len(self.learners)))
        self.roster.setRowCount(len(self.learners))
        for i, learner in enumerate(self.learners):
            for column, text in enumerate((learner.student_number, learner.name,
                                           gender_name(learner.gender))):
                self.roster.setItem(i, column, QTableWidgetItem(text))

    def create_class(self) -> None:
        dialog = CreateClassDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_class(dialog.name.text().strip(), dialog.stage.currentData(),
                           dialog.grade.value())

    def add_class(self, name: str, stage: str, grade: int) -> ClassInfo:
        info = self.ctx.store.add_class(name, stage, grade, date.today().isoformat())
        self.refresh(select=info.id)
        return info

    # -- one pupil ---------------------------------------------------------------------
    def pupil_dialog(self, learner: Learner | None = None) -> PupilDialog | None:
        info = self.current
        return None if info is None else PupilDialog(self.ctx.store, info.id, learner, self)

    def add_learner(self) -> None:
        dialog = self.pupil_dialog()
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self._show_class(self.class_list.currentRow())

    def edit_learner(self) -> None:
        learner = self.selected
        dialog = self.pupil_dialog(learner) if learner else None
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self._show_class(self.class_list.currentRow())

    def remove_learner(self) -> None:
        learner = self.selected
        if learner is None:
            return
        answer = QMessageBox.question(
            self, tr("Remove student"),
            tr("Remove {name} and all of their progress from this PC?").format(name=learner.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.store.delete_learner(learner.id)
            self._show_class(self.class_list.currentRow())

    # -- a roster file -----------------------------------------------------------------
    def choose_roster(self) -> None:
        if RosterHintDialog(self).exec() != QDialog.DialogCode.Accepted:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Import roster"), "",
            tr("Rosters (*.xlsx *.csv *.txt);;All files (*)"))
        if path:
            self.import_roster(Path(path))

    def import_roster(self, path: Path) -> None:
        """Read the file off the GUI thread, then add its good rows to the class shown;
        :attr:`roster_imported` carries the report."""
        info = self.current
        if info is None or self.runner.busy:
            return
        self.import_button.setEnabled(False)
        self.report.setText(tr("Reading {file}…").format(file=path.name))
        self.roster_class = info.id
        self.runner.start(lambda: read_roster_file(path), (RosterError,))

    def shutdown(self) -> None:
        """The window closes: let a file being read finish (a fraction of a second)."""
        self.runner.shutdown(5000)

    def _roster_read(self, roster: Roster) -> None:
        result = apply_roster(self.ctx.store, self.roster_class, roster)
        self._show_class(self.class_list.currentRow())
        text = result.summary()
        if result.problems:
            text = tr("{summary} {count} rows were skipped.").format(
                summary=text, count=len(result.problems))
        self._show_result(text, result, result.report())

    def _roster_failed(self, error: str) -> None:
        message = tr("The roster was not imported: {error}").format(error=error)
        self._show_result(message, None, message)

    def _show_result(self, text: str, result: RosterImport | None, report: str) -> None:
        self.import_button.setEnabled(self.current is not None)
        self.report.setText(text)
        self.result_dialog = RosterResultDialog(result, text, self)
        self.result_dialog.open()
        self.roster_imported.emit(report)
