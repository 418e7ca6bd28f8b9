"""Whether a person fills the picture the image model sees: ImageNet has no "person" class.

A frontal face whose width is at least :data:`FACE_SHARE` of the side of the model's
square (the centre crop it is given) means a person fills the picture: then the model
can only name clothes or things nearby. On the shared test photos the people photos
give 0.23 to 0.69 and the object photos none at all (numbers and how they were measured:
tests/core/test_person.py). The square is searched at :data:`WORK_SIDE` pixels for
faces no smaller than the rule needs; still, a search costs two to three times the
classification (benchmarks/vision.py), so a live stream searches at most every
:data:`RECHECK_SECONDS` and keeps the last answer in between.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from classroom_app.core.vision import imagenet
from classroom_app.core.vision.faces import Face, FaceDetector

FACE_SHARE = 0.2  # about a metre from a webcam, or nearer
WORK_SIDE = 160
# Strict enough to drop the weak false faces the cascade finds in a few object photos
# (5 or 6 overlapping hits); real faces that size get 8 or more.
NEIGHBOURS = 8
STEP = 1.1
RECHECK_SECONDS = 0.2  # people do not come and go faster than that


class PersonCheck:
    """Finds a face big enough to fill the model's picture; safe to share between
    threads (the cascade is not, so one search runs at a time)."""

    def __init__(self, recheck_seconds: float = RECHECK_SECONDS) -> None:
        smallest = int(FACE_SHARE * WORK_SIDE / 1.2)  # a little below the rule, for jitter
        self.detector = FaceDetector(min_face=smallest, neighbours=NEIGHBOURS, step=STEP)
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._last: tuple[float, bool] | None = None  # when, and the answer

    def face_share(self, frame: np.ndarray) -> float:
        """The widest face centred in the model's square, as a share of its side (0: none)."""
        side = imagenet.centre_side(frame)
        with self._lock:
            faces = self.detector.detect_scaled(frame, WORK_SIDE / side)
        inside = [f for f in faces if _centred_in_square(f, frame, side)]
        return max((f.w / side for f in inside), default=0.0)

    def fills(self, frame: np.ndarray) -> bool:
        """True if a person fills the picture the model sees; within ``recheck_seconds``
        of the last search, that search's answer."""
        now = time.monotonic()
        last = self._last
        if last is not None and now - last[0] < self.recheck_seconds:
            return last[1]
        answer = self.face_share(frame) >= FACE_SHARE
        self._last = (now, answer)
        return answer

    def forget(self) -> None:
        """Search on the next frame: the picture changed (another source)."""
        self._last = None


def _centred_in_square(face: Face, frame: np.ndarray, side: int) -> bool:
    h, w = frame.shape[:2]
    top, left = (h - side) // 2, (w - side) // 2
    x, y = face.x + face.w / 2, face.y + face.h / 2
    return left <= x <= left + side and top <= y <= top + side
