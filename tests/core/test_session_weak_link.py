"""A classroom that cannot keep up gets smaller, slower video by itself (no test double:
the classroom really takes too long over each frame, as a weak PC or link would)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import av
from support.session_support import make_video

from classroom_app.core.session.client import SessionClient
from classroom_app.core.session.host import SessionHost
from classroom_app.core.session.video import SessionFeed
from classroom_app.core.vision.sources import VideoFileSource


def test_video_steps_down_for_a_classroom_that_falls_behind(tmp_path: Path) -> None:
    """The classroom spends 150 ms on each frame (about 6 fps of 25): its quality
    reports make the host lower its video level and the frames arrive smaller."""
    feed = SessionFeed(VideoFileSource(make_video(tmp_path / "v.mp4")))
    ready = threading.Event()
    address: dict[str, str] = {}
    host_loop = asyncio.new_event_loop()

    async def host_main(stop: asyncio.Event) -> None:
        host = SessionHost("m1", feed=feed)
        url = await host.start("127.0.0.1", 0)
        address.update(url=url, code=host.code)
        ready.set()
        await stop.wait()
        await host.stop()

    stop = asyncio.Event()
    thread = threading.Thread(target=host_loop.run_until_complete, args=(host_main(stop),))
    thread.start()
    assert ready.wait(10)
    sizes: list[tuple[int, int]] = []

    def slow(frame: av.VideoFrame) -> None:
        time.sleep(0.15)
        sizes.append((frame.width, frame.height))

    async def classroom() -> SessionClient:
        client = SessionClient(address["url"], address["code"], "slow room", on_frame=slow)
        task = asyncio.ensure_future(client.run())
        deadline = time.monotonic() + 60  # a slow PC takes longer; most take about 10 s
        while time.monotonic() < deadline and not (sizes and sizes[-1][0] < 640):
            await asyncio.sleep(0.2)
        await client.stop()
        await task
        return client

    try:
        client = asyncio.run(classroom())
    finally:
        host_loop.call_soon_threadsafe(stop.set)
        thread.join(15)
        feed.close()
    assert sizes[0] == (640, 480)
    assert sizes[-1][0] < 640, f"never stepped down: {client.stats.video_level}"
    assert client.stats.video_level in ("medium", "low")
