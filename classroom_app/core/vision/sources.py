"""Interchangeable frame sources: a webcam, a video file, or a folder of images.

A classroom without a camera, and every test, goes through the same code path as a
webcam. Frames are BGR ``numpy`` arrays as OpenCV gives them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from classroom_app.core import paths
from classroom_app.core.i18n import tr

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mkv", ".mov", ".webm")


class SourceError(Exception):
    """The source cannot deliver frames; the message says what to do."""


class FrameSource(Protocol):
    def read(self) -> np.ndarray:
        """The next frame; raises SourceError when the source is gone."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SourceSpec:
    kind: str  # "camera" | "video" | "images"
    target: str  # camera index, or a path

    def describe(self) -> str:
        """What the pupils are looking at, truthfully: the camera, the shipped samples,
        or the chosen file's or folder's own name."""
        if self.kind == "camera":
            return tr("Camera {index}").format(index=self.target)
        if self.is_sample():
            return tr("Sample video") if self.kind == "video" else tr("Sample photos")
        return Path(self.target).name

    def is_sample(self) -> bool:
        """Whether this is media the app ships (assets/samples), not the school's own."""
        if self.kind == "camera":
            return False
        try:
            Path(self.target).resolve().relative_to(paths.sample_images_dir().resolve())
        except ValueError:
            return False
        return True

    def exists(self) -> bool:
        """A camera is looked for when opened; a file or folder must still be there."""
        return self.kind == "camera" or Path(self.target).exists()

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "target": self.target}

    @classmethod
    def from_dict(cls, data: object) -> SourceSpec | None:
        """The spec saved by :meth:`to_dict`; None for anything else (a hand-edited file)."""
        if not isinstance(data, dict):
            return None
        kind, target = data.get("kind"), data.get("target")
        if kind not in ("camera", "video", "images") or not isinstance(target, str):
            return None
        return cls(kind, target)


def samples_spec(path: Path) -> SourceSpec:
    """A shipped sample (or any path) as a source: a video file, or photos."""
    return SourceSpec("video" if path.suffix.lower() in VIDEO_SUFFIXES else "images", str(path))


class CameraSource:
    def __init__(self, index: int, width: int = 640, height: int = 480) -> None:
        self.capture = cv2.VideoCapture(index)
        if not self.capture.isOpened():
            self.capture.release()
            raise SourceError(tr("No camera found. Plug in a camera, or choose sample photos "
                                 "or a video instead."))
        self.capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        self.capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        # One buffered frame at most: the newest frame wins, stale ones are dropped.
        self.capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)

    def read(self) -> np.ndarray:
        ok, frame = self.capture.read()
        if not ok or frame is None:
            raise SourceError(tr("The camera stopped sending pictures. Is it still plugged in?"))
        return frame

    def close(self) -> None:
        self.capture.release()


class VideoFileSource:
    """Plays a video at its own frame rate, looping, as a camera would deliver it."""

    def __init__(self, path: Path, loop: bool = True, paced: bool = True) -> None:
        self.path = path
        self.capture = cv2.VideoCapture(str(path))
        if not self.capture.isOpened():
            raise SourceError(tr("Cannot open the video '{name}'.").format(name=path.name))
        fps = self.capture.get(cv2.CAP_PROP_FPS) or 25.0
        self.interval = 1.0 / fps if paced and 1 <= fps <= 120 else 0.0
        self.loop = loop
        self._next = time.monotonic()

    def read(self) -> np.ndarray:
        if self.interval:
            delay = self._next - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._next = max(self._next + self.interval, time.monotonic())
        ok, frame = self.capture.read()
        if not ok and self.loop:
            self.capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self.capture.read()
        if not ok or frame is None:
            raise SourceError(tr("The video '{name}' has ended or cannot be read.")
                              .format(name=self.path.name))
        return frame

    def close(self) -> None:
        self.capture.release()


class ImageFolderSource:
    """Shows each readable image in a folder (or one image) for ``interval`` seconds."""

    def __init__(self, path: Path, interval: float = 2.0, paced: bool = True) -> None:
        if path.is_file():
            files = [path]
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            files = []
        self.frames = [f for f in (_read(p) for p in files) if f is not None]
        if not self.frames:
            raise SourceError(tr("No readable pictures in '{name}'.").format(name=path.name))
        self.interval = interval if paced else 0.0
        self.index = 0
        self._shown = time.monotonic()
        self._pace = 1 / 30 if paced else 0.0

    def read(self) -> np.ndarray:
        if self._pace:
            time.sleep(self._pace)
        if self.interval and time.monotonic() - self._shown >= self.interval:
            self.index = (self.index + 1) % len(self.frames)
            self._shown = time.monotonic()
        elif not self.interval:
            self.index = (self.index + 1) % len(self.frames)
        return self.frames[self.index]

    def close(self) -> None:
        self.frames = []


def _read(path: Path) -> np.ndarray | None:
    """A picture, also at a Chinese path on Windows (where cv2.imread fails on one)."""
    try:
        data = np.fromfile(str(path), np.uint8)
    except OSError:
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None


def open_source(spec: SourceSpec, paced: bool = True) -> FrameSource:
    if spec.kind == "camera":
        return CameraSource(int(spec.target))
    path = Path(spec.target)
    if not path.exists():
        raise SourceError(tr("'{name}' does not exist.").format(name=path.name))
    if spec.kind == "video":
        return VideoFileSource(path, paced=paced)
    return ImageFolderSource(path, paced=paced)
