"""A recorded session: the master's video (and voice) plus a timestamped log of the lesson.

A recording is a folder, kept under ``recordings/<name>/`` of its lesson pack so it
travels with the pack (folder or .zip)::

    recording.json   lesson id, when, how long, which media file
    events.jsonl     one lesson command per line: {"t": seconds, "seq", "op", "value", "state"}
    media.mp4        H.264 video (and AAC voice when a microphone was recorded)

Replaying follows ``events.jsonl`` against the media clock; every "quiz" and "demo"
command is a cue point where the replay pauses for the local class's activity.
"""

from __future__ import annotations

import fractions
import json
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import av

from classroom_app.core.i18n import tr
from classroom_app.core.session.protocol import (
    Command,
    LessonState,
    ProtocolError,
    command_from,
)
from classroom_app.core.session.video import SessionFeed, i420_frame

if TYPE_CHECKING:  # aiortc loads only with a session
    from aiortc.mediastreams import MediaStreamTrack

MANIFEST = "recording.json"
EVENTS = "events.jsonl"
MEDIA = "media.mp4"
CUE_OPS = ("quiz", "demo")
RECORD_FPS = 15
_MS = fractions.Fraction(1, 1000)


class RecordingError(Exception):
    """A recording that cannot be replayed; the message says why."""


@dataclass(frozen=True)
class RecordedEvent:
    t: float
    command: Command

    @property
    def cue(self) -> bool:
        return self.command.op in CUE_OPS


@dataclass(frozen=True)
class Recording:
    folder: Path
    lesson: str
    title: str
    created: str
    duration: float
    events: tuple[RecordedEvent, ...]
    media: Path | None

    @property
    def name(self) -> str:
        return self.folder.name


class SessionRecorder:
    """Writes a session to a folder while it runs; encoding happens in its own thread."""

    def __init__(self, folder: Path, lesson: str, title: str = "",
                 with_audio: bool = False) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / MANIFEST).exists():
            raise RecordingError(tr("'{path}' already holds a recording.").format(path=folder))
        self.folder, self.lesson, self.title = folder, lesson, title
        self.started = 0.0
        self.frames = 0
        self._events = (folder / EVENTS).open("w", encoding="utf-8")
        self._queue: queue.Queue = queue.Queue(maxsize=60)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.with_audio = with_audio

    def start(self, feed: SessionFeed | None, state: LessonState) -> None:
        self.started = time.monotonic()
        self._write_manifest(0.0)
        self.event(Command(0, "step", state.step, state, time.time()))
        if feed is not None:
            self._thread = threading.Thread(target=self._encode, args=(feed,),
                                            name="session-recorder", daemon=True)
            self._thread.start()

    def now(self) -> float:
        return time.monotonic() - self.started

    def event(self, command: Command) -> None:
        line = {"t": round(self.now(), 3), **command.to_message()}
        self._events.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._events.flush()  # a killed master keeps every command up to now

    async def pull_audio(self, track: MediaStreamTrack) -> None:
        """Queue the microphone's frames for the file (runs on the session's loop)."""
        while not self._stop.is_set():
            frame = await track.recv()
            with _suppress_full():
                self._queue.put_nowait(("audio", frame, self.now()))

    def _encode(self, feed: SessionFeed) -> None:
        container = av.open(str(self.folder / MEDIA), "w")
        video = container.add_stream("libx264", rate=RECORD_FPS,
                                     options={"preset": "veryfast", "crf": "28"})
        video.width, video.height, video.pix_fmt = 640, 480, "yuv420p"
        video.codec_context.time_base = _MS
        audio = container.add_stream("aac", rate=48000) if self.with_audio else None
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        last_number, next_at, last_pts = 0, 0.0, -1
        try:
            while not self._stop.is_set():
                number, bgr, _pts = feed.latest()
                now = self.now()
                if bgr is not None and number != last_number and now >= next_at:
                    last_number, next_at = number, now + 1 / RECORD_FPS
                    pts = max(last_pts + 1, int(now * 1000))
                    last_pts = pts
                    image = i420_frame(bgr)
                    image.pts, image.time_base = pts, _MS
                    for packet in video.encode(image):
                        container.mux(packet)
                    self.frames += 1
                self._drain_audio(container, audio, resampler)
                time.sleep(0.005)
            for packet in video.encode(None):
                container.mux(packet)
            if audio is not None:
                for packet in audio.encode(None):
                    container.mux(packet)
        finally:
            container.close()

    def _drain_audio(self, container: av.container.OutputContainer,
                     stream: av.AudioStream | None, resampler: av.AudioResampler) -> None:
        while True:
            try:
                _kind, frame, _at = self._queue.get_nowait()
            except queue.Empty:
                return
            if stream is None:
                continue
            frame.pts = None
            for converted in resampler.resample(frame):
                for packet in stream.encode(converted):
                    container.mux(packet)

    def close(self) -> None:
        """Finish the files; safe to call twice."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._events.close()
        self._write_manifest(self.now())

    def _write_manifest(self, duration: float) -> None:
        manifest = {"format": 1, "lesson": self.lesson, "title": self.title,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "duration": round(duration, 3),
                    "media": MEDIA if self._thread is not None else None}
        path = self.folder / MANIFEST
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                             encoding="utf-8")
        temporary.replace(path)


class _suppress_full:  # noqa: N801 - used as a statement
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, *_: object) -> bool:
        return kind is queue.Full


def load_recording(folder: Path) -> Recording:
    """Read and check a recording folder; raise :class:`RecordingError` with the reason."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        lesson = str(manifest["lesson"])
    except FileNotFoundError:
        raise RecordingError(tr("'{name}' is not a recording (no recording.json).")
                             .format(name=folder.name)) from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise RecordingError(tr("The recording '{name}' is damaged (recording.json).")
                             .format(name=folder.name)) from None
    events = _read_events(folder)
    media_name = manifest.get("media")
    media = folder / str(media_name) if media_name else None
    if media is not None and (media.parent != folder or not media.is_file()):
        raise RecordingError(tr("The recording '{name}' lacks its media file.")
                             .format(name=folder.name))
    duration = float(manifest.get("duration") or 0) or (events[-1].t if events else 0.0)
    return Recording(folder, lesson, str(manifest.get("title", "")),
                     str(manifest.get("created", "")), duration, events, media)


def _read_events(folder: Path) -> tuple[RecordedEvent, ...]:
    events: list[RecordedEvent] = []
    try:
        lines = (folder / EVENTS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise RecordingError(tr("The recording '{name}' lacks its lesson log.")
                             .format(name=folder.name)) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            events.append(RecordedEvent(float(data["t"]), command_from(data)))
        except (ValueError, KeyError, TypeError, ProtocolError):
            if number == len(lines):  # the master was stopped mid-line: keep the rest
                break
            raise RecordingError(tr("The recording '{name}' is damaged (line {line} of the "
                                    "lesson log).").format(name=folder.name,
                                                           line=number)) from None
    events.sort(key=lambda e: e.t)
    return tuple(events)


def lesson_recordings(lesson_path: Path) -> tuple[list[Recording], list[str]]:
    """The recordings that travel with a lesson pack, and why any could not be read."""
    found: list[Recording] = []
    problems: list[str] = []
    folder = lesson_path / "recordings"
    if not folder.is_dir():
        return found, problems
    for child in sorted(p for p in folder.iterdir() if p.is_dir()):
        try:
            found.append(load_recording(child))
        except RecordingError as error:
            problems.append(str(error))
    return found, problems
