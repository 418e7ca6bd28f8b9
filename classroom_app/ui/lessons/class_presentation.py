"""The end of a lesson on the projector: leaving mid-lesson, who attended, and saying
what was recorded.

The teacher holds a presenter clicker here. Its keys (Enter, Esc, Space) keep the
lesson going; only a touch or a click leaves, marks a pupil absent or records.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.store import ClassInfo
from classroom_app.ui.evaluation.attendance_dialog import AttendanceDialog
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.theme import BASE_POINT_SIZE


def leave_question(player: LessonPlayerView, parent: QWidget) -> QMessageBox:
    """The question Esc asks on the projector (in the desk's type, so that its three
    answers fit); its buttons are named "record", "leave" and "stay"."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Leave the lesson?"),
                      tr("{done} of {total} steps are done. Record who attended these steps "
                         "before leaving?").format(done=player.steps_done(),
                                                   total=len(player.lesson.steps)),
                      parent=parent)
    box.setStyleSheet(f"QMessageBox QLabel, QMessageBox QPushButton "
                      f"{{ font-size: {BASE_POINT_SIZE + 3}pt; }}")
    for name, text, role in (
            ("record", tr("Record attendance and leave"), QMessageBox.ButtonRole.AcceptRole),
            ("leave", tr("Leave without recording"), QMessageBox.ButtonRole.DestructiveRole),
            ("stay", tr("Stay in the lesson"), QMessageBox.ButtonRole.RejectRole)):
        button = box.addButton(text, role)
        button.setObjectName(name)
    stay = button  # the last one added
    box.setDefaultButton(stay)  # a clicker's Enter or Esc keeps the lesson going
    box.setEscapeButton(stay)
    return box


def ask_leave(player: LessonPlayerView, parent: QWidget) -> str:
    """"record", "leave" or "stay", as the teacher answers."""
    box = leave_question(player, parent)
    box.exec()
    chosen = box.clickedButton()
    return chosen.objectName() if chosen is not None else "stay"


def take_attendance(ctx: AppContext, player: LessonPlayerView, info: ClassInfo,
                    parent: QWidget) -> str:
    """Ask who attended and record it; returns what was recorded ("" if nothing)."""
    learners = ctx.store.learners(info.id)
    if not learners:
        QMessageBox.information(parent, tr("No pupils on the roster"), tr(
            "{name} has no pupils on its roster yet, so attendance cannot be recorded. Add "
            "them on the Classes page.").format(name=info.name))
        return ""
    seconds = player.lesson_seconds()
    dialog = AttendanceDialog(learners, seconds / 60, player.steps_done(),
                              len(player.lesson.steps), parent, player.lesson.periods)
    if dialog.exec() != AttendanceDialog.DialogCode.Accepted:
        return ""
    ctx.progress.record_attendance(player.attempt, player.lesson, dialog.present(), seconds)
    message = tr("Attendance recorded for {name}: {present} present, {absent} absent.").format(
        name=info.name, present=len(dialog.present()), absent=len(dialog.absent()))
    QMessageBox.information(parent, tr("Attendance recorded"), message)
    return message
