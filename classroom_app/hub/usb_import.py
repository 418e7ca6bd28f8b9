"""Importing a device's USB sync file into the hub: all of it, or nothing.

The file is checked (format, enrolled device key, signature, hashes, counts), every
statement in it is validated, and then all are stored in one transaction with the
import's record; a statement the hub already holds with other content refuses the
whole file. The same file imported again adds nothing and gets the same receipt.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from classroom_app.core.i18n import tr
from classroom_app.core.sync.usb_file import SyncFileError, read_file, write_receipt
from classroom_app.hub.lrs import HttpError, Lrs
from classroom_app.hub.statements import format_stored


@dataclass(frozen=True)
class ImportResult:
    device: str
    school: str | None
    statements: int
    added: int
    already_imported: str | None
    receipt: Path | None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A file makes hundreds of thousands of small objects that all live until it is
    stored; Python's cycle collector would scan them again and again meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(lrs: Lrs, path: Path, receipt: Path | None = None) -> ImportResult:
    """Import ``path``; write a receipt to ``receipt`` (default: beside the file)."""
    sync_file = read_file(path, lambda key: lrs.devices.by_public_key(key) is not None)
    device = lrs.devices.by_public_key(sync_file.manifest["device_key"])
    assert device is not None
    earlier = lrs.storage.import_time(sync_file.sha256)
    imported = format_stored(datetime.now(UTC))
    try:
        with _collector_paused(), lrs.storage.bulk():
            _, added = lrs.import_statements(sync_file.lines, device)
    except HttpError as error:
        raise SyncFileError(tr("{file} was not imported: {error}").format(
            file=path.name, error=error)) from error
    if earlier is None:
        lrs.storage.record_import(sync_file.sha256, device.username,
                                  sync_file.manifest["export_id"], imported,
                                  len(sync_file.lines), added)
    when = earlier or imported
    target = receipt or path.with_name(path.stem + ".receipt.json")
    written = write_receipt(sync_file, lrs.devices.hub_private_key(), target, when, added)
    return ImportResult(device.username, device.school, len(sync_file.lines), added,
                        earlier, written)
