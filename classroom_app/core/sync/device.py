"""This PC's identity for sync: a device id and the Ed25519 key that signs its USB files.

Made on first use and kept in the data directory (readable by this user only). The
public key is what the hub's administrator enrols with ``classroom-hub device add``.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from classroom_app.core import paths
from classroom_app.core.i18n import tr
from classroom_app.core.sync import keys

FILE_NAME = "device-key.json"


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    private_key: bytes

    @property
    def public_key(self) -> str:
        return keys.public_key_text(self.private_key)

    def sign(self, data: bytes) -> str:
        return keys.sign(self.private_key, data)


class DeviceKeyError(Exception):
    pass


def load_identity(folder: Path | None = None) -> DeviceIdentity:
    """This PC's identity, created the first time it is asked for."""
    path = (folder or paths.data_dir()) / FILE_NAME
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            identity = DeviceIdentity(str(data["device_id"]),
                                      base64.b64decode(data["private_key"]))
            keys.public_key_text(identity.private_key)
            return identity
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DeviceKeyError(tr("{file} is damaged ({error}); move it away to make a "
                                    "new key, then enrol this PC on the hub again").format(
                file=path, error=error)) from error
    identity = DeviceIdentity(str(uuid.uuid4()), keys.new_private_key())
    text = json.dumps({"device_id": identity.device_id,
                       "private_key": base64.b64encode(identity.private_key).decode()})
    partial = path.with_suffix(".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return identity
