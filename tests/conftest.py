"""Every test gets its own data directory (a fresh SQLite store) and Chinese as the
starting language, as a new install has; and no test sends anything beyond this PC."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import stay_local

from classroom_app.core import i18n, paths

ROOT = Path(__file__).resolve().parents[1]
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"
SCREENS = ROOT / "tests" / "ui" / "screens"

# The real hub (SQLite or PostgreSQL) for the sync, hub and CLI tests.
pytest_plugins = ["support.hub_fixtures"]

# Every socket of this process, and of the Python processes tests start, refuses
# traffic beyond this PC.
OUTSIDE: list[str] = []
stay_local.install(OUTSIDE.append)
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(ROOT / "tests" / "support" / "sitecustomize"),
                  os.environ.get("PYTHONPATH")]))

# Qt's offscreen screen is 800×800 unless told otherwise: give the tests the screen
# most classroom PCs and projectors have (CLASSROOM_TEST_SCREEN=1366x768 for the other).
SCREEN = os.environ.get("CLASSROOM_TEST_SCREEN", "1024x768")
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS / f'{SCREEN}.json'}"


@pytest.fixture(autouse=True, scope="session")
def collect_garbage_on_this_thread() -> Iterator[None]:
    """As the app does (ui/gui_gc.py): Python's collector never runs in a worker, where
    destroying a Qt object left in a cycle by an earlier test crashes the process."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    i18n.set_language("zh_CN")
    yield folder
    i18n.set_language("zh_CN")


@pytest.fixture(autouse=True)
def stay_on_this_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fails the test for any connect or send to an address outside 127.0.0.0/8 and ::1,
    in this process or a Python process it started: tests never reach the LAN, a
    broadcast address or the internet, whatever the code would do in a real school."""
    OUTSIDE.clear()
    log = tmp_path / "outside.log"
    monkeypatch.setenv("CLASSROOM_TEST_OUTSIDE_LOG", str(log))
    yield OUTSIDE
    found = list(OUTSIDE)
    if log.exists():
        found += log.read_text(encoding="utf-8").splitlines()
    if found:
        pytest.fail("the test sent traffic beyond this PC: " + "; ".join(sorted(set(found))))


@pytest.fixture
def ctx(data_dir: Path):
    from classroom_app.core.context import open_context

    context = open_context()
    yield context
    context.close()


@pytest.fixture
def shared_testdata() -> Path:
    if not SHARED_TESTDATA.is_dir():
        pytest.skip(f"the shared test photos are not at {SHARED_TESTDATA}")
    return SHARED_TESTDATA


@pytest.fixture
def pack_copy(tmp_path: Path):
    """A writable copy of a shipped lesson pack, to break on purpose."""

    def make(lesson_id: str = "p1-how-computers-see") -> Path:
        target = tmp_path / "packs" / lesson_id
        shutil.copytree(paths.shipped_lessons_dir() / lesson_id, target)
        return target

    return make
