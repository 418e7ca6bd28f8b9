"""The Classes page's small dialogs: one pupil (add or edit), what a roster file must
look like (shown before the file is chosen), and what an import did."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.i18n import tr
from classroom_app.core.pupils import RosterImport, save_pupil
from classroom_app.core.roster import gender_name
from classroom_app.core.store import GENDERS, Learner, Store
from classroom_app.ui.widgets import dialog_buttons, note_label
from classroom_app.ui.window_fit import room_left

DIALOG_WIDTH = 560  # fits 1024×768 with room to spare


class PupilDialog(QDialog):
    """Student number, name and gender of one pupil; saves only what the checks pass."""

    def __init__(self, store: Store, class_id: int, learner: Learner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.class_id, self.learner = store, class_id, learner
        self.setWindowTitle(tr("Edit student") if learner else tr("Add a student"))
        self.setMinimumWidth(min(DIALOG_WIDTH - 100, room_left(self)))
        form = QFormLayout(self)
        self.number = QLineEdit(learner.student_number if learner else "")
        self.number.setPlaceholderText(tr("e.g. 20260401 or G110105201305120012"))
        self.name = QLineEdit(learner.name if learner else "")
        self.gender = QComboBox()
        self.gender.addItem(tr("Not given"), "")
        for gender in GENDERS:
            self.gender.addItem(gender_name(gender), gender)
        self.gender.setCurrentIndex(max(0, self.gender.findData(learner.gender if learner
                                                                 else "")))
        form.addRow(tr("Student number:"), self.number)
        form.addRow(tr("Full name:"), self.name)
        form.addRow(tr("Gender:"), self.gender)
        form.addRow(note_label(tr("The gender stays on this PC: it is never synced or "
                                  "exported.")))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "feedback-wrong")
        form.addRow(self.error)
        form.addRow(dialog_buttons(tr("Save"), self.save, self.reject))

    def save(self) -> None:
        problem = save_pupil(self.store, self.class_id, self.number.text(), self.name.text(),
                             self.gender.currentData(), self.learner)
        if problem:
            self.error.setText(problem)
            return
        self.accept()


class RosterHintDialog(QDialog):
    """Which files and columns a roster import reads, before the file is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import a roster"))
        self.setMinimumWidth(min(DIALOG_WIDTH, room_left(self)))
        layout = QVBoxLayout(self)
        for text in (
            tr("The first row names the columns: 学号 (or 学籍号, 编号), 姓名 and, if you "
               "like, 性别, in any order. Other columns such as 序号, 班级 or 备注 are "
               "ignored. Without such a row, the first column is the student number and "
               "the second the name."),
            tr("Files: Excel workbooks (.xlsx), CSV (.csv) and text (.txt). In Excel or WPS, "
               "an old .xls file is saved with File → Save As, as an Excel workbook "
               "(.xlsx) or as CSV."),
            tr("Pupils already in the class are updated. Rows that cannot be read are "
               "listed by line; the others are imported."),
        ):
            label = QLabel(text)
            label.setWordWrap(True)
            layout.addWidget(label)
        example = QLabel(_EXAMPLE)
        example.setProperty("role", "subtitle")
        layout.addWidget(example)
        self.buttons = dialog_buttons(tr("Choose the file…"), self.accept, self.reject)
        layout.addWidget(self.buttons)


_EXAMPLE = ("<table cellpadding='4' border='1' style='border-collapse: collapse'>"
            "<tr><th>序号</th><th>姓名</th><th>性别</th><th>学号</th></tr>"
            "<tr><td>1</td><td>王小明</td><td>男</td><td>20260401</td></tr>"
            "<tr><td>2</td><td>李华</td><td>女</td><td>20260402</td></tr></table>")


class RosterResultDialog(QDialog):
    """How many pupils an import added and updated, and every row it skipped."""

    def __init__(self, result: RosterImport | None, error: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Roster imported") if result else tr("Roster not imported"))
        self.setMinimumWidth(min(DIALOG_WIDTH, room_left(self)))
        layout = QVBoxLayout(self)
        self.summary = QLabel(result.summary() if result else error)
        self.summary.setWordWrap(True)
        self.summary.setProperty("role", "subtitle" if result else "feedback-wrong")
        layout.addWidget(self.summary)
        self.skipped = QListWidget()
        if result and result.problems:
            layout.addWidget(QLabel(tr("{count} rows were skipped:").format(
                count=len(result.problems))))
            self.skipped.addItems([str(p) for p in result.problems])
            self.skipped.setWordWrap(True)
            self.skipped.setMaximumHeight(max(120, room_left(self, height=True) // 2))
            layout.addWidget(self.skipped)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

