"""Live face detection: a box around every face the Haar cascade finds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from classroom_app.core.i18n import tr
from classroom_app.core.vision.faces import FaceDetector, draw_faces
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.frame_label import FrameLabel
from classroom_app.ui.workers import FrameWorker


class FaceDetectionView(QWidget):
    failed = Signal(str)
    frame_shown = Signal(int)  # faces in the frame just shown

    def __init__(self, params: dict, session: object = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detector = FaceDetector()
        self.worker: FrameWorker | None = None
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
        self.stop()
        self.picture.show_message(tr("Starting {source}…").format(source=spec.describe()))
        worker = FrameWorker(spec, self.detector.detect, self)
        # Signals a stopped worker queued before it ended must not reach the view.
        worker.ready.connect(lambda w=worker: self._show(w))
        worker.failed.connect(lambda message, w=worker: self._failed(w, message))
        self.worker = worker
        worker.start()

    def _show(self, worker: FrameWorker) -> None:
        if worker is not self.worker:
            return
        result = worker.take()
        if result is None or self.frozen:
            return
        faces = result.result
        self.picture.show_frame(draw_faces(result.frame, faces))
        self.count.setText(tr("Faces found: {count}").format(count=len(faces)))
        self.rate.setText(tr("{fps:.0f} pictures per second").format(fps=result.fps))
        self.frame_shown.emit(len(faces))

    def _failed(self, worker: FrameWorker, message: str) -> None:
        if worker is not self.worker:
            return
        self.picture.show_message(message)
        self.failed.emit(message)

    def _freeze(self, frozen: bool) -> None:
        self.frozen = frozen
        self.freeze_button.setText(tr("Continue") if frozen else tr("Freeze"))

    def stop(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
