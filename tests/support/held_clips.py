"""Photos as a webcam shows them, written as short video clips: held up for a moment (the
frames one press of a collect button takes, nearly the same picture each), or panned
slowly past the camera."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from classroom_app.core.vision.sources import VideoFileSource

FPS = 7  # as the teach demo collects while its button is held


def held_clip(photo: Path, out: Path, frames: int = 8, seed: int = 0) -> Path:
    """Write an MJPG clip of ``photo`` held still by a hand that shakes a little."""
    picture = cv2.imread(str(photo))
    h, w = picture.shape[:2]
    rng = np.random.default_rng(seed)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (w, h))
    for _ in range(frames):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), rng.normal(0, 1.0),
                                         1 + rng.normal(0, 0.01))
        matrix[:, 2] += rng.normal(0, 0.01 * w, 2)
        frame = cv2.warpAffine(picture, matrix, (w, h), borderMode=cv2.BORDER_REFLECT)
        light = frame.astype(np.float32) * rng.normal(1, 0.02) + rng.normal(0, 2, frame.shape)
        writer.write(np.clip(light, 0, 255).astype(np.uint8))
    writer.release()
    return out


def panned_clip(photo: Path, out: Path, frames: int = 40) -> Path:
    """Write an MJPG clip of ``photo`` panned slowly, as a webcam pointed at it gives."""
    image = cv2.resize(cv2.imread(str(photo)), (640, 480))
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), 25, (640, 480))
    for i in range(frames):
        shift = np.float32([[1, 0, (i % 10) - 5], [0, 1, 0]])
        writer.write(cv2.warpAffine(image, shift, (640, 480), borderMode=cv2.BORDER_REFLECT))
    writer.release()
    return out


def clip_frames(clip: Path) -> list[np.ndarray]:
    """Every frame of ``clip``, in order, read as the demos read a video."""
    source = VideoFileSource(clip, loop=False, paced=False)
    frames = []
    try:
        while len(frames) < int(source.capture.get(cv2.CAP_PROP_FRAME_COUNT)):
            frames.append(source.read())
    finally:
        source.close()
    return frames
