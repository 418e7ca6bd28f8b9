"""Face detection with the Haar cascade that opencv-python ships.

Detection runs on a half-size grey copy with equalised histogram: at 640x480 that is
several times faster than full size and still finds faces a metre or two away, which is
what a classroom demo needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from classroom_app.core.i18n import tr

CASCADE_FILE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class Face:
    x: int
    y: int
    w: int
    h: int


class FaceDetector:
    """``neighbours``: how many overlapping hits make a face (more: fewer false faces);
    ``step``: the size ratio between the scales searched (smaller: finer, slower)."""

    def __init__(self, work_width: int = 320, min_face: int = 24, neighbours: int = 5,
                 step: float = 1.15) -> None:
        # cv2.data is there at runtime; OpenCV's type stubs leave it out.
        path = Path(cv2.data.haarcascades) / CASCADE_FILE  # type: ignore[attr-defined]
        self.cascade = cv2.CascadeClassifier(str(path))
        if self.cascade.empty():
            raise RuntimeError(tr("The face model '{name}' is missing from OpenCV.")
                               .format(name=CASCADE_FILE))
        self.work_width = work_width
        self.min_face = min_face
        self.neighbours = neighbours
        self.step = step

    def detect(self, frame: np.ndarray) -> list[Face]:
        """Faces in a BGR (or grey) frame, in the frame's own pixel coordinates."""
        return self.detect_scaled(frame, min(1.0, self.work_width / frame.shape[1]))

    def detect_scaled(self, frame: np.ndarray, scale: float) -> list[Face]:
        """Faces in ``frame`` searched on a copy ``scale`` times its size (at most 1)."""
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        scale = min(1.0, scale)
        if scale < 1.0:
            grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        grey = cv2.equalizeHist(grey)
        found = self.cascade.detectMultiScale(grey, scaleFactor=self.step,
                                              minNeighbors=self.neighbours,
                                              minSize=(self.min_face, self.min_face))
        return [Face(*(int(round(v / scale)) for v in box)) for box in found]


def draw_faces(frame: np.ndarray, faces: list[Face]) -> np.ndarray:
    """A copy of ``frame`` with a box around each face."""
    out = frame.copy()
    thickness = max(2, frame.shape[1] // 200)
    for face in faces:
        cv2.rectangle(out, (face.x, face.y), (face.x + face.w, face.y + face.h),
                      (60, 220, 60), thickness)
    return out
