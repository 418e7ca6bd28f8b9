"""What every screenshot script shares: let Qt settle, then save a picture.

Scripts in this folder import it as ``from shots import settle, shoot`` (a script's
own folder is on its import path).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from classroom_app.app import build_main_window
from classroom_app.ui import theme
from classroom_app.ui.main_window import MainWindow


def arguments() -> tuple[Path, dict[str, list[str]]]:
    """The output folder (made, "screenshots" by default) and the --name=value options."""
    options: dict[str, list[str]] = {}
    for arg in sys.argv[1:]:
        if arg.startswith("--") and "=" in arg:
            name, value = arg[2:].split("=", 1)
            options.setdefault(name, []).append(value)
    places = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    out = Path(places[0] if places else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out, options


def start_app() -> QApplication:
    """The application, in the app's look."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply(app)
    return app


def teacher_window(ctx, width: int, height: int) -> MainWindow:  # noqa: ANN001 - a context
    """The main window, unlocked for the teacher, at width×height, shown."""
    window = build_main_window(ctx)
    window.teacher_unlocked = True
    window.resize(width, height)
    window.show()
    return window


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
