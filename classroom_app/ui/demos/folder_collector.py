"""Collecting a class's examples from a folder of photos, for the teach demos.

Without a camera, pupils (or the teacher) sort photos into a folder per class. The
collector runs :func:`classroom_app.core.vision.folder_import.import_folder` on a worker
thread, one folder at a time: the demo gives ``make_add``, called on that thread (so
it may open a model there), which returns the function taking one picture through the
demo's own pipeline. Progress and the end arrive on the GUI thread as signals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from classroom_app.core.i18n import tr
from classroom_app.core.vision.folder_import import FolderReport, import_folder
from classroom_app.ui.workers import Report, TaskRunner

AddPicture = Callable[[np.ndarray], "str | None"]


def skipped_text(report: FolderReport) -> str:
    """The words " Skipped: …" naming each picture not taken; "" when all were taken."""
    if not report.skipped:
        return ""
    return " " + tr("Skipped: {problems}").format(problems=" ".join(report.skipped))


class FolderCollector(QObject):
    progress = Signal(int, int)  # pictures done, pictures in the folder
    finished = Signal(int, object, str)  # class index, FolderReport (None on error), error

    def __init__(self, errors: tuple[type[Exception], ...],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.errors = (OSError, *errors)
        self.index = 0  # the class the folder under way is for
        self.runner = TaskRunner(self)
        self.runner.progress.connect(lambda done, total, _: self.progress.emit(done, total))
        self.runner.done.connect(lambda report: self.finished.emit(self.index, report, ""))
        self.runner.failed.connect(lambda error: self.finished.emit(self.index, None, error))

    def busy(self) -> bool:
        return self.runner.busy

    def start(self, index: int, folder: Path, make_add: Callable[[], AddPicture]) -> bool:
        """Start taking ``folder``'s pictures for class ``index``; False when busy."""
        if self.runner.busy:
            return False

        def work(report: Report, should_stop: Callable[[], bool]) -> FolderReport:
            return import_folder(folder, make_add(), report, should_stop)

        self.index = index
        self.runner.start(work, self.errors)
        return True

    def stop(self) -> None:
        """The demo closes: end the folder under way (what was added stays added)."""
        self.runner.shutdown()
