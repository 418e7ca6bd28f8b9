"""The hub's HTTP front door against hostile and broken clients: bad lengths, removed
devices, idle connections. Real sockets on loopback, a real running hub."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
from support.sync_support import BACKENDS, RunningHub

from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.hub import cli


def _address(hub: RunningHub) -> tuple[str, int]:
    url = urlsplit(hub.url)
    return url.hostname or "", url.port or 0


def _raw(hub: RunningHub, request: bytes, wait: float = 3.0) -> bytes:
    """Send raw bytes and read what comes back until the hub closes or ``wait`` passes."""
    with socket.create_connection(_address(hub), timeout=wait) as sock:
        sock.sendall(request)
        received = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received:
                head, _, rest = received.partition(b"\r\n\r\n")
                length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")]
                if length and len(rest) >= length[0]:
                    break
        return received


@pytest.mark.parametrize("length", ["-1", "abc", "+2", "٣", "1_0", "0x10", "2.0", ""])
def test_a_content_length_other_than_plain_ascii_digits_is_400_before_reading(
        hub: RunningHub, length: str, capfd: pytest.CaptureFixture[str]) -> None:
    """F1: -1 used to read without limit (before authenticating); the others dropped the
    connection with a traceback. Nothing is read: the answer comes while the body never
    arrives."""
    request = (f"POST /xapi/statements HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n"
               "Content-Type: application/json\r\n\r\n").encode()
    answer = _raw(hub, request)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"Content-Length" in answer.partition(b"\r\n\r\n")[2]
    assert "Traceback" not in capfd.readouterr().err


def test_a_plain_content_length_still_works(hub: RunningHub) -> None:
    c = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    assert c.post_statements(b"[]").status in (200, 400)
    assert c.request("GET", "statements?limit=1").status == 200


@BACKENDS
def test_removing_a_device_from_the_command_line_reaches_a_running_hub_within_a_second(
        hub: RunningHub, hub_database: str) -> None:
    """F2: the password cache kept a removed device in until the hub restarted."""
    username = hub.school.device.username
    c = LrsClient(hub.url, username, hub.school.password)
    assert c.request("GET", "statements?limit=1").status == 200  # now cached
    assert cli.main(["--database", hub_database, "device", "remove", username]) == 0
    time.sleep(1.0)
    assert c.request("GET", "statements?limit=1").status == 401
    assert c.post_statements(b"[]").status == 401
    other = LrsClient(hub.url, hub.district.device.username, hub.district.password)
    assert other.request("GET", "statements?limit=1").status == 200
