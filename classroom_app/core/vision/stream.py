"""Running a frame source through a processor, newest frame first.

:func:`run_stream` is the pure loop that a UI worker thread runs: it reads a frame,
processes it and publishes the result into a :class:`LatestSlot`, which holds one
result only. A consumer that falls behind sees the newest result; older ones are
dropped, never queued.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from classroom_app.core.vision.sources import FrameSource, SourceError

T = TypeVar("T")


class LatestSlot(Generic[T]):
    """A one-item mailbox: ``put`` replaces, ``take`` empties."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._item: T | None = None
        self.dropped = 0

    def put(self, item: T) -> bool:
        """Store ``item``; True if the slot was empty (the consumer needs a wake-up)."""
        with self._lock:
            was_empty = self._item is None
            if not was_empty:
                self.dropped += 1
            self._item = item
            return was_empty

    def take(self) -> T | None:
        with self._lock:
            item, self._item = self._item, None
            return item


@dataclass(frozen=True)
class FrameResult(Generic[T]):
    frame: np.ndarray
    result: T
    seconds: float  # processing time
    fps: float  # frames processed per second, smoothed


def run_stream(source: FrameSource, process: Callable[[np.ndarray], T],
               publish: Callable[[FrameResult[T]], None], stop: threading.Event,
               on_error: Callable[[str], None]) -> int:
    """Process frames until ``stop`` is set or the source fails; returns frames done."""
    count = 0
    fps = 0.0
    last = time.perf_counter()
    try:
        while not stop.is_set():
            frame = source.read()
            started = time.perf_counter()
            result = process(frame)
            now = time.perf_counter()
            instant = 1.0 / max(now - last, 1e-6)
            fps = instant if count == 0 else 0.9 * fps + 0.1 * instant
            last = now
            count += 1
            publish(FrameResult(frame, result, now - started, fps))
    except SourceError as error:
        on_error(str(error))
    finally:
        source.close()
    return count
