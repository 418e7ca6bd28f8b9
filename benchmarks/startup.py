"""Startup time (process start to main window shown) and peak memory of the app.

Prints ``startup_s`` (median of 5 cold starts on a fresh data directory) and
``startup_peak_rss_mb``. Targets: at most 1.5 s and 250 MB.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def one_start() -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "CLASSROOM_DATA_DIR": tempfile.mkdtemp(prefix="classroom-bench-")}
    started = time.time()
    result = subprocess.run([sys.executable, "-m", "classroom_app", "--smoke"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60, check=True)
    shown = float(re.search(r"shown at ([\d.]+)", result.stdout).group(1))
    return shown - started


def main() -> None:
    times = [one_start() for _ in range(RUNS)]
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"startup_s {statistics.median(times):.3f} s")
    print(f"startup_peak_rss_mb {peak_kb / 1024:.1f} MB")


if __name__ == "__main__":
    main()
