"""Background work for the UI: the one place that starts threads.

:class:`FrameWorker` runs :func:`classroom_app.core.vision.stream.run_stream` on its own
thread and wakes the GUI through a queued signal only when a fresh result waits in the
one-item slot; results the GUI had no time to show are dropped, never queued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from classroom_app.core.vision.sources import SourceError, SourceSpec, open_source
from classroom_app.core.vision.stream import FrameResult, LatestSlot, run_stream


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

    def run(self) -> None:
        try:
            source = open_source(self.spec, paced=self.paced)
        except SourceError as error:
            self.failed.emit(str(error))
            return
        self.frames = run_stream(source, self.process, self._publish, self._stop,
                                 self.failed.emit)

    def _publish(self, result: FrameResult) -> None:
        if self.slot.put(result):
            self.ready.emit()

    def take(self) -> FrameResult | None:
        return self.slot.take()

    def stop(self) -> None:
        self._stop.set()
        self.wait(3000)
