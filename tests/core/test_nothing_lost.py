"""Killing the app (SIGKILL) at random moments mid-lesson loses no step it showed as done."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "tests" / "support" / "kill_driver.py"


def run_and_kill(data_dir: Path, after: float) -> list[str]:
    env = {**os.environ, "CLASSROOM_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(DRIVER)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert ready.wait(30), "the app did not start"
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    reader.join(10)
    return [line for line in lines if line.startswith("SHOWN")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_step_shown_as_completed_survives_sigkill(data_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    shown: list[str] = []
    for _ in range(3):  # kill, restart (which resumes), kill again
        shown += run_and_kill(data_dir, rng.uniform(0.2, 1.5))
    assert shown, "the driver completed no step before being killed"
    db = sqlite3.connect(data_dir / "classroom.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = set(db.execute("SELECT attempt_id, step_id FROM step_results").fetchall())
    for line in shown:
        _, attempt, step = line.split()
        assert (attempt, step) in stored, line
    statements = db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert statements >= len(shown)
