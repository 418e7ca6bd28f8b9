"""Data files only their owner may read, on POSIX.

``classroom.sqlite3`` holds the sync password (the hub needs it in clear: HTTP Basic) and
``hub.sqlite3`` the hub's private signing key. No OS keyring is there to hold the
password on the PCs this app runs on (classroom Linux PCs without a desktop keyring,
CI), so what keeps it out of view is the file's mode: folders 0700, database files 0600,
WAL, SHM and journal side files included. A database created 0600 gets side files of the
same mode from SQLite; files and folders made before this (0644 / 0755) are tightened
when they are next opened. On Windows the user's profile folder is private already and
these modes mean nothing, so nothing is done there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SIDE_FILES = ("-wal", "-shm", "-journal")


def _tighten(path: Path, mode: int) -> None:
    # A folder on a USB stick (FAT) or owned by someone else cannot be changed: the app
    # still works there, as before.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


def private_folder(path: Path) -> Path:
    """``path`` created owner-only (0700) if missing, and tightened to 0700 if not."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        _tighten(path, 0o700)
    return path


def private_database(path: Path) -> None:
    """Before SQLite opens ``path``: the file created 0600 if missing (SQLite takes an
    empty file as a new database and gives its WAL and SHM files the same mode), and an
    existing file and side files tightened to 0600."""
    if os.name != "posix" or str(path) in ("", ":memory:") or str(path).startswith("file:"):
        return
    if not path.parent.is_dir():
        return  # a mistyped folder is not made: SQLite's refusal names the path
    with contextlib.suppress(OSError):  # SQLite says why it cannot open it, in its words
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        if name.exists():
            _tighten(name, 0o600)
