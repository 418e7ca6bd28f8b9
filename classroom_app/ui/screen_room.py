"""How much screen a window may take: classroom PCs and projectors are 1024×768 or
1366×768, and a window larger than that hides its own buttons."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room left for the title bar and borders a window manager adds around a window.
FRAME = QSize(16, 40)


def room(widget: QWidget | None = None) -> QRect:
    """The available area (without task bars) of the screen ``widget`` is on."""
    screen = widget.screen() if widget is not None else None
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def fit_window(window: QWidget, width: int, height: int) -> None:
    """Give ``window`` width×height, centred on its screen; where the screen is
    smaller than that with the window's frame, maximise it instead."""
    area = room(window)
    if width + FRAME.width() > area.width() or height + FRAME.height() > area.height():
        window.resize(min(width, area.width()), min(height, area.height() - FRAME.height()))
        window.move(area.topLeft())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    window.resize(width, height)
    window.move(area.center() - QPoint(width // 2, height // 2 + FRAME.height() // 2))


def fit_dialog(dialog: QWidget) -> None:
    """Keep a dialog that grew with its content within the screen (it then scrolls or
    wraps inside)."""
    area = room(dialog)
    size = dialog.size().boundedTo(area.size() - FRAME)
    if size != dialog.size():
        dialog.resize(size)
