"""Fixtures that build the real main window, offscreen, on a fresh store."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from classroom_app.app import build_main_window
from classroom_app.core.pin import hash_pin
from classroom_app.core.session.discovery import Announcing
from classroom_app.ui import theme
from classroom_app.ui.main_window import MainWindow

PIN = "2580"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def make_window(qtbot, ctx):
    """Build the real main window; ``teacher=True`` sets a PIN and unlocks it."""
    theme.apply(QApplication.instance())
    windows: list[MainWindow] = []

    def make(teacher: bool = False) -> MainWindow:
        if teacher:
            ctx.update_settings(teacher_pin_hash=hash_pin(PIN))
        # A session hosted in a test announces itself to this PC only.
        window = build_main_window(ctx, Announcing(free_udp_port(), ("127.0.0.1",)))
        qtbot.addWidget(window)
        window.show()
        window.teacher_unlocked = teacher
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def on_modal(qtbot):
    """Run ``handle(dialog)`` on the next modal dialog (of ``kind``, for which ``when``
    holds), once it is open."""

    def arm(handle: Callable[[QWidget], None], kind: type = QWidget,
            when: Callable[[QWidget], bool] = lambda _dialog: True) -> None:
        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, kind) or not when(dialog):
                QTimer.singleShot(10, poll)
            else:
                handle(dialog)

        QTimer.singleShot(0, poll)

    return arm


@pytest.fixture
def school_class(ctx):
    """A primary class with three pupils."""
    info = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260401", "王小明"), ("20260402", "李华"),
                                     ("20260403", "张伟")])
    return info
