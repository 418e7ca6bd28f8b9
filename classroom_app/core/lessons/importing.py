"""Importing a lesson pack a teacher received, from a folder or a .zip file.

Everything is staged in a hidden folder next to the destination, checked there (no
path traversal, no links, size limits, UTF-8 text, a pack that validates) and only
then moved into place, so a bad pack never leaves half a lesson behind.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO

from classroom_app.core.i18n import tr
from classroom_app.core.lessons.model import Lesson
from classroom_app.core.lessons.pack import (
    MAX_FILE_BYTES,
    MAX_PACK_BYTES,
    MAX_RECORDINGS_BYTES,
    METADATA,
    KnownDemos,
    Problem,
    file_limit,
    load_pack,
)

MAX_FILES = 1000


class PackImportError(Exception):
    """A pack was refused; ``problems`` says why, file by file, when it can."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [self.args[0], *(str(p) for p in self.problems)]
        return "\n".join(lines)


class PackExistsError(PackImportError):
    """A pack with this id was imported before: it is replaced only when asked to."""

    def __init__(self, lesson_id: str) -> None:
        super().__init__(tr("A lesson with the id '{id}' was already imported.")
                         .format(id=lesson_id))
        self.lesson_id = lesson_id

    def command_hint(self, source: Path) -> str:
        """How to replace it from the command line."""
        return tr("To replace it with this pack, run: classroom lessons import \"{path}\" "
                  "--replace").format(path=source)

    def question(self) -> str:
        """What the app asks the teacher before replacing it."""
        return tr("A lesson with the id '{id}' was already imported. Replace it with this "
                  "pack? Progress already recorded for the lesson is kept.").format(
            id=self.lesson_id)


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise PackImportError(tr("Refused: '{name}' points outside the pack.").format(name=name))
    return path


class _Budget:
    """Counts a pack's bytes: lesson files against 20 MB, recordings against 2 GB."""

    def __init__(self) -> None:
        self.lesson = self.recordings = 0

    def add(self, relative: str, size: int) -> None:
        if size > file_limit(relative):
            raise PackImportError(_too_large(relative))
        if file_limit(relative) == MAX_FILE_BYTES:
            self.lesson += size
        else:
            self.recordings += size
        if self.lesson > MAX_PACK_BYTES:
            raise PackImportError(tr("Refused: the pack is larger than 20 MB."))
        if self.recordings > MAX_RECORDINGS_BYTES:
            raise PackImportError(tr("Refused: the recordings are larger than 2 GB."))


def _too_large(name: str) -> str:
    if file_limit(name) == MAX_FILE_BYTES:
        return tr("Refused: '{name}' is larger than 5 MB.").format(name=name)
    return tr("Refused: '{name}' is larger than 1 GB.").format(name=name)


def _copy_limited(source: IO[bytes], destination: Path, limit: int, name: str) -> None:
    """Stream a member to disk, refusing it as soon as it passes ``limit`` bytes."""
    written = 0
    with destination.open("wb") as out:
        while chunk := source.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise PackImportError(_too_large(name))
            out.write(chunk)


def extract_zip(source: Path, target: Path) -> None:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackImportError(tr("Not a readable .zip file: {error}").format(error=error)) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_FILES:
            raise PackImportError(tr("Refused: the pack has more than {count} files.")
                                  .format(count=MAX_FILES))
        budget = _Budget()
        for info in members:
            relative = _safe_member(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackImportError(tr("Refused: '{name}' is a link.").format(name=info.filename))
            if info.is_dir():
                continue
            name = relative.as_posix()
            budget.add(_inside_pack(name), info.file_size)
            destination = target.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as src:
                    _copy_limited(src, destination, file_limit(_inside_pack(name)), name)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise PackImportError(tr("The .zip file is damaged: {error}")
                                      .format(error=error)) from None


def _inside_pack(name: str) -> str:
    """A zip member's path inside the pack: zips often hold the pack's folder itself."""
    parts = name.split("/")
    return "/".join(parts[1:]) if len(parts) > 1 and parts[1] == "recordings" else name


def _copy_folder(source: Path, target: Path) -> None:
    files = 0
    budget = _Budget()
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_symlink():
            raise PackImportError(tr("Refused: '{name}' is a link.").format(name=relative))
        if path.is_dir():
            continue
        files += 1
        if files > MAX_FILES:
            raise PackImportError(tr("Refused: the pack has more than {count} files.")
                                  .format(count=MAX_FILES))
        budget.add(relative.as_posix(), path.stat().st_size)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


def pack_root(staged: Path) -> Path:
    if (staged / METADATA).is_file():
        return staged
    children = [p for p in staged.iterdir() if p.is_dir() and not p.name.startswith("__MACOSX")]
    if len(children) == 1 and (children[0] / METADATA).is_file():
        return children[0]
    raise PackImportError(tr("No lesson.toml found: this is not a lesson pack."))


def import_pack(source: Path, destination: Path, known_demos: KnownDemos | None,
                taken_ids: Iterable[str] = (), replace: bool = False) -> Lesson:
    """Check the pack at ``source`` and install it as ``destination/<lesson id>``.

    ``taken_ids`` are ids that must not be overwritten (the shipped lessons). An
    imported pack with the same id is replaced only when ``replace`` is true.
    """
    if not source.exists():
        raise PackImportError(tr("'{path}' does not exist.").format(path=source))
    destination.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=destination))
    try:
        if source.is_dir():
            _copy_folder(source, staging)
        else:
            extract_zip(source, staging)
        root = pack_root(staging)
        result = load_pack(root, known_demos, shipped=False)
        if result.lesson is None:
            problems = [Problem(source / p.path.relative_to(root), p.line, p.message)
                        for p in result.problems]
            raise PackImportError(tr("The lesson pack has problems and was not imported:"),
                                  problems)
        lesson_id = result.lesson.id
        if lesson_id in set(taken_ids):
            raise PackImportError(tr("A lesson with the id '{id}' ships with the app; give the "
                                     "pack another id.").format(id=lesson_id))
        final = destination / lesson_id
        if final.exists():
            if not replace:
                raise PackExistsError(lesson_id)
            previous = Path(tempfile.mkdtemp(prefix=".previous-", dir=destination)) / lesson_id
            final.rename(previous)  # kept until the new pack is in place
            try:
                root.rename(final)
            except OSError:
                previous.rename(final)
                raise
            shutil.rmtree(previous.parent, ignore_errors=True)
        else:
            root.rename(final)
        return load_pack(final, known_demos, shipped=False).lesson or result.lesson
    finally:
        shutil.rmtree(staging, ignore_errors=True)
