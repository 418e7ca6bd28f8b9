"""Push, USB export and re-addressing off the GUI thread, for the Sync page.

:class:`SyncRunner` is owned by the main window, so a run goes on, and is reported, when
the teacher leaves the Sync page or a language change rebuilds it. Each run opens its own
connection to the database: SQLite connections belong to their thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from classroom_app.core import school_address
from classroom_app.core.context import AppContext
from classroom_app.core.sync.service import export_usb, push_outbox
from classroom_app.ui.workers import Report, TaskRunner, with_store

BATCH_SIZE = 250
RETRIES = 4  # about 15 s of retrying an absent hub before the run stops and says so


class PushState:
    """A push's link to the GUI, used on the worker thread: progress goes to the task's
    report, and Cancel, unlike cancelling the task, still reports what was sent; it also
    cuts short a wait between retries."""

    def __init__(self, report: Report, cancel: threading.Event) -> None:
        self.progress = report
        self._cancel = cancel

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def sleep(self, seconds: float) -> None:
        self._cancel.wait(seconds)


class SyncRunner(QObject):
    """Runs a push, a USB export or a re-addressing off the GUI thread, one at a time.
    Each opens its own connection to the database (SQLite connections belong to their
    thread)."""

    busy_changed = Signal(bool)
    progressed = Signal(int, int)
    push_finished = Signal(object)  # PushReport
    export_finished = Signal(object)  # ExportSummary
    readdressed = Signal(int, str)  # how many records got the school's address, which
    failed = Signal(str, str)  # "push", "export" or "readdress", and why it did not run

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.done.connect(self._done)
        self.runner.failed.connect(self._failed)
        self.stop_push = threading.Event()
        self.kind = ""
        self.last_progress = (0, 0)
        self.waiting_address = ""  # re-addressing asked for while another run goes on
        self.address = ""

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def push(self) -> bool:
        if self.busy:
            return False
        settings, path = self.ctx.settings, self.ctx.store.path
        self.stop_push = stop = threading.Event()

        def work(report: Report, _: Callable[[], bool]) -> object:
            state = PushState(report, stop)
            return with_store(path, lambda store: push_outbox(
                store, settings, state, batch_size=BATCH_SIZE, retries=RETRIES,
                sleep=state.sleep))

        self._run("push", work)
        return True

    def export(self, target: Path) -> bool:
        if self.busy:
            return False
        settings, path = self.ctx.settings, self.ctx.store.path
        self._run("export", lambda: with_store(path, lambda store: export_usb(
            store, settings, target)))
        return True

    def readdress(self, address: str) -> None:
        """Give ``address`` (already saved) to every record that never left this PC: a
        year offline is tens of thousands of records. After the current run, if any."""
        if self.busy:
            self.waiting_address = address
            return
        path = self.ctx.store.path
        self._run("readdress", lambda: with_store(
            path, lambda store: school_address.readdress(store, address)))
        self.address = address

    def cancel(self) -> None:
        """Stop a push after its batch; it still reports what it sent."""
        self.stop_push.set()

    def _run(self, kind: str, work: Callable[..., object]) -> None:
        self.kind, self.last_progress = kind, (0, 0)
        self.runner.start(work, (Exception,))
        self.busy_changed.emit(True)

    def _progress(self, done: int, total: int, _: object = None) -> None:
        self.last_progress = (done, total)
        self.progressed.emit(done, total)

    def _end(self) -> str:
        kind, self.kind = self.kind, ""
        self.busy_changed.emit(False)
        return kind

    def _done(self, result: object) -> None:
        kind = self._end()
        if kind == "readdress":
            self.readdressed.emit(int(result), self.address)  # type: ignore[call-overload]
        else:
            (self.push_finished if kind == "push" else self.export_finished).emit(result)
        self._next()

    def _failed(self, message: str) -> None:
        self.failed.emit(self._end(), message)
        self._next()

    def _next(self) -> None:
        address, self.waiting_address = self.waiting_address, ""
        if address:
            self.readdress(address)

    def shutdown(self) -> None:
        """The window closes: a push stops after its batch; wait for the worker."""
        self.cancel()
        self.runner.shutdown(wait_ms=60000)  # a request may take its 30 s timeout
