"""Every test gets its own data directory (a fresh SQLite store) and Chinese as the
starting language, as a new install has."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from classroom_app.core import i18n, paths

ROOT = Path(__file__).resolve().parents[1]
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    i18n.set_language("zh_CN")
    yield folder
    i18n.set_language("zh_CN")


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
