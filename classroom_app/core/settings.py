"""Typed settings, kept in the store's settings table.

School IT may place ``settings-admin.json`` next to the frozen executable (or in the
data directory) to preset values such as the school's name and home page; the user's
own settings win over it. Unknown keys are ignored and missing ones take defaults, so an
old or hand-edited file never stops the app.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from classroom_app.core import paths, school_address
from classroom_app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from classroom_app.core.store import Store

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    language: str = DEFAULT_LANGUAGE
    school_name: str = ""
    # xAPI identifies learners by an account on the school's home page (an IRL); empty
    # until the school sets it (see core/school_address.py).
    school_home_page: str = ""
    teacher_pin_hash: str = ""
    teacher_name: str = ""  # signs ratings and term-summary confirmations
    projector_scale: float = 2.0
    # Sync: an xAPI LRS (our classroom-hub, the teacher PC's class hub, or the
    # district's own) and this PC's credentials on it; the hub's key checks receipts.
    sync_endpoint: str = ""
    sync_username: str = ""
    sync_password: str = field(default="", repr=False)  # never in a log or traceback
    sync_hub_key: str = ""
    class_hub_enabled: bool = False
    class_hub_port: int = 8380
    schema_version: int = SCHEMA_VERSION
    # Where each camera demo takes its pictures on a PC without a camera: demo id ->
    # {"kind": "video" | "images", "target": path}, as the teacher last chose.
    demo_sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _admin_files() -> list[Path]:
    found = [paths.data_dir() / "settings-admin.json"]
    if getattr(sys, "frozen", False):
        found.insert(0, Path(sys.executable).parent / "settings-admin.json")
    return found


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(store: Store) -> Settings:
    """Settings from the admin file(s) and the store, over the defaults."""
    merged: dict[str, object] = {}
    for admin in _admin_files():
        merged.update(_read_json(admin))
    merged.update(store.settings())
    defaults = Settings()
    values = {}
    for f in fields(Settings):
        value = merged.get(f.name, getattr(defaults, f.name))
        expected = type(getattr(defaults, f.name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected):
            value = getattr(defaults, f.name)
        values[f.name] = value
    settings = Settings(**values)
    if settings.language not in LANGUAGES:
        settings = settings.with_changes(language=DEFAULT_LANGUAGE)
    # No address, or https://school.invalid/ as versions before 0.2 stored: not set.
    if not school_address.is_set(settings.school_home_page):
        settings = settings.with_changes(school_home_page="")
    return settings.with_changes(schema_version=SCHEMA_VERSION)


def save(store: Store, settings: Settings) -> None:
    store.put_settings(asdict(settings))
