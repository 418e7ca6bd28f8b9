"""The first run: the school's name and web address (or "offline, later"), the teacher
PIN and the language, asked once before anyone uses the app.

The address field shows an example as a greyed hint only; an empty field is never
saved as an address. Records made while the school has none are re-addressed when it
is set (see core/school_address.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core import school_address
from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.pin import hash_pin, problem_with
from classroom_app.ui.settings_dialog import LANGUAGE_NAMES
from classroom_app.ui.widgets import dialog_buttons, note_label

EXAMPLE_ADDRESS = "https://www.school-name.edu.cn/"


class SetupDialog(QDialog):
    """Asked on the first start (no teacher PIN yet); "Later" asks again next time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.new_address = ""  # set when the school gave one: records waiting get it
        self.setMinimumWidth(min(560, parent.width() if parent else 560))
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGE_NAMES).index(ctx.settings.language))
        self.language.currentIndexChanged.connect(self._language_changed)
        self.school = QLineEdit(ctx.settings.school_name)
        self.address = QLineEdit(ctx.settings.school_home_page)
        self.address.setPlaceholderText(EXAMPLE_ADDRESS)
        self.offline = QCheckBox()
        self.offline.toggled.connect(lambda on: self.address.setEnabled(not on))
        self.pin = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.pin, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(8)
        self.teacher = QLineEdit(ctx.settings.teacher_name)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "feedback-wrong")
        self.body = QVBoxLayout(self)
        self.form: QWidget | None = None
        self._lay_out()

    def _lay_out(self) -> None:
        """(Re)build the words around the fields, in the language chosen."""
        self.setWindowTitle(tr("Setting up AI Classroom"))
        if self.form is not None:
            self.body.removeWidget(self.form)
            self.form.deleteLater()
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.addRow(note_label(tr("Welcome! A few things before the first lesson. All of "
                                  "them can be changed later under Settings.")))
        form.addRow(tr("Language:"), self.language)
        form.addRow(tr("School name:"), self.school)
        form.addRow(tr("School web address:"), self.address)
        self.offline.setText(tr("We are offline: set the address later"))
        form.addRow("", self.offline)
        form.addRow(note_label(tr("The address names your pupils in the records the "
                                  "school sends for evaluation, with their student number. "
                                  "Records made before it is set keep waiting on this PC "
                                  "and get it then.")))
        form.addRow(tr("Teacher PIN (4–8 digits):"), self.pin)
        form.addRow(tr("Repeat the PIN:"), self.repeat)
        form.addRow(tr("Teacher's name (optional):"), self.teacher)
        form.addRow(self.error)
        form.addRow(dialog_buttons(tr("Start"), self.finish, self.reject, tr("Later")))
        self.body.addWidget(self.form)

    def _language_changed(self) -> None:
        self.ctx.update_settings(language=self.language.currentData())
        self._lay_out()

    def problem(self) -> str | None:
        address = self.address.text().strip()
        if not self.school.text().strip():
            return tr("Give the school's name.")
        if not self.offline.isChecked():
            if not address:
                return tr("Enter the school's web address, or tick “We are offline”.")
            problem = school_address.problem_with(address)
            if problem:
                return problem
        problem = problem_with(self.pin.text())
        if problem is None and self.pin.text() != self.repeat.text():
            problem = tr("The two PINs differ.")
        return problem

    def finish(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        self.ctx.update_settings(teacher_pin_hash=hash_pin(self.pin.text()),
                                 teacher_name=self.teacher.text().strip(),
                                 school_name=self.school.text().strip())
        if not self.offline.isChecked():
            self.new_address = self.ctx.save_school(self.school.text(), self.address.text())
        self.accept()
