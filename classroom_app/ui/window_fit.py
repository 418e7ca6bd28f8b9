"""Opening windows so that they fit the classroom's screen (1024×768 and up).

A window asks for the size it would like; it gets at most the screen's available
area, less the frame the window manager adds, and is placed inside that area. A demo
window opened while the projector shows a lesson fills the screen with the
projector's high-contrast look, at a type size its live picture still has room for.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from classroom_app.ui.projector_window import fill_screen, projector_style
from classroom_app.ui.theme import app_font

FRAME = QSize(16, 40)  # the window manager's border and title bar, before it is known
DEMO_PROJECTOR_SCALE = 1.5  # demo windows: big enough for the back row, room for the picture


def room(widget: QWidget | None = None) -> QRect:
    """The available area (without task bars) of the screen ``widget`` is on."""
    screen = widget.screen() if widget is not None else None
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def room_left(widget: QWidget, height: bool = False) -> int:
    """The screen's available width (or height) less a margin for the window frame."""
    area = room(widget)
    return (area.height() if height else area.width()) - 80


def within(wanted: QSize, room: QRect) -> QRect:
    """A rectangle of at most ``wanted`` size, centred in ``room`` less the frame."""
    size = wanted.boundedTo(room.size() - FRAME)
    left = room.x() + (room.width() - size.width() - FRAME.width()) // 2
    top = room.y() + (room.height() - size.height() - FRAME.height()) // 2
    return QRect(max(room.x(), left), max(room.y(), top), size.width(), size.height())


def show_within_screen(window: QWidget, wanted: QSize) -> None:
    """Show ``window`` at ``wanted`` size or less, wholly on its screen."""
    place = within(wanted, window.screen().availableGeometry())
    window.resize(place.size())
    window.move(place.topLeft())
    window.show()


def show_on_projector(window: QWidget, scale: float) -> None:
    """Full screen with the projector's look, type at most ``DEMO_PROJECTOR_SCALE``."""
    scale = min(scale, DEMO_PROJECTOR_SCALE)
    window.setObjectName("projector")
    window.setStyleSheet(projector_style(scale))
    window.setFont(app_font(scale))
    fill_screen(window)


def fit_window(window: QWidget, width: int, height: int) -> None:
    """Give the main window width×height, centred on its screen; where the screen is
    smaller than that with the window's frame, maximise it instead."""
    area = room(window)
    place = within(QSize(width, height), area)
    window.resize(place.size())
    window.move(place.topLeft())
    if place.size() != QSize(width, height):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
