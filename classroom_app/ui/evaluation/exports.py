"""Exports of a confirmed class summary, written on a worker thread: the class table as
CSV or Excel, and one parent report (PDF) per student."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_exports import export_class_csv, export_class_xlsx
from classroom_app.core.evaluation.class_report import ClassReport
from classroom_app.core.i18n import language, tr
from classroom_app.ui.evaluation.student_pdf import write_class_pdfs
from classroom_app.ui.workers import TaskRunner


class ExportRunner(QObject):
    finished = Signal(bool, str)  # ok, what to tell the teacher

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self.runner.done.connect(lambda message: self.finished.emit(True, str(message)))
        self.runner.failed.connect(lambda message: self.finished.emit(False, tr(
            "Could not write the export: {error}").format(error=message)))

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def start(self, kind: str, report: ClassReport, target: Path) -> None:
        if self.runner.busy:
            return
        school, lang = self.ctx.settings.school_name, language()

        def work() -> str:
            if kind == "pdf":
                target.mkdir(parents=True, exist_ok=True)
                files = write_class_pdfs(target, report, school, lang)
                return tr("{count} parent reports written to {folder}.").format(
                    count=len(files), folder=target)
            (export_class_csv if kind == "csv" else export_class_xlsx)(report, target)
            return tr("Written to {path}.").format(path=target)

        self.runner.start(work, (OSError, ValueError, RuntimeError))

    def shutdown(self) -> None:
        self.runner.shutdown()
