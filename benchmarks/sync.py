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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="sync-bench-"))
os.environ["CLASSROOM_DATA_DIR"] = str(WORK / "pc")

from classroom_app.core import xapi  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
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


def ingest_per_s(made: list[xapi.Statement]) -> float:
    hub = HubProcess(WORK / "ingest.sqlite3")
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


def main() -> None:
    made = statements(COUNT)
    print(f"hub_ingest_per_s {ingest_per_s(made[:50_000]):.0f} statements/s", flush=True)
    app = open_context()
    with app.store.transaction():
        for s in made:
            app.store.append_statement(s.id, s.text, s.timestamp)
    hub = HubProcess(WORK / "hub.sqlite3")
    client = hub.client()
    start = time.perf_counter()
    report = push(app.store, client)
    print(f"push_100k_s {time.perf_counter() - start:.2f} s", flush=True)
    assert report.complete and report.acknowledged == COUNT, report
    hub.stop()
    app.store.conn.execute("UPDATE outbox SET sent = 0")
    start = time.perf_counter()
    exported = export_file(app.store, load_identity(), SCHOOL, WORK / "usb.xapisync")
    print(f"export_100k_s {time.perf_counter() - start:.2f} s", flush=True)
    assert exported.statements == COUNT
    fresh = Lrs(HubStorage.sqlite(WORK / "import.sqlite3"))
    fresh.devices.add("bench", SCHOOL, load_identity().public_key)
    start = time.perf_counter()
    result = import_file(fresh, exported.path)
    print(f"import_100k_s {time.perf_counter() - start:.2f} s", flush=True)
    assert result.added == COUNT
    size = exported.path.stat().st_size / 1e6
    print(f"usb_file_100k_mb {size:.1f} MB", flush=True)
    print(f"statement_bytes_mean {len(''.join(s.text for s in made[:1000]).encode()) / 1000:.0f}"
          " bytes", flush=True)


if __name__ == "__main__":
    main()
