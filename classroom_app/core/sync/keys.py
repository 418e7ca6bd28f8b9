"""Ed25519 keys and signatures, as text that can be read aloud, typed or pasted.

A public key is written ``ed25519:`` followed by its 32 bytes in URL-safe base64
(43 characters). Devices sign their USB files with their private key; the hub signs its
receipts with its own.
"""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from classroom_app.core.i18n import tr

PREFIX = "ed25519:"


class KeyFormatError(ValueError):
    """A key or signature that is not one."""


def new_private_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption())


def _private(raw: bytes) -> Ed25519PrivateKey:
    try:
        return Ed25519PrivateKey.from_private_bytes(raw)
    except ValueError as error:
        raise KeyFormatError(tr("The private key is damaged.")) from error


def public_key_text(private_raw: bytes) -> str:
    public = _private(private_raw).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.urlsafe_b64encode(public).decode().rstrip("=")


def parse_public_key(text: str) -> Ed25519PublicKey:
    text = text.strip()
    if not text.startswith(PREFIX):
        raise KeyFormatError(tr("A public key starts with {prefix}").format(prefix=PREFIX))
    body = text[len(PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise KeyFormatError(tr("The public key is not 32 bytes of URL-safe base64.")) from error


def sign(private_raw: bytes, data: bytes) -> str:
    return base64.b64encode(_private(private_raw).sign(data)).decode()


def verify(public_key: str, data: bytes, signature: str) -> bool:
    try:
        parse_public_key(public_key).verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True
