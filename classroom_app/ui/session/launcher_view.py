"""The dual-teacher page: host a session, join one, or replay a recording offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.context import AppContext
from classroom_app.core.i18n import pick, tr
from classroom_app.core.lessons.model import stage_name
from classroom_app.core.session.discovery import DISCOVERY_PORT, Finder, FoundSession
from classroom_app.core.session.recording import Recording
from classroom_app.core.session.runtime import SessionRuntime
from classroom_app.core.session.sharing import all_recordings
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.widgets import class_label, note_label


class SessionLauncherView(QWidget):
    host = Signal(object, object, bool)  # Lesson, SourceSpec | None, record
    join = Signal(str, str, str, object)  # address, code, classroom name, class id | None
    replay = Signal(object, object)  # Recording, class id | None

    found_changed = Signal(list)

    def __init__(self, ctx: AppContext, runtime: SessionRuntime,
                 discovery_port: int = DISCOVERY_PORT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runtime = ctx, runtime
        self.video_path = ""
        self.found: list[FoundSession] = []
        self.found_changed.connect(self._show_found)
        self.finder = Finder(self.found_changed.emit, discovery_port)
        self.runtime.submit(self.finder.start())
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(tr("A master teacher teaches several classrooms at once; "
                                       "each local teacher runs the room. Live over the "
                                       "school network, or from a recording with no network.")))
        row = QHBoxLayout()
        row.addWidget(self._host_box(), 1)
        row.addWidget(self._join_box(), 1)
        layout.addLayout(row)
        layout.addWidget(self._recordings_box(), 1)

    # -- the master teacher ----------------------------------------------------------------
    def _host_box(self) -> QGroupBox:
        box = QGroupBox(tr("Teach as the master teacher"))
        form = QFormLayout(box)
        self.lesson_box = QComboBox()
        for lesson in self.ctx.library.lessons:
            self.lesson_box.addItem(f"{stage_name(lesson.stage)} · {pick(lesson.title)}",
                                    lesson.id)
        self.source_box = QComboBox()
        self.source_box.addItem(tr("Camera"), "camera")
        self.source_box.addItem(tr("A video file…"), "video")
        self.source_box.addItem(tr("No picture (voice and lesson steps)"), "none")
        self.source_box.activated.connect(self._source_chosen)
        self.record_check = QCheckBox(tr("Record the session for classrooms without a link"))
        start = QPushButton(tr("Start the session"))
        start.setProperty("primary", True)
        start.clicked.connect(self._host)
        form.addRow(tr("Lesson:"), self.lesson_box)
        form.addRow(tr("Picture:"), self.source_box)
        form.addRow(self.record_check)
        form.addRow(start)
        return box

    def _source_chosen(self) -> None:
        if self.source_box.currentData() != "video":
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Choose a video"), "",
                                              tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm)"))
        if path:
            self.video_path = path
            self.source_box.setItemText(1, Path(path).name)
        else:
            self.source_box.setCurrentIndex(0)

    def source(self) -> SourceSpec | None:
        kind = self.source_box.currentData()
        if kind == "camera":
            return SourceSpec("camera", "0")
        if kind == "video" and self.video_path:
            return SourceSpec("video", self.video_path)
        return None

    def _host(self) -> None:
        lesson = self.ctx.library.get(self.lesson_box.currentData())
        if lesson is not None:
            self.host.emit(lesson, self.source(), self.record_check.isChecked())

    # -- a classroom -------------------------------------------------------------------------
    def _join_box(self) -> QGroupBox:
        box = QGroupBox(tr("Join as a classroom"))
        form = QFormLayout(box)
        self.found_list = QListWidget()
        self.found_list.setMaximumHeight(90)
        self.found_list.itemClicked.connect(self._pick_found)
        self.found_list.addItem(tr("Looking for sessions on the school network…"))
        self.address = QLineEdit()
        self.address.setPlaceholderText("192.168.1.5:8765")
        self.code = QLineEdit()
        self.code.setPlaceholderText("123456")
        self.code.setMaxLength(7)
        self.classroom_name = QLineEdit(self.ctx.settings.school_name)
        self.class_box = QComboBox()
        self.class_box.addItem(tr("No class"), None)
        for info in self.ctx.store.classes():
            self.class_box.addItem(class_label(info), info.id)
        if self.class_box.count() > 1:
            self.class_box.setCurrentIndex(1)
            self.classroom_name.setText(" ".join(filter(None, (
                self.ctx.settings.school_name, self.class_box.currentText().split(" ")[0]))))
        self.join_button = QPushButton(tr("Join"))
        self.join_button.setProperty("primary", True)
        self.join_button.clicked.connect(self._join)
        self.join_problem = note_label("")
        form.addRow(tr("On the network:"), self.found_list)
        form.addRow(tr("Master's address:"), self.address)
        form.addRow(tr("Session code:"), self.code)
        form.addRow(tr("This classroom:"), self.classroom_name)
        form.addRow(tr("Class:"), self.class_box)
        form.addRow(self.join_button)
        form.addRow(self.join_problem)
        return box

    def _show_found(self, found: list[FoundSession]) -> None:
        self.found = found
        self.found_list.clear()
        for session in found:
            teacher = f" · {session.teacher}" if session.teacher else ""
            self.found_list.addItem(f"{session.title or session.lesson}{teacher} · "
                                    f"{session.address}:{session.port}")
        if not found:
            self.found_list.addItem(tr("No session heard yet: type the address instead."))

    def _pick_found(self) -> None:
        row = self.found_list.currentRow()
        if 0 <= row < len(self.found):
            session = self.found[row]
            self.address.setText(f"{session.address}:{session.port}")
            self.code.setFocus()

    def shutdown(self) -> None:
        self.runtime.call(self.finder.stop)

    def _join(self) -> None:
        address = self.address.text().strip()
        code = self.code.text().replace(" ", "")
        if not address:
            self.join_problem.setText(tr("Enter the master teacher's address."))
            return
        if not (code.isdigit() and len(code) == 6) and "code=" not in address:
            self.join_problem.setText(tr("The session code has 6 digits."))
            return
        name = self.classroom_name.text().strip() or tr("Classroom")
        self.join.emit(address, code, name, self.class_box.currentData())

    # -- recordings --------------------------------------------------------------------------
    def _recordings_box(self) -> QGroupBox:
        box = QGroupBox(tr("Recorded sessions (no network needed)"))
        layout = QVBoxLayout(box)
        self.recordings, problems = all_recordings(self.ctx.library.lessons)
        self.recording_list = QListWidget()
        for recording in self.recordings:
            lesson = self.ctx.library.get(recording.lesson)
            title = pick(lesson.title) if lesson else recording.title or recording.lesson
            minutes = recording.duration / 60
            text = tr("{title} · recorded {when} · {minutes:.0f} min · {cues} pauses").format(
                title=title, when=recording.created[:16].replace("T", " "), minutes=minutes,
                cues=sum(1 for e in recording.events if e.cue))
            self.recording_list.addItem(QListWidgetItem(text))
        self.recording_list.setCurrentRow(0)
        layout.addWidget(self.recording_list, 1)
        if not self.recordings:
            layout.addWidget(note_label(tr("No recording yet. Record a session, or import a "
                                           "lesson pack that carries one.")))
        for problem in problems:
            layout.addWidget(note_label(problem))
        play = QPushButton(tr("Play the recording"))
        play.clicked.connect(self._replay)
        play.setEnabled(bool(self.recordings))
        layout.addWidget(play)
        return box

    def _replay(self) -> None:
        row = self.recording_list.currentRow()
        if 0 <= row < len(self.recordings):
            recording: Recording = self.recordings[row]
            self.replay.emit(recording, self.class_box.currentData())
