"""Live face detection: a box around every face the Haar cascade finds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from classroom_app.core.i18n import tr
from classroom_app.core.vision.faces import FaceDetector, draw_faces
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui.frame_label import FrameLabel
from classroom_app.ui.workers import FrameWorker, LiveFeed


class FaceDetectionView(QWidget):
    failed = Signal(str)
    frame_shown = Signal(int)  # faces in the frame just shown

    def __init__(self, params: dict, session: object = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detector = FaceDetector()
        self.feed = LiveFeed(self.detector.detect, self._show, self._failed, self)
        self.frozen = False
        layout = QVBoxLayout(self)
        self.picture = FrameLabel()
        layout.addWidget(self.picture, 1)
        row = QHBoxLayout()
        self.count = QLabel()
        self.count.setProperty("role", "title")
        self.rate = QLabel()
        self.freeze_button = QPushButton(tr("Freeze"))
        self.freeze_button.setCheckable(True)
        self.freeze_button.toggled.connect(self._freeze)
        row.addWidget(self.count, 1)
        row.addWidget(self.rate)
        row.addWidget(self.freeze_button)
        layout.addLayout(row)

    def start(self, spec: SourceSpec) -> None:
        self.picture.show_message(tr("Starting {source}…").format(source=spec.describe()))
        self.feed.start(spec)

    @property
    def worker(self) -> FrameWorker | None:
        return self.feed.worker

    def _show(self, result: FrameResult) -> None:
        if self.frozen:
            return
        faces = result.result
        self.picture.show_frame(draw_faces(result.frame, faces))
        self.count.setText(tr("Faces found: {count}").format(count=len(faces)))
        self.rate.setText(tr("{fps:.0f} pictures per second").format(fps=result.fps))
        self.frame_shown.emit(len(faces))

    def _failed(self, message: str) -> None:
        self.picture.show_message(message)
        self.failed.emit(message)

    def _freeze(self, frozen: bool) -> None:
        self.frozen = frozen
        self.freeze_button.setText(tr("Continue") if frozen else tr("Freeze"))

    def stop(self) -> None:
        self.feed.stop()
