"""Python's garbage collector runs on the GUI thread only (a collection in a worker can
destroy a Qt object there and crash the app)."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QApplication, QWidget

from classroom_app.ui.gui_gc import GuiGarbageCollector


def test_cycles_holding_qt_objects_are_collected_by_the_gui_timer(qtbot) -> None:
    """Automatic collection is off; the timer collects a cycle holding a widget."""
    keeper = GuiGarbageCollector(QApplication.instance(), interval_ms=10)
    try:
        assert not gc.isenabled()

        class Holder:
            pass

        cycle = Holder()
        cycle.me = cycle
        cycle.widget = QWidget()
        destroyed = []
        cycle.widget.destroyed.connect(lambda: destroyed.append(True))
        del cycle
        qtbot.waitUntil(lambda: bool(destroyed), timeout=3000)
    finally:
        keeper.timer.stop()
        keeper.deleteLater()
