"""Checking lesson packs before they are shared or imported: one pack folder, a library
folder holding many packs, or a ``.zip`` read exactly as importing reads it."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from classroom_app.core.i18n import tr
from classroom_app.core.lessons.importing import PackImportError, extract_zip, pack_root
from classroom_app.core.lessons.pack import (
    METADATA,
    KnownDemos,
    PackResult,
    Problem,
    known_demos_of,
    load_pack,
)


def check_packs(path: Path, known_demos: KnownDemos | None) -> list[PackResult]:
    """One result per pack found at ``path``, each with every problem (file and line)."""
    demos = known_demos_of(known_demos)
    if path.is_file() and zipfile.is_zipfile(path):
        return [check_zip(path, demos)]
    if path.is_dir() and not (path / METADATA).is_file():
        packs = sorted(p for p in path.iterdir() if (p / METADATA).is_file())
        if packs:  # a library: every pack inside
            return [load_pack(pack, demos, shipped=False) for pack in packs]
    if not path.exists():
        return [PackResult(path, None, (Problem(path, None, tr("'{path}' does not exist.")
                                                .format(path=path)),))]
    return [load_pack(path, demos, shipped=False)]


def check_zip(path: Path, known_demos: KnownDemos | None) -> PackResult:
    """The pack in a .zip, unpacked to a temporary folder; problems name the zip."""
    staging = Path(tempfile.mkdtemp(prefix="classroom-check-"))
    try:
        extract_zip(path, staging)
        root = pack_root(staging)
    except PackImportError as error:
        shutil.rmtree(staging, ignore_errors=True)
        return PackResult(path, None, (Problem(path, None, str(error)),))
    try:
        result = load_pack(root, known_demos, shipped=False)
        problems = tuple(Problem(path / p.path.relative_to(root), p.line, p.message)
                         for p in result.problems)
        return PackResult(path, result.lesson, problems)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
