"""Sync figures, one line each (`name value unit`):

- hub_ingest_per_s: statements per second the hub stores from POSTs of 1,000 (SQLite,
  over HTTP on loopback, validation included);
- push_100k_s: 100,000 statements from a PC's outbox to the hub with `push`;
- export_100k_s / import_100k_s: the same 100,000 into a signed USB file and into the
  hub from it.

Statements are the app's own: answers, step completions, attendance and experiments
for a class of 50, made with classroom_app.core.xapi as the app makes them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="sync-bench-"))
os.environ["CLASSROOM_DATA_DIR"] = str(WORK / "pc")

from classroom_app.core import xapi  # noqa: E402
from classroom_app.core.context import AppContext, open_context  # noqa: E402
from classroom_app.core.sync.device import load_identity  # noqa: E402
from classroom_app.core.sync.lrs_client import LrsClient  # noqa: E402
from classroom_app.core.sync.push import push  # noqa: E402
from classroom_app.core.sync.usb_file import export_file  # noqa: E402
from classroom_app.hub.lrs import Lrs  # noqa: E402
from classroom_app.hub.storage import HubStorage  # noqa: E402
from classroom_app.hub.usb_import import import_file  # noqa: E402

SCHOOL = "https://school.example.edu.cn/"
COUNT = 100_000


def statements(count: int) -> list[xapi.Statement]:
    """A realistic mix of what the app records, for 50 learners."""
    ctx = {"zh_CN": "教计算机认图片", "en": "Teach the computer"}
    made = []
    for n in range(count):
        who = xapi.actor(SCHOOL, f"2026{n % 50:04}")
        registration = str(uuid.UUID(int=n // 12 + 1))
        kind = n % 4
        if kind == 0:
            made.append(xapi.make_statement(
                who, "completed", xapi.experiment_activity("teach_the_computer", ctx),
                xapi.demo_context(registration, "primary", None),
                xapi.experiment_result(["猫", "狗", "鸟"], [8, 9, 7], 6, (n % 7) / 6)))
        else:
            verb = ("answered", "completed", "attended")[kind - 1]
            made.append(xapi.make_statement(
                who, verb, {"objectType": "Activity",
                            "id": f"urn:ai-classroom:lesson:p1-how-computers-see:step:s{n % 9}",
                            "definition": {"type": xapi.ACTIVITY_TYPES["step"],
                                           "name": {"zh-CN": "计算机怎样看图片",
                                                    "en-US": "How computers see"}}},
                {"registration": registration, "platform": xapi.PLATFORM,
                 "extensions": {xapi.STAGE_EXTENSION: "primary"}},
                {"completion": True, "duration": xapi.duration(30 + n % 300)}))
    return made


class HubProcess:
    """`classroom-hub serve` in its own process, as on a real hub machine."""

    def __init__(self, database: Path, public_key: str | None = None) -> None:
        lrs = Lrs(HubStorage.sqlite(database))
        self.enrolment = lrs.devices.add("bench", SCHOOL, public_key)
        lrs.storage.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "classroom-hub"), "--database", str(database),
             "serve", "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        self.process.stdout.readline()
        self.url = f"http://127.0.0.1:{port}/xapi/"

    def client(self) -> LrsClient:
        return LrsClient(self.url, self.enrolment.device.username, self.enrolment.password)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


RUNS = 3  # this machine is a shared VM whose speed drifts by ±30 %: the median of 3


def ingest_per_s(made: list[xapi.Statement], run: int) -> float:
    hub = HubProcess(WORK / f"ingest{run}.sqlite3")
    client = hub.client()
    client.about()
    bodies = [("[" + ",".join(s.text for s in made[i:i + 1000]) + "]").encode()
              for i in range(0, len(made), 1000)]
    start = time.perf_counter()
    for body in bodies:
        answer = client.post_statements(body)
        assert answer.status == 200, answer.reason()
    seconds = time.perf_counter() - start
    hub.stop()
    return len(made) / seconds


def push_s(app: AppContext, run: int) -> float:
    app.store.conn.execute("UPDATE outbox SET sent = 0, acknowledged = NULL")
    hub = HubProcess(WORK / f"hub{run}.sqlite3")
    start = time.perf_counter()
    report = push(app.store, hub.client())
    seconds = time.perf_counter() - start
    assert report.complete and report.acknowledged == COUNT, report
    hub.stop()
    return seconds


def export_s(app: AppContext, run: int) -> tuple[float, Path]:
    app.store.conn.execute("UPDATE outbox SET sent = 0, acknowledged = NULL")
    start = time.perf_counter()
    exported = export_file(app.store, load_identity(), SCHOOL, WORK / f"usb{run}.xapisync")
    seconds = time.perf_counter() - start
    assert exported.statements == COUNT
    return seconds, exported.path


def import_s(path: Path, run: int) -> float:
    fresh = Lrs(HubStorage.sqlite(WORK / f"import{run}.sqlite3"))
    fresh.devices.add("bench", SCHOOL, load_identity().public_key)
    start = time.perf_counter()
    result = import_file(fresh, path)
    seconds = time.perf_counter() - start
    assert result.added == COUNT
    fresh.storage.close()
    return seconds


def main() -> None:
    made = statements(COUNT)
    ingest = median(ingest_per_s(made[:50_000], run) for run in range(RUNS))
    print(f"hub_ingest_per_s {ingest:.0f} statements/s", flush=True)
    app = open_context()
    with app.store.transaction():
        for s in made:
            app.store.append_statement(s.id, s.text, s.timestamp)
    print(f"push_100k_s {median(push_s(app, run) for run in range(RUNS)):.2f} s", flush=True)
    exports = [export_s(app, run) for run in range(RUNS)]
    print(f"export_100k_s {median(seconds for seconds, _ in exports):.2f} s", flush=True)
    path = exports[0][1]
    print(f"import_100k_s {median(import_s(path, run) for run in range(RUNS)):.2f} s",
          flush=True)
    print(f"usb_file_100k_mb {path.stat().st_size / 1e6:.1f} MB", flush=True)
    print(f"statement_bytes_mean {len(''.join(s.text for s in made[:1000]).encode()) / 1000:.0f}"
          " bytes", flush=True)


if __name__ == "__main__":
    main()
