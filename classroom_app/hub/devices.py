"""Enrolled devices: their credentials, their school and their signing key.

A device (a student PC, a teacher PC acting as class hub) gets a random username and
password from ``classroom-hub device add``; only a salted PBKDF2 hash is kept. A device
enrolled with a school home page may write and read statements about that school's
learners only; one enrolled without (``--district``) sees everything. A device's Ed25519
public key verifies the USB files it exports.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from classroom_app.core.sync import keys
from classroom_app.hub.storage import HubStorage

ITERATIONS = 200_000
# How long a verified password is trusted before the database is asked again whether the
# device is still enrolled (``classroom-hub device remove`` runs in another process).
RECHECK_SECONDS = 0.5
HUB_KEY = "hub_private_key"


@dataclass(frozen=True)
class Device:
    username: str
    name: str
    school: str | None
    public_key: str | None
    disabled: bool = False


@dataclass(frozen=True)
class Enrolment:
    """What the administrator hands to the device (the password is shown only once)."""

    device: Device
    password: str
    hub_key: str


class DeviceError(Exception):
    pass


def _hash(password: str, salt: str) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), ITERATIONS)
    return base64.b64encode(digest).decode()


class Devices:
    def __init__(self, storage: HubStorage) -> None:
        self.storage = storage
        # Checking a password costs ~0.1 s by design; remember the ones that passed, with
        # the stored hash they matched and when that was last read from the database.
        self._verified: dict[tuple[str, str], tuple[Device, str, float]] = {}
        self._lock = threading.Lock()

    def add(self, name: str, school: str | None, public_key: str | None = None) -> Enrolment:
        if public_key:
            keys.parse_public_key(public_key)
        username = "device-" + secrets.token_hex(4)
        password = secrets.token_urlsafe(18)
        salt = secrets.token_hex(8)
        self.storage.add_device(username, name, school, salt, _hash(password, salt), public_key,
                                datetime.now(UTC).isoformat(timespec="seconds"))
        return Enrolment(Device(username, name, school, public_key), password, self.hub_key())

    def set_public_key(self, username: str, public_key: str) -> None:
        keys.parse_public_key(public_key)
        self._require(username)
        self.storage.set_device_key(username, public_key)
        self._forget(username)

    def remove(self, username: str) -> None:
        self._require(username)
        self.storage.disable_device(username)
        self._forget(username)

    def all(self) -> list[Device]:
        return [Device(u, n, s, k, bool(d)) for u, n, s, k, d in self.storage.devices()]

    def get(self, username: str) -> Device | None:
        return next((d for d in self.all() if d.username == username), None)

    def by_public_key(self, public_key: str) -> Device | None:
        return next((d for d in self.all() if d.public_key == public_key and not d.disabled),
                    None)

    def authenticate(self, username: str, password: str) -> Device | None:
        token = (username, hashlib.sha256(password.encode()).hexdigest())
        now = time.monotonic()
        with self._lock:
            cached = self._verified.get(token)
        if cached is not None:
            known, matched, checked = cached
            if now - checked < RECHECK_SECONDS:
                return known
            stored = self.storage.device_password(username)
            if stored is not None and stored[1] == matched:  # still enrolled, same password
                with self._lock:
                    self._verified[token] = (known, matched, now)
                return known
            self._forget(username)
        stored = self.storage.device_password(username)
        if stored is None or not hmac.compare_digest(_hash(password, stored[0]), stored[1]):
            return None
        device = self.get(username)
        if device is not None and not device.disabled:  # not removed meanwhile
            with self._lock:
                self._verified[token] = (device, stored[1], now)
            return device
        return None

    def hub_key(self) -> str:
        """The hub's own public key, with which devices check its USB receipts."""
        return keys.public_key_text(self.hub_private_key())

    def hub_private_key(self) -> bytes:
        stored = self.storage.meta(HUB_KEY)
        if stored is None:
            fresh = base64.b64encode(keys.new_private_key()).decode()
            stored = self.storage.keep_first_meta(HUB_KEY, fresh)
        return base64.b64decode(stored or "")

    def _require(self, username: str) -> None:
        if self.get(username) is None:
            raise DeviceError(f"no device {username}")

    def _forget(self, username: str) -> None:
        with self._lock:
            self._verified = {k: v for k, v in self._verified.items() if k[0] != username}
