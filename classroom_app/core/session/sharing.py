"""Where a session and its recordings are found: addresses to join, folders, packs to carry.

A recording made on the master's PC is kept under the data folder's ``recordings/``.
To travel, it goes into a copy of its lesson pack (``recordings/<name>/``), zipped, so
that any classroom imports it like any pack and replays it offline.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from classroom_app.core import paths
from classroom_app.core.lan import lan_addresses
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.session.recording import (
    Recording,
    RecordingError,
    lesson_recordings,
    load_recording,
)


def join_urls(port: int, code: str) -> list[str]:
    return [f"http://{address}:{port}/?code={code}" for address in lan_addresses()]


def recordings_dir() -> Path:
    return paths.data_dir() / "recordings"


def new_recording_folder(lesson_id: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return recordings_dir() / f"{lesson_id or 'session'}-{stamp}"


def all_recordings(lessons: list[Lesson]) -> tuple[list[Recording], list[str]]:
    """Recordings made on this PC and those that came inside lesson packs."""
    found: list[Recording] = []
    problems: list[str] = []
    folder = recordings_dir()
    if folder.is_dir():
        for child in sorted(p for p in folder.iterdir() if p.is_dir()):
            try:
                found.append(load_recording(child))
            except RecordingError as error:
                problems.append(str(error))
    for lesson in lessons:
        more, broken = lesson_recordings(lesson.path)
        found += more
        problems += broken
    return found, problems


def export_pack(lesson: Lesson, recording: Recording, target: Path) -> Path:
    """Write ``target`` (.zip): the lesson pack with the recording inside, importable as is."""
    temporary = target.with_name(target.name + ".part")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(lesson.path.rglob("*")):
            relative = path.relative_to(lesson.path)
            if path.is_file() and relative.parts[0] != "recordings":
                archive.write(path, f"{lesson.id}/{relative.as_posix()}")
        for path in sorted(recording.folder.iterdir()):
            if path.is_file():
                store = zipfile.ZIP_STORED if path.suffix == ".mp4" else zipfile.ZIP_DEFLATED
                archive.write(path, f"{lesson.id}/recordings/{recording.name}/{path.name}",
                              compress_type=store)
    temporary.replace(target)
    return target
