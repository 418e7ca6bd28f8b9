"""A photo held up to a webcam for a moment, as a short video clip: the frames one press
of a collect button takes, nearly the same picture each (a little shake and noise)."""

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
