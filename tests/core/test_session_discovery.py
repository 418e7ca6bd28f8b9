"""Announcements of live sessions on the school network: what is heard, what is ignored."""

from __future__ import annotations

import asyncio
import socket

from classroom_app.core.session.discovery import (
    Beacon,
    Finder,
    announcement,
    broadcast_addresses,
    parse_announcement,
)


def test_announcement_round_trip_and_garbage() -> None:
    """An announcement names port, lesson and teacher, never the code; anything else on
    the port (other programs, junk) is ignored."""
    data = announcement(8765, "p1-how-computers-see", "计算机怎样“看”图片", "王老师")
    found = parse_announcement(data, "192.168.1.5")
    assert found is not None and found.url == "http://192.168.1.5:8765"
    assert found.teacher == "王老师" and b"code" not in data
    for junk in (b"", b"\xff\xfe", b"[]", b'{"app": "other", "port": 1}',
                 b'{"app": "ai-classroom-session"}', b'{"app": "ai-classroom-session", '
                 b'"port": "x"}'):
        assert parse_announcement(junk, "10.0.0.1") is None
    assert "255.255.255.255" in broadcast_addresses()


def test_finder_hears_a_beacon_on_this_pc() -> None:
    """A session hosted on this PC is heard by a classroom app on the same PC, and
    forgotten after its beacon stops."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def run() -> tuple[list, list]:
        seen: list = []
        finder = Finder(seen.append, port)
        await finder.start()
        beacon = Beacon(announcement(9999, "m1", "Data", "T"), port)
        beacon.start()
        for _ in range(50):
            if finder.found():
                break
            await asyncio.sleep(0.1)
        heard = finder.found()
        beacon.stop()
        finder.stop()
        return heard, seen

    heard, seen = asyncio.run(run())
    assert [(s.lesson, s.port) for s in heard] == [("m1", 9999)]
    assert seen and seen[0][0].title == "Data"
