"""Carries what a session's loop thread hears over to the GUI thread, as Qt signals.

Callbacks run on the session loop (or the replay thread); they only store and emit.
Video frames are latest-wins: a slow PC shows fewer frames, it never falls behind.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QObject, Signal


class SessionBridge(QObject):
    frame_ready = Signal()
    state_changed = Signal(object, object)  # LessonState, Command | None
    status_changed = Signal(str, str)  # status, detail
    classrooms_changed = Signal(list)  # list[ClassroomStatus]
    event = Signal(object, float)  # RecordedEvent, position (replay)
    ended = Signal(str)  # replay finished; a message if it failed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._pending = False

    # -- called from other threads ------------------------------------------------------
    def put_frame(self, image: np.ndarray) -> None:
        with self._lock:
            self._frame = image
            if self._pending:
                return
            self._pending = True
        self.frame_ready.emit()

    def put_video_frame(self, frame: object) -> None:
        """An ``av.VideoFrame`` from WebRTC, converted on the loop thread."""
        self.put_frame(frame.to_ndarray(format="bgr24"))  # type: ignore[attr-defined]

    # -- called on the GUI thread --------------------------------------------------------
    def take_frame(self) -> np.ndarray | None:
        with self._lock:
            frame, self._frame, self._pending = self._frame, None, False
        return frame
