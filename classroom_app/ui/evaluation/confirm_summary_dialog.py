"""The teacher confirms a class's summary for a term or year: what they confirm is shown
again, they sign with their name, and the confirmation is recorded as a statement."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.evaluation.class_report import ClassReport
from classroom_app.core.evaluation.judgements import confirm_summary
from classroom_app.core.evaluation.standing import REQUIRED_PERIODS
from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import ASPECTS, LEVELS, aspect_name, level_name
from classroom_app.ui.widgets import dialog_buttons, note_label


def distribution_text(report: ClassReport) -> str:
    names = [tr("Not yet")] + [level_name(level) for level in LEVELS]
    lines = []
    for aspect in ASPECTS:
        counts = report.level_counts(aspect)
        parts = "  ".join(f"{name} {count}" for name, count in zip(names, counts, strict=True))
        lines.append(f"{aspect_name(aspect)}: {parts}")
    return "\n".join(lines)


class ConfirmSummaryDialog(QDialog):
    def __init__(self, ctx: AppContext, report: ClassReport,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.report = ctx, report
        self.setWindowTitle(tr("Confirm the summary"))
        layout = QVBoxLayout(self)
        heading = QLabel(f"{report.info.name} · {report.period.label()}")
        heading.setProperty("role", "title")
        layout.addWidget(heading)
        layout.addWidget(QLabel(tr("{reached} of {total} students have reached {required} class "
                                   "periods this school year.").format(
            reached=report.reached, total=len(report.rows), required=REQUIRED_PERIODS)))
        layout.addWidget(QLabel(distribution_text(report)))
        layout.addWidget(note_label(tr(
            "Confirming records your name and these figures. Parent reports and exports use "
            "them; if the records change later, you will be asked to confirm again.")))
        layout.addWidget(QLabel(tr("Your name:")))
        self.name = QLineEdit(ctx.settings.teacher_name)
        self.name.setPlaceholderText(tr("e.g. Ms Zhang"))
        layout.addWidget(self.name)
        self.checked = QCheckBox(tr("I have checked the figures"))
        layout.addWidget(self.checked)
        self.buttons = dialog_buttons(tr("Confirm"), self.confirm, self.reject)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._update)
        self.checked.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()) and self.checked.isChecked())

    def confirm(self) -> None:
        name = self.name.text().strip()
        if not name or not self.checked.isChecked():
            return
        if name != self.ctx.settings.teacher_name:
            self.ctx.update_settings(teacher_name=name)
        confirm_summary(self.ctx.store, self.ctx.home_page(), name, self.report)
        self.accept()
