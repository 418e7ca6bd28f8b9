"""Where shipped data and the user's data live.

Every other module asks here: the shipped folders (lessons, models, assets) sit next to
the package in a source checkout and inside the bundle when frozen by PyInstaller; the
user's data directory comes from platformdirs unless ``CLASSROOM_DATA_DIR`` overrides it
(tests, or a portable install on a USB stick).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from classroom_app.core.private_files import private_folder

APP_NAME = "ai-classroom"
DATA_DIR_ENV = "CLASSROOM_DATA_DIR"


def shipped_root() -> Path:
    """The folder holding ``lessons/``, ``models/`` and ``assets/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def package_dir() -> Path:
    """The ``classroom_app`` package folder (translations, demo manifests)."""
    return Path(__file__).resolve().parents[1]


def shipped_lessons_dir() -> Path:
    return shipped_root() / "lessons"


def assets_dir() -> Path:
    return shipped_root() / "assets"


def models_dir() -> Path:
    return shipped_root() / "models"


def sample_images_dir() -> Path:
    """Photos licensed for redistribution, used when a PC has no camera."""
    return assets_dir() / "samples"


def data_dir() -> Path:
    """The user's data directory, created on first use, owner-only (0700) on POSIX: an
    older one made 0755 is tightened (see ``private_files``)."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return private_folder(path)


def database_path() -> Path:
    return data_dir() / "classroom.sqlite3"



def imported_lessons_dir() -> Path:
    """Lesson packs a teacher imported; kept apart from the shipped ones."""
    path = data_dir() / "lessons"
    path.mkdir(parents=True, exist_ok=True)
    return path
