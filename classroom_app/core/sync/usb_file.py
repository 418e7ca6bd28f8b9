"""The signed sync file carried on a USB stick, and the hub's receipt for it.

A sync file is a ZIP holding three members:

- ``statements.jsonl``: one statement per line, each the exact text in the outbox;
- ``manifest.json``: format, export id, device id and public key, school, when it was
  written, how many statements, the first and last outbox times, and the SHA-256 of
  ``statements.jsonl``;
- ``manifest.sig``: the device's Ed25519 signature of ``manifest.json``.

The signature covers the manifest and the manifest covers the statements by their hash,
so a file that is truncated, altered or signed by another key is refused whole.
A receipt is a small JSON file the hub signs with its own key: the device checks it
against the hub key it was enrolled with before it marks anything acknowledged.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classroom_app.core import xapi
from classroom_app.core.i18n import tr
from classroom_app.core.store import Store
from classroom_app.core.sync import keys
from classroom_app.core.sync.device import DeviceIdentity

FORMAT = "ai-classroom-sync"
RECEIPT_FORMAT = "ai-classroom-sync-receipt"
VERSION = 1
SUFFIX = ".xapisync"
MEMBERS = {"manifest.json", "manifest.sig", "statements.jsonl"}


class SyncFileError(Exception):
    """A sync file or receipt that cannot be used; the message says why."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    export_id: str
    statements: int


@dataclass(frozen=True)
class SyncFile:
    """A sync file whose signature and hashes were checked."""

    manifest: dict[str, Any]
    lines: list[bytes]
    sha256: str


def export_file(store: Store, identity: DeviceIdentity, school: str, target: Path,
                school_name: str = "") -> ExportSummary:
    """Write every statement not yet acknowledged (and not refused) into ``target``."""
    rows = store.statements_to_export()
    data = b"\n".join(r["statement"].encode() for r in rows) + (b"\n" if rows else b"")
    export_id = str(uuid.uuid4())
    created = xapi.format_timestamp(xapi.now())
    sha256 = hashlib.sha256(data).hexdigest()
    manifest = {
        "format": FORMAT, "version": VERSION, "export_id": export_id,
        "device_id": identity.device_id, "device_key": identity.public_key,
        "school": school, "school_name": school_name, "created": created,
        "statements": len(rows), "first": rows[0]["created"] if rows else None,
        "last": rows[-1]["created"] if rows else None, "statements_sha256": sha256}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                                indent=1).encode()
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", identity.sign(manifest_bytes))
        archive.writestr("statements.jsonl", data)
    _sync_to_disk(partial)
    os.replace(partial, target)
    store.record_export(export_id, created, str(target), sha256,
                        [r["id"] for r in rows])
    return ExportSummary(target, export_id, len(rows))


def _sync_to_disk(path: Path) -> None:
    """USB sticks are pulled out early: the file is on the stick before we say so."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


# A real export compresses its statements about 15 times (measured: 5,000 statements,
# 5.0 MB in 0.35 MB); no real file comes near these bounds, a crafted one is refused
# before it is unpacked.
MAX_RATIO = 100
RATIO_FROM = 1 << 16  # members smaller than this may compress as they like
MAX_MANIFEST = 1 << 16
MAX_SIGNATURE = 1 << 10
_CHUNK = 1 << 20


def read_file(path: Path, key_is_enrolled: Any) -> SyncFile:
    """Open and check a sync file. ``key_is_enrolled(public_key)`` says whether the
    signing device is known here. Raises SyncFileError with the reason.

    The manifest, its signature and the device's enrolment are checked before the
    statements are unpacked, and members are read in parts with their sizes bounded,
    so a crafted file costs little memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if not set(infos) >= MEMBERS:
                raise SyncFileError(tr("{file} is not a sync file (members missing)").format(
                    file=path.name))
            manifest_bytes = _member(archive, infos["manifest.json"], MAX_MANIFEST, path)
            signature = _member(archive, infos["manifest.sig"], MAX_SIGNATURE,
                                path).decode("ascii", "replace")
            manifest = _manifest(manifest_bytes, path)
            if not key_is_enrolled(manifest["device_key"]):
                raise SyncFileError(tr("{file} comes from a device that is not enrolled here "
                                       "(key {key})").format(file=path.name,
                                                             key=manifest["device_key"]))
            if not keys.verify(manifest["device_key"], manifest_bytes, signature):
                raise SyncFileError(tr("{file} was altered: its signature does not "
                                       "match").format(file=path.name))
            data = _statements(archive, infos["statements.jsonl"], manifest, path)
    except FileNotFoundError as error:
        raise SyncFileError(tr("{file} does not exist").format(file=path)) from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            ValueError) as error:
        raise SyncFileError(tr("{file} is damaged or incomplete (was it copied completely?): "
                               "{error}").format(file=path.name, error=error)) from error
    lines = [line for line in data.split(b"\n") if line]
    if len(lines) != manifest["statements"]:
        raise SyncFileError(tr("{file} was altered: it holds {count} statements, the manifest "
                               "says {expected}").format(file=path.name, count=len(lines),
                                                         expected=manifest["statements"]))
    return SyncFile(manifest, lines, hashlib.sha256(manifest_bytes).hexdigest())


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, path: Path) -> bytes:
    if info.file_size > limit:
        raise SyncFileError(tr("{file} is not a sync file of this app: {member} is too "
                               "large").format(file=path.name, member=info.filename))
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise SyncFileError(tr("{file} is not a sync file of this app: {member} is too "
                               "large").format(file=path.name, member=info.filename))
    return data


def _statements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, manifest: dict[str, Any],
                path: Path) -> bytes:
    """The statements, read in parts against the signed hash; the reading stops as soon
    as they unpack to more than their compressed size allows."""
    limit = max(RATIO_FROM, MAX_RATIO * info.compress_size)
    if info.file_size > limit:
        raise SyncFileError(tr("{file} is not a sync file of this app: it unpacks to far "
                               "more than any export").format(file=path.name))
    digest = hashlib.sha256()
    parts = []
    size = 0
    with archive.open(info) as member:
        while part := member.read(_CHUNK):
            size += len(part)
            if size > limit:
                raise SyncFileError(tr("{file} is not a sync file of this app: it unpacks "
                                       "to far more than any export").format(file=path.name))
            digest.update(part)
            parts.append(part)
    if digest.hexdigest() != manifest["statements_sha256"]:
        raise SyncFileError(tr("{file} was altered: the statements do not match the signed "
                               "manifest").format(file=path.name))
    return b"".join(parts)


# What a manifest must hold, and of which type, before anything in the file is used.
_MANIFEST_FIELDS: dict[str, type | tuple[type, ...]] = {
    "export_id": str, "device_id": str, "device_key": str, "statements": int,
    "statements_sha256": str}


def _manifest(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise SyncFileError(tr("{file}: the manifest is not JSON").format(
            file=path.name)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SyncFileError(tr("{file} is not a sync file of this app").format(file=path.name))
    if manifest.get("version") != VERSION:
        raise SyncFileError(tr("{file} has format version {version}; this hub reads version "
                               "{supported}; update the hub").format(
            file=path.name, version=manifest.get("version"), supported=VERSION))
    if not isinstance(manifest.get("device_key"), str):
        raise SyncFileError(tr("{file}: the manifest names no device key").format(file=path.name))
    for field, kind in _MANIFEST_FIELDS.items():
        value = manifest.get(field)
        if not isinstance(value, kind) or isinstance(value, bool) or (
                isinstance(value, int) and value < 0):
            raise SyncFileError(tr("{file}: the manifest lacks a valid {field}; nothing was "
                                   "imported").format(file=path.name, field=field))
    return manifest


def write_receipt(sync_file: SyncFile, hub_private_key: bytes, target: Path,
                  imported: str, added: int) -> Path:
    body = {"format": RECEIPT_FORMAT, "version": VERSION,
            "export_id": sync_file.manifest["export_id"],
            "device_id": sync_file.manifest["device_id"],
            "manifest_sha256": sync_file.sha256, "statements": len(sync_file.lines),
            "added": added, "imported": imported,
            "hub_key": keys.public_key_text(hub_private_key)}
    signed = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    text = json.dumps({"receipt": body, "signature": keys.sign(hub_private_key, signed)},
                      ensure_ascii=False, indent=1)
    target.write_text(text, encoding="utf-8")
    return target


def apply_receipt(store: Store, path: Path, hub_key: str) -> int:
    """Mark the statements of the export a receipt names as acknowledged; how many."""
    if not hub_key:
        raise SyncFileError(tr("This PC does not know the hub's key yet; enter it in the sync "
                               "settings (classroom-hub device add prints it)."))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body, signature = data["receipt"], data["signature"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SyncFileError(tr("{file} is not a receipt: {error}").format(file=path.name,
                                                                         error=error)) from error
    if not isinstance(body, dict) or not isinstance(signature, str):
        raise SyncFileError(tr("{file} is not a receipt: {error}").format(
            file=path.name, error=tr("its parts have the wrong types")))
    signed = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    if body.get("format") != RECEIPT_FORMAT or not keys.verify(hub_key, signed, signature):
        raise SyncFileError(tr("{file} is not signed by this PC's hub").format(file=path.name))
    export = store.export_info(str(body.get("export_id")))
    if export is None:
        raise SyncFileError(tr("{file} is for a sync file this PC did not write").format(
            file=path.name))
    return store.acknowledge_export(export["id"], str(body.get("imported")))
