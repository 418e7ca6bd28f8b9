"""hub.sqlite3 holds the hub's private signing key: on POSIX only its owner may read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from classroom_app.core import paths
from classroom_app.hub.storage import open_storage

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_hub_is_owner_only(tmp_path: Path) -> None:
    """The file and its WAL and SHM files are 0600, whatever the umask; the default
    place, the data folder, is 0700."""
    path = paths.data_dir() / "hub.sqlite3"
    old = os.umask(0o022)
    try:
        storage = open_storage(str(path))
        storage.keep_first_meta("signing_key", "private")
        assert _mode(path.parent) == 0o700
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert name.exists() and _mode(name) == 0o600, name
        storage.close()
    finally:
        os.umask(old)


def test_an_older_readable_hub_database_is_tightened_on_open(tmp_path: Path) -> None:
    path = tmp_path / "hub.sqlite3"
    storage = open_storage(str(path))
    storage.keep_first_meta("signing_key", "private")
    storage.close()
    side = Path(f"{path}-journal")
    side.write_bytes(b"")
    for name in (path, side):
        name.chmod(0o644)
    open_storage(str(path)).close()
    assert _mode(path) == 0o600 and _mode(side) == 0o600
