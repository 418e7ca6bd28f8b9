"""Settings: the language for everyone; the school and the PIN for the teacher."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from classroom_app.core import school_address
from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.pin import hash_pin, problem_with
from classroom_app.ui.widgets import dialog_buttons

LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, teacher: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.teacher = teacher
        self.setWindowTitle(tr("Settings"))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGE_NAMES).index(ctx.settings.language))
        form.addRow(tr("Language:"), self.language)
        self.school = QLineEdit(ctx.settings.school_name)
        self.new_address = ""
        self.home_page = QLineEdit(ctx.settings.school_home_page)
        self.home_page.setPlaceholderText(tr("not set yet: records wait on this PC"))
        self.home_page.setToolTip(tr("The school's web address identifies its students in the "
                                     "records sent for evaluation (with the student number)."))
        self.new_pin = QLineEdit()
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setPlaceholderText(tr("leave empty to keep the PIN"))
        for widget in (self.school, self.home_page, self.new_pin):
            widget.setEnabled(teacher)
        form.addRow(tr("School name:"), self.school)
        form.addRow(tr("School web address:"), self.home_page)
        form.addRow(tr("New teacher PIN:"), self.new_pin)
        if not teacher:
            form.addRow(QLabel(tr("Unlock the teacher screens to change the school or PIN.")))
        self.error = QLabel()
        self.error.setProperty("role", "feedback-wrong")
        form.addRow(self.error)
        buttons = dialog_buttons(tr("Save"), self.save, self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        changes: dict[str, object] = {"language": self.language.currentData()}
        home = self.home_page.text().strip()
        if self.teacher:
            problem = school_address.problem_with(home) if home or \
                school_address.is_set(self.ctx.settings.school_home_page) else None
            if not problem and self.new_pin.text():
                problem = problem_with(self.new_pin.text())
                changes["teacher_pin_hash"] = hash_pin(self.new_pin.text())
            if problem:
                self.error.setText(problem)
                return
            changes["school_name"] = self.school.text().strip()
        self.ctx.update_settings(**changes)
        if self.teacher and home and home != self.ctx.settings.school_home_page:
            # The records waiting on this PC get it on a worker (see SyncRunner).
            self.new_address = self.ctx.save_school(self.school.text(), home)
        self.accept()


def tell_readdressed(parent: QWidget, count: int, address: str) -> None:
    """Say how many records got the school's new address (none: nothing to say)."""
    if count:
        QMessageBox.information(parent, tr("School web address saved"), tr(
            "{count} records made on this PC before now carry the address {address}; they "
            "are sent with the next sync.").format(count=count, address=address))
