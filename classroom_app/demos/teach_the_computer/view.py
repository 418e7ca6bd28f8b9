"""Teach the computer: collect examples, train your own model, test it live, export it.

Like Teachable Machine, offline: 2-10 classes named by the student, examples collected
by holding a button in front of the camera (about seven a second) or added from files,
training on EfficientNet-Lite0 embeddings in a worker thread with a live curve, a
held-out test with a confusion matrix, live prediction, and export as one ONNX file.
Each hold of the button is one recording; the test holds out whole recordings and says
so under the result (:mod:`classroom_app.core.vision.held_out`).
The project is saved per learner as it changes; a trained model is recorded as an
experiment statement in the progress store.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core import xapi
from classroom_app.core.i18n import tr
from classroom_app.core.vision.embeddings import Embedder
from classroom_app.core.vision.export import export_taught_model
from classroom_app.core.vision.folder_import import FolderReport
from classroom_app.core.vision.held_out import explain
from classroom_app.core.vision.model_files import ModelError
from classroom_app.core.vision.pictures import PictureError, read_picture
from classroom_app.core.vision.stream import FrameResult
from classroom_app.core.vision.teach_project import (
    ProjectError,
    TeachProject,
    export_file_name,
    list_projects,
    new_burst,
    projects_dir,
)
from classroom_app.core.vision.training import (
    MAX_CLASSES,
    MIN_CLASSES,
    EpochReport,
    TrainedModel,
    TrainingError,
)
from classroom_app.demos.teach_the_computer.class_panel import ClassPanel
from classroom_app.demos.teach_the_computer.training import Training
from classroom_app.ui.demos.charts import ConfidenceBars, ConfusionMatrixView, TrainingCurve
from classroom_app.ui.demos.demo_view import CameraDemoView
from classroom_app.ui.demos.folder_collector import FolderCollector, skipped_text
from classroom_app.ui.demos.message_line import MessageLine
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.workers import TaskRunner

CAPTURE_MS = 150  # about seven examples a second while the button is held


class TeachView(CameraDemoView):
    trained = Signal(object)  # TrainedModel
    predicted = Signal(object)  # probabilities shown
    folder_added = Signal(int, object)  # class index, FolderReport

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.params = params
        self.trainer = TaskRunner(self)
        self.trainer.progress.connect(self._training_progress)
        self.trainer.done.connect(self._trained)
        self.trainer.failed.connect(self._train_failed)
        self.collector = FolderCollector((ProjectError,), self)
        self.collector.progress.connect(self._collect_progress)
        self.collector.finished.connect(self._folder_done)
        self.collected: list = []  # samples added from the folder under way
        self.last_frame: np.ndarray | None = None
        self.collecting: int | None = None
        self.burst: str | None = None  # the recording under way while a button is held
        self.model: TrainedModel | None = None
        self.panels: list[ClassPanel] = []
        self.project: TeachProject | None = None
        self.embedder: Embedder | None = None
        self.capture_timer = QTimer(self)
        self.capture_timer.setInterval(CAPTURE_MS)
        self.capture_timer.timeout.connect(self._capture)
        self._build()
        try:
            self.embedder = Embedder()
        except ModelError as error:
            self._model_missing(str(error))
            return
        self._open_start_project()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        outer.addLayout(bar)
        self.project_label = QLabel()
        self.project_label.setProperty("role", "subtitle")
        bar.addWidget(self.project_label, 1)
        for text, slot in ((tr("New project"), self.new_project),
                           (tr("Open project…"), self.choose_project)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.message = MessageLine()
        outer.addWidget(self.message)

        body = QHBoxLayout()
        outer.addLayout(body, 1)
        left = QVBoxLayout()
        body.addLayout(left, 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Its classes scroll inside it: it asks for no height of its own, or the window
        # would scroll too (a demo window asks its content for its preferred height).
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        scroll.setMinimumHeight(160)
        holder = QWidget()
        self.class_list = QVBoxLayout(holder)
        self.class_list.addStretch()
        scroll.setWidget(holder)
        left.addWidget(scroll, 1)
        # Train sits with "Add a class", under the classes: the left column's list gives
        # way to it, and the right one keeps its room for the test result and its note.
        buttons = QHBoxLayout()
        left.addLayout(buttons)
        self.add_class_button = QPushButton(tr("Add a class"))
        self.add_class_button.clicked.connect(self.add_class)
        self.train_button = QPushButton(tr("Train the model"))
        self.train_button.setProperty("role", "primary")
        self.train_button.clicked.connect(self.train)
        self.export_button = QPushButton(tr("Export model…"))
        self.export_button.clicked.connect(self.choose_export)
        self.export_button.setEnabled(False)
        for button in (self.add_class_button, self.train_button, self.export_button):
            buttons.addWidget(button, 1)

        right = QVBoxLayout()
        body.addLayout(right, 2)
        self.picture.setMinimumSize(220, 120)
        right.addWidget(self.picture, 2)
        self.prediction = ConfidenceBars(rows=MAX_CLASSES)
        self.prediction.rows = 2
        self.prediction.setMinimumHeight(28 * 2)  # grows with the classes once trained
        right.addWidget(self.prediction)
        self.progress = QProgressBar()
        self.progress.hide()
        right.addWidget(self.progress)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setProperty("role", "subtitle")
        right.addWidget(self.result_label)
        self.test_note = QLabel()  # how the test examples were chosen
        self.test_note.setWordWrap(True)
        right.addWidget(self.test_note)
        # One chart at a time: stacked, they pushed the window past a 768-pixel screen.
        self.charts = QTabWidget()
        self.charts.setStyleSheet("QTabBar::tab { padding: 0.2em 0.8em; }")
        self.curve = TrainingCurve()
        self.curve.setMinimumSize(200, 90)
        self.charts.addTab(self.curve, tr("Learning"))
        self.confusion = ConfusionMatrixView()
        self.confusion.setMinimumSize(200, 90)
        self.charts.addTab(self.confusion, tr("Mistakes"))
        right.addWidget(self.charts, 1)

    def _model_missing(self, message: str) -> None:
        self.message.say(message, True)
        for widget in (self.train_button, self.add_class_button):
            widget.setEnabled(False)
        self.picture.show_message(message)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.say(text, problem)

    # -- projects --------------------------------------------------------------------
    def _open_start_project(self) -> None:
        owner = self.session.owner()
        names = list_projects(owner)
        if names:
            newest = max(names, key=lambda n: (projects_dir(owner) / n / "project.json")
                         .stat().st_mtime)
            if self.open_project(projects_dir(owner) / newest):
                return
        self.new_project(ask=False)

    def new_project(self, ask: bool = True) -> None:
        name = tr("My model")
        if ask:
            name, ok = QInputDialog.getText(self, tr("New project"), tr("Name of the project:"),
                                            text=name)
            if not ok or not name.strip():
                return
        classes = [str(c) for c in self.params.get("classes", [])][:MAX_CLASSES]
        classes += [tr("Class {n}").format(n=i + 1) for i in range(len(classes), MIN_CLASSES)]
        try:
            project = TeachProject.create(self.session.owner(), name.strip(), classes)
        except (OSError, ProjectError) as error:
            self._say(tr("Could not create the project: {error}").format(error=error), True)
            return
        self._use(project)

    def choose_project(self) -> None:
        names = list_projects(self.session.owner())
        if not names:
            self._say(tr("There are no saved projects yet."))
            return
        name, ok = QInputDialog.getItem(self, tr("Open project"), tr("Project:"), names, 0,
                                        False)
        if ok:
            self.open_project(projects_dir(self.session.owner()) / name)

    def open_project(self, folder: Path) -> bool:
        try:
            project = TeachProject.open(folder)
        except ProjectError as error:
            self._say(str(error), True)
            return False
        self._use(project)
        return True

    def _use(self, project: TeachProject) -> None:
        self._stop_training()
        self.project = project
        self.project_label.setText(tr("Project: {name}").format(name=project.name))
        self._rebuild_panels()
        self._show_model(project.model)
        self._say(tr("Collect examples for each class (hold its button while the picture "
                     "shows one, or add a folder of photos), then train."))

    def _rebuild_panels(self) -> None:
        for panel in self.panels:
            panel.setParent(None)
            panel.deleteLater()
        self.panels = []
        assert self.project is not None
        for index, taught in enumerate(self.project.classes):
            panel = ClassPanel(index, taught.name)
            self.class_list.insertWidget(self.class_list.count() - 1, panel)
            panel.hold.connect(self._hold)
            panel.add_files.connect(self.choose_files)
            panel.add_folder.connect(self.choose_folder)
            panel.remove.connect(self.remove_class)
            panel.renamed.connect(self._rename)
            panel.delete_samples.connect(self._delete_samples)
            for sample in taught.samples:
                panel.add_thumbnail(sample.id, sample.view)
            panel.update_count()
            self.panels.append(panel)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.panels)
        idle = not self.trainer.busy and not self.collector.busy()
        self.add_class_button.setEnabled(count < MAX_CLASSES and idle)
        for panel in self.panels:
            panel.remove_button.setEnabled(count > MIN_CLASSES and idle)

    def _save(self) -> None:
        self.message.save(self.project)

    # -- classes and samples -----------------------------------------------------------
    def add_class(self) -> None:
        if self.project is None or len(self.project.classes) >= MAX_CLASSES:
            return
        self.project.add_class(tr("Class {n}").format(n=len(self.project.classes) + 1))
        self._model_changed()
        self._save()
        self._rebuild_panels()

    def remove_class(self, index: int) -> None:
        if self.project is None or len(self.project.classes) <= MIN_CLASSES:
            return
        taught = self.project.classes[index]
        if taught.samples and QMessageBox.question(
                self, tr("Remove class"),
                tr("Remove “{name}” and its {n} examples?").format(
                    name=taught.name, n=len(taught.samples))) != \
                QMessageBox.StandardButton.Yes:
            return
        self.project.remove_class(index)
        self._model_changed()
        self._save()
        self._rebuild_panels()

    def _rename(self, index: int, name: str) -> None:
        if self.project is None or not name.strip():
            return
        self.project.classes[index].name = name.strip()
        self._save()

    def _delete_samples(self, index: int, ids: list) -> None:
        if self.project is None:
            return
        for sample_id in ids:
            self.project.remove_sample(index, sample_id)
        self._model_changed()
        self._save()

    def _hold(self, index: int, held: bool) -> None:
        if held and self.last_frame is None:
            self._say(tr("There is no picture yet: start the camera, or choose a video or "
                         "photos above."), True)
            return
        self.collecting = index if held else None
        self.burst = new_burst() if held else None
        if held:
            self._capture()
            self.capture_timer.start()
        else:
            self.capture_timer.stop()
            self._save()

    def _capture(self) -> None:
        if self.collecting is None or self.last_frame is None or self.project is None:
            return
        self.add_example(self.collecting, self.last_frame, self.burst)

    def add_example(self, index: int, frame: np.ndarray, burst: str | None = None) -> bool:
        """Keep ``frame`` as an example of class ``index``, taken in recording ``burst``
        (None: a picture on its own)."""
        assert self.project is not None
        try:
            sample = self.project.add_sample(index, frame, burst)
        except (OSError, ProjectError) as error:
            self.capture_timer.stop()
            self._say(tr("Could not store the example: {error}").format(error=error), True)
            return False
        self.panels[index].add_thumbnail(sample.id, sample.view)
        self._model_changed()
        return True

    def choose_files(self, index: int) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("Add pictures"), "", tr("Pictures (*.jpg *.jpeg *.png *.bmp *.webp)"))
        self.add_files(index, [Path(f) for f in files])

    def add_files(self, index: int, files: list[Path]) -> int:
        """Add picture files to a class; unreadable ones are reported, not added."""
        added, problems = 0, []
        for file in files:
            try:
                picture = read_picture(file)
            except PictureError as error:
                problems.append(str(error))
                continue
            added += self.add_example(index, picture)
        self._save()
        if problems:
            self._say(tr("Added {n} pictures. Skipped: {problems}").format(
                n=added, problems=" ".join(problems)), True)
        elif added:
            self._say(tr("Added {n} pictures.").format(n=added))
        return added

    def choose_folder(self, index: int) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Choose a folder of photos"))
        if folder:
            self.add_folder(index, Path(folder))

    def add_folder(self, index: int, folder: Path) -> None:
        """Take every picture in ``folder`` as an example of class ``index``, off the GUI
        thread, with progress; ``folder_added`` says when it is done."""
        if self.project is None or self.collector.busy() or self.trainer.busy:
            return
        project, self.collected = self.project, []
        collected = self.collected

        def add(picture: np.ndarray) -> str | None:
            collected.append(project.add_sample(index, picture))
            return None

        self.collector.start(index, folder, lambda: add)
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("Adding pictures from “{folder}”… %v/%m").format(
            folder=folder.name.replace("%", "%%")))
        self.progress.show()
        self._set_busy(True)

    def _collect_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _folder_done(self, index: int, report: FolderReport | None, error: str) -> None:
        self.progress.hide()
        self._set_busy(False)
        if index < len(self.panels):
            for sample in self.collected:
                self.panels[index].add_thumbnail(sample.id, sample.view)
        if self.collected:
            self._model_changed()
        self._save()
        if report is None:
            self._say(error, True)
            return
        self._say(tr("Added {n} pictures from “{folder}”.").format(
            n=report.added, folder=report.folder.name) + skipped_text(report),
            report.added == 0)
        self.folder_added.emit(index, report)

    def _model_changed(self) -> None:
        """The examples changed: the trained model no longer matches them."""
        if self.model is not None:
            self.result_label.setText(tr("The examples changed: train again to update the "
                                         "model."))

    # -- training ----------------------------------------------------------------------
    def train(self) -> None:
        if self.project is None or self.embedder is None or self.trainer.busy or \
                self.collector.busy():
            return
        for panel in self.panels:
            self._rename(panel.index, panel.name.text())
        self.capture_timer.stop()
        self.collecting = None
        training = Training(self.project, self.embedder)
        self.trainer.start(training, (TrainingError, ModelError))
        self._set_training(True)
        self.curve.clear(120)
        self.progress.setRange(0, max(1, len(training.missing)))
        self.progress.setValue(0)
        self.progress.setFormat(tr("Looking at the examples… %v/%m"))
        self.progress.show()
        self._say(tr("Training…"))

    def _set_training(self, busy: bool) -> None:
        self._set_busy(busy)

    def _set_busy(self, busy: bool) -> None:
        """Training or adding a folder: the examples must not change meanwhile."""
        self.train_button.setEnabled(not busy)
        for panel in self.panels:
            panel.setEnabled(not busy)
        self._update_buttons()

    def _training_progress(self, done: int, total: int, report: EpochReport | None) -> None:
        if report is None:  # still looking at the examples
            self.progress.setValue(done)
            return
        self.progress.setRange(0, total)
        self.progress.setFormat(tr("Training… round %v of %m"))
        self.progress.setValue(done)
        self.curve.add(report.loss, report.train_accuracy, report.test_accuracy)

    def _end_training(self) -> None:
        self.progress.hide()
        self._set_training(False)

    def _trained(self, model: TrainedModel) -> None:
        self._end_training()
        assert self.project is not None
        self.project.model = model
        self._save()
        self._show_model(model)
        self._record(model)
        self._say(tr("Done! Now show it something new and see what your model says."))
        self.trained.emit(model)

    def _train_failed(self, message: str) -> None:
        self._end_training()
        self._say(message, True)

    def _show_model(self, model: TrainedModel | None) -> None:
        self.model = model
        self.export_button.setEnabled(model is not None)
        if model is None:
            self.result_label.clear()
            self.test_note.clear()
            self.confusion.set_matrix([], np.zeros((0, 0), int))
            self.prediction.set_items([])
            return
        if model.history and not self.curve.loss:
            self.curve.clear(len(model.history))
            for report in model.history:
                self.curve.add(report.loss, report.train_accuracy, report.test_accuracy)
        self.result_label.setText(tr("Test: {right} of {n} held-out examples right "
                                     "({acc:.0%}).").format(
            right=int(np.trace(model.confusion)), n=model.test_samples, acc=model.test_accuracy))
        self.test_note.setText(explain(model.class_names, model.test_rules))
        self.confusion.set_matrix(model.class_names, model.confusion)
        self.prediction.rows = len(model.class_names)
        self.prediction.setMinimumHeight(28 * len(model.class_names))

    def _record(self, model: TrainedModel) -> None:
        self.session.record_experiment(xapi.experiment_result(
            list(model.class_names), list(model.samples_per_class), model.test_samples,
            model.test_accuracy))

    def _stop_training(self) -> None:
        if self.trainer.busy:
            self.trainer.shutdown(5000)
            self._end_training()

    # -- export ------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.model is None or self.project is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export model"), str(Path.home() / export_file_name(self.project.name)),
            tr("ONNX models (*.onnx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        if self.model is None or self.embedder is None:
            return None
        try:
            out = export_taught_model(self.embedder.model_path, self.model, path)
        except ModelError as error:
            self._say(str(error), True)
            return None
        self._say(tr("Saved the model to {path}. Open it in “What does the computer see?”.")
                  .format(path=out))
        return out

    # -- frames ------------------------------------------------------------------------
    def process(self, frame: np.ndarray) -> np.ndarray | None:
        model, embedder = self.model, self.embedder  # read once: the GUI may swap them
        if model is None or embedder is None:
            return None
        return model.probabilities(embedder.embed(frame))[0]

    def has_model(self) -> bool:
        return self.embedder is not None

    def show_result(self, result: FrameResult) -> None:
        self.last_frame = result.frame
        self.picture.show_frame(result.frame)
        model = self.model
        if result.result is not None and model is not None and \
                len(result.result) == len(model.class_names):
            items = list(zip(model.class_names, result.result.tolist(), strict=True))
            self.prediction.set_items(items)
            self.predicted.emit(result.result)

    def show_failure(self, message: str) -> None:
        self.last_frame = None
        self.capture_timer.stop()
        super().show_failure(message)

    def stop_frames(self) -> None:
        """The source stops: so does collecting from it (what was collected is saved)."""
        self.capture_timer.stop()
        if self.collecting is not None:
            self.collecting = None
            self._save()
        super().stop_frames()

    def stop(self) -> None:
        """The demo closes: stop the camera, any training and any folder being added;
        the project is saved."""
        super().stop()
        self._stop_training()
        self.collector.stop()
