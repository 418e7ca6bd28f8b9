"""Background work for the UI: the one place that starts threads.

:class:`FrameWorker` runs :func:`classroom_app.core.vision.stream.run_stream` on its own
thread and wakes the GUI through a queued signal only when a fresh result waits in the
one-item slot; results the GUI had no time to show are dropped, never queued.
:class:`TaskRunner` runs the views' other background work, one task at a time.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from classroom_app.core.store import Store
from classroom_app.core.vision.sources import SourceError, SourceSpec, open_source
from classroom_app.core.vision.stream import FrameResult, LatestSlot, run_stream

# Threads let go while still busy (a camera can take seconds to answer or to give up, a
# task may not stop in time): kept here, parentless, until they end, so that nobody waits
# for them on the GUI thread and no thread object is deleted while it runs.
_LEAVING: set[QThread] = set()


def _let_go(thread: QThread) -> None:
    thread.setParent(None)
    _LEAVING.add(thread)
    thread.finished.connect(lambda: _forget(thread))  # queued to the GUI thread
    if thread.isFinished():  # it ended before the connection: nothing will come
        _forget(thread)


def _forget(thread: QThread) -> None:
    thread.wait()
    _LEAVING.discard(thread)


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
            _let_go(self)
            return
        self.wait(3000)


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


Report = Callable[..., None]  # report(done, total, detail=None), on the worker thread


class _Task(QThread):
    """One run of ``work``; its outcome waits on the object for the runner to take."""

    progress = Signal(int, int, object)

    def __init__(self, work: Callable[..., object], errors: tuple[type[Exception], ...],
                 parent: QObject) -> None:
        super().__init__(parent)
        self.work = work
        self.errors = errors
        self.reports = len(inspect.signature(work).parameters) >= 2
        self.stop = threading.Event()
        self.result: object = None
        self.error: str | None = None

    def run(self) -> None:
        try:
            self.result = self.work(self._report, self.stop.is_set) if self.reports \
                else self.work()
        except self.errors as error:
            self.error = str(error)
        except Exception as error:  # a bug: shown, and the task still ends as failed
            sys.excepthook(*sys.exc_info())
            self.error = str(error)

    def _report(self, done: int, total: int, detail: object = None) -> None:
        self.progress.emit(done, total, detail)


class TaskRunner(QObject):
    """Runs a view's background work off the GUI thread, one task at a time.

    ``start(work)`` runs ``work()``, or ``work(report, should_stop)`` when it takes two
    arguments: ``report(done, total, detail=None)`` becomes :attr:`progress` and
    ``should_stop()`` turns true once the task is cancelled. Its end arrives on the GUI
    thread as :attr:`done` (the result) or :attr:`failed` (the message: ``errors`` are
    the expected failures; any other exception is a bug, its traceback goes to
    ``sys.excepthook``, and the task still ends as failed, so a view is never left busy).

    Starting a task cancels the one running: a cancelled task is asked to stop and
    nothing of it (progress, result, error) reaches the view. It may still run a while,
    with its own connections (see :func:`with_store`); :meth:`shutdown` waits for it.
    """

    progress = Signal(int, int, object)  # done, total, detail
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: _Task | None = None
        self._tasks: set[_Task] = set()  # every task whose thread may still run

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, work: Callable[..., object],
              errors: tuple[type[Exception], ...] = ()) -> None:
        self.cancel()
        task = _Task(work, errors, self)
        task.progress.connect(self._progress)
        task.finished.connect(self._finished)
        self._task = task
        self._tasks.add(task)
        task.start()

    def cancel(self) -> None:
        """Ask the running task to stop and forget it: nothing of it reaches the view."""
        task, self._task = self._task, None
        if task is not None:
            task.stop.set()

    def shutdown(self, wait_ms: int = 10000, deliver: bool = False) -> None:
        """The view closes: cancel, and wait up to ``wait_ms`` for each task's thread; one
        still running then is let go (kept alive until it ends, unseen), never destroyed
        while it runs. With ``deliver``, the current task's outcome, if it came in time,
        reaches the view now instead of being dropped. The runner stays usable."""
        current = self._task if deliver else None
        self.cancel()
        for task in list(self._tasks):
            task.stop.set()
            if task.wait(wait_ms):
                self._retire(task)
            else:
                self._tasks.discard(task)
                _let_go(task)
        if current is not None and current.isFinished():
            self._deliver(current)

    def _progress(self, done: int, total: int, detail: object) -> None:
        if self.sender() is self._task:
            self.progress.emit(done, total, detail)

    def _finished(self) -> None:
        task = self.sender()
        if not isinstance(task, _Task) or task not in self._tasks:
            return  # already waited for by shutdown
        self._retire(task)
        if task is self._task:
            self._task = None
            self._deliver(task)

    def _retire(self, task: _Task) -> None:
        self._tasks.discard(task)
        task.wait()
        task.deleteLater()

    def _deliver(self, task: _Task) -> None:
        if task.error is None:
            self.done.emit(task.result)
        else:
            self.failed.emit(task.error)


def with_store(path: Path, work: Callable[[Store], object]) -> object:
    """Run ``work`` on a connection of its own: SQLite connections stay in the thread
    that opened them, so a worker never borrows the GUI's."""
    store = Store(path)
    try:
        return work(store)
    finally:
        store.close()
