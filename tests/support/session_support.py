"""What the live-session tests share: a test video, real peers on loopback, polling helpers
and the ``classroom`` command line as a running process. (A module of its own, imported as
``from support.session_support import ...``, like sync_support.)"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import av
import cv2
import numpy as np

from classroom_app.core.session.client import SessionClient
from classroom_app.core.session.host import SessionHost
from classroom_app.core.session.recording import SessionRecorder
from classroom_app.core.session.video import SessionFeed
from classroom_app.core.vision.sources import VideoFileSource

__all__ = ["LESSON", "ROOT", "Live", "Running", "free_port", "live_session", "make_video",
           "poll", "wait_for"]

ROOT = Path(__file__).resolve().parents[2]
LESSON = "p1-how-computers-see"


def make_video(path: Path, seconds: float = 3.0, fps: int = 25) -> Path:
    """A 640×480 H.264 file with a moving square, standing in for the master's camera."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for i in range(int(seconds * fps)):
            image = np.full((480, 640, 3), (i * 3) % 255, np.uint8)
            x = i * 8 % 600
            cv2.rectangle(image, (x, 200), (x + 40, 240), (0, 0, 255), -1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


async def wait_for(predicate: Callable[[], object], timeout: float = 5.0,
                   what: str = "the condition") -> None:
    """Poll ``predicate`` on the running loop until it holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


def poll(predicate: Callable[[], object], timeout: float = 5.0,
         what: str = "the condition") -> None:
    """:func:`wait_for` for code outside a loop (threads, other processes)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def free_port() -> int:
    """A loopback port where nothing listens (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Live:
    """A running host on loopback and the classrooms that joined it."""

    host: SessionHost
    url: str
    clients: list[SessionClient] = field(default_factory=list)
    tasks: list[asyncio.Task] = field(default_factory=list)

    def join(self, name: str, code: str | None = None, **callbacks: object) -> SessionClient:
        client = SessionClient(self.url, self.host.code if code is None else code, name,
                               **callbacks)  # type: ignore[arg-type]
        self.clients.append(client)
        self.tasks.append(asyncio.ensure_future(client.run()))
        return client

    async def connected(self, timeout: float = 5.0) -> None:
        await wait_for(lambda: all(c.status == "connected" for c in self.clients), timeout,
                       "every classroom to connect")

    def peer(self, client: SessionClient):
        return self.host.peers[client.classroom]

    def status(self, client: SessionClient):
        return next((s for s in self.host.snapshot() if s.id == client.classroom), None)


@asynccontextmanager
async def live_session(video: Path | None = None, audio: object | None = None,
                       recorder: SessionRecorder | None = None,
                       code: str | None = None) -> AsyncIterator[Live]:
    feed = SessionFeed(VideoFileSource(video)) if video is not None else None
    host = SessionHost(LESSON, code=code, feed=feed, audio=audio,  # type: ignore[arg-type]
                       title="How computers see", recorder=recorder)
    url = await host.start("127.0.0.1", 0)
    live = Live(host, url)
    try:
        yield live
    finally:
        for client in live.clients:
            await client.stop()
        if live.tasks:
            await asyncio.wait(live.tasks, timeout=6)
        for task in live.tasks:
            task.cancel()
        await host.stop()
        if feed is not None:
            feed.close()


class Running:
    """``python -m classroom_app.cli ...`` as a process whose output lines can be awaited."""

    def __init__(self, *args: str, data_dir: Path) -> None:
        env = {**os.environ, "CLASSROOM_DATA_DIR": str(data_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "classroom_app.cli", "--lang", "en", *args], cwd=ROOT,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def expect(self, pattern: str, timeout: float = 10.0) -> re.Match[str]:
        """The first new output line matching ``pattern`` (a regular expression)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(0.01, left))
            except queue.Empty:
                line = ""
            if line is None:
                raise AssertionError(f"the process ended without {pattern!r}:\n" + self.output)
            if line:
                self.lines.append(line)
                match = re.search(pattern, line)
                if match:
                    return match
            if time.monotonic() > deadline:
                raise AssertionError(f"no {pattern!r} within {timeout} s:\n" + self.output)

    @property
    def output(self) -> str:
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return "\n".join(self.lines)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self, timeout: float = 15.0) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"still running after {timeout} s:\n" + self.output) from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
