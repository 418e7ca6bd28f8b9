"""Live-session figures, one line each (`name value unit`):

- session_connect_s: median over 3 joins of the time from starting a classroom
  (SessionClient) to its data channel being open (status "connected");
- session_video_fps: frames per second received at a classroom (the slower of two
  connected at once), 640×480, over 8 s;
- session_command_latency_ms: median over 50 typed steps of the time from the master
  sending a command to a classroom applying it (ClientStats.latencies_ms);
- session_cpu_percent_host: CPU time of the master's process (`classroom session host`,
  a process of its own) over the 8 s while two classrooms receive, in % of one core.

Everything runs on loopback on this machine; the classrooms run in this process.
Targets: connect < 3 s, video ≥ 20 fps, latency < 150 ms.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="session-bench-"))
os.environ["CLASSROOM_DATA_DIR"] = str(WORK / "data")

import av  # noqa: E402
import cv2  # noqa: E402
import numpy as np  # noqa: E402

from classroom_app.core.session.client import SessionClient  # noqa: E402

JOINS = 3
WINDOW_S = 8.0
COMMANDS = 50


def make_video(path: Path, seconds: float = 4.0, fps: int = 25) -> Path:
    """A 640×480 H.264 test video with a moving square (the master's camera)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for i in range(int(seconds * fps)):
            image = np.full((480, 640, 3), (i * 3) % 255, np.uint8)
            cv2.rectangle(image, (i * 8 % 600, 200), (i * 8 % 600 + 40, 240), (0, 0, 255), -1)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


class HostProcess:
    """`classroom session host` in its own process, steered through its stdin."""

    def __init__(self, video: Path) -> None:
        script = Path(sys.executable).parent / "classroom"
        command = [str(script)] if script.exists() else [sys.executable, "-m",
                                                         "classroom_app.cli"]
        self.process = subprocess.Popen(
            [*command, "--lang", "en", "session", "host", "--video", str(video), "--port", "0",
             "--no-mic", "--no-announce"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1, cwd=ROOT)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._expect(r"http://127\.0\.0\.1:\d+/\?code=\w+")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def _expect(self, pattern: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            match = re.search(pattern, line)
            if match:
                return match.group(0)
        raise SystemExit(f"the session host did not print {pattern!r}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def cpu_seconds(self) -> float:
        try:
            import psutil
        except ImportError:  # user + system time from /proc, in clock ticks
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        self.send("quit")
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def connect_s(url: str, run: int) -> float:
    connected: list[float] = []
    client = SessionClient(url, "", f"bench-join-{run}",
                           on_status=lambda status, _detail: connected.append(
                               time.perf_counter()) if status == "connected" else None)
    started = time.perf_counter()
    task = asyncio.ensure_future(client.run())
    await until(lambda: connected, 20, "a classroom to connect")
    seconds = connected[0] - started
    await client.stop()
    await asyncio.wait_for(task, 10)
    return seconds


async def measure(host: HostProcess) -> None:
    joins = []
    for run in range(JOINS):
        joins.append(await connect_s(host.url, run))
        await asyncio.sleep(0.5)
    print(f"session_connect_s {median(joins):.3f} s", flush=True)

    rooms = [SessionClient(host.url, "", f"bench-room-{n}") for n in range(2)]
    tasks = [asyncio.ensure_future(room.run()) for room in rooms]
    await until(lambda: all(r.stats.frames > 25 for r in rooms), 20, "video at both rooms")
    await asyncio.sleep(2.0)  # past the first adaptation reports
    frames = [room.stats.frames for room in rooms]
    cpu, started = host.cpu_seconds(), time.perf_counter()
    await asyncio.sleep(WINDOW_S)
    cpu, seconds = host.cpu_seconds() - cpu, time.perf_counter() - started
    fps = min((room.stats.frames - before) / seconds for room, before in zip(rooms, frames,
                                                                              strict=True))
    sizes = {(room.stats.width, room.stats.height) for room in rooms}
    if sizes != {(640, 480)}:
        raise SystemExit(f"the video arrived at {sizes}, not 640×480")
    print(f"session_video_fps {fps:.1f} fps", flush=True)

    for room in rooms:
        room.stats.latencies_ms.clear()
    for n in range(1, COMMANDS + 1):
        host.send(f"step {n}")
        await asyncio.sleep(0.05)
    await until(lambda: all(len(r.stats.latencies_ms) >= COMMANDS for r in rooms), 10,
                "the commands at both rooms")
    latencies = [ms for room in rooms for ms in room.stats.latencies_ms]
    print(f"session_command_latency_ms {median(latencies):.1f} ms", flush=True)
    print(f"session_cpu_percent_host {100 * cpu / seconds:.0f} %", flush=True)

    for room in rooms:
        await room.stop()
    await asyncio.wait(tasks, timeout=10)


def main() -> None:
    video = make_video(WORK / "master.mp4")
    host = HostProcess(video)
    try:
        asyncio.run(measure(host))
    finally:
        host.stop()


if __name__ == "__main__":
    main()
