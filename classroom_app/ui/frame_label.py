"""Shows camera frames (BGR numpy arrays) scaled to fit, or a message instead."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def to_qimage(frame: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(frame[:, :, ::-1]) if frame.ndim == 3 else frame
    height, width = rgb.shape[:2]
    fmt = QImage.Format.Format_RGB888 if rgb.ndim == 3 else QImage.Format.Format_Grayscale8
    return QImage(rgb.data, width, height, rgb.strides[0], fmt).copy()


class FrameLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setWordWrap(True)
        self.setStyleSheet("background: #1a1a1a; color: #f0f0f0; font-size: 130%;")

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        """No: a word-wrapped label would ask for the picture's height at its width and
        push the demo's buttons below a small screen; the picture is scaled to fit."""
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The minimum: the picture takes whatever room is left (it expands), rather than
        asking for the size of the last frame, which was scaled to the room it had."""
        return self.minimumSize()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def show_frame(self, frame: np.ndarray) -> None:
        pixmap = QPixmap.fromImage(to_qimage(frame))
        self.setPixmap(pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation))

    def show_message(self, text: str) -> None:
        self.clear()
        self.setText(text)
