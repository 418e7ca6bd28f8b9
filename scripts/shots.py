"""What every screenshot script shares: let Qt settle, then save a picture.

Scripts in this folder import it as ``from shots import settle, shoot`` (a script's
own folder is on its import path).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def settle(ms: int = 400) -> None:
    """Run Qt's event loop for ``ms`` milliseconds (workers report, layouts settle)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(widget: QWidget | None, path: Path, screen: bool = False, wait_ms: int = 400) -> None:
    """Save ``widget`` as ``path``; the whole screen for a full-screen or maximised
    window (or ``screen``), where dialogs above it show too."""
    settle(wait_ms)
    whole = screen or widget is None or widget.isFullScreen() or widget.isMaximized()
    picture = QApplication.primaryScreen().grabWindow(0) if whole else widget.grab()
    picture.save(str(path))
    print(path, flush=True)
