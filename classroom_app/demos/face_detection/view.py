"""Live face detection: a box around every face the Haar cascade finds."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from classroom_app.core.i18n import tr
from classroom_app.core.vision.faces import Face, FaceDetector, draw_faces
from classroom_app.core.vision.stream import FrameResult
from classroom_app.ui.demos.demo_view import CameraDemoView
from classroom_app.ui.demos.session import DemoSession


class FaceDetectionView(CameraDemoView):
    frame_shown = Signal(int)  # faces in the frame just shown

    def __init__(self, params: dict, session: DemoSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.detector = FaceDetector()
        self.frozen = False
        layout = QVBoxLayout(self)
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

    def process(self, frame: np.ndarray) -> list[Face]:
        return self.detector.detect(frame)

    def show_result(self, result: FrameResult) -> None:
        if self.frozen:
            return
        faces = result.result
        self.picture.show_frame(draw_faces(result.frame, faces))
        self.count.setText(tr("Faces found: {count}").format(count=len(faces)))
        self.rate.setText(tr("{fps:.0f} pictures per second").format(fps=result.fps))
        self.frame_shown.emit(len(faces))

    def _freeze(self, frozen: bool) -> None:
        self.frozen = frozen
        self.freeze_button.setText(tr("Continue") if frozen else tr("Freeze"))
