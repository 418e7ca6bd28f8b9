"""Importing a lesson pack the teacher chose: a folder or a .zip; a pack whose lesson
is already here replaces it only after the teacher says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.importing import PackExistsError, PackImportError


def choose_pack(parent: QWidget) -> Path | None:
    """The pack the teacher picks: a .zip, or the folder of a chosen lesson.toml."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("Import a lesson pack"), "",
                                          tr("Lesson packs (*.zip lesson.toml)"))
    if not path:
        return None
    source = Path(path)
    return source.parent if source.name == "lesson.toml" else source


def import_pack(ctx: AppContext, parent: QWidget, source: Path,
                replace: bool = False) -> tuple[bool, str]:
    """Import ``source``; (imported, what to tell the teacher). Problems are shown."""
    try:
        lesson = ctx.import_lesson(source, replace)
    except PackExistsError as error:
        answer = QMessageBox.question(parent, tr("Replace the lesson?"), error.question())
        if answer == QMessageBox.StandardButton.Yes:
            return import_pack(ctx, parent, source, replace=True)
        return False, str(error)
    except PackImportError as error:
        QMessageBox.warning(parent, tr("Lesson not imported"), str(error))
        return False, str(error)
    return True, tr("Imported lesson '{title}' ({id}).").format(title=pick(lesson.title),
                                                               id=lesson.id)
