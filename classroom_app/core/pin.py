"""The teacher PIN that guards teacher-only screens.

Stored only as a salted scrypt hash in the settings. A PIN is 4 to 8 digits: short
enough to type in front of a class, and the screens it guards hold no secrets beyond
the class's own progress.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from classroom_app.core.i18n import tr

_N, _R, _P = 2**14, 8, 1


def problem_with(pin: str) -> str | None:
    """Why ``pin`` cannot be used, or None if it can."""
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        return tr("The PIN must be 4 to 8 digits.")
    return None


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=_N, r=_R, p=_P)
    return hmac.compare_digest(digest.hex(), digest_hex)
