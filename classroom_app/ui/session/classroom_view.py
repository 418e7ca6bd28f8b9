"""A classroom in a dual-teacher session: the master's video large, the lesson step beside it.

Live, it follows the master teacher's commands; replaying a recording, it follows the
recording's lesson log and pauses at each cue for the class's own activity. The local
teacher stays in charge either way: mute, voice only, raise the class's hand, pause
into a local activity in the lesson player, take over the steps, send the answers.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, sentences, tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.session.audio import AudioOutput
from classroom_app.core.session.client import SessionClient
from classroom_app.core.session.protocol import AnswerSummary, Command, LessonState
from classroom_app.core.session.recording import RecordedEvent, Recording
from classroom_app.core.session.replay import ReplayPlayer
from classroom_app.core.session.runtime import SessionRuntime
from classroom_app.ui.frame_label import FrameLabel
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.session.bridge import SessionBridge
from classroom_app.ui.session.step_panel import SessionStepPanel
from classroom_app.ui.widgets import plain_label

NO_PICTURE_AFTER_S = 3.0


def status_text(status: str, detail: str = "") -> str:
    texts = {"idle": "", "connecting": tr("Connecting to the master teacher…"),
             "connected": tr("Connected to the master teacher."),
             "reconnecting": tr("The link is lost: reconnecting… The class can go on with "
                                "the lesson here."),
             "ended": tr("The master teacher ended the session."),
             "stopped": tr("You left the session."),
             "failed": tr("Could not join: {reason}").format(reason=detail)}
    return texts.get(status, status)


def receiving_text(picture: tuple[int, int] | None, level: str, sound: bool, muted: bool,
                   speaker_problem: str) -> str:
    """Exactly what reaches this classroom now: picture (and its size), sound, steps.

    Built from what actually arrived in the last seconds, so it cannot say "video"
    while the screen waits, nor "voice" when the master's PC sends none.
    """
    if picture is not None:
        shown = tr("picture {width}×{height}").format(width=picture[0], height=picture[1])
        if level in ("medium", "low"):
            shown += tr(" (weak link)")
    elif level == "audio":
        shown = tr("no picture (voice only, to spare the link)")
    else:
        shown = tr("no picture from the master teacher")
    if not sound:
        heard = tr("no sound from the master teacher")
    elif speaker_problem:
        heard = tr("sound not played here: {reason}").format(reason=speaker_problem)
    else:
        heard = tr("sound (muted here)") if muted else tr("sound")
    return tr("Receiving: {picture} · {sound} · lesson steps").format(picture=shown,
                                                                        sound=heard)


def level_text(level: str) -> str:
    texts = {"high": tr("video 640×480"), "medium": tr("video 480×360 (weak link)"),
             "low": tr("video 320×240 (weak link)"),
             "audio": tr("voice and lesson steps only (weak link)")}
    return texts.get(level, "")


class SessionClassroomView(QWidget):
    left = Signal()

    def __init__(self, ctx: AppContext, runtime: SessionRuntime,
                 open_demo: Callable[[str, dict], object], class_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runtime, self.open_demo = ctx, runtime, open_demo
        self.class_id = class_id
        self.client: SessionClient | None = None
        self.player: ReplayPlayer | None = None
        self.audio = AudioOutput()
        self.lesson: Lesson | None = None
        self.master = LessonState()
        self.own_pace = False
        self.local_player: LessonPlayerView | None = None
        self.last_picture = 0.0
        self.level = ""
        self.counted = (0, 0, time.monotonic())  # frames and sound frames a while ago
        self.bridge = SessionBridge(self)
        self.bridge.frame_ready.connect(self._show_frame)
        self.bridge.state_changed.connect(self._master_state)
        self.bridge.status_changed.connect(self._status)
        self.bridge.event.connect(self._replay_event)
        self.bridge.ended.connect(self._replay_ended)
        self._build()
        self.watch = QTimer(self)
        self.watch.timeout.connect(self._check_picture)
        self.watch.start(1000)

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        session = QWidget()
        layout = QVBoxLayout(session)
        header = QHBoxLayout()
        self.heading = plain_label()
        self.heading.setProperty("role", "title")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        header.addWidget(self.heading, 1)
        header.addWidget(self.status_label, 1)
        layout.addLayout(header)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.video = FrameLabel()
        self.video.setMinimumSize(480, 360)
        self.splitter.addWidget(self.video)
        self.step_holder = QStackedWidget()
        self.splitter.addWidget(self.step_holder)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.cue_bar = QWidget()
        cue_row = QHBoxLayout(self.cue_bar)
        self.cue_label = QLabel()
        self.cue_label.setProperty("role", "feedback-right")
        self.cue_label.setWordWrap(True)
        self.continue_button = QPushButton(tr("Continue the recording") + " ▶")
        self.continue_button.setProperty("primary", True)
        self.continue_button.clicked.connect(self.continue_replay)
        cue_row.addWidget(self.cue_label, 1)
        cue_row.addWidget(self.continue_button)
        self.cue_bar.setVisible(False)
        layout.addWidget(self.cue_bar)
        layout.addLayout(self._controls())
        self.pages.addWidget(session)
        self.panel = SessionStepPanel(None)
        self.step_holder.addWidget(self.panel)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()

        def button(text: str, action: Callable[[], None], checkable: bool = False) -> QPushButton:
            made = QPushButton(text)
            made.setCheckable(checkable)
            made.clicked.connect(action)
            row.addWidget(made)
            return made

        self.mute_button = button(tr("Mute"), self._mute, True)
        self.voice_only_button = button(tr("Voice only"), self._voice_only, True)
        self.hand_button = button(tr("Raise the class's hand"), self._hand, True)
        self.activity_button = button(tr("Pause for a local activity"), self.local_activity)
        self.take_over_button = button(tr("Take over the steps"), self._take_over, True)
        self.back_button = button("◀", lambda: self._own_step(-1))
        self.next_button = button("▶", lambda: self._own_step(1))
        self.pause_button = button(tr("Pause"), self._pause_replay, True)
        row.addStretch()
        self.leave_button = button(tr("Leave the session"), self.leave)
        self._refresh_controls()
        return row

    def _refresh_controls(self) -> None:
        live = self.client is not None
        for widget in (self.voice_only_button, self.hand_button):
            widget.setVisible(live)
        self.pause_button.setVisible(self.player is not None)
        self.back_button.setEnabled(self.own_pace)
        self.next_button.setEnabled(self.own_pace)
        self.activity_button.setEnabled(self.lesson is not None and self.class_id is not None)
        if self.class_id is None:
            self.activity_button.setToolTip(tr("Choose a class when joining to run local "
                                               "activities in the lesson player."))

    def _set_lesson(self, lesson_id: str) -> None:
        if self.lesson is not None and self.lesson.id == lesson_id:
            return
        self.lesson = self.ctx.library.get(lesson_id) if lesson_id else None
        self.panel.deleteLater()
        self.panel = SessionStepPanel(self.lesson)
        self.panel.send_answers.connect(self._send_answers)
        self.panel.can_send = self.client is not None
        self.step_holder.addWidget(self.panel)
        self.step_holder.setCurrentWidget(self.panel)
        self.heading.setText(pick(self.lesson.title) if self.lesson else lesson_id)
        self._refresh_controls()

    # -- live ----------------------------------------------------------------------------
    def join(self, address: str, code: str, name: str) -> None:
        bridge = self.bridge
        self.client = SessionClient(
            address, code, name,
            on_state=lambda state, command: bridge.state_changed.emit(state, command),
            on_frame=bridge.put_video_frame,
            on_status=lambda status, detail: bridge.status_changed.emit(status, detail),
            on_audio=self.audio.play)
        self.runtime.submit(self.client.run())
        self._refresh_controls()

    def _call(self, method: str, *args: object) -> None:
        if self.client is not None:
            self.runtime.call(getattr(self.client, method), *args)

    def _status(self, status: str, detail: str) -> None:
        if status == "connected" and self.client is not None:
            self.level = self.client.stats.video_level
            self._describe_link()
        else:
            self.status_label.setText(status_text(status, detail))
        if self.level == "audio":
            self.video.show_message(level_text("audio"))

    def _describe_link(self) -> None:
        """While connected: what arrived in the last few seconds, in one sentence."""
        client = self.client
        if client is None or client.status != "connected":
            return
        frames, sounds, since = self.counted
        stats = client.stats
        if time.monotonic() - since >= NO_PICTURE_AFTER_S:
            self.counted = (stats.frames, stats.audio_frames, time.monotonic())
        picture = (stats.width, stats.height) if stats.frames > frames and stats.width else None
        sound = stats.audio_frames > sounds
        self.level = stats.video_level or self.level
        self.status_label.setText(sentences(status_text("connected"), receiving_text(
            picture, self.level, sound, self.mute_button.isChecked(), self.audio.error)))

    def _master_state(self, state: LessonState, command: Command | None) -> None:
        self._set_lesson(state.lesson)
        self.master = state
        if self.own_pace or self.local_player is not None:
            return
        self.panel.show_step(state.step, state.activity)
        if command is not None and command.op == "demo" and state.demo:
            self.open_demo(state.demo, {})
        if state.ended:
            self.status_label.setText(status_text("ended"))

    def _send_answers(self, summary: AnswerSummary) -> None:
        if self.client is not None:
            delivered = self.client.status == "connected"
            self._call("send_answers", summary)
            if self.panel.tally is not None:
                self.panel.tally.mark_sent(delivered)

    def _mute(self) -> None:
        self.audio.muted = self.mute_button.isChecked()
        self._describe_link()

    def _voice_only(self) -> None:
        self._call("prefer", "audio" if self.voice_only_button.isChecked() else "high")

    def _hand(self) -> None:
        raised = self.hand_button.isChecked()
        self.hand_button.setText(tr("Lower the class's hand") if raised
                                 else tr("Raise the class's hand"))
        self._call("raise_hand", raised)

    def _take_over(self) -> None:
        self.own_pace = self.take_over_button.isChecked()
        self.take_over_button.setText(tr("Follow the master teacher again") if self.own_pace
                                      else tr("Take over the steps"))
        self._call("set_local", "own-pace" if self.own_pace else "")
        if not self.own_pace:
            self.panel.show_step(self.master.step, self.master.activity)
        self._refresh_controls()

    def _own_step(self, delta: int) -> None:
        self.panel.show_step(self.panel.index + delta)

    # -- the local lesson player takes over, then gives back ---------------------------
    def local_activity(self) -> None:
        if self.lesson is None or self.class_id is None:
            return
        attempt = self.ctx.progress.open_class_session(self.lesson, self.class_id)
        player = LessonPlayerView(self.ctx, self.lesson, attempt, True, self.open_demo)
        player.go_to(max(0, min(self.panel.index, len(self.lesson.steps) - 1)))
        back = QPushButton("◀ " + tr("Back to the master teacher"))
        back.setProperty("primary", True)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addWidget(back)
        layout.addWidget(player, 1)
        back.clicked.connect(self.end_local_activity)
        player.closed.connect(self.end_local_activity)
        player.finished.connect(self.end_local_activity)
        self.local_player = player
        self.pages.addWidget(holder)
        self.pages.setCurrentWidget(holder)
        self._call("set_local", "activity")
        if self.player is not None:
            self.player.pause()

    def end_local_activity(self) -> None:
        player, self.local_player = self.local_player, None
        if player is None:
            return
        player.save_time()
        holder = self.pages.currentWidget()
        self.pages.setCurrentIndex(0)
        self.pages.removeWidget(holder)
        holder.deleteLater()
        self._call("set_local", "own-pace" if self.own_pace else "")
        if not self.own_pace:  # back in step with the master (or the recording)
            self.panel.show_step(self.master.step, self.master.activity)
        if self.player is not None and self.player.waiting_cue is None \
                and not self.pause_button.isChecked():
            self.player.resume()

    # -- replay --------------------------------------------------------------------------
    def play(self, recording: Recording) -> None:
        self._set_lesson(recording.lesson)
        bridge = self.bridge
        self.player = ReplayPlayer(recording, on_frame=lambda image, _t: bridge.put_frame(image),
                                   on_event=lambda event, at: bridge.event.emit(event, at),
                                   on_end=bridge.ended.emit, on_audio=self.audio.play)
        self.status_label.setText(tr("Playing the recording “{name}”.")
                                  .format(name=recording.name))
        if recording.media is None:  # nothing to watch: the lesson takes the room
            self.video.hide()
            self.status_label.setText(tr("Playing the recording “{name}” (no video: the "
                                         "lesson steps follow it).").format(name=recording.name))
        self.player.start()
        self._refresh_controls()

    def _replay_event(self, event: RecordedEvent, _position: float) -> None:
        command = event.command
        self._master_state(command.state, command)
        if event.cue:
            what = tr("the quiz") if command.op == "quiz" else tr("the demo")
            self.cue_label.setText(tr("The recording pauses here: do {what} with the class, "
                                      "then continue.").format(what=what))
            self.cue_bar.setVisible(True)

    def continue_replay(self) -> None:
        self.cue_bar.setVisible(False)
        if self.player is not None:
            self.master = self.master.after("close-quiz")
            self.panel.show_step(self.master.step)
            self.player.resume()

    def _pause_replay(self) -> None:
        if self.player is None:
            return
        if self.pause_button.isChecked():
            self.player.pause()
        elif self.player.waiting_cue is None:
            self.player.resume()

    def _replay_ended(self, message: str) -> None:
        self.status_label.setText(message or tr("The recording has ended."))

    # -- the picture ---------------------------------------------------------------------
    def _show_frame(self) -> None:
        image = self.bridge.take_frame()
        if image is not None:
            self.last_picture = time.monotonic()
            self.video.show_frame(image)

    def _check_picture(self) -> None:
        client = self.client
        self._describe_link()
        if client is None or time.monotonic() - self.last_picture < NO_PICTURE_AFTER_S:
            return
        if client.status == "connected":
            level = client.stats.video_level
            self.video.show_message(level_text("audio") if level == "audio"
                                    else tr("Waiting for the master teacher's picture…"))
        elif client.status == "reconnecting":
            self.video.show_message(status_text("reconnecting"))

    # -- leaving ---------------------------------------------------------------------------
    def leave(self) -> None:
        self.shutdown()
        self.left.emit()

    def shutdown(self) -> None:
        """Stop the link or the replay; safe to call twice."""
        self.watch.stop()
        if self.local_player is not None:
            self.local_player.save_time()
        client, self.client = self.client, None
        if client is not None:
            future = self.runtime.submit(client.stop())
            # Leaving must work whatever the link does.
            with contextlib.suppress(Exception):
                future.result(timeout=5)
        player, self.player = self.player, None
        if player is not None:
            player.stop()
        self.audio.close()
