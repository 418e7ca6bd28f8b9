"""What "fits a classroom screen" means, checked on a real window: used by the tests
that open every page, dialog and demo window at 1024×768 and 1366×768.

A window fits when it lies within the screen's available area, neither its size nor
its minimum size (nor its layout's) exceeds that area, and every visible button is as
wide as its words and wholly inside its window: inside each parent it sits in, up to
the window, except that a button in a scroll area need only be inside the scrolled
content (the user scrolls to it).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QSizePolicy, QWidget

SLACK = 1  # pixels of rounding


def too_big(size: QSize, room: QRect) -> bool:
    return size.width() > room.width() + SLACK or size.height() > room.height() + SLACK


def _scrolled(widget: QWidget) -> bool:
    """Whether ``widget`` is the content area of a scroll area (reached by scrolling)."""
    area = widget.parentWidget()
    return isinstance(area, QAbstractScrollArea) and area.viewport() is widget


def shown_in(widget: QWidget, window: QWidget, scrolling: bool = True) -> bool:
    """Whether ``widget`` lies wholly inside each parent up to ``window``; with
    ``scrolling``, inside a scroll area's content is enough (the user scrolls to it)."""
    child: QWidget = widget
    rect = widget.rect()
    while child is not window:
        parent = child.parentWidget()
        if parent is None:
            return True
        rect = rect.translated(child.pos())
        if scrolling and _scrolled(parent):
            return True
        if not parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            return False
        child = parent
    return True


def fit_problems(window: QWidget) -> list[str]:
    """Every way ``window`` (shown) fails to fit its screen; empty when it fits."""
    room = window.screen().availableGeometry()
    name = f"{type(window).__name__} '{window.windowTitle()}'"
    problems = []
    frame = window.frameGeometry()
    if too_big(frame.size(), room):
        problems.append(f"{name} is {frame.width()}×{frame.height()}, the screen "
                        f"{room.width()}×{room.height()}")
    elif not room.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(frame):
        problems.append(f"{name} at {frame.x()},{frame.y()} reaches off the screen")
    for what, size in (("minimum size", window.minimumSize()),
                       ("minimum size hint", window.minimumSizeHint())):
        if too_big(size, room):
            problems.append(f"{name} has a {what} of {size.width()}×{size.height()}")
    layout = window.layout()
    if layout is not None and too_big(layout.totalMinimumSize(), room):
        size = layout.totalMinimumSize()
        problems.append(f"{name}'s layout needs {size.width()}×{size.height()}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        if not shown_in(button, window):
            problems.append(f"{name}: the button '{button.text()}' is cut off")
        elif button.text() and button.sizeHint().width() > button.width() + 2 * SLACK \
                and button.sizePolicy().horizontalPolicy() != QSizePolicy.Policy.Ignored:
            problems.append(f"{name}: the button '{button.text()}' is narrower than its "
                            f"words ({button.width()} < {button.sizeHint().width()})")
    return problems
