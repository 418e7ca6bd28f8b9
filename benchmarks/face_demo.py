"""Frames per second of the face detection demo's pipeline on 640x480 frames.

Runs the same loop the demo's worker thread runs (``run_stream``): detect faces, draw
the boxes, convert to RGB for display, over the shipped sample photos (and the shared
test faces when present) resized to 640x480. Prints ``face_demo_fps``; target >= 25.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
from loop_source import LoopSource  # benchmarks/ is on sys.path when run as a script

from classroom_app.core import paths
from classroom_app.core.vision.faces import FaceDetector, draw_faces
from classroom_app.core.vision.stream import run_stream

FRAMES = 300
SHARED_FACES = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "faces"


def main() -> None:
    files = sorted(paths.sample_images_dir().glob("*.jpg"))
    if SHARED_FACES.is_dir():
        files += sorted(SHARED_FACES.iterdir())
    frames = [cv2.resize(cv2.imread(str(f)), (640, 480)) for f in files]
    detector = FaceDetector()

    def process(frame: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(draw_faces(frame, detector.detect(frame))[:, :, ::-1])

    started = time.perf_counter()
    done = run_stream(LoopSource(frames, FRAMES), process, lambda r: None, threading.Event(),
                      lambda e: None)
    elapsed = time.perf_counter() - started
    print(f"face_demo_fps {done / elapsed:.1f} fps")


if __name__ == "__main__":
    main()
