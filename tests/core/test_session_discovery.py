"""Announcements of live sessions on the school network: what is heard, what is ignored."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

from support.stay_local import is_loopback

from classroom_app.core.session.discovery import (
    Announcing,
    Beacon,
    Finder,
    announcement,
    broadcast_address,
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
        beacon = Beacon(announcement(9999, "m1", "Data", "T"), Announcing(port, ("127.0.0.1",)))
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


def test_broadcast_addresses_are_computed_for_each_network() -> None:
    """The beacon reaches every network the PC is on: each one's broadcast address is
    computed from its address and prefix (nothing is sent here)."""
    assert broadcast_address("192.168.1.23", 24) == "192.168.1.255"
    assert broadcast_address("10.12.0.7", 16) == "10.12.255.255"
    assert broadcast_address("172.16.5.130", 25) == "172.16.5.255"
    found = broadcast_addresses([("192.168.1.23", 24), ("127.0.0.1", 8), ("10.0.3.4", 8),
                                 ("169.254.1.1", 0)])
    assert found == ["10.255.255.255", "192.168.1.255", "255.255.255.255"]
    assert "255.255.255.255" in Announcing().addresses()
    assert Announcing(9, ("127.0.0.1",)).addresses() == ["127.0.0.1"]


def test_the_test_guard_refuses_traffic_beyond_this_pc(stay_on_this_pc) -> None:
    """The autouse guard refuses a send beyond this PC (and would fail the test);
    loopback goes through. The outside sends go to reserved documentation addresses
    (never a broadcast) on a closed socket: were the guard missing, the system would
    refuse them (bad file descriptor), so nothing can leave this PC even then. That a
    broadcast address counts as outside is checked without sending anything."""
    assert not is_loopback(("255.255.255.255", 9)) and is_loopback(("127.0.0.2", 9))
    closed = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    closed.close()
    for outside in ("192.0.2.7", "198.51.100.53", "203.0.113.9"):
        try:
            closed.sendto(b"x", (outside, 9))
        except PermissionError:
            pass
        else:
            raise AssertionError(f"{outside} was not refused")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"x", ("127.0.0.1", 9))
    assert len(stay_on_this_pc) == 3
    stay_on_this_pc.clear()  # this test provoked them on purpose


def test_the_guard_covers_the_python_processes_a_test_starts(tmp_path) -> None:
    """A Python process started by a test (the ``classroom`` command, a driver) has the
    same guard: its send beyond this PC is refused and written where the test looks
    (to a reserved documentation address on a closed socket, which the system would
    refuse too, were the guard missing)."""
    script = ("import socket\n"
              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              "s.sendto(b'x', ('127.0.0.1', 9))\n"
              "s.close()\n"
              "try:\n"
              "    s.sendto(b'x', ('192.0.2.7', 9))\n"
              "except PermissionError:\n"
              "    print('refused')\n")
    log = tmp_path / "child.log"
    env = {**os.environ, "CLASSROOM_TEST_OUTSIDE_LOG": str(log)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.stdout.strip() == "refused", result.stderr
    assert "192.0.2.7" in log.read_text(encoding="utf-8")
