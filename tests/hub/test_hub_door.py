"""The hub's HTTP front door against hostile and broken clients: bad lengths, removed
devices, idle connections. Real sockets on loopback, a real running hub."""

from __future__ import annotations

import json
import re
import resource
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from support.sync_support import BACKENDS, SCHOOL, RunningHub, open_storage, record_statements

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.core.i18n import tr
from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.core.sync.push import push
from classroom_app.hub import cli
from classroom_app.hub.lrs import Lrs


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


IDLE = 2000


HUB_FILES = 512  # the open-file limit under which 568 idle connections locked clients out


@pytest.fixture
def hub_with_few_files(tmp_path: Path) -> Iterator[tuple[RunningHub, subprocess.Popen[str]]]:
    """``classroom-hub serve`` in its own process under a 512-file limit, as in the
    probe; a school device enrolled beforehand."""
    database = str(tmp_path / "hub.sqlite3")
    storage = open_storage(database)
    lrs = Lrs(storage)
    school = lrs.devices.add("Room 3 PC", SCHOOL)
    district = lrs.devices.add("District office", None)
    storage.close()

    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (HUB_FILES, HUB_FILES))

    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "classroom-hub"), "--database", database, "serve",
         "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=few_files)
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:\d+/xapi/", process.stdout.readline())
    assert found, "the hub did not start"

    class Remote:
        url = found.group(0)

    try:
        yield RunningHub(Remote(), lrs, school, district), process  # type: ignore[arg-type]
    finally:
        process.terminate()
        process.wait(timeout=10)


IDLE_CLIENT = """
import resource, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, {count} + 200), hard))
head = (b"POST /xapi/statements HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json"
        b"\\r\\nContent-Length: 1000\\r\\n\\r\\n")
held = []
give_up = time.monotonic() + 90
for _ in range({count}):
    if time.monotonic() > give_up:
        break
    try:  # a hub that refuses (503, reset) or does not accept: the next one
        sock = socket.create_connection(({host!r}, {port}), timeout=2)
        sock.sendall(head)
        held.append(sock)
    except OSError:
        pass
print("ready", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def _idle_elsewhere(hub: RunningHub, count: int) -> subprocess.Popen[str]:
    """``count`` slow-loris connections from another process, as a hostile PC's."""
    host, port = _address(hub)
    child = subprocess.Popen(
        [sys.executable, "-c", IDLE_CLIENT.format(count=count, host=host, port=port)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def _idle_connections(hub: RunningHub, count: int) -> list[socket.socket]:
    """Connections that send a request's headers and never its body (a slow loris)."""
    head = (b"POST /xapi/statements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
            b"\r\nContent-Length: 1000\r\n\r\n")
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(_address(hub), timeout=5)
        sock.sendall(head)
        sockets.append(sock)
    return sockets


def test_two_thousand_idle_connections_leave_room_for_a_real_push(
        ctx: AppContext, hub_with_few_files: tuple[RunningHub, subprocess.Popen[str]]) -> None:
    """F3: idle connections made real requests time out under a 512-file limit, and the
    hub stayed silent for minutes after they closed. A real push completes within 5 s
    while 2,000 idle connections are open, and the hub answers at once when they
    close; no traceback in its log."""
    hub, process = hub_with_few_files
    record_statements(ctx, 300)
    idle = _idle_elsewhere(hub, IDLE)
    try:
        time.sleep(1.5)  # they have stalled
        client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
        started = time.monotonic()
        report = push(ctx.store, client, batch_size=100, retries=3, backoff=0.2)
        took = time.monotonic() - started
        assert report.complete and report.acknowledged == 300
        assert took < 5, f"the push took {took:.1f} s"
    finally:
        idle.stdin.close()  # type: ignore[union-attr]
        idle.wait(timeout=30)
    started = time.monotonic()
    fresh = LrsClient(hub.url, hub.school.device.username, hub.school.password, timeout=5)
    assert fresh.request("GET", "statements?limit=300").status == 200
    assert time.monotonic() - started < 1
    assert len(json.loads(fresh.request("GET", "statements?limit=500").body)["statements"]) \
        == 300
    process.terminate()
    _, log = process.communicate(timeout=10)
    assert "Traceback" not in log, log[-2000:]


def test_beyond_the_cap_a_newcomer_gets_503_when_no_one_has_stalled(hub: RunningHub) -> None:
    hub.server.max_connections = 5
    idle = _idle_connections(hub, 5)
    try:
        answer = _raw(hub, b"GET /xapi/about HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503"), answer[:100]
        time.sleep(1.2)  # now they have stalled: the longest stalled makes room
        answer = _raw(hub, b"GET /xapi/about HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    finally:
        for sock in idle:
            sock.close()


def test_a_connection_silent_past_the_read_timeout_is_closed(
        hub: RunningHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from classroom_app.hub import server

    assert server._Handler.timeout is not None and server._Handler.timeout <= 60
    monkeypatch.setattr(server._Handler, "timeout", 0.5)
    [sock] = _idle_connections(hub, 1)
    with sock:
        sock.settimeout(3)
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the hub, nothing answered
        assert time.monotonic() - started < 2


def test_connection_resets_are_not_logged_as_tracebacks(
        hub: RunningHub, capfd: pytest.CaptureFixture[str]) -> None:
    for partial in (b"", b"GET /xapi/statem", b"POST /xapi/statements HTTP/1.1\r\n"
                    b"Content-Length: 50\r\n\r\n{"):
        for _ in range(5):
            sock = socket.create_connection(_address(hub))
            sock.sendall(partial)
            time.sleep(0.02)
            # Close with a reset (RST) instead of a FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
    time.sleep(0.5)
    c = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    assert c.request("GET", "statements?limit=1").status == 200
    assert "Traceback" not in capfd.readouterr().err


def _deep(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [300, 1000, 5000])
def test_deeply_nested_input_is_400_not_500(hub: RunningHub, depth: int) -> None:
    """Section 3: extensions nested 300 deep and a 5,000-deep agent= query were 500s."""
    made = xapi.make_statement(
        xapi.actor(SCHOOL, "20260001"), "completed",
        xapi.experiment_activity("teach_the_computer", {"en": "Teach"}),
        xapi.demo_context(str(uuid.uuid4()), "primary", None),
        xapi.experiment_result(["a", "b"], [5, 6], 4, 0.75))
    deep = json.loads(made.text)
    deep["result"]["extensions"] = {"https://example.edu/x": "DEEP"}
    c = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    answer = c.post_statements(json.dumps([deep]).replace('"DEEP"', _deep(depth)).encode())
    assert answer.status == 400, answer.reason()
    answer = c.request("GET", "statements?agent=" + quote("[" * depth + "]" * depth))
    assert answer.status == 400, answer.reason()
    assert hub.lrs.storage.count() == 0


@pytest.mark.parametrize("value", ["Basic é", "Basic 密码", "Básic abc"])
def test_a_non_ascii_authorization_header_is_401_not_500(hub: RunningHub, value: str) -> None:
    """Section 3: a non-ASCII Authorization header was a 500 with a traceback."""
    request = ("GET /xapi/statements HTTP/1.1\r\nHost: x\r\nX-Experience-API-Version: 1.0.3"
               f"\r\nAuthorization: {value}\r\n\r\n").encode()
    answer = _raw(hub, request)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]


def test_a_hub_with_a_full_disk_says_so_and_the_push_stops_at_once(
        ctx: AppContext, hub: RunningHub) -> None:
    """Section 3: on a full disk the client saw only "OperationalError" after 63 s of
    retries. The hub answers 507 "the hub's disk is full"; push stops retrying, says so
    and keeps everything in the outbox."""
    record_statements(ctx, 300)
    connect = hub.lrs.storage._connect

    def full_disk() -> object:  # SQLite's real "database or disk is full"
        conn = connect()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")
        return conn

    hub.lrs.storage._connect = full_disk
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    rows = ctx.store.pending_statements(0, 300)
    body = b"[" + b",".join(text.encode() for _, _, text in rows) + b"]"
    answer = client.post_statements(body)
    assert answer.status == 507 and b"the hub's disk is full" in answer.body
    started = time.monotonic()
    report = push(ctx.store, client, batch_size=100)  # 6 retries from 1 s: 63 s before
    assert time.monotonic() - started < 5
    assert not report.complete and report.acknowledged == 0
    assert report.error == tr("The hub's disk is full: ask whoever runs the hub to free "
                              "space. Nothing was lost; the rest is sent next time.")
    assert ctx.store.outbox_counts()["pending"] == 300
