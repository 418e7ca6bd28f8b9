"""Pages shown one at a time, each scrolling when it needs more room than the window has.

A plain QStackedWidget asks for the largest minimum size of all its pages, so one tall
page (the demo shelf) would make the main window taller than a 768-pixel screen for
good. Here every page sits in its own frameless scroll area: the window never grows
past the screen, and a page that cannot fit scrolls. ``currentWidget`` is the page
itself, not its scroll area.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QStackedWidget, QWidget

from classroom_app.ui.widgets import scrolling


class PageStack(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frames: dict[QWidget, QScrollArea] = {}

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 - Qt's name
        frame = scrolling(page)
        frame.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._frames[page] = frame
        return super().addWidget(frame)

    def removeWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt's name
        frame = self._frames.pop(page, None)
        if frame is not None:
            frame.takeWidget()
            super().removeWidget(frame)
            frame.deleteLater()

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setCurrentWidget(self._frames[page])

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt's name
        frame = super().currentWidget()
        return frame.widget() if isinstance(frame, QScrollArea) else frame
