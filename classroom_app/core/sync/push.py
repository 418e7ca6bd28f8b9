"""Push: send the outbox to an LRS, batch by batch, until nothing is left.

Resumable by construction: a statement is marked acknowledged only after the LRS
answered for it, and the next run starts from whatever is still unmarked. Resending is
safe because each statement goes as the exact text it was written with, under its own
id, so an LRS recognises a retry as the statement it already holds.

What the LRS answers decides what happens:
- 2xx: stored (or already stored): acknowledged.
- 409 on a batch: some id is already stored; each statement is then PUT alone, and a
  409 on one is checked with a GET: the same statement is acknowledged, a different
  one is refused and kept.
- 400, 403 or 422 (some LRSs, Ralph among them, answer 422 to an invalid statement):
  the batch is split until the statements at fault are found; those are marked
  refused with the LRS's reason, shown to the teacher and never dropped.
- 413: the batch is split.
- 5xx, 429, no answer: retried with exponential backoff, then the run stops and the
  rest waits for the next one. 401 and 404 stop the run at once (wrong credentials or
  address): retrying cannot help.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from classroom_app.core import xapi
from classroom_app.core.i18n import tr
from classroom_app.core.store import Store
from classroom_app.core.sync.compare import same_statement
from classroom_app.core.sync.lrs_client import Answer, LrsClient, TransportError

Row = tuple[int, str, str]
REFUSED = (400, 403, 422)


class PushState(Protocol):
    def progress(self, done: int, total: int) -> None: ...
    def cancelled(self) -> bool: ...


class _Quiet:
    def progress(self, done: int, total: int) -> None:
        pass

    def cancelled(self) -> bool:
        return False


class StopPush(Exception):
    """The run cannot go on now; what is left waits for the next one."""


@dataclass
class PushReport:
    acknowledged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    remaining: int = 0
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and self.remaining == 0


@dataclass
class Pusher:
    store: Store
    client: LrsClient
    state: PushState = field(default_factory=_Quiet)
    batch_size: int = 1000
    retries: int = 6
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    report: PushReport = field(default_factory=PushReport)

    def run(self) -> PushReport:
        total = self.store.outbox_counts()["pending"]
        after = 0
        self.state.progress(0, total)
        try:
            while True:
                if self.state.cancelled():
                    raise StopPush("cancelled")
                rows = self.store.pending_statements(after, self.batch_size)
                if not rows:
                    break
                self._send(rows)
                after = rows[-1][0]
                self.state.progress(self.report.acknowledged + len(self.report.rejected), total)
        except StopPush as error:
            self.report.error = str(error)
        finally:
            self.client.close()
        self.report.remaining = self.store.outbox_counts()["pending"]
        self.store.log_sync("push", self.client.endpoint, self.report.acknowledged,
                            len(self.report.rejected), self.report.remaining, self.report.error,
                            xapi.format_timestamp(xapi.now()))
        return self.report

    def _send(self, rows: list[Row]) -> None:
        if len(rows) == 1:
            self._send_one(rows[0])
            return
        body = b"[" + b",".join(text.encode() for _, _, text in rows) + b"]"
        answer = self._ask(lambda: self.client.post_statements(body))
        if 200 <= answer.status < 300:
            self._acknowledge([statement_id for _, statement_id, _ in rows])
        elif answer.status == 409:
            for row in rows:
                self._send_one(row)
        elif answer.status in (*REFUSED, 413):
            half = len(rows) // 2
            self._send(rows[:half])
            self._send(rows[half:])
        else:
            raise StopPush(answer.reason())

    def _send_one(self, row: Row) -> None:
        _, statement_id, text = row
        answer = self._ask(lambda: self.client.put_statement(statement_id, text.encode()))
        if 200 <= answer.status < 300:
            self._acknowledge([statement_id])
        elif answer.status == 409:
            held = self._ask(lambda: self.client.get_statement(statement_id))
            if held.status == 200 and same_statement(_single(held.body), text):
                self._acknowledge([statement_id])
            else:
                self._refuse(statement_id, "the LRS holds a different statement with this id ("
                             + answer.reason() + ")")
        elif answer.status in (*REFUSED, 413):
            self._refuse(statement_id, answer.reason())
        else:
            raise StopPush(answer.reason())

    def _ask(self, send: Callable[[], Answer]) -> Answer:
        """One request, retried with backoff while the LRS is away or overloaded."""
        for attempt in range(self.retries + 1):
            try:
                answer = send()
            except TransportError as error:
                problem = f"no answer from {self.client.endpoint}: {error}"
            else:
                if answer.status in (401, 404):
                    raise StopPush(answer.reason())
                if answer.status == 507:  # retrying will not free the hub's disk
                    raise StopPush(tr("The hub's disk is full: ask whoever runs the hub to "
                                      "free space. Nothing was lost; the rest is sent "
                                      "next time."))
                if answer.status < 500 and answer.status != 429:
                    return answer
                problem = answer.reason()
            if self.state.cancelled():
                raise StopPush("cancelled")
            if attempt == self.retries:
                raise StopPush(problem)
            self.client.close()  # the next try starts on a fresh connection
            self.sleep(min(60.0, self.backoff * 2 ** attempt))
        raise StopPush("unreachable")

    def _acknowledge(self, ids: list[str]) -> None:
        self.store.acknowledge(ids, "push")
        self.report.acknowledged += len(ids)

    def _refuse(self, statement_id: str, reason: str) -> None:
        self.store.reject(statement_id, reason)
        self.report.rejected.append((statement_id, reason))


def _single(body: bytes) -> str:
    """The statement a GET by id returned; some LRSs (Ralph) wrap it in a result list."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict) and isinstance(data.get("statements"), list) \
            and len(data["statements"]) == 1 and "actor" not in data:
        data = data["statements"][0]
    return json.dumps(data, ensure_ascii=False)


def push(store: Store, client: LrsClient, state: PushState | None = None,
         **options: Any) -> PushReport:
    """Send everything pending; see the module's docstring for what each answer does."""
    return Pusher(store, client, state or _Quiet(), **options).run()
