"""The class hub: this teacher PC receives the student PCs' statements on the school LAN
(or from their USB files) and passes them on with its own, since everything it receives
lands in this PC's outbox.

:class:`ClassHub` owns the server and the device list and lives as long as the main
window, whichever page is shown; :class:`~classroom_app.ui.sync.class_hub_panel.ClassHubPanel`
shows it on the Sync page.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.lan import lan_addresses
from classroom_app.core.sync.service import require_address
from classroom_app.hub.devices import Device, Enrolment
from classroom_app.hub.lrs import Lrs
from classroom_app.hub.server import HubHttpServer
from classroom_app.hub.storage import HubStorage
from classroom_app.hub.usb_import import import_file
from classroom_app.ui.workers import TaskRunner

ADDRESS_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE on Windows


def open_server(lrs: Lrs, port: int) -> HubHttpServer:
    """Listen on every network of this PC (run in a worker: binding may take a moment)."""
    try:
        return HubHttpServer(lrs, "0.0.0.0", port).start()
    except OSError as error:
        if error.errno in ADDRESS_IN_USE:
            reason = tr("Port {port} is already in use on this PC (is the class hub already "
                        "running in another window?). Choose another port, or close the "
                        "other program.").format(port=port)
        else:
            reason = tr("The class hub could not listen on port {port}: {error}").format(
                port=port, error=error)
        raise OSError(reason) from error


class ClassHub(QObject):
    """The class hub's server, its enrolled PCs and USB imports. Owned by the main
    window, so it keeps running whichever page is shown; it starts with the window when
    enabled in the settings and stops when the window closes."""

    changed = Signal()
    failed = Signal(str)
    imported = Signal(object)  # ImportResult
    import_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.server: HubHttpServer | None = None
        self.activity = ""  # "starting", "stopping" or "importing" while a worker runs
        self.error = ""
        # Any error ends the task with a message: a silent worker would leave us busy.
        self.runner = TaskRunner(self)
        self.runner.done.connect(self._done)
        self.runner.failed.connect(self._failed)
        self._handlers: tuple[Callable, Callable] | None = None
        self._lrs: Lrs | None = None

    @property
    def lrs(self) -> Lrs:
        """The hub's data, in this PC's own database (opened on first use)."""
        if self._lrs is None:
            self._lrs = Lrs(HubStorage.sqlite(self.ctx.store.path, forward_to_outbox=True))
        return self._lrs

    @property
    def running(self) -> bool:
        return self.server is not None

    @property
    def busy(self) -> bool:
        return self.runner.busy

    @property
    def port(self) -> int:
        return self.server.server_address[1] if self.server else self.ctx.settings.class_hub_port

    def addresses(self) -> list[str]:
        hosts = lan_addresses() or [socket.gethostname()]
        return [f"http://{ip}:{self.port}/xapi/" for ip in hosts]

    # -- starting and stopping -----------------------------------------------------------
    def set_enabled(self, enabled: bool, port: int | None = None) -> None:
        """The teacher's choice, remembered for the next start of the app."""
        self.ctx.update_settings(class_hub_enabled=enabled,
                                 class_hub_port=port or self.ctx.settings.class_hub_port)
        if enabled:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        if self.running or self.busy:
            return
        lrs, port = self.lrs, self.ctx.settings.class_hub_port
        self.error = ""
        self._run("starting", lambda: open_server(lrs, port), self._started, self._not_started)

    def stop(self) -> None:
        if not self.running or self.busy:
            return
        server = self.server
        assert server is not None
        self._run("stopping", server.stop, self._stopped, self._stopped)

    def _started(self, server: HubHttpServer) -> None:
        self.server = server

    def _not_started(self, reason: str) -> None:
        self.error = reason
        self.ctx.update_settings(class_hub_enabled=False)
        self.failed.emit(reason)

    def _stopped(self, _: object = None) -> None:
        self.server = None

    # -- devices and USB files -----------------------------------------------------------
    def devices(self) -> list[Device]:
        return [d for d in self.lrs.devices.all() if not d.disabled]

    def enrol(self, name: str, public_key: str | None) -> Enrolment:
        """A student PC's credentials (and its key, for its USB files). Raises
        KeyFormatError for a key that is not one, NotConfigured before the school's web
        address is set (the hub checks records against it)."""
        require_address(self.ctx.settings)
        enrolment = self.lrs.devices.add(name, self.ctx.settings.school_home_page, public_key)
        self.changed.emit()
        return enrolment

    def remove(self, username: str) -> None:
        self.lrs.devices.remove(username)
        self.changed.emit()

    def import_usb(self, path: Path) -> bool:
        """Import a student PC's sync file in a worker; the receipt goes beside it."""
        if self.busy:
            return False
        lrs = self.lrs
        self._run("importing", lambda: import_file(lrs, path), self.imported.emit,
                  self.import_failed.emit)
        return True

    # -- the worker ----------------------------------------------------------------------
    def _run(self, activity: str, work: Callable[[], object], done: Callable,
             failed: Callable) -> None:
        self._handlers, self.activity = (done, failed), activity
        self.runner.start(work, (Exception,))
        self.changed.emit()

    def _end(self) -> tuple[Callable, Callable]:
        handlers, self._handlers, self.activity = self._handlers, None, ""
        assert handlers is not None
        return handlers

    def _done(self, result: object) -> None:
        self._end()[0](result)
        self.changed.emit()

    def _failed(self, message: str) -> None:
        self._end()[1](message)
        self.changed.emit()

    def shutdown(self) -> None:
        """The window closes: finish what runs, stop the server, close the database."""
        # An import writes to the database closed below: give it time to end. A server
        # that just started is delivered, to be stopped below.
        self.runner.shutdown(wait_ms=60000, deliver=True)
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self._lrs is not None:
            self._lrs.storage.close()
