"""Asking for the teacher PIN, or setting one the first time."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.pin import hash_pin, problem_with, verify_pin
from classroom_app.ui.widgets import dialog_buttons


class PinDialog(QDialog):
    """Unlocks teacher-only screens. With no PIN set yet, asks for a new one twice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setting = not ctx.settings.teacher_pin_hash
        self.setWindowTitle(tr("Set a teacher PIN") if self.setting else tr("Teacher PIN"))
        form = QFormLayout(self)
        intro = tr("Choose a PIN of 4 to 8 digits. It guards the teacher's screens."
                   ) if self.setting else tr("Enter the teacher PIN.")
        form.addRow(QLabel(intro))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        form.addRow(tr("PIN:"), self.pin)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setMaxLength(8)
        if self.setting:
            form.addRow(tr("Repeat the PIN:"), self.repeat)
        self.error = QLabel()
        self.error.setProperty("role", "feedback-wrong")
        form.addRow(self.error)
        buttons = dialog_buttons(tr("OK"), self.try_accept, self.reject)
        form.addRow(buttons)

    def try_accept(self) -> None:
        pin = self.pin.text()
        if self.setting:
            problem = problem_with(pin)
            if problem is None and pin != self.repeat.text():
                problem = tr("The two PINs differ.")
            if problem:
                self.error.setText(problem)
                return
            self.ctx.update_settings(teacher_pin_hash=hash_pin(pin))
            self.accept()
        elif verify_pin(pin, self.ctx.settings.teacher_pin_hash):
            self.accept()
        else:
            self.error.setText(tr("Wrong PIN. Try again."))
            self.pin.clear()
