"""Python's garbage collector runs on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is passed.
If that is a worker (inference, a report, a sync) and the garbage holds a Qt object in
a reference cycle, the object is destroyed off the GUI thread and the app crashes (seen
once in the test suite: a segmentation fault while a worker built a class report). So
automatic collection is switched off and a timer on the GUI thread collects instead
(as pyqtgraph's GarbageCollector does): the young generation every second, the older
ones by Python's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GuiGarbageCollector(QObject):
    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the young objects at every tick (cheap, and a count that frees fall
        below the threshold again would leave cycles waiting), the older generations
        when their counts pass their thresholds."""
        gc.collect(0)
        counts = gc.get_count()
        for generation in (1, 2):
            if counts[generation] <= self.thresholds[generation]:
                break
            gc.collect(generation)
