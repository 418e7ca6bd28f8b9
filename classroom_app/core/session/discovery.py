"""Finding live sessions on the school network, so that nobody types an IP address.

A hosting PC sends a small UDP announcement every two seconds (to the LAN's broadcast
address and to this PC itself): where to connect, which lesson, who teaches. It never
carries the session code: the local teacher still types that. A classroom listens
on the same port and lists what it heard in the last few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from classroom_app.core import lan

DISCOVERY_PORT = 8766
EVERY_S = 2.0
FORGET_AFTER_S = 7.0
MAGIC = "ai-classroom-session"


@dataclass(frozen=True)
class FoundSession:
    address: str
    port: int
    lesson: str
    title: str
    teacher: str
    seen: float

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"


def broadcast_address(address: str, prefix: int) -> str:
    """The broadcast address of the IPv4 network ``address/prefix``."""
    return str(ipaddress.IPv4Network(f"{address}/{prefix}", strict=False).broadcast_address)


def broadcast_addresses(interfaces: list[tuple[str, int]] | None = None) -> list[str]:
    """Each IPv4 network's broadcast address, plus the general one.

    ``interfaces`` are (address, prefix) pairs; by default this PC's network cards.
    """
    if interfaces is None:
        interfaces = lan.interfaces()
    found = {"255.255.255.255"}
    for address, prefix in interfaces:
        if not address.startswith("127.") and 0 < prefix <= 32:
            found.add(broadcast_address(address, prefix))
    return sorted(found)


@dataclass(frozen=True)
class Announcing:
    """Where a session announces itself: the port, and the addresses it sends to.

    By default (``targets`` None) this PC and every network's broadcast address, so
    classrooms on the LAN hear it; tests name loopback addresses only.
    """

    port: int = DISCOVERY_PORT
    targets: tuple[str, ...] | None = None

    def addresses(self) -> list[str]:
        if self.targets is not None:
            return list(self.targets)
        return ["127.0.0.1", *broadcast_addresses()]


def announcement(port: int, lesson: str, title: str, teacher: str) -> bytes:
    return json.dumps({"app": MAGIC, "v": 1, "port": port, "lesson": lesson,
                       "title": title[:100], "teacher": teacher[:60]},
                      ensure_ascii=False).encode()


def parse_announcement(data: bytes, sender: str) -> FoundSession | None:
    try:
        message = json.loads(data[:2048])
        if message.get("app") != MAGIC:
            return None
        port = int(message["port"])
        return FoundSession(sender, port, str(message.get("lesson", ""))[:64],
                            str(message.get("title", ""))[:100],
                            str(message.get("teacher", ""))[:60], time.monotonic())
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


class Beacon:
    """Announces one session until stopped (runs on the session's loop)."""

    def __init__(self, payload: bytes, where: Announcing) -> None:
        self.payload, self.where = payload, where
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        sock.setblocking(False)
        try:
            while True:
                for target in self.where.addresses():
                    with contextlib.suppress(OSError):  # no network: this PC still hears it
                        sock.sendto(self.payload, (target, self.where.port))
                await asyncio.sleep(EVERY_S)
        finally:
            sock.close()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class _Listener(asyncio.DatagramProtocol):
    def __init__(self, heard: Callable[[FoundSession], None]) -> None:
        self.heard = heard

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        found = parse_announcement(data, addr[0])
        if found is not None:
            self.heard(found)


class Finder:
    """Listens for announcements; ``on_change`` gets the sessions heard lately."""

    def __init__(self, on_change: Callable[[list[FoundSession]], None],
                 port: int = DISCOVERY_PORT) -> None:
        self.on_change, self.port = on_change, port
        self.sessions: dict[tuple[str, int], FoundSession] = {}
        self.error = ""
        self._transport: asyncio.DatagramTransport | None = None
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):  # several apps on one PC may listen
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            sock.bind(("", self.port))
        except OSError as error:
            sock.close()
            self.error = str(error)
            return
        self._transport, _ = await loop.create_datagram_endpoint(
            lambda: _Listener(self._heard), sock=sock)
        self._task = asyncio.ensure_future(self._forget())

    def _heard(self, found: FoundSession) -> None:
        key = (found.address, found.port)
        local = found.address.startswith("127.")
        if local and any(k[1] == found.port and not k[0].startswith("127.")
                         for k in self.sessions):
            return  # this PC's own session, already heard on its LAN address
        own = [k for k in self.sessions if k[0].startswith("127.") and k[1] == found.port]
        if not local and own:  # the LAN address says more than "this PC"
            for stale in own:
                del self.sessions[stale]
        is_new = key not in self.sessions or bool(own and not local)
        self.sessions[key] = found
        if is_new:
            self.on_change(self.found())

    def found(self) -> list[FoundSession]:
        return sorted(self.sessions.values(), key=lambda s: (s.title, s.address))

    async def _forget(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            stale = [k for k, s in self.sessions.items() if now - s.seen > FORGET_AFTER_S]
            for key in stale:
                del self.sessions[key]
            if stale:
                self.on_change(self.found())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._transport is not None:
            self._transport.close()
