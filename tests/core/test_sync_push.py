"""Push from the outbox to the real hub on loopback, interrupted at random points:
the client killed, the hub killed, connections dropped. Afterwards the hub holds
exactly the outbox's statements, once each, byte for byte."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.sync_support import BACKENDS, SCHOOL, RunningHub, open_storage, record_statements

from classroom_app.core.context import AppContext
from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.core.sync.push import push
from classroom_app.hub.lrs import Lrs

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def assert_hub_holds_exactly_the_outbox(ctx: AppContext, database: str) -> None:
    outbox = {r["id"]: r["statement"] for r in ctx.store.statements()}
    storage = open_storage(database)
    try:
        rows = storage.run("SELECT id, body FROM lrs_statements")
    finally:
        storage.close()
    assert len(rows) == len(outbox)  # nothing twice (and ids are unique anyway)
    assert dict(rows) == outbox  # nothing lost, nothing extra, each byte for byte
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": len(outbox),
                                         "rejected": 0}


def configure(ctx: AppContext, url: str, username: str, password: str) -> None:
    ctx.update_settings(sync_endpoint=url, sync_username=username, sync_password=password)


@BACKENDS
def test_push_sends_everything_once_and_a_second_push_has_nothing_to_do(
        ctx: AppContext, hub: RunningHub, hub_database: str) -> None:
    record_statements(ctx, 1200)
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    seen: list[tuple[int, int]] = []

    class State:
        def progress(self, done: int, total: int) -> None:
            seen.append((done, total))

        def cancelled(self) -> bool:
            return False

    report = push(ctx.store, client, State(), batch_size=500)
    assert report.complete and report.acknowledged == 1200
    assert seen[0] == (0, 1200) and seen[-1] == (1200, 1200) and len(seen) == 4
    assert_hub_holds_exactly_the_outbox(ctx, hub_database)
    again = push(ctx.store, client)
    assert again.complete and again.acknowledged == 0
    assert ctx.store.last_sync() is not None


@BACKENDS
def test_killing_the_client_at_random_points_then_resuming(
        ctx: AppContext, hub: RunningHub, hub_database: str) -> None:
    """`classroom sync push` killed with SIGKILL mid-run, three times, then run to the end."""
    record_statements(ctx, 3000)
    configure(ctx, hub.url, hub.school.device.username, hub.school.password)
    rng = random.Random(5)
    command = [str(BIN / "classroom"), "sync", "push", "--batch", "40"]
    for _ in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.6, 1.6))
        process.kill()
        process.wait()
    partial = ctx.store.outbox_counts()
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert partial["acknowledged"] > 0 or partial["pending"] == 3000
    assert_hub_holds_exactly_the_outbox(ctx, hub_database)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub_process(database: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "classroom-hub"), "--database", database, "serve", "--host", "127.0.0.1",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        start_new_session=True)
    assert process.stdout is not None
    assert "127.0.0.1" in process.stdout.readline().decode()
    return process


@BACKENDS
def test_killing_the_hub_mid_push_then_resuming(ctx: AppContext, hub_database: str) -> None:
    """The hub process is killed while a batch is on its way; its database keeps whole
    batches only, the client stops after its retries, and the next push completes."""
    lrs = Lrs(open_storage(hub_database))
    enrolment = lrs.devices.add("Room 3 PC", SCHOOL)
    lrs.storage.close()
    record_statements(ctx, 2000)
    port = free_port()
    hub = start_hub_process(hub_database, port)
    rng = random.Random(11)
    kill_after = rng.randint(3, 12)
    client = LrsClient(f"http://127.0.0.1:{port}/xapi/", enrolment.device.username,
                       enrolment.password)

    class KillMidway:
        def progress(self, done: int, total: int) -> None:
            if done >= kill_after * 100 and hub.poll() is None:
                os.killpg(hub.pid, signal.SIGKILL)
                hub.wait()

        def cancelled(self) -> bool:
            return False

    try:
        stopped = push(ctx.store, client, KillMidway(), batch_size=100, retries=2,
                       backoff=0.05)
        assert not stopped.complete and "no answer" in (stopped.error or "")
        assert 0 < stopped.remaining < 2000
        hub = start_hub_process(hub_database, port)
        resumed = push(ctx.store, client, batch_size=100)
        assert resumed.complete
    finally:
        if hub.poll() is None:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait()
    assert_hub_holds_exactly_the_outbox(ctx, hub_database)


class DroppingProxy:
    """Relays TCP to the hub and cuts connections at random byte counts, in either
    direction, before or after the hub has answered."""

    def __init__(self, target_port: int, seed: int) -> None:
        self.target = target_port
        self.rng = random.Random(seed)
        self.cuts = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            budget = [self.rng.randint(2_000, 400_000)]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b, budget), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, budget: list[int]) -> None:
        try:
            while data := source.recv(65536):
                budget[0] -= len(data)
                if budget[0] < 0:
                    self.cuts += 1
                    break
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.running = False
        self.listener.close()


@pytest.fixture
def dropping_proxy(hub: RunningHub) -> Iterator[DroppingProxy]:
    proxy = DroppingProxy(hub.server.server_address[1], seed=3)
    yield proxy
    proxy.close()


@BACKENDS
def test_dropped_connections_are_retried_in_the_same_run(
        ctx: AppContext, hub: RunningHub, hub_database: str,
        dropping_proxy: DroppingProxy) -> None:
    record_statements(ctx, 2500)
    client = LrsClient(f"http://127.0.0.1:{dropping_proxy.port}/xapi/",
                       hub.school.device.username, hub.school.password)
    report = push(ctx.store, client, batch_size=250, retries=20, backoff=0.01)
    assert report.complete, report.error
    assert dropping_proxy.cuts >= 3
    assert_hub_holds_exactly_the_outbox(ctx, hub_database)


@BACKENDS
def test_a_refused_statement_is_kept_and_shown_and_the_rest_go_through(
        ctx: AppContext, hub: RunningHub, hub_database: str) -> None:
    """400 from the LRS marks only the faulty statement; it stays in the outbox."""
    ids = record_statements(ctx, 30)
    bad = json.loads(ctx.store.statements()[7]["statement"])
    del bad["verb"]
    bad["id"] = "1d5b4d4e-0000-4000-8000-000000000001"
    with ctx.store.transaction():
        ctx.store.append_statement(bad["id"], json.dumps(bad), "2026-11-23T08:00:00.000Z")
    other_school = json.loads(ctx.store.statements()[3]["statement"])
    other_school["actor"]["account"]["homePage"] = "https://other.example.edu.cn/"
    other_school["id"] = "1d5b4d4e-0000-4000-8000-000000000002"
    with ctx.store.transaction():
        ctx.store.append_statement(other_school["id"], json.dumps(other_school),
                                   "2026-11-23T08:00:01.000Z")
    record_statements_after = record_statements(ctx, 10)
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    report = push(ctx.store, client, batch_size=16)
    assert report.acknowledged == len(ids) + len(record_statements_after)
    reasons = dict(report.rejected)
    assert set(reasons) == {"1d5b4d4e-0000-4000-8000-000000000001",
                            "1d5b4d4e-0000-4000-8000-000000000002"}
    assert "verb" in reasons["1d5b4d4e-0000-4000-8000-000000000001"]
    assert "403" in reasons["1d5b4d4e-0000-4000-8000-000000000002"]
    shown = {r["id"] for r in ctx.store.rejected_statements()}
    assert shown == set(reasons)
    assert ctx.store.outbox_counts()["rejected"] == 2
    assert hub.lrs.storage.count() == 40


@BACKENDS
def test_a_409_retry_is_acknowledged_when_the_lrs_holds_the_same_statement(
        ctx: AppContext, hub: RunningHub) -> None:
    """The same statement already there: acknowledged. Different content under our
    id: refused and kept, with the reason."""
    record_statements(ctx, 6)
    rows = ctx.store.statements()
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    assert client.put_statement(rows[0]["id"], rows[0]["statement"].encode()).status == 204
    changed = json.loads(rows[1]["statement"])
    changed["result"]["success"] = False
    assert client.put_statement(rows[1]["id"], json.dumps(changed).encode()).status == 204
    report = push(ctx.store, client)
    assert report.acknowledged == 5
    assert [statement_id for statement_id, _ in report.rejected] == [rows[1]["id"]]
    assert "different statement" in report.rejected[0][1]


def test_device_clock_set_back_keeps_the_written_order(ctx: AppContext, hub: RunningHub) -> None:
    """Statements leave in the order they were written, whatever their timestamps say."""
    from datetime import UTC, datetime, timedelta

    from classroom_app.core import xapi

    moments = iter([datetime(2026, 11, 23, 10, tzinfo=UTC) - timedelta(minutes=n * 7)
                    for n in range(40)])
    with xapi.clock(lambda: next(moments)):
        written = record_statements(ctx, 20)
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    assert push(ctx.store, client, batch_size=3).complete
    seqs = hub.lrs.storage.run("SELECT id FROM lrs_statements ORDER BY seq")
    assert [r[0] for r in seqs] == written


def test_a_kept_alive_connection_the_server_closed_while_idle_is_not_a_failure() -> None:
    """Servers close idle connections (uvicorn after 5 s): the next request on it is
    resent once on a new connection, not counted as the LRS being away."""
    connections = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            conn.close()  # idle timeout, without saying Connection: close

    threading.Thread(target=serve, daemon=True).start()
    client = LrsClient(f"http://127.0.0.1:{listener.getsockname()[1]}/xapi/", "u", "p")
    try:
        assert client.about().status == 200
        time.sleep(0.05)
        assert client.about().status == 200
        assert len(connections) == 2
    finally:
        listener.close()
