"""The core runs where Qt cannot even be imported (a server, a script, the hub)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt is blocked in this test")
        return None

sys.meta_path.insert(0, BlockQt())
import classroom_app.core as core
for module in pkgutil.walk_packages(core.__path__, "classroom_app.core."):
    importlib.import_module(module.name)
from classroom_app.cli import main as cli
code = cli.main(["lessons", "list"])
assert not any(m.startswith("PySide6") for m in sys.modules)
print("core ok", code)
"""


def test_core_imports_and_cli_run_with_qt_blocked(data_dir: Path) -> None:
    env = {**os.environ, "CLASSROOM_DATA_DIR": str(data_dir)}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "core ok 0" in result.stdout
