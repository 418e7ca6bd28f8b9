"""Our push client against Ralph (ralph-malph 5.1.0, by France Université Numérique), a
second LRS written by others, run on loopback from its own venv (``.venv-ralph``, made
by ``scripts/ralph-venv.sh``) with its filesystem backend: no database server.

How it is started (module fixture): ``ralph auth -w`` writes an HTTP Basic credential to
``RALPH_AUTH_FILE``, then ``ralph runserver -b fs -h 127.0.0.1 -p PORT`` serves the LRS
under ``/xAPI/``, statements in ``$RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH/
fs_lrs.jsonl``. ``RALPH_RUNSERVER_BACKEND=fs`` must be in the environment of both
commands (``ralph auth`` imports the API, which opens the default ``es`` backend).

One fix is put into Ralph at start, through a ``sitecustomize.py`` on its PYTHONPATH (so
it reaches the worker that uvicorn's reloader spawns): its fs LRS backend writes with
operation type CREATE, so the first request that stores anything creates
``fs_lrs.jsonl`` and every later one answers 500 ``Statements bulk indexation failed``
(log: "... already exists and overwrite is not allowed with operation_type create or
index"). The fix makes it append; everything Ralph says over HTTP is its own.

What Ralph answers, and how it differs from our hub:
- a statement it already holds, sent again unchanged: 204 (POST, nothing new in the
  batch) or 204 (PUT), never 409; 409 only when the statement under that id differs by
  Ralph's rule (``ralph.utils.statements_are_equivalent``: fields compared as JSON,
  timestamps as strings).
- ``GET statements?statementId=`` answers a StatementResult, ``{"statements": [...]}``
  (an empty list for an unknown id, not 404), not the Statement itself.
- a statement it refuses (e.g. without ``verb``): 422 with pydantic's error list, on POST
  for the whole batch and on PUT, where the xAPI spec says 400.
``push`` handles both: it unwraps a one-statement result and treats 422 like 400.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from classroom_app.core import xapi
from classroom_app.core.context import AppContext
from classroom_app.core.sample_school import year as sample_year
from classroom_app.core.sync.compare import same_statement
from classroom_app.core.sync.lrs_client import LrsClient
from classroom_app.core.sync.push import push

ROOT = Path(__file__).resolve().parents[2]
RALPH = ROOT / ".venv-ralph" / "bin" / "ralph"
START_TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(
    not RALPH.exists(),
    reason=f"Ralph is not installed ({RALPH} is missing): run `bash scripts/ralph-venv.sh`")

APPEND_FIX = '''"""Ralph's fs LRS backend appends instead of creating its file once (test fix)."""
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
'''


@dataclass(frozen=True)
class Ralph:
    endpoint: str
    username: str
    password: str
    log: Path

    def client(self) -> LrsClient:
        return LrsClient(self.endpoint, self.username, self.password)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until_answering(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ralph runserver exited with {process.returncode}:\n{log_tail(log)}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/__heartbeat__")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    pytest.fail(f"Ralph did not answer within {START_TIMEOUT:.0f} s:\n{log_tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the whole group: ``ralph runserver``, its reloader and uvicorn's worker."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    home = tmp_path_factory.mktemp("ralph")
    fix, run = home / "fix", home / "run"
    fix.mkdir()
    run.mkdir()  # the working directory, watched by the reloader: nothing is written there
    (fix / "sitecustomize.py").write_text(APPEND_FIX)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("RALPH_") and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update({
        "PYTHONPATH": str(fix),
        "RALPH_APP_DIR": str(home / "app"),
        "RALPH_AUTH_FILE": str(home / "app" / "auth.json"),
        "RALPH_HISTORY_FILE": str(home / "app" / "history.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "statements"),
    })
    port = free_port()
    log = home / "ralph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(RALPH), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port)],
            cwd=run, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        # While it starts: the credential (Ralph reads its auth file at each request).
        username, password = "classroom", secrets.token_urlsafe(16)
        made = subprocess.run(
            [str(RALPH), "auth", "-u", username, "-p", password, "-s", "all",
             "-M", "mailto:classroom-app@example.org", "-w"],
            cwd=run, env=env, capture_output=True, text=True, timeout=120)
        if made.returncode != 0:
            pytest.fail(f"ralph auth failed ({made.returncode}):\n{made.stderr[-4000:]}")
        wait_until_answering(process, port, log)
        yield Ralph(f"http://127.0.0.1:{port}/xAPI/", username, password, log)
    finally:
        stop(process)


def record(ctx: AppContext, learners: int = 6) -> dict[str, str]:
    """Two school weeks of a class's progress (six learners: about 120 statements, with
    every verb we record); the whole outbox afterwards, id -> statement text."""
    sample_year.generate(ctx, learners=learners, days=10, start=date(2025, 9, 1))
    return {row["id"]: row["statement"] for row in ctx.store.statements()}


def held(ralph: Ralph, statement_id: str) -> list[dict[str, Any]]:
    """What Ralph holds under ``statement_id``: its GET answers a StatementResult."""
    client = ralph.client()
    try:
        answer = client.request("GET", f"statements?statementId={quote(statement_id)}")
    finally:
        client.close()
    assert answer.status == 200, answer.reason()
    return json.loads(answer.body)["statements"]


def assert_ralph_holds_each_once(ralph: Ralph, outbox: dict[str, str]) -> None:
    for statement_id, text in outbox.items():
        stored = held(ralph, statement_id)
        assert len(stored) == 1, (statement_id, stored)
        assert same_statement(json.dumps(stored[0], ensure_ascii=False), text), (stored, text)


def append(ctx: AppContext, statement: dict[str, Any]) -> str:
    with ctx.store.transaction():
        ctx.store.append_statement(statement["id"], json.dumps(statement, ensure_ascii=False),
                                   xapi.format_timestamp(xapi.now()))
    return statement["id"]


def test_push_delivers_everything_and_ralph_returns_each_statement(
        ctx: AppContext, ralph: Ralph) -> None:
    outbox = record(ctx)
    assert len(outbox) > 100
    report = push(ctx.store, ralph.client(), batch_size=40)
    assert report.complete and report.acknowledged == len(outbox) and not report.rejected
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": len(outbox),
                                         "rejected": 0}
    assert_ralph_holds_each_once(ralph, outbox)


def test_pushing_everything_again_is_acknowledged_and_stored_once(
        ctx: AppContext, ralph: Ralph) -> None:
    outbox = record(ctx)
    assert push(ctx.store, ralph.client(), batch_size=40).complete
    ctx.store.conn.execute("UPDATE outbox SET sent = 0")
    assert ctx.store.outbox_counts()["pending"] == len(outbox)
    again = push(ctx.store, ralph.client(), batch_size=40)  # Ralph: 204 to each batch
    assert again.complete and again.acknowledged == len(outbox) and not again.rejected
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": len(outbox),
                                         "rejected": 0}
    single = push(ctx.store, ralph.client())
    assert single.complete and single.acknowledged == 0
    first = next(iter(outbox))
    ctx.store.conn.execute("UPDATE outbox SET sent = 0 WHERE id = ?", (first,))
    alone = push(ctx.store, ralph.client())  # one statement goes as a PUT: Ralph 204
    assert alone.complete and alone.acknowledged == 1
    assert_ralph_holds_each_once(ralph, outbox)


def test_a_different_statement_under_an_id_ralph_holds_is_refused_the_rest_go_through(
        ctx: AppContext, ralph: Ralph) -> None:
    outbox = record(ctx)
    assert push(ctx.store, ralph.client()).complete
    changed_id = next(iter(outbox))
    changed = json.loads(outbox[changed_id])
    changed["context"]["platform"] = "Another app"
    ctx.store.conn.execute("UPDATE outbox SET statement = ?, sent = 0 WHERE id = ?",
                           (json.dumps(changed, ensure_ascii=False), changed_id))
    more = record(ctx, learners=2)
    fresh = {k: v for k, v in more.items() if k not in outbox}
    assert fresh
    report = push(ctx.store, ralph.client(), batch_size=40)  # 409, then PUT one by one
    assert report.error is None and report.acknowledged == len(fresh)
    [(refused, reason)] = report.rejected
    assert refused == changed_id
    assert reason.startswith("the LRS holds a different statement with this id (HTTP 409")
    assert "A different statement already exists with the same ID" in reason
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": len(more) - 1,
                                         "rejected": 1}
    assert_ralph_holds_each_once(ralph, fresh | {changed_id: outbox[changed_id]})


def test_a_409_for_the_same_statement_written_differently_is_acknowledged(
        ctx: AppContext, ralph: Ralph) -> None:
    outbox = record(ctx)
    assert push(ctx.store, ralph.client()).complete
    statement_id = next(iter(outbox))
    statement = json.loads(outbox[statement_id])
    assert statement["timestamp"].endswith("Z")
    statement["timestamp"] = statement["timestamp"][:-1] + "+00:00"  # the same instant
    text = json.dumps(statement, ensure_ascii=False)
    assert same_statement(text, outbox[statement_id])
    ctx.store.conn.execute("UPDATE outbox SET statement = ?, sent = 0 WHERE id = ?",
                           (text, statement_id))
    report = push(ctx.store, ralph.client())  # Ralph: 409 (its timestamps compare as text)
    assert report.rejected == [] and report.acknowledged == 1 and report.complete


def test_a_statement_ralph_refuses_is_rejected_with_its_reason_the_rest_go_through(
        ctx: AppContext, ralph: Ralph) -> None:
    outbox = record(ctx)
    some = json.loads(next(iter(outbox.values())))
    broken = {k: v for k, v in some.items() if k != "verb"} | {"id": str(uuid.uuid4())}
    broken_id = append(ctx, broken)
    more = {k: v for k, v in record(ctx, learners=2).items()
            if k not in outbox and k != broken_id}
    report = push(ctx.store, ralph.client(), batch_size=40)
    assert report.error is None, report.error
    assert report.acknowledged == len(outbox) + len(more)
    [(refused, reason)] = report.rejected
    assert refused == broken_id
    assert reason.startswith("HTTP 422: ") and "verb" in reason and "Field required" in reason
    assert ctx.store.outbox_counts() == {"pending": 0, "acknowledged": report.acknowledged,
                                         "rejected": 1}
    assert ctx.store.rejected_statements()[0]["rejected"] == reason
    assert held(ralph, broken_id) == []
    assert_ralph_holds_each_once(ralph, outbox | more)
