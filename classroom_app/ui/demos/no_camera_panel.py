"""What a camera demo shows when the camera cannot be opened: the way on without one.

It says plainly what the demo needs in view, offers a video or a folder of photos (and
the shipped samples where they suit the demo), tells the teacher that a clip filmed on
a phone will do, and lets them look for the camera again once it is plugged in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from classroom_app.core.demo_catalog import DemoManifest
from classroom_app.core.i18n import pick, tr
from classroom_app.core.vision.sources import SourceSpec, samples_spec


def choose_video(parent: QWidget, start: str = "") -> SourceSpec | None:
    path, _ = QFileDialog.getOpenFileName(parent, tr("Choose a video"), start,
                                          tr("Videos (*.mp4 *.avi *.mkv *.mov *.webm)"))
    return SourceSpec("video", path) if path else None


def choose_folder(parent: QWidget, start: str = "") -> SourceSpec | None:
    path = QFileDialog.getExistingDirectory(parent, tr("Choose a folder of photos"), start)
    return SourceSpec("images", path) if path else None


class NoCameraPanel(QFrame):
    """Offers the sources a demo can use instead of a camera; ``chosen`` says which."""

    chosen = Signal(object)  # SourceSpec
    retry = Signal()
    without_picture = Signal()

    def __init__(self, manifest: DemoManifest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.manifest = manifest
        layout = QVBoxLayout(self)
        self.headline = QLabel(tr("No camera found"))
        self.headline.setProperty("role", "title")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "subtitle")
        layout.addWidget(self.problem)
        needs = QLabel(pick(manifest.needs) if manifest.needs else
                       tr("This demo needs something in front of the camera."))
        needs.setWordWrap(True)
        layout.addWidget(needs)
        layout.addWidget(QLabel(tr("Without a camera, it can show a video or a folder of "
                                   "photos instead:")))
        layout.addLayout(self._buttons())
        tip = QLabel(tr("Tip: a teacher can film a short clip on a phone, copy it to this "
                        "computer (USB cable or stick) and choose it with “Choose a video…”. "
                        "The app remembers the choice for this demo."))
        tip.setWordWrap(True)
        tip.setProperty("role", "subtitle")
        layout.addWidget(tip)
        again = QHBoxLayout()
        self.retry_button = QPushButton(tr("Look for the camera again"))
        self.retry_button.clicked.connect(self.retry.emit)
        again.addWidget(self.retry_button)
        self.continue_button = QPushButton(tr("Go on without a picture"))
        self.continue_button.clicked.connect(self.without_picture.emit)
        self.continue_button.setVisible(manifest.collects_from_folders)
        again.addWidget(self.continue_button)
        again.addStretch()
        layout.addLayout(again)
        layout.addStretch()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.video_button = QPushButton(tr("Choose a video…"))
        self.video_button.setProperty("primary", True)
        self.video_button.clicked.connect(self._choose_video)
        row.addWidget(self.video_button)
        self.folder_button = QPushButton(tr("Choose a folder of photos…"))
        self.folder_button.setProperty("primary", True)
        self.folder_button.clicked.connect(self._choose_folder)
        row.addWidget(self.folder_button)
        sample = self.manifest.sample_path()
        self.sample_button = QPushButton()
        if sample is not None and sample.exists():
            spec = samples_spec(sample)
            self.sample_button.setText(self._sample_text(spec))
            self.sample_button.clicked.connect(lambda: self.chosen.emit(spec))
        else:
            self.sample_button.hide()
        row.addWidget(self.sample_button)
        row.addStretch()
        return row

    @staticmethod
    def _sample_text(spec: SourceSpec) -> str:
        return tr("Show the sample video") if spec.kind == "video" else \
            tr("Show the sample photos")

    def show_problem(self, camera: bool, message: str) -> None:
        """Say why: no camera (``message`` is OpenCV's story) or the chosen source failed."""
        self.headline.setText(tr("No camera found") if camera else
                              tr("The chosen pictures cannot be shown"))
        self.problem.setText(message)
        self.problem.setVisible(not camera)  # the headline already says it

    def _choose_video(self) -> None:
        spec = choose_video(self, self._start_folder())
        if spec is not None:
            self.chosen.emit(spec)

    def _choose_folder(self) -> None:
        spec = choose_folder(self, self._start_folder())
        if spec is not None:
            self.chosen.emit(spec)

    def _start_folder(self) -> str:
        return str(Path.home())
