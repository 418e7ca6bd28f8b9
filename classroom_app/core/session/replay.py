"""Playing a recorded session offline: the master's video, the lesson following its log.

:class:`ReplayTimeline` is the pure part: which recorded commands are due at a given
point of the recording. :class:`ReplayPlayer` plays in real time in its own thread,
decoding the media with PyAV, applying each command when its time comes, and pausing
at every cue point ("quiz", "demo") until the local teacher continues.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import av
import numpy as np

from classroom_app.core.i18n import tr
from classroom_app.core.session.protocol import LessonState
from classroom_app.core.session.recording import RecordedEvent, Recording


class ReplayTimeline:
    """The recorded commands in order; hands out those due, stopping after each cue."""

    def __init__(self, events: tuple[RecordedEvent, ...]) -> None:
        self.events = events
        self.next = 0

    def due(self, position: float) -> list[RecordedEvent]:
        """Commands whose time has come; the list ends early at a cue point."""
        out: list[RecordedEvent] = []
        while self.next < len(self.events) and self.events[self.next].t <= position:
            event = self.events[self.next]
            self.next += 1
            out.append(event)
            if event.cue:
                break
        return out

    def state_at(self, position: float) -> LessonState:
        state = LessonState()
        for event in self.events:
            if event.t > position:
                break
            state = event.command.state
        return state

    @property
    def done(self) -> bool:
        return self.next >= len(self.events)


class ReplayPlayer:
    """Plays one recording; callbacks come from the player's thread."""

    def __init__(self, recording: Recording,
                 on_frame: Callable[[np.ndarray, float], None] | None = None,
                 on_event: Callable[[RecordedEvent, float], None] | None = None,
                 on_end: Callable[[str], None] | None = None,
                 on_audio: Callable[[av.AudioFrame], None] | None = None) -> None:
        self.recording = recording
        self.on_audio = on_audio
        self.timeline = ReplayTimeline(recording.events)
        self.on_frame, self.on_event, self.on_end = on_frame, on_event, on_end
        self.waiting_cue: RecordedEvent | None = None
        self._resume = threading.Event()
        self._resume.set()
        self._stop = threading.Event()
        self._paused_for = 0.0
        self._paused_at = 0.0
        self._pause_position = 0.0
        self._started = 0.0
        self._thread = threading.Thread(target=self._run, name="session-replay", daemon=True)

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread.start()

    @property
    def position(self) -> float:
        """Seconds into the recording (standing still while paused)."""
        if not self._started:
            return 0.0
        if not self._resume.is_set():
            return self._pause_position
        return time.monotonic() - self._started - self._paused_for

    def pause(self) -> None:
        if self._resume.is_set():
            self._pause_position = self.position
            self._paused_at = time.monotonic()
            self._resume.clear()

    def resume(self) -> None:
        """Go on (after a cue, or after the local teacher paused)."""
        if not self._resume.is_set():
            self._paused_for += time.monotonic() - self._paused_at
            self.waiting_cue = None
            self._resume.set()

    @property
    def paused(self) -> bool:
        return not self._resume.is_set()

    def stop(self) -> None:
        self._stop.set()
        self._resume.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        message = ""
        try:
            if self.recording.media is not None:
                self._play_media()
            self._play_rest()
        except (av.FFmpegError, OSError) as error:
            message = tr("The recording's video cannot be played: {error}").format(error=error)
        if self.on_end is not None and not self._stop.is_set():
            self.on_end(message)

    def _play_media(self) -> None:
        assert self.recording.media is not None
        with av.open(str(self.recording.media)) as container:
            streams = [*container.streams.video[:1], *container.streams.audio[:1]]
            if not streams:
                return
            for stream in streams:
                stream.codec_context.thread_type = "AUTO"
            for packet in container.demux(*streams):
                for frame in packet.decode():
                    if not isinstance(frame, av.VideoFrame | av.AudioFrame) or frame.time is None:
                        continue
                    if not self._wait_until(float(frame.time)):
                        return
                    self._deliver(frame)

    def _deliver(self, frame: av.VideoFrame | av.AudioFrame) -> None:
        if isinstance(frame, av.VideoFrame):
            if self.on_frame is not None:
                self.on_frame(frame.to_ndarray(format="bgr24"), float(frame.time or 0))
        elif self.on_audio is not None:
            self.on_audio(frame)

    def _play_rest(self) -> None:
        """Commands after the last frame (or all of them, for a recording without video)."""
        end = max(self.recording.duration, self.timeline.events[-1].t
                  if self.timeline.events else 0.0)
        self._wait_until(end)

    def _wait_until(self, target: float) -> bool:
        """Sleep until ``target`` seconds into the recording, firing commands on the way."""
        while not self._stop.is_set():
            self._resume.wait()
            if self._stop.is_set():
                return False
            position = self.position
            for event in self.timeline.due(min(position, target)):
                if self.on_event is not None:
                    self.on_event(event, position)
                if event.cue:
                    self.waiting_cue = event
                    self.pause()
            if self.paused:
                continue
            if position >= target:
                return True
            time.sleep(min(0.02, target - position))
        return False
