"""Settings persist in the store, an admin file presets them; the PIN is hashed."""

from __future__ import annotations

import json

from classroom_app.core import settings
from classroom_app.core.pin import hash_pin, problem_with, verify_pin


def test_settings_round_trip_and_admin_presets(ctx, data_dir) -> None:
    (data_dir / "settings-admin.json").write_text(json.dumps(
        {"school_name": "北京市第一小学", "projector_scale": "huge"}), encoding="utf-8")
    loaded = settings.load(ctx.store)
    assert loaded.school_name == "北京市第一小学"
    assert loaded.projector_scale == 2.0  # a wrong type falls back to the default
    ctx.update_settings(language="en", school_name="Own name")
    again = settings.load(ctx.store)
    assert again.language == "en" and again.school_name == "Own name"


def test_pin_is_checked_and_never_stored_plain() -> None:
    assert problem_with("12") and problem_with("abcd") and problem_with("123456789")
    assert problem_with("2580") is None
    stored = hash_pin("2580")
    assert stored.startswith("scrypt$") and len(stored.split("$")) == 3
    assert verify_pin("2580", stored) and not verify_pin("2581", stored)
    assert not verify_pin("2580", "garbage")


def test_the_sync_password_is_not_in_the_settings_repr() -> None:
    """Settings end up in logs and tracebacks: the password does not."""
    assert "s3cret" not in repr(settings.Settings(sync_password="s3cret"))
