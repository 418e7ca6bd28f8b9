"""The master teacher's overview of a live session.

Shows the session code and the addresses classrooms join at, the master's own picture,
the lesson's steps to push ("go to step N", "open quiz", "open demo X"), and one row per
classroom: connected or not, hand raised, who leads the room, the video its link
carries, and the class's answers to the open quiz.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from aiortc.mediastreams import MediaStreamTrack
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.file_names import file_name
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.session.audio import open_microphone
from classroom_app.core.session.discovery import Announcing
from classroom_app.core.session.host import SessionHost
from classroom_app.core.session.protocol import PORT, AnswerSummary, ClassroomStatus
from classroom_app.core.session.recording import RecordingError, SessionRecorder, load_recording
from classroom_app.core.session.runtime import SessionRuntime
from classroom_app.core.session.sharing import export_pack, join_urls, new_recording_folder
from classroom_app.core.session.video import SessionFeed
from classroom_app.core.vision.sources import SourceError, SourceSpec, open_source
from classroom_app.ui.frame_label import FrameLabel
from classroom_app.ui.lessons.quiz_view import LETTERS
from classroom_app.ui.session.bridge import SessionBridge
from classroom_app.ui.session.classroom_view import level_text
from classroom_app.ui.widgets import note_label


def answers_text(summary: AnswerSummary | None, lesson: Lesson | None) -> str:
    """"Q1: A 3 · B 12 ✓ · C 1": a class's answer counts, correct options marked."""
    if summary is None:
        return ""
    questions = ()
    if lesson is not None:
        step = next((s for s in lesson.steps if s.id == summary.step), None)
        questions = step.questions if step else ()
    parts = []
    for number, counts in enumerate(summary.counts, 1):
        correct = questions[number - 1].correct if number <= len(questions) else frozenset()
        options = " · ".join(f"{LETTERS[i]} {n}{' ✓' if i in correct else ''}"
                             for i, n in enumerate(counts) if i < len(LETTERS))
        parts.append(tr("Q{n}: {options}").format(n=number, options=options))
    return "\n".join(parts)


def overall_text(classrooms: list[ClassroomStatus], lesson: Lesson, step_id: str) -> str:
    """How all classrooms answered the quiz of ``step_id``: the share right, per question."""
    step = next((s for s in lesson.steps if s.id == step_id), None)
    summaries = [c.answers[step_id] for c in classrooms if step_id in c.answers]
    if step is None or not summaries:
        return ""
    parts = []
    for number, question in enumerate(step.questions, 1):
        rows = [s.counts[number - 1] for s in summaries if len(s.counts) >= number]
        total = sum(sum(row) for row in rows)
        right = sum(row[i] for row in rows for i in question.correct if i < len(row))
        if total:
            parts.append(tr("Q{n} {share:.0%} right").format(n=number, share=right / total))
    return tr("All {count} classrooms that answered: {parts}").format(
        count=len(summaries), parts=" · ".join(parts))


def local_text(mode: str) -> str:
    return {"activity": tr("local activity"), "own-pace": tr("local teacher leads")}.get(
        mode, tr("follows"))


class SessionHostView(QWidget):
    """Started with a lesson and a picture source; ``shutdown`` ends the session."""

    left = Signal()

    def __init__(self, ctx: AppContext, runtime: SessionRuntime, lesson: Lesson,
                 source: SourceSpec | None, record: bool, port: int = PORT,
                 announce: Announcing | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runtime, self.lesson = ctx, runtime, lesson
        self.host: SessionHost | None = None
        self.feed: SessionFeed | None = None
        self.recorder: SessionRecorder | None = None
        self.microphone: MediaStreamTrack | None = None
        self.step = 0
        self.classrooms: list[ClassroomStatus] = []
        self.bridge = SessionBridge(self)
        self.bridge.classrooms_changed.connect(self._show_classrooms)
        self.bridge.status_changed.connect(self._status)
        self._build()
        self.preview_timer = QTimer(self)
        self.preview_timer.timeout.connect(self._preview)
        self.announce = announce
        self.starting = self.runtime.submit(self._start(source, record, port))

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        heading = QLabel(tr("Master teacher: {title}").format(title=pick(self.lesson.title)))
        heading.setProperty("role", "title")
        outer.addWidget(heading)
        top = QHBoxLayout()
        outer.addLayout(top, 1)
        left = QVBoxLayout()
        top.addLayout(left, 2)
        self.code_label = QLabel(tr("Starting the session…"))
        self.code_label.setProperty("role", "title")
        self.urls_label = QLabel()
        self.urls_label.setWordWrap(True)
        self.urls_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = note_label("")
        self.preview = FrameLabel()
        self.preview.setMinimumSize(320, 240)
        self.preview.show_message(tr("No picture: the classrooms get the voice and the "
                                     "lesson steps."))
        self.new_code_button = QPushButton(tr("New session code"))
        self.new_code_button.clicked.connect(self.renew_code)
        self.new_code_button.setVisible(False)
        for widget in (self.code_label, self.urls_label, self.notice, self.new_code_button):
            left.addWidget(widget)
        left.addWidget(self.preview, 1)
        right = QVBoxLayout()
        top.addLayout(right, 3)
        right.addWidget(QLabel(tr("Steps (click to send the classrooms there):")))
        self.steps = QListWidget()
        for number, step in enumerate(self.lesson.steps, 1):
            self.steps.addItem(f"{number}. {pick(step.title)}")
        self.steps.itemClicked.connect(lambda item: self.go_to(self.steps.row(item)))
        right.addWidget(self.steps, 1)
        right.addLayout(self._commands())
        columns = [tr("Classroom"), tr("Link"), tr("Hand"), tr("Room"), tr("Video"),
                   tr("Answers")]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(columns) - 1,
                                                           QHeaderView.ResizeMode.Stretch)
        outer.addWidget(QLabel(tr("Classrooms")))
        outer.addWidget(self.table, 1)
        self.overall = QLabel()
        self.overall.setProperty("role", "big")
        outer.addWidget(self.overall)
        self.empty = note_label(tr("No classroom has joined yet. Classrooms enter this "
                                   "PC's address and the session code."))
        outer.addWidget(self.empty)

    def _commands(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = QPushButton("◀ " + tr("Back"))
        self.next_button = QPushButton(tr("Next") + " ▶")
        self.quiz_button = QPushButton(tr("Open the quiz"))
        self.close_quiz_button = QPushButton(tr("Close the quiz"))
        self.demo_box = QComboBox()
        for manifest in self.ctx.demos.demos:
            self.demo_box.addItem(pick(manifest.title), manifest.id)
        self.demo_button = QPushButton(tr("Open the demo"))
        self.end_button = QPushButton(tr("End the session"))
        self.back_button.clicked.connect(lambda: self.go_to(self.step - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.step + 1))
        self.quiz_button.clicked.connect(lambda: self.command("quiz", self.step))
        self.close_quiz_button.clicked.connect(lambda: self.command("close-quiz"))
        self.demo_button.clicked.connect(lambda: self.command("demo",
                                                              self.demo_box.currentData()))
        self.end_button.clicked.connect(lambda: self.end())
        for widget in (self.back_button, self.next_button, self.quiz_button,
                       self.close_quiz_button, self.demo_box, self.demo_button):
            row.addWidget(widget)
        row.addStretch()
        row.addWidget(self.end_button)
        return row

    # -- starting (on the session loop: opening a camera takes time) ------------------
    async def _start(self, source: SourceSpec | None, record: bool, port: int) -> None:
        loop = asyncio.get_running_loop()
        notices = []
        try:
            if source is not None:
                frames = await loop.run_in_executor(None, open_source, source)
                self.feed = SessionFeed(frames)
        except SourceError as error:
            notices.append(str(error))
        microphone, why = await loop.run_in_executor(None, open_microphone)
        self.microphone = microphone
        if why:
            notices.append(why)
        title = pick(self.lesson.title)
        try:
            if record:
                self.recorder = SessionRecorder(new_recording_folder(self.lesson.id),
                                                self.lesson.id, title, microphone is not None)
            self.host = SessionHost(self.lesson.id, feed=self.feed, audio=microphone,
                                    title=title, recorder=self.recorder,
                                    on_change=self.bridge.classrooms_changed.emit,
                                    announce=self.announce,
                                    teacher=self.ctx.settings.teacher_name
                                    or self.ctx.settings.school_name,
                                    on_code_locked=lambda: self.bridge.status_changed.emit(
                                        "locked", ""))
            await self.host.start("0.0.0.0", port)
        except (OSError, RecordingError) as error:
            self.host = None
            message = tr("The session could not start: {error}").format(error=error)
            self.bridge.status_changed.emit("failed", message)
            return
        self.bridge.status_changed.emit("hosting", "\n".join(notices))

    def _status(self, status: str, detail: str) -> None:
        if status == "ended":
            self._ended()
            return
        if status == "failed" or self.host is None:
            self.code_label.setText(detail)
            return
        if status == "locked":
            self.notice.setText(tr("Too many wrong session codes were tried: the code is "
                                   "locked, and no classroom can join with it. The classrooms "
                                   "already here stay. Issue a new code to let others join."))
            self.new_code_button.setVisible(True)
            return
        self.new_code_button.setVisible(False)
        code = self.host.code
        self.code_label.setText(tr("Session code: {code}").format(code=f"{code[:3]} {code[3:]}"))
        urls = join_urls(self.host.port, code) or [f"{self.host.url}/?code={code}"]
        self.urls_label.setText(tr("Classrooms join at:") + "\n" + "\n".join(urls))
        notes = [detail] if detail else []
        if self.recorder is not None:
            notes.append("● " + tr("Recording"))
        self.notice.setText("\n".join(notes))
        if self.feed is not None:
            self.preview_timer.start(100)
        self._mark_step()

    def renew_code(self) -> None:
        """A new session code after the old one locked; the labels show it."""
        host, bridge = self.host, self.bridge
        if host is None:
            return

        def renew() -> None:
            host.renew_code()
            bridge.status_changed.emit("hosting", "")

        self.runtime.call(renew)

    # -- commands ----------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        index = max(0, min(index, len(self.lesson.steps) - 1))
        self.step = index
        self.command("step", index)

    def command(self, op: str, value: int | str | None = None) -> None:
        if self.host is not None:
            self.runtime.call(self.host.send, op, value)
        self._mark_step()

    def _mark_step(self) -> None:
        self.steps.setCurrentRow(self.step)
        quiz = self.lesson.steps[self.step].kind.has_questions
        self.quiz_button.setEnabled(quiz)
        demo = self.lesson.steps[self.step].demo
        if demo:
            self.demo_box.setCurrentIndex(max(0, self.demo_box.findData(demo)))
        self.back_button.setEnabled(self.step > 0)
        self.next_button.setEnabled(self.step < len(self.lesson.steps) - 1)

    # -- the overview ------------------------------------------------------------------------
    def _show_classrooms(self, classrooms: list[ClassroomStatus]) -> None:
        self.classrooms = classrooms
        self.empty.setVisible(not classrooms)
        self.table.setRowCount(len(classrooms))
        step_id = self.lesson.steps[self.step].id
        for row, status in enumerate(classrooms):
            summary = status.answers.get(step_id) or next(iter(reversed(status.answers.values())),
                                                         None)
            cells = (status.name,
                     tr("connected") if status.connected else tr("disconnected"),
                     "● " + tr("raised") if status.hand else "",
                     local_text(status.local),
                     level_text(status.video) if status.connected else "",
                     answers_text(summary, self.lesson))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.overall.setText(overall_text(classrooms, self.lesson, step_id))

    def _preview(self) -> None:
        if self.feed is None:
            return
        number, image, _pts = self.feed.latest()
        if image is not None:
            self.preview.show_frame(image)
        elif self.feed.error:
            self.preview.show_message(self.feed.error)

    # -- ending ------------------------------------------------------------------------------
    def end(self, ask: bool = True) -> None:
        """The master ends the session (after saying so): the classrooms are told, the
        recording closed, off the GUI thread; then the recording may be saved."""
        connected = sum(1 for c in self.classrooms if c.connected)
        if ask and QMessageBox.question(
                self, tr("End the session?"),
                tr("End the session for every classroom? {count} connected now will see "
                   "that it has ended.").format(count=connected),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        self.end_button.setEnabled(False)
        self.code_label.setText(tr("Ending the session…"))
        future = self.runtime.submit(self._stop_host())
        future.add_done_callback(lambda _f: self.bridge.status_changed.emit("ended", ""))

    def _ended(self) -> None:
        recorder = self.recorder
        self._release()
        if recorder is not None and (recorder.folder / "recording.json").exists():
            self._offer_export(recorder.folder)
        self.left.emit()

    def _offer_export(self, folder: Path) -> None:
        answer = QMessageBox.question(self, tr("Recording saved"),
                                      tr("The recording was saved. Save the lesson pack with "
                                         "the recording inside, to carry to classrooms?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        target, _ = QFileDialog.getSaveFileName(self, tr("Save the lesson pack"),
                                                str(Path.home() / file_name(
                                                    pick(self.lesson.title), suffix=".zip")),
                                                tr("Lesson packs (*.zip)"))
        if target:
            try:
                export_pack(self.lesson, load_recording(folder), Path(target))
            except (OSError, RecordingError) as error:
                QMessageBox.warning(self, tr("Not saved"), str(error))

    async def _stop_host(self) -> None:
        # A session still starting must start fully, or it would never be stopped; a
        # failure to start was shown already.
        with contextlib.suppress(Exception):
            await asyncio.wrap_future(self.starting)
        host, self.host = self.host, None
        if host is not None:
            await host.stop()

    def shutdown(self) -> None:
        """End the session now (the page is replaced, the app closes); safe to call twice."""
        with contextlib.suppress(Exception):  # ending works whatever the network does
            self.runtime.submit(self._stop_host()).result(timeout=20)
        self._release()

    def _release(self) -> None:
        self.preview_timer.stop()
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.close()
        microphone, self.microphone = self.microphone, None
        if microphone is not None:
            microphone.stop()  # frees the sound card for the next session
