"""Background work for the UI: the one place that starts threads.

:class:`FrameWorker` runs :func:`classroom_app.core.vision.stream.run_stream` on its own
thread and wakes the GUI through a queued signal only when a fresh result waits in the
one-item slot; results the GUI had no time to show are dropped, never queued.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from classroom_app.core.store import Store
from classroom_app.core.vision.sources import SourceError, SourceSpec, open_source
from classroom_app.core.vision.stream import FrameResult, LatestSlot, run_stream

# Workers let go while still opening their source (a camera can take seconds to answer
# or to give up): kept here, parentless, until their thread ends, so that nobody waits
# for them on the GUI thread and no thread object is deleted while it runs.
_LEAVING: set[FrameWorker] = set()


class FrameWorker(QThread):
    ready = Signal()
    failed = Signal(str)

    def __init__(self, spec: SourceSpec, process: Callable, parent: QObject | None = None,
                 paced: bool = True) -> None:
        super().__init__(parent)
        self.spec = spec
        self.process = process
        self.paced = paced
        self.slot: LatestSlot[FrameResult] = LatestSlot()
        self._stop = threading.Event()
        self.frames = 0
        self.opening = True

    def run(self) -> None:
        try:
            source = open_source(self.spec, paced=self.paced)
        except SourceError as error:
            self.failed.emit(str(error))
            return
        finally:
            self.opening = False
        self.frames = run_stream(source, self.process, self._publish, self._stop,
                                 self.failed.emit)

    def _publish(self, result: FrameResult) -> None:
        if self.slot.put(result):
            self.ready.emit()

    def take(self) -> FrameResult | None:
        return self.slot.take()

    def stop(self) -> None:
        """Stop and wait for the thread; one still opening its source is let go instead
        (it stops by itself once the source answers)."""
        self._stop.set()
        if self.opening and self.isRunning():
            for signal in (self.ready, self.failed):  # its view may be gone by then
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect()
            self.setParent(None)
            _LEAVING.add(self)
            self.finished.connect(self._forget)  # queued to the GUI thread, the owner
            if self.isFinished():  # it ended before the connection: nothing will come
                self._forget()
            return
        self.wait(3000)

    def _forget(self) -> None:
        self.wait()
        _LEAVING.discard(self)


class LiveFeed(QObject):
    """One live source at a time for a demo view.

    ``start`` replaces the running worker; results reach ``show`` and errors reach
    ``failed`` on the GUI thread. Signals that a replaced worker queued before it
    stopped are dropped, so a view never shows a frame from the source it left.
    """

    def __init__(self, process: Callable, show: Callable[[FrameResult], None],
                 failed: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = process
        self.show = show
        self.failed = failed
        self.worker: FrameWorker | None = None

    def start(self, spec: SourceSpec) -> None:
        self.stop()
        worker = FrameWorker(spec, self.process, self)
        worker.ready.connect(lambda w=worker: self._ready(w))
        worker.failed.connect(lambda message, w=worker: self._failed(w, message))
        self.worker = worker
        worker.start()

    def _ready(self, worker: FrameWorker) -> None:
        if worker is self.worker:
            result = worker.take()
            if result is not None:
                self.show(result)

    def _failed(self, worker: FrameWorker, message: str) -> None:
        if worker is self.worker:
            self.worker = None
            self.failed(message)

    def stop(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()


class BackgroundTask(QThread):
    """Runs one function off the GUI thread; its result or error arrives as a signal."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], object], errors: tuple[type[Exception], ...],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.errors = errors

    def run(self) -> None:
        try:
            result = self.work()
        except self.errors as error:
            self.failed.emit(str(error))
            return
        self.done.emit(result)


class ProgressTask(QThread):
    """Runs ``work(report, should_stop)`` off the GUI thread: ``report(done, total)``
    becomes the ``progress`` signal, and ``stop()`` asks the work to end early."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], object],
                 errors: tuple[type[Exception], ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.errors = errors
        self._stop = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(self.progress.emit, self._stop.is_set)
        except self.errors as error:
            self.failed.emit(str(error))
            return
        self.done.emit(result)

    def stop(self) -> None:
        self._stop.set()
        self.wait(10000)


def with_store(path: Path, work: Callable[[Store], object]) -> object:
    """Run ``work`` on a connection of its own: SQLite connections stay in the thread
    that opened them, so a worker never borrows the GUI's."""
    store = Store(path)
    try:
        return work(store)
    finally:
        store.close()
