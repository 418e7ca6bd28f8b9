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
from classroom_app.ui.workers import ProgressTask

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
        self.task: ProgressTask | None = None

    def busy(self) -> bool:
        return self.task is not None

    def start(self, index: int, folder: Path, make_add: Callable[[], AddPicture]) -> bool:
        """Start taking ``folder``'s pictures for class ``index``; False when busy."""
        if self.task is not None:
            return False

        def work(report, should_stop) -> FolderReport:  # noqa: ANN001 - callbacks
            return import_folder(folder, make_add(), report, should_stop)

        task = ProgressTask(work, self.errors, self)
        task.progress.connect(self.progress)
        task.done.connect(lambda report, t=task: self._end(t, index, report, ""))
        task.failed.connect(lambda message, t=task: self._end(t, index, None, message))
        self.task = task
        task.start()
        return True

    def _end(self, task: ProgressTask, index: int, report: FolderReport | None,
             error: str) -> None:
        if task is not self.task:
            return  # stopped meanwhile
        task.wait()
        self.task = None
        self.finished.emit(index, report, error)

    def stop(self) -> None:
        """The demo closes: end the folder under way (what was added stays added)."""
        task, self.task = self.task, None
        if task is not None:
            task.stop()
