"""The class hub's part of the Sync page: on or off, the address student PCs use, the
enrolled PCs (add one, remove one) and importing a student PC's USB file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.sync.keys import KeyFormatError
from classroom_app.core.sync.service import NotConfigured
from classroom_app.hub.devices import Device, Enrolment
from classroom_app.hub.usb_import import ImportResult
from classroom_app.ui.sync.class_hub import ClassHub
from classroom_app.ui.theme import repolish
from classroom_app.ui.widgets import button_row, dialog_buttons, note_label


class AddPcDialog(QDialog):
    """Enrol a student PC, then show its credentials once, ready to copy."""

    def __init__(self, hub: ClassHub, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.enrolment: Enrolment | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.setWindowTitle(tr("Add a student PC"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        ask = QWidget()
        form = QFormLayout(ask)
        intro = QLabel(tr("On the student PC, open Sync and copy “This PC's key” into the "
                          "box below. The key is needed only to import that PC's USB files."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("e.g. PC 12, back row"))
        self.key = QLineEdit()
        self.key.setPlaceholderText("ed25519:…")
        form.addRow(tr("Name:"), self.name)
        form.addRow(tr("Its key:"), self.key)
        self.error = QLabel()
        self.error.setProperty("role", "feedback-wrong")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        form.addRow(dialog_buttons(tr("Add"), self.add, self.reject))
        self.pages.addWidget(ask)

    def add(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.setText(tr("Give the PC a name."))
            return
        try:
            self.enrolment = self.hub.enrol(name, self.key.text().strip() or None)
        except KeyFormatError:
            self.error.setText(tr("This is not a PC key: it starts with ed25519: and is "
                                  "copied from the student PC's Sync page."))
            return
        except NotConfigured as error:
            self.error.setText(str(error))
            return
        self.pages.addWidget(self._credentials(self.enrolment))
        self.pages.setCurrentIndex(1)

    def _credentials(self, enrolment: Enrolment) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        note = QLabel(tr("Enter these on the student PC, under Sync → Hub settings. The "
                         "password is shown only now: copy it before closing."))
        note.setWordWrap(True)
        note.setProperty("role", "feedback-right")
        form.addRow(note)
        rows = [("address", tr("Hub address:"), self.hub.addresses()[0]),
                ("username", tr("Username:"), enrolment.device.username),
                ("password", tr("Password:"), enrolment.password),
                ("hub_key", tr("Hub key:"), enrolment.hub_key),
                ("school", tr("School web address:"), enrolment.device.school or "")]
        self.copy_text = "\n".join(f"{label} {value}" for _, label, value in rows)
        for key, label, value in rows:
            field = QLineEdit(value)
            field.setReadOnly(True)
            field.setCursorPosition(0)
            form.addRow(label, field)
            self.fields[key] = field
        school_note = note_label(tr("The student PC must use the same school web address "
                                "(Settings), or the hub refuses its records."))
        form.addRow(school_note)
        row = QHBoxLayout()
        copy = QPushButton(tr("Copy all"))
        copy.clicked.connect(self.copy_all)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        row.addStretch()
        row.addWidget(copy)
        row.addWidget(close)
        form.addRow(row)
        return page

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text)


class CompactList(QListWidget):
    """Asks for its minimum height only and grows into the room left: on the scrolling
    Sync page a list's usual 192 px request would make the page scroll on 1280×800."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), self.minimumHeight())


class ClassHubPanel(QGroupBox):
    """The class hub on the Sync page: on or off, its address, the enrolled PCs."""

    def __init__(self, ctx: AppContext, hub: ClassHub, parent: QWidget | None = None) -> None:
        super().__init__(tr("Class hub on this PC"), parent)
        self.ctx = ctx
        self.hub = hub
        self.shown: list[Device] = []
        layout = QVBoxLayout(self)
        intro = note_label(tr("Student PCs in this classroom can send their progress to this PC, "
                          "which passes it on with its own."))
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.enabled = QCheckBox(tr("Receive progress from student PCs on this network"))
        self.enabled.toggled.connect(self._toggled)
        row.addWidget(self.enabled, 1)
        row.addWidget(QLabel(tr("Port:")))
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(min(65535, max(1024, ctx.settings.class_hub_port)))
        row.addWidget(self.port)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.error = feedback_label(layout)
        layout.addWidget(QLabel(tr("Student PCs that may send:")))
        self.devices = CompactList()
        self.devices.setMinimumHeight(60)
        self.devices.currentRowChanged.connect(lambda _: self._update_buttons())
        layout.addWidget(self.devices, 1)
        self.add_button, self.remove_button = button_row(layout, [
            (tr("Add a student PC…"), self.add_pc), (tr("Remove"), self.remove_selected)])
        self.import_button = QPushButton(tr("Import a USB file from a student PC…"))
        self.import_button.clicked.connect(self.choose_usb_file)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.message = feedback_label(layout)
        hub.changed.connect(self.refresh)
        hub.imported.connect(self._imported)
        hub.import_failed.connect(self._import_failed)
        self.refresh()

    def refresh(self) -> None:
        hub = self.hub
        self.enabled.blockSignals(True)
        self.enabled.setChecked(hub.running or hub.activity == "starting")
        self.enabled.blockSignals(False)
        self.enabled.setEnabled(not hub.busy)
        self.port.setEnabled(not hub.running and not hub.busy)
        if hub.running:
            self.status.setText(tr("Student PCs use this hub address:") + "\n"
                                + "\n".join(hub.addresses()))
        elif hub.activity in ("starting", "stopping"):
            self.status.setText(tr("Starting…") if hub.activity == "starting"
                                else tr("Stopping…"))
        else:
            self.status.setText(tr("Off: student PCs cannot send their progress to this PC."))
        self.error.setText(hub.error)
        self.error.setVisible(bool(hub.error))
        if not hub.busy:  # stopping closes the hub's database; read it when idle
            self._fill_devices()
        self._update_buttons()

    def _fill_devices(self) -> None:
        self.devices.clear()
        self.shown = self.hub.devices()
        for device in self.shown:
            usb = tr("USB files: yes") if device.public_key else tr("USB files: no key")
            self.devices.addItem(QListWidgetItem(f"{device.name}  ·  {device.username}  ·  {usb}"))

    def _update_buttons(self) -> None:
        idle = not self.hub.busy
        self.add_button.setEnabled(idle)
        self.import_button.setEnabled(idle)
        self.remove_button.setEnabled(idle and self.devices.currentItem() is not None)

    def _toggled(self, checked: bool) -> None:
        self.hub.set_enabled(checked, self.port.value())

    def add_pc(self) -> None:
        AddPcDialog(self.hub, self).exec()

    def remove_selected(self) -> None:
        row = self.devices.currentRow()
        if not 0 <= row < len(self.shown):
            return
        device = self.shown[row]
        box = QMessageBox(QMessageBox.Icon.Question, tr("Remove this PC?"),
                          tr("“{name}” will no longer be able to send progress to this PC. "
                             "What it sent stays.").format(name=device.name), parent=self)
        remove = box.addButton(tr("Remove"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is remove:
            self.hub.remove(device.username)

    def choose_usb_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import a USB file from a student PC"),
                                              "", tr("Sync files (*.xapisync)"))
        if path:
            self.import_usb(Path(path))

    def import_usb(self, path: Path) -> None:
        if self.hub.import_usb(path):
            show_message(self.message, tr("Importing {name}…").format(name=path.name), None)

    def _imported(self, result: ImportResult) -> None:
        text = tr("{count} records imported ({new} new); receipt written to {path}. "
                  "Give the receipt back to that PC: it reads it under Sync → Read receipt…"
                  ).format(count=result.statements, new=result.added, path=result.receipt)
        if result.already_imported:
            text = tr("{message} {more}").format(message=text,
                                               more=tr("This file was imported before."))
        show_message(self.message, text, True)

    def _import_failed(self, reason: str) -> None:
        text = tr("The file was not imported: {reason}").format(reason=reason)
        show_message(self.message, text, False)


def feedback_label(layout: QVBoxLayout) -> QLabel:
    """A hidden, word-wrapped label for :func:`show_message`, added to ``layout``."""
    label = QLabel()
    label.setWordWrap(True)
    label.setVisible(False)
    label.setProperty("role", "feedback-wrong")
    layout.addWidget(label)
    return label


def show_message(label: QLabel, text: str, ok: bool | None) -> None:
    """A message under a group of controls: green when done, red when refused."""
    roles = {True: "feedback-right", False: "feedback-wrong", None: "subtitle"}
    label.setProperty("role", roles[ok])
    repolish(label)
    label.setText(text)
    label.setVisible(True)

