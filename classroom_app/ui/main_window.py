"""The main window: a bar of places to go and the page for each.

Pupils see the lessons, their own page and the demos; the teacher's pages (classes,
evaluation, sync, dual-teacher) appear only once the teacher PIN is entered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import language, pick, tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.store import ClassInfo, Learner
from classroom_app.core.vision.source_memory import SourceMemory
from classroom_app.ui import qt_language
from classroom_app.ui.classes.learner_picker import LearnerPickerView
from classroom_app.ui.classes.view import ClassesView
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.demos.shelf import DemoShelfView
from classroom_app.ui.evaluation.my_progress_view import MyProgressView
from classroom_app.ui.evaluation.view import EvaluationView
from classroom_app.ui.lessons.class_presentation import ask_leave, take_attendance
from classroom_app.ui.lessons.home_view import HomeView
from classroom_app.ui.lessons.importing import choose_pack, import_pack
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.lessons.student_lessons_view import StudentLessonsView
from classroom_app.ui.nav_bar import NavBar
from classroom_app.ui.page_stack import PageStack
from classroom_app.ui.pin_dialog import PinDialog
from classroom_app.ui.projector_window import ProjectorWindow
from classroom_app.ui.services import Services
from classroom_app.ui.session.pages import SessionPages
from classroom_app.ui.settings_dialog import SettingsDialog, tell_readdressed
from classroom_app.ui.setup_dialog import SetupDialog
from classroom_app.ui.sync.view import SyncView
from classroom_app.ui.widgets import class_label, plain_label
from classroom_app.ui.window_fit import fit_window, show_on_projector, show_within_screen

if TYPE_CHECKING:
    from classroom_app.ui.demos.window import DemoWindow


class MainWindow(QMainWindow):
    page_changed = Signal(str)

    def __init__(self, ctx: AppContext, services: Services) -> None:
        super().__init__()
        self.ctx = ctx
        self._unlocked = False
        self.closing = False
        self.projector: ProjectorWindow | None = None
        self.player: LessonPlayerView | None = None
        self.demo_windows: list[DemoWindow] = []
        self.pending_lesson: Lesson | None = None
        self.learner: tuple[ClassInfo, Learner] | None = None
        self.services = services
        self.sync = services.sync
        self.sync.setParent(self)
        self.sync.readdressed.connect(self._readdressed)
        self.telling_readdressed = False
        self.class_hub = services.class_hub
        self.class_hub.setParent(self)
        self.class_hub.failed.connect(self._class_hub_failed)
        self.class_hub.changed.connect(self._class_hub_changed)
        self.hub_notice = ""
        self.sessions = SessionPages(ctx, services.sessions,
                                     lambda view: self.show_page("session", view),
                                     self.open_demo, lambda: self.closing)
        fit_window(self, 1200, 800)
        self.rebuild()
        if ctx.settings.class_hub_enabled:
            self.class_hub.start()

    # -- building --------------------------------------------------------------------
    def rebuild(self) -> None:
        """(Re)create every page, e.g. after the language changed."""
        qt_language.install(language())
        self.setWindowTitle(tr("AI Classroom"))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self._bar())
        self.stack = PageStack()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.home = HomeView(self.ctx)
        self.home.present.connect(self.present_lesson)
        self.home.learn.connect(self.learn_lesson)
        self.home.import_pack.connect(self.choose_lesson_pack)
        self.home.show_teacher(self.teacher_unlocked)
        self.stack.addWidget(self.home)
        self.pages: dict[str, QWidget] = {"home": self.home}
        self.show_page("home")

    def _bar(self) -> QWidget:
        self.bar = NavBar([
            ("home", tr("Lessons"), lambda: self.show_page("home")),
            ("students", tr("I am a student"), self.show_learner_picker),
            ("demos", tr("AI demos"), self.show_demos),
            ("classes", tr("Classes"), lambda: self.teacher_page("classes")),
            ("progress", tr("Evaluation"), lambda: self.teacher_page("progress")),
            ("sync", tr("Sync"), lambda: self.teacher_page("sync")),
            ("session", tr("Dual-teacher"), lambda: self.teacher_page("session")),
            ("teacher", tr("Teacher"), self.unlock),
            ("lock", tr("Lock"), self.lock),
            ("settings", tr("Settings"), self.open_settings)])
        self.nav = self.bar.buttons
        self.nav["teacher"].setToolTip(tr("Enter the teacher PIN to see the teacher's pages"))
        self.nav["lock"].setToolTip(tr("Hide the teacher's pages again"))
        self.bar.show_teacher(self.teacher_unlocked)
        return self.bar

    def show_page(self, name: str, widget: QWidget | None = None) -> None:
        leaving = self.stack.currentWidget()
        if leaving is not None and leaving is self.player and widget is not self.player:
            self.release_player()
        if widget is not None:
            old = self.pages.get(name)
            if old is not None and old is not widget:
                shutdown = getattr(old, "shutdown", None)
                if callable(shutdown):
                    shutdown()  # worker threads and sessions end before the page is deleted
                self.stack.removeWidget(old)
                old.deleteLater()
            self.pages[name] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(self.pages[name])
        self.page_changed.emit(name)

    # -- the teacher -----------------------------------------------------------------
    @property
    def teacher_unlocked(self) -> bool:
        return self._unlocked

    @teacher_unlocked.setter
    def teacher_unlocked(self, unlocked: bool) -> None:
        self._unlocked = unlocked
        if hasattr(self, "bar"):
            self.bar.show_teacher(unlocked)
        if hasattr(self, "home"):
            self.home.show_teacher(unlocked)

    def require_teacher(self) -> bool:
        if self.teacher_unlocked:
            return True
        if PinDialog(self.ctx, self).exec() != PinDialog.DialogCode.Accepted:
            return False
        self.teacher_unlocked = True
        return True

    def unlock(self) -> None:
        """The teacher enters the PIN: the teacher's pages appear in the bar."""
        if self.require_teacher():
            self.statusBar().showMessage(tr("Teacher pages unlocked. Lock them before "
                                            "pupils use this PC."), 8000)

    def lock(self) -> None:
        self.teacher_unlocked = False
        self.show_page("home")

    def teacher_page(self, name: str) -> None:
        if not self.require_teacher():
            return
        self.show_page(name, self._teacher_view(name))

    def _teacher_view(self, name: str) -> QWidget:
        if name == "classes":
            return ClassesView(self.ctx)
        if name == "sync":
            return SyncView(self.ctx, self.sync, self.class_hub)
        if name == "session":
            return self.sessions.launcher()
        return EvaluationView(self.ctx)

    def _class_hub_failed(self, reason: str) -> None:
        self.hub_notice = tr("The class hub is off: {reason}").format(reason=reason)
        self.statusBar().showMessage(self.hub_notice)

    def _class_hub_changed(self) -> None:
        if self.class_hub.running and self.hub_notice:  # the hub that failed runs now
            if self.statusBar().currentMessage() == self.hub_notice:
                self.statusBar().clearMessage()
            self.hub_notice = ""

    def choose_class(self, lesson: Lesson) -> ClassInfo | None:
        classes = self.ctx.store.classes()
        if not classes:
            QMessageBox.information(self, tr("No class yet"),
                                    tr("Create a class first, so that attendance can be recorded."))
            self.teacher_page("classes")
            return None
        classes.sort(key=lambda c: c.stage != lesson.stage)
        labels = [class_label(c) for c in classes]
        label, ok = QInputDialog.getItem(self, tr("Which class?"), tr("Present to:"), labels, 0,
                                         False)
        return classes[labels.index(label)] if ok else None

    def present_lesson(self, lesson: Lesson, info: ClassInfo | None = None) -> None:
        if not self.require_teacher():
            return
        info = info or self.choose_class(lesson)
        if info is None:
            return
        attempt = self.ctx.progress.open_class_session(lesson, info.id)
        player = LessonPlayerView(self.ctx, lesson, attempt, True, self.open_demo)
        self.player = player
        self.projector = ProjectorWindow(player, self.ctx.settings.projector_scale,
                                         pick(lesson.title))
        player.closed.connect(self.projector.close)
        player.finished.connect(lambda: self._class_finished(player, info))
        player.leave_requested.connect(lambda: self._leave_class(player, info))
        self.projector.show_full_screen()
        player.setFocus()

    def _leave_class(self, player: LessonPlayerView, info: ClassInfo) -> None:
        """Esc or Leave mid-lesson: stay, leave, or record who attended the steps done."""
        chosen = ask_leave(player, self.projector if alive(self.projector) else self)
        if chosen == "record":
            self._class_finished(player, info)
        elif chosen == "leave" and alive(self.projector):
            self.projector.close()
        elif alive(player):
            player.setFocus()

    def _class_finished(self, player: LessonPlayerView, info: ClassInfo) -> None:
        """Ask who attended (a grid only touch changes), record it, and say so."""
        said = take_attendance(self.ctx, player, info,
                               self.projector if alive(self.projector) else self)
        if said:
            self.statusBar().showMessage(said, 15000)
        if alive(self.projector):
            self.projector.close()

    # -- students --------------------------------------------------------------------
    def show_learner_picker(self) -> None:
        picker = LearnerPickerView(self.ctx)
        picker.picked.connect(self.learner_picked)
        self.show_page("students", picker)

    def learn_lesson(self, lesson: Lesson) -> None:
        self.pending_lesson = lesson
        self.show_learner_picker()

    def learner_picked(self, info: ClassInfo, learner: Learner) -> None:
        self.learner = (info, learner)
        lesson, self.pending_lesson = self.pending_lesson, None
        if lesson:
            self.open_student_lesson(lesson)
        else:
            self.show_student_lessons()

    def show_student_lessons(self, notice: str = "") -> None:
        if self.learner is None:
            return self.show_learner_picker()
        view = StudentLessonsView(self.ctx, *self.learner)
        view.open_lesson.connect(self.open_student_lesson)
        view.switch_learner.connect(self.show_learner_picker)
        view.show_progress.connect(self.show_my_progress)
        if notice:
            view.layout().insertWidget(1, plain_label(notice))
        self.show_page("my-lessons", view)

    def show_my_progress(self) -> None:
        if self.learner is None:
            return
        view = MyProgressView(self.ctx, self.learner[1])
        view.back.connect(lambda: self.show_student_lessons())
        self.show_page("my-progress", view)

    def open_student_lesson(self, lesson: Lesson) -> None:
        if self.learner is None:
            return
        info, learner = self.learner
        attempt = self.ctx.progress.open_attempt(lesson, info.id, learner.id)
        player = LessonPlayerView(self.ctx, lesson, attempt, False, self.open_demo)
        self.player = player
        player.closed.connect(lambda: self.show_student_lessons())
        player.finished.connect(lambda: self._student_finished(player))
        self.show_page("player", player)
        player.setFocus()

    def release_player(self) -> None:
        """The learner left the lesson: count its time now, not when the app closes."""
        if alive(self.player):
            self.player.save_time()
        self.player = None

    def _student_finished(self, player: LessonPlayerView) -> None:
        self.player = None  # its time is already counted
        self.ctx.progress.finish_lesson(player.attempt, player.lesson)
        notice = tr("Well done! You finished “{title}”.").format(title=pick(player.lesson.title))
        self.show_student_lessons(notice)

    # -- demos, import, settings -------------------------------------------------------
    def show_demos(self) -> None:
        shelf = DemoShelfView(self.ctx)
        shelf.open_demo.connect(self.open_demo)
        self.show_page("demos", shelf)

    def open_demo(self, demo_id: str, params: dict | None = None) -> DemoWindow | None:
        from classroom_app.ui.demos.window import DemoWindow  # OpenCV loads only when needed

        manifest = self.ctx.demos.get(demo_id)
        if manifest is None:
            return None
        memory = SourceMemory(lambda: self.ctx.settings, self.ctx.update_settings)
        window = DemoWindow(manifest, params, self.demo_session(), memory=memory)
        self.demo_windows = [w for w in self.demo_windows if alive(w)] + [window]
        if alive(self.projector) and self.projector.isVisible():
            show_on_projector(window, self.ctx.settings.projector_scale)
        else:
            show_within_screen(window, QSize(960, 720))
        return window

    def demo_session(self) -> DemoSession:
        """Who opens a demo: the signed-in learner, and the lesson step it came from."""
        info, learner = self.learner or (None, None)
        player = self.player if alive(self.player) else None
        if player is not None and not player.student:  # the teacher presents to the class
            return DemoSession(self.ctx.progress)
        if player is not None and 0 <= player.index < len(player.lesson.steps):
            return DemoSession(self.ctx.progress, info, learner, player.attempt, player.lesson,
                               player.lesson.steps[player.index])
        return DemoSession(self.ctx.progress, info, learner)

    def choose_lesson_pack(self) -> None:
        if not self.require_teacher():
            return
        source = choose_pack(self)
        if source is not None:
            self.import_lesson(source)

    def import_lesson(self, source: Path) -> str:
        imported, message = import_pack(self.ctx, self, source)
        if imported:
            self.rebuild()
            self.statusBar().showMessage(message, 8000)
        return message

    def first_run(self) -> None:
        """A PC with no teacher PIN yet: set the school up (asked again if put off)."""
        before = self.ctx.settings.language
        dialog = SetupDialog(self.ctx, self)
        accepted = dialog.exec() == SetupDialog.DialogCode.Accepted
        if self.ctx.settings.language != before:
            self.rebuild()
        if accepted:
            if dialog.new_address:
                self._readdress(dialog.new_address)
            self.statusBar().showMessage(tr("Ready. Unlock the teacher pages with your PIN "
                                            "(Teacher) to add a class."), 15000)

    def open_settings(self) -> None:
        before = self.ctx.settings.language
        dialog = SettingsDialog(self.ctx, self.teacher_unlocked, self)
        if dialog.exec() and self.ctx.settings.language != before:
            self.rebuild()
        if dialog.new_address:
            self._readdress(dialog.new_address)

    def _readdress(self, address: str) -> None:
        self.telling_readdressed = True  # the Sync page says it itself when it asks
        self.sync.readdress(address)

    def _readdressed(self, count: int, address: str) -> None:
        """Records that waited on this PC now carry the school's address: say how many."""
        if self.telling_readdressed and count:
            tell_readdressed(self, count, address)
        self.telling_readdressed = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # An exception escaping a Qt override during close crashes PySide: check first.
        self.closing = True
        if alive(self.player):
            self.player.save_time()
        for window in self.demo_windows:
            if alive(window):
                window.close()
        if alive(self.projector):
            self.projector.close()
        evaluation = self.pages.get("progress")
        if isinstance(evaluation, EvaluationView) and alive(evaluation):
            evaluation.shutdown()
        for page in self.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown) and alive(page) and not isinstance(page, EvaluationView):
                shutdown()
        self.services.shutdown()
        super().closeEvent(event)


def alive(widget: QWidget | None) -> bool:
    """False for None and for a widget whose C++ side Qt has already deleted."""
    return widget is not None and shiboken6.isValid(widget)
