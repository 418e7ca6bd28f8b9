"""The teacher's Sync page: what waits to be sent, sending it to the hub, what the hub
refused, the hub settings, USB files, and the class hub on this PC.

Pushes and exports run in :class:`~classroom_app.ui.sync.runner.SyncRunner`, which the
main window owns; the page shows what it reports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core import school_address
from classroom_app.core.context import AppContext
from classroom_app.core.file_names import file_name
from classroom_app.core.i18n import tr
from classroom_app.core.sync.device import DeviceKeyError, load_identity
from classroom_app.core.sync.keys import KeyFormatError, parse_public_key
from classroom_app.core.sync.push import PushReport
from classroom_app.core.sync.service import apply_usb_receipt
from classroom_app.core.sync.usb_file import SUFFIX, ExportSummary, SyncFileError
from classroom_app.ui.sync.class_hub import ClassHub
from classroom_app.ui.sync.class_hub_panel import ClassHubPanel, feedback_label, show_message
from classroom_app.ui.sync.runner import SyncRunner
from classroom_app.ui.sync.words import describe, explain, local_time
from classroom_app.ui.widgets import note_label, scrolling

REFRESH_MS = 5000  # the class hub adds statements in the background


class CompactTable(QTableWidget):
    """Asks for its minimum height only and grows into the room left (see CompactList)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), self.minimumHeight())


class SyncView(QWidget):
    """The teacher's Sync page; it observes the window's SyncRunner and ClassHub."""

    def __init__(self, ctx: AppContext, runner: SyncRunner, hub: ClassHub,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = runner
        outer = QVBoxLayout(self)
        title = QLabel(tr("Sync"))
        title.setProperty("role", "title")
        outer.addWidget(title)
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        left.addWidget(self._status_box())
        left.addWidget(self._refused_box(), 1)
        left.addWidget(self._usb_box())
        right.addWidget(self._settings_box())
        self.hub_panel = ClassHubPanel(ctx, hub)
        right.addWidget(self.hub_panel, 1)
        outer.addWidget(scrolling(body), 1)
        runner.busy_changed.connect(self._busy_changed)
        runner.progressed.connect(self._progress)
        runner.push_finished.connect(self._push_finished)
        runner.export_finished.connect(self._export_finished)
        runner.readdressed.connect(self._readdressed)
        runner.failed.connect(self._failed)
        hub.imported.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(REFRESH_MS)
        self.refresh()
        self._progress(*runner.last_progress)

    # -- building ------------------------------------------------------------------------
    def _status_box(self) -> QGroupBox:
        box = QGroupBox(tr("Progress records on this PC"))
        layout = QVBoxLayout(box)
        tiles = QGridLayout()
        self.counts: dict[str, QLabel] = {}
        captions = {"pending": tr("waiting to be sent"), "acknowledged": tr("received by the hub"),
                    "rejected": tr("refused by the hub")}
        for column, (key, caption) in enumerate(captions.items()):
            number = QLabel("0")
            number.setProperty("role", "title")
            tiles.addWidget(number, 0, column)
            tiles.addWidget(QLabel(caption), 1, column)
            self.counts[key] = number
        layout.addLayout(tiles)
        school = QHBoxLayout()
        self.school_line = QLabel()
        self.school_line.setWordWrap(True)
        self.school_button = QPushButton(tr("School web address…"))
        self.school_button.clicked.connect(self.ask_school_address)
        school.addWidget(self.school_line, 1)
        school.addWidget(self.school_button)
        layout.addLayout(school)
        self.last_synced = QLabel()
        layout.addWidget(self.last_synced)
        self.last_error = feedback_label(layout)
        row = QHBoxLayout()
        self.sync_button = QPushButton(tr("Sync now"))
        self.sync_button.setProperty("primary", True)
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        row.addWidget(self.sync_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch()
        layout.addLayout(row)
        self.hint = QLabel(tr("Enter the hub's address under “Hub settings” first."))
        self.hint.setProperty("role", "subtitle")
        layout.addWidget(self.hint)
        self.summary = feedback_label(layout)
        return box

    def _refused_box(self) -> QGroupBox:
        box = QGroupBox(tr("Refused by the hub"))
        layout = QVBoxLayout(box)
        note = note_label(tr("These records are kept on this PC. When the problem is fixed, send "
                         "them again."))
        layout.addWidget(note)
        self.refused = CompactTable(0, 4)
        self.refused.setHorizontalHeaderLabels([tr("Student"), tr("What"), tr("When"),
                                                tr("Why the hub refused it")])
        self.refused.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refused.verticalHeader().setVisible(False)
        self.refused.setWordWrap(True)
        self.refused.setMinimumHeight(110)
        header = self.refused.horizontalHeader()
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column, mode in enumerate((fit, stretch, fit, stretch)):
            header.setSectionResizeMode(column, mode)
        layout.addWidget(self.refused, 1)
        self.address_note = QLabel()
        self.address_note.setWordWrap(True)
        self.address_note.setProperty("role", "feedback-wrong")
        layout.addWidget(self.address_note)
        row = QHBoxLayout()
        self.retry_button = QPushButton(tr("Send again"))
        self.retry_button.clicked.connect(self.send_again)
        self.readdress_button = QPushButton()
        self.readdress_button.clicked.connect(self.fix_addresses)
        row.addWidget(self.retry_button)
        row.addWidget(self.readdress_button)
        row.addStretch()
        layout.addLayout(row)
        return box

    def _usb_box(self) -> QGroupBox:
        box = QGroupBox(tr("USB stick"))
        layout = QVBoxLayout(box)
        note = note_label(tr("No network to the hub? Carry the records on a USB stick, then bring "
                         "back the receipt the hub writes."))
        layout.addWidget(note)
        row = QHBoxLayout()
        self.export_button = QPushButton(tr("Export to USB file…"))
        self.export_button.clicked.connect(self.choose_export)
        receipt = QPushButton(tr("Read receipt…"))
        receipt.clicked.connect(self.choose_receipt)
        row.addWidget(self.export_button)
        row.addWidget(receipt)
        row.addStretch()
        layout.addLayout(row)
        self.usb_message = feedback_label(layout)
        return box

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox(tr("Hub settings"))
        form = QFormLayout(box)
        settings = self.ctx.settings
        self.address = QLineEdit(settings.sync_endpoint)
        self.address.setPlaceholderText("http://192.168.1.20:8380/xapi/")
        self.username = QLineEdit(settings.sync_username)
        self.password = QLineEdit(settings.sync_password)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.hub_key = QLineEdit(settings.sync_hub_key)
        self.hub_key.setCursorPosition(0)
        self.hub_key.setPlaceholderText("ed25519:…")
        self.hub_key.setToolTip(tr("Checks that a USB receipt really comes from your hub."))
        form.addRow(tr("Hub address:"), self.address)
        form.addRow(tr("Username:"), self.username)
        form.addRow(tr("Password:"), self.password)
        form.addRow(tr("Hub key:"), self.hub_key)
        save_row = QHBoxLayout()
        self.settings_message = QLabel()
        self.settings_message.setWordWrap(True)
        self.settings_message.setVisible(False)
        save = QPushButton(tr("Save"))
        save.clicked.connect(self.save_settings)
        save_row.addWidget(self.settings_message, 1)
        save_row.addStretch()
        save_row.addWidget(save)
        form.addRow(save_row)
        key_row = QHBoxLayout()
        self.device_key = QLineEdit()
        self.device_key.setReadOnly(True)
        copy = QPushButton(tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.device_key.text()))
        key_row.addWidget(self.device_key, 1)
        key_row.addWidget(copy)
        form.addRow(tr("This PC's key:"), key_row)
        try:
            self.device_key.setText(load_identity().public_key)
        except DeviceKeyError as error:
            self.device_key.setText(str(error))
        self.device_key.setCursorPosition(0)
        hint = note_label(tr("Give this key to the hub's administrator when this PC is added."))
        form.addRow(hint)
        return box

    # -- what the page shows -------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_status()
        self._fill_refused()
        self._explain_addresses()

    def _explain_addresses(self) -> None:
        """Say what address records carry, and offer the fix for refusals that come
        from an old or missing one."""
        address = self.ctx.settings.school_home_page
        if school_address.is_set(address):
            self.school_line.setText(tr("School web address: {address}").format(
                address=address))
        else:
            self.school_line.setText(tr("The school's web address is not set: records wait "
                                        "on this PC until it is."))
        expected = school_address.hub_expects(self.ctx.store)
        elsewhere = school_address.refused_elsewhere(self.ctx.store, address) \
            if school_address.is_set(address) else 0
        self.fix_to = ""
        if expected and expected != address:
            self.fix_to = expected
            note = tr("The hub accepts this PC's records only for the school address "
                      "{expected}, but this PC uses {address}. If the hub is right, use its "
                      "address: every record not yet sent gets it.").format(
                expected=expected, address=address or tr("(none)"))
        elif elsewhere:
            self.fix_to = address
            note = tr("{count} refused records were made before the school's web address "
                      "was set or changed, so they name another school. Give them this "
                      "school's address ({address}) and send them again.").format(
                count=elsewhere, address=address)
        else:
            note = ""
        self.address_note.setText(note)
        self.address_note.setVisible(bool(note))
        self.readdress_button.setText(tr("Use {address}").format(address=self.fix_to))
        self.readdress_button.setVisible(bool(self.fix_to))

    def fix_addresses(self) -> None:
        """Re-address the records that never left this PC (refusals cleared)."""
        if self.fix_to:
            self._use_address(self.fix_to)

    def _use_address(self, address: str) -> None:
        address = self.ctx.save_school(self.ctx.settings.school_name, address)
        self.readdress_button.setEnabled(False)
        show_message(self.summary, tr("Giving the address {address} to the records on this "
                                      "PC…").format(address=address), None)
        self.runner.readdress(address)

    def _readdressed(self, count: int, address: str) -> None:
        self.readdress_button.setEnabled(True)
        show_message(self.summary, tr("{count} records now carry the address {address}; "
                                      "they are sent with the next sync.").format(
            count=count, address=address), True)
        self.refresh()

    def ask_school_address(self) -> None:
        current = self.ctx.settings.school_home_page
        problem = ""
        while True:
            text, ok = QInputDialog.getText(
                self, tr("School web address"), (problem + "\n\n" if problem else "")
                + tr("The school's own web address, e.g. https://www.school-name.edu.cn/ "
                     "(records name pupils by it):"), QLineEdit.EchoMode.Normal, current)
            if not ok:
                return
            problem = school_address.problem_with(text) or ""
            if not problem:
                break
            current = text
        self._use_address(text)

    def _tick(self) -> None:
        if self.isVisible():  # a page the teacher left (or a closed window) rests
            self.refresh_status()

    def shutdown(self) -> None:
        """The page goes (or the window closes, and with it the store): stop looking."""
        self.timer.stop()

    def refresh_status(self) -> None:
        for key, count in self.ctx.store.outbox_counts().items():
            self.counts[key].setText(str(count))
        last = self.ctx.store.last_sync()
        self.last_synced.setText(
            tr("Last synced: {when}").format(when=local_time(last["finished"])) if last
            else tr("Last synced: never"))
        run = self.ctx.store.last_sync(succeeded=False)
        error = run["error"] if run else None
        # After a run the summary says it; the last error is for a page opened later.
        self.last_error.setVisible(bool(error) and not self.runner.busy
                                   and self.summary.isHidden())
        if error:
            self.last_error.setText(tr("The last sync ({when}) did not finish: {reason}").format(
                when=local_time(run["finished"]), reason=explain(error)))
        self._update_buttons()

    def _fill_refused(self) -> None:
        rows = self.ctx.store.rejected_statements()
        self.refused.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            who, what, when = describe(entry["statement"], self._learner_name)
            texts = (who, what, when or local_time(entry["created"]),
                     explain(entry["rejected"], detail=False))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(entry["rejected"] if column == 3 else text)
                self.refused.setItem(row, column, item)
        self.refused.resizeRowsToContents()
        self.retry_button.setEnabled(bool(rows))

    def _learner_name(self, student_number: str) -> str:
        return self.ctx.store.name_for_student_number(student_number) or ""

    def _update_buttons(self) -> None:
        addressed = school_address.is_set(self.ctx.settings.school_home_page)
        configured = bool(self.ctx.settings.sync_endpoint) and addressed
        busy = self.runner.busy
        pushing = self.runner.kind == "push"
        self.sync_button.setEnabled(configured and not busy)
        self.hint.setText(tr("Enter the hub's address under “Hub settings” first.")
                          if addressed else tr("Set the school's web address first."))
        self.hint.setVisible(not configured)
        self.export_button.setEnabled(not busy and addressed)
        self.progress.setVisible(pushing)
        self.cancel_button.setVisible(pushing)

    # -- syncing -------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.runner.push():
            self.summary.setVisible(False)

    def _busy_changed(self, busy: bool) -> None:
        self.refresh_status()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _push_finished(self, report: PushReport) -> None:
        text = tr("{sent} sent, {refused} refused, {waiting} waiting.").format(
            sent=report.acknowledged, refused=len(report.rejected), waiting=report.remaining)
        if report.error:
            text = tr("{message} {more}").format(message=text, more=explain(report.error))
        show_message(self.summary, text, report.error is None and not report.rejected)
        self.refresh()

    def _failed(self, kind: str, reason: str) -> None:
        if kind == "push":
            show_message(self.summary, tr("Sync did not run: {reason}").format(
                reason=explain(reason)), False)
        else:
            show_message(self.usb_message, tr("The USB file was not written: {reason}").format(
                reason=reason), False)
        self.refresh()

    def send_again(self) -> None:
        count = self.ctx.store.retry_rejected()
        show_message(self.summary, tr("{count} refused records will be sent again with the "
                                      "next sync.").format(count=count), None)
        self.refresh()

    # -- settings ------------------------------------------------------------------------
    def save_settings(self) -> None:
        address, key = self.address.text().strip(), self.hub_key.text().strip()
        problem = ""
        if address and not address.startswith(("http://", "https://")):
            problem = tr("The hub address must start with http:// or https://.")
        elif key:
            try:
                parse_public_key(key)
            except KeyFormatError:
                problem = tr("The hub key starts with ed25519: copy it exactly as the hub "
                             "shows it.")
        if not problem:
            self.ctx.update_settings(sync_endpoint=address,
                                     sync_username=self.username.text().strip(),
                                     sync_password=self.password.text(), sync_hub_key=key)
        show_message(self.settings_message, problem or tr("Saved."), not problem)
        self._update_buttons()

    # -- USB -----------------------------------------------------------------------------
    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export to USB file"),
                                              str(Path.home() / self.default_export_name()),
                                              tr("Sync files (*.xapisync)"))
        if path:
            self.export_to(Path(path))

    def default_export_name(self) -> str:
        return file_name(self.ctx.settings.school_name or tr("AI Classroom"),
                         date.today().isoformat(), suffix=SUFFIX)

    def export_to(self, path: Path) -> bool:
        """Write everything waiting into a sync file at ``path``, in a worker."""
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        if not self.ctx.store.outbox_counts()["pending"]:
            show_message(self.usb_message, tr("Nothing is waiting to be sent."), None)
            return False
        if self.runner.export(path):
            show_message(self.usb_message, tr("Writing {path}…").format(path=path), None)
            return True
        return False

    def _export_finished(self, summary: ExportSummary) -> None:
        show_message(self.usb_message, tr(
            "{count} records written to {path}. Take this file to the hub, then read the "
            "receipt it gives you here.").format(count=summary.statements, path=summary.path),
            True)

    def choose_receipt(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Read receipt"), str(Path.home()),
                                              tr("Receipts (*.receipt.json)"))
        if path:
            self.read_receipt(Path(path))

    def read_receipt(self, path: Path) -> str:
        """Mark what the hub confirmed in a receipt as received; the message shown."""
        ok = False
        if not self.ctx.settings.sync_hub_key:
            message = tr("Enter the hub key under “Hub settings” first (the hub's "
                         "administrator has it).")
        else:
            try:
                count = apply_usb_receipt(self.ctx.store, self.ctx.settings, path)
            except SyncFileError as error:
                message = tr("This receipt was not used: {reason}").format(reason=error)
            else:
                ok = True
                message = tr("The hub confirmed {count} records.").format(count=count)
        show_message(self.usb_message, message, ok)
        self.refresh()
        return message
