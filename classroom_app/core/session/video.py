"""The master teacher's picture: read once, sent to each classroom at the quality its link allows.

A :class:`SessionFeed` reads the camera (or a video file standing in for it) in its own
thread and keeps only the newest frame, as 640×480 ``av.VideoFrame``. Each classroom
gets an :class:`AdaptiveVideoTrack` on the feed; its :class:`Quality` level sets the
size and frame rate, down to "audio only", where no video is sent at all and the
class follows the lesson steps and the voice.
"""

from __future__ import annotations

import asyncio
import fractions
import threading
import time
from dataclasses import dataclass

import av
import cv2
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from classroom_app.core.vision.sources import FrameSource, SourceError

WIDTH, HEIGHT = 640, 480
CLOCK_RATE = 90000
TIME_BASE = fractions.Fraction(1, CLOCK_RATE)


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int

    @property
    def audio_only(self) -> bool:
        return self.fps == 0


LEVELS = (Quality("high", 640, 480, 25), Quality("medium", 480, 360, 15),
          Quality("low", 320, 240, 8), Quality("audio", 0, 0, 0))


def next_level(level: int, expected_fps: float, received_fps: float, loss: float,
               good_reports: int) -> int:
    """The level after one quality report from a classroom.

    Down one level when fewer than 60 % of the frames arrive or more than 8 % of the
    packets are lost; up one level after three good reports in a row. Never up from
    the last video level into more than the link proved it can carry.
    """
    if expected_fps > 0 and (received_fps < 0.6 * expected_fps or loss > 0.08):
        return min(level + 1, len(LEVELS) - 1)
    if good_reports >= 3 and level > 0:
        return level - 1
    return level


def _fit(image: np.ndarray) -> np.ndarray:
    if image.shape[1] != WIDTH or image.shape[0] != HEIGHT:
        image = cv2.resize(image, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(image)


def i420_frame(image: np.ndarray, width: int = WIDTH, height: int = HEIGHT) -> av.VideoFrame:
    """A new YUV 4:2:0 frame from a BGR image (the encoders' own format: no conversion later).

    Every consumer gets its own frame object: PyAV frames cache a converter that is
    not safe to share between the encoder threads of two classrooms.
    """
    if image.shape[1] != width or image.shape[0] != height:
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    yuv = np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)
    return av.VideoFrame.from_ndarray(yuv, format="yuv420p")


class SessionFeed:
    """The newest picture of a :class:`FrameSource` (640×480 BGR), for every classroom."""

    def __init__(self, source: FrameSource, fps: int = 25) -> None:
        self.source = source
        self.interval = 1.0 / fps
        self.error = ""
        self._frame: np.ndarray | None = None
        self._pts = 0
        self._number = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="session-video", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            try:
                image = self.source.read()
            except SourceError as error:
                self.error = str(error)
                return
            frame = _fit(image)
            pts = int((time.monotonic() - self._started) * CLOCK_RATE)
            with self._lock:
                self._frame, self._pts, self._number = frame, pts, self._number + 1
            next_at = max(next_at + self.interval, time.monotonic())
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def latest(self) -> tuple[int, np.ndarray | None, int]:
        """(frame number, BGR image, presentation time in 1/90000 s); the image is not
        changed later, so readers may use it without a copy."""
        with self._lock:
            return self._number, self._frame, self._pts

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.source.close()


class AdaptiveVideoTrack(MediaStreamTrack):
    """One classroom's video: the feed at this classroom's :class:`Quality`."""

    kind = "video"

    def __init__(self, feed: SessionFeed, level: int = 0) -> None:
        super().__init__()
        self.feed = feed
        self.level = level
        self.sent = 0
        self._last_number = 0
        self._next_at = 0.0

    @property
    def quality(self) -> Quality:
        return LEVELS[self.level]

    async def recv(self) -> av.VideoFrame:
        while True:
            if self.readyState != "live":
                raise MediaStreamError
            quality = self.quality
            now = time.monotonic()
            if quality.audio_only or now < self._next_at:
                await asyncio.sleep(0.2 if quality.audio_only else self._next_at - now)
                continue
            number, image, pts = self.feed.latest()
            if image is None or number == self._last_number:
                if not self.feed.running and image is None:
                    raise MediaStreamError
                await asyncio.sleep(0.01)
                continue
            self._last_number = number
            self._next_at = max(self._next_at + 1.0 / quality.fps, now - 0.5 / quality.fps)
            self.sent += 1
            frame = i420_frame(image, quality.width, quality.height)
            frame.pts, frame.time_base = pts, TIME_BASE
            return frame
