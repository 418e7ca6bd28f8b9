"""Composition root: opens the store, settings and catalogs, builds what outlives the pages
(sync runner, class hub, session services) and hands it all to the main window.

``classroom-app --smoke`` opens the main window, prints when it is shown, runs the checks
in :mod:`classroom_app.smoke` and exits: the packaged bundle and the startup benchmark
use it.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from classroom_app.core import i18n

if TYPE_CHECKING:  # Qt loads in main(), after the arguments are read
    from classroom_app.core.context import AppContext
    from classroom_app.core.session.discovery import Announcing
    from classroom_app.ui.main_window import MainWindow


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="classroom-app")
    parser.add_argument("--smoke", action="store_true",
                        help="open the main window, report and exit")
    parser.add_argument("--lang", choices=i18n.LANGUAGES)
    args, _unknown = parser.parse_known_args(argv)
    return args


def build_main_window(ctx: AppContext, discovery: Announcing | None = None) -> MainWindow:
    """The main window with its services: the sync runner, the class hub and what
    dual-teacher sessions share (``discovery``: where sessions announce themselves)."""
    from classroom_app.ui.main_window import MainWindow
    from classroom_app.ui.services import Services, SessionServices
    from classroom_app.ui.sync.class_hub import ClassHub
    from classroom_app.ui.sync.runner import SyncRunner

    sessions = SessionServices() if discovery is None else SessionServices(discovery=discovery)
    return MainWindow(ctx, Services(SyncRunner(ctx), ClassHub(ctx), sessions))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from classroom_app.core.context import open_context
    from classroom_app.core.store import StoreError
    from classroom_app.ui import theme
    from classroom_app.ui.gui_gc import GuiGarbageCollector

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("AI Classroom")
    GuiGarbageCollector(app)  # never in a worker thread, where it could destroy Qt objects
    theme.apply(app)
    try:
        ctx = open_context(args.lang)
    except StoreError as error:
        QMessageBox.critical(None, i18n.tr("AI Classroom"), i18n.tr(
            "The progress database cannot be opened: {error}").format(error=error))
        return 1
    window = build_main_window(ctx)
    window.show()
    if not args.smoke and not ctx.settings.teacher_pin_hash:  # the first start on this PC
        QTimer.singleShot(0, window.first_run)
    failures: list[str] = []
    if args.smoke:
        def report() -> None:
            from classroom_app.smoke import run_checks

            print(f"smoke: main window shown at {time.time():.3f}", flush=True)
            failures.extend(run_checks())
            window.close()
            app.quit()
        QTimer.singleShot(0, report)
    code = app.exec()
    ctx.close()
    return code or (1 if failures else 0)


if __name__ == "__main__":
    sys.exit(main())
