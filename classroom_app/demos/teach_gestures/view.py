"""Teach the computer gestures: name 2-8 gestures, show each for a few seconds, train in
a blink, and watch the live prediction.

The examples are the 127 landmark features of the hand (no pictures are kept), saved
in the learner's gesture project as they are recorded. Each press of "Record" adds one
recording (several pupils may each record a gesture; "Clear" starts a gesture over);
the test holds out whole recordings and says so under the result. Parameters from a
lesson step: ``gestures`` (the names to start with) and ``seconds`` (how long each
recording lasts).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core import paths, xapi
from classroom_app.core.hands.features import gesturing_hand, landmark_features
from classroom_app.core.hands.gesture_model import (
    MAX_GESTURES,
    MIN_GESTURES,
    GestureClassifier,
    export_gesture_model,
    train_gestures,
)
from classroom_app.core.hands.gesture_project import GestureProject, newest_project
from classroom_app.core.hands.live import HandsFrame
from classroom_app.core.hands.tracker import HandTracker
from classroom_app.core.i18n import tr
from classroom_app.core.vision.folder_import import FolderReport
from classroom_app.core.vision.held_out import explain
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.core.vision.teach_project import ProjectError, export_file_name, new_burst
from classroom_app.core.vision.training import TrainedModel, TrainingError
from classroom_app.ui.demos.charts import ConfidenceBars
from classroom_app.ui.demos.folder_collector import FolderCollector, skipped_text
from classroom_app.ui.demos.hand_view import HandDemoView
from classroom_app.ui.demos.message_line import MessageLine
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.workers import TaskRunner

GET_READY_MS = 1000


class TeachGesturesView(HandDemoView):
    shown = Signal(object)  # the HandsFrame just shown
    recorded = Signal(int)  # the gesture whose recording ended
    trained = Signal(object)  # TrainedModel
    predicted = Signal(object)  # GesturePrediction
    folder_added = Signal(int, object)  # gesture index, FolderReport

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.seconds = float(params.get("seconds", 3))
        self.project: GestureProject | None = None
        self.recording: int | None = None
        self.burst = ""  # the id of the recording under way
        self.record_from = self.record_until = 0.0
        self.trainer = TaskRunner(self)
        self.trainer.done.connect(self._trained)
        self.trainer.failed.connect(self._training_failed)
        for ended in (self.trainer.done, self.trainer.failed):
            ended.connect(lambda _: self._update_counts())  # the buttons come back
        self.collector = FolderCollector((ModelError,), self)
        self.collector.progress.connect(self._collect_progress)
        self.collector.finished.connect(self._folder_done)
        self.photo_tracker: HandTracker | None = None  # for photos: searched one by one
        self.rows: list[tuple[QLineEdit, QLabel, QPushButton, QPushButton, QPushButton]] = []
        self._build()
        self.open_hands()
        self._open_project([str(g) for g in params.get("gestures", [])])

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        layout.addLayout(left, 3)
        left.addWidget(self.picture, 1)
        self.guess = QLabel()
        self.guess.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.guess.setWordWrap(True)
        self.guess.setStyleSheet("font-size: 26pt; font-weight: bold;")
        left.addWidget(self.guess)
        side = QVBoxLayout()
        layout.addLayout(side, 2)
        steps = QLabel(tr("1. Name your gestures. 2. Record each one: show it to the camera "
                          "and move your hand a little, or add a folder of photos of it. "
                          "3. Train. 4. Show them again."))
        steps.setWordWrap(True)
        side.addWidget(steps)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)  # the names get the room; buttons keep theirs
        side.addLayout(self.grid)
        edit = QHBoxLayout()
        side.addLayout(edit)
        self.add_button = QPushButton(tr("Add a gesture"))
        self.add_button.clicked.connect(self.add_gesture)
        self.remove_button = QPushButton(tr("Remove the last gesture"))
        self.remove_button.clicked.connect(self.remove_last_gesture)
        edit.addWidget(self.add_button)
        edit.addWidget(self.remove_button)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        side.addWidget(self.progress)
        self.train_button = QPushButton(tr("Train"))
        self.train_button.setProperty("role", "primary")
        self.train_button.clicked.connect(self.train)
        side.addWidget(self.train_button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        side.addWidget(self.result)
        self.test_note = QLabel()  # how the test examples were chosen
        self.test_note.setWordWrap(True)
        side.addWidget(self.test_note)
        self.bars = ConfidenceBars(rows=MAX_GESTURES)
        side.addWidget(self.bars, 1)
        files = QHBoxLayout()
        side.addLayout(files)
        self.new_button = QPushButton(tr("New project"))
        self.new_button.clicked.connect(lambda: self.new_project([]))
        self.export_button = QPushButton(tr("Export model…"))
        self.export_button.clicked.connect(self._export_clicked)
        files.addWidget(self.new_button)
        files.addWidget(self.export_button)
        self.message = MessageLine()
        side.addWidget(self.message)

    def _rebuild_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.rows = []
        if self.project is None:
            return
        for i, name in enumerate(self.project.class_names()):
            edit = QLineEdit(name)
            edit.setMaxLength(20)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("剪刀石头布") + 16)
            edit.editingFinished.connect(lambda i=i: self._renamed(i))
            count = QLabel()
            button = QPushButton(tr("Record ({seconds:g} s)").format(seconds=self.seconds))
            button.clicked.connect(lambda _=False, i=i: self.record(i))
            folder = QPushButton(tr("Add a folder…"))
            folder.setToolTip(tr("Every photo of this gesture in a folder becomes an example"))
            folder.clicked.connect(lambda _=False, i=i: self.choose_folder(i))
            clear = QPushButton(tr("Clear"))
            clear.setToolTip(tr("Delete this gesture's examples and start it over"))
            clear.clicked.connect(lambda _=False, i=i: self.clear_gesture(i))
            for column, widget in enumerate((edit, count, button, folder, clear)):
                self.grid.addWidget(widget, i, column)
            self.rows.append((edit, count, button, folder, clear))
        # One bar per gesture: room for eight before there are eight pushed the window
        # past a projector's screen.
        self.bars.rows = max(len(self.rows), MIN_GESTURES)
        self.bars.setMinimumHeight(30 * self.bars.rows)
        self._update_counts()

    def _update_counts(self) -> None:
        if self.project is None:
            return
        idle = self.recording is None and not self.collector.busy()
        for (_, count, button, folder, clear), n in zip(self.rows, self.project.counts(),
                                                        strict=True):
            count.setText(tr("{n} examples").format(n=n))
            button.setEnabled(idle and self.live is not None)
            folder.setEnabled(idle and not self.trainer.busy)
            clear.setEnabled(idle and not self.trainer.busy and n > 0)
        n = len(self.rows)
        self.add_button.setEnabled(n < MAX_GESTURES and idle)
        self.remove_button.setEnabled(n > MIN_GESTURES and idle)
        self.train_button.setEnabled(idle and not self.trainer.busy)
        self.export_button.setEnabled(self.project.model is not None)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.say(text, error)

    # -- projects --------------------------------------------------------------------
    def _open_project(self, gestures: list[str]) -> None:
        folder = newest_project(self.session.owner())
        if folder is not None:
            try:
                project = GestureProject.open(folder)
                if not gestures or project.class_names() == gestures:
                    self._use(project)
                    return
            except ProjectError as error:
                self._say(str(error), True)
        self.new_project(gestures)

    def new_project(self, gestures: list[str]) -> None:
        names = gestures[:MAX_GESTURES] or [tr("Gesture {n}").format(n=1),
                                             tr("Gesture {n}").format(n=2)]
        while len(names) < MIN_GESTURES:
            names.append(tr("Gesture {n}").format(n=len(names) + 1))
        try:
            project = GestureProject.create(self.session.owner(), tr("My gestures"), names)
        except (OSError, ProjectError) as error:
            self._say(tr("Could not create the project: {error}").format(error=error), True)
            return
        self._use(project)

    def _use(self, project: GestureProject) -> None:
        self.project = project
        self._rebuild_rows()
        self._use_model(project.model)
        if project.model is not None:
            self._show_result(project.model)
        else:
            self.result.setText("")
            self.test_note.setText("")

    def _save(self) -> None:
        self.message.save(self.project)

    def _renamed(self, index: int) -> None:
        if self.project is None or index >= len(self.rows):
            return
        name = self.rows[index][0].text().strip()
        if not name:
            self.rows[index][0].setText(self.project.class_names()[index])
            return
        self.project.rename_class(index, name)
        self._save()
        self._use_model(self.project.model)

    def add_gesture(self) -> None:
        if self.project is None or len(self.rows) >= MAX_GESTURES:
            return
        self.project.add_class(tr("Gesture {n}").format(n=len(self.rows) + 1))
        self._save()
        self._rebuild_rows()

    def remove_last_gesture(self) -> None:
        if self.project is None or len(self.rows) <= MIN_GESTURES:
            return
        self.project.remove_class(len(self.rows) - 1)
        self._save()
        self._rebuild_rows()

    # -- recording -------------------------------------------------------------------
    def record(self, index: int) -> None:
        """Collect examples of gesture ``index`` for ``seconds``, after a second to get
        ready: one more recording, added to those made before."""
        if self.project is None or self.recording is not None or self.live is None or \
                self.collector.busy():
            return
        self.recording = index
        self.burst = new_burst()
        now = time.monotonic()
        self.record_from = now + GET_READY_MS / 1000
        self.record_until = self.record_from + self.seconds
        self.progress.setRange(0, int(self.seconds * 1000))
        self.progress.setValue(0)
        self.progress.show()
        self._say(tr("Get ready: show “{name}”…").format(
            name=self.project.class_names()[index]))
        self._update_counts()
        QTimer.singleShot(int((GET_READY_MS / 1000 + self.seconds) * 1000) + 50,
                          self._check_recording_end)

    def _collect(self, found: HandsFrame) -> None:
        if self.recording is None or self.project is None:
            return
        now = time.monotonic()
        if now < self.record_from:
            return
        if now >= self.record_until:
            self._end_recording()
            return
        self.progress.setValue(int((now - self.record_from) * 1000))
        hand = gesturing_hand([s.hand for s in found.hands])
        if hand is None:
            self._say(tr("Recording… no hand seen: show your hand."), True)
            return
        features = next(s.features for s in found.hands if s.hand is hand)
        self.project.add_sample(self.recording, features, self.burst)
        self._say(tr("Recording “{name}”…").format(
            name=self.project.class_names()[self.recording]))
        self._update_counts()

    def _check_recording_end(self) -> None:
        if self.recording is not None and time.monotonic() >= self.record_until:
            self._end_recording()

    def _end_recording(self) -> None:
        index, self.recording = self.recording, None
        self.progress.hide()
        if index is None or self.project is None:
            return
        self._save()
        count = self.project.counts()[index]
        self._say(tr("Recorded {n} examples of “{name}”.").format(
            n=count, name=self.project.class_names()[index]), count == 0)
        self._update_counts()
        self.recorded.emit(index)

    def clear_gesture(self, index: int) -> None:
        """Delete gesture ``index``'s examples, to record it afresh."""
        if self.project is None or self.recording is not None or self.collector.busy() or \
                self.trainer.busy:
            return
        self.project.clear_class(index)
        self._save()
        self._update_counts()

    # -- from a folder of photos ------------------------------------------------------
    def choose_folder(self, index: int) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Choose a folder of photos"),
                                                  str(self._sample_hands()))
        if folder:
            self.add_folder(index, Path(folder))

    @staticmethod
    def _sample_hands() -> Path:
        return paths.sample_images_dir() / "hands"

    def add_folder(self, index: int, folder: Path) -> None:
        """Every photo in ``folder`` through the hand models (off the GUI thread), the
        gesturing hand's features added to gesture ``index``; ``folder_added`` at the end."""
        if self.project is None or self.collector.busy() or self.recording is not None:
            return
        project = self.project

        def make_add() -> Callable[[np.ndarray], str | None]:
            tracker = self._tracker_for_photos()  # on the worker thread: opens a model

            def add(picture: np.ndarray) -> str | None:
                tracker.reset()
                hand = gesturing_hand(tracker.process(picture))
                if hand is None:
                    return tr("no hand found")
                project.add_sample(index, landmark_features(hand))
                return None

            return add

        self.collector.start(index, folder, make_add)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say(tr("Looking for hands in “{folder}”…").format(folder=folder.name))
        self._update_counts()

    def _tracker_for_photos(self) -> HandTracker:
        """A tracker of its own (the live one belongs to the frame thread), made once."""
        if self.photo_tracker is None:
            self.photo_tracker = HandTracker.open(max_hands=1, video=False)
        return self.photo_tracker

    def _collect_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _folder_done(self, index: int, report: FolderReport | None, error: str) -> None:
        self.progress.hide()
        self._save()
        self._update_counts()
        if report is None:
            self._say(error, True)
            return
        name = self.project.class_names()[index] if self.project else ""
        self._say(tr("Added {n} examples of “{name}” from “{folder}”.").format(
            n=report.added, name=name, folder=report.folder.name) + skipped_text(report),
            report.added == 0)
        self.folder_added.emit(index, report)

    # -- training --------------------------------------------------------------------
    def train(self) -> None:
        if self.project is None or self.trainer.busy or self.recording is not None or \
                self.collector.busy():
            return
        features, labels = self.project.training_data()
        names, bursts = self.project.class_names(), self.project.bursts()
        self.trainer.start(lambda: train_gestures(features, labels, names, bursts=bursts),
                           (TrainingError,))
        self._say(tr("Training…"))
        self._update_counts()

    def _training_failed(self, message: str) -> None:
        self._say(message, True)

    def _trained(self, model: TrainedModel) -> None:
        if self.project is None or list(model.class_names) != self.project.class_names():
            return  # the gestures changed meanwhile: train again
        self.project.model = model
        self._save()
        self._use_model(model)
        self._show_result(model)
        self._say(tr("Trained. Show your gestures again and see what the computer says."))
        self._record(model)
        self.trained.emit(model)

    def _use_model(self, model: TrainedModel | None) -> None:
        if self.live is None:
            return
        if model is None or self.project is None or \
                len(model.class_names) != len(self.project.class_names()):
            self.live.classifier = None
            self.bars.set_items([])
            return
        self.live.classifier = GestureClassifier(self.project.class_names(), model=model)

    def _show_result(self, model: TrainedModel) -> None:
        right = int(round(model.test_accuracy * model.test_samples))
        self.result.setText(tr("{right} of {n} test examples right ({percent:.0f}%).").format(
            right=right, n=model.test_samples, percent=model.test_accuracy * 100))
        self.test_note.setText(explain(model.class_names, model.test_rules))

    def _record(self, model: TrainedModel) -> None:
        self.session.record_experiment(xapi.experiment_result(
            list(model.class_names), list(model.samples_per_class), model.test_samples,
            model.test_accuracy))

    # -- export ----------------------------------------------------------------------
    def _export_clicked(self) -> None:
        name = export_file_name(self.project.name if self.project else tr("My gestures"))
        path, _ = QFileDialog.getSaveFileName(self, tr("Export model…"),
                                              str(Path.home() / name),
                                              tr("ONNX models (*.onnx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        if self.project is None or self.project.model is None:
            return None
        try:
            out = export_gesture_model(self.project.model, path)
        except ModelError as error:
            self._say(str(error), True)
            return None
        self._say(tr("Saved the model to {path}").format(path=out))
        return out

    # -- frames ----------------------------------------------------------------------
    def start(self, spec: SourceSpec) -> None:
        self.collector.stop()  # a new source ends a folder under way; a training goes on
        super().start(spec)

    def show_result(self, result: FrameResult) -> None:
        found: HandsFrame | None = result.result
        if found is None:
            return
        self.picture.show_frame(found.picture)
        self._collect(found)
        self.shown.emit(found)
        if not found.hands:
            self.guess.setText(tr("No hand seen"))
            return
        prediction = found.hands[0].prediction
        if prediction is None or self.recording is not None:
            self.guess.setText("")
            return
        order = np.argsort(-prediction.probabilities)
        self.bars.set_items([(prediction.names[i], float(prediction.probabilities[i]))
                             for i in order])
        name, probability = prediction.best
        self.guess.setText(tr("The computer thinks: {name} ({percent:.0f}%)").format(
            name=name, percent=probability * 100))
        self.predicted.emit(prediction)

    def show_failure(self, message: str) -> None:
        if self.recording is not None:
            self._end_recording()
        super().show_failure(message)

    def stop(self) -> None:
        super().stop()
        self.trainer.shutdown(5000)
        self.collector.stop()
